"""The state of one report run: the client's :class:`~cxlab.diagnosis.Diagnosis` and the report language.

Sections read the analyses from here, and every property is a read of the one Diagnosis, so the executive
summary (which comes first but quotes every analysis), the sections after it, the findings and the charts
share one computation. Each property is ``None`` when its tables are missing — the section that needs it
is then left out of the report, never faked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import CONFIG_FILE, ClientConfig
from ..diagnosis import Diagnosis, TopHandoff
from ..findings import Findings
from ..i18n import check_language
from ..intake import Client, load_client
from ..recommend import AppliedOverrides
from ..text import theme_label
from .charts import use_report_renderer

LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z]{2})?")


class ReportContext:
    """One client's diagnosis in one language; create with :func:`open_client`."""

    def __init__(
        self,
        client: Client,
        lang: str | None = None,
        static_charts: bool = False,
        dx: Diagnosis | None = None,
    ) -> None:
        lang = lang or client.language
        check_language(lang, "report parameters", "lang")
        self.dx = dx if dx is not None else Diagnosis(client)
        self.client = client
        self.lang = lang
        self.static_charts = static_charts

    @property
    def config(self) -> ClientConfig:
        return self.dx.settings

    @property
    def root(self) -> Path:
        return self.client.root

    @property
    def currency(self) -> str:
        return self.config.currency

    @property
    def analysis_date(self) -> pd.Timestamp:
        return self.dx.analysis_date

    # ---------------------------------------------------------------- handoffs and journey
    @property
    def cases(self) -> pd.DataFrame | None:
        return self.dx.handoffs.cases

    @property
    def linked(self) -> pd.DataFrame | None:
        return self.dx.handoffs.linked

    @property
    def matrix(self) -> pd.DataFrame | None:
        return self.dx.handoffs.matrix

    @property
    def nps_slope(self) -> pd.Series | None:
        """NPS points per extra handoff with its interval (the row of ``nps_per_extra_handoff``)."""
        return self.dx.handoffs.nps_slope

    @property
    def worst_handoffs(self) -> pd.DataFrame | None:
        """The worst handoffs by waiting time and by NPS, with ``nps_change`` (negative = worse)."""
        return self.dx.handoffs.worst

    @property
    def top_handoff(self) -> TopHandoff | None:
        return self.dx.handoffs.top

    # ---------------------------------------------------------------- segments
    @property
    def segmented(self) -> pd.DataFrame | None:
        return self.dx.segments.table

    # ---------------------------------------------------------------- comments
    @property
    def comments(self) -> pd.DataFrame | None:
        return self.dx.comments.analysed

    @property
    def comment_themes(self) -> pd.DataFrame | None:
        """Per theme: mentions, sentiment, NPS of the mentioners, with ``label`` in the report language."""
        themes = self.dx.comments.themes
        if themes is None or self.lang == self.dx.settings.language:
            return themes
        return themes.assign(label=[theme_label(str(key), self.lang) for key in themes["theme"]])

    # ---------------------------------------------------------------- survey indicators
    @property
    def responses(self) -> pd.DataFrame | None:
        """Survey responses with the customer's name, industry, region, segment and value segment."""
        return self.dx.indicators.responses

    @property
    def indicator_summary(self) -> pd.DataFrame | None:
        return self.dx.indicators.summary

    @property
    def survey_figures(self) -> Mapping[str, Any]:
        """The headline survey figures (response rates, pressure, barometer drop …), keyed as findings."""
        return self.dx.indicators.survey_findings

    @property
    def key_drivers(self) -> pd.DataFrame | None:
        """Key drivers of hot NPS: handoffs, departments, touchpoints and comment themes."""
        return self.dx.indicators.key_drivers

    @property
    def action_lists(self) -> dict[str, pd.DataFrame] | None:
        """The call-back (ultra-detractors) and testimonial (ultra-promoters) lists."""
        lists = self.dx.indicators.action_lists
        if lists is None:
            return None
        return {"ultra_detractors": lists.ultra_detractors, "ultra_promoters": lists.ultra_promoters}

    # ---------------------------------------------------------------- findings and recommendations
    @property
    def findings(self) -> Findings:
        return self.dx.findings

    @property
    def review(self) -> AppliedOverrides:
        """Every generated recommendation with the consultant's decision (``recommendations.yaml``)."""
        return self.dx.recommendations

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
    ctx = ReportContext(client, lang or None, static_charts, dx=Diagnosis(client))
    use_report_renderer(static=static_charts, lang=ctx.lang, branding=client.config.branding)
    return ctx
