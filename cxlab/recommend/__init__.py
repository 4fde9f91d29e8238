"""Evidence-triggered recommendations: a playbook of rules, the consultant's overrides, the action plan.

Typical use::

    from cxlab.findings import collect_findings
    from cxlab.recommend import action_plan, export_action_plan

    findings = collect_findings(client)
    shown = action_plan(findings, client.root)          # applies client/recommendations.yaml
    export_action_plan(shown, "action_plan.xlsx", lang="it")

Rules come from the entry-point group ``cxlab.rules`` (cxlab's own playbook is the ``builtin`` entry);
see :mod:`cxlab.recommend.rules` for the rule model, :mod:`cxlab.recommend.playbook` for the built-in
levers and :mod:`cxlab.recommend.overrides` for ``recommendations.yaml``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..findings import Findings, FindingValue
from .engine import (
    GROUP,
    Recommendation,
    discover_rules,
    evaluate,
    quarter_label,
    recommendations_frame,
    rule_status,
)
from .export import action_plan_frame, export_action_plan
from .overrides import (
    OVERRIDES_FILE,
    AppliedOverrides,
    CustomRecommendation,
    Override,
    Overrides,
    apply_overrides,
    load_overrides,
    overrides_from_dict,
    overrides_to_dict,
    save_overrides,
)
from .rules import LEVERS, Condition, Rule, RuleError, Scale, Text


def generate_recommendations(
    findings: Mapping[str, FindingValue],
    overrides: Overrides | Path | str | None = None,
    rules: Iterable[Rule] | None = None,
    as_of: dt.date | None = None,
) -> AppliedOverrides:
    """Evaluate the rules on the findings and apply the consultant's overrides.

    ``overrides`` is an :class:`Overrides`, a client folder / file path (its ``recommendations.yaml``
    is read; a missing file means no decisions), or None. Returns every recommendation with its
    status; ``.shown`` is what the report shows.
    """
    if as_of is None and isinstance(findings, Findings):
        as_of = findings.analysis_date
    recs = evaluate(findings, rules, as_of)
    if isinstance(overrides, str | Path):
        overrides = load_overrides(overrides)
    return apply_overrides(recs, overrides, as_of)


def action_plan(
    findings: Mapping[str, FindingValue],
    overrides: Overrides | Path | str | None = None,
    rules: Iterable[Rule] | None = None,
    as_of: dt.date | None = None,
) -> list[Recommendation]:
    """The recommendations the report shows, highest priority first."""
    return generate_recommendations(findings, overrides, rules, as_of).shown


__all__ = [
    "GROUP",
    "LEVERS",
    "OVERRIDES_FILE",
    "AppliedOverrides",
    "Condition",
    "CustomRecommendation",
    "Override",
    "Overrides",
    "Recommendation",
    "Rule",
    "RuleError",
    "Scale",
    "Text",
    "action_plan",
    "action_plan_frame",
    "apply_overrides",
    "discover_rules",
    "evaluate",
    "export_action_plan",
    "generate_recommendations",
    "load_overrides",
    "overrides_from_dict",
    "overrides_to_dict",
    "quarter_label",
    "recommendations_frame",
    "rule_status",
    "save_overrides",
]
