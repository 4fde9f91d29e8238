"""Charts of the survey indicators (Altair; input = the tables of :mod:`cxlab.indicators`).

    indicator_chart(table, indicator=None, lang="en")      # score bars per group with interval rules and n
    barometer_chart(table, indicator="nps", lang="en")     # change between waves with its interval
    hot_cold_chart(table, indicator="nps", lang="en")      # hot and cold side by side, with intervals
    hot_trend_chart(trend, indicator="nps", lang="en")     # hot results per period: line + interval band
    response_rate_chart(rates, lang="en")                  # rate bars, Wilson interval, 15–25 % band behind
    pressure_chart(curve, lang="en")                       # response rate by survey pressure
    key_driver_chart(drivers, lang="en")                   # importance × performance quadrant

Every chart shows the interval, not just the point; small groups (``small_n``) are drawn faded. The group
label of a row is its ``by`` columns joined with " · " (the columns before the first measure column).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..errors import AnalysisError
from ..i18n import format_number
from ._inputs import need_columns as _need
from ._labels import chart_label
from .encoding import typed_channels
from .theme import PALETTE, POLARITY_COLOURS

LABELS: dict[str, str] = {
    "nps": "NPS",
    "csat": "CSAT",
    "ces": "CES",
    "cxi": "CXi-style index",
    "group": "Group",
    "all": "All",
    "n": "Responses",
    "low": "Lower bound (95 %)",
    "high": "Upper bound (95 %)",
    "small_n": "Few responses",
    "indicator_title": "{ind} by group",
    "indicator_title_all": "{ind}",
    "change": "Change between waves",
    "barometer_title": "{ind}: change between barometer waves",
    "waves": "Waves",
    "significance": "Significance",
    "sig_down": "Significant fall",
    "sig_up": "Significant rise",
    "not_sig": "Not significant",
    "survey": "Survey",
    "hot": "Hot (transactional)",
    "cold": "Cold (relational)",
    "hot_cold_title": "{ind}: hot and cold surveys",
    "period": "Period",
    "trend_title": "{ind} of hot surveys over time",
    "rate": "Response rate",
    "invitations": "Invitations",
    "responses": "Responses",
    "band": "Typical band for cold surveys",
    "rate_title": "Response rate",
    "pressure": "Invitations to the customer in the last 90 days",
    "pressure_title": "Response rate falls as survey pressure rises",
    "pressure_title_flat": "Response rate by survey pressure",
    "importance": "Importance (share of R²)",
    "performance": "Performance (NPS when experienced)",
    "performance_mean": "Performance (mean when experienced)",
    "driver": "Driver",
    "difference": "Difference with vs without",
    "quadrant": "Quadrant",
    "fix_first": "Fix first",
    "keep_up": "Keep up",
    "low_priority": "Low priority",
    "possible_overkill": "Possible overkill",
    "drivers_title": "Key drivers: importance × performance (R² = {r2})",
    "touchpoint": "Touchpoint",
    "industry": "Industry",
    "region": "Region",
    "channel": "Channel",
    "value_segment": "Value segment",
    "client_segment": "Client segment",
    "department": "Department",
    "theme": "Comment theme",
    "case": "Case",
    "handoffs": "Handoffs per case",
}

QUADRANT_COLOURS = {
    "fix_first": POLARITY_COLOURS["negative"],
    "keep_up": POLARITY_COLOURS["positive"],
    "low_priority": POLARITY_COLOURS["neutral"],
    "possible_overkill": PALETTE[1],
}
#: display labels of the category values cxlab itself defines (the client's own values pass as they are)
VALUE_LABELS: dict[str, dict[str, str]] = {
    "survey": {"hot": "Hot (transactional)", "cold": "Cold (relational)"},
    "touchpoint": {
        "delivery": "Delivery",
        "customer service": "Customer service",
        "relationship": "Relationship (cold survey)",
    },
}

#: first measure column of each table kind: the columns before it are the ``by`` columns
_MEASURE_START = ("indicator", "invitations", "pressure", "pressure_value", "detractors")


def _t(key: str, lang: str) -> str:
    return chart_label(LABELS, key, lang)


def _by_columns(frame: pd.DataFrame, exclude: tuple[str, ...] = ()) -> list[str]:
    cols = list(frame.columns)
    stop = next((i for i, c in enumerate(cols) if c in _MEASURE_START), len(cols))
    return [c for c in cols[:stop] if c not in exclude]


def value_label(column: str, value: object, lang: str) -> str:
    """A category value as the chart shows it: cxlab's own codes (``hot``, ``delivery``) translated, the
    client's values as they are."""
    text = str(value)
    english = VALUE_LABELS.get(column, {}).get(text)
    return chart_label({text: english}, text, lang) if english else text


