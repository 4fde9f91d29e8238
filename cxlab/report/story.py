"""The report's story: the executive summary told as insights, recommendations as initiatives, drafts marked.

* :func:`executive_summary` — KPI tiles with their change against the previous wave or period, three to
  five insights chosen by the rules of :mod:`cxlab.insights` (each sentence with its figure, its change
  and the evidence chain across analyses), and one top action per initiative (no two naming the same
  department pair).
* :func:`recommendations_section` — the recommendations merged into initiatives
  (:mod:`cxlab.recommend.initiatives`) with expected impact from the data, owner, effort and a
  quarter-by-quarter roadmap; the full list stays in ``action_plan.xlsx``.
* Drafts: while any recommendation in the report is unreviewed, each carries a "Proposal" mark and the
  report a "Draft" watermark (:func:`draft_meta`, read by the nbconvert template); ``cxlab report
  --final`` refuses to build.

Words are English msgids translated in ``cxlab/locale/<lang>/LC_MESSAGES/story.po``.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd

from .. import i18n
from ..charts import segments as segments_charts
from ..i18n import NP_, gettext, pgettext
from ..insights import Insight, Kpi, initiative_impact, kpis, select_insights, value_satisfaction
from ..recommend import Recommendation
from ..recommend.initiatives import Initiative, group_initiatives, roadmap_quarters, top_actions
from ..text import theme_label
from . import html as h
from .charts import chart_html
from .context import ReportContext
from .segments_text import segment_label

#: the initiatives (keys of :mod:`cxlab.recommend.initiatives`) as the report names them
INITIATIVE_NAMES: dict[str, str] = {
    "handoffs": NP_("initiative", "Handoffs with an owner, right first time"),
    "empowerment": NP_("initiative", "An empowered, trained front line"),
    "knowledge": NP_("initiative", "One answer, and the customer knows where the case stands"),
    "self_service": NP_("initiative", "Self-service that works end to end"),
    "listening": NP_("initiative", "Listen hot and cold, and close the loop"),
    "value": NP_("initiative", "Service levels by customer value"),
    "governance": NP_("initiative", "CX governance: a sponsor and an owner"),
    "other": NP_("initiative", "Other actions"),
}

#: what the hot-NPS tile compares: the last months against as many months before
HOT_MONTHS = 3


def _t(ctx: ReportContext, message: str, **values: object) -> str:
    return gettext(ctx.lang, message, **values)


def _p(ctx: ReportContext, context: str, message: str, **values: object) -> str:
    return pgettext(ctx.lang, context, message, **values)


def _fmt_text(ctx: ReportContext, message: str, **values: object) -> str:
    return h.text(_t(ctx, message, **values))


def _n(value: float | int | None, ctx: ReportContext, decimals: int = 0) -> str:
    return i18n.format_number(value, ctx.lang, decimals)


def _signed(value: float | None, ctx: ReportContext, decimals: int = 1) -> str:
    return i18n.format_signed(value, ctx.lang, decimals)


def _pct(value: float | None, ctx: ReportContext, decimals: int = 0) -> str:
    return i18n.format_percent(value, ctx.lang, decimals)


def _score(value: float | None, ctx: ReportContext, decimals: int = 0) -> str:
    """A score that may be negative, with the typographic minus (never a hyphen-minus)."""
    return i18n.format_number(value, ctx.lang, decimals).replace("-", "−")


def client_words(ctx: ReportContext, text: str) -> str:
    """``text`` with the canonical category values of the client's ``values`` mappings written as the
    client writes them (a playbook sentence quoting "Construction" says "Edilizia" in the client's
    language); whole words only."""
    if ctx.lang != ctx.config.language or not text:
        return text
    for source in ctx.config.tables.values():
        for mapping in (getattr(source, "values", None) or {}).values():
            for own, canonical in mapping.items():
                if str(canonical) != str(own) and str(canonical) in text:
                    text = re.sub(rf"(?<!\w){re.escape(str(canonical))}(?!\w)", str(own), text)
    return text


def _rec_text(ctx: ReportContext, value: Any) -> str:
    """A recommendation's title, action or evidence in the report language, in the client's words."""
    return client_words(ctx, value.get(ctx.lang))


def _evidence(ctx: ReportContext, rec: Recommendation, css: str = "") -> str:
    """A recommendation's evidence and a space, or nothing for one without evidence (a custom
    recommendation may have none: no empty evidence is printed)."""
    text = _rec_text(ctx, rec.evidence).strip() if rec.evidence is not None else ""
    if not text:
        return ""
    return (f'<span class="{css}">{h.text(text)}</span>' if css else h.text(text)) + " "


def display_value(ctx: ReportContext, column: str, value: object) -> str:
    """A category as the client writes it: the client's own label from the ``values`` mapping of
    ``client.yaml`` when the report is in the client's language (Construction -> Edilizia), else the value."""
    text = str(value)
    if ctx.lang != ctx.config.language:
        return text
    for source in ctx.config.tables.values():
        mapping = (getattr(source, "values", None) or {}).get(column) or {}
        for own, canonical in mapping.items():
            if str(canonical) == text:
                return str(own)
    return text


