"""The sections of the client report, in the report's language.

Each function takes the :class:`~cxlab.report.context.ReportContext` and returns a
:class:`~cxlab.report.html.Section` (or ``None`` when the client's data cannot support it — the section is
then left out, never faked). Sections only call analyses and chart builders of the library; the words
around the figures live here as English gettext msgids, translated in ``cxlab/locale/<lang>/report.po``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import pandas as pd

from .. import culture, i18n, journey, segments, text
from .. import indicators as ind
from ..charts import culture as culture_charts
from ..charts import handoffs as handoffs_charts
from ..charts import indicators as indicators_charts
from ..charts import journey as journey_charts
from ..charts import segments as segments_charts
from ..charts import text as text_charts
from ..i18n import N_, NP_, gettext, pgettext, translate
from ..insights import hot_trend_policy
from ..intake import Note
from ..questionnaire import PILLARS
from ..safety import confine, logo_data_uri
from . import handoffs_text as ht
from . import html as h
from .attachments import HANDOFF_MATRIX
from .charts import chart_html
from .context import ReportContext
from .methodology import methodology
from .segments_text import describe_segments, segment_label
from .story import (
    display_value,
    draft_meta,
    executive_summary,
    recommendations_section,
    table_label,
    trend_note,
    value_satisfaction_block,
)

#: the sentences of the methodology appendix for the analyses outside the survey indicators
METHOD_NOTES: tuple[str, ...] = (
    N_(
        "A visit is a run of consecutive events of one case in one department; a handoff is the move from one "
        "visit to the next; its wait is the start of the new visit minus the end of the previous one; "
        "ping-pong = A→B→A; rework = visits − distinct departments; chasers = customer contacts on a case "
        "that is open with no answer yet."
    ),
    N_(
        "Survey responses are linked to cases by case id or, for hot surveys, to the customer's latest case "
        "closed at most {days} days before. NPS points per handoff are the slope of a least-squares line (HC1 "
        "robust errors)."
    ),
    N_(
        "Future potential from a BG/NBD (purchase frequency) + Gamma-Gamma (spend) model fitted on the "
        "transactions; for customers with a short history a trend (last {trend} months against the ones "
        "before). Thresholds: top {vshare} of value and of potential, unless absolute thresholds are set."
    ),
    N_(
        "Sentiment from our own Italian and English CX lexicon, with negation, intensifiers and Italian "
        "suffix handling; themes from a configurable taxonomy. Everything runs offline."
    ),
    N_(
        "Workshop questionnaire: scores 1–5 per question, averaged per department and pillar; the spread is "
        "the highest minus the lowest department."
    ),
    N_(
        "Each playbook rule has a condition on the figures; priority = impact × urgency (1–25), computed from "
        "the figures. The consultant accepts, rejects or re-words each recommendation (recommendations.yaml): "
        "rejected ones never appear; with “unreviewed: hide” only accepted ones do."
    ),
)


#: the customer / response attributes a barometer drop can be found on, as the text names them
GROUP_COLUMNS: dict[str, str] = {
    "industry": NP_("group column", "industry"),
    "region": NP_("group column", "region"),
    "segment": NP_("group column", "customer segment"),
    "touchpoint": NP_("group column", "touchpoint"),
    "channel": NP_("group column", "channel"),
}


#: the effort levels of a recommendation, as the report names them (msgid = the level itself)
EFFORT_LEVELS = (NP_("effort", "low"), NP_("effort", "medium"), NP_("effort", "high"))

#: the value segments (keys of :mod:`cxlab.segments`) as the report names them
SEGMENT_NAMES: dict[str, str] = {
    "premium": NP_("value segment", "Premium"),
    "potential": NP_("value segment", "Potential"),
    "dilemma": NP_("value segment", "Dilemma"),
    "maintain": NP_("value segment", "Maintain"),
    segments.NEW: NP_("value segment", "New"),
}


def _t(ctx: ReportContext, message: str, **values: object) -> str:
    """``message`` (English msgid) in the report language, with ``values`` filled in."""
    return gettext(ctx.lang, message, **values)


def _p(ctx: ReportContext, context: str, message: str, **values: object) -> str:
    """A short label whose translation depends on ``context`` (e.g. "From" in the handoff table)."""
    return pgettext(ctx.lang, context, message, **values)


def _n(value: float | int | None, ctx: ReportContext, decimals: int = 0) -> str:
    return i18n.format_number(value, ctx.lang, decimals)


def _pct(value: float | None, ctx: ReportContext, decimals: int = 0) -> str:
    return i18n.format_percent(value, ctx.lang, decimals)


def _hours(value: float | None, ctx: ReportContext) -> str:
    return i18n.format_duration_hours(value, ctx.lang)


def _chart(chart, ctx: ReportContext) -> str:
    return chart_html(chart, static=ctx.static_charts, lang=ctx.lang)


def _fmt_text(ctx: ReportContext, message: str, **values: object) -> str:
    """A translated sentence with its figures escaped."""
    return h.text(_t(ctx, message, **values))


# -------------------------------------------------------------------------------------------- cover
def cover(ctx: ReportContext) -> h.ReportMeta:
    """The cover data the report template renders: client name, title, dates, branding."""
    branding = ctx.config.branding
    logo = None
    if branding.logo:
        # confined to the client folder, a real PNG/JPEG/SVG by its bytes, an SVG sanitised
        path = confine(ctx.config.root, branding.logo, file=ctx.config.source, key="branding.logo")
        if path.is_file():
            logo = logo_data_uri(path, ctx.config.source)
    return h.ReportMeta(
        {
            "client_name": ctx.config.name,
            "lang": ctx.lang,
            "title": _t(ctx, "Customer experience diagnosis"),
            "toc_title": _t(ctx, "Contents"),
            "date_label": _t(ctx, "Data as of"),
            "date": i18n.format_date(ctx.analysis_date, ctx.lang),
            "generated_label": _t(ctx, "Generated on"),
            "generated": i18n.format_date(dt.date.today(), ctx.lang),
            "confidential": _t(ctx, "Confidential"),
            "colour": branding.colour,
            "accent": branding.accent,
            "logo": logo,
            **draft_meta(ctx),
        }
    )


def _nps_slope(ctx: ReportContext) -> pd.Series | None:
    return ctx.nps_slope


# -------------------------------------------------------------------------------------- indicators
def _interval_note(row: pd.Series, ctx: ReportContext) -> str:
    share = row["unit"] == "share"
    fmt = (lambda v: _pct(v, ctx)) if share else (lambda v: _n(v, ctx))
    return _t(
        ctx, "95%: {low} … {high} · n = {n}", low=fmt(row["low"]), high=fmt(row["high"]), n=_n(row["n"], ctx)
    )


def _headline(summary: pd.DataFrame, measure: str, scope: str) -> pd.Series | None:
    rows = summary[(summary["measure"] == measure) & (summary["scope"] == scope)]
    return None if rows.empty or pd.isna(rows["score"].iat[0]) else rows.iloc[0]


def indicator_cards(ctx: ReportContext) -> list[tuple[str, str, str]]:
    """Headline NPS (hot, cold), CSAT, CES and CXi-style cards with their intervals."""
    summary = ctx.indicator_summary
    if summary is None:
        return []
    cards = []
    for measure, scope, label in (
        ("nps", "hot", N_("Hot NPS")),
        ("nps", "cold", N_("Cold NPS")),
        ("nps", "all", N_("NPS")),
        ("csat", "all", N_("CSAT (% 4–5)")),
        ("ces", "all", N_("CES (% 5–7)")),
        ("cxi", "all", N_("CXi-style index")),
    ):
        row = _headline(summary, measure, scope)
        if row is None or (
            measure == "nps" and scope == "all" and _headline(summary, "nps", "hot") is not None
        ):
            continue
        value = _pct(row["score"], ctx) if row["unit"] == "share" else _n(row["score"], ctx)
        cards.append((_t(ctx, label), value, _interval_note(row, ctx)))
    return cards


def indicators_section(ctx: ReportContext, callback_rows: int = 10) -> h.Section | None:
    """Indicators hot vs cold, barometer, hot trend, survey practice, key drivers, call-back list."""
    responses = ctx.responses
    if responses is None or ctx.indicator_summary is None:
        return None
    cfg = ctx.config
    body = h.figures(indicator_cards(ctx))
    hot, cold = (
        _headline(ctx.indicator_summary, "nps", "hot"),
        _headline(ctx.indicator_summary, "nps", "cold"),
    )
    if hot is not None and cold is not None:
        body += h.paragraph(
            _fmt_text(
                ctx,
                "Hot (right after a contact) NPS is {hot}; cold (relationship survey) NPS is {cold}.",
                hot=_n(hot["score"], ctx),
                cold=_n(cold["score"], ctx),
            )
        )
        by = "touchpoint" if "touchpoint" in responses.columns else None
        table = ind.hot_vs_cold(responses, by=None, settings=cfg, thresholds=cfg.thresholds)
        body += _chart(indicators_charts.hot_cold_chart(table, "nps", lang=ctx.lang), ctx)
        if by:
            # month -> quarter -> year until the points reach the minimum n (small-sample policy)
            trend, freq = hot_trend_policy(responses, by, cfg, cfg.thresholds)
            if len(trend) and trend["period"].nunique() > 1:
                body += h.subsection(
                    _t(ctx, "Hot results over time"),
                    trend_note(ctx, freq, trend)
                    + _chart(indicators_charts.hot_trend_chart(trend, "nps", lang=ctx.lang), ctx),
                )
    body += _barometer(ctx)
    body += _survey_practice(ctx)
    body += _drivers(ctx)
    body += _callback(ctx, callback_rows)
    return h.Section(
        "indicators",
        _t(ctx, "Survey indicators"),
        body,
        lead=_t(
            ctx, "NPS, CSAT, CES and the CXi-style index, hot and cold, with their confidence intervals."
        ),
    )


def _barometer(ctx: ReportContext) -> str:
    findings, cfg = ctx.survey_figures, ctx.config
    by = findings.get("nps.barometer_drop_by")
    responses = ctx.responses
    if responses is None or not by or by not in responses.columns:
        return ""
    cold = (
        responses[responses["survey"].astype("string") == "cold"]
        if "survey" in responses.columns
        else responses
    )
    table = ind.barometer(cold, by=by, indicators=("nps",), settings=cfg, thresholds=cfg.thresholds)
    if table.empty:
        return ""
    group = findings.get("nps.barometer_drop_group")
    row = table[table[by].astype("string") == str(group)]
    text_html = ""
    if len(row):
        row = row.iloc[0]
        text_html = h.paragraph(
            _fmt_text(
                ctx,
                "Between waves {w1} and {w2} the NPS of the “{group}” group ({by}) changed by {change} "
                "points ({sig}).",
                w1=row["wave_from"],
                w2=row["wave_to"],
                group=display_value(ctx, by, group),
                by=pgettext(ctx.lang, "group column", GROUP_COLUMNS.get(by, by)),
                change=i18n.format_signed(row["change"], ctx.lang, 1),
                sig=_t(ctx, "significant at 95%") if row["significant"] else _t(ctx, "not significant"),
            )
        )
    return h.subsection(
        _t(ctx, "Barometer: change between waves"),
        text_html
        + _chart(
            indicators_charts.barometer_chart(
                table.assign(**{by: [display_value(ctx, by, v) for v in table[by]]}), "nps", lang=ctx.lang
            ),
            ctx,
        ),
    )


def _survey_practice(ctx: ReportContext) -> str:

    invitations, responses, cfg = ctx.client.survey_invitations, ctx.client.survey_responses, ctx.config
    if invitations is None or invitations.empty:
        return ""
    t = cfg.thresholds
    f = ctx.survey_figures
    parts = []
    cold_rate = f.get("survey.response_rate_cold")
    parts.append(
        h.paragraph(
            _fmt_text(
                ctx,
                "Cold response rate {cold} (typical 15–25%). {over} customers get more than {limit} "
                "invitations in {days} days; {stopped} customers stopped answering.",
                cold=_pct(cold_rate, ctx) if cold_rate is not None else "–",
                over=_n(f.get("survey.over_surveyed_customers", 0), ctx),
                limit=_n(getattr(t, "over_surveyed", 3), ctx),
                days=_n(t.pressure_window_days, ctx),
                stopped=_n(f.get("survey.stopped_answering", 0), ctx),
            )
        )
    )
    by = [c for c in ("survey", "touchpoint") if c in invitations.columns]
    rates = ind.response_rate(invitations, responses, by=by or None, thresholds=t)
    parts.append(_chart(indicators_charts.response_rate_chart(rates, lang=ctx.lang), ctx))
    curve = ind.pressure_response_curve(invitations, responses, thresholds=t)
    if len(curve) > 1:
        parts.append(_chart(indicators_charts.pressure_chart(curve, lang=ctx.lang), ctx))
    if responses is not None and "followup_at" in responses.columns:
        loop = ind.closed_loop(responses, settings=cfg, thresholds=t)
        if len(loop) and bool(loop["tracked"].iat[0]) and loop["detractors"].iat[0] > 0:
            parts.append(
                h.paragraph(
                    _fmt_text(
                        ctx,
                        "Hot detractors contacted within {target} hours: {share} ({n} detractors).",
                        target=_n(loop["target_hours"].iat[0], ctx),
                        share=_pct(loop["share_on_time"].iat[0], ctx),
                        n=_n(loop["detractors"].iat[0], ctx),
                    )
                )
            )
    return h.subsection(_t(ctx, "Survey practice"), "".join(parts))


def _drivers(ctx: ReportContext) -> str:

    drivers = ctx.key_drivers
    if drivers is None or drivers.empty:
        return ""
    top = drivers.iloc[0]
    label = top.get("label", top["driver"]) if hasattr(top, "get") else top["driver"]
    intro = _fmt_text(
        ctx,
        "The heaviest driver is “{driver}”: customers who experience it have an NPS {diff} points against "
        "the others. Together the drivers explain {r2} of the variance (R²).",
        driver=label,
        diff=i18n.format_signed(top["difference"], ctx.lang, 0),
        r2=_pct(top["r2"], ctx),
    )
    return h.subsection(
        _t(ctx, "What drives NPS"),
        h.paragraph(intro) + _chart(indicators_charts.key_driver_chart(drivers, lang=ctx.lang), ctx),
    )


def _segment_label(value: object, ctx: ReportContext) -> str:
    return "" if value is None or pd.isna(value) else segment_label(str(value), ctx.lang)


def _callback(ctx: ReportContext, rows: int) -> str:
    lists = ctx.action_lists
    if not lists:
        return ""
    detractors, promoters = lists["ultra_detractors"], lists["ultra_promoters"]
    if detractors.empty:
        return ""
    intro = _fmt_text(
        ctx,
        "{n} customers answered 0 or 1; most recent first. The full list (and the ultra-promoters, {p}, to ask for a testimonial) is in the attached file action_lists.xlsx.",
        n=_n(len(detractors), ctx),
        p=_n(len(promoters), ctx),
    )
    table = h.table(
        detractors.head(rows),
        [
            # names stay in the attachments (action_lists.xlsx) unless report.show_names: true
            h.Column("name" if ctx.config.report.show_names else "customer_id", _t(ctx, "Customer")),
            h.Column("answered_at", _t(ctx, "Date"), lambda v: i18n.format_date(v, ctx.lang)),
            h.Column(
                "touchpoint",
                _t(ctx, "Touchpoint"),
                lambda v: "" if pd.isna(v) else indicators_charts.value_label("touchpoint", v, ctx.lang),
            ),
            h.Column("value_segment", _t(ctx, "Value segment"), lambda v: _segment_label(v, ctx)),
            h.Column("comment", _t(ctx, "Comment"), lambda v: "" if pd.isna(v) else str(v)[:160]),
        ],
        css="cx-small",
    )
    return h.subsection(_t(ctx, "To call back: ultra-detractors (NPS 0–1)"), h.paragraph(intro) + table)


# ---------------------------------------------------------------------------------------- handoffs
def handoffs_section(ctx: ReportContext) -> h.Section | None:
    """Handoff matrix, worst handoffs, toxic dynamics and the satisfaction link."""
    if ctx.cases is None:
        return None
    cases = ctx.cases
    multi = float((cases["departments"] >= 3).mean())
    slope = _nps_slope(ctx)
    if slope is not None:
        intro = _fmt_text(
            ctx,
            "Across {cases} cases there are on average {per_case} handoffs between departments; {multi} "
            "of cases cross at least three departments. Each extra handoff costs on average {slope} NPS "
            "points (95% interval: {low} to {high}).",
            cases=_n(len(cases), ctx),
            per_case=_n(cases["handoffs"].mean(), ctx, 1),
            multi=_pct(multi, ctx),
            slope=i18n.format_signed(slope["slope"], ctx.lang, 1),
            low=i18n.format_signed(slope["slope_low"], ctx.lang, 1),
            high=i18n.format_signed(slope["slope_high"], ctx.lang, 1),
        )
    else:
        intro = _fmt_text(
            ctx,
            "Across {cases} cases there are on average {per_case} handoffs between departments; {multi} "
            "of cases cross at least three departments.",
            cases=_n(len(cases), ctx),
            per_case=_n(cases["handoffs"].mean(), ctx, 1),
            multi=_pct(multi, ctx),
        )
    body = h.paragraph(intro)
    settings = ctx.config.activities
    top_n = settings.top_departments
    figures = ctx.dx.handoffs.figures
    if figures is not None:
        body += h.figures(ht.headline_cards(figures, ctx.lang))
        notes = ht.data_notes(figures, settings, ctx.lang)
        if notes:
            body += h.paragraph(*(h.text(n) for n in notes))
    matrix = ctx.matrix
    if matrix is None or not len(matrix):
        body += h.paragraph(
            h.text(ht.cannot_run(_t(ctx, "The handoff matrix"), ht.say(ctx.lang, ht.NO_HANDOFFS), ctx.lang))
        )
    if matrix is not None and len(matrix):
        departments = len(
            set(matrix["from_department"].astype(str)) | set(matrix["to_department"].astype(str))
        )
        if departments > top_n:
            # the report's run writes every pair to this attachment (write_attachments)
            attachment = f"{HANDOFF_MATRIX}.csv"
            body += h.paragraph(h.text(ht.top_note(top_n, departments, attachment, ctx.lang)))
        body += _chart(handoffs_charts.handoff_heatmap(matrix, "count", lang=ctx.lang, top=top_n), ctx)
        how_to_read = _fmt_text(
            ctx,
            "How to read it: each cell is a handoff from one department (row) to another (column); the "
            "darker, the more cases cross it.",
        )
        body += f'<p class="cx-howto">{how_to_read}</p>'
        worst = ctx.worst_handoffs
        assert worst is not None  # the matrix has rows
        if not len(worst):
            why = ht.no_support(settings.min_support, ctx.lang)
            body += h.paragraph(h.text(ht.cannot_run(ht.say(ctx.lang, ht.WORST_HANDOFFS), why, ctx.lang)))
        else:
            rank = "satisfaction" if (worst["ranking"] == "satisfaction").any() else None
            body += h.subsection(
                _t(ctx, "The worst handoffs"),
                _chart(handoffs_charts.worst_handoffs_chart(worst, "waiting_time", ctx.lang), ctx),
            )
            if rank:
                body += _chart(handoffs_charts.worst_handoffs_chart(worst, rank, ctx.lang), ctx)
            top = (
                matrix[matrix["count"] >= settings.min_support]
                .sort_values("total_wait_h", ascending=False, kind="stable")
                .head(8)
            )
            body += h.paragraph(h.text(ht.support_note(settings.min_support, ctx.lang)))
            body += h.table(
                top,
                [
                    h.Column("from_department", _p(ctx, "handoff table", "From")),
                    h.Column("to_department", _p(ctx, "handoff table", "To")),
                    h.Column(
                        "count", _p(ctx, "handoff table", "Handoffs"), lambda v: _n(v, ctx), numeric=True
                    ),
                    h.Column("median_wait_h", _t(ctx, "Median wait"), lambda v: _hours(v, ctx), numeric=True),
                    h.Column("p90_wait_h", _t(ctx, "90th pct wait"), lambda v: _hours(v, ctx), numeric=True),
                    h.Column("total_wait_h", _t(ctx, "Total wait"), lambda v: _hours(v, ctx), numeric=True),
                    h.Column("ping_pong_rate", _t(ctx, "Ping-pong"), lambda v: _pct(v, ctx), numeric=True),
                ],
            )
    flow = ctx.dx.handoffs.flow
    if flow is not None and len(flow):
        body += h.subsection(
            _t(ctx, "How cases flow"),
            _chart(handoffs_charts.handoff_flow(flow, lang=ctx.lang, top=top_n), ctx),
        )
    toxic = ctx.dx.handoffs.toxic
    toxic = toxic[toxic["cases"] > 0] if toxic is not None else None
    if toxic is not None and len(toxic):
        items = []
        for row in toxic.itertuples(index=False):
            title = handoffs_charts.finding_title(row.finding, ctx.lang)
            values = {
                "title": title,
                "cases": _n(row.cases, ctx),
                "share": _pct(row.share_of_base, ctx),
                "dept": row.department,
            }
            nps_affected = getattr(row, "nps_affected", None)
            if nps_affected is not None and pd.notna(nps_affected):
                sentence = _fmt_text(
                    ctx,
                    "{title}: {cases} cases ({share} of those at risk), mostly in {dept}; NPS {affected} "
                    "against {others} for the others.",
                    affected=_n(nps_affected, ctx),
                    others=_n(row.nps_others, ctx),
                    **values,
                )
            else:
                sentence = _fmt_text(
                    ctx, "{title}: {cases} cases ({share} of those at risk), mostly in {dept}.", **values
                )
            explain = h.text(handoffs_charts.finding_explanation(row.finding, ctx.lang))
            items.append(f"<li>{sentence} <em>{explain}</em></li>")
        body += h.subsection(_t(ctx, "Toxic dynamics"), f'<ul class="cx-findings">{"".join(items)}</ul>')
        if ctx.linked is not None and toxic["nps_gap"].notna().any():
            body += _chart(handoffs_charts.toxic_dynamics_chart(toxic, lang=ctx.lang), ctx)
    by_handoffs = ctx.dx.handoffs.satisfaction_by_handoffs
    if by_handoffs is not None:
        body += h.subsection(
            _t(ctx, "Satisfaction and handoffs"),
            _chart(handoffs_charts.satisfaction_by_handoffs_chart(by_handoffs, "nps", lang=ctx.lang), ctx),
        )
    else:
        responses = ctx.client.survey_responses
        why = ht.NO_RESPONSES if responses is None or not len(responses) else ht.NO_LINKED
        body += h.paragraph(
            h.text(ht.cannot_run(ht.say(ctx.lang, ht.SATISFACTION_LINK), ht.say(ctx.lang, why), ctx.lang))
        )
    return h.Section(
        "handoffs",
        _t(ctx, "Handoffs between departments"),
        body,
        lead=_t(ctx, "Where work crosses departments, how long it waits, and what it costs in satisfaction."),
    )


def journey_section(ctx: ReportContext) -> h.Section | None:
    """Journey map with the emotional line, and the channel mix of arrival."""
    if ctx.cases is None:
        return None
    cfg = ctx.config
    # the busiest stages and one "other" stage computed as a stage (distinct cases, its own NPS)
    stages = journey.journey_map(
        ctx.client.events,
        ctx.linked,
        cfg.activities,
        cfg.indicators,
        cfg.thresholds,
        top=cfg.activities.top_departments,
        other=journey_charts.other_stages_label(ctx.lang),
    )
    body = _chart(
        journey_charts.journey_map_chart(stages, lang=ctx.lang, top=cfg.activities.top_departments), ctx
    )
    how_to_read = _fmt_text(
        ctx,
        "How to read it: the top line is the emotional map — the NPS of customers who go through each stage "
        "against the overall NPS; hollow points have few responses.",
    )
    body += f'<p class="cx-howto">{how_to_read}</p>'
    if "first_channel" not in ctx.cases.columns:
        body += h.paragraph(
            h.text(
                ht.cannot_run(
                    ht.say(ctx.lang, ht.ARRIVAL_CHANNELS), ht.say(ctx.lang, ht.NO_CHANNEL), ctx.lang
                )
            )
        )
    else:
        channels = journey.arrival_channels(ctx.cases, ctx.linked, cfg.indicators, cfg.thresholds)
        if len(channels):
            body += _chart(journey_charts.arrival_channels_chart(channels, lang=ctx.lang), ctx)
    return h.Section(
        "journey",
        _t(ctx, "The customer journey"),
        body,
        lead=_t(ctx, "The stages in the order the customer lives them, with volume, time and satisfaction."),
    )


# ---------------------------------------------------------------------------------------- segments
def _method_label(segmented: pd.DataFrame, ctx: ReportContext) -> str:
    """What valued the customers, per share: "BG/NBD + Gamma-Gamma" alone, or with the share of each
    method when both were used (the trend for short histories)."""
    shares = segments.method_shares(segmented)
    if len(shares) <= 1:
        return segments_charts.label(next(iter(shares), "trend"), ctx.lang)
    return ", ".join(
        _t(
            ctx,
            "{method} for {share} of customers",
            method=segments_charts.label(k, ctx.lang),
            share=_pct(v, ctx),
        )
        for k, v in shares.items()
    )


def _threshold_text(threshold: float | None, ctx: ReportContext) -> str:
    """The rule as applied: at least the threshold, and above zero (a threshold at or below zero reads
    "> 0")."""
    if threshold is None or not math.isfinite(threshold) or threshold <= 0:
        return "> " + i18n.format_money(0, ctx.lang, ctx.currency)
    return "≥ " + i18n.format_money(threshold, ctx.lang, ctx.currency)


def _model_notes(ctx: ReportContext) -> list[str]:
    """Methodology sentences on the value model's fit, only where they hold on this client."""
    segmented = ctx.segmented if ctx.client.transactions is not None else None
    model = None if segmented is None else segmented.attrs.get("value_model")
    if model is None or model.bgnbd is None:
        return []
    notes = []
    if model.no_dropout:
        notes.append(
            _t(
                ctx,
                "The BG/NBD fit finds no dropout (a / (a + b) = {share}): it treats every customer as active "
                "for ever, so future potential is an upper bound.",
                share=i18n.format_number(model.bgnbd.a / (model.bgnbd.a + model.bgnbd.b), ctx.lang, 6),
            )
        )
    if not model.converged:
        notes.append(
            _t(
                ctx,
                "The optimiser of the value model did not report convergence: read future potential as "
                "indicative.",
            )
        )
    return notes


