"""The state of one report run: the loaded client, the report language, and each analysis computed once.

Sections read the analyses from here, so the executive summary (which comes first but quotes every
analysis) and the sections after it share one computation. Each property is ``None`` when its tables are
missing — the section that needs it is then left out of the report, never faked.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from .. import handoffs as ho
from ..errors import ConfigError
from ..findings import Findings, collect_findings
from ..io import Client, load_client
from .charts import use_report_renderer


class ReportContext:
    """One client, one language, analyses cached; create with :func:`open_client`."""

    def __init__(self, client: Client, lang: str | None = None, static_charts: bool = False) -> None:
        lang = lang or client.language
        if lang not in ("it", "en"):
            raise ConfigError("lang 'it' or 'en'", file="report parameters", column="lang", found=lang)
        self.client = client
        self.config = client.config
        self.lang = lang
        self.static_charts = static_charts

    @property
    def root(self) -> Path:
        return self.client.root

    @property
    def currency(self) -> str:
        return self.config.currency

    @functools.cached_property
    def analysis_date(self) -> pd.Timestamp:
        return self.client.analysis_date

    # ---------------------------------------------------------------- handoffs and journey
    @functools.cached_property
    def cases(self) -> pd.DataFrame | None:
        events = self.client.events
        return None if events is None or events.empty else ho.case_metrics(events, self.config.activities)

    @functools.cached_property
    def linked(self) -> pd.DataFrame | None:
        responses = self.client.survey_responses
        if self.cases is None or responses is None or responses.empty:
            return None
        linked = ho.link_satisfaction(self.cases, responses, self.config.activities)
        return linked if len(linked) else None

    @functools.cached_property
    def matrix(self) -> pd.DataFrame | None:
        events = self.client.events
        return None if self.cases is None else ho.handoff_matrix(events, self.config.activities)

    # ---------------------------------------------------------------- segments
    @functools.cached_property
    def segmented(self) -> pd.DataFrame | None:
        from .. import segments

        tx = self.client.transactions
        if tx is None or tx.empty:
            return None
        return segments.segment_customers(
            tx, self.analysis_date, self.config.segments, customers=self.client.customers
        )

    # ---------------------------------------------------------------- comments
    @functools.cached_property
    def comments(self) -> pd.DataFrame | None:
        from .. import text

        responses = self.client.survey_responses
        if responses is None or "comment" not in responses.columns:
            return None
        analysed = text.analyse_comments(responses, self.config.text, language=self.client.language)
        return analysed if len(analysed) else None

    # ---------------------------------------------------------------- findings and recommendations
    @functools.cached_property
    def findings(self) -> Findings:
        return collect_findings(self.client)

    @functools.cached_property
    def recommendations(self) -> list:
        from ..recommend import action_plan

        return action_plan(self.findings, self.root)


def open_client(client_dir: str | Path, lang: str = "", static_charts: bool = False) -> ReportContext:
    """Load and validate the client folder, enable the report's chart renderer, return the context.

    ``lang`` "" means the client's language from ``client.yaml``.
    """
    client = load_client(client_dir)
    ctx = ReportContext(client, lang or None, static_charts)
    use_report_renderer(static=static_charts, lang=ctx.lang)
    return ctx