# ------------------------------------------------------------------------------------------ drafts
def unreviewed_count(ctx: ReportContext) -> int:
    """Recommendations in the report the consultant has not reviewed yet."""
    return sum(r.status == "proposed" for r in ctx.recommendations)


def proposal_mark(ctx: ReportContext, rec: Recommendation | Initiative) -> str:
    """The visible "Proposal" tag of an unreviewed recommendation (or an initiative holding one)."""
    proposed = rec.unreviewed > 0 if isinstance(rec, Initiative) else rec.status == "proposed"
    if not proposed:
        return ""
    label = _p(ctx, "draft", "Proposal")
    return f' <span class="cx-draft-tag">{h.text(label)}</span>'


def draft_meta(ctx: ReportContext) -> dict[str, Any]:
    """The cover data of a draft: the watermark word and the banner, empty when everything is reviewed."""
    count = unreviewed_count(ctx)
    if not count:
        return {}
    return {
        "draft": _p(ctx, "draft", "Draft"),
        "draft_note": _t(
            ctx,
            "Draft: {count} of the {shown} recommendations are proposals not reviewed yet.",
            count=_n(count, ctx),
            shown=_n(len(ctx.recommendations), ctx),
        ),
    }


# ----------------------------------------------------------------------------------- the insights
def _wave_sig(ctx: ReportContext, significant: bool) -> str:
    return _t(ctx, "significant at 95%") if significant else _t(ctx, "not significant")


