"""Charts of the customer value segmentation (Altair; input = the tables of :mod:`cxlab.segments`).

    value_potential_scatter(segmented, lang="en", max_points=5000)   # value × potential, threshold lines
    segment_bars(summary, lang="en")                                  # share of customers vs share of value
    segment_table(summary, lang="en", currency="EUR")                 # formatted summary table (DataFrame)
    movement_heatmap(movement, lang="en", normalise=True)             # transition matrix between two dates
    segment_nps_split_chart(segments, lang="en")                      # promoters / passives / detractors per segment
    segment_touchpoint_heatmap(grid, lang="en")                       # NPS per segment × touchpoint, n shown

Large clients: above ``max_points`` customers the scatter is drawn as bins (on a log scale of both axes)
with circle size = customers per bin and colour = segment, so the spec stays small.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..errors import MissingColumnError
from ..i18n import format_money, format_number, format_percent
from ._heatmap import scored_heatmap
from ._labels import chart_label
from .encoding import typed_channels
from .theme import SEGMENT_COLOURS

SEGMENT_ORDER = ["premium", "potential", "dilemma", "maintain"]
_NEW = "new"

LABELS: dict[str, str] = {
    "scatter_title": "Current value and future potential",
    "value": "Current value (last 12 months)",
    "future_value": "Future potential (next 12 months)",
    "segment": "Segment",
    "customer_id": "Customer",
    "customers": "Customers",
    "prob_alive": "Probability still active",
    "method": "Forecast method",
    "value_threshold": "Value threshold",
    "potential_threshold": "Potential threshold",
    "bars_title": "Segments: customers and value",
    "measure": "Measure",
    "share": "Share",
    "share_customers": "Share of customers",
    "share_of_value": "Share of current value",
    "share_of_future": "Share of future potential",
    "movement_title": "Movement between segments",
    "from_segment": "Segment before",
    "to_segment": "Segment after",
    "share_of_from": "Share of the row",
    "premium": "Premium",
    "potential": "Potential",
    "dilemma": "Dilemma",
    "maintain": "Maintain",
    _NEW: "New",
    "bgnbd_gg": "BG/NBD + Gamma-Gamma",
    "trend": "Trend (short history)",
    # table headers
    "label": "Segment",
    "value_col": "Current value",
    "future_col": "Future potential",
    "nps": "NPS",
    "csat": "CSAT (4–5)",
    "handoffs_per_case": "Handoffs per case",
    "service_level": "Suggested service level",
    "split_title": "NPS by value segment: promoters, passives, detractors",
    "share_of_answers": "Share of answers (%)",
    "answer_group": "Answer",
    "promoters": "Promoters (9–10)",
    "passives": "Passives (7–8)",
    "detractors": "Detractors (0–6)",
    "nps_points": "NPS (points)",
    "answers": "Answers (n)",
    "heatmap_title": "NPS by value segment and touchpoint (faded: fewer answers than the minimum)",
    "touchpoint": "Touchpoint",
    "few_answers": "Few answers",
}


def label(key: str, lang: str) -> str:
    """The chart label ``key`` (a segment, a value model, a column...) in ``lang``; the key when unknown."""
    return chart_label(LABELS, key, lang)


_t = label


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    for col in columns:
        if col not in frame.columns:
            raise MissingColumnError(f"the output of {what}", file=what, column=col, found="no such column")


def _colour_scale(lang: str) -> alt.Scale:
    keys = SEGMENT_ORDER
    return alt.Scale(domain=[_t(k, lang) for k in keys], range=[SEGMENT_COLOURS[k] for k in keys])


def _thresholds(
    segmented: pd.DataFrame, value_threshold: float | None, potential_threshold: float | None
) -> tuple[float | None, float | None]:
    attrs = getattr(segmented, "attrs", {}) or {}
    v = value_threshold if value_threshold is not None else attrs.get("value_threshold")
    p = potential_threshold if potential_threshold is not None else attrs.get("potential_threshold")
    if v is None and "value_high" in segmented and segmented["value_high"].any():
        v = float(segmented.loc[segmented["value_high"], "value"].min())
    if p is None and "potential_high" in segmented and segmented["potential_high"].any():
        p = float(segmented.loc[segmented["potential_high"], "future_value"].min())
    return v, p


def _symlog_constant(values: pd.Series) -> float:
    v = values.to_numpy(float)
    v = v[np.isfinite(v) & (v > 0)]
    return float(max(1.0, np.median(v) / 10)) if len(v) else 1.0


def value_potential_scatter(
    segmented: pd.DataFrame,
    lang: str = "en",
    *,
    value_threshold: float | None = None,
    potential_threshold: float | None = None,
    max_points: int = 5000,
    bins: int = 40,
    title: str | None = None,
) -> alt.LayerChart:
    """Value × potential per customer, coloured by segment, with the two threshold lines.

    Thresholds default to ``segmented.attrs`` (set by :func:`cxlab.segments.segment_customers`). Above
    ``max_points`` customers the points are binned (``bins`` per axis on a log scale) and drawn as circles
    sized by the number of customers.
    """
    _require(segmented, ("customer_id", "value", "future_value", "segment"), "segment_customers")
    v_thr, p_thr = _thresholds(segmented, value_threshold, potential_threshold)
    x_title, y_title = _t("value", lang), _t("future_value", lang)
    colour = alt.Color("segment_label:N", title=_t("segment", lang), scale=_colour_scale(lang))
    seg_label = segmented["segment"].astype(str).map(lambda k: _t(k, lang))
    # symlog keeps zero values visible and spreads the usual long tail of customer value; its linear zone
    # (constant) is a tenth of the typical value, so the axis is not mostly empty space below it
    x_scale = alt.Scale(type="symlog", constant=_symlog_constant(segmented["value"]))
    y_scale = alt.Scale(type="symlog", constant=_symlog_constant(segmented["future_value"]))
    binned = len(segmented) > max_points
    if not binned:
        cols = [c for c in ("customer_id", "value", "future_value", "prob_alive", "method") if c in segmented]
        data = segmented[cols].copy()
        data["customer_id"] = data["customer_id"].astype(str)
        data["segment_label"] = seg_label.to_numpy()
        if "method" in data:
            data["method"] = data["method"].astype(str).map(lambda k: _t(k, lang))
        tooltip = [
            alt.Tooltip("customer_id:N", title=_t("customer_id", lang)),
            alt.Tooltip("segment_label:N", title=_t("segment", lang)),
            alt.Tooltip("value:Q", title=x_title, format=",.0f"),
            alt.Tooltip("future_value:Q", title=y_title, format=",.0f"),
        ]
        if "prob_alive" in data:
            tooltip.append(alt.Tooltip("prob_alive:Q", title=_t("prob_alive", lang), format=".0%"))
        if "method" in data:
            tooltip.append(alt.Tooltip("method:N", title=_t("method", lang)))
        points = (
            alt.Chart(data)
            .mark_circle(size=28, opacity=0.7)
            .encode(
                **typed_channels(
                    x=alt.X("value:Q", title=x_title, scale=x_scale),
                    y=alt.Y("future_value:Q", title=y_title, scale=y_scale),
                    color=colour,
                    tooltip=tooltip,
                )
            )
        )
    else:
        # display binning only (no metric): log1p-spaced bins, one circle per bin and segment
        v = np.log1p(np.clip(segmented["value"].to_numpy(float), 0, None))
        f = np.log1p(np.clip(segmented["future_value"].to_numpy(float), 0, None))
        v_edges = np.linspace(0, max(v.max(), 1e-9), bins + 1)
        f_edges = np.linspace(0, max(f.max(), 1e-9), bins + 1)
        vb = np.clip(np.searchsorted(v_edges, v, side="right") - 1, 0, bins - 1)
        fb = np.clip(np.searchsorted(f_edges, f, side="right") - 1, 0, bins - 1)
        grid = pd.DataFrame({"vb": vb, "fb": fb, "segment_label": seg_label.to_numpy()})
        data = grid.groupby(["vb", "fb", "segment_label"], observed=True).size().reset_index(name="customers")
        data["value"] = np.expm1((v_edges[data["vb"]] + v_edges[data["vb"] + 1]) / 2)
        data["future_value"] = np.expm1((f_edges[data["fb"]] + f_edges[data["fb"] + 1]) / 2)
        data = data.drop(columns=["vb", "fb"])
        points = (
            alt.Chart(data)
            .mark_circle(opacity=0.7)
            .encode(
                **typed_channels(
                    x=alt.X("value:Q", title=x_title, scale=x_scale),
                    y=alt.Y("future_value:Q", title=y_title, scale=y_scale),
                    color=colour,
                    size=alt.Size(
                        "customers:Q", title=_t("customers", lang), scale=alt.Scale(range=[10, 400])
                    ),
                    tooltip=[
                        alt.Tooltip("segment_label:N", title=_t("segment", lang)),
                        alt.Tooltip("customers:Q", title=_t("customers", lang), format=","),
                        alt.Tooltip("value:Q", title=x_title, format=",.0f"),
                        alt.Tooltip("future_value:Q", title=y_title, format=",.0f"),
                    ],
                )
            )
        )
    layers: list[alt.Chart] = [points]
    if v_thr is not None and np.isfinite(v_thr):
        layers.append(
            alt.Chart(pd.DataFrame({"value": [float(v_thr)], "what": [_t("value_threshold", lang)]}))
            .mark_rule(strokeDash=[4, 4], color="#555")
            .encode(
                **typed_channels(
                    x="value:Q",
                    tooltip=[alt.Tooltip("what:N", title=""), alt.Tooltip("value:Q", format=",.0f")],
                )
            )
        )
    if p_thr is not None and np.isfinite(p_thr):
        layers.append(
            alt.Chart(
                pd.DataFrame({"future_value": [float(p_thr)], "what": [_t("potential_threshold", lang)]})
            )
            .mark_rule(strokeDash=[4, 4], color="#555")
            .encode(
                **typed_channels(
                    y="future_value:Q",
                    tooltip=[alt.Tooltip("what:N", title=""), alt.Tooltip("future_value:Q", format=",.0f")],
                )
            )
        )
    return alt.LayerChart(layer=[*layers]).properties(
        title=title or _t("scatter_title", lang), width=420, height=320
    )


def segment_bars(summary: pd.DataFrame, lang: str = "en", *, title: str | None = None) -> alt.Chart:
    """Grouped bars per segment: share of customers, of current value and of future potential."""
    _require(summary, ("segment", "customers", "share_customers", "share_of_value"), "segment_summary")
    measures = [m for m in ("share_customers", "share_of_value", "share_of_future") if m in summary]
    long = summary.melt(
        id_vars=["segment", "customers"], value_vars=measures, var_name="measure", value_name="share"
    )
    long["segment_label"] = long["segment"].astype(str).map(lambda k: _t(k, lang))
    long["measure_label"] = long["measure"].map(lambda k: _t(k, lang))
    long = long[["segment_label", "measure_label", "share", "customers"]]
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            **typed_channels(
                x=alt.X(
                    "segment_label:N",
                    title=_t("segment", lang),
                    sort=[_t(k, lang) for k in SEGMENT_ORDER],
                    axis=alt.Axis(labelAngle=0),
                ),
                xOffset=alt.XOffset("measure_label:N", sort=[_t(m, lang) for m in measures]),
                y=alt.Y("share:Q", title=_t("share", lang), axis=alt.Axis(format="%")),
                color=alt.Color(
                    "measure_label:N",
                    title=_t("measure", lang),
                    sort=[_t(m, lang) for m in measures],
                    scale=alt.Scale(range=["#95a5a6", "#1f4e79", "#2a9d8f"]),
                ),
                tooltip=[
                    alt.Tooltip("segment_label:N", title=_t("segment", lang)),
                    alt.Tooltip("measure_label:N", title=_t("measure", lang)),
                    alt.Tooltip("share:Q", title=_t("share", lang), format=".1%"),
                    alt.Tooltip("customers:Q", title=_t("customers", lang), format=","),
                ],
            )
        )
        .properties(title=title or _t("bars_title", lang), width=420, height=260)
    )


def segment_table(summary: pd.DataFrame, lang: str = "en", currency: str = "EUR") -> pd.DataFrame:
    """The segment summary as a presentation table: localised headers and formatted numbers (strings)."""
    _require(
        summary, ("segment", "customers", "share_customers", "value", "share_of_value"), "segment_summary"
    )
    rows: dict[str, list[str]] = {
        _t("label", lang): [_t(str(k), lang) for k in summary["segment"]],
        _t("customers", lang): [format_number(v, lang) for v in summary["customers"]],
        _t("share_customers", lang): [format_percent(v, lang) for v in summary["share_customers"]],
        _t("value_col", lang): [format_money(v, lang, currency) for v in summary["value"]],
        _t("share_of_value", lang): [format_percent(v, lang) for v in summary["share_of_value"]],
    }
    if "future_value" in summary:
        rows[_t("future_col", lang)] = [format_money(v, lang, currency) for v in summary["future_value"]]
    if "nps" in summary:
        rows[_t("nps", lang)] = [format_number(v, lang, 1) for v in summary["nps"]]
    if "csat" in summary:
        rows[_t("csat", lang)] = [format_percent(v, lang) for v in summary["csat"]]
    if "handoffs_per_case" in summary:
        rows[_t("handoffs_per_case", lang)] = [
            format_number(v, lang, 2) for v in summary["handoffs_per_case"]
        ]
    if "service_level" in summary:
        rows[_t("service_level", lang)] = list(summary["service_level"])
    return pd.DataFrame(rows)


def movement_heatmap(
    movement: pd.DataFrame, lang: str = "en", *, normalise: bool = True, title: str | None = None
) -> alt.LayerChart:
    """The transition matrix between two analysis dates: before (rows) × after (columns), numbers on cells."""
    _require(movement, ("from_segment", "to_segment", "customers", "share_of_from"), "segment_movement")
    data = movement[["from_segment", "to_segment", "customers", "share_of_from"]].copy()
    data["from_label"] = data["from_segment"].astype(str).map(lambda k: _t(k, lang))
    data["to_label"] = data["to_segment"].astype(str).map(lambda k: _t(k, lang))
    data["share_of_from"] = data["share_of_from"].fillna(0.0)
    data = data[["from_label", "to_label", "customers", "share_of_from"]]
    value = "share_of_from" if normalise else "customers"
    rows = [_t(k, lang) for k in [*SEGMENT_ORDER, _NEW]]
    cols = [_t(k, lang) for k in SEGMENT_ORDER]
    base = alt.Chart(data).encode(
        **typed_channels(
            x=alt.X("to_label:N", title=_t("to_segment", lang), sort=cols, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("from_label:N", title=_t("from_segment", lang), sort=rows),
        )
    )
    fmt = ".0%" if normalise else ","
    heat = base.mark_rect().encode(
        **typed_channels(
            color=alt.Color(f"{value}:Q", title=_t(value, lang), scale=alt.Scale(scheme="blues")),
            tooltip=[
                alt.Tooltip("from_label:N", title=_t("from_segment", lang)),
                alt.Tooltip("to_label:N", title=_t("to_segment", lang)),
                alt.Tooltip("customers:Q", title=_t("customers", lang), format=","),
                alt.Tooltip("share_of_from:Q", title=_t("share_of_from", lang), format=".0%"),
            ],
        )
    )
    # white numbers on the dark cells
    dark = alt.datum[value] > (0.5 if normalise else float(data["customers"].max()) / 2)
    text = base.mark_text(fontSize=11).encode(
        **typed_channels(
            text=alt.Text(f"{value}:Q", format=fmt),
            color=alt.condition(dark, alt.value("white"), alt.value("#222")),
        )
    )
    return alt.LayerChart(layer=[heat, text]).properties(
        title=title or _t("movement_title", lang), width=300, height=260
    )


_SPLIT = (
    ("share_promoters", "promoters", "#1a7f37"),
    ("share_passives", "passives", "#b0b5bb"),
    ("share_detractors", "detractors", "#b42318"),
)


def _segment_order(values: pd.Series) -> list[str]:
    present = [str(v) for v in values]
    return [k for k in [*SEGMENT_ORDER, _NEW] if k in present] + [
        v for v in present if v not in SEGMENT_ORDER + [_NEW]
    ]


def segment_nps_split_chart(segments: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """Stacked bars per value segment: the shares of promoters, passives and detractors (100 %), with the
    NPS and n written after each bar. Takes ``cxlab.insights.value_satisfaction(dx).segments``."""
    _require(segments, ("value_segment", "n", "score", *(c for c, _, _ in _SPLIT)), "value_satisfaction")
    order = [_t(k, lang) for k in _segment_order(segments["value_segment"])]
    rows = []
    for rec in segments.itertuples(index=False):
        for column, key, _ in _SPLIT:
            rows.append(
                {
                    "segment_label": _t(str(rec.value_segment), lang),
                    "answer": _t(key, lang),
                    "share": float(getattr(rec, column)),
                    "order": [c for c, _, _ in _SPLIT].index(column),
                }
            )
    long = pd.DataFrame(rows)
    y = alt.Y("segment_label:N", title=_t("segment", lang), sort=order)
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            **typed_channels(
                y=y,
                x=alt.X(
                    "share:Q",
                    title=_t("share_of_answers", lang),
                    axis=alt.Axis(format=".0%"),
                    scale=alt.Scale(domain=[0, 1]),
                ),
                color=alt.Color(
                    "answer:N",
                    title=_t("answer_group", lang),
                    scale=alt.Scale(
                        domain=[_t(k, lang) for _, k, _ in _SPLIT], range=[c for _, _, c in _SPLIT]
                    ),
                ),
                order=alt.Order("order:Q"),
                tooltip=[
                    alt.Tooltip("segment_label:N", title=_t("segment", lang)),
                    alt.Tooltip("answer:N", title=_t("answer_group", lang)),
                    alt.Tooltip("share:Q", title=_t("share_of_answers", lang), format=".0%"),
                ],
            )
        )
    )
    text_data = segments.assign(
        segment_label=[_t(str(v), lang) for v in segments["value_segment"]],
        note=[
            f"NPS {format_number(v, lang, 0)} · n = {format_number(n, lang, 0)}"
            for v, n in zip(segments["score"], segments["n"], strict=True)
        ],
        at=1.0,
    )[["segment_label", "note", "at"]]
    notes = (
        alt.Chart(text_data)
        .mark_text(align="left", dx=6, fontSize=11, color="#333")
        .encode(**typed_channels(y=y, x=alt.X("at:Q", scale=alt.Scale(domain=[0, 1])), text="note:N"))
    )
    return alt.LayerChart(layer=[bars, notes]).properties(
        title=_t("split_title", lang), width=330, height=alt.Step(30)
    )


def segment_touchpoint_heatmap(grid: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """NPS per value segment × touchpoint: a cell coloured from red (−100) to green (+100) with the NPS
    and n written in it; cells below the minimum n drawn faded. Takes
    ``cxlab.insights.value_satisfaction(dx).by_touchpoint``."""
    from .indicators import value_label  # cxlab's touchpoint codes as the chart shows them

    _require(grid, ("value_segment", "touchpoint", "n", "score", "small_n"), "value_satisfaction")
    data = grid.copy()
    data["segment_label"] = [_t(str(v), lang) for v in data["value_segment"]]
    data["touchpoint_label"] = [value_label("touchpoint", v, lang) for v in data["touchpoint"]]
    data["small"] = data["small_n"].astype(bool)
    data["cell"] = [
        f"{format_number(v, lang, 0)} (n={format_number(n, lang, 0)})"
        for v, n in zip(data["score"], data["n"], strict=True)
    ]
    order = [_t(k, lang) for k in _segment_order(data["value_segment"].drop_duplicates())]
    data = data.drop(columns=["value_segment", "touchpoint", "small_n"])  # keys: the chart shows labels
    x = alt.X("touchpoint_label:N", title=_t("touchpoint", lang), axis=alt.Axis(labelAngle=0, orient="top"))
    y = alt.Y("segment_label:N", title=_t("segment", lang), sort=order)
    return scored_heatmap(
        data,
        x,
        y,
        score_title=_t("nps_points", lang),
        domain=[-100, 0, 100],
        tooltip=[
            alt.Tooltip("segment_label:N", title=_t("segment", lang)),
            alt.Tooltip("touchpoint_label:N", title=_t("touchpoint", lang)),
            alt.Tooltip("score:Q", title=_t("nps_points", lang), format=".0f"),
            alt.Tooltip("n:Q", title=_t("answers", lang)),
        ],
        text="cell:N",
        opacity=alt.condition("datum.small", alt.value(0.35), alt.value(1.0)),
    ).properties(title=_t("heatmap_title", lang), width=alt.Step(130), height=alt.Step(32))
