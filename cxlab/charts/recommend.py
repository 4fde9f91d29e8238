"""Recommendation charts: the priority matrix (impact × urgency) and the ranked priority bars."""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd

from ..recommend import Recommendation, recommendations_frame
from ._labels import chart_label
from .encoding import typed_channels
from .theme import PALETTE

_L: dict[str, str] = {
    "impact": "Impact (1–5)",
    "urgency": "Urgency (1–5)",
    "priority": "Priority (impact × urgency)",
    "effort": "Effort",
    "owner": "Owner",
    "title": "Recommendation",
    "matrix_title": "Where to act first",
    "bars_title": "Recommendations by priority",
    "low": "low",
    "medium": "medium",
    "high": "high",
}


def _t(key: str, lang: str) -> str:
    return chart_label(_L, key, lang)


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
            **typed_channels(
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
    )
    guides = pd.DataFrame({"v": [3.0]})
    vline = alt.Chart(guides).mark_rule(color="#bbb", strokeDash=[4, 4]).encode(**typed_channels(x="v:Q"))
    hline = alt.Chart(guides).mark_rule(color="#bbb", strokeDash=[4, 4]).encode(**typed_channels(y="v:Q"))
    return alt.LayerChart(layer=[vline, hline, points]).properties(
        title=_t("matrix_title", lang), width=360, height=300
    )


def priority_bars(recs: Iterable[Recommendation], lang: str = "en", top: int = 12) -> alt.Chart:
    """Horizontal bars of the ``top`` recommendations by priority (1–25), labelled by title."""
    data = _frame(recs, lang).head(top)
    order = list(data["title"])
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            **typed_channels(
                y=alt.Y("title:N", title=None, sort=order, axis=alt.Axis(labelLimit=360)),
                x=alt.X("priority:Q", title=_t("priority", lang), scale=alt.Scale(domain=[0, 25])),
                color=alt.Color("effort_label:N", title=_t("effort", lang)),
                tooltip=[
                    alt.Tooltip("title:N", title=_t("title", lang)),
                    alt.Tooltip("owner:N", title=_t("owner", lang)),
                    alt.Tooltip("priority:Q", title=_t("priority", lang), format=".1f"),
                ],
            )
        )
        .properties(title=_t("bars_title", lang), width=360, height=alt.Step(22))
    )