def _analysis_date_note(ctx: ReportContext) -> str:
    """How the analysis date was chosen (one definition for the API and the report)."""
    date = i18n.format_date(ctx.analysis_date, ctx.lang)
    if ctx.config.analysis_date is not None:
        return _t(ctx, "Analysis date {date}, set in client.yaml; later rows are left out.", date=date)
    return _t(
        ctx,
        "Analysis date {date}: the day after the last record up to today (dates further on are typing "
        "slips); later rows are left out and named in the data-quality appendix.",
        date=date,
    )


def segments_section(ctx: ReportContext) -> h.Section | None:
    """Value × potential, the four segments and their service levels."""
    segmented = ctx.segmented
    if segmented is None or segmented.empty:
        return None
    cfg = ctx.config.segments
    cases = ctx.cases
    if cases is not None and "customer_id" not in cases.columns:
        cases = None  # events without customer ids: no handoffs per segment (the rest of the section stands)
    summary = describe_segments(
        segments.segment_summary(segmented, ctx.client.survey_responses, cases, ctx.config.indicators),
        ctx.lang,
    )
    intro = _fmt_text(
        ctx,
        "Current value is the sales of the last {months} months; future potential is the expected value "
        "over the next {horizon} months ({method}). Thresholds: value {vthr}, potential {pthr}.",
        months=cfg.value_window_months,
        horizon=cfg.horizon_months,
        method=_method_label(segmented, ctx),
        vthr=_threshold_text(segmented.attrs.get("value_threshold"), ctx),
        pthr=_threshold_text(segmented.attrs.get("potential_threshold"), ctx),
    )
    body = h.paragraph(intro)
    body += _chart(segments_charts.value_potential_scatter(segmented, lang=ctx.lang), ctx)
    body += _chart(segments_charts.segment_bars(summary, lang=ctx.lang), ctx)
    body += h.table(
        summary,
        [
            h.Column("label", _t(ctx, "Segment")),
            h.Column("customers", _t(ctx, "Customers"), lambda v: _n(v, ctx), numeric=True),
            h.Column("share_customers", _t(ctx, "Share of customers"), lambda v: _pct(v, ctx), numeric=True),
            h.Column("share_of_value", _t(ctx, "Share of value"), lambda v: _pct(v, ctx), numeric=True),
            h.Column("share_of_future", _t(ctx, "Share of potential"), lambda v: _pct(v, ctx), numeric=True),
            h.Column("nps", _t(ctx, "NPS"), lambda v: _n(v, ctx), numeric=True),
            h.Column(
                "handoffs_per_case", _t(ctx, "Handoffs per case"), lambda v: _n(v, ctx, 1), numeric=True
            ),
            h.Column("service_level", _t(ctx, "Suggested service level")),
        ],
    )
    body += value_satisfaction_block(ctx)
    return h.Section(
        "segments",
        _t(ctx, "Customer value"),
        body,
        lead=_t(ctx, "Current value against future potential: which service level for whom."),
    )


