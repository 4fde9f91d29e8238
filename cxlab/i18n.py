"""Words and figures in the report language: gettext catalogs for the words, Babel (CLDR) for the figures.

Words: ``cxlab/locale/<lang>/LC_MESSAGES/*.po``, the msgid being the English text (English needs no
catalog). Figures: numbers, percentages, money and dates follow the locale's CLDR conventions through
Babel, so a language needs a catalog and no code: Italian ``1.234,5`` and ``23/11/2026``-style dates,
English ``1,234.5``, French ``1 234,5`` and so on. ``lang`` may be a bare language (``"it"``) or any
Babel locale identifier (``"en_GB"``, ``"de_CH"``) for the ``format_*`` functions.

Adding a language: copy ``locale/it/LC_MESSAGES/*.po`` to ``locale/<lang>/LC_MESSAGES/``, set the
``Language:`` header and translate the msgstr lines (a missing one falls back to English). The new language
is then accepted by ``client.yaml``'s ``language:``, ``cxlab report --lang`` and the widgets. To list the
msgids of the code, ``pybabel extract --no-default-keywords -k gettext:2 -k ngettext:2,3 -k pgettext:2c,3 -k N_ -k NP_:1c,2 -k _t:2
-k _p:2c,3 -k _fmt_text:2 -k T:1 -k Message:1 -o cxlab.pot cxlab``.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as _gettext
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.numbers import format_percent as babel_format_percent

from .errors import MAX_ROWS_SHOWN, ConfigError, format_problem, printable

if TYPE_CHECKING:  # annotations only: the CLI and config import this module and stay free of pandas
    import pandas as pd

#: the language of the msgids: always available, needs no catalog
SOURCE_LANGUAGE = "en"

#: shown for a missing figure in every language
MISSING = "–"

# Catalogs: cxlab/locale/<lang>/LC_MESSAGES/*.po, every file of a language merged (one per area of the
# code, so areas are translated independently). Tests point this at a temporary folder to add a language.
LOCALE_DIR = Path(__file__).parent / "locale"


def available_languages() -> tuple[str, ...]:
    """English plus every language with a catalog folder in :data:`LOCALE_DIR`, sorted after English."""
    found = (
        sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
        if LOCALE_DIR.is_dir()
        else []
    )
    return (SOURCE_LANGUAGE, *sorted(set(found) - {SOURCE_LANGUAGE}))


def check_language(lang: str, file: str, key: str) -> str:
    """``lang`` if the report can be written in it (English or a language with a catalog), else a
    :class:`~cxlab.errors.ConfigError` naming ``file`` and ``key``."""
    languages = available_languages()
    if lang not in languages:
        raise ConfigError("one of " + ", ".join(languages), file=file, column=key, found=repr(lang))
    return lang


@functools.cache
def _catalog(lang: str) -> dict[tuple[str | None, str], str]:
    messages: dict[tuple[str | None, str], str] = {}
    for po_file in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id and message.string and not message.fuzzy and not message.pluralizable:
                messages[(message.context, str(message.id))] = str(message.string)
    return messages


def clear_cache() -> None:
    """Forget the catalogs read so far (after :data:`LOCALE_DIR` or a .po file changed)."""
    _catalog.cache_clear()
    _plural_catalog.cache_clear()
    babel_locale.cache_clear()


def gettext(lang: str, message: str, /, **values: object) -> str:
    """``message`` (English, with ``{name}`` placeholders) in ``lang``; English when the catalog lacks it."""
    text = _catalog(lang).get((None, message), message)
    return text.format(**values) if values else text


@functools.cache
def _plural_catalog(lang: str) -> dict[str, tuple[tuple[str, ...], Callable[[int], int]]]:
    """The plural entries (msgid_plural) of ``lang``'s catalogs: singular msgid -> (forms, the rule
    choosing a form for a count, from the catalog's Plural-Forms header)."""
    entries: dict[str, tuple[tuple[str, ...], Callable[[int], int]]] = {}
    for po_file in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            catalog = read_po(handle)
        choose = _gettext.c2py(catalog.plural_expr)
        for message in catalog:
            forms = message.string
            if message.pluralizable and not message.fuzzy and isinstance(forms, tuple | list) and all(forms):
                entries[str(message.id[0])] = (tuple(str(form) for form in forms), choose)
    return entries


