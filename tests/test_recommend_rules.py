"""The built-in playbook: every rule fires on minimal findings and stays silent below its threshold."""

from __future__ import annotations

import datetime as dt

import pytest

from cxlab.findings import Findings
from cxlab.recommend import Condition, Rule, RuleError, Scale, Text, evaluate, rule_status
from cxlab.recommend.engine import due_quarter, quarter_label
from cxlab.recommend.playbook import BUILTIN_RULES
from cxlab.recommend.rules import LEVERS

# rule id -> (minimal findings that trigger it, changes that put it just below its threshold)
CASES: dict[str, tuple[dict, dict]] = {
    "handoff_owner_sla": (
        {
            "handoff.worst_pair": "Sales → Logistics",
            "handoff.worst_pair_from": "Sales",
            "handoff.worst_pair_to": "Logistics",
            "handoff.worst_pair_wait_h": 52.0,
            "handoff.worst_pair_wait_share": 0.41,
        },
        {"handoff.worst_pair_wait_share": 0.19},
    ),
    "handoff_first_time_right": (
        {
            "handoff.worst_pair": "Sales → Logistics",
            "handoff.worst_pair_from": "Sales",
            "handoff.worst_pair_to": "Logistics",
            "handoff.worst_pair_nps_gap": -34.5,
        },
        {"handoff.worst_pair_nps_gap": -9.9},
    ),
    "handoff_pingpong": (
        {
            "handoff.pingpong_pair": "Customer Service ↔ Credit",
            "handoff.pingpong_rate": 0.7,
            "handoff.pingpong_cases": 420,
        },
        {"handoff.pingpong_rate": 0.14},
    ),
    "handoff_pingpong_second": (
        {
            "handoff.pingpong2_pair": "Sales ↔ Logistics",
            "handoff.pingpong2_rate": 0.3,
            "handoff.pingpong2_cases": 660,
        },
        {"handoff.pingpong2_cases": 9},
    ),
    "handoff_rework": (
        {"handoff.rework_share": 0.25, "handoff.mean_breadth": 2.8},
        {"handoff.rework_share": 0.19},
    ),
    "authorisation_delegation": (
        {
            "authorisation.department": "Credit",
            "authorisation.cases": 600,
            "authorisation.wait_h": 30.0,
            "authorisation.chaser_share": 0.65,
        },
        {"authorisation.chaser_share": 0.1},
    ),
    "chasers_status_updates": (
        {"chasers.cases": 480, "chasers.share_of_cases": 0.12, "chasers.department": "Credit"},
        {"chasers.share_of_cases": 0.04},
    ),
    "selfservice_fix": (
        {
            "selfservice.cases": 240,
            "selfservice.failure_to_call_share": 0.6,
            "selfservice.department": "Web Portal",
        },
        {"selfservice.failure_to_call_share": 0.2},
    ),
    "contradictory_knowledge_base": (
        {"contradictory.cases": 240, "contradictory.share": 0.06},
        {"contradictory.share": 0.01},
    ),
    "survey_add_cold": ({"survey.has_cold": False}, {"survey.has_cold": True}),
    "survey_add_hot": ({"survey.has_hot": False}, {"survey.has_hot": True}),
    "survey_repeat_barometer": ({"survey.cold_waves": 1}, {"survey.cold_waves": 2}),
    "survey_cold_response_rate": (
        {"survey.response_rate_cold": 0.08},
        {"survey.response_rate_cold": 0.2},
    ),
    "survey_pressure": (
        {
            "survey.over_surveyed_customers": 30,
            "survey.over_surveyed_share": 0.05,
            "survey.response_rate_low_pressure": 0.35,
            "survey.response_rate_high_pressure": 0.08,
        },
        {"survey.over_surveyed_share": 0.01},
    ),
    "survey_stopped_answering": ({"survey.stopped_answering": 25}, {"survey.stopped_answering": 4}),
    "ultra_detractor_callback": (
        {"survey.ultra_detractors": 40, "survey.ultra_detractors_uncalled": 31},
        {"survey.ultra_detractors_uncalled": 0},
    ),
    "ultra_detractor_triage": (
        {"survey.ultra_detractors": 40, "survey.followup_tracked": False},
        {"survey.followup_tracked": True},
    ),
    "ultra_promoter_testimonials": ({"survey.ultra_promoters": 120}, {"survey.ultra_promoters": 9}),
    "barometer_drop_group": (
        {
            "nps.barometer_drop_group": "Construction",
            "nps.barometer_drop_points": -31.2,
            "nps.barometer_drop_significant": True,
        },
        {"nps.barometer_drop_significant": False},
    ),
    "cx_sponsorship": ({"nps.barometer_change": -7.5}, {"nps.barometer_change": -2.0}),
    "indicators_choose": (
        {"indicators.measured": 1, "indicators.missing": "CSAT, CES, CXi"},
        {"indicators.measured": 3},
    ),
    "segment_premium_service": (
        {
            "segments.premium_customers": 60,
            "segments.premium_share": 0.1,
            "segments.premium_value_share": 0.55,
        },
        {"segments.premium_value_share": 0.25},
    ),
    "segment_potential_development": (
        {"segments.potential_customers": 30, "segments.potential_share": 0.05},
        {"segments.potential_customers": 4},
    ),
    "segment_dilemma_decision": (
        {
            "segments.dilemma_customers": 30,
            "segments.dilemma_value_share": 0.12,
            "segments.dilemma_future_ratio": 0.4,
        },
        {"segments.dilemma_future_ratio": 1.3},  # predicted to spend more than now: no dilemma to decide
    ),
    "segment_dilemma_winback": (
        {
            "segments.dilemma_customers": 30,
            "segments.dilemma_silent_share": 0.7,
            "segments.dilemma_prob_alive": 0.2,
        },
        # the issue's client: median probability active 0.999, bought 39 days ago: nobody is silent
        {"segments.dilemma_silent_share": 0.0, "segments.dilemma_prob_alive": 0.999},
    ),
    "culture_self_vs_others": (
        {
            "culture.gap_department": "Customer Service",
            "culture.gap_max": 2.2,
            "culture.gap_self": 4.5,
            "culture.gap_others": 2.3,
        },
        {"culture.gap_max": 0.7},
    ),
    "culture_harsh_rater": (
        {
            "culture.harshest_rater": "Customer Service",
            "culture.harshest_rater_self": 4.5,
            "culture.harshest_rater_given": 2.3,
            "culture.harshest_rater_gap": 2.2,
        },
        {"culture.harshest_rater_gap": 1.1},
    ),
    "culture_pillar_spread": (
        {"culture.spread_pillar": "roles", "culture.spread_max": 1.6},
        {"culture.spread_max": 0.9},
    ),
    "culture_information_passing": (
        {"culture.info_lowest_department": "Logistics", "culture.info_lowest_score": 2.1},
        {"culture.info_lowest_score": 3.1},
    ),
    "training_listening": (
        {"culture.listening_lowest_department": "Credit", "culture.listening_lowest_score": 2.4},
        {"culture.listening_lowest_score": 3.3},
    ),
    "training_lowest_department": (
        {"culture.lowest_department": "Credit", "culture.lowest_score": 2.8, "culture.departments": 8},
        {"culture.lowest_score": 3.1},
    ),
    "frontline_empowerment": ({"culture.empowerment_score": 2.6}, {"culture.empowerment_score": 3.4}),
    "cx_owner": (
        {"culture.voice_of_customer_score": 2.5, "culture.roles_clear_score": 3.6},
        {"culture.voice_of_customer_score": 3.2},
    ),
    "comment_theme_action": (
        {
            "text.top_negative_theme": "delivery",
            "text.top_negative_theme_share": 0.42,
            "text.negative_share": 0.3,
        },
        {"text.top_negative_theme_share": 0.1},
    ),
    "comment_theme_nps": (
        {
            "text.worst_nps_theme": "passed_around",
            "text.worst_nps_theme_nps": -68.6,
            "text.worst_nps_theme_nps_gap": -69.9,
            "text.worst_nps_theme_customers": 17,
            "text.nps_all": 1.3,
        },
        {"text.worst_nps_theme_nps_gap": -19.0},
    ),
    "comment_close_loop": (
        {"text.comments": 268, "text.negative_share": 0.39, "text.ultra_detractor_comments": 13},
        {"text.negative_share": 0.24},
    ),
}

