"""Constraints declared on settings, in the manner of scikit-learn's ``_parameter_constraints``.

A settings dataclass (see :mod:`cxlab.config`) declares, in a ``_parameter_constraints`` class variable,
what each field must satisfy beyond its annotated type: a range (:class:`Interval`), a choice
(:class:`StrOptions`), or a check (:class:`Regex`, :class:`Timezone`, :class:`DateFormat`,
:class:`HexColour`, ...). A relation between two fields of the same section (the NPS detractor maximum
below the promoter minimum) is a :class:`Below` in ``_field_relations``. :func:`cxlab.config.load_config`
applies all of them in one place, field by field, right after reading the YAML.

A constraint only narrows the annotated type: ``None`` (an optional field left unset) and values of
another branch of a union pass (``sheet``'s Interval applies to a sheet index, not to a sheet name).

The phrases of a violation are :class:`~cxlab.i18n.Message` objects: English text that a widget can say
again in its own language (Italian in ``cxlab/locale/it/LC_MESSAGES/settings.po``).
"""

from __future__ import annotations

import codecs
import datetime as dt
import math
import re
import zoneinfo
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from babel import Locale, UnknownLocaleError

from .colours import HEX_COLOUR_EXAMPLE, is_hex_colour
from .i18n import Message, available_languages

Closed = Literal["left", "right", "both", "neither"]


@dataclass(frozen=True)
class Violation:
    """Why a value breaks a constraint, in the words of the one-line error message."""

    expected: str
    found: str
    #: where inside the value, appended to the setting's key: "[2]" (a list item), ".pricing[0]"
    at: str = ""


class Constraint(ABC):
    """One rule a setting's value must follow."""

    @abstractmethod
    def describe(self) -> str:
        """What a valid value is ("a number in (0, 1)"), for the message's "expected" part."""

    @abstractmethod
    def problem(self, value: Any) -> str | None:
        """None when ``value`` is valid, otherwise what was found ("5", "'%Q' (unknown code %Q)")."""

    def applies_to(self, value: Any) -> bool:
        """Whether this constraint judges ``value`` at all (see the module note on unions)."""
        return value is not None

    def violation(self, value: Any) -> Violation | None:
        if not self.applies_to(value):
            return None
        found = self.problem(value)
        return None if found is None else Violation(self.describe(), found)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number_text(value: float) -> str:
    """A number as the user wrote it: a float setting read from ``confidence: 5`` is 5.0, shown as 5."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else repr(value)


@dataclass(frozen=True)
class Interval(Constraint):
    """A number between ``left`` and ``right`` (None = unbounded on that side); ``closed`` says which
    bounds are allowed values, as in scikit-learn's ``Interval(Real, 0, 1, closed="right")``."""

    type: type[int] | type[float]
    left: float | None
    right: float | None
    closed: Closed = "both"

    def __post_init__(self) -> None:
        if self.left is not None and self.right is not None and self.left > self.right:
            raise ValueError(f"empty interval: left {self.left} above right {self.right}")

    @property
    def left_closed(self) -> bool:
        return self.closed in ("left", "both")

    @property
    def right_closed(self) -> bool:
        return self.closed in ("right", "both")

    def applies_to(self, value: Any) -> bool:
        return _is_number(value)

    def contains(self, value: float) -> bool:
        if math.isnan(value):
            return False
        if self.type is int and not float(value).is_integer():
            return False
        if self.left is not None and (value < self.left or (value == self.left and not self.left_closed)):
            return False
        return not (
            self.right is not None and (value > self.right or (value == self.right and not self.right_closed))
        )

    def problem(self, value: Any) -> str | None:
        return None if self.contains(value) else _number_text(value)

    def bounds_text(self) -> str:
        """The bounds alone: "in [0, 1]", "≥ 1", "< 5"; "" when unbounded."""
        if self.left is not None and self.right is not None:
            opening = "[" if self.left_closed else "("
            closing = "]" if self.right_closed else ")"
            return Message("in {interval}", interval=f"{opening}{self.left:g}, {self.right:g}{closing}")
        if self.left is not None:
            return f"{'≥' if self.left_closed else '>'} {self.left:g}"
        if self.right is not None:
            return f"{'≤' if self.right_closed else '<'} {self.right:g}"
        return ""

    def describe(self) -> str:
        bounds = self.bounds_text()
        if self.type is int:
            return Message("a whole number {bounds}", bounds=bounds) if bounds else Message("a whole number")
        return Message("a number {bounds}", bounds=bounds) if bounds else Message("a number")


@dataclass(frozen=True)
class OrderedPair(Constraint):
    """Two numbers, each in ``bounds``, the first not above the second (a band such as 15 %-25 %)."""

    bounds: Interval

    def describe(self) -> str:
        # "each in [0, 1]" for numbers, "each a whole number in [0, 5]" for whole ones
        bounds = self.bounds.bounds_text()
        each = bounds if bounds and self.bounds.type is not int else self.bounds.describe()
        return Message("two numbers, low then high, each {each}", each=each)

    def problem(self, value: Any) -> str | None:
        low, high = value
        shown = "[" + ", ".join(_number_text(v) for v in value) + "]"
        if not (self.bounds.contains(low) and self.bounds.contains(high)):
            return shown
        if low > high:
            return Message("{values} (low above high)", values=shown)
        return None


@dataclass(frozen=True)
class StrOptions(Constraint):
    """One of a fixed set of texts."""

    options: frozenset[str]

    def describe(self) -> str:
        return Message("one of {items}", items=", ".join(repr(o) for o in sorted(self.options)))

    def problem(self, value: Any) -> str | None:
        return None if value in self.options else repr(value)