def ngettext(lang: str, singular: str, plural: str, n: int, /, **values: object) -> str:
    """The form of ``singular``/``plural`` (English msgids, gettext's msgid/msgid_plural) for the count
    ``n`` in ``lang``, by the language's plural rule (its catalog's Plural-Forms; English: 1 -> singular),
    with ``values`` filled in; English when the catalog lacks it."""
    found = _plural_catalog(lang).get(singular)
    if found is None:
        text = singular if n == 1 else plural
    else:
        forms, choose = found
        text = forms[min(int(choose(int(n))), len(forms) - 1)]
    return text.format(**values) if values else text


def pgettext(lang: str, context: str, message: str, /, **values: object) -> str:
    """Like :func:`gettext` for a short label whose meaning depends on ``context`` (gettext's msgctxt)."""
    text = _catalog(lang).get((context, message), message)
    return text.format(**values) if values else text


def N_(message: str) -> str:
    """Mark ``message`` as a msgid for extraction where it is translated later (gettext's ``gettext_noop``)."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark ``message`` in ``context`` as a msgid for extraction, translated later with :func:`pgettext`."""
    return message


class Message(str):
    """A phrase in English (it *is* that ``str``) that keeps its msgid and values, so that it can be said
    again in another language: an error's expected phrase is written where the problem is found, before
    anyone knows the language of the widget that will show it (``ConfigError(Message("a list of {n}
    values", n=2), ...)``; :func:`cxlab.widgets._base.error_text` translates it). A value that is a Message
    is translated with it; other values are shown as they are."""

    msgid: str
    values: dict[str, object]

    def __new__(cls, msgid: str, /, **values: object) -> Message:
        text = super().__new__(cls, msgid.format(**values) if values else msgid)
        text.msgid, text.values = msgid, values
        return text

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, object]]:  # pickled with its msgid
        return (self.msgid,), self.values

    def translated(self, lang: str) -> str:
        values = {k: v.translated(lang) if isinstance(v, Message) else v for k, v in self.values.items()}
        return gettext(lang, self.msgid, **values)


def translated(text: str, lang: str) -> str:
    """``text`` in ``lang``: a :class:`Message` with its values, any other text when the catalogs hold it
    as a msgid (a phrase marked with :func:`N_`), else as it is."""
    return text.translated(lang) if isinstance(text, Message) else gettext(lang, text)


#: what the ``column`` part of a problem names (:attr:`~cxlab.errors.CxlabError.where_label`)
_WHERE = {"column": N_("column '{name}'"), "key": N_("key '{name}'")}


def problem_text(
    lang: str,
    file: str | None = None,
    column: str | None = None,
    rows: Sequence[int] = (),
    expected: str | None = None,
    found: str | None = None,
    label: str = "column",
    unit: str = "row",
) -> str:
    """The one message form of :func:`cxlab.errors.format_problem` (``file: column 'c', rows 2, 5: expected
    …; found …``) in ``lang``: the frame through the catalog, the expected and found phrases too when they
    are a :class:`Message` or a msgid the catalogs hold; file (when a msgid), column and values as they
    are. English is exactly :func:`~cxlab.errors.format_problem`'s text."""
    if lang == SOURCE_LANGUAGE:
        return format_problem(file, column, rows, expected, found, label, unit)
    where = []
    if column:
        name = _WHERE.get(label)
        shown_column = printable(column)
        where.append(gettext(lang, name, name=shown_column) if name else f"{label} '{shown_column}'")
    if rows:
        shown = ", ".join(str(r) for r in rows[:MAX_ROWS_SHOWN])
        one = len(rows) == 1
        if unit == "line":
            text = gettext(lang, "line {n}", n=shown) if one else gettext(lang, "lines {n}", n=shown)
        else:
            text = gettext(lang, "row {n}", n=shown) if one else gettext(lang, "rows {n}", n=shown)
        if len(rows) > MAX_ROWS_SHOWN:
            text += " " + gettext(lang, "(+{n} more)", n=len(rows) - MAX_ROWS_SHOWN)
        where.append(text)
    message = (printable(gettext(lang, file)) if file else "input") + (
        ": " + ", ".join(where) if where else ""
    )
    details = []
    if expected:
        said = translated(expected, lang)
        if said == expected and said.startswith("one of "):  # a list built in code, not a Message
            said = gettext(lang, "one of {items}", items=said.removeprefix("one of "))
        details.append(gettext(lang, "expected {what}", what=said))
    if found:
        details.append(gettext(lang, "found {what}", what=translated(found, lang)))
    return message + (": " + "; ".join(details) if details else "")