RULE_IDS = [r.id for r in BUILTIN_RULES]
RULES = {r.id: r for r in BUILTIN_RULES}


#: the areas issue 7 lists -> the built-in rules that cover them
AREAS: dict[str, set[str]] = {
    "handoffs": {"handoff_owner_sla", "handoff_first_time_right", "handoff_pingpong", "handoff_rework"},
    "chasers": {"chasers_status_updates"},
    "self-service": {"selfservice_fix"},
    "contradictory answers": {"contradictory_knowledge_base"},
    "survey practice: hot / cold": {"survey_add_cold", "survey_add_hot", "survey_repeat_barometer"},
    "survey practice: pressure": {"survey_pressure", "survey_stopped_answering"},
    "survey practice: response rate": {"survey_cold_response_rate"},
    "survey practice: ultra-detractor call-backs": {"ultra_detractor_callback", "ultra_detractor_triage"},
    "indicators": {"indicators_choose", "barometer_drop_group", "cx_sponsorship"},
    "segments: premium": {"segment_premium_service"},
    "segments: potential": {"segment_potential_development"},
    "segments: dilemma": {"segment_dilemma_decision", "segment_dilemma_winback"},
    "culture gaps": {"culture_self_vs_others", "culture_harsh_rater", "culture_pillar_spread"},
    "training per department": {"training_listening", "training_lowest_department"},
    "front-line empowerment": {"frontline_empowerment", "authorisation_delegation"},
    "CX ownership": {"cx_owner"},
    "comments": {"comment_theme_action", "comment_theme_nps", "comment_close_loop"},
}