# ---------------------------------------------------------------------------------------- comments
def _verbatim_footer(row: pd.Series, theme_label: str, ctx: ReportContext) -> str:
    """Theme · NPS score · value segment · date of one verbatim, each part only when the data has it."""
    parts = [theme_label]
    nps = row.get("nps")
    if nps is not None and pd.notna(nps):
        parts.append(f"NPS {_n(nps, ctx)}")
    segments = ctx.dx.segments.table
    customer = row.get("customer_id")
    if segments is not None and customer is not None and pd.notna(customer):
        found = segments.loc[segments["customer_id"].astype(str) == str(customer), "segment"]
        if len(found) and pd.notna(found.iat[0]):
            parts.append(_segment_label(found.iat[0], ctx))
    answered = row.get("answered_at")
    if answered is not None and pd.notna(answered):
        parts.append(i18n.format_date(answered, ctx.lang))
    return " · ".join(parts)


def comments_section(ctx: ReportContext, verbatims_per_theme: int = 2) -> h.Section | None:
    """Themes by sentiment, their trend, and representative verbatims (escaped)."""
    analysed = ctx.comments
    if analysed is None:
        return None
    cfg = ctx.config
    summary = ctx.comment_themes
    assert summary is not None  # there are comments
    negative = int((analysed["polarity"] == "negative").sum())
    top_theme = summary["label"].iat[0] if len(summary) and "label" in summary.columns else "–"
    body = h.paragraph(
        _fmt_text(
            ctx,
            "{n} comments analysed; {neg} negative. The theme with most negative comments is “{theme}”.",
            n=_n(len(analysed), ctx),
            neg=_pct(negative / len(analysed), ctx),
            theme=top_theme,
        )
    )
    model = ctx.dx.comments.model
    if model is not None:
        body += h.paragraph(
            _fmt_text(
                ctx,
                "Sentiment: the lexicon blended with a model ({model}) trained on {n} comments labelled by "
                "the consultant ({pos} positive, {neg} negative).",
                model=model.name,
                n=_n(model.n_labels, ctx),
                pos=_n(model.n_positive, ctx),
                neg=_n(model.n_negative, ctx),
            )
        )
    else:
        body += h.paragraph(
            _fmt_text(ctx, "Sentiment: the lexicon alone (no comments labelled by the consultant yet).")
        )
    no_signal = int((analysed["polarity"] == "no_signal").sum())
    if no_signal:
        body += h.paragraph(
            _fmt_text(
                ctx,
                "{share} of the comments ({n}) contain no word that carries sentiment: they are reported "
                "as “no signal”, not counted as neutral.",
                share=_pct(no_signal / len(analysed), ctx),
                n=_n(no_signal, ctx),
            )
        )
    if len(summary):
        body += _chart(text_charts.theme_sentiment_chart(summary, lang=ctx.lang), ctx)
        trend = text.theme_trend(analysed, freq="M")
        if trend["period"].nunique() > 1:
            body += _chart(text_charts.theme_trend_chart(trend, lang=ctx.lang), ctx)
        body += h.table(
            summary,
            [
                h.Column("label", _t(ctx, "Theme")),
                h.Column("mentions", _t(ctx, "Mentions"), lambda v: _n(v, ctx), numeric=True),
                h.Column("negative_share", _t(ctx, "Negative share"), lambda v: _pct(v, ctx), numeric=True),
                h.Column("nps", _t(ctx, "NPS of mentioners"), lambda v: _n(v, ctx), numeric=True),
            ],
        )
        quotes = []
        for theme_key, label in zip(summary["theme"].head(3), summary["label"].head(3), strict=True):
            picked = text.verbatims(
                analysed,
                theme_key,
                n=verbatims_per_theme,
                thresholds=cfg.thresholds,
                first_language=ctx.lang,  # the reader's language first; others only when there is no more
            )
            for _, row in picked.iterrows():
                quotes.append(
                    f'<blockquote class="cx-quote"><p>{h.text(str(row["comment"]))}</p>'
                    f"<footer>{h.text(_verbatim_footer(row, label, ctx))}</footer></blockquote>"
                )
        if quotes:
            body += h.subsection(_t(ctx, "In the customers' words"), "".join(quotes))
    return h.Section(
        "comments",
        _t(ctx, "What customers say"),
        body,
        lead=_t(ctx, "The comments read automatically: sentiment, themes and the verbatims that matter."),
    )


