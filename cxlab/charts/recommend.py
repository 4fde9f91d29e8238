"""Recommendation charts: the priority matrix (impact × urgency) and the ranked priority bars."""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd

from ..i18n import translate
from ..recommend import Recommendation, recommendations_frame
from .theme import PALETTE

_L = {
    "impact": {"it": "Impatto (1–5)", "en": "Impact (1–5)"},
    "urgency": {"it": "Urgenza (1–5)", "en": "Urgency (1–5)"},
    "priority": {"it": "Priorità (impatto × urgenza)", "en": "Priority (impact × urgency)"},
    "effort": {"it": "Impegno", "en": "Effort"},
    "owner": {"it": "Responsabile", "en": "Owner"},
    "title": {"it": "Raccomandazione", "en": "Recommendation"},
    "matrix_title": {"it": "Dove agire prima", "en": "Where to act first"},
    "bars_title": {"it": "Raccomandazioni per priorità", "en": "Recommendations by priority"},
    "low": {"it": "basso", "en": "low"},
    "medium": {"it": "medio", "en": "medium"},
    "high": {"it": "alto", "en": "high"},
}


def _t(key: str, lang: str) -> str:
    return translate(_L, key, lang)


def _frame(recs: Iterable[Recommendation], lang: str) -> pd.DataFrame:
    frame = recommendations_frame(recs, lang)
    frame["effort_label"] = [_t(e, lang) for e in frame["effort"]]
    return frame


def priority_matrix(recs: Iterable[Recommendation], lang: str = "en") -> alt.LayerChart:
    """Impact × urgency scatter (custom recommendations without them are left out), with the
    quadrant lines at 3; colour = effort, hover for the title, owner and priority."""
    data = _frame(recs, lang).dropna(subset=["impact", "urgency"])
    efforts = [_t(e, lang) for e in ("low", "medium", "high")]
    points = (
        alt.Chart(data)
        .mark_circle(size=160, opacity=0.85)
        .encode(
            x=alt.X("urgency:Q", title=_t("urgency", lang), scale=alt.Scale(domain=[1, 5])),
            y=alt.Y("impact:Q", title=_t("impact", lang), scale=alt.Scale(domain=[1, 5])),
            color=alt.Color(
                "effort_label:N",
                title=_t("effort", lang),
                scale=alt.Scale(domain=efforts, range=[PALETTE[2], PALETTE[0], PALETTE[1]]),
            ),
            tooltip=[
                alt.Tooltip("title:N", title=_t("title", lang)),
                alt.Tooltip("owner:N", title=_t("owner", lang)),
                alt.Tooltip("priority:Q", title=_t("priority", lang), format=".1f"),
                alt.Tooltip("effort_label:N", title=_t("effort", lang)),
            ],
        )
    )
    guides = pd.DataFrame({"v": [3.0]})
    vline = alt.Chart(guides).mark_rule(color="#bbb", strokeDash=[4, 4]).encode(x="v:Q")
    hline = alt.Chart(guides).mark_rule(color="#bbb", strokeDash=[4, 4]).encode(y="v:Q")
    return alt.layer(vline, hline, points).properties(title=_t("matrix_title", lang), width=360, height=300)


def priority_bars(recs: Iterable[Recommendation], lang: str = "en", top: int = 12) -> alt.Chart:
    """Horizontal bars of the ``top`` recommendations by priority (1–25), labelled by title."""
    data = _frame(recs, lang).head(top)
    order = list(data["title"])
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("title:N", title=None, sort=order, axis=alt.Axis(labelLimit=360)),
            x=alt.X("priority:Q", title=_t("priority", lang), scale=alt.Scale(domain=[0, 25])),
            color=alt.Color("effort_label:N", title=_t("effort", lang)),
            tooltip=[
                alt.Tooltip("title:N", title=_t("title", lang)),
                alt.Tooltip("owner:N", title=_t("owner", lang)),
                alt.Tooltip("priority:Q", title=_t("priority", lang), format=".1f"),
            ],
        )
        .properties(title=_t("bars_title", lang), width=360, height=alt.Step(22))
    )