@pytest.mark.parametrize("area", sorted(AREAS))
def test_every_area_of_the_issue_has_rules(area):
    assert AREAS[area] <= set(RULE_IDS), f"{area}: missing {sorted(AREAS[area] - set(RULE_IDS))}"


def test_playbook_size_and_coverage():
    assert len(BUILTIN_RULES) >= 20
    assert len(set(RULE_IDS)) == len(RULE_IDS)
    topics = {r.topic for r in BUILTIN_RULES}
    needed = {"handoffs", "chasers", "self_service", "contradictory", "survey", "indicators"}
    needed |= {"segments", "culture", "training", "empowerment", "ownership"}
    assert needed <= topics
    assert set(LEVERS) <= {r.lever for r in BUILTIN_RULES}
    assert set(CASES) == set(RULE_IDS), "every rule needs a trigger case in this test"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_triggers_with_minimal_findings(rule_id):
    rule = RULES[rule_id]
    minimal, _ = CASES[rule_id]
    assert set(minimal) == set(rule.needs), "the case holds exactly the keys the rule needs"
    findings = Findings(minimal)
    recs = evaluate(findings, [rule], as_of=dt.date(2026, 10, 31))
    assert [r.id for r in recs] == [rule_id]
    rec = recs[0]
    assert 1 <= rec.priority <= 25
    assert rec.priority == pytest.approx(rec.impact * rec.urgency, abs=0.06)
    # every placeholder was filled with the formatted figure, in both languages
    for lang in ("it", "en"):
        for text in (rec.title.get(lang), rec.evidence.get(lang), rec.action.get(lang)):
            assert "{" not in text and "}" not in text
        for key in rule.evidence.placeholders():
            assert findings.format(key, lang) in rec.evidence.get(lang)
    assert "{" not in rec.owner
    assert rec.due.startswith("2027-") or rec.due.startswith("2026-")


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_silent_below_threshold(rule_id):
    rule = RULES[rule_id]
    minimal, below = CASES[rule_id]
    assert evaluate(Findings({**minimal, **below}), [rule]) == []


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_skipped_without_its_findings(rule_id):
    rule = RULES[rule_id]
    minimal, _ = CASES[rule_id]
    dropped = rule.needs[0]
    findings = Findings(minimal).without(dropped)
    assert evaluate(findings, [rule]) == []
    status = rule_status(findings, [rule])
    assert status.loc[0, "state"] == "skipped" and dropped in status.loc[0, "missing"]


def test_evidence_is_locale_formatted():
    minimal, _ = CASES["selfservice_fix"]
    (rec,) = evaluate(Findings({**minimal, "selfservice.cases": 1240}), [RULES["selfservice_fix"]])
    assert rec.evidence.en.startswith("60% of the 1,240 self-service attempts")
    assert rec.evidence.it.endswith("stesso caso: 60% su 1.240.")  # CLDR Italian: no space
    assert rec.owner == "Web Portal"


def test_culture_pillar_is_translated():
    minimal, _ = CASES["culture_pillar_spread"]
    (rec,) = evaluate(Findings(minimal), [RULES["culture_pillar_spread"]])
    assert "Clear roles and responsibilities" in rec.evidence.en
    assert "Ruoli e responsabilità chiari" in rec.evidence.it
    assert "1.6 points" in rec.evidence.en and "1,6 punti" in rec.evidence.it