# ----------------------------------------------------------------------------------------- culture
def culture_section(ctx: ReportContext) -> h.Section | None:
    """Pillar scores per department, the spread between departments, self-rating vs others."""
    table = ctx.client.culture
    if table is None or table.empty:
        return None
    pillars, departments = ctx.dx.culture.pillars, ctx.dx.culture.departments
    assert pillars is not None and departments is not None  # the culture table has rows
    spread = culture.department_spread(pillars)
    widest = spread.sort_values("spread", ascending=False).iloc[0]
    lowest = departments.iloc[0]
    pillar_name = (
        translate(PILLARS, widest["pillar"], ctx.lang) if isinstance(PILLARS, dict) else widest["pillar"]
    )
    body = h.paragraph(
        _fmt_text(
            ctx,
            "{resp} participants from {depts} departments. The lowest-scoring department is {low} "
            "({low_score}); the widest gap between departments is on the “{pillar}” pillar ({spread} "
            "points).",
            resp=_n(table["respondent"].nunique() if "respondent" in table.columns else len(table), ctx),
            depts=_n(departments["department"].nunique(), ctx),
            low=lowest["department"],
            low_score=_n(lowest["score"], ctx, 1),
            pillar=pillar_name,
            spread=_n(widest["spread"], ctx, 1),
        )
    )
    body += _chart(culture_charts.culture_heatmap(pillars, lang=ctx.lang), ctx)
    svo = ctx.dx.culture.self_vs_others
    if svo is not None and len(svo) and svo["by_others"].notna().any():
        body += _chart(culture_charts.self_vs_others_chart(svo, lang=ctx.lang), ctx)
    return h.Section(
        "culture",
        _t(ctx, "Customer culture by department"),
        body,
        lead=_t(ctx, "The departments' workshop self-assessment by pillar, and how they see each other."),
    )


