"""Charts of the comment analysis (Altair; input = the tables of :mod:`cxlab.text`).

theme_sentiment_chart(summary, lang="en")                  # theme × polarity stacked bars (counts)
theme_trend_chart(trend, metric="mentions", lang="en")     # one line per theme over the periods
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..config import TextSettings
from ..errors import AnalysisError
from ..text.themes import taxonomy
from ._inputs import need_columns as _need
from ._labels import chart_label
from .encoding import typed_channels
from .theme import PALETTE, POLARITY_COLOURS

LABELS: dict[str, str] = {
    "theme": "Theme",
    "comments": "Comments",
    "polarity": "Sentiment",
    "negative": "Negative",
    "neutral": "Neutral",
    "positive": "Positive",
    "no_signal": "No signal",
    "mentions": "Mentions",
    "share": "Share of comments",
    "mean_sentiment": "Mean sentiment (−1…1)",
    "negative_share": "Share of negative comments",
    "nps": "NPS of those who mention it",
    "period": "Period",
    "sentiment_title": "What customers talk about, and how",
    "trend_title": "Themes over time",
}
POLARITY_ORDER = ["negative", "neutral", "positive", "no_signal"]
#: comments with no sentiment word: shown apart from neutral, in a pale grey
NO_SIGNAL_COLOUR = "#d9dde0"


def _t(key: str, lang: str) -> str:
    return chart_label(LABELS, key, lang)


def theme_sentiment_chart(summary: pd.DataFrame, lang: str = "en", title: str | None = None) -> alt.Chart:
    """Horizontal bars per theme, split by polarity (negative / neutral / positive comment counts),
    themes in the order of :func:`cxlab.text.theme_summary` (most negative comments first)."""
    _need(summary, ["theme", "label", "negative", "neutral", "positive", "mentions"], "theme_summary")
    data = summary[summary["mentions"] > 0]
    order = list(data["label"])
    shown = [p for p in POLARITY_ORDER if p in data.columns and (p != "no_signal" or data[p].sum() > 0)]
    colours = {**POLARITY_COLOURS, "no_signal": NO_SIGNAL_COLOUR}
    long = data.melt(
        id_vars=["label", "mentions"] + [c for c in ("mean_sentiment", "nps") if c in data.columns],
        value_vars=shown,
        var_name="polarity",
        value_name="comments",
    )
    long["polarity_label"] = [_t(p, lang) for p in long["polarity"]]
    long["polarity_order"] = long["polarity"].map({p: i for i, p in enumerate(shown)})
    tooltip = [
        alt.Tooltip("label:N", title=_t("theme", lang)),
        alt.Tooltip("polarity_label:N", title=_t("polarity", lang)),
        alt.Tooltip("comments:Q", title=_t("comments", lang), format=",.0f"),
        alt.Tooltip("mentions:Q", title=_t("mentions", lang), format=",.0f"),
    ]
    if "mean_sentiment" in long.columns:
        tooltip.append(alt.Tooltip("mean_sentiment:Q", title=_t("mean_sentiment", lang), format=".2f"))
    if "nps" in long.columns:
        tooltip.append(alt.Tooltip("nps:Q", title=_t("nps", lang), format=".0f"))
    return (
        alt.Chart(long, title=title or _t("sentiment_title", lang))
        .mark_bar()
        .encode(
            **typed_channels(
                y=alt.Y("label:N", title=_t("theme", lang), sort=order),
                x=alt.X("comments:Q", title=_t("comments", lang), stack="zero"),
                color=alt.Color(
                    "polarity_label:N",
                    title=_t("polarity", lang),
                    scale=alt.Scale(
                        domain=[_t(p, lang) for p in shown],
                        range=[colours[p] for p in shown],
                    ),
                    sort=[_t(p, lang) for p in shown],
                ),
                order=alt.Order("polarity_order:Q"),
                tooltip=tooltip,
            )
        )
    )


def theme_trend_chart(
    trend: pd.DataFrame,
    metric: str = "mentions",
    lang: str = "en",
    themes: list[str] | None = None,
    settings: TextSettings | None = None,
    title: str | None = None,
) -> alt.Chart:
    """Lines per theme over the periods of :func:`cxlab.text.theme_trend`; ``metric`` is one of
    mentions, share, mean_sentiment, negative_share, nps; ``themes`` limits the lines."""
    if metric not in {"mentions", "share", "mean_sentiment", "negative_share", "nps"}:
        raise AnalysisError(
            "metric one of mentions, share, mean_sentiment, negative_share, nps", found=repr(metric)
        )
    _need(trend, ["period", "theme", metric], "theme_trend")
    data = trend if themes is None else trend[trend["theme"].isin(themes)]
    tax = taxonomy(settings)
    data = data.assign(label=[tax[k].label(lang) if k in tax else k for k in data["theme"]])
    data = data.drop(columns=["theme"])  # the display label only: no raw theme key in the spec
    fmt = {"share": ".0%", "negative_share": ".0%", "mean_sentiment": ".2f"}.get(metric, ",.0f")
    return (
        alt.Chart(data, title=title or _t("trend_title", lang))
        .mark_line(point=True)
        .encode(
            **typed_channels(
                x=alt.X("period:T", title=_t("period", lang)),
                y=alt.Y(f"{metric}:Q", title=_t(metric, lang), axis=alt.Axis(format=fmt)),
                color=alt.Color("label:N", title=_t("theme", lang), scale=alt.Scale(range=PALETTE)),
                tooltip=[
                    alt.Tooltip("label:N", title=_t("theme", lang)),
                    alt.Tooltip("period:T", title=_t("period", lang), format="%Y-%m"),
                    alt.Tooltip(f"{metric}:Q", title=_t(metric, lang), format=fmt),
                ],
            )
        )
    )