# ------------------------------------------------------------------------------------------ figures
@functools.cache
def babel_locale(lang: str) -> Locale:
    """The Babel locale of ``lang``; English's for a code CLDR does not know (figures stay readable)."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse(SOURCE_LANGUAGE)


def _is_missing(value: object) -> bool:
    """None, NaN, NaT or pandas' NA (without importing pandas: NaN and NaT differ from themselves, NA
    refuses to be a bool)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(value != value)
    except TypeError:
        return True


def _fixed(pattern: str, decimals: int) -> str:
    """A CLDR number pattern with exactly ``decimals`` fraction digits (``#,##0.###`` -> ``#,##0.0``)."""
    fraction = "." + "0" * decimals if decimals > 0 else ""
    return ";".join(_fixed_part(part, fraction) for part in pattern.split(";"))


def _fixed_part(part: str, fraction: str) -> str:
    digits = [i for i, ch in enumerate(part) if ch in "#0,."]
    if not digits:
        return part
    start, end = digits[0], digits[-1] + 1
    integer = part[start:end].split(".")[0]
    return part[:start] + integer + fraction + part[end:]


#: the typographic minus sign every figure uses (CLDR's Latin locales give a hyphen-minus)
MINUS = "\u2212"


def _minus(text: str) -> str:
    """``text`` with a hyphen-minus before a digit replaced by the typographic minus sign."""
    return text.replace("-", MINUS) if "-" in text else text


def format_number(
    value: float | int | None, lang: str = "en", decimals: int = 0, missing: str = MISSING
) -> str:
    """``value`` with ``decimals`` fraction digits and the locale's separators (it ``1.234,5``)."""
    if _is_missing(value):
        return missing
    locale = babel_locale(lang)
    pattern = _fixed(locale.decimal_formats[None].pattern, decimals)
    return _minus(format_decimal(float(value), format=pattern, locale=locale))  # type: ignore[arg-type]


def format_percent(share: float | None, lang: str = "en", decimals: int = 0) -> str:
    """A share 0–1 as the locale writes a percentage: 0.234 -> it/en ``23%``, fr ``23 %``."""
    if _is_missing(share):
        return MISSING
    locale = babel_locale(lang)
    pattern = _fixed(locale.percent_formats[None].pattern, decimals)
    return _minus(babel_format_percent(float(share), format=pattern, locale=locale))  # type: ignore[arg-type]


def format_signed(value: float | None, lang: str = "en", decimals: int = 1) -> str:
    """A change with its sign always shown, a true minus (−) and ± for zero: ``+1,5`` / ``−3,0``."""
    if _is_missing(value):
        return MISSING
    number = float(value)  # type: ignore[arg-type]  # not missing
    body = format_number(abs(number), lang, decimals)
    return ("+" if number > 0 else "−" if number < 0 else "±") + body


def format_money(value: float | None, lang: str = "en", currency: str = "EUR", decimals: int = 0) -> str:
    """An amount in ``currency`` as the locale writes it: it ``6.000 €``, en ``€6,000``."""
    if _is_missing(value):
        return MISSING
    locale = babel_locale(lang)
    pattern = _fixed(locale.currency_formats["standard"].pattern, decimals)
    return _minus(
        format_currency(
            float(value),  # type: ignore[arg-type]  # not missing
            currency,
            format=pattern,
            locale=locale,
            currency_digits=False,
        )
    )


def format_date(value: dt.date | dt.datetime | pd.Timestamp | None, lang: str = "en") -> str:
    """A day in the locale's medium form, unambiguous in every language: it ``3 nov 2026``, en
    ``Nov 3, 2026``, en_GB ``3 Nov 2026``."""
    if value is None or _is_missing(value):
        return MISSING
    day = value.date() if isinstance(value, dt.datetime) else value
    return babel_format_date(day, format="medium", locale=babel_locale(lang))


def format_duration_hours(hours: float | None, lang: str = "en") -> str:
    """Hours as ``5,2 h`` / ``3,1 giorni``: days once past 48 hours."""
    if _is_missing(hours):
        return MISSING
    number = float(hours)  # type: ignore[arg-type]  # not missing
    if abs(number) >= 48:
        return gettext(lang, "{days} days", days=format_number(number / 24, lang, 1))
    return gettext(lang, "{hours} h", hours=format_number(number, lang, 1))


def translate(labels: Mapping[str, Mapping[str, str]], key: str, lang: str) -> str:
    """Look up ``labels[key][lang]``, falling back to English, then to the key itself.

    Kept for the bilingual label tables still outside the catalogs (third-party playbooks, client
    themes); cxlab's own words go through :func:`gettext`."""
    entry = labels.get(key)
    if not entry:
        return key
    return entry.get(lang) or entry.get(SOURCE_LANGUAGE) or key
