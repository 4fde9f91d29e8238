"""Evidence-triggered recommendations: a playbook of rules, the consultant's overrides, the action plan.

Typical use (a notebook, the client report)::

    from cxlab.diagnosis import Diagnosis
    from cxlab.recommend import action_plan, export_action_plan, generate_recommendations

    findings = Diagnosis(client).findings
    result = generate_recommendations(findings, client.root)   # reads client/recommendations.yaml
    result.accepted                                            # explicitly accepted only
    shown = action_plan(findings, client.root)                 # what the report shows
    final = action_plan(findings, client.root, accepted_only=True)
    export_action_plan(shown, "action_plan.xlsx", lang="it")   # or .csv

Public functions
----------------

``generate_recommendations(findings, overrides=None, rules=None, as_of=None) -> AppliedOverrides``
    Evaluate the rules on the findings and apply the consultant's decisions. ``findings`` is a
    :class:`~cxlab.findings.Findings` (or any mapping of finding key -> value); ``overrides`` is a
    client folder or a ``recommendations.yaml`` path (a missing file = no decisions yet), an
    :class:`Overrides`, or None; ``rules`` defaults to every rule registered under the entry-point group
    ``cxlab.rules``; ``as_of`` (the day due quarters count from) defaults to the findings' analysis date.
    The result has ``.recommendations`` (all, with ``status`` proposed / accepted / rejected, highest
    priority first), ``.accepted`` (**only** the explicitly accepted ones, custom ones included),
    ``.proposed``, ``.rejected``, ``.shown`` (see below) and ``.unmatched`` (override ids for rules that
    did not fire).

``action_plan(findings, overrides=None, rules=None, as_of=None, *, accepted_only=False) -> list[Recommendation]``
    The list the client report shows, highest priority first: ``.shown`` — the accepted
    recommendations, plus the proposals nobody has reviewed yet while ``recommendations.yaml`` says
    ``unreviewed: show`` (its default, so a fresh engagement and the demo still get a report; each item
    keeps ``status == "proposed"`` so the report can mark it as a draft). Rejected ones never appear.
    ``accepted_only=True`` (or ``unreviewed: hide`` in the file) gives the explicitly accepted ones only.

``export_action_plan(recs, path, lang="en") -> Path``
    The action plan as ``.xlsx`` or ``.csv``: recommendation, evidence, owner, priority, effort, due
    quarter (plus rank, id, title, status). :func:`action_plan_frame` gives the same table as a DataFrame;
    :func:`recommendations_frame` the full tidy table (impact, urgency, topic, lever, source, edits).

``rule_status(findings, rules=None) -> DataFrame``
    Every rule with its state (triggered / not triggered / skipped with the missing findings), for the
    methodology appendix. ``discover_rules()`` lists the registered rules.

A :class:`Recommendation` carries ``id``, ``title`` / ``evidence`` / ``action`` (:class:`Text`:
``.get("it" | "en")``, evidence filled with the actual figures), ``owner`` (``owner_label(lang)``),
``priority`` (impact × urgency, 1–25), ``impact``, ``urgency``, ``effort`` (low / medium / high),
``due`` ("2027-Q1"), ``status``, ``source`` (the playbook's entry-point name or "custom"), ``edited``
(fields the consultant changed) and ``note``.

Rules come from the entry-point group ``cxlab.rules`` (cxlab's own playbook is the ``builtin`` entry):
a consultancy ships its own package with an entry point that returns an iterable of :class:`Rule`.
See :mod:`cxlab.recommend.rules` for the rule model, :mod:`cxlab.recommend.playbook` for the built-in
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
    status: ``.accepted`` holds only the explicitly accepted ones, ``.shown`` what the report shows
    (accepted, plus unreviewed proposals while ``unreviewed: show``), ``.proposed`` / ``.rejected`` the rest.
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
    *,
    accepted_only: bool = False,
) -> list[Recommendation]:
    """The recommendations the report shows, highest priority first (:attr:`AppliedOverrides.shown`);
    with ``accepted_only`` only the explicitly accepted ones (:attr:`AppliedOverrides.accepted`)."""
    result = generate_recommendations(findings, overrides, rules, as_of)
    return result.accepted if accepted_only else result.shown


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