def insight_sentence(ctx: ReportContext, insight: Insight) -> str:
    """One insight as an escaped sentence in the report language."""
    f = insight.figures
    if insight.key == "barometer_drop":
        group = display_value(ctx, str(f["by"]), f["group"])
        by_key = "customer segment" if f["by"] == "segment" else str(f["by"])  # as sections.GROUP_COLUMNS
        head = _t(
            ctx,
            "{group} ({by}): cold NPS fell {points} points between waves {w1} and {w2} ({sig}); all customers: "
            "{all}.",
            group=group,
            by=pgettext(ctx.lang, "group column", by_key),
            points=_n(abs(float(f["points"])), ctx, 1),
            w1=f.get("wave_from", "–"),
            w2=f.get("wave_to", "–"),
            sig=_wave_sig(ctx, bool(f["significant"])),
            all=_signed(f.get("change_all"), ctx, 1),
        )
        link = f.get("link")
        if not link:
            return h.text(head)
        chain = _t(
            ctx,
            "Their cases come back across the {source} → {target} handoff in {rate} of cases, against {others} "
            "for the other customers.",
            source=link["handoff_from"],
            target=link["handoff_to"],
            rate=_pct(link["rate_group"], ctx),
            others=_pct(link["rate_others"], ctx),
        )
        extra = []
        if link.get("activity"):
            extra.append(_t(ctx, "The most frequent reason: “{activity}”.", activity=link["activity"]))
        if "rate_before" in link:
            extra.append(
                _t(
                    ctx,
                    "For {group} the rate went from {before} before wave {w1} to {after} after.",
                    group=group,
                    before=_pct(link["rate_before"], ctx),
                    after=_pct(link["rate_after"], ctx),
                    w1=f.get("wave_from", "–"),
                )
            )
        return h.text(" ".join([head, chain, *extra]))
    if insight.key == "premium_nps":
        parts = [
            _t(
                ctx,
                "Premium customers ({value} of current value) give an NPS of {nps} (n = {n}), the lowest of the "
                "{k} value segments; all answers: {all}.",
                value=_pct(f.get("value_share"), ctx),
                nps=_score(f["nps"], ctx),
                n=_n(f["n"], ctx),
                k=_n(f["segments"], ctx),
                all=_score(f["nps_all"], ctx),
            )
            if f["lowest"]
            else _t(
                ctx,
                "Premium customers ({value} of current value) give an NPS of {nps} (n = {n}); all answers: "
                "{all}; best segment: {best} ({best_nps}).",
                value=_pct(f.get("value_share"), ctx),
                nps=_score(f["nps"], ctx),
                n=_n(f["n"], ctx),
                all=_score(f["nps_all"], ctx),
                best=segment_label(str(f["best_segment"]), ctx.lang),
                best_nps=_score(f["best_nps"], ctx),
            )
        ]
        if f.get("revenue_at_risk"):
            parts.append(
                _t(
                    ctx,
                    "Revenue at risk (predicted value of the customers whose latest answer is a detractor's): "
                    "{risk}, of which premium {premium}.",
                    risk=i18n.format_money(f["revenue_at_risk"], ctx.lang, ctx.currency),
                    premium=i18n.format_money(f.get("revenue_at_risk_premium", 0.0), ctx.lang, ctx.currency),
                )
            )
        return h.text(" ".join(parts))
    if insight.key == "pingpong":
        text = _t(
            ctx,
            "{cases} cases ({share} of all) bounce between {a} and {b}; {repeat} of them more than once.",
            cases=_n(f["cases"], ctx),
            share=_pct(f["share_of_cases"], ctx),
            a=f["a"],
            b=f["b"],
            repeat=_pct(f["repeat_rate"], ctx),
        )
        if "chaser_share" in f:
            text += " " + _t(
                ctx,
                "While they wait for an authorisation ({wait} median), {chasers} of these customers chase us.",
                wait=i18n.format_duration_hours(f.get("authorisation_wait_h"), ctx.lang),
                chasers=_pct(f["chaser_share"], ctx),
            )
        return h.text(text)
    if insight.key == "selfservice":
        return _fmt_text(
            ctx,
            "{share} of self-service attempts ({cases} cases) end in a call or an e-mail to us.",
            share=_pct(f["share"], ctx),
            cases=_n(f["cases"], ctx),
        )
    if insight.key == "handoff_threshold":
        values = {
            "k": _n(f["threshold"], ctx),
            "below": _score(f["nps_below"], ctx),
            "above": _score(f["nps_above"], ctx),
            "n": _n(f["n_above"], ctx),
            "share": _pct(f["share_above"], ctx),
        }
        if "first" in f:
            return _fmt_text(
                ctx,
                "NPS does not fall with each handoff, it has a threshold: it goes from {nps_first} with {first} "
                "to {nps_last} with {last} handoffs, then falls to {above} from {k} handoffs on ({n} answers, "
                "{share} of the answered cases; {below} with fewer than {k}).",
                first=_n(f["first"], ctx),
                nps_first=_score(f["nps_first"], ctx),
                last=_n(f["last"], ctx),
                nps_last=_score(f["nps_last"], ctx),
                **values,
            )
        return _fmt_text(
            ctx,
            "NPS falls to {above} from {k} handoffs on ({n} answers, {share} of the answered cases), against "
            "{below} with fewer than {k}.",
            **values,
        )
    if insight.key == "comment_theme":
        return _fmt_text(
            ctx,
            "Customers who write about “{theme}” give an NPS of {nps}, {gap} points against all answers "
            "({customers} customers).",
            theme=theme_label(str(f["theme"]), ctx.lang),
            nps=_score(f["nps"], ctx),
            gap=_signed(f["gap"], ctx, 0),
            customers=_n(f["customers"], ctx),
        )
    return ""


# ----------------------------------------------------------------------------------------- the KPIs
def kpi_card(ctx: ReportContext, kpi: Kpi) -> tuple[str, str, str]:
    """(label, value, note) of a KPI tile: the note carries the change and n."""
    labels = {
        "nps_cold": _t(ctx, "Cold NPS, wave {wave}", wave=kpi.current_label),
        "nps_hot": _t(ctx, "Hot NPS, last {months} months", months=_n(HOT_MONTHS, ctx)),
        "response_rate_cold": _t(ctx, "Cold response rate, wave {wave}", wave=kpi.current_label),
        "closed_loop": _t(
            ctx,
            "Hot detractors contacted within {hours} h, last {months} months",
            hours=_n(kpi.target_hours, ctx),
            months=_n(HOT_MONTHS, ctx),
        ),
    }
    value = _pct(kpi.value, ctx) if kpi.unit == "share" else _score(kpi.value, ctx)
    if kpi.delta is None:
        note = _t(ctx, "no earlier period in the data · n = {n}", n=_n(kpi.n, ctx))
    else:
        delta = _signed(kpi.delta * (100 if kpi.unit == "share" else 1), ctx, 1)
        if kpi.previous_label:
            note = _t(
                ctx,
                "{delta} points against {previous} · n = {n}",
                delta=delta,
                previous=kpi.previous_label,
                n=_n(kpi.n, ctx),
            )
        else:
            note = _t(
                ctx,
                "{delta} points against the {months} months before · n = {n}",
                delta=delta,
                months=_n(HOT_MONTHS, ctx),
                n=_n(kpi.n, ctx),
            )
    target = getattr(ctx.config.report.targets, kpi.key, None)
    if target is not None:
        share = kpi.unit == "share"
        note += " · " + _t(
            ctx,
            "target {target}: {gap} points",
            target=_pct(target, ctx) if share else _score(target, ctx),
            gap=_signed((kpi.value - target) * (100 if share else 1), ctx, 1),
        )
    if kpi.small_n:
        note += " · " + _t(ctx, "small sample")
    return labels.get(kpi.key, kpi.key), value, note


