"""Charts of the customer journey (Altair; input = the tables of :mod:`cxlab.journey`).

journey_map_chart(stages, lang="en")        # emotional line (NPS per stage with intervals) over volume bars
arrival_channels_chart(channels, lang="en") # channel mix of arrival with NPS per channel
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..errors import AnalysisError
from ..journey import OTHER_STAGE_ATTR
from ._labels import chart_label
from .encoding import typed_channels
from .theme import POLARITY_COLOURS

LABELS: dict[str, str] = {
    "title": "Customer journey: volume, time and satisfaction by stage",
    "stage": "Stage",
    "cases": "Cases",
    "share_of_cases": "Share of cases",
    "median_dwell_h": "Median time in stage (h)",
    "median_reached_after_h": "Reached after (median h)",
    "nps": "NPS",
    "emotion": "NPS vs overall",
    "nps_low": "Lower bound",
    "nps_high": "Upper bound",
    "n_nps": "Responses",
    "chasers": "Customer chasers",
    "mood": "Satisfaction",
    "above": "above overall NPS",
    "below": "below overall NPS",
    "channel": "Channel of first contact",
    "share": "Share of cases",
    "channels_title": "How customers arrive",
    "median_lead_time_h": "Median lead time (h)",
    "other_stages": "Other stages",
}

#: the journey map shows at most this many stages (those most cases reach) plus one "other" group
TOP_STAGES = 12


def group_stages(stages: pd.DataFrame, top: int, other: str) -> pd.DataFrame:
    """:func:`cxlab.journey.journey_map` output with the ``top`` stages most cases reach, in journey order,
    and one last ``other`` row for the rest: its events, chasers and contacts add up, its cases are the
    visits to those stages (a case may reach several), and its times and NPS are unknown (NaN)."""
    if len(stages) <= top or stages.attrs.get(OTHER_STAGE_ATTR):  # few, or grouped by the analysis
        return stages
    keep = stages.sort_values("cases", ascending=False, kind="stable").head(top).sort_values("order")
    rest = stages.drop(index=keep.index)
    row: dict[str, object] = {c: float("nan") for c in stages.columns}
    row.update(stage=other, order=int(stages["order"].max()) + 1)
    for c in ("cases", "events", "contacts", "chasers", "share_of_cases"):
        if c in stages.columns:
            row[c] = rest[c].sum()
    if "small_n" in stages.columns:
        row["small_n"] = True
    out = pd.concat([keep, pd.DataFrame([row])], ignore_index=True)
    out["order"] = range(len(out))
    return out


def other_stages_label(lang: str = "en") -> str:
    """The name of the grouped stage ("Other stages"), in ``lang``: for ``journey_map(top=..., other=...)``."""
    return _t("other_stages", lang)


def _t(key: str, lang: str) -> str:
    return chart_label(LABELS, key, lang)


def journey_map_chart(
    stages: pd.DataFrame, lang: str = "en", title: str | None = None, top: int | None = TOP_STAGES
) -> alt.VConcatChart:
    """The journey map from :func:`cxlab.journey.journey_map`: on top the *emotional line* (NPS of the
    cases that went through each stage, with interval bars; points coloured by whether the stage is
    above or below the overall NPS), below the volume of cases per stage with the median time spent.
    With ``top``, the stages most cases reach are drawn and the others grouped (:func:`group_stages`)."""
    if "stage" not in stages.columns or "order" not in stages.columns:
        raise AnalysisError("the output of journey_map", column="stage", found="no such column")
    data = stages.copy() if top is None else group_stages(stages, top, _t("other_stages", lang))
    data = data.copy()
    order = list(data.sort_values("order")["stage"].astype(str))
    x = alt.X("stage:N", sort=order, title=_t("stage", lang), axis=alt.Axis(labelAngle=-30))
    tooltip = [
        alt.Tooltip("stage:N", title=_t("stage", lang)),
        alt.Tooltip("cases:Q", title=_t("cases", lang), format=","),
    ]
    for col, fmt in (
        ("median_dwell_h", ",.1f"),
        ("median_reached_after_h", ",.1f"),
        ("chasers", ","),
        ("nps", ".0f"),
        ("n_nps", ","),
    ):
        if col in data.columns:
            tooltip.append(alt.Tooltip(f"{col}:Q", title=_t(col, lang), format=fmt))
    volume = (
        alt.Chart(data)
        .mark_bar(opacity=0.8)  # the brand colour, from the theme
        .encode(**typed_channels(x=x, y=alt.Y("cases:Q", title=_t("cases", lang)), tooltip=tooltip))
        .properties(width=480, height=120)
    )
    dwell = (
        alt.Chart(data)
        .mark_text(dy=-6, fontSize=10, color="#333")
        .encode(**typed_channels(x=x, y=alt.Y("cases:Q"), text=alt.Text("median_dwell_h:Q", format=",.0f")))
    )
    bottom = volume + dwell
    if "nps" not in data.columns:
        return alt.vconcat(bottom).properties(title=title or _t("title", lang))
    above, below = _t("above", lang), _t("below", lang)
    data["mood"] = (data["emotion"] >= 0).map({True: above, False: below})
    colour = alt.Color(
        "mood:N",
        scale=alt.Scale(
            domain=[above, below],
            range=[POLARITY_COLOURS["positive"], POLARITY_COLOURS["negative"]],
        ),
        title=_t("mood", lang),
    )
    line = (
        alt.Chart(data)
        .mark_line(color="#555", strokeDash=[2, 2])
        .encode(**typed_channels(x=x, y=alt.Y("nps:Q", title=_t("nps", lang))))
    )
    interval = (
        alt.Chart(data)
        .mark_rule(strokeWidth=2, opacity=0.6)
        .encode(**typed_channels(x=x, y="nps_low:Q", y2="nps_high:Q", color=colour))
    )
    # hollow points: stages with few responses (small_n), so their NPS is read with care
    fill = (
        alt.condition("datum.small_n", alt.value(0.0), alt.value(1.0))
        if "small_n" in data.columns
        else alt.value(1.0)
    )
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=120, strokeWidth=2)
        .encode(**typed_channels(x=x, y="nps:Q", color=colour, fillOpacity=fill, tooltip=tooltip))
    )
    overall = (
        float((data["nps"] - data["emotion"]).dropna().iloc[0]) if data["emotion"].notna().any() else 0.0
    )
    baseline = (
        alt.Chart(pd.DataFrame({"overall": [overall]}))
        .mark_rule(color="#999", strokeDash=[4, 4])
        .encode(**typed_channels(y="overall:Q"))
    )
    upper = alt.LayerChart(layer=[baseline, line, interval, points]).properties(width=480, height=200)
    return alt.vconcat(upper, bottom).properties(title=title or _t("title", lang))


def arrival_channels_chart(
    channels: pd.DataFrame, lang: str = "en", title: str | None = None
) -> alt.LayerChart:
    """Channel mix of arrival from :func:`cxlab.journey.arrival_channels`: bars of the share of cases,
    labelled with the NPS of each channel when responses were linked."""
    if "channel" not in channels.columns:
        raise AnalysisError("the output of arrival_channels", column="channel", found="no such column")
    data = channels.copy()
    tooltip = [
        alt.Tooltip("channel:N", title=_t("channel", lang)),
        alt.Tooltip("cases:Q", title=_t("cases", lang), format=","),
        alt.Tooltip("share:Q", title=_t("share", lang), format=".0%"),
        alt.Tooltip("median_lead_time_h:Q", title=_t("median_lead_time_h", lang), format=",.1f"),
    ]
    if "nps" in data.columns:
        tooltip.append(alt.Tooltip("nps:Q", title=_t("nps", lang), format=".0f"))
    y = alt.Y("channel:N", sort="-x", title=_t("channel", lang))
    bars = (
        alt.Chart(data)
        .mark_bar()  # the brand colour, from the theme
        .encode(
            **typed_channels(
                x=alt.X("share:Q", axis=alt.Axis(format="%"), title=_t("share", lang)), y=y, tooltip=tooltip
            )
        )
    )
    layers = [bars]
    if "nps" in data.columns:
        data["nps_label"] = "NPS " + data["nps"].round(0).astype("Int64").astype(str).replace("<NA>", "–")
        layers.append(
            alt.Chart(data)
            .mark_text(align="left", dx=4, fontSize=10)
            .encode(**typed_channels(x="share:Q", y=y, text="nps_label:N"))
        )
    return alt.LayerChart(layer=[*layers]).properties(title=title or _t("channels_title", lang), width=360)
