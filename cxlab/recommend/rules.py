"""The rule model: a recommendation rule written as data (frozen dataclasses, no code per rule).

A :class:`Rule` names the findings it needs, a trigger (all ``when`` conditions hold, and at least one
``when_any`` condition when given), an evidence sentence and a recommendation in Italian and English
whose ``{finding.key}`` placeholders are filled with the actual figures, an owner department (which may
itself be a placeholder such as ``{handoff.worst_pair_to}``), an effort, and how impact and urgency
(1–5 each) follow from the figures. Priority = impact × urgency (1–25).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ..errors import ConfigError
from ..findings import KEY_PATTERN, FindingValue, format_value
from ..i18n import available_languages, gettext, ngettext
from ..labels import labels_by_language

Op = Literal[">", ">=", "<", "<=", "==", "!="]
Effort = Literal["low", "medium", "high"]
EFFORTS: tuple[Effort, ...] = ("low", "medium", "high")

_OPS = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
}
LEVER_CONTEXT = "recommendation lever"
OWNER_CONTEXT = "recommendation owner"
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\}")

#: the levers of DESIGN §2 a rule can pull (used to group the action plan): key -> label per language
LEVERS = labels_by_language(
    LEVER_CONTEXT,
    {
        "sponsorship": "Management sponsorship",
        "cx_owner": "An accountable CX manager",
        "empowerment": "Front-line empowerment",
        "training": "Hiring and training",
        "hot_cold": "Measure hot and cold",
        "indicators": "The right indicators",
        "knowledge": "Templates and shared knowledge",
        "self_service": "Self-service that works",
        "handoff_owner": "Owned handoffs with service levels",
        "internal_customer": "Colleagues as internal customers",
        "service_levels": "Service levels per segment",
    },
)

#: generic owners (not departments of the client) and their label per language
OWNERS = labels_by_language(
    OWNER_CONTEXT,
    {
        "Management": "Management",
        "CX manager": "CX manager",
        "HR": "HR",
        "Marketing": "Marketing",
    },
)


class RuleError(ConfigError):
    """A rule is malformed, or two rules share an id."""


@dataclass(frozen=True)
class Text:
    """A sentence in the report languages: Italian and English always (recommendations.yaml re-words them),
    others from their catalogs."""

    it: str
    en: str
    #: (language, sentence) in the further languages with a catalog; a rule's template needs none: its
    #: English is the msgid their catalogs translate
    other: tuple[tuple[str, str], ...] = ()

    def get(self, lang: str) -> str:
        """The sentence in ``lang``: its own, else the catalog's translation of the English, else English."""
        own = {"it": self.it, "en": self.en, **dict(self.other)}.get(lang)
        return own or gettext(lang, self.en)

    def filled(self, figures: Mapping[str, FindingValue]) -> Text:
        """The sentence with its figures, in every language with a catalog."""
        further = tuple(
            (lang, self.fill(figures, lang)) for lang in available_languages() if lang not in ("it", "en")
        )
        return Text(it=self.fill(figures, "it"), en=self.fill(figures, "en"), other=further)

    def fill(self, figures: Mapping[str, FindingValue], lang: str) -> str:
        """The sentence in ``lang`` with every ``{key}`` replaced by the formatted figure."""
        return fill(self.get(lang), figures, lang)

    def placeholders(self) -> set[str]:
        return set(PLACEHOLDER.findall(self.it)) | set(PLACEHOLDER.findall(self.en))


@dataclass(frozen=True)
class PluralText(Text):
    """A sentence that counts something: ``en`` is its English singular and ``plural`` its plural (the
    gettext msgid and msgid_plural), the form chosen in each language by the figure ``count``
    (:func:`~cxlab.i18n.ngettext`: "1 premium customer", "3 premium customers"). ``it`` holds the Italian
    singular, for display before the figures are known; :meth:`filled` gives a plain :class:`Text`."""

    plural: str = ""
    count: str = ""

    def fill(self, figures: Mapping[str, FindingValue], lang: str) -> str:
        n = figures[self.count]
        if isinstance(n, bool) or not isinstance(n, int | float) or not math.isfinite(n):
            return super().fill(figures, lang)
        return fill(ngettext(lang, self.en, self.plural, int(n)), figures, lang)

    def placeholders(self) -> set[str]:
        return super().placeholders() | set(PLACEHOLDER.findall(self.plural)) | {self.count}


def fill(template: str, figures: Mapping[str, FindingValue], lang: str) -> str:
    return PLACEHOLDER.sub(lambda m: format_value(m.group(1), figures[m.group(1)], lang), template)


@dataclass(frozen=True)
class Condition:
    """``findings[key] <op> value``."""

    key: str
    op: Op
    value: float | str | bool

    def holds(self, figures: Mapping[str, FindingValue]) -> bool:
        actual = figures[self.key]
        if isinstance(self.value, bool) or isinstance(actual, bool):
            if self.op not in ("==", "!="):
                return False
            return _OPS[self.op](bool(actual), bool(self.value))
        if isinstance(self.value, str) or isinstance(actual, str):
            if self.op not in ("==", "!="):
                return False
            return _OPS[self.op](str(actual), str(self.value))
        return bool(_OPS[self.op](float(actual), float(self.value)))

    def describe(self) -> str:
        return f"{self.key} {self.op} {self.value}"


