"""The built-in demo client: a fictional Italian B2B distributor with planted findings.

:func:`generate_demo_client` writes a complete client folder (``client.yaml``, ``data/`` with all six
canonical tables in the formats a real Italian client would send, ``planted.json`` with the ids of every
planted finding). The contract — which findings are planted and how strongly — is ``docs/demo_client.md``;
the analyses are tested against it.

Everything is drawn from one ``numpy.random.default_rng(seed)`` in a fixed order, so a seed gives the
same bytes. Events are built per case *variant* (a template of steps) as numpy matrices, never per event,
so 150,000 cases (~1,000,000 events) take seconds.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .config import load_config
from .errors import ConfigError
from .questionnaire import QUESTIONS

DEFAULT_NAME = "Distribuzioni Martelli S.p.A."

DEPARTMENTS = (
    "Sales",
    "Customer Service",
    "Logistics",
    "Credit",
    "Billing",
    "Technical Support",
    "Warehouse",
    "Web Portal",
)
INDUSTRIES = ("Construction", "Manufacturing", "Retail", "Hospitality")
INDUSTRY_IT = {
    "Construction": "Edilizia",
    "Manufacturing": "Manifattura",
    "Retail": "Commercio",
    "Hospitality": "Ospitalità",
}
WAVES = (("2026-W1", "2026-03-15"), ("2026-W2", "2026-09-15"))
DROP_INDUSTRY = "Construction"

_DAY = 86_400
_HOUR = 3_600

# --------------------------------------------------------------------------------------------------
# names

_SURNAMES = (
    "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De Luca "
    "Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso "
    "Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola De Santis "
    "D'Angelo Marchetti Parisi Villa Conte Ferraro Ferri Fabbri Bianco Marini Grasso Valentini Messina "
    "Sala De Angelis Gatti Pellegrini Palumbo Sanna Farina Rizzi Monti Cattaneo Morelli Amato Silvestri "
    "Mazza Testa Grassi Pellegrino Carbone Giuliani Benedetti Barone Rossetti Caputo Montanari Guerra "
    "Palmieri Bernardi Martino Fiore De Rosa Ferretti Bellini Basile Riva Donati Piras Vitali Battaglia "
    "Sartori Neri Costantini Milani Pagano Ruggiero Sorrentino D'Amico Orlando Damico Negri"
).split()
# two-word surnames were split above; rebuild them
_SURNAMES = [s for s in _SURNAMES if s not in ("De", "Luca", "Santis", "Angelis", "Rosa")] + [
    "De Luca",
    "De Santis",
    "De Angelis",
    "De Rosa",
]
_PREFIXES = {
    "Construction": ("Edil", "Costruzioni", "Impresa Edile", "Edilizia", "Cantieri"),
    "Manufacturing": ("Meccanica", "Officine", "Industrie", "Carpenteria", "Metalmeccanica"),
    "Retail": ("Ferramenta", "Colorificio", "Utensileria", "Brico", "Forniture"),
    "Hospitality": ("Hotel", "Albergo", "Ristorazione", "Residence", "Agriturismo"),
}
_LEGAL = ("S.r.l.", "S.r.l.", "S.r.l.", "S.p.A.", "& C. s.n.c.", "s.a.s.", "S.r.l.s.")
_REGIONS = {
    "Lombardia": 0.22,
    "Veneto": 0.14,
    "Emilia-Romagna": 0.12,
    "Piemonte": 0.09,
    "Lazio": 0.09,
    "Toscana": 0.08,
    "Campania": 0.07,
    "Puglia": 0.05,
    "Sicilia": 0.05,
    "Marche": 0.04,
    "Friuli-Venezia Giulia": 0.03,
    "Trentino-Alto Adige": 0.02,
}
_TOWNS = (
    "Brescia Bergamo Verona Vicenza Padova Treviso Modena Parma Bologna Torino Novara Roma Latina Firenze "
    "Prato Napoli Salerno Bari Lecce Catania Palermo Ancona Udine Trento Bolzano Monza Como Varese Cremona"
).split()
_AGENTS = {
    "Sales": ("Marco Bianchi", "Giulia Ferri", "Luca Conti", "Alessandra Neri"),
    "Customer Service": ("Sara Galli", "Paolo Riva", "Elena Fontana", "Andrea Moretti", "Valentina Sala"),
    "Logistics": ("Davide Colombo", "Franco Gatti", "Ilaria Serra"),
    "Credit": ("Roberta Mancini", "Stefano Lodi"),
    "Billing": ("Chiara Sala", "Matteo Villa"),
    "Technical Support": ("Fabio Longo", "Simone Barbieri", "Laura Testa"),
    "Warehouse": ("Antonio Russo", "Giorgio Marini", "Nicola Ferrara"),
    "Web Portal": (),  # self-service: no agent
}

# --------------------------------------------------------------------------------------------------
# case templates: (activity, department, channel, is_customer_contact, wait key, agent slot)
# agent slot: 0 = the case's usual agent in that department, 1 = a colleague, -1 = none

_WAITS = {  # wait before the step: (median minutes, lognormal sigma)
    "start": (0, 0.0),
    "quick": (8, 0.5),
    "same": (35, 0.8),
    "hand": (240, 0.9),
    "quote": (300, 0.8),
    "q2o": (2400, 0.7),
    "wh": (420, 0.6),
    "sched": (180, 0.6),
    "ship": (1200, 0.35),
    "addr_back": (2160, 0.6),
    "addr_fix": (3600, 0.5),
    "chase": (1200, 0.6),
    "after_chase": (120, 0.8),
    "credit": (1700, 0.7),
    "cust": (1800, 0.8),
    "web_fail": (2, 0.5),
    "after_web": (150, 1.0),
    "tech": (1000, 0.8),
    "bill": (600, 0.8),
}

Step = tuple[str, str, str, bool, str, int]


@dataclass(frozen=True)
class _Variant:
    steps: tuple[Step, ...]
    nps: float | None  # mean hot NPS of the case's survey; None = no hot survey
    ces_penalty: float
    theme: str  # comment theme of an unhappy respondent
    touchpoint: str | None
    flags: tuple[str, ...] = ()


def _order_variant(quote: int, web: int, addr: int, chaser: int) -> _Variant:
    S, W, L, P = "Sales", "Warehouse", "Logistics", "Web Portal"
    steps: list[Step] = []
    if quote:
        steps += [
            ("Quote request e-mail received", S, "email", True, "start", 0),
            ("Quote sent", S, "email", False, "quote", 0),
        ]
    first = "q2o" if quote else "start"
    if web:
        steps += [
            ("Online order placed", P, "web", True, first, -1),
            ("Order entered", S, "internal", False, "hand", 0),
        ]
    else:
        steps += [
            ("Order e-mail received", S, "email", True, first, 0),
            ("Order entered", S, "internal", False, "same", 0),
        ]
    steps += [
        ("Picking completed", W, "internal", False, "hand", 0),
        ("Shipment scheduled", L, "internal", False, "wh", 0),
    ]
    if addr:
        steps.append(("Address missing - query to Sales", L, "internal", False, "same", 0))
        if chaser:
            steps += [
                ("Customer chaser call", S, "phone", True, "chase", 1),
                ("Address clarified", S, "internal", False, "after_chase", 0),
            ]
        else:
            steps.append(("Address clarified", S, "internal", False, "addr_back", 0))
        steps += [
            ("Shipment rescheduled", L, "internal", False, "addr_fix", 0),
            ("Shipped", L, "internal", False, "sched", 0),
        ]
        if addr == 2:
            steps += [
                ("Delivery failed - wrong address", L, "internal", False, "ship", 0),
                ("Address clarified", S, "internal", False, "addr_back", 0),
                ("Shipment rescheduled", L, "internal", False, "addr_fix", 0),
                ("Shipped", L, "internal", False, "sched", 0),
            ]
        steps.append(("Delivered late", L, "internal", False, "ship", 0))
        nps = (3.4 if addr == 1 else 2.4) - 0.3 * chaser
        return _Variant(
            tuple(steps), nps, 0.8 + 0.4 * (addr - 1), "late_address", "delivery", ("address_loss",)
        )
    steps += [("Shipped", L, "internal", False, "sched", 0), ("Delivered", L, "internal", False, "ship", 0)]
    return _Variant(tuple(steps), 8.6, 0.0, "late_delivery", "delivery")


def _intake(channel: int) -> Step:
    if channel:
        return ("Inbound call", "Customer Service", "phone", True, "start", 0)
    return ("E-mail received", "Customer Service", "email", True, "start", 0)


def _dispute_variant(phone: int, pingpong: int, chasers: int, contradictory: int) -> _Variant:
    CS, CR, B = "Customer Service", "Credit", "Billing"
    steps: list[Step] = [
        _intake(phone),
        ("Dispute logged", CS, "internal", False, "quick", 0),
        ("Credit authorisation request", CS, "internal", False, "same", 0),
        ("Authorisation pending", CR, "internal", False, "hand", 0),
    ]
    if pingpong:
        steps += [
            ("Customer chaser call", CS, "phone", True, "chase", 1),
            ("Credit asked for update", CS, "internal", False, "quick", 1),
            ("Documents requested from Customer Service", CR, "internal", False, "credit", 0),
        ]
        steps += [("Customer chaser call", CS, "phone", True, "chase", k % 2) for k in range(chasers - 1)]
        steps += [
            ("Documents forwarded to Credit", CS, "internal", False, "cust", 0),
            ("Credit authorisation granted", CR, "internal", False, "credit", 0),
        ]
    else:
        steps.append(("Credit authorisation granted", CR, "internal", False, "credit", 0))
    steps.append(("Answer sent to customer", CS, "email", False, "hand", 0))
    flags: tuple[str, ...] = ("dispute_pingpong",) if pingpong else ()
    if contradictory:
        steps += [
            ("Inbound call", CS, "phone", True, "cust", 1),
            ("Answer sent to customer", CS, "phone", False, "quick", 1),  # a colleague says otherwise
            ("Case reopened", CS, "internal", False, "cust", 0),
            ("Answer sent to customer", CS, "email", False, "hand", 0),
        ]
        flags += ("contradictory",)
    steps.append(("Credit note issued", B, "internal", False, "hand", 0))
    nps = (4.0 - 0.35 * (chasers - 1) if pingpong else 6.6) - 1.2 * contradictory
    theme = (
        "contradictory" if contradictory and not pingpong else "passed_around" if pingpong else "slow_answer"
    )
    pen = 1.2 * pingpong + 0.5 * contradictory
    return _Variant(tuple(steps), nps, pen, theme, "customer service", flags)


def _address_variant(mode: int) -> _Variant:
    CS, S, P = "Customer Service", "Sales", "Web Portal"
    if mode == 0:  # self-service that fails and ends in a call and a form
        steps: tuple[Step, ...] = (
            ("Self-service address change", P, "web", True, "start", -1),
            ("Self-service attempt failed", P, "web", False, "web_fail", -1),
            ("Inbound call", CS, "phone", True, "after_web", 0),
            ("Form sent to customer", CS, "email", False, "quick", 0),
            ("Form received", CS, "email", True, "cust", 0),
            ("Customer master data updated", S, "internal", False, "hand", 0),
            ("Answer sent to customer", S, "email", False, "same", 0),
        )
        return _Variant(steps, 4.2, 2.0, "self_service", "customer service", ("self_service_failure",))
    if mode == 1:  # self-service that works: no service contact, no survey
        steps = (
            ("Self-service address change", P, "web", True, "start", -1),
            ("Address change confirmed", P, "web", False, "web_fail", -1),
        )
        return _Variant(steps, None, 0.0, "neutral", None)
    steps = (
        ("Inbound call", CS, "phone", True, "start", 0),
        ("Address change requested", CS, "internal", False, "quick", 0),
        ("Customer master data updated", S, "internal", False, "hand", 0),
        ("Answer sent to customer", S, "email", False, "same", 0),
    )
    return _Variant(steps, 7.6, 0.3, "slow_answer", "customer service")


def _technical_variant(phone: int, chaser: int, direct: int) -> _Variant:
    CS, T = "Customer Service", "Technical Support"
    steps: list[Step] = [
        _intake(phone),
        ("Question logged", CS, "internal", False, "quick", 0),
        ("Technical analysis started", T, "internal", False, "hand", 0),
    ]
    if chaser:
        steps += [
            ("Customer chaser call", CS, "phone", True, "chase", 1),
            ("Technical Support asked for update", CS, "internal", False, "quick", 1),
        ]
    steps.append(("Technical analysis completed", T, "internal", False, "tech", 0))
    if direct:
        steps.append(("Answer sent to customer", T, "email", False, "same", 0))
    else:
        steps.append(("Answer sent to customer", CS, "email", False, "hand", 0))
    return _Variant(tuple(steps), 7.8 - 1.5 * chaser, 0.6 * chaser, "slow_answer", "customer service")


def _billing_variant(phone: int, chaser: int, corrected: int) -> _Variant:
    CS, B = "Customer Service", "Billing"
    steps: list[Step] = [_intake(phone), ("Question logged", CS, "internal", False, "quick", 0)]
    if chaser:
        steps.append(("Customer chaser call", CS, "phone", True, "chase", 1))
    steps.append(("Invoice checked", B, "internal", False, "bill" if not chaser else "after_chase", 0))
    if corrected:
        steps.append(("Invoice corrected", B, "internal", False, "same", 0))
    steps.append(("Answer sent to customer", CS, "email", False, "hand", 0))
    return _Variant(tuple(steps), 7.2 - 1.2 * chaser, 0.5 * chaser, "slow_answer", "customer service")


CASE_TYPES = ("order", "dispute", "address change", "technical question", "billing question")
_CASE_SHARES = np.array([0.55, 0.15, 0.10, 0.10, 0.10])

# --------------------------------------------------------------------------------------------------
# comment fragments (Italian and English); combined at random so comments read as written by people

_TEXT: dict[str, dict[str, tuple[str, ...]]] = {
    "it": {
        "open_det": (
            "Molto deluso.",
            "Esperienza pessima.",
            "Non ci siamo proprio.",
            "Sinceramente insoddisfatto.",
            "Servizio da rivedere.",
            "Purtroppo ancora problemi.",
            "Che fatica.",
            "",
            "",
        ),
        "open_pas": (
            "Abbastanza bene.",
            "Nel complesso discreto.",
            "Tutto sommato ok.",
            "Servizio nella media.",
            "",
        ),
        "open_pro": (
            "Ottimo servizio.",
            "Molto soddisfatti.",
            "Bene!",
            "Fornitore affidabile.",
            "Perfetto.",
            "",
        ),
        "late_address": (
            "La consegna è arrivata con tre giorni di ritardo perché mancava l'indirizzo di consegna.",
            "Avevamo comunicato l'indirizzo del cantiere al commerciale ma il corriere non lo aveva.",
            "Consegna in ritardo: l'indirizzo era sbagliato e nessuno ci ha avvisato.",
            "Il materiale è arrivato in ritardo, l'indirizzo si è perso tra ufficio vendite e logistica.",
            "Abbiamo dovuto ridare l'indirizzo di consegna due volte e la merce è arrivata tardi.",
            "Cantiere fermo una settimana in attesa del materiale: consegna in ritardo.",
            "La logistica ci ha chiesto di nuovo l'indirizzo che avevamo già dato in fase d'ordine.",
            "Ritardo nella consegna, il corriere è andato all'indirizzo sbagliato.",
        ),
        "late_delivery": (
            "La consegna è arrivata in ritardo.",
            "Tempi di consegna più lunghi del previsto.",
            "Merce arrivata un giorno dopo la data promessa.",
        ),
        "passed_around": (
            "Mi hanno rimbalzato tra servizio clienti e ufficio crediti per settimane.",
            "Nessuno si prende la responsabilità: il servizio clienti dice che dipende dal credito e viceversa.",
            "Ho dovuto sollecitare più volte, nessuno mi ha mai richiamato.",
            "Per una nota di credito ho chiamato tre volte senza ottenere risposta.",
            "Passato da un ufficio all'altro senza che nessuno risolvesse la contestazione.",
            "Aspettiamo ancora l'autorizzazione del credito, nessuno ci richiama.",
        ),
        "contradictory": (
            "Due operatori mi hanno dato due risposte diverse.",
            "Prima mi dicono che la nota di credito è approvata, poi un collega mi dice il contrario.",
            "Risposte contraddittorie dal servizio clienti, pratica riaperta.",
            "Ognuno dice una cosa diversa, non si capisce chi decide.",
        ),
        "self_service": (
            "Il portale non funziona: ho provato a cambiare l'indirizzo online ma ha dato errore.",
            "Il sito non ha salvato il nuovo indirizzo e ho dovuto telefonare.",
            "Dopo aver provato sul sito mi hanno chiesto di compilare un modulo. Assurdo.",
            "L'area riservata è inutilizzabile per una semplice modifica.",
            "Il cambio indirizzo online non va, poi al telefono mi mandano un modulo da rispedire.",
        ),
        "slow_answer": (
            "Risposta arrivata dopo giorni.",
            "Tempi di risposta troppo lunghi.",
            "Ho dovuto richiamare per avere una risposta.",
            "La pratica è rimasta ferma troppo a lungo.",
        ),
        "praise_delivery": (
            "Consegna puntuale e merce in perfette condizioni.",
            "Tutto arrivato nei tempi previsti.",
            "Ordine evaso velocemente, complimenti.",
            "Consegna rapida anche in cantiere.",
            "Imballo curato e consegna puntuale.",
        ),
        "praise_staff": (
            "Personale gentile e competente.",
            "Il commerciale è sempre disponibile.",
            "Assistenza rapida e cortese.",
            "Sempre disponibili e puntuali nelle risposte.",
        ),
        "price": (
            "Prezzi un po' alti rispetto alla concorrenza.",
            "Buon servizio ma il listino continua ad aumentare.",
            "Le condizioni di pagamento potrebbero essere migliori.",
        ),
        "range": (
            "Ampia scelta di prodotti.",
            "Manca qualche articolo a magazzino.",
            "Catalogo completo, qualche codice difficile da trovare.",
        ),
        "neutral": ("Nel complesso tutto regolare.", "Niente da segnalare.", "Servizio nella norma."),
        "close_det": (
            "Valuteremo altri fornitori.",
            "Spero che migliorerete.",
            "Così non si lavora.",
            "",
            "",
        ),
        "close_pro": ("Continuate così!", "Grazie.", "Vi consiglio volentieri.", "", ""),
    },
    "en": {
        "open_det": ("Very disappointed.", "Poor experience.", "Not good enough.", "Frustrating.", "", ""),
        "open_pas": ("Fairly good.", "Overall fine.", "OK on the whole.", "Average service.", ""),
        "open_pro": ("Great service.", "Very happy.", "Excellent!", "Reliable supplier.", ""),
        "late_address": (
            "Delivery was three days late because the delivery address was missing.",
            "We gave the site address to your sales rep but the carrier never got it.",
            "Late delivery: the address was wrong and nobody told us.",
            "Had to give the delivery address twice and the goods still arrived late.",
            "Logistics asked again for the address we had already given with the order.",
        ),
        "late_delivery": ("The delivery was late.", "Delivery took longer than promised."),
        "passed_around": (
            "I was passed back and forth between customer service and the credit department.",
            "Nobody called me back, I had to chase them several times.",
            "Customer service blames credit, credit blames customer service.",
            "Still waiting for the credit approval, nobody calls back.",
        ),
        "contradictory": (
            "Two agents gave me two different answers.",
            "One person said the credit note was approved, the next one said it was not.",
            "Contradictory answers from customer service, the case had to be reopened.",
        ),
        "self_service": (
            "The website would not save my new address, so I had to call.",
            "Self-service on the portal failed and then I was asked to fill in a form.",
            "The online portal is useless for simple changes.",
            "Tried to change the address online, got an error, then had to phone.",
        ),
        "slow_answer": (
            "The answer took days.",
            "Response times are too long.",
            "I had to call again to get an answer.",
        ),
        "praise_delivery": (
            "On-time delivery, goods in perfect condition.",
            "Everything arrived as planned.",
            "Fast delivery, even to the building site.",
        ),
        "praise_staff": (
            "Friendly and competent staff.",
            "Quick and polite support.",
            "Always helpful and quick to answer.",
        ),
        "price": ("Prices are a bit high compared with competitors.", "Good service but prices keep rising."),
        "range": ("Wide range of products.", "Some items were out of stock."),
        "neutral": ("All as expected.", "Nothing to report.", "Standard service."),
        "close_det": ("We are looking at other suppliers.", "Please fix this.", "", ""),
        "close_pro": ("Keep it up!", "Thanks.", "", ""),
    },
}


# --------------------------------------------------------------------------------------------------
# helpers


def _days(date: str | pd.Timestamp) -> int:
    """Days since 1970-01-01 of a date."""
    return int(np.datetime64(pd.Timestamp(date).date(), "D").astype(np.int64))


def _to_datetime(seconds: np.ndarray) -> np.ndarray:
    return np.asarray(seconds, dtype=np.int64).astype("datetime64[s]").astype("datetime64[ns]")


def _snap_business(t: np.ndarray, jitter: np.ndarray) -> np.ndarray:
    """Move times outside 08:00-18:00 Monday-Friday to the next business morning."""
    day, sod = np.divmod(t, _DAY)
    before = sod < 8 * _HOUR
    after = sod >= 18 * _HOUR
    day = day + after
    sod = np.where(before | after, 8 * _HOUR + jitter, sod)
    wd = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    day = day + np.where(wd == 5, 2, np.where(wd == 6, 1, 0))
    return day * _DAY + sod


def _weekday_back(day: np.ndarray) -> np.ndarray:
    """Move Saturday/Sunday dates back to Friday (invoices are dated on working days)."""
    wd = (day + 3) % 7
    return day - np.where(wd == 5, 1, np.where(wd == 6, 2, 0))


def _fmt_it_date(days: np.ndarray) -> pd.Series:
    iso = pd.Series(np.datetime_as_string(np.asarray(days, dtype="datetime64[D]")))
    return iso.str[8:10] + "/" + iso.str[5:7] + "/" + iso.str[0:4]


def _fmt_comma(x: np.ndarray) -> np.ndarray:
    return np.char.replace(np.char.mod("%.2f", np.asarray(x, dtype=float)), ".", ",")


def _rolling_count(cust: np.ndarray, t: np.ndarray, window: int) -> np.ndarray:
    """For each (customer, time), how many rows of the same customer fall in (t - window, t]."""
    order = np.lexsort((t, cust))
    key = cust[order].astype(np.int64) * (1 << 40) + t[order]
    lo = np.searchsorted(key, key - window, side="right")
    hi = np.searchsorted(key, key, side="right")
    out = np.empty(len(t), dtype=np.int64)
    out[order] = hi - lo
    return out


def _quarantine(cust: np.ndarray, t: np.ndarray, gap: int) -> np.ndarray:
    """Greedy survey quarantine: keep a row only if the customer's last kept row is >= gap earlier.

    Vectorised in rounds (one round per kept invitation per customer), not per row.
    """
    keep = np.zeros(len(t), dtype=bool)
    if len(t) == 0:
        return keep
    order = np.lexsort((t, cust))
    c, tt = cust[order].astype(np.int64), t[order]
    key = c * (1 << 40) + tt
    first = np.r_[True, c[1:] != c[:-1]]
    cur = np.flatnonzero(first)
    kept_sorted = np.zeros(len(t), dtype=bool)
    while cur.size:
        kept_sorted[cur] = True
        nxt = np.searchsorted(key, key[cur] + gap, side="left")
        ok = nxt < len(key)
        ok[ok] = c[nxt[ok]] == c[cur[ok]]
        cur = nxt[ok]
    keep[order] = kept_sorted
    return keep


def _stratified_nps(
    rng: np.random.Generator, latent: np.ndarray, promoters: float, detractors: float
) -> np.ndarray:
    """NPS answers for one group whose NPS hits the target as closely as the group size allows.

    Shares are allocated exactly (not drawn), so a planted difference between groups does not drown in
    sampling noise; who gets which answer follows ``latent`` (lowest latent -> lowest score).
    """
    n = len(latent)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    p = int(round(promoters * n))
    d = int(np.clip(p - round((promoters - detractors) * n), 0, n - p))
    det = rng.choice(7, size=d, p=[0.08, 0.08, 0.1, 0.14, 0.17, 0.2, 0.23])
    if d >= 1:  # every group with detractors has an ultra-detractor (NPS 0-1) to call back
        det[0] = min(det[0], 1)
    pas = rng.choice([7, 8], size=n - p - d, p=[0.45, 0.55])
    pro = rng.choice([9, 10], size=p, p=[0.55, 0.45])
    scores = np.sort(np.concatenate([det, pas, pro]))
    out = np.empty(n, dtype=np.int64)
    out[np.argsort(latent, kind="stable")] = scores
    return out


# --------------------------------------------------------------------------------------------------
# the generator


def generate_demo_client(
    path: Path | str,
    customers: int = 600,
    cases: int = 4000,
    seed: int = 7,
    language: str = "it",
    name: str | None = None,
    analysis_date: str = "2026-10-31",
) -> Path:
    """Write the demo client folder (client.yaml, data/, planted.json) and return its path.

    Deterministic for a seed: the same arguments write the same bytes. The planted findings are those
    of ``docs/demo_client.md``; ``planted.json`` lists their ids.
    """
    if language not in ("it", "en"):
        raise ConfigError("it or en", column="language", found=repr(language))
    if customers < 50:
        raise ConfigError("at least 50 customers", column="customers", found=str(customers))
    if cases < 50:
        raise ConfigError("at least 50 cases", column="cases", found=str(cases))
    folder = Path(path)
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    name = name or DEFAULT_NAME
    a_day = _days(analysis_date)

    cust = _customers(rng, customers, a_day)
    tx = _transactions(rng, cust, a_day)
    case = _cases(rng, cases, cust, tx, a_day)
    events, case = _events(rng, case, a_day)
    inv, resp, stopped = _surveys(rng, case, cust, tx, a_day)
    culture = _culture(rng, a_day)

    _write_customers(data / "clienti.csv", cust)
    _write_transactions(data / "vendite.csv", tx)
    events.to_csv(data / "eventi.csv", index=False)
    inv.to_csv(data / "inviti.csv", index=False)
    resp.to_csv(data / "risposte.csv", index=False)
    _write_xlsx(data / "workshop.xlsx", culture)
    (data / "README.md").write_text(_DATA_README, encoding="utf-8")
    (folder / "client.yaml").write_text(
        _CLIENT_YAML.format(
            name=json.dumps(name, ensure_ascii=False), language=language, analysis_date=analysis_date
        ),
        encoding="utf-8",
    )
    planted = _planted(cust, case, stopped, seed, customers, cases, analysis_date, len(events))
    (folder / "planted.json").write_text(
        json.dumps(planted, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    load_config(folder)  # what we wrote must be a valid client folder
    return folder


# --------------------------------------------------------------------------------------------------
# customers and transactions


def _customers(rng: np.random.Generator, n: int, a_day: int) -> pd.DataFrame:
    ids = np.array([f"C{i:05d}" for i in range(1, n + 1)])
    industry = rng.choice(len(INDUSTRIES), size=n, p=[0.44, 0.28, 0.17, 0.11])
    regions = list(_REGIONS)
    region = rng.choice(len(regions), size=n, p=np.array(list(_REGIONS.values())) / sum(_REGIONS.values()))
    # planted groups: ~5 % potential, ~5 % dilemma, ~5 % over-surveyed (disjoint)
    k = max(3, round(0.05 * n))
    perm = rng.permutation(n)
    kind = np.full(n, "regular", dtype=object)
    kind[perm[:k]] = "potential"
    kind[perm[k : 2 * k]] = "dilemma"
    w0 = a_day - 3 * 365
    old = rng.random(n) < 0.85
    since = np.where(
        old,
        rng.integers(_days("2005-01-01"), w0 - 30, size=n),
        rng.integers(w0, a_day - 60, size=n),
    )
    since = np.where(kind == "potential", a_day - rng.integers(60, 120, size=n), since)
    since = np.where(kind == "dilemma", rng.integers(_days("2008-01-01"), w0 - 200, size=n), since)
    # names: industry prefix or surname-only, legal form; duplicates get a town
    sur = rng.integers(0, len(_SURNAMES), size=(n, 2))
    style = rng.random(n)
    pref = rng.integers(0, 5, size=n)
    legal = rng.integers(0, len(_LEGAL), size=n)
    town = rng.integers(0, len(_TOWNS), size=n)
    names = []
    seen: set[str] = set()
    for i in range(n):
        s1, s2 = _SURNAMES[sur[i, 0]], _SURNAMES[sur[i, 1]]
        form = _LEGAL[legal[i]]
        if style[i] < 0.45:
            base = f"{_PREFIXES[INDUSTRIES[industry[i]]][pref[i]]} {s1}"
        elif style[i] < 0.75 or s1 == s2:
            base = s1
        else:
            base = f"{s1} & {s2}" if form != "& C. s.n.c." else f"{s1} {s2}"
        nm = f"{base} {form}"
        if nm in seen:
            nm = f"{base} {_TOWNS[town[i]]} {form}"
        j = 2
        while nm in seen:
            nm = f"{base} {form} ({j})"
            j += 1
        seen.add(nm)
        names.append(nm)
    return pd.DataFrame(
        {
            "customer_id": ids,
            "name": names,
            "region": np.array(regions)[region],
            "industry": np.array(INDUSTRIES)[industry],
            "since": since,
            "kind": kind,
            "attitude": rng.normal(0, 0.8, size=n),
        }
    )


def _transactions(rng: np.random.Generator, cust: pd.DataFrame, a_day: int) -> pd.DataFrame:
    """~3 years of purchases: BG/NBD-like for regular customers, shaped by hand for planted ones."""
    n = len(cust)
    w0 = a_day - 3 * 365
    since = cust["since"].to_numpy()
    kind = cust["kind"].to_numpy()
    lam = np.clip(rng.gamma(1.3, 9.0, size=n), 0.8, 60) / 365  # purchases per day
    p_drop = rng.beta(0.5, 25, size=n)
    spend = rng.lognormal(np.log(650), 0.7, size=n)
    margin_pct = rng.uniform(0.16, 0.30, size=n)
    kmax = int(np.ceil(lam.max() * 365 * 3 * 1.4)) + 10
    first = np.where(since < w0, w0 + rng.exponential(1 / lam), since).astype(float)
    gaps = rng.exponential(1.0, size=(n, kmax - 1)) / lam[:, None]
    times = first[:, None] + np.concatenate([np.zeros((n, 1)), np.cumsum(gaps, axis=1)], axis=1)
    life = rng.geometric(p_drop)  # purchases made before dropping out
    alive = (times < a_day + 1) & (np.arange(kmax)[None, :] < life[:, None])
    # every customer buys at least once in the window
    none = ~alive.any(axis=1)
    times[none, 0] = rng.uniform(np.maximum(since[none], w0), a_day - 30)
    alive[none, 0] = True
    alive[kind != "regular"] = False
    rows, cols = np.nonzero(alive)
    c_list = [rows]
    d_list = [np.floor(times[rows, cols]).astype(np.int64)]
    m_list = [spend[rows]]
    # potential: recent, frequent and accelerating, ordinary basket
    for i in np.flatnonzero(kind == "potential"):
        k = rng.integers(13, 20)
        t = since[i] + (a_day - 3 - since[i]) * np.sqrt(rng.random(k))
        t = np.sort(np.r_[since[i], t])
        c_list.append(np.full(len(t), i))
        d_list.append(t.astype(np.int64))
        m_list.append(np.full(len(t), rng.lognormal(np.log(370), 0.15)))
    # dilemma: steady history, a burst of large orders early in the last 12 months, then silence
    for i in np.flatnonzero(kind == "dilemma"):
        stop = a_day - rng.integers(190, 300)
        hist = np.arange(w0, a_day - 365, 365 / rng.uniform(10, 16)) + rng.uniform(0, 10)
        burst = np.sort(rng.uniform(a_day - 365, stop, size=rng.integers(8, 14)))
        burst = np.r_[burst, stop]
        c_list.append(np.full(len(hist) + len(burst), i))
        d_list.append(np.r_[hist, burst].astype(np.int64))
        m_list.append(
            np.r_[
                np.full(len(hist), rng.lognormal(np.log(1400), 0.3)),
                np.full(len(burst), rng.lognormal(np.log(3800), 0.3)),
            ]
        )
    c = np.concatenate(c_list)
    d = _weekday_back(np.concatenate(d_list))
    m = np.concatenate(m_list)
    amount = np.round(rng.gamma(4.0, m / 4.0) + 20, 2)
    margin = np.round(amount * np.clip(margin_pct[c] + rng.normal(0, 0.02, size=len(c)), 0.05, 0.45), 2)
    order = np.lexsort((c, d))
    tx = pd.DataFrame({"cust": c[order], "day": d[order], "amount": amount[order], "margin": margin[order]})
    year = pd.Series(tx["day"].to_numpy().astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970)
    seq = year.groupby(year, sort=False).cumcount() + 1
    tx["transaction_id"] = ("FT" + year.astype(str) + "/" + seq.astype(str).str.zfill(6)).to_numpy()
    tx["customer_id"] = cust["customer_id"].to_numpy()[tx["cust"].to_numpy()]
    # the client's own ABC segment: by 2025 sales (top 15 % A, next 35 % B)
    y2025 = (tx["day"] >= _days("2025-01-01")) & (tx["day"] < _days("2026-01-01"))
    sales = np.bincount(tx.loc[y2025, "cust"], weights=tx.loc[y2025, "amount"], minlength=n)
    rank = pd.Series(sales).rank(pct=True, method="first").to_numpy()
    cust["segment"] = np.where(rank > 0.85, "A", np.where(rank > 0.5, "B", "C"))
    return tx


# --------------------------------------------------------------------------------------------------
# cases and events


def _cases(
    rng: np.random.Generator, n: int, cust: pd.DataFrame, tx: pd.DataFrame, a_day: int
) -> pd.DataFrame:
    """Who opens which kind of case when; planted over-surveyed customers get bursts of cases."""
    e0, e1 = a_day - 365, a_day - 21  # the event log covers the last 12 months
    counts = np.floor(_CASE_SHARES * n).astype(int)
    counts[0] += n - counts.sum()
    ctype = np.repeat(np.arange(len(CASE_TYPES)), counts)
    customer = np.empty(n, dtype=np.int64)
    day = np.empty(n, dtype=np.int64)
    # orders follow real purchases (so a silent customer places no orders)
    txd = tx["day"].to_numpy()
    pool = np.flatnonzero((txd >= e0) & (txd <= e1))
    no = counts[0]
    pick = rng.choice(pool, size=no, replace=no > len(pool))
    customer[:no] = tx["cust"].to_numpy()[pick]
    day[:no] = txd[pick]
    # service cases: customers weighted by their activity in the window
    since = cust["since"].to_numpy()
    activity = np.bincount(tx["cust"].to_numpy()[pool], minlength=len(cust)) + 0.5
    activity[since > e1] = 0
    ns = n - no
    customer[no:] = rng.choice(len(cust), size=ns, p=activity / activity.sum())
    lo = np.maximum(since[customer[no:]], e0)
    day[no:] = lo + np.floor(rng.random(ns) * (e1 - lo + 1)).astype(np.int64)
    forced = np.zeros(n, dtype=bool)
    # over-surveyed: ~5 % of regular customers get 6-10 surveyed cases within ~70 days
    kind = cust["kind"].to_numpy()
    regular = np.flatnonzero((kind == "regular") & (since < e0))
    k = max(3, round(0.05 * len(cust)))
    surveyable = np.flatnonzero(np.isin(ctype, [0, 1, 3, 4]))
    rng.shuffle(surveyable)
    burst_sizes = rng.integers(6, 11, size=k)
    k = int(min(k, len(surveyable) // 8, len(regular)))
    chosen = rng.choice(regular, size=k, replace=False)
    used = 0
    for j, c in enumerate(chosen):
        size = burst_sizes[j]
        idx = surveyable[used : used + size]
        used += size
        burst_start = rng.integers(e0, a_day - 130)
        customer[idx] = c
        day[idx] = burst_start + np.sort(rng.integers(0, 70, size=size))
        forced[idx] = True
        kind[c] = "over_surveyed"
    cust["kind"] = kind
    sod = rng.integers(8 * _HOUR, 17 * _HOUR, size=n)
    start = _snap_business(day * _DAY + sod, rng.integers(0, 90 * 60, size=n))
    order = np.argsort(start, kind="stable")
    frame = pd.DataFrame(
        {"ctype": ctype[order], "cust": customer[order], "start": start[order], "forced": forced[order]}
    )
    frame["case_id"] = [f"PR{i:07d}" for i in range(1, n + 1)]
    frame["customer_id"] = cust["customer_id"].to_numpy()[frame["cust"].to_numpy()]
    frame["industry"] = cust["industry"].to_numpy()[frame["cust"].to_numpy()]
    return frame


def _events(rng: np.random.Generator, case: pd.DataFrame, a_day: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build the event log per case variant (numpy matrices: cases x steps)."""
    n = len(case)
    ctype = case["ctype"].to_numpy()
    start = case["start"].to_numpy()
    cust_industry = case["industry"].to_numpy() if "industry" in case else None
    u = rng.random((n, 4))
    # order: address loss is more frequent for Construction and got worse after the first wave
    constr = cust_industry == DROP_INDUSTRY if cust_industry is not None else np.zeros(n, bool)
    w1 = _days(WAVES[0][1]) * _DAY
    p_addr = np.where(constr, np.where(start >= w1, 0.48, 0.30), 0.25)
    addr = np.where(u[:, 0] < p_addr, np.where(u[:, 1] < 0.4, 2, 1), 0)
    feats = np.zeros((n, 4), dtype=np.int64)
    o = ctype == 0
    feats[o] = np.column_stack(
        [u[o, 2] < 0.3, u[o, 3] < 0.25, addr[o], rng.random(o.sum()) < 0.5 * (addr[o] > 0)]
    )
    d = ctype == 1
    pp = u[d, 0] < 0.7
    chasers = np.where(pp, 1 + np.minimum((u[d, 1] * 3).astype(int), 2), 0)
    feats[d] = np.column_stack([u[d, 2] < 0.5, pp, chasers, u[d, 3] < 0.4])
    a = ctype == 2
    feats[a, 0] = np.where(u[a, 0] < 0.6, 0, np.where(u[a, 0] < 0.85, 1, 2))
    t = ctype == 3
    feats[t, :3] = np.column_stack([u[t, 0] < 0.6, u[t, 1] < 0.2, u[t, 2] < 0.5])
    b = ctype == 4
    feats[b, :3] = np.column_stack([u[b, 0] < 0.6, u[b, 1] < 0.15, u[b, 2] < 0.3])
    builders = (_order_variant, _dispute_variant, _address_variant, _technical_variant, _billing_variant)
    arity = (4, 4, 1, 3, 3)
    key = ctype * 1000 + feats[:, 0] * 100 + feats[:, 1] * 10 + feats[:, 2] + feats[:, 3] * 10000

    dept_index = {dpt: i for i, dpt in enumerate(DEPARTMENTS)}
    agent_names: list[str] = []
    agent_off = {}
    for department in DEPARTMENTS:
        agent_off[department] = len(agent_names)
        agent_names.extend(_AGENTS[department])
    agent_names.append("")
    activities: dict[str, int] = {}
    channels = ["email", "phone", "web", "internal"]
    agent_seed = rng.integers(0, 1 << 20, size=n)

    case_nps = np.full(n, np.nan)
    case_pen = np.zeros(n)
    case_theme = np.full(n, "", dtype=object)
    case_tp = np.full(n, "", dtype=object)
    case_flags = np.full(n, "", dtype=object)
    trigger = np.zeros(n, dtype=np.int64)
    out: dict[str, list[np.ndarray]] = {
        k: [] for k in ("case", "t", "act", "dept", "chan", "contact", "agent", "seq")
    }
    for kval in np.unique(key):
        idx = np.flatnonzero(key == kval)
        ct = int(ctype[idx[0]])
        var = builders[ct](*(int(x) for x in feats[idx[0], : arity[ct]]))
        steps = var.steps
        m, k = len(steps), len(idx)
        times = np.empty((k, m), dtype=np.int64)
        cur = start[idx].copy()
        if steps[0][2] == "web":  # self-service happens at any hour, evenings included
            cur = (cur // _DAY) * _DAY + rng.integers(7 * _HOUR, 23 * _HOUR, size=k)
        for j, (_act, _dpt, chan, _cc, wait, _slot) in enumerate(steps):
            if j:
                med, sig = _WAITS[wait]
                cur = (
                    cur
                    + (med * 60 * rng.lognormal(0, sig, size=k)).astype(np.int64)
                    + rng.integers(0, 60, size=k)
                )
                if chan != "web":
                    cur = _snap_business(cur, rng.integers(0, 75 * 60, size=k))
            times[:, j] = cur
        act = np.array([activities.setdefault(s[0], len(activities)) for s in steps])
        dpt = np.array([dept_index[s[1]] for s in steps])
        chn = np.array([channels.index(s[2]) for s in steps])
        cc = np.array([s[3] for s in steps])
        ag = np.empty((k, m), dtype=np.int64)
        for j, s in enumerate(steps):
            pool = _AGENTS[s[1]]
            if s[5] < 0 or not pool:
                ag[:, j] = len(agent_names) - 1
            else:
                ag[:, j] = agent_off[s[1]] + (agent_seed[idx] + s[5]) % len(pool)
        out["case"].append(np.repeat(idx, m))
        out["t"].append(times.ravel())
        out["act"].append(np.tile(act, k))
        out["dept"].append(np.tile(dpt, k))
        out["chan"].append(np.tile(chn, k))
        out["contact"].append(np.tile(cc, k))
        out["agent"].append(ag.ravel())
        out["seq"].append(np.tile(np.arange(m), k))
        case_nps[idx] = np.nan if var.nps is None else var.nps
        case_pen[idx] = var.ces_penalty
        case_theme[idx] = var.theme
        case_tp[idx] = var.touchpoint or ""
        case_flags[idx] = " ".join(var.flags)
        trigger[idx] = times[:, -1]
    ev = {k: np.concatenate(v) for k, v in out.items()}
    cutoff = (a_day + 1) * _DAY
    keep = ev["t"] < cutoff  # cases still open at the analysis date are cut there
    ev = {k: v[keep] for k, v in ev.items()}
    order = np.lexsort((ev["seq"], ev["case"], ev["t"]))
    ev = {k: v[order] for k, v in ev.items()}
    act_names = np.array(list(activities))
    cust_ids = case["customer_id"].to_numpy()
    events = pd.DataFrame(
        {
            "case_id": case["case_id"].to_numpy()[ev["case"]],
            "timestamp": _to_datetime(ev["t"]),
            "activity": pd.Categorical.from_codes(ev["act"], categories=act_names),
            "department": pd.Categorical.from_codes(ev["dept"], categories=list(DEPARTMENTS)),
            "customer_id": cust_ids[ev["case"]],
            "channel": pd.Categorical.from_codes(ev["chan"], categories=channels),
            "agent": pd.Categorical.from_codes(ev["agent"], categories=agent_names),
            "is_customer_contact": np.where(ev["contact"], "true", "false"),
        }
    )
    case = case.assign(
        nps_mean=case_nps,
        ces_penalty=case_pen,
        theme=case_theme,
        touchpoint=case_tp,
        flags=case_flags,
        end=trigger,
        complete=trigger < cutoff,
    )
    return events, case


# --------------------------------------------------------------------------------------------------
# surveys


def _response_prob(pressure: np.ndarray) -> np.ndarray:
    """Hot response probability by invitations in the last 90 days (survey fatigue)."""
    table = np.array([0.36, 0.36, 0.31, 0.25, 0.17, 0.10, 0.05])
    return table[np.clip(pressure, 0, 6)]


def _scores(
    rng: np.random.Generator, nps: np.ndarray, penalty: np.ndarray, blank: float
) -> dict[str, np.ndarray]:
    """CSAT, CES and CXi answers coherent with the NPS answer (plus effort penalties)."""
    k = len(nps)
    z = nps / 10.0

    def scale(lo: int, hi: int, noise: float, shift: np.ndarray | float = 0.0) -> np.ndarray:
        v = np.rint(lo + (hi - lo) * z + rng.normal(0, noise, size=k) - shift)
        return np.clip(v, lo, hi)

    out = {
        "csat": scale(1, 5, 0.45),
        "ces": scale(1, 7, 0.7, penalty),
        "cxi_ease": scale(1, 5, 0.6, penalty / 1.5),
        "cxi_enjoy": scale(1, 5, 0.6),
        "cxi_needs": scale(1, 5, 0.5),
    }
    for col in ("ces", "cxi_ease", "cxi_enjoy", "cxi_needs"):
        out[col][rng.random(k) < blank] = np.nan
    return out


def _comments(
    rng: np.random.Generator, nps: np.ndarray, theme: np.ndarray, touchpoint: np.ndarray, share: np.ndarray
) -> np.ndarray:
    """Comments in Italian (~75 %) and English, combined from fragments by score band and theme."""
    k = len(nps)
    has = rng.random(k) < share
    lang = np.where(rng.random(k) < 0.75, "it", "en")
    band = np.where(nps <= 6, "det", np.where(nps <= 8, "pas", "pro"))
    # the main sentence: the planted theme for unhappy respondents, praise or small talk for others
    u = rng.random(k)
    praise = np.where(touchpoint == "delivery", "praise_delivery", "praise_staff")
    main = np.where(
        band == "det",
        np.where(u < 0.85, theme, "price"),
        np.where(
            band == "pas",
            np.where(u < 0.35, theme, np.where(u < 0.6, "price", np.where(u < 0.8, "range", "neutral"))),
            np.where(u < 0.8, praise, "range"),
        ),
    )
    second = np.where(
        band == "det",
        np.where(u < 0.5, theme, "slow_answer"),
        np.where(band == "pro", np.where(u < 0.5, "praise_staff", "neutral"), "range"),
    )
    use_second = (rng.random(k) < 0.4) & (second != main)
    picks = rng.random((k, 4))
    text = np.full(k, "", dtype=object)

    def add(sel: np.ndarray, fragments: tuple[str, ...], col: int) -> None:
        frag = np.array(fragments, dtype=object)
        text[sel] = text[sel] + " " + frag[(picks[sel, col] * len(frag)).astype(int)]

    for lg in ("it", "en"):
        bank = _TEXT[lg]
        for b in ("det", "pas", "pro"):
            sel = has & (lang == lg) & (band == b)
            add(sel, bank[f"open_{b}"], 0)
            for th in np.unique(main[sel]):
                add(sel & (main == th), bank[th], 1)
            sel2 = sel & use_second
            for th in np.unique(second[sel2]):
                add(sel2 & (second == th), bank[th], 2)
            if b != "pas":
                add(sel, bank[f"close_{b}"], 3)
    text = pd.Series(text).str.replace(r"\s+", " ", regex=True).str.strip().to_numpy(dtype=object)
    text[~has | (text == "")] = None
    return text


def _surveys(
    rng: np.random.Generator, case: pd.DataFrame, cust: pd.DataFrame, tx: pd.DataFrame, a_day: int
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    cutoff = (a_day + 1) * _DAY
    ncust = len(cust)
    industry = cust["industry"].to_numpy()
    attitude = cust["attitude"].to_numpy()
    since = cust["since"].to_numpy()
    # ---- cold waves: every active customer (bought in the 12 months before the wave)
    cold_c_parts: list[np.ndarray] = []
    cold_t_parts: list[np.ndarray] = []
    cold_w_parts: list[np.ndarray] = []
    for w, (_wave, date) in enumerate(WAVES):
        wd = _days(date)
        recent = tx.loc[(tx["day"] <= wd) & (tx["day"] > wd - 365), "cust"].unique()
        active = np.sort(recent[since[recent] <= wd - 30])
        cold_c_parts.append(active)
        cold_t_parts.append(wd * _DAY + 9 * _HOUR + rng.integers(0, 1800, size=len(active)))
        cold_w_parts.append(np.full(len(active), w))
    cold_c, cold_t, cold_w = (np.concatenate(x) for x in (cold_c_parts, cold_t_parts, cold_w_parts))
    # ---- hot candidates: completed deliveries and service cases
    ccust = case["cust"].to_numpy()
    surveyable = (case["touchpoint"].to_numpy() != "") & case["complete"].to_numpy()
    sent = case["end"].to_numpy() + rng.integers(3 * _HOUR, 28 * _HOUR, size=len(case))
    forced = case["forced"].to_numpy() & surveyable
    cand = surveyable & ((rng.random(len(case)) < 0.7) | forced) & (sent < cutoff)
    # quarantine (31 days between invitations, cold waves included) for everyone but the planted
    # over-surveyed customers, whose bursts bypass the rule
    near_cold = np.zeros(len(case), dtype=bool)
    for w, (_wave, date) in enumerate(WAVES):
        invited = np.zeros(ncust, dtype=bool)
        invited[cold_c[cold_w == w]] = True
        near_cold |= invited[ccust] & (np.abs(sent - _days(date) * _DAY) < 31 * _DAY)
    normal = cand & ~forced & ~near_cold
    keep = np.zeros(len(case), dtype=bool)
    keep[np.flatnonzero(normal)[_quarantine(ccust[normal], sent[normal], 31 * _DAY)]] = True
    hot_idx = np.flatnonzero(keep | (cand & forced))
    # ---- all invitations
    n_hot, n_cold = len(hot_idx), len(cold_c)
    inv = pd.DataFrame(
        {
            "cust": np.r_[ccust[hot_idx], cold_c],
            "t": np.r_[sent[hot_idx], cold_t],
            "hot": np.r_[np.ones(n_hot, bool), np.zeros(n_cold, bool)],
            "case": np.r_[hot_idx, np.full(n_cold, -1)],
            "wave": np.r_[np.full(n_hot, -1), cold_w],
        }
    )
    inv = inv.sort_values(["t", "cust"], kind="stable").reset_index(drop=True)
    ic, it_, ihot = inv["cust"].to_numpy(), inv["t"].to_numpy(), inv["hot"].to_numpy()
    icase, iwave = inv["case"].to_numpy(), inv["wave"].to_numpy()
    pressure = _rolling_count(ic, it_, 90 * _DAY)
    prob = _response_prob(pressure)
    u = rng.random(len(inv))
    responds = np.where(ihot, u < prob, False)
    # cold: ~20 % base; in wave 2, wave-1 respondents answer again unless they were unhappy
    delay_hot = (4 * _HOUR * rng.lognormal(0, 1.2, size=len(inv))).clip(300, 10 * _DAY).astype(np.int64)
    delay_cold = (2 * _DAY * rng.lognormal(0, 0.8, size=len(inv))).clip(1800, 20 * _DAY).astype(np.int64)
    answered = it_ + np.where(ihot, delay_hot, delay_cold)
    nps = np.full(len(inv), -1, dtype=np.int64)
    # hot NPS: the case's planted mean + who the customer is + noise
    h = ihot & responds
    mean = case["nps_mean"].to_numpy()[np.maximum(icase, 0)]
    nps[h] = np.clip(np.rint(mean[h] + attitude[ic[h]] + rng.normal(0, 1.0, size=h.sum())), 0, 10)
    # customers with a bad experience in the 180 days before a wave answer lower in that wave
    flags = case["flags"].to_numpy()
    bad_case = (flags != "") & case["complete"].to_numpy()
    bad_end = case["end"].to_numpy()[bad_case]
    bad_cust = ccust[bad_case]
    targets = {  # (promoters, detractors) per industry and wave
        ("Construction", 0): (0.53, 0.05),
        ("Construction", 1): (0.27, 0.12),
        ("Manufacturing", 0): (0.42, 0.18),
        ("Manufacturing", 1): (0.42, 0.18),
        ("Retail", 0): (0.38, 0.20),
        ("Retail", 1): (0.38, 0.20),
        ("Hospitality", 0): (0.45, 0.17),
        ("Hospitality", 1): (0.45, 0.17),
    }
    w1_nps = np.full(ncust, -1)
    for w, (_wave, date) in enumerate(WAVES):
        wd = _days(date) * _DAY
        sel_w = iwave == w
        # cold response: a fixed share per industry (~22 %), who answers weighted by survey pressure and,
        # in wave 2, by wave 1 (satisfied wave-1 respondents come back, unhappy ones stop answering)
        weight = prob.copy()
        if w == 1:
            before = w1_nps[ic]
            weight = weight * np.where(before >= 7, 6.0, np.where(before >= 0, 2.0, 1.0))
        for ind in INDUSTRIES:
            sel = np.flatnonzero(sel_w & (industry[ic] == ind))
            m = int(round(0.22 * len(sel)))
            keys = np.log(rng.random(len(sel))) / weight[sel]  # weighted sampling without replacement
            responds[sel[np.argsort(-keys, kind="stable")[:m]]] = True
        responds[sel_w] &= answered[sel_w] < cutoff
        recent_bad = np.zeros(ncust)
        rb = (bad_end > wd - 180 * _DAY) & (bad_end <= wd)
        np.add.at(recent_bad, bad_cust[rb], 1)
        for ind in INDUSTRIES:
            sel = np.flatnonzero(sel_w & responds & (industry[ic] == ind))
            latent = (
                attitude[ic[sel]] - 1.2 * np.minimum(recent_bad[ic[sel]], 2) + rng.normal(0, 0.8, len(sel))
            )
            nps[sel] = _stratified_nps(rng, latent, *targets[(ind, w)])
        if w == 0:
            r = sel_w & responds
            w1_nps[ic[r]] = nps[r]
    responds &= answered < cutoff
    # stopped answering: answered wave 1, invited to wave 2, no answer
    w2_inv = np.zeros(ncust, bool)
    w2_inv[ic[iwave == 1]] = True
    w2_ans = np.zeros(ncust, bool)
    w2_ans[ic[(iwave == 1) & responds]] = True
    stopped_mask = (w1_nps >= 0) & w2_inv & ~w2_ans
    stopped = cust["customer_id"].to_numpy()[stopped_mask].tolist()

    cust_ids = cust["customer_id"].to_numpy()
    case_ids = case["case_id"].to_numpy()
    inv_ids = np.array([f"INV{i:07d}" for i in range(1, len(inv) + 1)])
    tp = np.where(ihot, case["touchpoint"].to_numpy()[np.maximum(icase, 0)], "relationship")
    wave_names = np.array([w for w, _ in WAVES] + [""], dtype=object)[np.where(iwave < 0, len(WAVES), iwave)]
    inv_case = np.where(icase >= 0, case_ids[np.maximum(icase, 0)], "")
    channel = np.where(ihot & (rng.random(len(inv)) < 0.3), "sms", "email")
    invitations = pd.DataFrame(
        {
            "invitation_id": inv_ids,
            "customer_id": cust_ids[ic],
            "sent_at": _to_datetime(it_),
            "survey": np.where(ihot, "hot", "cold"),
            "touchpoint": tp,
            "wave": wave_names,
            "channel": channel,
            "case_id": inv_case,
            "responded_at": pd.Series(_to_datetime(answered)).where(responds),
        }
    ).replace({"": None})
    # ---- responses
    r = np.flatnonzero(responds)
    r = r[np.argsort(answered[r], kind="stable")]
    rn = nps[r].astype(float)
    pen = np.where(ihot[r], case["ces_penalty"].to_numpy()[np.maximum(icase[r], 0)], 0.0)
    sc = _scores(rng, rn, pen, blank=0.04)
    theme = np.where(ihot[r], case["theme"].to_numpy()[np.maximum(icase[r], 0)], "")
    # cold themes: Construction's wave-2 detractors speak of late deliveries to their sites
    cold = ~ihot[r]
    generic = np.array(
        ["late_delivery", "passed_around", "self_service", "slow_answer", "price"], dtype=object
    )
    theme[cold] = generic[rng.integers(0, len(generic), size=cold.sum())]
    cw2 = cold & (iwave[r] == 1) & (industry[ic[r]] == DROP_INDUSTRY) & (rng.random(len(r)) < 0.75)
    theme[cw2] = "late_address"
    share = np.where(ihot[r], np.where(rn <= 6, 0.65, np.where(rn <= 8, 0.3, 0.45)), 0.55)
    comments = _comments(rng, rn, theme, tp[r], share)
    follow_lag = np.where(
        rn <= 6,
        np.where(rng.random(len(r)) < 0.55, 30 * _HOUR * rng.lognormal(0, 0.9, len(r)), -1),
        np.where(rng.random(len(r)) < 0.08, 72 * _HOUR * rng.lognormal(0, 0.6, len(r)), -1),
    ).astype(np.int64)
    follow = answered[r] + follow_lag
    responses = pd.DataFrame(
        {
            "response_id": [f"R{i:07d}" for i in range(1, len(r) + 1)],
            "invitation_id": inv_ids[r],
            "customer_id": cust_ids[ic[r]],
            "case_id": inv_case[r],
            "answered_at": _to_datetime(answered[r]),
            "survey": np.where(ihot[r], "hot", "cold"),
            "touchpoint": tp[r],
            "wave": wave_names[r],
            "channel": channel[r],
            "nps": pd.array(rn, dtype="Int64"),
            **{k: pd.array(v, dtype="Int64") for k, v in sc.items()},
            "comment": comments,
            "followup_at": pd.Series(_to_datetime(follow)).where((follow_lag >= 0) & (follow < cutoff)),
        }
    ).replace({"": None})
    return invitations, responses, stopped


# --------------------------------------------------------------------------------------------------
# culture workshop


def _culture(rng: np.random.Generator, a_day: int) -> pd.DataFrame:
    """Each department answers the 12 questions about itself and the cross questions about the others."""
    codes = dict(zip(DEPARTMENTS, ("SAL", "CS", "LOG", "CRE", "BIL", "TEC", "WH", "WEB"), strict=True))
    self_mean = {
        "Sales": 3.6,
        "Customer Service": 4.5,
        "Logistics": 3.2,
        "Credit": 3.1,
        "Billing": 3.4,
        "Technical Support": 3.7,
        "Warehouse": 3.3,
        "Web Portal": 3.5,
    }
    roles_q07 = {
        "Sales": 3.9,
        "Customer Service": 4.6,
        "Logistics": 2.0,
        "Credit": 2.1,
        "Billing": 3.3,
        "Technical Support": 3.6,
        "Warehouse": 2.7,
        "Web Portal": 3.0,
    }
    info_low = {"Logistics", "Credit"}
    rows = []
    t0 = a_day * _DAY - 11 * _DAY + 10 * _HOUR  # the workshop, 11 days before the analysis date
    for dpt in DEPARTMENTS:
        for r in range(1, int(rng.integers(3, 6)) + 1):
            resp = f"{codes[dpt]}-{r:02d}"
            t = t0 + int(rng.integers(0, 3600))
            for q in QUESTIONS:
                mu = self_mean[dpt]
                if q.id.startswith("q07"):
                    mu = roles_q07[dpt]
                if q.id[:3] in ("q03", "q04") and dpt in info_low:
                    mu = 2.1
                rows.append((dpt, resp, q.id, mu, "", t))
                if q.cross:
                    for other in DEPARTMENTS:
                        if other == dpt:
                            continue
                        if dpt == "Customer Service":
                            mu = 2.3
                        elif other in info_low and q.id[:3] in ("q03", "q04"):
                            mu = 2.0
                        elif other == "Customer Service":
                            mu = 3.4
                        else:
                            mu = 3.1
                        rows.append((dpt, resp, q.id, mu, other, t))
    frame = pd.DataFrame(
        rows, columns=["department", "respondent", "question_id", "mu", "rated_department", "t"]
    )
    frame["score"] = np.clip(np.rint(frame["mu"] + rng.normal(0, 0.55, len(frame))), 1, 5).astype(int)
    frame["answered_at"] = _to_datetime(frame["t"].to_numpy())
    return frame[
        ["department", "respondent", "question_id", "score", "rated_department", "answered_at"]
    ].replace({"rated_department": {"": None}})


# --------------------------------------------------------------------------------------------------
# writing


def _write_customers(path: Path, cust: pd.DataFrame) -> None:
    out = pd.DataFrame(
        {
            "codice_cliente": cust["customer_id"],
            "ragione_sociale": cust["name"],
            "regione": cust["region"],
            "settore": cust["industry"].map(INDUSTRY_IT),
            "segmento": cust["segment"],
            "cliente_dal": _fmt_it_date(cust["since"].to_numpy()),
        }
    )
    # UTF-8 with BOM, as Excel's "CSV UTF-8" export writes it
    out.to_csv(path, sep=";", index=False, encoding="utf-8-sig")


def _write_transactions(path: Path, tx: pd.DataFrame) -> None:
    out = pd.DataFrame(
        {
            "numero_documento": tx["transaction_id"],
            "data": _fmt_it_date(tx["day"].to_numpy()),
            "codice_cliente": tx["customer_id"],
            "importo": _fmt_comma(tx["amount"].to_numpy()),
            "margine": _fmt_comma(tx["margin"].to_numpy()),
        }
    )
    out.to_csv(path, sep=";", index=False)


def _write_xlsx(path: Path, frame: pd.DataFrame) -> None:
    """XLSX with fixed zip timestamps and document dates, so the bytes depend only on the data."""
    buf = io.BytesIO()
    frame.to_excel(buf, index=False, sheet_name="questionario", engine="openpyxl")
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-10-20T10:00:00Z", body
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 10, 20, 10, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, body)
    path.write_bytes(out.getvalue())


def _planted(
    cust: pd.DataFrame,
    case: pd.DataFrame,
    stopped: list[str],
    seed: int,
    customers: int,
    cases: int,
    analysis_date: str,
    n_events: int,
) -> dict:
    kind = cust["kind"].to_numpy()
    ids = cust["customer_id"]
    flags = case["flags"]

    def cases_with(flag: str) -> list[str]:
        return case.loc[flags.str.contains(flag, regex=False), "case_id"].tolist()

    return {
        "client": "demo",
        "seed": seed,
        "customers": customers,
        "cases": cases,
        "events": n_events,
        "analysis_date": analysis_date,
        "potential": ids[kind == "potential"].tolist(),
        "dilemma": ids[kind == "dilemma"].tolist(),
        "over_surveyed": ids[kind == "over_surveyed"].tolist(),
        "stopped_answering": sorted(stopped),
        "barometer_drop_industry": DROP_INDUSTRY,
        "barometer_waves": [w for w, _ in WAVES],
        "worst_handoff": ["Sales", "Logistics"],
        "pingpong": {"order": ["Logistics", "Sales"], "dispute": ["Customer Service", "Credit"]},
        "address_loss_cases": cases_with("address_loss"),
        "dispute_pingpong_cases": cases_with("dispute_pingpong"),
        "contradictory_cases": cases_with("contradictory"),
        "self_service_failure_cases": cases_with("self_service_failure"),
        "comment_themes": ["late delivery / address", "passed between departments", "self-service failure"],
        "culture": {
            "rates_itself_high": "Customer Service",
            "lowest_information_passing": ["Logistics", "Credit"],
            "widest_spread_pillar": "roles",
        },
    }


_CLIENT_YAML = """\
# Demo client generated by `cxlab demo-data` (fictional: any resemblance to real firms is chance).
name: {name}
language: {language}
currency: EUR
timezone: Europe/Rome
analysis_date: {analysis_date}
branding:
  colour: "#1f4e79"
  accent: "#e07b39"
tables:
  customers:
    file: data/clienti.csv
    sep: ";"
    date_format: "%d/%m/%Y"
    columns:
      codice_cliente: customer_id
      ragione_sociale: name
      regione: region
      settore: industry
      segmento: segment
      cliente_dal: since
    values:
      industry:
        Edilizia: Construction
        Manifattura: Manufacturing
        Commercio: Retail
        Ospitalità: Hospitality
  transactions:
    file: data/vendite.csv
    sep: ";"
    decimal: ","
    date_format: "%d/%m/%Y"
    columns:
      numero_documento: transaction_id
      data: date
      codice_cliente: customer_id
      importo: amount
      margine: margin
  events:
    file: data/eventi.csv
  survey_invitations:
    file: data/inviti.csv
  survey_responses:
    file: data/risposte.csv
  culture:
    file: data/workshop.xlsx
"""

_DATA_README = """\
# Demo data (fictional)

| file | table | format |
| --- | --- | --- |
| clienti.csv | customers | `;`, UTF-8 with BOM, Italian headers, dates dd/mm/yyyy, sector in Italian (mapped in client.yaml) |
| vendite.csv | transactions | `;`, decimal comma, dates dd/mm/yyyy, ~3 years of invoices |
| eventi.csv | events | `,`, ISO timestamps, canonical column names; one row per step of a case (order, dispute, ...) |
| inviti.csv | survey_invitations | hot (after delivery / service case, with case_id) and cold waves 2026-W1, 2026-W2 |
| risposte.csv | survey_responses | NPS 0-10, CSAT 1-5, CES 1-7, CXi 1-5, comments in Italian and English |
| workshop.xlsx | culture | the department questionnaire (ids from cxlab.questionnaire); rated_department for cross questions |

The planted findings are listed in ../planted.json and described in cxlab's docs/demo_client.md.
"""