def _by_title(by: list[str], lang: str) -> str | None:
    """The axis or legend title of the ``by`` columns, translated (never a raw column name)."""
    return " · ".join(_t(c, lang) for c in by) if by else None


def _without_codes(data: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``data`` without the raw code columns (``by`` keys such as touchpoint or industry, quadrant keys)
    once their display labels are built: a chart spec carries what it shows, never a raw key."""
    return data.drop(columns=[c for c in columns if c in data.columns])


def _label(frame: pd.DataFrame, by: list[str], lang: str) -> pd.Series:
    if not by:
        return pd.Series(_t("all", lang), index=frame.index)
    parts = [
        pd.Series([value_label(c, v, lang) for v in frame[c].astype("str").fillna("–")], index=frame.index)
        for c in by
    ]
    label = parts[0]
    for p in parts[1:]:
        label = label + " · " + p
    return label


def _one_indicator(table: pd.DataFrame, indicator: str | None, what: str) -> tuple[pd.DataFrame, str]:
    _need(table, ["indicator", "score", "low", "high", "n"], what)
    present = list(dict.fromkeys(table["indicator"].astype("str")))
    if indicator is None:
        if len(present) != 1:
            raise AnalysisError(
                "one indicator (pass indicator=…)", column="indicator", found=", ".join(present) or "none"
            )
        indicator = present[0]
    data = table[table["indicator"].astype("str") == indicator].copy()
    if data.empty:
        raise AnalysisError("rows of that indicator", column="indicator", found=repr(indicator))
    return data, indicator


def _format(unit: str) -> str:
    return {"share": ".0%", "mean": ".2f"}.get(unit, ".0f")


def _unit(data: pd.DataFrame) -> str:
    return str(data["unit"].iloc[0]) if "unit" in data.columns and len(data) else "points"


def _small(data: pd.DataFrame, n: str = "n") -> pd.Series:
    return data["small_n"].astype(bool) if "small_n" in data.columns else data[n] < 30


def _estimate_tooltips(field: str, title: str, fmt: str, lang: str) -> list[alt.Tooltip]:
    """Tooltips for an estimate and its interval: the value, then the low and high bounds, one format."""
    return [
        alt.Tooltip(f"{field}:Q", title=title, format=fmt),
        alt.Tooltip("low:Q", title=_t("low", lang), format=fmt),
        alt.Tooltip("high:Q", title=_t("high", lang), format=fmt),
    ]


def _zero_rule(axis: str = "x") -> alt.Chart:
    enc = {axis: alt.X("zero:Q") if axis == "x" else alt.Y("zero:Q")}
    return alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color="#999", strokeDash=[4, 4]).encode(**enc)


def indicator_chart(
    table: pd.DataFrame, indicator: str | None = None, lang: str = "en", title: str | None = None
) -> alt.LayerChart:
    """Horizontal bars of an indicator per group (:func:`cxlab.indicators.nps` / ``csat`` / ``ces`` /
    ``cxi`` / ``indicator_table``) with the 95 % interval as a rule and n beside it."""
    data, indicator = _one_indicator(table, indicator, "an indicator function")
    by = _by_columns(data)
    data["group"] = _label(data, by, lang)
    data["small"] = _small(data)
    unit = _unit(data)
    fmt = _format(unit)
    name = _t(indicator, lang)
    data["label_at"] = data["high"].clip(lower=0) if unit == "points" else data["high"]  # right of the bar
    data = _without_codes(data, by)
    y = alt.Y("group:N", sort=list(data["group"]), title=_by_title(by, lang))
    tooltip = [
        alt.Tooltip("group:N", title=_t("group", lang)),
        *_estimate_tooltips("score", name, fmt, lang),
        alt.Tooltip("n:Q", title=_t("n", lang), format=","),
        alt.Tooltip("small:N", title=_t("small_n", lang)),
    ]
    bars = (
        alt.Chart(data)
        .mark_bar(opacity=0.85)
        .encode(
            **typed_channels(
                x=alt.X("score:Q", title=name, axis=alt.Axis(format=fmt)),
                y=y,
                opacity=alt.condition("datum.small", alt.value(0.35), alt.value(0.85)),
                tooltip=tooltip,
            )
        )
    )
    interval = (
        alt.Chart(data)
        .mark_rule(color="#222", strokeWidth=2)
        .encode(**typed_channels(x="low:Q", x2="high:Q", y=y))
    )
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, fontSize=10, color="#555")
        .encode(**typed_channels(x="label_at:Q", y=y, text=alt.Text("n:Q", format=",")))
    )
    layers = [bars, interval, labels]
    if unit == "points":
        layers.insert(0, _zero_rule("x"))
    key = "indicator_title" if by else "indicator_title_all"
    return alt.LayerChart(layer=[*layers]).properties(
        title=title or _t(key, lang).format(ind=name), width=360
    )


def barometer_chart(
    table: pd.DataFrame, indicator: str = "nps", lang: str = "en", title: str | None = None
) -> alt.LayerChart:
    """Change of an indicator between barometer waves per group (:func:`cxlab.indicators.barometer`):
    a point at the change, a rule over its 95 % interval, the zero line; red = significant fall, green =
    significant rise, grey = not significant."""
    _need(table, ["indicator", "wave_from", "wave_to", "change", "low", "high", "significant"], "barometer")
    data = table[table["indicator"].astype("str") == indicator].copy()
    by = [c for c in _by_columns(data) if c not in ("unit",)]
    data["group"] = _label(data, by, lang)
    data["waves"] = data["wave_from"].astype("str") + " → " + data["wave_to"].astype("str")
    if data["waves"].nunique() > 1:
        data["group"] = data["group"] + " (" + data["waves"] + ")"
    sig = data["significant"].astype(bool)
    data["significance"] = [
        _t("sig_down" if s and c < 0 else "sig_up" if s else "not_sig", lang)
        for s, c in zip(sig, data["change"], strict=True)
    ]
    unit = _unit(data)
    fmt = _format(unit)
    name = _t(indicator, lang)
    data = _without_codes(data, by)
    colour = alt.Color(
        "significance:N",
        title=_t("significance", lang),
        scale=alt.Scale(
            domain=[_t("sig_down", lang), _t("not_sig", lang), _t("sig_up", lang)],
            range=[POLARITY_COLOURS["negative"], POLARITY_COLOURS["neutral"], POLARITY_COLOURS["positive"]],
        ),
    )
    y = alt.Y("group:N", sort=list(data["group"]), title=_by_title(by, lang))
    x_title = f"{_t('change', lang)} ({name})"
    interval = (
        alt.Chart(data)
        .mark_rule(strokeWidth=3)
        .encode(**typed_channels(x=alt.X("low:Q", title=x_title), x2="high:Q", y=y, color=colour))
    )
    points = (
        alt.Chart(data)
        .mark_point(size=90, filled=True)
        .encode(
            **typed_channels(
                x=alt.X("change:Q", title=x_title, axis=alt.Axis(format=fmt)),
                y=y,
                color=colour,
                tooltip=[
                    alt.Tooltip("group:N", title=_t("group", lang)),
                    alt.Tooltip("waves:N", title=_t("waves", lang)),
                    alt.Tooltip("score_from:Q", title=f"{name} ({_t('waves', lang)} 1)", format=fmt),
                    alt.Tooltip("score_to:Q", title=f"{name} ({_t('waves', lang)} 2)", format=fmt),
                    alt.Tooltip("change:Q", title=_t("change", lang), format="+" + fmt),
                    alt.Tooltip("low:Q", title=_t("low", lang), format=fmt),
                    alt.Tooltip("high:Q", title=_t("high", lang), format=fmt),
                    alt.Tooltip("z:Q", title="z", format=".2f"),
                    alt.Tooltip("n_from:Q", title=f"n ({_t('waves', lang)} 1)", format=","),
                    alt.Tooltip("n_to:Q", title=f"n ({_t('waves', lang)} 2)", format=","),
                ],
            )
        )
    )
    return alt.LayerChart(layer=[_zero_rule("x"), interval, points]).properties(
        title=title or _t("barometer_title", lang).format(ind=name), width=360
    )


def hot_cold_chart(
    table: pd.DataFrame, indicator: str = "nps", lang: str = "en", title: str | None = None
) -> alt.LayerChart:
    """Hot and cold results side by side per group (:func:`cxlab.indicators.hot_vs_cold`): bars offset
    by survey type, each with its interval rule."""
    _need(table, ["survey"], "hot_vs_cold")
    data, indicator = _one_indicator(table, indicator, "hot_vs_cold")
    by = [c for c in _by_columns(data) if c != "survey"]
    data["group"] = _label(data, by, lang)
    data["survey_label"] = [_t(s, lang) for s in data["survey"].astype("str")]
    data["small"] = _small(data)
    unit = _unit(data)
    fmt = _format(unit)
    name = _t(indicator, lang)
    domain = [_t("hot", lang), _t("cold", lang)]
    data = _without_codes(data, [*by, "survey"])
    y = alt.Y("group:N", sort=list(dict.fromkeys(data["group"])), title=_by_title(by, lang))
    offset = alt.YOffset("survey_label:N", sort=domain)
    colour = alt.Color(
        "survey_label:N",
        title=_t("survey", lang),
        scale=alt.Scale(domain=domain, range=[PALETTE[1], PALETTE[0]]),
    )
    bars = (
        alt.Chart(data)
        .mark_bar(opacity=0.85)
        .encode(
            **typed_channels(
                x=alt.X("score:Q", title=name, axis=alt.Axis(format=fmt)),
                y=y,
                yOffset=offset,
                color=colour,
                opacity=alt.condition("datum.small", alt.value(0.35), alt.value(0.85)),
                tooltip=[
                    alt.Tooltip("group:N", title=_t("group", lang)),
                    alt.Tooltip("survey_label:N", title=_t("survey", lang)),
                    *_estimate_tooltips("score", name, fmt, lang),
                    alt.Tooltip("n:Q", title=_t("n", lang), format=","),
                ],
            )
        )
    )
    interval = (
        alt.Chart(data)
        .mark_rule(color="#222", strokeWidth=2)
        .encode(**typed_channels(x="low:Q", x2="high:Q", y=y, yOffset=offset))
    )
    layers = [bars, interval]
    if unit == "points":
        layers.insert(0, _zero_rule("x"))
    return alt.LayerChart(layer=[*layers]).properties(
        title=title or _t("hot_cold_title", lang).format(ind=name), width=360
    )


def hot_trend_chart(
    trend: pd.DataFrame, indicator: str = "nps", lang: str = "en", title: str | None = None
) -> alt.LayerChart:
    """Hot results per period and group (:func:`cxlab.indicators.hot_trend`): a line per group, the 95 %
    interval as a band, faded points for small periods."""
    _need(trend, ["period"], "hot_trend")
    data, indicator = _one_indicator(trend, indicator, "hot_trend")
    by = [c for c in _by_columns(data) if c != "period"]
    data["group"] = _label(data, by, lang)
    data["small"] = _small(data)
    unit = _unit(data)
    fmt = _format(unit)
    name = _t(indicator, lang)
    x = alt.X("period:T", title=_t("period", lang))
    data = _without_codes(data, by)
    colour = alt.Color("group:N", title=_by_title(by, lang) or _t("group", lang))
    band = (
        alt.Chart(data)
        .mark_area(opacity=0.15)
        .encode(**typed_channels(x=x, y="low:Q", y2="high:Q", color=colour))
    )
    line = (
        alt.Chart(data)
        .mark_line()
        .encode(**typed_channels(x=x, y=alt.Y("score:Q", title=name), color=colour))
    )
    # small-sample policy: a point below the minimum n is hollow, and every point carries its n
    data["small_label"] = [_t("small_n", lang) if s else "" for s in data["small"]]
    points = (
        alt.Chart(data)
        .mark_point(size=55, strokeWidth=1.5)
        .encode(
            **typed_channels(
                x=x,
                y="score:Q",
                color=colour,
                fill=colour,
                fillOpacity=alt.condition("datum.small", alt.value(0.0), alt.value(1.0)),
                tooltip=[
                    alt.Tooltip("period:T", title=_t("period", lang)),
                    alt.Tooltip("group:N", title=_t("group", lang)),
                    *_estimate_tooltips("score", name, fmt, lang),
                    alt.Tooltip("n:Q", title=_t("n", lang), format=","),
                    alt.Tooltip("small_label:N", title=_t("small_n", lang)),
                ],
            )
        )
    )
    counts = (
        alt.Chart(data)
        .mark_text(dy=-9, fontSize=9, color="#555")
        .encode(**typed_channels(x=x, y="score:Q", text=alt.Text("n:Q", format=",")))
    )
    return alt.LayerChart(layer=[band, line, points, counts]).properties(
        title=title or _t("trend_title", lang).format(ind=name), width=420, height=240
    )


def response_rate_chart(rates: pd.DataFrame, lang: str = "en", title: str | None = None) -> alt.LayerChart:
    """Response rate per group (:func:`cxlab.indicators.response_rate`): bars with the Wilson interval,
    in front of the 15–25 % band typical of cold surveys (shaded, its edges dashed on top)."""
    _need(rates, ["invitations", "responses", "rate", "low", "high"], "response_rate")
    data = rates.copy()
    by = _by_columns(data)
    data["group"] = _label(data, by, lang)
    band_low = float(data["band_low"].iloc[0]) if "band_low" in data and len(data) else 0.15
    band_high = float(data["band_high"].iloc[0]) if "band_high" in data and len(data) else 0.25
    data = _without_codes(data, [*by, "band_position"])
    y = alt.Y("group:N", sort=list(data["group"]), title=_by_title(by, lang))
    band = (
        alt.Chart(
            pd.DataFrame({"band_low": [band_low], "band_high": [band_high], "band": [_t("band", lang)]})
        )
        .mark_rect(color=POLARITY_COLOURS["positive"], opacity=0.15)
        .encode(
            **typed_channels(
                x="band_low:Q", x2="band_high:Q", tooltip=alt.Tooltip("band:N", title=_t("band", lang))
            )
        )
    )
    bars = (
        alt.Chart(data)
        .mark_bar(opacity=0.85)
        .encode(
            **typed_channels(
                x=alt.X("rate:Q", title=_t("rate", lang), axis=alt.Axis(format=".0%")),
                y=y,
                tooltip=[
                    alt.Tooltip("group:N", title=_t("group", lang)),
                    *_estimate_tooltips("rate", _t("rate", lang), ".1%", lang),
                    alt.Tooltip("invitations:Q", title=_t("invitations", lang), format=","),
                    alt.Tooltip("responses:Q", title=_t("responses", lang), format=","),
                ],
            )
        )
    )
    interval = (
        alt.Chart(data)
        .mark_rule(color="#222", strokeWidth=2)
        .encode(**typed_channels(x="low:Q", x2="high:Q", y=y))
    )
    edges = (
        alt.Chart(pd.DataFrame({"edge": [band_low, band_high]}))
        .mark_rule(color=POLARITY_COLOURS["positive"], strokeDash=[4, 3], strokeWidth=1.5)
        .encode(**typed_channels(x="edge:Q"))
    )
    return alt.LayerChart(layer=[band, bars, interval, edges]).properties(
        title=title or _t("rate_title", lang), width=360
    )


def pressure_chart(curve: pd.DataFrame, lang: str = "en", title: str | None = None) -> alt.LayerChart:
    """Response rate by survey pressure (:func:`cxlab.indicators.pressure_response_curve`): bars with
    Wilson intervals; the title says whether the rate falls significantly (Cochran–Armitage)."""
    _need(curve, ["pressure", "invitations", "rate", "low", "high"], "pressure_response_curve")
    data = curve.copy()
    data["pressure"] = data["pressure"].astype("str")
    order = list(dict.fromkeys(data["pressure"]))
    x = alt.X("pressure:O", title=_t("pressure", lang), sort=order, axis=alt.Axis(labelAngle=0))
    bars = (
        alt.Chart(data)
        .mark_bar(opacity=0.85)
        .encode(
            **typed_channels(
                x=x,
                y=alt.Y("rate:Q", title=_t("rate", lang), axis=alt.Axis(format=".0%")),
                tooltip=[
                    alt.Tooltip("pressure:O", title=_t("pressure", lang)),
                    *_estimate_tooltips("rate", _t("rate", lang), ".1%", lang),
                    alt.Tooltip("invitations:Q", title=_t("invitations", lang), format=","),
                ],
            )
        )
    )
    interval = (
        alt.Chart(data)
        .mark_rule(color="#222", strokeWidth=2)
        .encode(**typed_channels(x=x, y="low:Q", y2="high:Q"))
    )
    labels = (
        alt.Chart(data)
        .mark_text(dy=-8, fontSize=10, color="#555")
        .encode(**typed_channels(x=x, y="high:Q", text=alt.Text("invitations:Q", format=",")))
    )
    falls = bool(curve.attrs.get("falls", False))
    return alt.LayerChart(layer=[bars, interval, labels]).properties(
        title=title or _t("pressure_title" if falls else "pressure_title_flat", lang), width=360, height=240
    )


#: how many drivers (the most important) carry a text label on the quadrant chart
LABELLED_DRIVERS = 6


def _driver_label(kind: str, level: str, rule: str, lang: str) -> str:
    """A driver as the chart names it, its rule stated: "Handoffs > 2", "Comment theme: Delivery"."""
    if kind == "case":
        return f"{_t(level, lang)} {rule}".strip() if rule and rule != "yes" else _t(level, lang)
    if kind == "theme":
        from ..text import theme_label  # analysis layer: the theme's label in the report language

        return f"{_t('theme', lang)}: {theme_label(level, lang)}"
    return f"{_t(kind, lang)}: {value_label(kind, level, lang)}"


def key_driver_chart(drivers: pd.DataFrame, lang: str = "en", title: str | None = None) -> alt.LayerChart:
    """Importance × performance quadrant of :func:`cxlab.indicators.key_drivers`: one point per driver,
    a vertical rule at the median importance and a horizontal one at the overall score; colour =
    quadrant; the driver's with/without difference and its interval in the tooltip."""
    _need(drivers, ["driver", "kind", "level", "importance", "performance", "quadrant", "r2"], "key_drivers")
    data = drivers.dropna(subset=["importance", "performance"]).copy()
    data["quadrant_label"] = [_t(q, lang) for q in data["quadrant"].astype("str")]
    rules = (
        data["with_rule"].astype("str") if "with_rule" in data.columns else pd.Series("", index=data.index)
    )
    data["label"] = [
        _driver_label(k, lv, rule, lang)
        for k, lv, rule in zip(data["kind"].astype("str"), data["level"].astype("str"), rules, strict=True)
    ]
    # collision-free: only the most important drivers are written on the chart, the others in the tooltip
    data["shown_label"] = ["" for _ in range(len(data))]
    top = data["importance"].rank(ascending=False, method="first") <= LABELLED_DRIVERS
    data.loc[top, "shown_label"] = data.loc[top, "label"]
    target = str(data["target"].iloc[0]) if "target" in data.columns and len(data) else "nps"
    data = _without_codes(data, ["driver", "kind", "level", "quadrant", "with_rule", "target"])
    perf_title = _t("performance" if target == "nps" else "performance_mean", lang)
    domain = [_t(q, lang) for q in QUADRANT_COLOURS]
    colour = alt.Color(
        "quadrant_label:N",
        title=_t("quadrant", lang),
        scale=alt.Scale(domain=domain, range=list(QUADRANT_COLOURS.values())),
    )
    # a square-root scale: one dominant driver no longer squeezes the others into a corner
    x = alt.X(
        "importance:Q",
        title=_t("importance", lang),
        axis=alt.Axis(format=".0%"),
        scale=alt.Scale(type="sqrt", zero=True),
    )
    y = alt.Y("performance:Q", title=perf_title)
    points = (
        alt.Chart(data)
        .mark_circle(size=110, opacity=0.9)
        .encode(
            **typed_channels(
                x=x,
                y=y,
                color=colour,
                tooltip=[
                    alt.Tooltip("label:N", title=_t("driver", lang)),
                    alt.Tooltip("importance:Q", title=_t("importance", lang), format=".1%"),
                    alt.Tooltip("performance:Q", title=perf_title, format=".1f"),
                    alt.Tooltip("difference:Q", title=_t("difference", lang), format="+.1f"),
                    alt.Tooltip("diff_low:Q", title=_t("low", lang), format=".1f"),
                    alt.Tooltip("diff_high:Q", title=_t("high", lang), format=".1f"),
                    alt.Tooltip("n_with:Q", title=_t("n", lang), format=","),
                    alt.Tooltip("quadrant_label:N", title=_t("quadrant", lang)),
                ],
            )
        )
    )
    # labels of the points in the right third are written to their left, so none runs off the chart
    right = (
        data["importance"] >= 0.6 * float(data["importance"].max()) if len(data) else data["importance"] > 0
    )
    data["right_label"] = data["shown_label"].where(right, "")
    data["shown_label"] = data["shown_label"].where(~right, "")
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=7, fontSize=10, color="#333")
        .encode(**typed_channels(x=x, y="performance:Q", text="shown_label:N"))
    )
    text_right = (
        alt.Chart(data)
        .mark_text(align="right", dx=-7, fontSize=10, color="#333")
        .encode(**typed_channels(x=x, y="performance:Q", text="right_label:N"))
    )
    median = float(data["importance"].median()) if len(data) else 0.0
    overall = float(data["overall"].iloc[0]) if "overall" in data.columns and len(data) else 0.0
    vrule = (
        alt.Chart(pd.DataFrame({"importance": [median]}))
        .mark_rule(color="#999", strokeDash=[4, 4])
        .encode(**typed_channels(x=x))
    )
    hrule = (
        alt.Chart(pd.DataFrame({"performance": [overall]}))
        .mark_rule(color="#999", strokeDash=[4, 4])
        .encode(**typed_channels(y="performance:Q"))
    )
    r2 = float(data["r2"].iloc[0]) if len(data) else float("nan")
    r2_text = format_number(r2, lang, decimals=2)
    return alt.LayerChart(layer=[vrule, hrule, points, text, text_right]).properties(
        title=title or _t("drivers_title", lang).format(r2=r2_text), width=420, height=320
    )