def test_priority_grows_with_the_figures():
    rule = RULES["handoff_pingpong"]
    minimal, _ = CASES["handoff_pingpong"]
    low = evaluate(Findings({**minimal, "handoff.pingpong_rate": 0.2}), [rule])[0]
    high = evaluate(Findings({**minimal, "handoff.pingpong_rate": 0.6}), [rule])[0]
    # impact: 0.1 -> 1, 0.6 -> 5 (linear), urgency 4
    assert low.impact == pytest.approx(1.8) and low.priority == pytest.approx(7.2)
    assert high.impact == pytest.approx(5.0) and high.priority == pytest.approx(20.0)
    # volume weighs in: the same bounce rate on 0.2 % of all cases (urgency 1) is priority 5, not 20
    few = {**minimal, "handoff.pingpong_rate": 0.6, "handoff.pingpong_case_share": 0.002}
    (rec,) = evaluate(Findings(few), [rule])
    assert rec.urgency == pytest.approx(1.0) and rec.priority == pytest.approx(5.0)


def test_scale_clamps_and_reverses():
    s = Scale("culture.empowerment_score", 3.5, 1.5)  # lower score = worse
    assert s.score({"culture.empowerment_score": 4.0}) == 1.0
    assert s.score({"culture.empowerment_score": 2.5}) == pytest.approx(3.0)
    assert s.score({"culture.empowerment_score": 1.0}) == 5.0


def test_quarters():
    assert quarter_label(dt.date(2026, 10, 31)) == "2026-Q4"
    assert quarter_label(dt.date(2026, 10, 31), 1) == "2027-Q1"
    assert quarter_label(dt.date(2026, 2, 1), 3) == "2026-Q4"
    assert due_quarter(20, dt.date(2026, 10, 31)) == "2027-Q1"
    assert due_quarter(10, dt.date(2026, 10, 31)) == "2027-Q2"
    assert due_quarter(3, dt.date(2026, 10, 31)) == "2027-Q3"


def test_ordering_by_priority():
    findings = Findings({**CASES["survey_add_cold"][0], **CASES["ultra_detractor_callback"][0]})
    recs = evaluate(findings, [RULES["survey_add_cold"], RULES["ultra_detractor_callback"]])
    assert [r.id for r in recs] == ["ultra_detractor_callback", "survey_add_cold"]
    assert recs[0].priority > recs[1].priority


def _rule(**changes) -> Rule:
    base = dict(
        id="x_rule",
        topic="custom",
        lever="knowledge",
        needs=("chasers.cases",),
        when=(Condition("chasers.cases", ">=", 1),),
        title=Text(it="t", en="t"),
        evidence=Text(it="{chasers.cases} casi", en="{chasers.cases} cases"),
        action=Text(it="a", en="a"),
        owner="Customer Service",
        effort="low",
        impact=3,
        urgency=3,
    )
    return Rule(**{**base, **changes})


@pytest.mark.parametrize(
    "changes, column",
    [
        ({"id": "Bad Id"}, "id"),
        ({"when": (Condition("chasers.share_of_cases", ">=", 0.1),)}, "when"),
        ({"when": ()}, "when"),
        ({"evidence": Text(it="{chasers.department}", en="x")}, "evidence"),
        ({"title": Text(it="", en="x")}, "title"),
        ({"owner": "{chasers.department}"}, "owner"),
        ({"effort": "huge"}, "effort"),
        ({"impact": 7}, "impact"),
        ({"urgency": Scale("chasers.share_of_cases", 0, 1)}, "urgency"),
        ({"impact": Scale("chasers.cases", 1, 1)}, "impact"),
        ({"needs": ("nodots",), "when": ()}, "needs"),
    ],
)
def test_malformed_rules_are_refused(changes, column):
    with pytest.raises(RuleError) as err:
        _rule(**changes)
    assert err.value.column == column
    assert "rule 'x_rule'" in str(err.value) or "rule 'Bad Id'" in str(err.value)


def test_string_and_bool_conditions():
    assert Condition("a.b", "==", "Credit").holds({"a.b": "Credit"})
    assert not Condition("a.b", ">", "Credit").holds({"a.b": "Credit"})
    assert Condition("a.b", "==", False).holds({"a.b": False})
    assert not Condition("a.b", "==", False).holds({"a.b": True})