# ------------------------------------------------------------------------------------- appendices
def data_quality_section(ctx: ReportContext) -> h.Section:
    """Rows read, kept and dropped per table, and every problem found (the data-quality appendix)."""
    quality = ctx.client.quality
    summary = quality.summary()
    body = h.table(
        summary,
        [
            h.Column("table", _t(ctx, "Table"), lambda v: table_label(ctx, v)),
            h.Column("file", _t(ctx, "File")),
            h.Column("rows_read", _t(ctx, "Rows read"), lambda v: _n(v, ctx), numeric=True),
            h.Column("rows_kept", _t(ctx, "Rows kept"), lambda v: _n(v, ctx), numeric=True),
            h.Column("rows_dropped", _t(ctx, "Rows dropped"), lambda v: _n(v, ctx), numeric=True),
            h.Column("values_blanked", _t(ctx, "Values blanked"), lambda v: _n(v, ctx), numeric=True),
        ],
    )
    issues = quality.issues_frame()
    if len(issues):
        body += h.table(
            issues,
            [
                h.Column("table", _t(ctx, "Table"), lambda v: table_label(ctx, v)),
                h.Column("column", _t(ctx, "Column")),
                h.Column("problem", _t(ctx, "Problem")),
                h.Column("count", _p(ctx, "data quality table", "Count"), lambda v: _n(v, ctx), numeric=True),
                h.Column("rows", _t(ctx, "Rows (first)")),
                h.Column("found", "→"),
            ],
            css="cx-small",
        )
    else:
        body += h.paragraph(_fmt_text(ctx, "No problem found in the data."))
    notes = "".join(
        f"<li>{h.text(n.translated(ctx.lang) if isinstance(n, Note) else n)}</li>" for n in quality.notes
    )
    if notes:
        body += f"<ul>{notes}</ul>"
    return h.Section(
        "data-quality",
        _t(ctx, "Appendix: data quality"),
        body,
        lead=_t(ctx, "What we read, what we dropped, and why."),
    )


