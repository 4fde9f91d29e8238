"""The sections of the client report, in Italian or English.

Each function takes the :class:`~cxlab.report.context.ReportContext` and returns a
:class:`~cxlab.report.html.Section` (or ``None`` when the client's data cannot support it — the section is
then left out, never faked). Sections only call analyses and chart builders of the library; the words
around the figures live here, in both languages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from .. import i18n
from ..i18n import translate
from . import html as h
from .charts import chart_html
from .context import ReportContext

T: dict[str, dict[str, str]] = {
    "report_title": {"it": "Diagnosi dell'esperienza cliente", "en": "Customer experience diagnosis"},
    "toc": {"it": "Indice", "en": "Contents"},
    "prepared": {"it": "Dati aggiornati al", "en": "Data as of"},
    "generated": {"it": "Generato il", "en": "Generated on"},
    "confidential": {"it": "Documento riservato", "en": "Confidential"},
    # executive summary
    "summary": {"it": "Sintesi", "en": "Executive summary"},
    "summary_lead": {
        "it": "I numeri chiave della diagnosi e le azioni da avviare per prime.",
        "en": "The key figures of the diagnosis and the actions to start first.",
    },
    "top_recs": {"it": "Le azioni prioritarie", "en": "Priority actions"},
    "key_findings": {"it": "Cosa abbiamo trovato", "en": "What we found"},
    "customers": {"it": "Clienti", "en": "Customers"},
    "cases": {"it": "Pratiche analizzate", "en": "Cases analysed"},
    "responses": {"it": "Risposte ai questionari", "en": "Survey responses"},
    "handoffs_per_case": {"it": "Passaggi per pratica", "en": "Handoffs per case"},
    "nps_per_handoff": {"it": "Punti NPS per passaggio in più", "en": "NPS points per extra handoff"},
    "median_lead": {"it": "Durata mediana di una pratica", "en": "Median case lead time"},
    "nps": {"it": "NPS", "en": "NPS"},
    # indicators
    "indicators": {"it": "Indicatori dei questionari", "en": "Survey indicators"},
    "indicators_lead": {
        "it": "NPS, CSAT, CES e indice in stile CXi, a caldo e a freddo, con i loro intervalli di confidenza.",
        "en": "NPS, CSAT, CES and the CXi-style index, hot and cold, with their confidence intervals.",
    },
    "nps_hot": {"it": "NPS a caldo", "en": "Hot NPS"},
    "nps_cold": {"it": "NPS a freddo", "en": "Cold NPS"},
    "csat": {"it": "CSAT (% 4–5)", "en": "CSAT (% 4–5)"},
    "ces": {"it": "CES (% 5–7)", "en": "CES (% 5–7)"},
    "cxi": {"it": "Indice in stile CXi", "en": "CXi-style index"},
    "interval": {"it": "95 %: {low} … {high} · n = {n}", "en": "95%: {low} … {high} · n = {n}"},
    "hot_cold_intro": {
        "it": "A caldo (subito dopo un contatto) l'NPS è {hot}; a freddo (questionario relazionale) è {cold}.",
        "en": "Hot (right after a contact) NPS is {hot}; cold (relationship survey) NPS is {cold}.",
    },
    "barometer": {"it": "Barometro: variazione tra le ondate", "en": "Barometer: change between waves"},
    "barometer_drop": {
        "it": "Tra le ondate {w1} e {w2} l'NPS del gruppo «{group}» ({by}) è cambiato di {change} punti "
        "({sig}).",
        "en": "Between waves {w1} and {w2} the NPS of the “{group}” group ({by}) changed by {change} points "
        "({sig}).",
    },
    "significant": {"it": "variazione significativa al 95 %", "en": "significant at 95%"},
    "not_significant": {"it": "non significativa", "en": "not significant"},
    "hot_trend": {"it": "Risultati a caldo nel tempo", "en": "Hot results over time"},
    "survey_practice": {"it": "Pratica dei questionari", "en": "Survey practice"},
    "practice_intro": {
        "it": "Tasso di risposta a freddo {cold} (tipico 15–25 %). {over} clienti ricevono più di {limit} "
        "inviti in {days} giorni; {stopped} clienti hanno smesso di rispondere.",
        "en": "Cold response rate {cold} (typical 15–25%). {over} customers get more than {limit} "
        "invitations in {days} days; {stopped} customers stopped answering.",
    },
    "closed_loop": {
        "it": "Detrattori a caldo ricontattati entro {target} ore: {share} ({n} detrattori).",
        "en": "Hot detractors contacted within {target} hours: {share} ({n} detractors).",
    },
    "drivers": {"it": "Cosa muove l'NPS", "en": "What drives NPS"},
    "drivers_intro": {
        "it": "Il fattore con il peso maggiore è «{driver}»: chi lo vive ha un NPS di {diff} punti rispetto "
        "agli altri. I fattori spiegano insieme il {r2} della varianza (R²).",
        "en": "The heaviest driver is “{driver}”: customers who experience it have an NPS {diff} points "
        "against the others. Together the drivers explain {r2} of the variance (R²).",
    },
    "callback": {
        "it": "Da richiamare: ultra-detrattori (NPS 0–1)",
        "en": "To call back: ultra-detractors (NPS 0–1)",
    },
    "callback_intro": {
        "it": "{n} clienti hanno dato 0 o 1; i più recenti per primi. L'elenco completo (e quello degli "
        "ultra-promotori, {p}, per chiedere una testimonianza) è nel file allegato action_lists.xlsx.",
        "en": "{n} customers answered 0 or 1; most recent first. The full list (and the ultra-promoters, "
        "{p}, to ask for a testimonial) is in the attached file action_lists.xlsx.",
    },
    "customer": {"it": "Cliente", "en": "Customer"},
    "date": {"it": "Data", "en": "Date"},
    "touchpoint": {"it": "Punto di contatto", "en": "Touchpoint"},
    "comment": {"it": "Commento", "en": "Comment"},
    "value_segment": {"it": "Segmento di valore", "en": "Value segment"},
    # handoffs
    "handoffs": {"it": "Passaggi tra reparti", "en": "Handoffs between departments"},
    "handoffs_lead": {
        "it": "Dove il lavoro passa da un reparto all'altro, quanto aspetta e quanta soddisfazione costa.",
        "en": "Where work crosses departments, how long it waits, and what it costs in satisfaction.",
    },
    "handoffs_intro": {
        "it": "Su {cases} pratiche, in media {per_case} passaggi tra reparti; il {multi} delle pratiche "
        "attraversa almeno tre reparti. Ogni passaggio in più costa in media {slope} punti di NPS "
        "(intervallo al 95 %: da {low} a {high}).",
        "en": "Across {cases} cases there are on average {per_case} handoffs between departments; "
        "{multi} of cases cross at least three departments. Each extra handoff costs on average {slope} "
        "NPS points (95% interval: {low} to {high}).",
    },
    "handoffs_intro_nolink": {
        "it": "Su {cases} pratiche, in media {per_case} passaggi tra reparti; il {multi} delle pratiche "
        "attraversa almeno tre reparti.",
        "en": "Across {cases} cases there are on average {per_case} handoffs between departments; "
        "{multi} of cases cross at least three departments.",
    },
    "worst": {"it": "I passaggi peggiori", "en": "The worst handoffs"},
    "how_to_read_heatmap": {
        "it": "Come leggere: ogni cella è un passaggio da un reparto (riga) a un altro (colonna); più è "
        "scura, più pratiche lo attraversano.",
        "en": "How to read it: each cell is a handoff from one department (row) to another (column); the "
        "darker, the more cases cross it.",
    },
    "toxic": {"it": "Dinamiche tossiche", "en": "Toxic dynamics"},
    "toxic_row": {
        "it": "{title}: {cases} pratiche ({share} di quelle a rischio), soprattutto in {dept}; NPS {affected} "
        "contro {others} delle altre.",
        "en": "{title}: {cases} cases ({share} of those at risk), mostly in {dept}; NPS {affected} against "
        "{others} for the others.",
    },
    "toxic_row_nonps": {
        "it": "{title}: {cases} pratiche ({share} di quelle a rischio), soprattutto in {dept}.",
        "en": "{title}: {cases} cases ({share} of those at risk), mostly in {dept}.",
    },
    "satisfaction_link": {"it": "Soddisfazione e numero di passaggi", "en": "Satisfaction and handoffs"},
    "from": {"it": "Dal reparto", "en": "From"},
    "to": {"it": "Al reparto", "en": "To"},
    "count": {"it": "Passaggi", "en": "Handoffs"},
    "median_wait": {"it": "Attesa mediana", "en": "Median wait"},
    "p90_wait": {"it": "Attesa al 90° perc.", "en": "90th pct wait"},
    "ping_pong": {"it": "Ping-pong", "en": "Ping-pong"},
    "total_wait": {"it": "Attesa totale", "en": "Total wait"},
    "flow": {"it": "Il percorso delle pratiche", "en": "How cases flow"},
    # journey
    "journey": {"it": "Il percorso del cliente", "en": "The customer journey"},
    "journey_lead": {
        "it": "Le fasi nell'ordine in cui il cliente le vive, con volumi, tempi e soddisfazione.",
        "en": "The stages in the order the customer lives them, with volume, time and satisfaction.",
    },
    "journey_read": {
        "it": "Come leggere: la linea in alto è la «mappa emotiva» — l'NPS dei clienti che passano per "
        "ogni fase rispetto all'NPS complessivo; i punti vuoti hanno poche risposte.",
        "en": "How to read it: the top line is the emotional map — the NPS of customers who go through each "
        "stage against the overall NPS; hollow points have few responses.",
    },
    # segments
    "segments": {"it": "Valore dei clienti", "en": "Customer value"},
    "segments_lead": {
        "it": "Valore attuale contro potenziale futuro: a chi dare quale livello di servizio.",
        "en": "Current value against future potential: which service level for whom.",
    },
    "segments_intro": {
        "it": "Il valore attuale è il fatturato degli ultimi {months} mesi; il potenziale futuro è il valore "
        "atteso nei prossimi {horizon} mesi ({method}). Soglie: valore ≥ {vthr}, potenziale ≥ {pthr}.",
        "en": "Current value is the sales of the last {months} months; future potential is the expected "
        "value over the next {horizon} months ({method}). Thresholds: value ≥ {vthr}, potential ≥ {pthr}.",
    },
    "segment": {"it": "Segmento", "en": "Segment"},
    "share_customers": {"it": "Quota clienti", "en": "Share of customers"},
    "share_value": {"it": "Quota valore", "en": "Share of value"},
    "share_future": {"it": "Quota potenziale", "en": "Share of potential"},
    "service_level": {"it": "Livello di servizio suggerito", "en": "Suggested service level"},
    # comments
    "comments": {"it": "Cosa dicono i clienti", "en": "What customers say"},
    "comments_lead": {
        "it": "I commenti letti automaticamente: sentiment, temi e le frasi che contano.",
        "en": "The comments read automatically: sentiment, themes and the verbatims that matter.",
    },
    "comments_intro": {
        "it": "{n} commenti analizzati; {neg} negativi. Il tema con più commenti negativi è «{theme}».",
        "en": "{n} comments analysed; {neg} negative. The theme with most negative comments is “{theme}”.",
    },
    "theme": {"it": "Tema", "en": "Theme"},
    "mentions": {"it": "Menzioni", "en": "Mentions"},
    "negative_share": {"it": "Quota negativi", "en": "Negative share"},
    "nps_mentioners": {"it": "NPS di chi lo cita", "en": "NPS of mentioners"},
    "verbatims": {"it": "Le voci dei clienti", "en": "In the customers' words"},
    # culture
    "culture": {"it": "Cultura del cliente nei reparti", "en": "Customer culture by department"},
    "culture_lead": {
        "it": "L'autovalutazione dei reparti nel workshop, per pilastro, e come si vedono tra loro.",
        "en": "The departments' workshop self-assessment by pillar, and how they see each other.",
    },
    "culture_intro": {
        "it": "{resp} partecipanti di {depts} reparti. Il reparto con il punteggio più basso è {low} "
        "({low_score}); lo scarto più ampio tra reparti è sul pilastro «{pillar}» ({spread} punti).",
        "en": "{resp} participants from {depts} departments. The lowest-scoring department is {low} "
        "({low_score}); the widest gap between departments is on the “{pillar}” pillar ({spread} points).",
    },
    "department": {"it": "Reparto", "en": "Department"},
    "score": {"it": "Punteggio (1–5)", "en": "Score (1–5)"},
    # recommendations
    "recommendations": {"it": "Raccomandazioni e piano d'azione", "en": "Recommendations and action plan"},
    "recs_lead": {
        "it": "Ogni raccomandazione nasce da un dato della diagnosi; la priorità è impatto × urgenza.",
        "en": "Each recommendation comes from a figure of the diagnosis; priority is impact × urgency.",
    },
    "evidence": {"it": "Evidenza", "en": "Evidence"},
    "action": {"it": "Azione", "en": "Action"},
    "owner": {"it": "Responsabile", "en": "Owner"},
    "priority": {"it": "Priorità", "en": "Priority"},
    "effort": {"it": "Impegno", "en": "Effort"},
    "due": {"it": "Entro", "en": "Due"},
    "no_recs": {
        "it": "Nessuna raccomandazione accettata per questo cliente.",
        "en": "No recommendation accepted for this client.",
    },
    # data quality and methodology
    "quality": {"it": "Appendice: qualità dei dati", "en": "Appendix: data quality"},
    "quality_lead": {
        "it": "Cosa abbiamo letto, cosa abbiamo scartato e perché.",
        "en": "What we read, what we dropped, and why.",
    },
    "table": {"it": "Tabella", "en": "Table"},
    "file": {"it": "File", "en": "File"},
    "rows_read": {"it": "Righe lette", "en": "Rows read"},
    "rows_kept": {"it": "Righe usate", "en": "Rows kept"},
    "rows_dropped": {"it": "Righe scartate", "en": "Rows dropped"},
    "values_blanked": {"it": "Valori svuotati", "en": "Values blanked"},
    "column": {"it": "Colonna", "en": "Column"},
    "problem": {"it": "Problema", "en": "Problem"},
    "rows": {"it": "Righe (prime)", "en": "Rows (first)"},
    "no_issues": {"it": "Nessun problema nei dati.", "en": "No problem found in the data."},
    "methodology": {"it": "Appendice: metodo", "en": "Appendix: methodology"},
    "methodology_lead": {
        "it": "Le definizioni e le impostazioni usate in questo rapporto.",
        "en": "The definitions and settings used in this report.",
    },
}

METHOD_NOTES: dict[str, dict[str, str]] = {
    "handoffs": {
        "it": "Una visita è una sequenza di eventi consecutivi di una pratica nello stesso reparto; un "
        "passaggio è lo spostamento da una visita alla successiva; l'attesa è l'inizio della nuova visita "
        "meno la fine della precedente; ping-pong = A→B→A; rilavorazione = visite − reparti distinti; "
        "solleciti = contatti del cliente su una pratica aperta ancora senza risposta.",
        "en": "A visit is a run of consecutive events of one case in one department; a handoff is the move "
        "from one visit to the next; its wait is the start of the new visit minus the end of the previous "
        "one; ping-pong = A→B→A; rework = visits − distinct departments; chasers = customer contacts on a "
        "case that is open with no answer yet.",
    },
    "link": {
        "it": "Le risposte ai questionari sono collegate alle pratiche dal codice pratica o, per i questionari "
        "a caldo, all'ultima pratica del cliente chiusa al più {days} giorni prima. I punti NPS per passaggio "
        "sono la pendenza di una retta ai minimi quadrati (errori robusti HC1).",
        "en": "Survey responses are linked to cases by case id or, for hot surveys, to the customer's latest "
        "case closed at most {days} days before. NPS points per handoff are the slope of a least-squares "
        "line (HC1 robust errors).",
    },
    "segments": {
        "it": "Potenziale futuro da un modello BG/NBD (frequenza d'acquisto) + Gamma-Gamma (spesa), stimato "
        "sulle transazioni; per clienti con storico breve una tendenza (ultimi {trend} mesi contro i "
        "precedenti). Soglie: primo {vshare} del valore e del potenziale, salvo soglie assolute.",
        "en": "Future potential from a BG/NBD (purchase frequency) + Gamma-Gamma (spend) model fitted on the "
        "transactions; for customers with a short history a trend (last {trend} months against the ones "
        "before). Thresholds: top {vshare} of value and of potential, unless absolute thresholds are set.",
    },
    "comments": {
        "it": "Sentiment da un lessico CX italiano e inglese scritto da noi, con negazioni, intensificatori "
        "e suffissi italiani; temi da una tassonomia configurabile. Tutto gira offline.",
        "en": "Sentiment from our own Italian and English CX lexicon, with negation, intensifiers and Italian "
        "suffix handling; themes from a configurable taxonomy. Everything runs offline.",
    },
    "culture": {
        "it": "Questionario del workshop: punteggi 1–5 per domanda, media per reparto e pilastro; lo scarto "
        "è il massimo meno il minimo tra reparti.",
        "en": "Workshop questionnaire: scores 1–5 per question, averaged per department and pillar; the "
        "spread is the highest minus the lowest department.",
    },
    "recommendations": {
        "it": "Ogni regola del playbook ha una condizione sui dati; priorità = impatto × urgenza (1–25), "
        "calcolati dai numeri. Il consulente accetta, rifiuta o riformula ogni raccomandazione "
        "(recommendations.yaml): le rifiutate non compaiono; con «unreviewed: hide» compaiono solo le accettate.",
        "en": "Each playbook rule has a condition on the figures; priority = impact × urgency (1–25), "
        "computed from the figures. The consultant accepts, rejects or re-words each recommendation "
        "(recommendations.yaml): rejected ones never appear; with “unreviewed: hide” only accepted ones do.",
    },
}


#: the customer / response attributes a barometer drop can be found on
GROUP_COLUMNS: dict[str, dict[str, str]] = {
    "industry": {"it": "settore", "en": "industry"},
    "region": {"it": "regione", "en": "region"},
    "segment": {"it": "segmento del cliente", "en": "customer segment"},
    "touchpoint": {"it": "punto di contatto", "en": "touchpoint"},
    "channel": {"it": "canale", "en": "channel"},
}

EFFORT: dict[str, dict[str, str]] = {
    "low": {"it": "basso", "en": "low"},
    "medium": {"it": "medio", "en": "medium"},
    "high": {"it": "alto", "en": "high"},
}


def _t(key: str, ctx: ReportContext, **values: object) -> str:
    template = translate(T, key, ctx.lang)
    return template.format(**values) if values else template


def _n(value: float | int | None, ctx: ReportContext, decimals: int = 0) -> str:
    return i18n.format_number(value, ctx.lang, decimals)


def _pct(value: float | None, ctx: ReportContext, decimals: int = 0) -> str:
    return i18n.format_percent(value, ctx.lang, decimals)


def _hours(value: float | None, ctx: ReportContext) -> str:
    return i18n.format_duration_hours(value, ctx.lang)


def _chart(chart, ctx: ReportContext) -> str:
    return chart_html(chart, static=ctx.static_charts, lang=ctx.lang)


def _fmt_text(ctx: ReportContext, key: str, **values: object) -> str:
    """A sentence from the texts above with its figures escaped."""
    return h.text(_t(key, ctx, **values))


# -------------------------------------------------------------------------------------------- cover
def cover(ctx: ReportContext) -> h.ReportMeta:
    """The cover data the report template renders: client name, title, dates, branding."""
    branding = ctx.config.branding
    logo = None
    if branding.logo:
        path = ctx.config.path(branding.logo)
        if path.is_file():
            logo = h.data_uri(path)
    return h.ReportMeta(
        {
            "client_name": ctx.config.name,
            "lang": ctx.lang,
            "title": _t("report_title", ctx),
            "toc_title": _t("toc", ctx),
            "date_label": _t("prepared", ctx),
            "date": i18n.format_date(ctx.analysis_date, ctx.lang),
            "generated_label": _t("generated", ctx),
            "generated": i18n.format_date(dt.date.today(), ctx.lang),
            "confidential": _t("confidential", ctx),
            "colour": branding.colour,
            "accent": branding.accent,
            "logo": logo,
        }
    )


# -------------------------------------------------------------------------------- executive summary
def executive_summary(ctx: ReportContext, top: int = 5) -> h.Section:
    """Key figures and the top recommendations (the first page a client reads)."""
    cards: list[tuple[str, str, str]] = []
    client = ctx.client
    if client.customers is not None:
        cards.append((_t("customers", ctx), _n(len(client.customers), ctx), ""))
    cards.extend(indicator_cards(ctx)[:3])
    if ctx.cases is not None:
        cards.append((_t("cases", ctx), _n(len(ctx.cases), ctx), ""))
        cards.append((_t("handoffs_per_case", ctx), _n(ctx.cases["handoffs"].mean(), ctx, 1), ""))
        cards.append((_t("median_lead", ctx), _hours(ctx.cases["lead_time_hours"].median(), ctx), ""))
    slope = _nps_slope(ctx)
    if slope is not None:
        cards.append(
            (
                _t("nps_per_handoff", ctx),
                i18n.format_signed(slope["slope"], ctx.lang, 1),
                _t(
                    "interval",
                    ctx,
                    low=i18n.format_signed(slope["slope_low"], ctx.lang, 1),
                    high=i18n.format_signed(slope["slope_high"], ctx.lang, 1),
                    n=_n(slope["n"], ctx),
                ),
            )
        )
    body = h.figures(cards)
    recs = ctx.recommendations[:top]
    if recs:
        items = "".join(
            f"<li><strong>{h.text(r.title.get(ctx.lang))}</strong> — {h.text(r.evidence.get(ctx.lang))} "
            f'<span class="cx-owner">{h.text(_t("owner", ctx))}: {h.text(r.owner_label(ctx.lang))}</span></li>'
            for r in recs
        )
        body += h.subsection(_t("top_recs", ctx), f'<ol class="cx-top-recs">{items}</ol>')
    return h.Section(
        "summary",
        _t("summary", ctx),
        body,
        lead=_t("summary_lead", ctx),
        figures=tuple((label, value) for label, value, _ in cards),
    )


def _nps_slope(ctx: ReportContext) -> pd.Series | None:
    from .. import handoffs as ho

    if ctx.linked is None or "nps" not in ctx.linked.columns:
        return None
    slopes = ho.nps_per_extra_handoff(ctx.linked, ctx.config.indicators, ctx.config.thresholds)
    row = slopes[slopes["metric"] == "nps"]
    return None if row.empty else row.iloc[0]


# -------------------------------------------------------------------------------------- indicators
def _interval_note(row: pd.Series, ctx: ReportContext) -> str:
    share = row["unit"] == "share"
    fmt = (lambda v: _pct(v, ctx)) if share else (lambda v: _n(v, ctx))
    return _t("interval", ctx, low=fmt(row["low"]), high=fmt(row["high"]), n=_n(row["n"], ctx))


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
        ("nps", "hot", "nps_hot"),
        ("nps", "cold", "nps_cold"),
        ("nps", "all", "nps"),
        ("csat", "all", "csat"),
        ("ces", "all", "ces"),
        ("cxi", "all", "cxi"),
    ):
        row = _headline(summary, measure, scope)
        if row is None or (
            measure == "nps" and scope == "all" and _headline(summary, "nps", "hot") is not None
        ):
            continue
        value = _pct(row["score"], ctx) if row["unit"] == "share" else _n(row["score"], ctx)
        cards.append((_t(label, ctx), value, _interval_note(row, ctx)))
    return cards


def indicators_section(ctx: ReportContext, callback_rows: int = 10) -> h.Section | None:
    """Indicators hot vs cold, barometer, hot trend, survey practice, key drivers, call-back list."""
    from .. import indicators as ind
    from ..charts import indicators as charts

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
            _fmt_text(ctx, "hot_cold_intro", hot=_n(hot["score"], ctx), cold=_n(cold["score"], ctx))
        )
        by = "touchpoint" if "touchpoint" in responses.columns else None
        table = ind.hot_vs_cold(responses, by=None, settings=cfg, thresholds=cfg.thresholds)
        body += _chart(charts.hot_cold_chart(table, "nps", lang=ctx.lang), ctx)
        if by:
            trend = ind.hot_trend(responses, by=by, freq="M", settings=cfg, thresholds=cfg.thresholds)
            if len(trend) and trend["period"].nunique() > 1:
                body += h.subsection(
                    _t("hot_trend", ctx), _chart(charts.hot_trend_chart(trend, "nps", lang=ctx.lang), ctx)
                )
    body += _barometer(ctx)
    body += _survey_practice(ctx)
    body += _drivers(ctx)
    body += _callback(ctx, callback_rows)
    return h.Section("indicators", _t("indicators", ctx), body, lead=_t("indicators_lead", ctx))


def _barometer(ctx: ReportContext) -> str:
    from .. import indicators as ind
    from ..charts import indicators as charts

    findings, cfg = ctx.survey_figures, ctx.config
    by = findings.get("nps.barometer_drop_by")
    responses = ctx.responses
    if not by or by not in responses.columns:
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
                "barometer_drop",
                w1=row["wave_from"],
                w2=row["wave_to"],
                group=group,
                by=translate(GROUP_COLUMNS, by, ctx.lang),
                change=i18n.format_signed(row["change"], ctx.lang, 1),
                sig=_t("significant" if row["significant"] else "not_significant", ctx),
            )
        )
    return h.subsection(
        _t("barometer", ctx), text_html + _chart(charts.barometer_chart(table, "nps", lang=ctx.lang), ctx)
    )


def _survey_practice(ctx: ReportContext) -> str:
    from .. import indicators as ind
    from ..charts import indicators as charts

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
                "practice_intro",
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
    parts.append(_chart(charts.response_rate_chart(rates, lang=ctx.lang), ctx))
    curve = ind.pressure_response_curve(invitations, responses, thresholds=t)
    if len(curve) > 1:
        parts.append(_chart(charts.pressure_chart(curve, lang=ctx.lang), ctx))
    if responses is not None and "followup_at" in responses.columns:
        loop = ind.closed_loop(responses, settings=cfg, thresholds=t)
        if len(loop) and bool(loop["tracked"].iat[0]) and loop["detractors"].iat[0] > 0:
            parts.append(
                h.paragraph(
                    _fmt_text(
                        ctx,
                        "closed_loop",
                        target=_n(loop["target_hours"].iat[0], ctx),
                        share=_pct(loop["share_on_time"].iat[0], ctx),
                        n=_n(loop["detractors"].iat[0], ctx),
                    )
                )
            )
    return h.subsection(_t("survey_practice", ctx), "".join(parts))


def _drivers(ctx: ReportContext) -> str:
    from ..charts import indicators as charts

    drivers = ctx.key_drivers
    if drivers is None or drivers.empty:
        return ""
    top = drivers.iloc[0]
    label = top.get("label", top["driver"]) if hasattr(top, "get") else top["driver"]
    intro = _fmt_text(
        ctx,
        "drivers_intro",
        driver=label,
        diff=i18n.format_signed(top["difference"], ctx.lang, 0),
        r2=_pct(top["r2"], ctx),
    )
    return h.subsection(
        _t("drivers", ctx), h.paragraph(intro) + _chart(charts.key_driver_chart(drivers, lang=ctx.lang), ctx)
    )


def _segment_label(value: object, ctx: ReportContext) -> str:
    from ..segments import SEGMENT_LABELS

    return "" if value is None or pd.isna(value) else translate(SEGMENT_LABELS, str(value), ctx.lang)


def _callback(ctx: ReportContext, rows: int) -> str:
    lists = ctx.action_lists
    if not lists:
        return ""
    detractors, promoters = lists["ultra_detractors"], lists["ultra_promoters"]
    if detractors.empty:
        return ""
    intro = _fmt_text(ctx, "callback_intro", n=_n(len(detractors), ctx), p=_n(len(promoters), ctx))
    table = h.table(
        detractors.head(rows),
        [
            h.Column("name", _t("customer", ctx)),
            h.Column("answered_at", _t("date", ctx), lambda v: i18n.format_date(v, ctx.lang)),
            h.Column("touchpoint", _t("touchpoint", ctx)),
            h.Column("value_segment", _t("value_segment", ctx), lambda v: _segment_label(v, ctx)),
            h.Column("comment", _t("comment", ctx), lambda v: "" if pd.isna(v) else str(v)[:160]),
        ],
        css="cx-small",
    )
    return h.subsection(_t("callback", ctx), h.paragraph(intro) + table)


# ---------------------------------------------------------------------------------------- handoffs
def handoffs_section(ctx: ReportContext) -> h.Section | None:
    """Handoff matrix, worst handoffs, toxic dynamics and the satisfaction link."""
    from .. import handoffs as ho
    from ..charts import handoffs as charts

    if ctx.cases is None:
        return None
    events, cfg = ctx.client.events, ctx.config
    cases = ctx.cases
    multi = float((cases["departments"] >= 3).mean())
    slope = _nps_slope(ctx)
    if slope is not None:
        intro = _fmt_text(
            ctx,
            "handoffs_intro",
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
            "handoffs_intro_nolink",
            cases=_n(len(cases), ctx),
            per_case=_n(cases["handoffs"].mean(), ctx, 1),
            multi=_pct(multi, ctx),
        )
    body = h.paragraph(intro)
    matrix = ctx.matrix
    if matrix is not None and len(matrix):
        body += _chart(charts.handoff_heatmap(matrix, "count", lang=ctx.lang), ctx)
        body += f'<p class="cx-howto">{_fmt_text(ctx, "how_to_read_heatmap")}</p>'
        pair_sat = None
        if ctx.linked is not None and "nps" in ctx.linked.columns:
            pair_sat = ho.satisfaction_by_pair(
                ctx.linked, events, cfg.activities, cfg.indicators, cfg.thresholds
            )
        worst = ho.worst_handoffs(matrix, pair_sat, top=5)
        rank = "satisfaction" if pair_sat is not None and (worst["ranking"] == "satisfaction").any() else None
        body += h.subsection(
            _t("worst", ctx), _chart(charts.worst_handoffs_chart(worst, "waiting_time", ctx.lang), ctx)
        )
        if rank:
            body += _chart(charts.worst_handoffs_chart(worst, rank, ctx.lang), ctx)
        top = matrix.sort_values("total_wait_h", ascending=False).head(8)
        body += h.table(
            top,
            [
                h.Column("from_department", _t("from", ctx)),
                h.Column("to_department", _t("to", ctx)),
                h.Column("count", _t("count", ctx), lambda v: _n(v, ctx), numeric=True),
                h.Column("median_wait_h", _t("median_wait", ctx), lambda v: _hours(v, ctx), numeric=True),
                h.Column("p90_wait_h", _t("p90_wait", ctx), lambda v: _hours(v, ctx), numeric=True),
                h.Column("total_wait_h", _t("total_wait", ctx), lambda v: _hours(v, ctx), numeric=True),
                h.Column("ping_pong_rate", _t("ping_pong", ctx), lambda v: _pct(v, ctx), numeric=True),
            ],
        )
    flow = ho.flow_steps(events, settings=cfg.activities)
    if len(flow):
        body += h.subsection(_t("flow", ctx), _chart(charts.handoff_flow(flow, lang=ctx.lang), ctx))
    toxic = ho.toxic_dynamics(events, ctx.linked, cfg.activities, cfg.indicators, cfg.thresholds)
    toxic = toxic[toxic["cases"] > 0]
    if len(toxic):
        items = []
        for row in toxic.itertuples(index=False):
            title = charts.finding_title(row.finding, ctx.lang)
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
                    "toxic_row",
                    affected=_n(nps_affected, ctx),
                    others=_n(row.nps_others, ctx),
                    **values,
                )
            else:
                sentence = _fmt_text(ctx, "toxic_row_nonps", **values)
            explain = h.text(charts.finding_explanation(row.finding, ctx.lang))
            items.append(f"<li>{sentence} <em>{explain}</em></li>")
        body += h.subsection(_t("toxic", ctx), f'<ul class="cx-findings">{"".join(items)}</ul>')
        if ctx.linked is not None and toxic["nps_gap"].notna().any():
            body += _chart(charts.toxic_dynamics_chart(toxic, lang=ctx.lang), ctx)
    if ctx.linked is not None and "nps" in ctx.linked.columns:
        by_handoffs = ho.satisfaction_by_handoffs(ctx.linked, cfg.indicators, cfg.thresholds)
        body += h.subsection(
            _t("satisfaction_link", ctx),
            _chart(charts.satisfaction_by_handoffs_chart(by_handoffs, "nps", lang=ctx.lang), ctx),
        )
    return h.Section("handoffs", _t("handoffs", ctx), body, lead=_t("handoffs_lead", ctx))


def journey_section(ctx: ReportContext) -> h.Section | None:
    """Journey map with the emotional line, and the channel mix of arrival."""
    from .. import journey
    from ..charts import journey as charts

    if ctx.cases is None:
        return None
    cfg = ctx.config
    stages = journey.journey_map(
        ctx.client.events, ctx.linked, cfg.activities, cfg.indicators, cfg.thresholds
    )
    body = _chart(charts.journey_map_chart(stages, lang=ctx.lang), ctx)
    body += f'<p class="cx-howto">{_fmt_text(ctx, "journey_read")}</p>'
    channels = journey.arrival_channels(ctx.cases, ctx.linked, cfg.indicators, cfg.thresholds)
    if len(channels):
        body += _chart(charts.arrival_channels_chart(channels, lang=ctx.lang), ctx)
    return h.Section("journey", _t("journey", ctx), body, lead=_t("journey_lead", ctx))


# ---------------------------------------------------------------------------------------- segments
def segments_section(ctx: ReportContext) -> h.Section | None:
    """Value × potential, the four segments and their service levels."""
    from .. import segments
    from ..charts import segments as charts

    segmented = ctx.segmented
    if segmented is None or segmented.empty:
        return None
    cfg = ctx.config.segments
    summary = segments.segment_summary(
        segmented, ctx.client.survey_responses, ctx.cases, ctx.config.indicators, lang=ctx.lang
    )
    model = segmented.attrs.get("value_model")
    method = getattr(model, "method", None) or str(segmented["method"].mode().iat[0])
    method_label = charts.label("bgnbd_gg" if "bg" in str(method).lower() else "trend", ctx.lang)
    intro = _fmt_text(
        ctx,
        "segments_intro",
        months=cfg.value_window_months,
        horizon=cfg.horizon_months,
        method=method_label,
        vthr=i18n.format_money(segmented.attrs.get("value_threshold"), ctx.lang, ctx.currency),
        pthr=i18n.format_money(segmented.attrs.get("potential_threshold"), ctx.lang, ctx.currency),
    )
    body = h.paragraph(intro)
    body += _chart(charts.value_potential_scatter(segmented, lang=ctx.lang), ctx)
    body += _chart(charts.segment_bars(summary, lang=ctx.lang), ctx)
    body += h.table(
        summary,
        [
            h.Column("label", _t("segment", ctx)),
            h.Column("customers", _t("customers", ctx), lambda v: _n(v, ctx), numeric=True),
            h.Column("share_customers", _t("share_customers", ctx), lambda v: _pct(v, ctx), numeric=True),
            h.Column("share_of_value", _t("share_value", ctx), lambda v: _pct(v, ctx), numeric=True),
            h.Column("share_of_future", _t("share_future", ctx), lambda v: _pct(v, ctx), numeric=True),
            h.Column("nps", _t("nps", ctx), lambda v: _n(v, ctx), numeric=True),
            h.Column(
                "handoffs_per_case", _t("handoffs_per_case", ctx), lambda v: _n(v, ctx, 1), numeric=True
            ),
            h.Column("service_level", _t("service_level", ctx)),
        ],
    )
    return h.Section("segments", _t("segments", ctx), body, lead=_t("segments_lead", ctx))


# ---------------------------------------------------------------------------------------- comments
def comments_section(ctx: ReportContext, verbatims_per_theme: int = 2) -> h.Section | None:
    """Themes by sentiment, their trend, and representative verbatims (escaped)."""
    from .. import text
    from ..charts import text as charts

    analysed = ctx.comments
    if analysed is None:
        return None
    cfg = ctx.config
    summary = text.theme_summary(
        analysed, ctx.client.survey_responses, cfg.text, cfg.indicators, cfg.thresholds, lang=ctx.lang
    )
    negative = int((analysed["polarity"] == "negative").sum())
    top_theme = summary["label"].iat[0] if len(summary) and "label" in summary.columns else "–"
    body = h.paragraph(
        _fmt_text(
            ctx,
            "comments_intro",
            n=_n(len(analysed), ctx),
            neg=_pct(negative / len(analysed), ctx),
            theme=top_theme,
        )
    )
    if len(summary):
        body += _chart(charts.theme_sentiment_chart(summary, lang=ctx.lang), ctx)
        trend = text.theme_trend(analysed, freq="M")
        if trend["period"].nunique() > 1:
            body += _chart(charts.theme_trend_chart(trend, lang=ctx.lang), ctx)
        body += h.table(
            summary,
            [
                h.Column("label", _t("theme", ctx)),
                h.Column("mentions", _t("mentions", ctx), lambda v: _n(v, ctx), numeric=True),
                h.Column("negative_share", _t("negative_share", ctx), lambda v: _pct(v, ctx), numeric=True),
                h.Column("nps", _t("nps_mentioners", ctx), lambda v: _n(v, ctx), numeric=True),
            ],
        )
        quotes = []
        for theme_key, label in zip(summary["theme"].head(3), summary["label"].head(3), strict=True):
            picked = text.verbatims_html(
                analysed, theme_key, n=verbatims_per_theme, thresholds=cfg.thresholds
            )
            for comment in picked["comment_html"]:
                quotes.append(
                    f'<blockquote class="cx-quote"><p>{comment}</p><footer>{h.text(label)}</footer></blockquote>'
                )
        if quotes:
            body += h.subsection(_t("verbatims", ctx), "".join(quotes))
    return h.Section("comments", _t("comments", ctx), body, lead=_t("comments_lead", ctx))


# ----------------------------------------------------------------------------------------- culture
def culture_section(ctx: ReportContext) -> h.Section | None:
    """Pillar scores per department, the spread between departments, self-rating vs others."""
    from .. import culture
    from ..charts import culture as charts
    from ..questionnaire import PILLARS

    table = ctx.client.culture
    if table is None or table.empty:
        return None
    pillars = culture.pillar_scores(table)
    departments = culture.department_scores(table)
    spread = culture.department_spread(pillars)
    widest = spread.sort_values("spread", ascending=False).iloc[0]
    lowest = departments.iloc[0]
    pillar_name = (
        translate(PILLARS, widest["pillar"], ctx.lang) if isinstance(PILLARS, dict) else widest["pillar"]
    )
    body = h.paragraph(
        _fmt_text(
            ctx,
            "culture_intro",
            resp=_n(table["respondent"].nunique() if "respondent" in table.columns else len(table), ctx),
            depts=_n(departments["department"].nunique(), ctx),
            low=lowest["department"],
            low_score=_n(lowest["score"], ctx, 1),
            pillar=pillar_name,
            spread=_n(widest["spread"], ctx, 1),
        )
    )
    body += _chart(charts.culture_dot_chart(pillars, lang=ctx.lang), ctx)
    svo = culture.self_vs_others(table)
    if len(svo) and svo["by_others"].notna().any():
        body += _chart(charts.self_vs_others_chart(svo, lang=ctx.lang), ctx)
    return h.Section("culture", _t("culture", ctx), body, lead=_t("culture_lead", ctx))


# ---------------------------------------------------------------------------------- recommendations
def recommendations_section(ctx: ReportContext) -> h.Section:
    """The accepted recommendations as an action plan, with the priority matrix."""
    from ..charts import recommend as charts

    recs = ctx.recommendations
    if not recs:
        return h.Section(
            "recommendations", _t("recommendations", ctx), h.paragraph(_fmt_text(ctx, "no_recs"))
        )
    body = _chart(charts.priority_matrix(recs, lang=ctx.lang), ctx) if any(r.impact for r in recs) else ""
    cards = []
    for r in recs:
        cards.append(
            '<article class="cx-rec">'
            f"<h3>{h.text(r.title.get(ctx.lang))}</h3>"
            f'<p class="cx-rec-evidence"><strong>{h.text(_t("evidence", ctx))}:</strong> {h.text(r.evidence.get(ctx.lang))}</p>'
            f"<p><strong>{h.text(_t('action', ctx))}:</strong> {h.text(r.action.get(ctx.lang))}</p>"
            '<p class="cx-rec-meta">'
            f"{h.text(_t('owner', ctx))}: {h.text(r.owner_label(ctx.lang))} · "
            f"{h.text(_t('priority', ctx))}: {h.text(_n(r.priority, ctx, 0))} · "
            f"{h.text(_t('effort', ctx))}: {h.text(translate(EFFORT, r.effort, ctx.lang))} · "
            f"{h.text(_t('due', ctx))}: {h.text(r.due)}</p>"
            "</article>"
        )
    body += "".join(cards)
    unreviewed = sum(r.status == "proposed" for r in recs)
    return h.Section(
        "recommendations",
        _t("recommendations", ctx),
        body,
        lead=_t("recs_lead", ctx),
        counts=(("unreviewed", unreviewed), ("shown", len(recs)), ("pending", len(ctx.review.proposed))),
    )


# ------------------------------------------------------------------------------------- appendices
def data_quality_section(ctx: ReportContext) -> h.Section:
    """Rows read, kept and dropped per table, and every problem found (the data-quality appendix)."""
    quality = ctx.client.quality
    summary = quality.summary()
    body = h.table(
        summary,
        [
            h.Column("table", _t("table", ctx)),
            h.Column("file", _t("file", ctx)),
            h.Column("rows_read", _t("rows_read", ctx), lambda v: _n(v, ctx), numeric=True),
            h.Column("rows_kept", _t("rows_kept", ctx), lambda v: _n(v, ctx), numeric=True),
            h.Column("rows_dropped", _t("rows_dropped", ctx), lambda v: _n(v, ctx), numeric=True),
            h.Column("values_blanked", _t("values_blanked", ctx), lambda v: _n(v, ctx), numeric=True),
        ],
    )
    issues = quality.issues_frame()
    if len(issues):
        body += h.table(
            issues,
            [
                h.Column("table", _t("table", ctx)),
                h.Column("column", _t("column", ctx)),
                h.Column("problem", _t("problem", ctx)),
                h.Column("count", _t("count", ctx), lambda v: _n(v, ctx), numeric=True),
                h.Column("rows", _t("rows", ctx)),
                h.Column("found", "→"),
            ],
            css="cx-small",
        )
    else:
        body += h.paragraph(_fmt_text(ctx, "no_issues"))
    notes = "".join(f"<li>{h.text(n)}</li>" for n in quality.notes)
    if notes:
        body += f"<ul>{notes}</ul>"
    return h.Section("data-quality", _t("quality", ctx), body, lead=_t("quality_lead", ctx))


def methodology_section(ctx: ReportContext) -> h.Section:
    """The definitions and the client's settings behind every figure of the report: the survey
    indicators' notes come from :func:`cxlab.indicators.methodology`, the other analyses' from here."""
    from ..indicators import methodology

    cfg = ctx.config
    values = {
        "days": _n(cfg.activities.case_window_days, ctx),
        "trend": cfg.segments.trend_months,
        "vshare": _pct(cfg.segments.value_top_share, ctx),
    }
    notes = []
    if ctx.indicator_summary is not None:
        notes += list(methodology(cfg, cfg.thresholds, ctx.lang)["text"])
    notes += [translate(METHOD_NOTES, key, ctx.lang).format(**values) for key in METHOD_NOTES]
    items = "".join(f"<li>{h.text(note)}</li>" for note in notes)
    return h.Section(
        "methodology",
        _t("methodology", ctx),
        f'<ul class="cx-method">{items}</ul>',
        lead=_t("methodology_lead", ctx),
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