@dataclass(frozen=True)
class Scale:
    """A figure mapped linearly onto 1–5: ``low`` -> 1, ``high`` -> 5, clamped.

    Give ``low > high`` when a smaller figure is worse (e.g. a culture score: low=4, high=2).
    """

    key: str
    low: float
    high: float
    #: the level when the figure is absent (None: the figure is required)
    default: float | None = None

    def score(self, figures: Mapping[str, FindingValue]) -> float:
        if self.default is not None and self.key not in figures:
            return self.default
        x = float(figures[self.key])
        t = (x - self.low) / (self.high - self.low)
        return 1.0 + 4.0 * min(1.0, max(0.0, t))


Level = Scale | float


def level(value: Level, figures: Mapping[str, FindingValue]) -> float:
    return value.score(figures) if isinstance(value, Scale) else float(value)


@dataclass(frozen=True)
class Rule:
    """One lever of the playbook, triggered by evidence."""

    id: str
    topic: str
    lever: str
    needs: tuple[str, ...]
    when: tuple[Condition, ...]
    title: Text
    evidence: Text
    action: Text
    owner: str
    effort: Effort
    impact: Level
    urgency: Level
    when_any: tuple[Condition, ...] = ()
    #: where the rule came from: the entry-point name ("builtin" for cxlab's own playbook)
    source: str = field(default="builtin", compare=False)

    def __post_init__(self) -> None:
        validate_rule(self)

    def missing(self, figures: Mapping[str, FindingValue]) -> tuple[str, ...]:
        """The needed keys that the findings do not have."""
        return tuple(k for k in self.needs if k not in figures)

    def triggered(self, figures: Mapping[str, FindingValue]) -> bool:
        """True when every needed key is present and the trigger holds."""
        if self.missing(figures):
            return False
        if not all(c.holds(figures) for c in self.when):
            return False
        return not self.when_any or any(c.holds(figures) for c in self.when_any)

    def scores(self, figures: Mapping[str, FindingValue]) -> tuple[float, float, float]:
        """(impact, urgency, priority) from the figures; priority = impact × urgency, 1–25."""
        impact = level(self.impact, figures)
        urgency = level(self.urgency, figures)
        return round(impact, 2), round(urgency, 2), round(impact * urgency, 1)

    def owner_for(self, figures: Mapping[str, FindingValue]) -> str:
        return fill(self.owner, figures, "en")


def validate_rule(rule: Rule) -> None:
    """Check a rule's data: placeholders and conditions only use needed keys, levels in range."""

    def fail(column: str, expected: str, found: object) -> RuleError:
        return RuleError(expected, file=f"rule {rule.id!r}", column=column, found=repr(found))

    if not re.match(r"^[a-z][a-z0-9_.-]*$", rule.id or ""):
        raise fail("id", "a lower-case id (letters, digits, _ . -)", rule.id)
    for key in rule.needs:
        if not KEY_PATTERN.match(key):
            raise fail("needs", "finding keys like 'topic.name'", key)
    needs = set(rule.needs)
    for cond in (*rule.when, *rule.when_any):
        if cond.key not in needs:
            raise fail("when", f"a condition on a needed key ({', '.join(rule.needs)})", cond.key)
        if cond.op not in _OPS:
            raise fail("when", "an operator: " + " ".join(_OPS), cond.op)
    if not rule.when and not rule.when_any:
        raise fail("when", "at least one condition", "none")
    for name in ("title", "evidence", "action"):
        text = getattr(rule, name)
        if not isinstance(text, Text) or not text.it.strip() or not text.en.strip():
            raise fail(name, "a Text with Italian and English wording", text)
        unknown = text.placeholders() - needs
        if unknown:
            raise fail(name, "placeholders of needed keys only", sorted(unknown)[0])
    unknown = set(PLACEHOLDER.findall(rule.owner)) - needs
    if unknown or not rule.owner.strip():
        raise fail("owner", "a department, or a placeholder of a needed key", rule.owner)
    if rule.effort not in EFFORTS:
        raise fail("effort", "one of " + ", ".join(EFFORTS), rule.effort)
    for name in ("impact", "urgency"):
        value = getattr(rule, name)
        if isinstance(value, Scale):
            if value.key not in needs and value.default is None:
                raise fail(name, "a Scale on a needed key (or with a default level)", value.key)
            if value.default is not None and not 1 <= value.default <= 5:
                raise fail(name, "a default level from 1 to 5", value.default)
            if value.low == value.high or not (math.isfinite(value.low) and math.isfinite(value.high)):
                raise fail(name, "a Scale with two different finite ends", (value.low, value.high))
        elif not (isinstance(value, int | float) and 1 <= value <= 5):
            raise fail(name, "a number from 1 to 5 or a Scale", value)
    if not isinstance(rule.lever, str) or not rule.lever.strip():
        # third-party playbooks may bring their own levers; LEVERS only supplies labels for ours
        raise fail("lever", "a lever name, e.g. one of " + ", ".join(LEVERS), rule.lever)