def _initiatives(ctx: ReportContext) -> list[Initiative]:
    """The shown recommendations as initiatives; the barometer recommendation joins the initiative of the
    handoff the story links the drop to."""
    assign: dict[str, str] = {}
    first = next((i for i in _insights(ctx) if i.key == "barometer_drop" and i.get("link")), None)
    if first is not None:
        for rec in ctx.recommendations:
            if any(k.startswith("nps.barometer_drop") for k in rec.figures):
                assign[rec.id] = "handoffs"
    return group_initiatives(ctx.recommendations, assign)


def _insights(ctx: ReportContext) -> list[Insight]:
    cache = ctx.__dict__.setdefault("_story_cache", {})
    if "insights" not in cache:
        cache["insights"] = select_insights(ctx.dx)
    return cache["insights"]


def executive_summary(ctx: ReportContext, top: int = 5) -> h.Section:
    """The story first: KPI tiles with deltas, the insights, and one action per initiative."""
    cards: list[tuple[str, str, str]] = []
    for kpi in kpis(ctx.dx, months=HOT_MONTHS):
        cards.append(kpi_card(ctx, kpi))
    if ctx.cases is not None:
        cards.append((_t(ctx, "Cases analysed"), _n(len(ctx.cases), ctx), ""))
        cards.append((_t(ctx, "Handoffs per case"), _n(ctx.cases["handoffs"].mean(), ctx, 1), ""))
    if ctx.client.customers is not None:
        cards.append((_t(ctx, "Customers"), _n(len(ctx.client.customers), ctx), ""))
    body = ""
    meta = draft_meta(ctx)
    if meta:
        body += f'<p class="cx-draft-banner">{h.text(meta["draft_note"])}</p>'
    insights = _insights(ctx)
    if insights:
        items = "".join(
            f'<li class="cx-insight" data-insight="{h.text(i.key)}">{insight_sentence(ctx, i)}</li>'
            for i in insights
        )
        body += h.subsection(_t(ctx, "What the diagnosis shows"), f'<ol class="cx-insights">{items}</ol>')
    body += h.figures(cards)
    initiatives = _initiatives(ctx)
    actions = top_actions(initiatives, limit=top)
    if actions:
        owner = _t(ctx, "Owner")
        by_rec = {r.id: i for i in initiatives for r in i.recommendations}
        items = "".join(
            f"<li><strong>{h.text(_rec_text(ctx, r.title))}</strong>{proposal_mark(ctx, r)} — "
            f"{_evidence(ctx, r)}"
            f'<span class="cx-owner">{h.text(owner)}: {h.text(r.owner_label(ctx.lang))} · '
            f"{h.text(_p(ctx, 'initiative', INITIATIVE_NAMES.get(by_rec[r.id].key, by_rec[r.id].key)))}</span></li>"
            for r in actions
        )
        body += h.subsection(_t(ctx, "Priority actions"), f'<ol class="cx-top-recs">{items}</ol>')
    return h.Section(
        "summary",
        _t(ctx, "Executive summary"),
        body,
        lead=_t(
            ctx, "What the data shows, how it changed since the last wave, and the actions to start first."
        ),
        figures=tuple((label, value) for label, value, _ in cards),
        counts=(("insights", len(insights)), ("initiatives", len(initiatives))),
        deck={
            "title": _t(ctx, "What the diagnosis shows"),
            "insights": [html.unescape(insight_sentence(ctx, i)) for i in insights],
            "kpis": [list(card) for card in cards],
        },
    )