def methodology_section(ctx: ReportContext) -> h.Section:
    """The definitions and the client's settings behind every figure of the report: the survey
    indicators' notes come from :func:`cxlab.report.methodology.methodology`, the other analyses' from here."""

    cfg = ctx.config
    values = {
        "days": _n(cfg.activities.case_window_days, ctx),
        "trend": cfg.segments.trend_months,
        "vshare": _pct(cfg.segments.value_top_share, ctx),
    }
    notes = []
    if ctx.indicator_summary is not None:
        notes += list(methodology(cfg, cfg.thresholds, ctx.lang)["text"])
    notes += [_t(ctx, note, **values) for note in METHOD_NOTES]
    if ctx.cases is not None:
        notes += ht.method_notes(cfg.activities, ctx.lang)
    notes += _model_notes(ctx)
    notes.append(_analysis_date_note(ctx))
    items = "".join(f"<li>{h.text(note)}</li>" for note in notes)
    return h.Section(
        "methodology",
        _t(ctx, "Appendix: methodology"),
        f'<ul class="cx-method">{items}</ul>',
        lead=_t(ctx, "The definitions and settings used in this report."),
    )


SECTIONS: dict[str, Callable[[ReportContext], h.Section | None]] = {
    "summary": executive_summary,
    "indicators": indicators_section,
    "handoffs": handoffs_section,
    "journey": journey_section,
    "segments": segments_section,
    "comments": comments_section,
    "culture": culture_section,
    "recommendations": recommendations_section,
    "data_quality": data_quality_section,
    "methodology": methodology_section,
}
