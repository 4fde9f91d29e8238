"""Suggest canonical column names for a client's file: fuzzy match on names (Italian and English
synonyms) and on values (dates, 0–10 / 1–5 / 1–7 scores, ids, amounts, yes/no, free text).

Used by the column mapper widget; pure (a DataFrame in, a DataFrame out).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import warnings

import pandas as pd

from ..schema import TABLES, Column, Table

#: canonical column -> names clients use for it (normalised: lower case, no accents, words)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "customer_id": (
        "customer id",
        "customer",
        "customer code",
        "customer number",
        "client id",
        "client",
        "account",
        "account id",
        "cliente",
        "codice cliente",
        "cod cliente",
        "id cliente",
        "cod cli",
        "codcli",
        "numero cliente",
        "anagrafica",
    ),
    "name": (
        "name",
        "customer name",
        "company",
        "company name",
        "nome",
        "ragione sociale",
        "azienda",
        "denominazione",
        "nominativo",
    ),
    "region": ("region", "area", "territory", "zone", "regione", "zona", "provincia", "territorio"),
    "segment": ("segment", "tier", "class", "segmento", "fascia", "classe", "categoria cliente"),
    "industry": ("industry", "sector", "vertical", "settore", "comparto", "settore merceologico"),
    "since": (
        "since",
        "customer since",
        "start date",
        "created",
        "first purchase",
        "cliente dal",
        "data inizio",
        "data acquisizione",
        "data apertura",
        "dal",
    ),
    "date": (
        "date",
        "order date",
        "invoice date",
        "document date",
        "data",
        "data documento",
        "data ordine",
        "data fattura",
        "data vendita",
    ),
    "amount": (
        "amount",
        "total",
        "revenue",
        "sales",
        "net sales",
        "value",
        "price",
        "importo",
        "totale",
        "fatturato",
        "valore",
        "imponibile",
        "venduto",
        "prezzo",
    ),
    "margin": ("margin", "profit", "gross margin", "margine", "utile", "marginalita"),
    "transaction_id": (
        "transaction id",
        "invoice",
        "invoice number",
        "order id",
        "document number",
        "id transazione",
        "fattura",
        "numero fattura",
        "numero documento",
        "n documento",
    ),
    "case_id": (
        "case id",
        "case",
        "ticket",
        "ticket id",
        "request id",
        "case number",
        "pratica",
        "caso",
        "id ticket",
        "numero ticket",
        "numero pratica",
        "id pratica",
        "case concept name",
    ),
    "timestamp": (
        "timestamp",
        "date time",
        "datetime",
        "time",
        "event time",
        "created at",
        "data ora",
        "ora",
        "data evento",
        "time timestamp",
    ),
    "activity": (
        "activity",
        "action",
        "step",
        "event",
        "task",
        "activity name",
        "attivita",
        "azione",
        "evento",
        "fase",
        "operazione",
        "concept name",
    ),
    "department": (
        "department",
        "dept",
        "team",
        "group",
        "division",
        "office",
        "function",
        "reparto",
        "ufficio",
        "funzione",
        "gruppo",
        "org group",
        "area aziendale",
    ),
    "channel": ("channel", "medium", "source", "canale", "mezzo", "fonte", "case channel"),
    "agent": (
        "agent",
        "operator",
        "resource",
        "user",
        "owner",
        "assignee",
        "employee",
        "operatore",
        "risorsa",
        "utente",
        "incaricato",
        "assegnatario",
        "org resource",
    ),
    "is_customer_contact": (
        "is customer contact",
        "customer contact",
        "inbound",
        "from customer",
        "contatto cliente",
        "da cliente",
        "in entrata",
    ),
    "invitation_id": ("invitation id", "invitation", "invite id", "id invito", "invito"),
    "sent_at": ("sent at", "sent", "send date", "sent date", "inviato", "inviato il", "data invio"),
    "survey": (
        "survey",
        "survey type",
        "questionnaire",
        "type",
        "questionario",
        "indagine",
        "sondaggio",
        "tipo indagine",
        "tipo",
    ),
    "touchpoint": ("touchpoint", "touch point", "moment", "punto di contatto", "momento"),
    "wave": ("wave", "round", "edition", "ondata", "tornata", "edizione", "rilevazione"),
    "responded_at": ("responded at", "response date", "answered", "risposto il", "data risposta"),
    "response_id": ("response id", "response", "answer id", "id risposta", "risposta"),
    "answered_at": (
        "answered at",
        "response date",
        "submitted",
        "completed",
        "submitted at",
        "data risposta",
        "compilato il",
        "data compilazione",
    ),
    "nps": (
        "nps",
        "recommend",
        "likelihood to recommend",
        "net promoter",
        "raccomandazione",
        "consiglieresti",
        "probabilita di consigliare",
        "voto nps",
    ),
    "csat": ("csat", "satisfaction", "overall satisfaction", "soddisfazione", "soddisfazione complessiva"),
    "ces": ("ces", "effort", "customer effort", "sforzo", "facilita risoluzione"),
    "cxi_ease": ("cxi ease", "ease", "easy to buy", "facilita", "facile"),
    "cxi_enjoy": ("cxi enjoy", "enjoy", "enjoyable", "piacevole", "piacevolezza"),
    "cxi_needs": ("cxi needs", "needs", "met needs", "bisogni", "esigenze"),
    "comment": (
        "comment",
        "comments",
        "feedback",
        "verbatim",
        "text",
        "note",
        "notes",
        "remarks",
        "commento",
        "commenti",
        "testo",
        "osservazioni",
        "suggerimenti",
    ),
    "followup_at": (
        "followup at",
        "follow up",
        "call back",
        "callback",
        "richiamato",
        "data ricontatto",
        "ricontattato il",
    ),
    "respondent": ("respondent", "participant", "person", "rispondente", "partecipante", "compilatore"),
    "question_id": ("question id", "question", "item", "domanda", "id domanda", "quesito"),
    "score": ("score", "rating", "mark", "punteggio", "voto", "valutazione"),
    "rated_department": ("rated department", "about department", "reparto valutato", "reparto giudicato"),
}

#: allowed canonical value -> client values that mean it (normalised)
VALUE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "hot": (
        "hot",
        "transactional",
        "transazionale",
        "caldo",
        "a caldo",
        "post interaction",
        "post interazione",
        "evento",
        "event",
        "touchpoint",
        "puntuale",
    ),
    "cold": (
        "cold",
        "relational",
        "relazionale",
        "freddo",
        "a freddo",
        "barometer",
        "barometro",
        "periodica",
        "periodic",
        "annuale",
        "semestrale",
        "relationship",
    ),
}

_TRUE_FALSE = {"true", "false", "yes", "no", "y", "n", "si", "sì", "vero", "falso", "t", "f", "x"}
_ID_PATTERN = re.compile(r"^[A-Za-z]{0,6}[-_/]?\d{2,}([-_/]\w+)?$")
_DATE_FORMATS = (
    "ISO8601",
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%Y%m%d",
)
_BARE_ID = {"id", "codice", "code", "key", "numero", "nr", "n", "no"}
THRESHOLD = 0.5
NAME_WEIGHT = 0.65


def normalise(name: str) -> str:
    """'Codice_Cliente ' -> 'codice cliente' (lower case, no accents, words separated by one space)."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def name_score(name: str, column: str) -> tuple[float, str]:
    """How much a client column name looks like a canonical column (0–1) and the synonym it matched."""
    norm = normalise(name)
    if not norm:
        return 0.0, ""
    best, best_syn = 0.0, ""
    for syn in (column.replace("_", " "), *SYNONYMS.get(column, ())):
        if norm == syn:
            return 1.0, syn
        tokens, syn_tokens = norm.split(), syn.split()
        score = difflib.SequenceMatcher(None, norm, syn).ratio()
        if len(syn) >= 3 and (
            syn_tokens == tokens[: len(syn_tokens)] or syn_tokens == tokens[-len(syn_tokens) :]
        ):
            score = max(score, 0.85)  # 'data ordine cliente' starts with 'data ordine'
        if score > best:
            best, best_syn = score, syn
    return best, best_syn