@dataclass(frozen=True)
class Matches(Constraint):
    """Text matching a pattern as a whole (e.g. a three-letter currency code)."""

    pattern: str
    description: str

    def describe(self) -> str:
        return Message(self.description)  # a phrase the settings catalog holds (see cxlab.config)

    def problem(self, value: Any) -> str | None:
        return None if re.fullmatch(self.pattern, str(value)) else repr(value)


class Regex(Constraint):
    """A non-blank regular expression that compiles (activities and text themes are matched with these)."""

    def describe(self) -> str:
        return Message("a keyword or regular expression that compiles")

    def problem(self, value: Any) -> str | None:
        if not str(value).strip():
            return Message("blank text")
        try:
            re.compile(str(value), re.IGNORECASE)
        except re.error as exc:
            return f"{value!r} ({exc})"
        return None


class Timezone(Constraint):
    """An IANA time zone name known to :mod:`zoneinfo` (e.g. Europe/Rome)."""

    def describe(self) -> str:
        return Message("an IANA time zone such as Europe/Rome or UTC")

    def problem(self, value: Any) -> str | None:
        try:
            zoneinfo.ZoneInfo(str(value))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            return Message("{value} (unknown time zone)", value=repr(value))
        return None


# the codes Python's strptime knows; the year codes are those a date format cannot do without
_STRPTIME_CODES = frozenset("aAbBcdfGHIjmMpSuUVwWxXyYzZ%")
_YEAR_CODES = frozenset("yYGcx")
_CODE = re.compile(r"%(.?)", re.DOTALL)
#: every code set and an offset, so that writing and reading back exercises the whole format
_PROBE = dt.datetime(2026, 11, 23, 14, 5, 6, 789000, tzinfo=dt.UTC)
ISO8601 = "ISO8601"  # pandas' own name for "any ISO 8601 form"; the reader treats it specially


class DateFormat(Constraint):
    """A strftime/strptime format with a year in it (``%d/%m/%Y``), or ``ISO8601``: every ``%`` code
    known, and a date written with the format reads back with it."""

    def describe(self) -> str:
        return Message("a date format such as %d/%m/%Y (strftime codes, a year included) or ISO8601")

    def problem(self, value: Any) -> str | None:
        text = str(value)
        if text == ISO8601:
            return None
        codes = _CODE.findall(text)
        unknown = [c for c in codes if c not in _STRPTIME_CODES]
        if unknown:
            return Message("{value} (unknown code %{code})", value=repr(text), code=unknown[0])
        if not _YEAR_CODES.intersection(codes):
            return Message("{value} (no year code such as %Y)", value=repr(text))
        try:
            dt.datetime.strptime(_PROBE.strftime(text), text)
        except ValueError as exc:
            return f"{text!r} ({exc})"
        return None


class HexColour(Constraint):
    """``#rgb`` or ``#rrggbb`` (see :func:`cxlab.colours.is_hex_colour`)."""

    def describe(self) -> str:
        return Message(HEX_COLOUR_EXAMPLE)  # the colours module marks it for the settings catalog

    def problem(self, value: Any) -> str | None:
        return None if is_hex_colour(value) else repr(value)


class Encoding(Constraint):
    """A text encoding Python knows (utf-8, latin-1, cp1252, ...)."""

    def describe(self) -> str:
        return Message("a text encoding such as utf-8 or latin-1")

    def problem(self, value: Any) -> str | None:
        try:
            codecs.lookup(str(value))
        except LookupError:
            return repr(value)
        return None


class BabelLocale(Constraint):
    """A locale Babel can format numbers and dates for (it_IT, en_GB, de_CH, ...)."""

    def describe(self) -> str:
        return Message("a locale such as it_IT or en_GB")

    def problem(self, value: Any) -> str | None:
        try:
            Locale.parse(str(value))
        except (UnknownLocaleError, ValueError, TypeError):
            return repr(value)
        return None


class CatalogLanguage(Constraint):
    """English (the messages' own language) or a language with a message catalog (cxlab/locale/<lang>):
    a new language is a new catalog, and client.yaml accepts it with no code changed."""

    def describe(self) -> str:
        return Message(
            "en or a language with a catalog: {languages}", languages=", ".join(available_languages())
        )

    def problem(self, value: Any) -> str | None:
        return None if value in available_languages() else repr(value)


@dataclass(frozen=True)
class Each(Constraint):
    """``inner`` on every item of a list, or on every value of a mapping; names the item that fails."""

    inner: Constraint

    def describe(self) -> str:
        return self.inner.describe()

    def problem(self, value: Any) -> str | None:
        found = self.violation(value)
        return None if found is None else found.found

    def violation(self, value: Any) -> Violation | None:
        if isinstance(value, Mapping):
            items: Sequence[tuple[str, Any]] = [(f".{k}", v) for k, v in value.items()]
        elif isinstance(value, list | tuple):
            items = [(f"[{i}]", v) for i, v in enumerate(value)]
        else:
            return None
        for at, item in items:
            found = self.inner.violation(item)
            if found is not None:
                return Violation(found.expected, found.found, at + found.at)
        return None


@dataclass(frozen=True)
class Below:
    """Field ``lower`` must be strictly below field ``upper`` (e.g. nps_detractor_max < nps_promoter_min).

    The message names ``upper`` as the key and ``lower`` with its value in what was expected."""

    lower: str
    upper: str

    def violation(self, settings: Any, where: str) -> Violation | None:
        low, high = getattr(settings, self.lower), getattr(settings, self.upper)
        if low is None or high is None or low < high:
            return None
        prefix = f"{where}." if where else ""
        return Violation(
            Message("a value above {key} ({value})", key=prefix + self.lower, value=repr(low)), repr(high)
        )
