"""Recommendations merged into initiatives: what a client can staff, budget and put on a roadmap.

27 recommendation cards are too many to decide on; related ones share a lever family and become one
initiative (``INITIATIVE_OF_LEVER``), with the owner of its highest-priority recommendation, the highest
effort among them and a quarter-by-quarter roadmap (each recommendation in its due quarter). A caller that
knows better (the report's story links a barometer drop to a handoff) moves a recommendation with
``assign={rec_id: initiative_key}``. The full list stays in the attachment (``action_plan.xlsx``).

Pure: recommendations in, typed initiatives out; the words live in the report layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .engine import Recommendation
from .rules import EFFORTS, Effort

#: lever -> initiative key (cxlab's playbook levers); unknown levers go by topic, then to "other"
INITIATIVE_OF_LEVER: Mapping[str, str] = {
    "handoff_owner": "handoffs",
    "internal_customer": "handoffs",
    "empowerment": "empowerment",
    "training": "empowerment",
    "knowledge": "knowledge",
    "self_service": "self_service",
    "hot_cold": "listening",
    "indicators": "listening",
    "service_levels": "value",
    "sponsorship": "governance",
    "cx_owner": "governance",
}
INITIATIVE_OF_TOPIC: Mapping[str, str] = {
    "handoffs": "handoffs",
    "chasers": "knowledge",
    "contradictory": "knowledge",
    "self_service": "self_service",
    "survey": "listening",
    "indicators": "listening",
    "segments": "value",
    "culture": "handoffs",
    "training": "empowerment",
    "text": "listening",
}
#: the order initiatives are listed in when their priorities tie
INITIATIVES: tuple[str, ...] = (
    "handoffs",
    "empowerment",
    "knowledge",
    "self_service",
    "listening",
    "value",
    "governance",
    "other",
)

_PAIR = re.compile(r"^\s*(.+?)\s*(?:→|↔|->|<->)\s*(.+?)\s*$")


@dataclass(frozen=True)
class Initiative:
    """Related recommendations as one initiative (``recommendations`` highest priority first)."""

    key: str
    recommendations: tuple[Recommendation, ...]

    @property
    def lead(self) -> Recommendation:
        return self.recommendations[0]

    @property
    def priority(self) -> float:
        return max(r.priority for r in self.recommendations)

    @property
    def owner(self) -> str:
        return self.lead.owner

    def owner_label(self, lang: str = "en") -> str:
        return self.lead.owner_label(lang)

    @property
    def effort(self) -> Effort:
        return max((r.effort for r in self.recommendations), key=EFFORTS.index)

    @property
    def quarters(self) -> tuple[str, ...]:
        """The due quarters of its recommendations, earliest first ("2027-Q1", …)."""
        return tuple(sorted({r.due for r in self.recommendations}))

    def due_in(self, quarter: str) -> tuple[Recommendation, ...]:
        return tuple(r for r in self.recommendations if r.due == quarter)

    @property
    def unreviewed(self) -> int:
        return sum(r.status == "proposed" for r in self.recommendations)


def initiative_of(rec: Recommendation) -> str:
    return INITIATIVE_OF_LEVER.get(rec.lever) or INITIATIVE_OF_TOPIC.get(rec.topic) or "other"


def group_initiatives(
    recs: Iterable[Recommendation], assign: Mapping[str, str] | None = None
) -> list[Initiative]:
    """The recommendations grouped into initiatives, highest priority first; within one, the assigned
    recommendations (evidence linked from elsewhere) come after the initiative's own actions."""
    assign = assign or {}
    groups: dict[str, list[Recommendation]] = {}
    for rec in recs:
        key = assign.get(rec.id) or initiative_of(rec)
        groups.setdefault(key, []).append(rec)
    out = [
        Initiative(key, tuple(sorted(items, key=lambda r: (r.id in assign, -r.priority, r.id))))
        for key, items in groups.items()
    ]
    order = {key: i for i, key in enumerate(INITIATIVES)}
    out.sort(key=lambda i: (-i.priority, order.get(i.key, len(order)), i.key))
    return out


def department_pair(rec: Recommendation) -> frozenset[str] | None:
    """The two departments a recommendation names ('Sales → Logistics', 'Credit ↔ Customer Service' in
    its figures), as an unordered pair; ``None`` when it names none."""
    for key, value in rec.figures.items():
        if isinstance(value, str) and key.split(".")[-1].endswith("pair"):
            match = _PAIR.match(value)
            if match:
                return frozenset((match.group(1), match.group(2)))
    return None


def top_actions(initiatives: Sequence[Initiative], limit: int = 5) -> list[Recommendation]:
    """One action per initiative (its highest-priority recommendation whose department pair no earlier
    action names), in initiative order, at most ``limit``."""
    picked: list[Recommendation] = []
    pairs: set[frozenset[str]] = set()
    for initiative in initiatives:
        for rec in initiative.recommendations:
            pair = department_pair(rec)
            if pair is not None and pair in pairs:
                continue
            picked.append(rec)
            if pair is not None:
                pairs.add(pair)
            break
        if len(picked) >= limit:
            break
    return picked


def roadmap_quarters(initiatives: Iterable[Initiative]) -> list[str]:
    """Every quarter from the earliest to the latest due quarter of the initiatives ("2027-Q1" …)."""
    due = sorted({q for i in initiatives for q in i.quarters})
    if not due:
        return []

    def index(label: str) -> int:
        year, q = label.split("-Q")
        return int(year) * 4 + int(q) - 1

    first, last = index(due[0]), index(due[-1])
    return [f"{i // 4}-Q{i % 4 + 1}" for i in range(first, last + 1)]
