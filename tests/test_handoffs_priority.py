"""Handoff recommendations weigh volume and effect together: a large NPS gap on the worst handoff is urgent
only when many cases cross it."""

from __future__ import annotations

from gallery_events import make_shape

from cxlab.diagnosis import Diagnosis
from cxlab.recommend.playbook import BUILTIN_RULES

RULE = next(r for r in BUILTIN_RULES if r.id == "handoff_first_time_right")


def test_first_time_right_priority_weighs_the_cases_crossing_the_handoff():
    gap = {"handoff.worst_pair_nps_gap": -40.0}  # impact 5
    few = RULE.scores({**gap, "handoff.worst_pair_case_share": 0.001})  # 26 cases of 26,000
    many = RULE.scores({**gap, "handoff.worst_pair_case_share": 0.2})
    middle = RULE.scores({**gap, "handoff.worst_pair_case_share": 0.0425})  # halfway from 0.5 % to 8 %
    assert few == (5.0, 1.0, 5.0) and many == (5.0, 5.0, 25.0) and middle == (5.0, 3.0, 15.0)
    assert RULE.scores(gap) == (5.0, 4.0, 20.0)  # a playbook without the figure keeps the old level


def test_the_case_share_of_the_worst_handoff_is_a_finding(tmp_path):
    shape = make_shape("no_channel")
    dx = Diagnosis.open(shape.write(tmp_path / "c"))
    top = dx.handoffs.top
    assert top is not None
    # independent: the cases with a move from the pair's first department straight to the second
    ev = dx.client.events.sort_values(["case_id", "timestamp"], kind="stable")
    dept = ev["department"].astype(str)
    nxt = dept.groupby(ev["case_id"]).shift(-1)
    crossing = ev.loc[(dept == top.from_department) & (nxt == top.to_department), "case_id"].nunique()
    share = crossing / ev["case_id"].nunique()
    assert dx.findings["handoff.worst_pair_case_share"] == top.case_share == share > 0