def suggest_values(values: list[str], allowed: tuple[str, ...]) -> dict[str, str]:
    """Client value -> allowed canonical value, for the values that look like one (e.g. Relazionale -> cold)."""
    out: dict[str, str] = {}
    for value in values:
        norm = normalise(value)
        if norm in allowed:
            continue  # already canonical
        best, best_score = None, 0.0
        for target in allowed:
            for syn in (target, *VALUE_SYNONYMS.get(target, ())):
                score = (
                    1.0
                    if norm == syn or syn in norm.split()
                    else difflib.SequenceMatcher(None, norm, syn).ratio()
                )
                if score > best_score:
                    best, best_score = target, score
        if best is not None and best_score >= 0.75:
            out[str(value)] = best
    return out


def value_kind(values: pd.Series) -> str:
    """What a column's values look like: empty, bool, datetime, score10, score7, score5, integer,
    number, id, text or category."""
    text = values.dropna().astype("str").str.strip()
    text = text[text != ""].head(300)
    if text.empty:
        return "empty"
    lower = text.str.lower()
    if (
        lower.isin(_TRUE_FALSE | {"0", "1"}).all()
        and lower.nunique() <= 2
        and not lower.isin({"0", "1"}).all()
    ):
        return "bool"
    numbers = _numbers(text)
    if numbers.notna().mean() >= 0.95:
        present = numbers.dropna()
        integral = bool((present % 1 == 0).all())
        low, high = present.min(), present.max()
        if integral and low >= 0 and high <= 10 and high > 7:
            return "score10"
        if integral and low >= 1 and high <= 7 and high > 5:
            return "score7"
        if integral and low >= 0 and high <= 5 and high > 1:
            return "score5"
        if integral and text.str.len().min() >= 3 and present.nunique() >= 0.9 * len(present):
            return "id"
        return "integer" if integral else "number"
    if _looks_like_dates(text):
        return "datetime"
    if text.str.match(_ID_PATTERN).mean() >= 0.9:
        return "id"
    if text.str.len().mean() > 30 and text.str.contains(" ").mean() > 0.5:
        return "text"
    if text.nunique() >= 0.9 * len(text) and len(text) >= 20:
        return "id" if not text.str.contains(" ").any() else "text"
    return "category"


