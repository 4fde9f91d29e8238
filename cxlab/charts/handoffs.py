"""Charts of the silo handoff analysis (Altair; input = the tables of :mod:`cxlab.handoffs`).

handoff_heatmap(matrix, value="count", lang="en", top=12)  # from × to, colour = value, numbers on cells
handoff_flow(flow, lang="en", top=12)                      # Sankey-like flow of transitions by step
(top = the busiest departments drawn, the others merged into "other"; None draws them all)
worst_handoffs_chart(worst, ranking="waiting_time", lang="en")
satisfaction_by_handoffs_chart(table, metric="nps", lang="en")   # points with interval bars and n
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..handoffs.matrix import busiest_departments
from ..i18n import gettext
from ._inputs import need_columns as _need
from ._labels import chart_label
from .encoding import typed_channels
from .theme import PALETTE, POLARITY_COLOURS

LABELS: dict[str, str] = {
    "from": "From department",
    "to": "To department",
    "count": "Handoffs",
    "cases": "Cases",
    "share_of_cases": "Share of cases",
    "median_wait_h": "Median wait (h)",
    "p90_wait_h": "90th percentile wait (h)",
    "total_wait_h": "Total waiting time (h)",
    "ping_pong_rate": "Ping-pong rate",
    "heatmap_title": "Handoffs between departments",
    "flow_title": "How cases move between departments",
    "step": "Step",
    "department": "Department",
    "worst_waiting_time": "Worst handoffs by total waiting time",
    "worst_satisfaction": "Worst handoffs for NPS",
    "value_waiting_time": "Total waiting time (h)",
    "value_satisfaction": "NPS with the handoff − without (points)",
    "handoff": "Handoff",
    "handoffs_bucket": "Handoffs in the case",
    "nps": "NPS",
    "csat_top2": "CSAT (% 4–5)",
    "n": "Responses",
    "low": "Lower bound",
    "high": "Upper bound",
    "sat_title_nps": "NPS by number of handoffs",
    "sat_title_csat_top2": "CSAT by number of handoffs",
    "small_n": "Few responses",
    "gap": "NPS change (affected − others)",
    "finding": "Dynamic",
    "toxic_title": "Toxic dynamics and what they cost in NPS",
    "other": "Other departments",
    "end": "end",  # flow_steps' stop node; translated in the catalog
}

#: charts show at most this many departments (the busiest) plus one "other" group, unless told otherwise
TOP_DEPARTMENTS = 12


FINDING_TEXTS: dict[str, dict[str, str]] = {
    "tortuous_flow": {
        "title": "Tortuous flow: self-service that ends in a call",
        "explanation": "The customer tried to help themselves, failed and had to contact us anyway.",
    },
    "slow_internal_communication": {
        "title": "Slow internal communication: waiting on an authorisation",
        "explanation": "The case waits on another department's authorisation while the customer chases us.",
    },
    "contradictory_answers": {
        "title": "Contradictory answers",
        "explanation": "Several people answered the same question, and the customer came back or the case was reopened.",
    },
}


def finding_title(name: str, lang: str = "en") -> str:
    """The report title of a toxic dynamic (``tortuous_flow`` …) in the report language."""
    entry = FINDING_TEXTS.get(name)
    return gettext(lang, entry["title"]) if entry else name


def finding_explanation(name: str, lang: str = "en") -> str:
    """One sentence that says what the toxic dynamic means for the customer."""
    entry = FINDING_TEXTS.get(name)
    return gettext(lang, entry["explanation"]) if entry else name


def _t(key: str, lang: str) -> str:
    return chart_label(LABELS, key, lang)


def group_matrix(matrix: pd.DataFrame, top: int, other: str) -> pd.DataFrame:
    """The matrix with every department outside the ``top`` busiest merged into ``other``: counts and total
    waits add up; a merged cell's mean wait and ping-pong rate are weighted by its handoffs, its median and
    90th percentile are unknown (NaN) and so are its cases (a case may cross several merged pairs)."""
    data = matrix.copy()
    for c in ("from_department", "to_department"):
        data[c] = data[c].astype(str)
    keep = set(busiest_departments(data, top))
    if len(keep) == data["from_department"].nunique() and keep >= set(data["to_department"]):
        return data
    data["from_department"] = data["from_department"].where(data["from_department"].isin(keep), other)
    data["to_department"] = data["to_department"].where(data["to_department"].isin(keep), other)
    if "ping_pong_rate" in data.columns:
        data["_bounced"] = data["ping_pong_rate"] * data["count"]
    sums = {c: "sum" for c in ("count", "total_wait_h", "share_of_handoffs", "_bounced") if c in data.columns}
    grouped = data.groupby(["from_department", "to_department"], sort=False, as_index=False)
    out = grouped.agg(sums)
    single = grouped.size()["size"].to_numpy() == 1
    first = grouped.first()
    for c in ("cases", "share_of_cases", "median_wait_h", "p90_wait_h"):
        if c in data.columns:
            out[c] = first[c].where(single)
    if "total_wait_h" in out.columns:
        out["mean_wait_h"] = out["total_wait_h"] / out["count"]
    if "_bounced" in out.columns:
        out["ping_pong_rate"] = out.pop("_bounced") / out["count"]
    return out


def handoff_heatmap(
    matrix: pd.DataFrame,
    value: str = "count",
    lang: str = "en",
    title: str | None = None,
    top: int | None = TOP_DEPARTMENTS,
) -> alt.LayerChart:
    """Department × department heatmap of :func:`cxlab.handoffs.handoff_matrix`; ``value`` is any of its
    numeric columns (count, median_wait_h, p90_wait_h, total_wait_h, ping_pong_rate, share_of_cases).
    With ``top``, the busiest departments are drawn and the others merged into one "other" row and column
    (see :func:`group_matrix`); None draws every department."""
    _need(matrix, ["from_department", "to_department", value], "handoff_matrix")
    data = matrix.copy()
    for c in ("from_department", "to_department"):
        data[c] = data[c].astype(str)
    if top is not None:
        data = group_matrix(data, top, _t("other", lang))
    volume = pd.concat(
        [data.groupby("from_department")["count"].sum(), data.groupby("to_department")["count"].sum()]
    )
    order = list(volume.groupby(level=0).sum().sort_values(ascending=False, kind="stable").index)
    fmt = ".0%" if value in ("ping_pong_rate", "share_of_cases") else ",.0f"
    base = alt.Chart(data).encode(
        **typed_channels(
            x=alt.X("to_department:N", title=_t("to", lang), sort=order, axis=alt.Axis(labelAngle=-30)),
            y=alt.Y("from_department:N", title=_t("from", lang), sort=order),
        )
    )
    tooltip = [
        alt.Tooltip("from_department:N", title=_t("from", lang)),
        alt.Tooltip("to_department:N", title=_t("to", lang)),
        *[
            alt.Tooltip(
                f"{c}:Q",
                title=_t(c, lang),
                format=".0%" if c in ("ping_pong_rate", "share_of_cases") else ",.1f",
            )
            for c in (
                "count",
                "share_of_cases",
                "median_wait_h",
                "p90_wait_h",
                "total_wait_h",
                "ping_pong_rate",
            )
            if c in data.columns
        ],
    ]
    rect = base.mark_rect().encode(
        **typed_channels(
            color=alt.Color(f"{value}:Q", title=_t(value, lang), scale=alt.Scale(scheme="orangered")),
            tooltip=tooltip,
        )
    )
    text = base.mark_text(fontSize=10).encode(
        **typed_channels(
            text=alt.Text(f"{value}:Q", format=fmt),
            color=alt.condition(
                f"datum.{value} > {float(data[value].max()) / 2 if len(data) else 0}",
                alt.value("white"),
                alt.value("#222"),
            ),
        )
    )
    return (rect + text).properties(title=title or _t("heatmap_title", lang), width=360, height=300)


def group_flow(flow: pd.DataFrame, top: int, other: str) -> pd.DataFrame:
    """:func:`cxlab.handoffs.flow_steps` output with every department outside the ``top`` busiest (by cases
    leaving it, summed over the steps) merged into ``other``; the stop label stays as it is."""
    # the stop label ("end") is where every case goes last: the busiest label that no case leaves
    only_to = flow[~flow["to_department"].isin(flow["from_department"])]
    into = only_to.groupby("to_department", sort=False)["cases"].sum()
    stop = {into.idxmax()} if len(into) else set()
    volume = (
        flow.groupby("from_department", sort=False)["cases"].sum().sort_values(ascending=False, kind="stable")
    )
    keep = set(volume.index[:top]) | stop
    if set(flow["from_department"]) | set(flow["to_department"]) <= keep:
        return flow
    data = flow.assign(
        from_department=flow["from_department"].where(flow["from_department"].isin(keep), other),
        to_department=flow["to_department"].where(flow["to_department"].isin(keep), other),
    )
    return data.groupby(["step", "from_department", "to_department"], sort=False, as_index=False)[
        ["cases", "share"]
    ].sum()


def handoff_flow(
    flow: pd.DataFrame,
    lang: str = "en",
    min_share: float = 0.01,
    title: str | None = None,
    top: int | None = TOP_DEPARTMENTS,
) -> alt.LayerChart:
    """Sankey-like flow from :func:`cxlab.handoffs.flow_steps`: columns are visits (step 0 = first
    department), a band from department A at step s to B at step s+1 is as thick as the cases that moved;
    the node circles show how many cases are in each department at each step. Transitions below
    ``min_share`` of all cases are left out to keep the picture readable. With ``top``, the busiest
    departments are drawn and the others merged into "other" (:func:`group_flow`)."""
    _need(flow, ["step", "from_department", "to_department", "cases", "share"], "flow_steps")
    if "end" in set(flow["to_department"]) - set(flow["from_department"]):  # flow_steps' stop label
        flow = flow.assign(to_department=flow["to_department"].replace({"end": _t("end", lang)}))
    if top is not None and len(flow):
        flow = group_flow(flow, top, _t("other", lang))
    links = flow[(flow["share"] >= min_share)].copy()
    links["next_step"] = links["step"] + 1
    nodes = (
        flow.groupby(["step", "from_department"], as_index=False)["cases"]
        .sum()
        .rename(columns={"from_department": "department"})
    )
    # cases that stop appear as nodes one step to the right (the "end" of the flow)
    if len(flow):
        end_label = flow.loc[~flow["to_department"].isin(flow["from_department"]), "to_department"]
        stops = flow[flow["to_department"].isin(end_label)].assign(step=lambda f: f["step"] + 1)
        stops = stops.groupby(["step", "to_department"], as_index=False)["cases"].sum()
        nodes = pd.concat([nodes, stops.rename(columns={"to_department": "department"})], ignore_index=True)
    nodes = nodes[nodes["cases"] / max(flow.loc[flow["step"] == 0, "cases"].sum(), 1) >= min_share]
    stop_labels = set(flow["to_department"]) - set(flow["from_department"])  # "end": drawn at the bottom
    volume = nodes[~nodes["department"].isin(stop_labels)].groupby("department")["cases"].sum()
    order = list(volume.sort_values(ascending=False, kind="stable").index)
    order += sorted((set(links["to_department"]) | set(nodes["department"])) - set(order))
    y_scale = alt.Scale(domain=order)
    x_axis = alt.Axis(tickMinStep=1, format="d", title=_t("step", lang))
    x_scale = alt.Scale(padding=24, nice=False)  # room for the node circles at both ends
    band = (
        alt.Chart(links)
        .mark_rule(opacity=0.35, strokeCap="round")
        .encode(
            **typed_channels(
                x=alt.X("step:Q", axis=x_axis, scale=x_scale),
                x2="next_step:Q",
                y=alt.Y(
                    "from_department:N",
                    scale=y_scale,
                    title=_t("department", lang),
                    axis=alt.Axis(labelLimit=200),
                ),
                y2="to_department:N",
                strokeWidth=alt.StrokeWidth(
                    "cases:Q", scale=alt.Scale(range=[1, 28]), title=_t("cases", lang)
                ),
                color=alt.Color(
                    "from_department:N", scale=alt.Scale(domain=order, range=PALETTE), legend=None
                ),
                tooltip=[
                    alt.Tooltip("step:Q", title=_t("step", lang)),
                    alt.Tooltip("from_department:N", title=_t("from", lang)),
                    alt.Tooltip("to_department:N", title=_t("to", lang)),
                    alt.Tooltip("cases:Q", title=_t("cases", lang), format=","),
                    alt.Tooltip("share:Q", title=_t("share_of_cases", lang), format=".1%"),
                ],
            )
        )
    )
    node = (
        alt.Chart(nodes)
        .mark_circle(opacity=0.9)
        .encode(
            **typed_channels(
                x=alt.X("step:Q", axis=x_axis, scale=x_scale),
                y=alt.Y("department:N", scale=y_scale),
                size=alt.Size("cases:Q", scale=alt.Scale(range=[30, 900]), legend=None),
                color=alt.Color("department:N", scale=alt.Scale(domain=order, range=PALETTE), legend=None),
                tooltip=[
                    alt.Tooltip("department:N", title=_t("department", lang)),
                    alt.Tooltip("cases:Q", title=_t("cases", lang), format=","),
                ],
            )
        )
    )
    return (band + node).properties(title=title or _t("flow_title", lang), width=480, height=300)


def worst_handoffs_chart(
    worst: pd.DataFrame, ranking: str = "waiting_time", lang: str = "en", title: str | None = None
) -> alt.Chart:
    """Horizontal bars of :func:`cxlab.handoffs.worst_handoffs` for one ranking (waiting_time or
    satisfaction), worst on top. The satisfaction bars show ``nps_change`` of
    :attr:`cxlab.diagnosis.Handoffs.worst` (with − without: negative = worse), the figure the text quotes."""
    _need(worst, ["ranking", "rank", "from_department", "to_department", "value"], "worst_handoffs")
    # one NPS figure per handoff, signed as in the text: the unsigned gap and points lost stay out
    data = worst[worst["ranking"] == ranking].drop(columns=["nps_gap", "nps_points_lost"], errors="ignore")
    if ranking == "satisfaction" and "nps_change" in data.columns:
        data = data.assign(value=data["nps_change"])
    data["handoff"] = data["from_department"].astype(str) + " → " + data["to_department"].astype(str)
    data = data.drop(columns=["ranking"])  # the raw ranking key (one value here): said by the title
    return (
        alt.Chart(data)
        .mark_bar(color=POLARITY_COLOURS["negative"])
        .encode(
            **typed_channels(
                x=alt.X("value:Q", title=_t(f"value_{ranking}", lang)),
                y=alt.Y(
                    "handoff:N",
                    sort=alt.EncodingSortField("rank", order="ascending"),
                    title=_t("handoff", lang),
                ),
                tooltip=[
                    alt.Tooltip("handoff:N", title=_t("handoff", lang)),
                    alt.Tooltip("value:Q", title=_t(f"value_{ranking}", lang), format=",.1f"),
                    alt.Tooltip("count:Q", title=_t("count", lang), format=","),
                    alt.Tooltip("median_wait_h:Q", title=_t("median_wait_h", lang), format=",.1f"),
                    alt.Tooltip("ping_pong_rate:Q", title=_t("ping_pong_rate", lang), format=".0%"),
                ],
            )
        )
        .properties(title=title or _t(f"worst_{ranking}", lang), width=360)
    )


def satisfaction_by_handoffs_chart(
    table: pd.DataFrame, metric: str = "nps", lang: str = "en", title: str | None = None
) -> alt.LayerChart:
    """Points with interval bars from :func:`cxlab.handoffs.satisfaction_by_handoffs`: NPS (``metric="nps"``)
    or CSAT top-2-box (``metric="csat_top2"``) per handoff bucket; hollow points mark small groups."""
    low, high, n = (
        ("nps_low", "nps_high", "n_nps") if metric == "nps" else ("csat_low", "csat_high", "n_csat")
    )
    _need(table, ["bucket", metric, low, high, n], "satisfaction_by_handoffs")
    data = table.copy()
    data["bucket"] = data["bucket"].astype(str)
    data["small"] = data[n] < 30 if "small_n" not in data.columns else data["small_n"].astype(bool)
    fmt = ".0f" if metric == "nps" else ".0%"
    x = alt.X(
        "bucket:O", title=_t("handoffs_bucket", lang), sort=list(data["bucket"]), axis=alt.Axis(labelAngle=0)
    )
    y_title = _t(metric, lang)
    interval = (
        alt.Chart(data)
        .mark_rule(strokeWidth=2)  # the brand colour, from the theme
        .encode(**typed_channels(x=x, y=alt.Y(f"{low}:Q", title=y_title), y2=f"{high}:Q"))
    )
    points = (
        alt.Chart(data)
        .mark_point(size=80, filled=True)
        .encode(
            **typed_channels(
                x=x,
                y=alt.Y(f"{metric}:Q", title=y_title),
                opacity=alt.condition("datum.small", alt.value(0.4), alt.value(1.0)),
                tooltip=[
                    alt.Tooltip("bucket:O", title=_t("handoffs_bucket", lang)),
                    alt.Tooltip(f"{metric}:Q", title=y_title, format=fmt),
                    alt.Tooltip(f"{low}:Q", title=_t("low", lang), format=fmt),
                    alt.Tooltip(f"{high}:Q", title=_t("high", lang), format=fmt),
                    alt.Tooltip(f"{n}:Q", title=_t("n", lang), format=","),
                    alt.Tooltip("small:N", title=_t("small_n", lang)),
                ],
            )
        )
    )
    labels = (
        alt.Chart(data)
        .mark_text(dy=-12, fontSize=10, color="#555")
        .encode(**typed_channels(x=x, y=alt.Y(f"{high}:Q"), text=alt.Text(f"{n}:Q", format=",")))
    )
    layers = [interval, points, labels]
    if metric == "nps":
        layers.insert(
            0,
            alt.Chart(pd.DataFrame({"zero": [0]}))
            .mark_rule(color="#999", strokeDash=[4, 4])
            .encode(**typed_channels(y="zero:Q")),
        )
    return alt.LayerChart(layer=[*layers]).properties(
        title=title or _t(f"sat_title_{metric}", lang), width=360, height=240
    )


def toxic_dynamics_chart(
    findings: pd.DataFrame, lang: str = "en", title: str | None = None
) -> alt.LayerChart:
    """The NPS change of the customers of each toxic dynamic (affected − others: negative = worse, the
    report's sign convention), with its interval, from :func:`cxlab.handoffs.toxic_dynamics` (needs linked
    survey responses)."""
    _need(findings, ["finding", "cases", "nps_gap", "gap_low", "gap_high"], "toxic_dynamics")
    data = findings.dropna(subset=["nps_gap"]).drop(columns=["example_cases"], errors="ignore").copy()
    # toxic_dynamics' gap is others − affected (points lost); drawn with the sign of the text
    data = data.assign(nps_gap=-data["nps_gap"], gap_low=-data["gap_high"], gap_high=-data["gap_low"])
    data["label"] = [finding_title(f, lang) for f in data["finding"]]
    data["finding"] = data["label"]  # no raw finding key in the spec a reader can open
    y = alt.Y("label:N", sort=list(data["label"]), title=None, axis=alt.Axis(labelLimit=420))
    x_title = _t("gap", lang)
    tooltip = [
        alt.Tooltip("label:N", title=_t("finding", lang)),
        alt.Tooltip("cases:Q", title=_t("cases", lang), format=","),
        alt.Tooltip("nps_gap:Q", title=x_title, format=".0f"),
        alt.Tooltip("gap_low:Q", title=_t("low", lang), format=".0f"),
        alt.Tooltip("gap_high:Q", title=_t("high", lang), format=".0f"),
    ]
    if "department" in data.columns:
        tooltip.append(alt.Tooltip("department:N", title=_t("department", lang)))
    bars = (
        alt.Chart(data)
        .mark_bar(color=POLARITY_COLOURS["negative"], opacity=0.85)
        .encode(**typed_channels(x=alt.X("nps_gap:Q", title=x_title), y=y, tooltip=tooltip))
    )
    interval = (
        alt.Chart(data)
        .mark_rule(color="#222", strokeWidth=2)
        .encode(**typed_channels(x="gap_low:Q", x2="gap_high:Q", y=y))
    )
    return alt.LayerChart(layer=[bars, interval]).properties(
        title=title or _t("toxic_title", lang), width=360
    )