# ---------------------------------------------------------------------------------- the initiatives
def impact_text(ctx: ReportContext, initiative: Initiative) -> str:
    impact = initiative_impact(ctx.dx, initiative.key)
    if impact is None:
        return _t(ctx, "Expected impact: an enabler of the other initiatives (no figure of its own).")
    if impact.kind == "money":
        return _t(
            ctx,
            "Expected impact: protects {money} of predicted customer value now held by detractors.",
            money=i18n.format_money(impact.value, ctx.lang, ctx.currency),
        )
    return _t(
        ctx,
        "Expected impact: {points} hot NPS points if the affected cases ({share} of the {n} answers) scored "
        "like the others.",
        points=_signed(impact.value, ctx, 1),
        share=_pct(impact.share, ctx),
        n=_n(impact.n, ctx),
    )


def _roadmap(ctx: ReportContext, initiatives: list[Initiative]) -> str:
    quarters = roadmap_quarters(initiatives)
    if not quarters:
        return ""
    rows = []
    for i in initiatives:
        row: dict[str, Any] = {"initiative": _p(ctx, "initiative", INITIATIVE_NAMES.get(i.key, i.key))}
        for q in quarters:
            due = i.due_in(q)
            if due:
                row[q] = (
                    _t(ctx, "one action")
                    if len(due) == 1
                    else _t(ctx, "{count} actions", count=_n(len(due), ctx))
                )
            else:
                row[q] = ""
        rows.append(row)
    columns = [h.Column("initiative", _t(ctx, "Initiative"))] + [h.Column(q, q) for q in quarters]
    return h.table(pd.DataFrame(rows), columns, caption=_t(ctx, "Roadmap by quarter"), css="cx-roadmap")


def recommendations_section(ctx: ReportContext) -> h.Section:
    """The recommendations as 5–8 initiatives with impact, owner, effort and roadmap."""
    recs = ctx.recommendations
    if not recs:
        return h.Section(
            "recommendations",
            _t(ctx, "Recommendations and action plan"),
            h.paragraph(_fmt_text(ctx, "No recommendation accepted for this client.")),
        )
    initiatives = _initiatives(ctx)
    body = h.paragraph(
        _fmt_text(
            ctx,
            "{recs} recommendations, each triggered by a figure of the diagnosis, are grouped into {count} "
            "initiatives. The full list, with evidence and priority, is in the attachment action_plan.xlsx.",
            recs=_n(len(recs), ctx),
            count=_n(len(initiatives), ctx),
        )
    )
    body += _roadmap(ctx, initiatives)
    owner, effort, when = _t(ctx, "Owner"), _t(ctx, "Effort"), _t(ctx, "When")
    for i in initiatives:
        actions = "".join(
            f"<li><strong>{h.text(_rec_text(ctx, r.title))}</strong>{proposal_mark(ctx, r)} — "
            f"{h.text(_rec_text(ctx, r.action))} "
            f"{_evidence(ctx, r, css='cx-rec-evidence')}"
            f'<span class="cx-rec-due">{h.text(r.due)}</span></li>'
            for r in i.recommendations
        )
        span = i.quarters[0] if len(i.quarters) == 1 else f"{i.quarters[0]} – {i.quarters[-1]}"
        body += (
            f'<article class="cx-rec cx-initiative" data-initiative="{h.text(i.key)}">'
            f"<h3>{h.text(_p(ctx, 'initiative', INITIATIVE_NAMES.get(i.key, i.key)))}{proposal_mark(ctx, i)}</h3>"
            f'<p class="cx-impact">{h.text(impact_text(ctx, i))}</p>'
            f'<p class="cx-rec-meta">{h.text(owner)}: {h.text(i.owner_label(ctx.lang))} · '
            f"{h.text(effort)}: {h.text(_p(ctx, 'effort', i.effort))} · {h.text(when)}: {h.text(span)}</p>"
            f'<ol class="cx-initiative-actions">{actions}</ol></article>'
        )
    unreviewed = unreviewed_count(ctx)
    quarters = roadmap_quarters(initiatives)
    deck = {
        "title": _t(ctx, "Recommendations and action plan"),
        "roadmap_title": _t(ctx, "Roadmap by quarter"),
        "headers": [_t(ctx, "Initiative"), _t(ctx, "Owner"), _t(ctx, "Effort"), _t(ctx, "When")],
        "initiatives": [
            {
                "name": _p(ctx, "initiative", INITIATIVE_NAMES.get(i.key, i.key)),
                "impact": impact_text(ctx, i),
                "owner": i.owner_label(ctx.lang),
                "effort": _p(ctx, "effort", i.effort),
                "when": i.quarters[0] if len(i.quarters) == 1 else f"{i.quarters[0]} – {i.quarters[-1]}",
                "draft": _p(ctx, "draft", "Proposal") if i.unreviewed else "",
                "roadmap": [len(i.due_in(q)) for q in quarters],
            }
            for i in initiatives
        ],
        "quarters": quarters,
    }
    return h.Section(
        "recommendations",
        _t(ctx, "Recommendations and action plan"),
        body,
        lead=_t(
            ctx, "Related recommendations merged into initiatives, with their expected impact and a roadmap."
        ),
        counts=(
            ("unreviewed", unreviewed),
            ("shown", len(recs)),
            ("pending", len(ctx.review.proposed)),
            ("initiatives", len(initiatives)),
        ),
        deck=deck,
    )