def _numbers(text: pd.Series) -> pd.Series:
    """Numbers with a decimal point or a decimal comma (thousands separators allowed), NaN otherwise."""
    clean = text.str.replace(r"^[€$£]\s*|\s*[€$£]$", "", regex=True)
    point = pd.to_numeric(clean.str.replace(",", "", regex=False), errors="coerce")
    comma = pd.to_numeric(
        clean.str.replace(".", "", regex=False).str.replace(",", ".", regex=False), errors="coerce"
    )
    return comma if comma.notna().sum() > point.notna().sum() or clean.str.contains(",").any() else point


def _looks_like_dates(text: pd.Series) -> bool:
    if not text.str.contains(r"\d", regex=True).all():
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fmt in _DATE_FORMATS:
            ok = pd.to_datetime(text, format=fmt, errors="coerce", utc=True).notna().mean()
            if ok >= 0.9:
                return True
    return False


def value_fit(kind: str, column: Column) -> float:
    """How well a detected value kind fits a canonical column (0–1)."""
    if kind == "empty":
        return 0.3
    if column.kind == "datetime":
        return 1.0 if kind == "datetime" else 0.0
    if column.kind == "bool":
        return 1.0 if kind == "bool" else 0.6 if kind in ("score5", "integer") else 0.0
    if column.kind == "int" and column.max is not None:
        scale = {10: "score10", 7: "score7", 5: "score5"}.get(int(column.max))
        if kind == scale:
            return 1.0
        return 0.4 if kind in ("score5", "score7", "score10", "integer") else 0.0
    if column.kind in ("float", "int"):
        return {"number": 1.0, "integer": 0.9, "score10": 0.5, "score7": 0.5, "score5": 0.5, "id": 0.3}.get(
            kind, 0.0
        )
    if column.kind == "id":
        return {"id": 1.0, "integer": 0.7, "category": 0.4, "text": 0.2}.get(kind, 0.1)
    if column.kind == "text":
        return {"text": 1.0, "category": 0.6, "id": 0.2}.get(kind, 0.1)
    # category
    return {"category": 1.0, "text": 0.5, "bool": 0.3, "score5": 0.3, "integer": 0.3, "id": 0.3}.get(
        kind, 0.1
    )


def suggest_mapping(frame: pd.DataFrame, table: str | Table, threshold: float = THRESHOLD) -> pd.DataFrame:
    """One row per client column: ``column``, ``kind`` (what its values look like), ``suggestion`` (a
    canonical column or None), ``score`` (0–1), and why: ``matched_name`` (the known name the column's
    name resembles, or None) and ``kind_fits`` (whether the values fit the suggested column). Each
    canonical column is suggested at most once (the best-scoring pairs win)."""
    spec = TABLES[table] if isinstance(table, str) else table
    candidates: list[tuple[float, str, str, str | None, bool]] = []
    kinds = {}
    for col in frame.columns:
        kind = value_kind(frame[col])
        kinds[col] = kind
        for target in spec.columns:
            n_score, syn = name_score(col, target.name)
            if target.unique and normalise(col) in _BARE_ID and n_score < 0.9:
                n_score, syn = 0.9, normalise(col)  # a bare 'ID' is the table's own id
            fit = value_fit(kind, target)
            score = NAME_WEIGHT * n_score + (1 - NAME_WEIGHT) * fit
            if fit == 0.0:
                score *= 0.5  # a good name with impossible values (text in a date column) is doubtful
            matched = syn if n_score >= 0.75 else None
            candidates.append((score, str(col), target.name, matched, fit >= 0.9))
    candidates.sort(key=lambda c: -c[0])
    taken_cols: dict[str, tuple[str, float, str | None, bool]] = {}
    taken_targets: set[str] = set()
    for score, col, name, matched, fits in candidates:
        if score < threshold:
            break
        if col in taken_cols or name in taken_targets:
            continue
        taken_cols[col] = (name, score, matched, fits)
        taken_targets.add(name)
    rows = []
    for col in frame.columns:
        suggestion, score, matched, fits = taken_cols.get(str(col), (None, 0.0, None, False))
        rows.append(
            {
                "column": str(col),
                "kind": kinds[col],
                "suggestion": suggestion,
                "score": round(float(score), 3),
                "matched_name": matched,
                "kind_fits": fits,
            }
        )
    columns = ["column", "kind", "suggestion", "score", "matched_name", "kind_fits"]
    out = pd.DataFrame(rows, columns=columns)
    for name in ("suggestion", "matched_name"):  # None, not NaN
        out[name] = pd.Series([r[name] for r in rows], index=out.index, dtype=object)
    return out
