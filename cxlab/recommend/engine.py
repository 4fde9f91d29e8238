"""Rule discovery (entry-point group ``cxlab.rules``) and evaluation of rules on findings.

Every entry point of the group loads to either an iterable of :class:`~cxlab.recommend.rules.Rule` or a
callable returning one; cxlab's own playbook is registered the same way (``builtin``). A rule whose
needed findings are absent is *skipped* (listed by :func:`rule_status`), one whose trigger does not hold
is *not triggered*; the others become :class:`Recommendation` objects with the evidence filled in
Italian and English, priority = impact × urgency, and a due quarter derived from the priority.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Literal

import pandas as pd

from ..findings import Findings, FindingValue
from ..labels import label_of
from .rules import LEVERS, OWNERS, Effort, Rule, RuleError, Text

GROUP = "cxlab.rules"
Status = Literal["proposed", "accepted", "rejected"]
STATUSES: tuple[Status, ...] = ("proposed", "accepted", "rejected")


@dataclass(frozen=True)
class Recommendation:
    """One recommendation: a triggered rule's output, or a consultant's custom item."""

    id: str
    title: Text
    evidence: Text
    action: Text
    owner: str
    effort: Effort
    priority: float
    due: str  # "2027-Q1"
    impact: float | None = None
    urgency: float | None = None
    topic: str = "custom"
    lever: str = ""
    status: Status = "proposed"
    source: str = "builtin"  # entry-point name of the rule's playbook, or "custom"
    #: the finding values the evidence was built from
    figures: Mapping[str, FindingValue] = field(default_factory=dict, compare=False)
    #: which fields the consultant changed in recommendations.yaml
    edited: tuple[str, ...] = ()
    note: str = ""

    def owner_label(self, lang: str = "en") -> str:
        return label_of(OWNERS, self.owner, lang)

    def as_row(self, lang: str = "en") -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title.get(lang),
            "recommendation": self.action.get(lang),
            "evidence": self.evidence.get(lang),
            "owner": self.owner_label(lang),
            "priority": self.priority,
            "impact": self.impact,
            "urgency": self.urgency,
            "effort": self.effort,
            "due_quarter": self.due,
            "topic": self.topic,
            "lever": label_of(LEVERS, self.lever, lang) if self.lever else "",
            "status": self.status,
            "source": self.source,
            "edited": ", ".join(self.edited),
            "note": self.note,
        }


# --------------------------------------------------------------------------------------------------
# discovery


def discover_rules(group: str = GROUP) -> tuple[Rule, ...]:
    """All rules registered under the entry-point group, in entry-point order; ``source`` = its name.

    Raises :class:`RuleError` when an entry point yields something that is not a Rule or when two rules
    share an id (naming both sources).
    """
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for ep in sorted(entry_points(group=group), key=lambda e: (e.name != "builtin", e.name)):
        loaded = ep.load()
        items = loaded() if callable(loaded) else loaded
        if not isinstance(items, Iterable):
            raise RuleError(
                "an iterable of Rule (or a callable returning one)",
                file=f"entry point {ep.name!r} ({ep.value})",
                found=type(items).__name__,
            )
        for rule in items:
            if not isinstance(rule, Rule):
                raise RuleError(
                    "cxlab.recommend.Rule objects",
                    file=f"entry point {ep.name!r} ({ep.value})",
                    found=type(rule).__name__,
                )
            if rule.id in seen:
                raise RuleError(
                    "rule ids unique across playbooks",
                    file=f"entry point {ep.name!r} ({ep.value})",
                    column=rule.id,
                    found=f"already defined by {seen[rule.id]!r}",
                )
            seen[rule.id] = ep.name
            rules.append(dataclasses.replace(rule, source=ep.name))
    return tuple(rules)


# --------------------------------------------------------------------------------------------------
# evaluation


def quarter_label(day: dt.date, ahead: int = 0) -> str:
    """'2027-Q1': the quarter ``ahead`` quarters after the one containing ``day``."""
    index = day.year * 4 + (day.month - 1) // 3 + ahead
    return f"{index // 4}-Q{index % 4 + 1}"


def due_quarter(priority: float, as_of: dt.date) -> str:
    """Next quarter for priority ≥ 15, the one after for ≥ 8, else three quarters ahead."""
    ahead = 1 if priority >= 15 else 2 if priority >= 8 else 3
    return quarter_label(as_of, ahead)


def _as_of(findings: Mapping[str, FindingValue], as_of: dt.date | None) -> dt.date:
    if as_of is not None:
        return as_of
    if isinstance(findings, Findings) and findings.analysis_date is not None:
        return findings.analysis_date
    return dt.date.today()


def evaluate(
    findings: Mapping[str, FindingValue],
    rules: Iterable[Rule] | None = None,
    as_of: dt.date | None = None,
) -> list[Recommendation]:
    """The triggered rules as proposed recommendations, highest priority first (ties by id)."""
    rules = discover_rules() if rules is None else tuple(rules)
    day = _as_of(findings, as_of)
    out = []
    for rule in rules:
        if not rule.triggered(findings):
            continue
        impact, urgency, priority = rule.scores(findings)
        out.append(
            Recommendation(
                id=rule.id,
                title=rule.title.filled(findings),
                evidence=rule.evidence.filled(findings),
                action=rule.action.filled(findings),
                owner=rule.owner_for(findings),
                effort=rule.effort,
                priority=priority,
                due=due_quarter(priority, day),
                impact=impact,
                urgency=urgency,
                topic=rule.topic,
                lever=rule.lever,
                source=rule.source,
                figures={k: findings[k] for k in rule.needs},
            )
        )
    return sort_recommendations(out)


def sort_recommendations(recs: Iterable[Recommendation]) -> list[Recommendation]:
    return sorted(recs, key=lambda r: (-r.priority, r.id))


def rule_status(findings: Mapping[str, FindingValue], rules: Iterable[Rule] | None = None) -> pd.DataFrame:
    """Every rule with its state: ``triggered``, ``not triggered`` or ``skipped`` (and the missing keys).

    For the methodology appendix: which levers were considered and why they did or did not fire.
    """
    rules = discover_rules() if rules is None else tuple(rules)
    rows = []
    for rule in rules:
        missing = rule.missing(findings)
        state = "skipped" if missing else "triggered" if rule.triggered(findings) else "not triggered"
        priority = rule.scores(findings)[2] if state == "triggered" else math.nan
        rows.append(
            {
                "id": rule.id,
                "topic": rule.topic,
                "source": rule.source,
                "state": state,
                "priority": priority,
                "missing": ", ".join(missing),
                "trigger": " and ".join(c.describe() for c in rule.when)
                + (
                    (" and " if rule.when else "")
                    + "("
                    + " or ".join(c.describe() for c in rule.when_any)
                    + ")"
                    if rule.when_any
                    else ""
                ),
            }
        )
    return pd.DataFrame(rows, columns=["id", "topic", "source", "state", "priority", "missing", "trigger"])


def recommendations_frame(recs: Iterable[Recommendation], lang: str = "en") -> pd.DataFrame:
    """A tidy table of recommendations (one row each, in the given order) with a 1-based rank."""
    rows = [r.as_row(lang) for r in recs]
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame


_COLUMNS = [
    "id",
    "title",
    "recommendation",
    "evidence",
    "owner",
    "priority",
    "impact",
    "urgency",
    "effort",
    "due_quarter",
    "topic",
    "lever",
    "status",
    "source",
    "edited",
    "note",
]
