"""Locale-aware formatting for the client report (Italian ``1.234,5`` / ``23/11/2026``; English ``1,234.5``)."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import pandas as pd
from babel.messages.pofile import read_po

Language = Literal["it", "en"]
LANGUAGES: tuple[Language, ...] = ("it", "en")


def _separators(lang: str) -> tuple[str, str]:
    """(thousands, decimal) separators."""
    return (".", ",") if lang == "it" else (",", ".")


def format_number(value: float | int | None, lang: str = "en", decimals: int = 0, missing: str = "–") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return missing
    text = f"{float(value):,.{decimals}f}"
    thousands, decimal = _separators(lang)
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def format_percent(share: float | None, lang: str = "en", decimals: int = 0) -> str:
    """A share 0–1 as a percentage: 0.234 -> '23%' / '23 %'."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    body = format_number(share * 100, lang, decimals)
    return f"{body} %" if lang == "it" else f"{body}%"


def format_signed(value: float | None, lang: str = "en", decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    body = format_number(abs(value), lang, decimals)
    return ("+" if value > 0 else "−" if value < 0 else "±") + body


def format_money(value: float | None, lang: str = "en", currency: str = "EUR", decimals: int = 0) -> str:
    symbol = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}.get(currency, currency)
    body = format_number(value, lang, decimals)
    return f"{body} {symbol}" if lang == "it" else f"{symbol}{body}"


def format_date(value: dt.date | dt.datetime | pd.Timestamp | None, lang: str = "en") -> str:
    if value is None or value is pd.NaT:
        return "–"
    return value.strftime("%d/%m/%Y" if lang == "it" else "%d %b %Y")


def format_duration_hours(hours: float | None, lang: str = "en") -> str:
    """Hours as '5,2 h' / '3,1 giorni' — days once past 48 hours."""
    if hours is None or (isinstance(hours, float) and math.isnan(hours)):
        return "–"
    if abs(hours) >= 48:
        unit = "giorni" if lang == "it" else "days"
        return f"{format_number(hours / 24, lang, 1)} {unit}"
    return f"{format_number(hours, lang, 1)} h"


def translate(labels: Mapping[str, Mapping[str, str]], key: str, lang: str) -> str:
    """Look up ``labels[key][lang]``, falling back to English, then to the key itself."""
    entry = labels.get(key)
    if not entry:
        return key
    return entry.get(lang) or entry.get("en") or key


# Catalogs: cxlab/locale/<lang>/LC_MESSAGES/*.po, every file of a language merged (one per area of the
# code, so areas are translated independently). The msgid is the English text; English needs no catalog.
LOCALE_DIR = Path(__file__).parent / "locale"


@functools.cache
def _catalog(lang: str) -> dict[tuple[str | None, str], str]:
    messages: dict[tuple[str | None, str], str] = {}
    for po_file in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                messages[(message.context, str(message.id))] = str(message.string)
    return messages


def gettext(lang: str, message: str, /, **values: object) -> str:
    """``message`` (English, with ``{name}`` placeholders) in ``lang``; English when the catalog lacks it."""
    text = _catalog(lang).get((None, message), message)
    return text.format(**values) if values else text


def pgettext(lang: str, context: str, message: str, /, **values: object) -> str:
    """Like :func:`gettext` for a short label whose meaning depends on ``context`` (gettext's msgctxt)."""
    text = _catalog(lang).get((context, message), message)
    return text.format(**values) if values else text
