"""Culture charts: department × pillar heatmap (and dot chart), self vs others dumbbell (Italian / English
labels)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..i18n import translate
from ..questionnaire import PILLARS
from ._heatmap import scored_heatmap
from ._labels import chart_label
from .encoding import typed_channels
from .theme import PALETTE

_L: dict[str, str] = {
    "score": "Score (1–5)",
    "pillar": "Pillar",
    "department": "Department",
    "respondents": "Respondents",
    "dots_title": "Customer culture by department and pillar",
    "svo_title": "How each department sees itself and how the others see it",
    "self_score": "Self-rating",
    "by_others": "Rated by others",
    "of_others": "Rates the others",
    "rating": "Rating",
    "gap": "Gap",
    "heatmap_title": "Customer culture: each department's score on each pillar (1–5)",
}


def _t(key: str, lang: str) -> str:
    return chart_label(_L, key, lang)


def culture_dot_chart(scores: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """One row per pillar: a dot per department (score 1–5) and a grey bar from lowest to highest,
    so the spread between departments reads at a glance. Takes :func:`cxlab.culture.pillar_scores`."""
    data = scores.copy()
    data["pillar_label"] = [translate(PILLARS, p, lang) for p in data["pillar"]]
    data["department"] = data["department"].astype(str)
    order = [translate(PILLARS, p, lang) for p in PILLARS]
    departments = sorted(data["department"].unique())
    y = alt.Y("pillar_label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    span = (
        alt.Chart(data)
        .mark_rule(color="#c8ccd2", strokeWidth=8, strokeCap="round")
        .encode(
            **typed_channels(y=y, x=alt.X("min(score):Q", scale=alt.Scale(domain=[1, 5])), x2="max(score):Q")
        )
    )
    dots = (
        alt.Chart(data)
        .mark_circle(size=110, opacity=0.9)
        .encode(
            **typed_channels(
                y=y,
                x=alt.X("score:Q", title=_t("score", lang), scale=alt.Scale(domain=[1, 5])),
                color=alt.Color(
                    "department:N",
                    title=_t("department", lang),
                    scale=alt.Scale(domain=departments, range=(PALETTE * 4)[: len(departments)]),
                ),
                tooltip=[
                    alt.Tooltip("department:N", title=_t("department", lang)),
                    alt.Tooltip("pillar_label:N", title=_t("pillar", lang)),
                    alt.Tooltip("score:Q", title=_t("score", lang), format=".2f"),
                    alt.Tooltip("n_respondents:Q", title=_t("respondents", lang)),
                ],
            )
        )
    )
    return alt.LayerChart(layer=[span, dots]).properties(title=_t("dots_title", lang), width=460, height=180)


def culture_heatmap(scores: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """Department × pillar heatmap of the workshop scores (1–5): a cell per department and pillar,
    coloured from red (1) through neutral (3) to green (5), with the score written in it; departments
    (columns) ordered from the lowest to the highest mean, pillars as rows. Takes :func:`cxlab.culture.pillar_scores`."""
    data = scores.copy()
    data["pillar_label"] = [translate(PILLARS, p, lang) for p in data["pillar"]]
    data["department"] = data["department"].astype(str)
    order = [translate(PILLARS, p, lang) for p in PILLARS if p in set(data["pillar"])]
    departments = list(data.groupby("department")["score"].mean().sort_values().index)
    data = data.drop(columns=["pillar"])  # the key; the chart shows pillar_label
    # pillars (long names) as rows, departments (short) as columns, lowest-scoring department first
    y = alt.Y("pillar_label:N", title=None, sort=order, axis=alt.Axis(labelLimit=230))
    x = alt.X(
        "department:N",
        title=_t("department", lang),
        sort=departments,
        axis=alt.Axis(labelAngle=-35, labelLimit=120, orient="top"),
    )
    return scored_heatmap(
        data,
        x,
        y,
        score_title=_t("score", lang),
        domain=[1, 3, 5],
        tooltip=[
            alt.Tooltip("department:N", title=_t("department", lang)),
            alt.Tooltip("pillar_label:N", title=_t("pillar", lang)),
            alt.Tooltip("score:Q", title=_t("score", lang), format=".2f"),
            alt.Tooltip("n_respondents:Q", title=_t("respondents", lang)),
        ],
        text=alt.Text("score:Q", format=".1f"),
    ).properties(title=_t("heatmap_title", lang), width=alt.Step(46), height=alt.Step(30))


def self_vs_others_chart(svo: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """Dumbbell: per department the self-rating, the rating by the others and (when known) the rating it
    gives the others, joined by a line. Takes :func:`cxlab.culture.self_vs_others`."""
    data = svo.copy()
    data["department"] = data["department"].astype(str)
    long = data.melt(
        id_vars=["department"],
        value_vars=["self_score", "by_others", "of_others"],
        var_name="measure",
        value_name="value",
    ).dropna(subset=["value"])
    long["measure_label"] = [_t(m, lang) for m in long["measure"]]
    long = long.drop(columns=["measure"])  # the key; the chart shows measure_label
    order = list(data.sort_values("gap", ascending=False)["department"])
    labels = [_t(m, lang) for m in ("self_score", "by_others", "of_others")]
    y = alt.Y("department:N", title=None, sort=order)
    line = (
        alt.Chart(long)
        .mark_rule(color="#b0b5bb", strokeWidth=2)
        .encode(
            **typed_channels(y=y, x=alt.X("min(value):Q", scale=alt.Scale(domain=[1, 5])), x2="max(value):Q")
        )
    )
    points = (
        alt.Chart(long)
        .mark_point(size=120, filled=True, opacity=1)
        .encode(
            **typed_channels(
                y=y,
                x=alt.X("value:Q", title=_t("score", lang), scale=alt.Scale(domain=[1, 5])),
                color=alt.Color(
                    "measure_label:N",
                    title=_t("rating", lang),
                    scale=alt.Scale(domain=labels, range=[PALETTE[0], PALETTE[1], PALETTE[5]]),
                ),
                shape=alt.Shape("measure_label:N", title=_t("rating", lang), scale=alt.Scale(domain=labels)),
                tooltip=[
                    alt.Tooltip("department:N", title=_t("department", lang)),
                    alt.Tooltip("measure_label:N", title=_t("rating", lang)),
                    alt.Tooltip("value:Q", title=_t("score", lang), format=".2f"),
                ],
            )
        )
    )
    return alt.LayerChart(layer=[line, points]).properties(
        title=_t("svo_title", lang), width=460, height=alt.Step(26)
    )