# ------------------------------------------------------------------------------------- chart notes
#: the period letters of :func:`cxlab.insights.hot_trend_policy` as the report names them
PERIOD_NAMES: dict[str, str] = {
    "M": NP_("period", "month"),
    "Q": NP_("period", "quarter"),
    "Y": NP_("period", "year"),
}


def trend_note(ctx: ReportContext, freq: str, trend: pd.DataFrame) -> str:
    """The small-sample policy of a trend chart, stated: the period chosen, the minimum n, the points
    below it (drawn hollow) and n beside every point."""
    small = int(trend["small_n"].astype(bool).sum()) if "small_n" in trend.columns else 0
    text = _t(
        ctx,
        "One point per {period}, the shortest period in which most points reach {min_n} answers; n is "
        "written beside each point; {small} of {points} points have fewer answers and are drawn hollow.",
        period=pgettext(ctx.lang, "period", PERIOD_NAMES.get(freq, freq)),
        min_n=_n(ctx.config.thresholds.small_n, ctx),
        small=_n(small, ctx),
        points=_n(len(trend), ctx),
    )
    return f'<p class="cx-howto">{h.text(text)}</p>'


#: the canonical tables as the data-quality appendix names them
TABLE_NAMES: dict[str, str] = {
    "customers": NP_("table", "Customer list"),
    "transactions": NP_("table", "Sales transactions"),
    "events": NP_("table", "Case events"),
    "survey_invitations": NP_("table", "Survey invitations"),
    "survey_responses": NP_("table", "Survey responses"),
    "culture": NP_("table", "Culture workshop"),
}


def table_label(ctx: ReportContext, key: object) -> str:
    """A canonical table name (``survey_responses``) in the report language."""
    text = str(key)
    return pgettext(ctx.lang, "table", TABLE_NAMES[text]) if text in TABLE_NAMES else text


# ------------------------------------------------------------------------------ value × satisfaction
def value_satisfaction_block(ctx: ReportContext) -> str:
    """Satisfaction joined to value: NPS and the promoter / passive / detractor split per value segment,
    the revenue at risk, and NPS per segment × touchpoint (empty without segments or NPS)."""
    joined = value_satisfaction(ctx.dx)
    if joined is None or joined.segments.empty:
        return ""
    seg = joined.segments.set_index("value_segment")
    worst = str(seg["score"].idxmin())
    text = _t(
        ctx,
        "Revenue at risk: {risk} of predicted value (next 12 months) belongs to customers whose latest "
        "answer is a detractor's. The lowest NPS is in the {segment} segment ({nps}, n = {n}), which "
        "holds {segment_risk} of that value.",
        risk=i18n.format_money(joined.revenue_at_risk, ctx.lang, ctx.currency),
        segment=segment_label(worst, ctx.lang),
        nps=_score(seg.loc[worst, "score"], ctx),
        n=_n(seg.loc[worst, "n"], ctx),
        segment_risk=i18n.format_money(seg.loc[worst, "revenue_at_risk"], ctx.lang, ctx.currency),
    )
    body = h.paragraph(h.text(text))
    body += chart_html(
        segments_charts.segment_nps_split_chart(joined.segments, ctx.lang), ctx.static_charts, ctx.lang
    )
    if joined.by_touchpoint is not None and len(joined.by_touchpoint):
        body += chart_html(
            segments_charts.segment_touchpoint_heatmap(joined.by_touchpoint, ctx.lang),
            ctx.static_charts,
            ctx.lang,
        )
    return h.subsection(_t(ctx, "Value and satisfaction"), body)
