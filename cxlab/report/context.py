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
from ..config import CONFIG_FILE
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
        if events is None or events.empty:
            return None
        return self.client.derived("case_metrics", lambda: ho.case_metrics(events, self.config.activities))

    @functools.cached_property
    def linked(self) -> pd.DataFrame | None:
        responses = self.client.survey_responses
        if self.cases is None or responses is None or responses.empty:
            return None
        linked = self.client.derived(
            "linked_responses", lambda: ho.link_satisfaction(self.cases, responses, self.config.activities)
        )
        return linked if len(linked) else None

    @functools.cached_property
    def matrix(self) -> pd.DataFrame | None:
        events = self.client.events
        if self.cases is None:
            return None
        return self.client.derived(
            "handoff_matrix", lambda: ho.handoff_matrix(events, self.config.activities)
        )

    # ---------------------------------------------------------------- segments
    @functools.cached_property
    def segmented(self) -> pd.DataFrame | None:
        from .. import segments

        tx = self.client.transactions
        if tx is None or tx.empty:
            return None
        return self.client.derived(
            "segment_customers",
            lambda: segments.segment_customers(
                tx, self.analysis_date, self.config.segments, self.client.customers
            ),
        )

    # ---------------------------------------------------------------- comments
    @functools.cached_property
    def comments(self) -> pd.DataFrame | None:
        from .. import text

        responses = self.client.survey_responses
        if responses is None or "comment" not in responses.columns:
            return None
        analysed = self.client.derived(
            "analysed_comments",
            lambda: text.analyse_comments(responses, self.config.text, self.client.language),
        )
        return analysed if len(analysed) else None

    # ---------------------------------------------------------------- survey indicators
    @functools.cached_property
    def responses(self) -> pd.DataFrame | None:
        """Survey responses with the customer's name, industry, region, segment and value segment."""
        from ..indicators import add_customer_attributes

        responses = self.client.survey_responses
        if responses is None or responses.empty:
            return None
        return add_customer_attributes(responses, self.client.customers, self.segmented)

    @functools.cached_property
    def indicator_summary(self) -> pd.DataFrame | None:
        from ..indicators import indicator_summary

        if self.client.survey_responses is None or self.client.survey_responses.empty:
            return None
        return indicator_summary(self.client)

    @functools.cached_property
    def survey_figures(self) -> dict:
        """The headline survey figures (response rates, pressure, barometer drop …), keyed as findings."""
        from ..indicators import survey_findings

        if self.client.survey_responses is None:
            return {}
        return self.client.derived("survey_findings", lambda: survey_findings(self.client))

    @functools.cached_property
    def key_drivers(self) -> pd.DataFrame | None:
        """Key drivers of hot NPS: handoffs, departments, touchpoints and comment themes."""
        from ..indicators import driver_table, key_drivers
        from ..text import detect_themes

        responses = self.client.survey_responses
        if responses is None or "nps" not in responses.columns or self.cases is None:
            return None
        hot = (
            responses[responses["survey"].astype("string") == "hot"]
            if "survey" in responses.columns
            else responses
        )
        themes = detect_themes(hot["comment"].fillna("")) if "comment" in hot.columns else None
        drivers = driver_table(
            hot, cases=self.cases, events=self.client.events, themes=themes, touchpoints=False
        )
        if drivers is None or drivers.empty:
            return None
        return key_drivers(hot, drivers, settings=self.config)

    @functools.cached_property
    def action_lists(self) -> dict[str, pd.DataFrame] | None:
        """The call-back (ultra-detractors) and testimonial (ultra-promoters) lists."""
        from ..indicators import ultra_detractors, ultra_promoters

        responses = self.client.survey_responses
        if responses is None or "nps" not in responses.columns:
            return None
        cfg, customers = self.config, self.client.customers
        return {
            "ultra_detractors": ultra_detractors(responses, customers, self.segmented, settings=cfg),
            "ultra_promoters": ultra_promoters(responses, customers, self.segmented, settings=cfg),
        }

    # ---------------------------------------------------------------- findings and recommendations
    @functools.cached_property
    def findings(self) -> Findings:
        return collect_findings(self.client)

    @functools.cached_property
    def review(self):
        """Every generated recommendation with the consultant's decision (``recommendations.yaml``)."""
        from ..recommend import generate_recommendations

        return generate_recommendations(self.findings, self.root)

    @property
    def recommendations(self) -> list:
        """What the report shows: accepted ones, plus unreviewed proposals while ``unreviewed: show``."""
        return self.review.shown

    def review_status(self) -> pd.DataFrame:
        """One row per generated or custom recommendation: id, status, priority, shown in the report —
        for the consultant's check before sending (proposals still unreviewed are listed first)."""
        shown = {r.id for r in self.review.shown}
        rows = [
            {
                "id": r.id,
                "status": r.status,
                "priority": r.priority,
                "in_report": r.id in shown,
                "title": r.title.get(self.lang),
            }
            for r in self.review.recommendations
        ]
        frame = pd.DataFrame(rows, columns=["id", "status", "priority", "in_report", "title"])
        order = {"proposed": 0, "accepted": 1, "rejected": 2}
        return frame.sort_values(
            ["status", "priority"], key=lambda c: c.map(order) if c.name == "status" else -c
        )


def find_client_dir(client_dir: str | Path) -> Path:
    """``client_dir``, or — when it holds no ``client.yaml`` — the nearest parent that does, so a notebook
    works both from the engagement folder and from its ``notebooks/`` subfolder."""
    start = Path(client_dir).resolve()
    for folder in (start, *start.parents[:2]):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return start  # load_client names the missing file


def open_client(client_dir: str | Path, lang: str = "", static_charts: bool = False) -> ReportContext:
    """Load and validate the client folder, enable the report's chart renderer, return the context.

    ``lang`` "" means the client's language from ``client.yaml``; ``client_dir`` may also be a subfolder
    of the engagement (see :func:`find_client_dir`).
    """
    client = load_client(find_client_dir(client_dir))
    ctx = ReportContext(client, lang or None, static_charts)
    use_report_renderer(static=static_charts, lang=ctx.lang, branding=client.config.branding)
    return ctx
