"""The built-in playbook: the levers of DESIGN §2 as evidence-triggered rules, written as data.

Registered like any third-party playbook through the ``cxlab.rules`` entry point (see pyproject.toml:
``builtin = "cxlab.recommend.playbook:builtin_rules"``). Thresholds are the consultant's rules of thumb;
a consultancy that disagrees ships its own package or overrides the output in ``recommendations.yaml``.

The sentences are English gettext msgids; their translations live in ``cxlab/locale/<lang>/LC_MESSAGES/
playbook.po``.

Priority scales were chosen so that a concrete, measured failure between departments (a handoff, a
ping-pong, chasers, a significant barometer drop) outranks a general culture or organisation lever.
"""

from __future__ import annotations

from ..i18n import gettext, ngettext
from .rules import Condition as C
from .rules import PluralText, Rule, Text
from .rules import Scale as S


def T(english: str) -> Text:
    """A rule sentence from its English msgid; the Italian comes from ``locale/it/.../playbook.po``.

    :class:`~cxlab.recommend.rules.Text` stores the two languages of ``recommendations.yaml`` (a
    consultant's re-wording is saved per language), so both are filled in here from the catalogs."""
    return Text(it=gettext("it", english), en=english)


def TP(english: str, english_plural: str, count: str) -> PluralText:
    """A rule sentence that counts the figure ``count``: its English singular and plural msgids, the form
    chosen per language by the count (``ngettext``; the Italian forms in ``playbook.po``)."""
    return PluralText(
        it=ngettext("it", english, english_plural, 1), en=english, plural=english_plural, count=count
    )


BUILTIN_RULES: tuple[Rule, ...] = (
    # ---------------------------------------------------------------------------------------- handoffs
    Rule(
        id="handoff_owner_sla",
        topic="handoffs",
        lever="handoff_owner",
        needs=(
            "handoff.worst_pair",
            "handoff.worst_pair_from",
            "handoff.worst_pair_to",
            "handoff.worst_pair_wait_h",
            "handoff.worst_pair_wait_share",
        ),
        when=(C("handoff.worst_pair_wait_share", ">=", 0.2), C("handoff.worst_pair_wait_h", ">=", 4)),
        title=T("Give the {handoff.worst_pair} handoff an owner and a service level"),
        evidence=T(
            "{handoff.worst_pair} is the worst handoff: {handoff.worst_pair_wait_share} of all waiting "
            "time between departments is spent there, with a median wait of {handoff.worst_pair_wait_h}."
        ),
        action=T(
            "Name one owner for the handoff from {handoff.worst_pair_from} to {handoff.worst_pair_to} and "
            "agree a service level for it: what is passed on, complete, and by when; review it monthly."
        ),
        owner="{handoff.worst_pair_from}",
        effort="medium",
        impact=S("handoff.worst_pair_wait_share", 0.05, 0.3),
        urgency=S("handoff.worst_pair_wait_h", 4, 72),
    ),
    Rule(
        id="handoff_first_time_right",
        topic="handoffs",
        lever="internal_customer",
        needs=(
            "handoff.worst_pair",
            "handoff.worst_pair_from",
            "handoff.worst_pair_to",
            "handoff.worst_pair_nps_gap",
        ),
        when=(C("handoff.worst_pair_nps_gap", "<=", -10),),
        title=T("Complete information at the source: {handoff.worst_pair} costs satisfaction"),
        evidence=T(
            "The NPS gap between the cases that cross {handoff.worst_pair} and the other cases is "
            "{handoff.worst_pair_nps_gap} points."
        ),
        action=T(
            "Introduce at {handoff.worst_pair_from} a checklist of mandatory data (e.g. a verified "
            "delivery address) before the case passes to {handoff.worst_pair_to}, and tell the customer "
            "when the case is held up."
        ),
        owner="{handoff.worst_pair_from}",
        effort="low",
        impact=S("handoff.worst_pair_nps_gap", -5, -40),
        # volume: the share of all cases crossing the pair (a gap on a handful of cases is not urgent)
        urgency=S("handoff.worst_pair_case_share", 0.005, 0.08, default=4),
    ),
    Rule(
        id="handoff_pingpong",
        topic="handoffs",
        lever="internal_customer",
        needs=("handoff.pingpong_pair", "handoff.pingpong_rate", "handoff.pingpong_cases"),
        when=(C("handoff.pingpong_rate", ">=", 0.15), C("handoff.pingpong_cases", ">=", 10)),
        title=T("Stop the ping-pong between {handoff.pingpong_pair}"),
        evidence=T(
            "{handoff.pingpong_rate} of the cases that cross {handoff.pingpong_pair} bounce back and "
            "forth ({handoff.pingpong_cases} cases)."
        ),
        action=T(
            "Agree between the two departments a checklist of what each needs from the other (a message "
            "template) so that a case crosses once; measure the bounce rate monthly."
        ),
        owner="{handoff.pingpong_pair}",
        effort="low",
        impact=S("handoff.pingpong_rate", 0.1, 0.6),
        # volume: the share of all cases that bounce between the pair (26 cases of thousands is not urgent)
        urgency=S("handoff.pingpong_case_share", 0.002, 0.04, default=4),
    ),
    Rule(
        id="handoff_pingpong_second",
        topic="handoffs",
        lever="internal_customer",
        needs=("handoff.pingpong2_pair", "handoff.pingpong2_rate", "handoff.pingpong2_cases"),
        when=(C("handoff.pingpong2_rate", ">=", 0.15), C("handoff.pingpong2_cases", ">=", 10)),
        title=T("Also stop the ping-pong between {handoff.pingpong2_pair}"),
        evidence=T(
            "{handoff.pingpong2_rate} of the cases that cross {handoff.pingpong2_pair} bounce back and "
            "forth ({handoff.pingpong2_cases} cases)."
        ),
        action=T(
            "The same cure as the first ping-pong: a shared checklist of the information needed and one "
            "owner of the case until the customer has the answer."
        ),
        owner="{handoff.pingpong2_pair}",
        effort="low",
        impact=S("handoff.pingpong2_rate", 0.1, 0.6),
        urgency=S("handoff.pingpong2_case_share", 0.002, 0.05, default=3.5),
    ),
    Rule(
        id="handoff_rework",
        topic="handoffs",
        lever="handoff_owner",
        needs=("handoff.rework_share", "handoff.mean_breadth"),
        when=(C("handoff.rework_share", ">=", 0.2),),
        title=T("First time right: cut rework"),
        evidence=T(
            "{handoff.rework_share} of cases go back to a department they already visited; a case touches "
            "{handoff.mean_breadth} departments on average."
        ),
        action=T(
            "Map the three most frequent rework loops with the departments involved and remove their "
            "causes (missing information, unclear ownership)."
        ),
        owner="CX manager",
        effort="medium",
        impact=S("handoff.rework_share", 0.1, 0.5),
        urgency=2.5,
    ),
    Rule(
        id="authorisation_delegation",
        topic="handoffs",
        lever="empowerment",
        needs=(
            "authorisation.department",
            "authorisation.cases",
            "authorisation.wait_h",
            "authorisation.chaser_share",
        ),
        when=(C("authorisation.wait_h", ">=", 8), C("authorisation.cases", ">=", 10)),
        when_any=(C("authorisation.chaser_share", ">=", 0.2),),
        title=T("Delegate {authorisation.department}'s small authorisations to the front line"),
        evidence=T(
            "Cases waiting for an authorisation from {authorisation.department} wait "
            "{authorisation.wait_h} (median, {authorisation.cases} cases); in "
            "{authorisation.chaser_share} of them the customer chased while waiting."
        ),
        action=T(
            "Let front-line staff authorise small amounts themselves within a threshold set by "
            "{authorisation.department} (credit notes, goodwill gestures) and give "
            "{authorisation.department} a service level for the rest."
        ),
        owner="{authorisation.department}",
        effort="medium",
        impact=S("authorisation.chaser_share", 0.1, 0.7),
        urgency=S("authorisation.wait_h", 8, 96),
    ),
    # ----------------------------------------------------------------------------------------- chasers
    Rule(
        id="chasers_status_updates",
        topic="chasers",
        lever="knowledge",
        needs=("chasers.cases", "chasers.share_of_cases", "chasers.department"),
        when=(C("chasers.share_of_cases", ">=", 0.05), C("chasers.cases", ">=", 10)),
        title=T("Tell customers where their case stands before they chase"),
        evidence=T(
            "In {chasers.cases} cases ({chasers.share_of_cases} of all) the customer had to chase an "
            "answer, most often while the case sat with {chasers.department}."
        ),
        action=T(
            "Send an automatic status update when a case changes department or waits more than a day, and "
            "give each open case a named contact who calls the customer back."
        ),
        owner="Customer Service",
        effort="medium",
        impact=S("chasers.share_of_cases", 0.03, 0.3),
        urgency=4,
    ),
    # ------------------------------------------------------------------------------------ self-service
    Rule(
        id="selfservice_fix",
        topic="self_service",
        lever="self_service",
        needs=("selfservice.cases", "selfservice.failure_to_call_share", "selfservice.department"),
        when=(C("selfservice.failure_to_call_share", ">=", 0.25), C("selfservice.cases", ">=", 10)),
        title=T("Make self-service work end to end"),
        evidence=T(
            "{selfservice.failure_to_call_share} of the {selfservice.cases} self-service attempts ended "
            "in a call or another assisted contact on the same case."
        ),
        action=T(
            "Fix the self-service flow that fails most (test it with customers), publish a searchable "
            "knowledge base, and never ask a customer who already tried online to fill in a form again."
        ),
        owner="{selfservice.department}",
        effort="high",
        impact=S("selfservice.failure_to_call_share", 0.2, 0.7),
        urgency=3.5,
    ),
    # ----------------------------------------------------------------------------------- contradictory
    Rule(
        id="contradictory_knowledge_base",
        topic="contradictory",
        lever="knowledge",
        needs=("contradictory.cases", "contradictory.share"),
        when=(C("contradictory.share", ">=", 0.02), C("contradictory.cases", ">=", 5)),
        title=T("One answer per question: a shared knowledge base and message templates"),
        evidence=T(
            "{contradictory.cases} cases ({contradictory.share} of all) received different answers from "
            "different colleagues and were reopened."
        ),
        action=T(
            "Build a shared knowledge base of approved answers and message templates for recurring "
            "questions, used by every department that talks to customers; the case owner checks the "
            "answer before it goes out."
        ),
        owner="Customer Service",
        effort="medium",
        impact=S("contradictory.share", 0.01, 0.1),
        urgency=4,
    ),
    # ---------------------------------------------------------------------------------- survey practice
    Rule(
        id="survey_add_cold",
        topic="survey",
        lever="hot_cold",
        needs=("survey.has_cold",),
        when=(C("survey.has_cold", "==", False),),
        title=T("Measure the relationship cold: a barometer every six months"),
        evidence=T("There is no cold (relational) survey in the data: only interactions are measured."),
        action=T(
            "Run a cold barometer every six months with identical questions (NPS, CSAT, CES, CXi), expect "
            "a 15–25% response rate, and compare the waves."
        ),
        owner="CX manager",
        effort="medium",
        impact=3,
        urgency=3,
    ),
    Rule(
        id="survey_add_hot",
        topic="survey",
        lever="hot_cold",
        needs=("survey.has_hot",),
        when=(C("survey.has_hot", "==", False),),
        title=T("Measure hot after the key interactions"),
        evidence=T(
            "There is no hot (transactional) survey in the data: customers unhappy with an interaction "
            "are not caught."
        ),
        action=T(
            "Send a short survey right after a delivery, a call and a closed case, and call back the "
            "unhappy ones at once."
        ),
        owner="CX manager",
        effort="medium",
        impact=3,
        urgency=3,
    ),
    Rule(
        id="survey_repeat_barometer",
        topic="survey",
        lever="hot_cold",
        needs=("survey.cold_waves",),
        when=(C("survey.cold_waves", "==", 1),),
        title=T("Repeat the barometer with the same questions"),
        evidence=T(
            "There is a single cold wave: without a second one nobody can tell whether the relationship "
            "improves."
        ),
        action=T("Schedule the next wave six months after the first, with identical questions and scales."),
        owner="CX manager",
        effort="low",
        impact=2,
        urgency=2.5,
    ),
    Rule(
        id="survey_cold_response_rate",
        topic="survey",
        lever="hot_cold",
        needs=("survey.response_rate_cold",),
        when=(C("survey.response_rate_cold", "<", 0.15),),
        title=T("Raise the barometer's response rate"),
        evidence=T("The cold response rate is {survey.response_rate_cold}, below the usual 15–25%."),
        action=T(
            "Shorten the survey, personalise the invitation (a sender the customer knows), send one "
            "reminder, and say what changed since the last wave."
        ),
        owner="CX manager",
        effort="low",
        impact=S("survey.response_rate_cold", 0.15, 0.03),
        urgency=2.5,
    ),
    Rule(
        id="survey_pressure",
        topic="survey",
        lever="hot_cold",
        needs=(
            "survey.over_surveyed_customers",
            "survey.over_surveyed_share",
            "survey.response_rate_low_pressure",
            "survey.response_rate_high_pressure",
        ),
        when=(C("survey.over_surveyed_share", ">=", 0.02), C("survey.over_surveyed_customers", ">=", 5)),
        title=T("A contact rule against survey pressure"),
        evidence=T(
            "{survey.over_surveyed_customers} customers ({survey.over_surveyed_share} of those invited) "
            "received more invitations than the threshold in 90 days; the response rate falls from "
            "{survey.response_rate_low_pressure} at the lowest pressure to "
            "{survey.response_rate_high_pressure} at the highest."
        ),
        action=T(
            "Set a contact rule: at most one hot invitation per customer every 30 days, a quiet period "
            "before each barometer wave, no invitation while a case is open."
        ),
        owner="CX manager",
        effort="low",
        impact=S("survey.over_surveyed_share", 0.01, 0.1),
        urgency=3.5,
    ),
    Rule(
        id="survey_stopped_answering",
        topic="survey",
        lever="hot_cold",
        needs=("survey.stopped_answering",),
        when=(C("survey.stopped_answering", ">=", 5),),
        title=T("Silence is a signal: call the customers who stopped answering"),
        evidence=T(
            "{survey.stopped_answering} customers answered an earlier barometer wave but not the latest."
        ),
        action=T("Have the account owner call these customers, starting with the highest-value ones."),
        owner="Sales",
        effort="low",
        impact=S("survey.stopped_answering", 5, 100),
        urgency=3,
    ),
    Rule(
        id="ultra_detractor_callback",
        topic="survey",
        lever="hot_cold",
        needs=("survey.ultra_detractors", "survey.ultra_detractors_uncalled"),
        when=(C("survey.ultra_detractors_uncalled", ">=", 1),),
        title=T("Call back every ultra-detractor within 48 hours"),
        evidence=T(
            "{survey.ultra_detractors_uncalled} of the {survey.ultra_detractors} ultra-detractors (NPS "
            "0–1) were not contacted within the target time."
        ),
        action=T(
            "Call back every ultra-detractor within 48 hours (the list in the indicators section, most "
            "recent first), record the cause and close the loop; report the call-back rate monthly."
        ),
        owner="Customer Service",
        effort="low",
        impact=S("survey.ultra_detractors_uncalled", 1, 50),
        urgency=5,
    ),
    Rule(
        id="ultra_detractor_triage",
        topic="survey",
        lever="hot_cold",
        needs=("survey.ultra_detractors", "survey.followup_tracked"),
        when=(C("survey.ultra_detractors", ">=", 1), C("survey.followup_tracked", "==", False)),
        title=T("Organise and record call-backs to ultra-detractors"),
        evidence=T(
            "{survey.ultra_detractors} ultra-detractors (NPS 0–1) answered, and the data does not show "
            "whether anyone called them back."
        ),
        action=T(
            "Set up a call-back routine within 48 hours of the answer and record the date and outcome of "
            "each contact, so that the closed loop can be measured."
        ),
        owner="Customer Service",
        effort="low",
        impact=S("survey.ultra_detractors", 1, 50),
        urgency=4,
    ),
    Rule(
        id="ultra_promoter_testimonials",
        topic="survey",
        lever="hot_cold",
        needs=("survey.ultra_promoters",),
        when=(C("survey.ultra_promoters", ">=", 10),),
        title=T("Ask ultra-promoters for testimonials"),
        evidence=T("{survey.ultra_promoters} customers gave 9 or 10: they are ready to recommend you."),
        action=T("Ask them for a testimonial or a referral within two weeks of their answer."),
        owner="Marketing",
        effort="low",
        impact=2,
        urgency=1.5,
    ),
    # --------------------------------------------------------------------------------------- indicators
    Rule(
        id="barometer_drop_group",
        topic="indicators",
        lever="hot_cold",
        needs=(
            "nps.barometer_drop_group",
            "nps.barometer_drop_points",
            "nps.barometer_drop_significant",
        ),
        when=(
            C("nps.barometer_drop_significant", "==", True),
            C("nps.barometer_drop_points", "<=", -10),
        ),
        title=T("Find out why {nps.barometer_drop_group} customers are turning away"),
        evidence=T(
            "Between the last two barometer waves the NPS of {nps.barometer_drop_group} customers changed "
            "by {nps.barometer_drop_points} points: a significant drop, the largest of any group."
        ),
        action=T(
            "Call a sample of {nps.barometer_drop_group} detractors within a month, find the cause with "
            "Sales and the departments involved, and track this group in the next wave."
        ),
        owner="Sales",
        effort="medium",
        impact=S("nps.barometer_drop_points", -5, -30),
        urgency=5,
    ),
    Rule(
        id="cx_sponsorship",
        topic="indicators",
        lever="sponsorship",
        needs=("nps.barometer_change",),
        when=(C("nps.barometer_change", "<=", -3),),
        title=T("CX indicators on the management agenda, like revenue"),
        evidence=T(
            "Overall NPS changed by {nps.barometer_change} points between the last two barometer waves."
        ),
        action=T(
            "Put NPS, CES and the handoff service levels on the management dashboard next to revenue, "
            "reviewed monthly, with a named owner for each indicator."
        ),
        owner="Management",
        effort="low",
        impact=S("nps.barometer_change", 0, -15),
        urgency=2.5,
    ),
    Rule(
        id="indicators_choose",
        topic="indicators",
        lever="indicators",
        needs=("indicators.measured", "indicators.missing"),
        when=(C("indicators.measured", "<=", 2),),
        title=T("Choose the right indicators"),
        evidence=T("Indicators with data: {indicators.measured} of four; missing: {indicators.missing}."),
        action=T(
            "Add CES after service contacts (effort), CSAT after deliveries, keep NPS for the "
            "relationship; use the same scales in every wave."
        ),
        owner="CX manager",
        effort="low",
        impact=2.5,
        urgency=2,
    ),
    # ---------------------------------------------------------------------------------------- segments
    Rule(
        id="segment_premium_service",
        topic="segments",
        lever="service_levels",
        needs=(
            "segments.premium_customers",
            "segments.premium_share",
            "segments.premium_value_share",
        ),
        when=(C("segments.premium_value_share", ">=", 0.3), C("segments.premium_customers", ">=", 1)),
        title=T("A dedicated service level for premium customers"),
        evidence=TP(
            "{segments.premium_customers} premium customer ({segments.premium_share} of customers) brings "
            "{segments.premium_value_share} of current value.",
            "{segments.premium_customers} premium customers ({segments.premium_share} of customers) bring "
            "{segments.premium_value_share} of current value.",
            "segments.premium_customers",
        ),
        action=T(
            "Give premium customers a named account contact, priority in the queues and a proactive "
            "review twice a year; measure their NPS separately."
        ),
        owner="Sales",
        effort="medium",
        impact=S("segments.premium_value_share", 0.3, 0.8),
        urgency=2.5,
    ),
    Rule(
        id="segment_potential_development",
        topic="segments",
        lever="service_levels",
        needs=("segments.potential_customers", "segments.potential_share"),
        when=(C("segments.potential_customers", ">=", 5),),
        title=T("A development plan for potential customers"),
        evidence=T(
            "{segments.potential_customers} customers ({segments.potential_share}) are 'potential': low "
            "value today, high predicted value."
        ),
        action=T(
            "Give potential customers a sales contact, offers matched to their growing purchases and a "
            "welcome call after their first orders."
        ),
        owner="Sales",
        effort="medium",
        impact=S("segments.potential_share", 0.01, 0.1),
        urgency=2.5,
    ),
    Rule(
        id="segment_dilemma_decision",
        topic="segments",
        lever="service_levels",
        needs=(
            "segments.dilemma_customers",
            "segments.dilemma_value_share",
            "segments.dilemma_future_ratio",
        ),
        when=(C("segments.dilemma_customers", ">=", 5), C("segments.dilemma_future_ratio", "<", 1)),
        title=T("Decide whether and how to invest in dilemma customers"),
        evidence=T(
            "{segments.dilemma_customers} 'dilemma' customers bring {segments.dilemma_value_share} of "
            "current value; their predicted value for the coming period is {segments.dilemma_future_ratio} "
            "times their current value."
        ),
        action=T(
            "Decide customer by customer: a win-back call by the account owner for those worth keeping, a "
            "lighter service level for the rest."
        ),
        owner="Sales",
        effort="low",
        impact=S("segments.dilemma_value_share", 0.02, 0.2),
        urgency=3,
    ),
    Rule(
        id="segment_dilemma_winback",
        topic="segments",
        lever="service_levels",
        needs=(
            "segments.dilemma_customers",
            "segments.dilemma_silent_share",
            "segments.dilemma_prob_alive",
        ),
        when=(C("segments.dilemma_customers", ">=", 5), C("segments.dilemma_silent_share", ">=", 0.5)),
        title=T("Win back the dilemma customers who have gone silent"),
        evidence=T(
            "{segments.dilemma_silent_share} of the {segments.dilemma_customers} 'dilemma' customers have "
            "probably stopped buying: their median probability of still being active is "
            "{segments.dilemma_prob_alive}."
        ),
        action=T(
            "Call the silent dilemma customers worth keeping within two weeks to learn why they stopped; a "
            "recovery offer for those who answer, a lighter service level for the others."
        ),
        owner="Sales",
        effort="low",
        impact=S("segments.dilemma_silent_share", 0.5, 1.0),
        urgency=3.5,
    ),
    # ----------------------------------------------------------------------------------------- culture
    Rule(
        id="culture_self_vs_others",
        topic="culture",
        lever="internal_customer",
        needs=("culture.gap_department", "culture.gap_max", "culture.gap_self", "culture.gap_others"),
        when=(C("culture.gap_max", ">=", 0.8),),
        title=T("A mirror for {culture.gap_department}: how it sees itself and how others see it"),
        evidence=T(
            "{culture.gap_department} rates itself {culture.gap_self} out of 5, the other departments "
            "rate it {culture.gap_others}: a gap of {culture.gap_max} points."
        ),
        action=T(
            "Run a cross-department workshop where each department says what it needs from "
            "{culture.gap_department} and vice versa; agree three concrete changes and repeat the "
            "questionnaire in six months."
        ),
        owner="{culture.gap_department}",
        effort="low",
        impact=S("culture.gap_max", 0.5, 2.5),
        urgency=3,
    ),
    Rule(
        id="culture_harsh_rater",
        topic="culture",
        lever="internal_customer",
        needs=(
            "culture.harshest_rater",
            "culture.harshest_rater_self",
            "culture.harshest_rater_given",
            "culture.harshest_rater_gap",
        ),
        when=(C("culture.harshest_rater_gap", ">=", 1.2),),
        title=T("{culture.harshest_rater}: from 'us and them' to internal customers"),
        evidence=T(
            "{culture.harshest_rater} rates itself {culture.harshest_rater_self} out of 5 and the other "
            "departments {culture.harshest_rater_given}: the harshest view of the others."
        ),
        action=T(
            "Let {culture.harshest_rater} staff spend a day with the departments up- and downstream; each "
            "department names a contact for shared cases and they meet monthly."
        ),
        owner="{culture.harshest_rater}",
        effort="low",
        impact=S("culture.harshest_rater_gap", 1.0, 3.0),
        urgency=2.5,
    ),
    Rule(
        id="culture_pillar_spread",
        topic="culture",
        lever="cx_owner",
        needs=("culture.spread_pillar", "culture.spread_max"),
        when=(C("culture.spread_max", ">=", 1.0),),
        title=T("Bring departments together on '{culture.spread_pillar}'"),
        evidence=T(
            "On the pillar '{culture.spread_pillar}' the best and the worst department are "
            "{culture.spread_max} points apart out of 5."
        ),
        action=T(
            "Have a CX specialist moderate cross-functional sessions on this pillar; write down who does "
            "what in each customer request (a RACI matrix) and share it."
        ),
        owner="CX manager",
        effort="medium",
        impact=S("culture.spread_max", 0.8, 2.5),
        urgency=2.5,
    ),
    Rule(
        id="culture_information_passing",
        topic="culture",
        lever="internal_customer",
        needs=("culture.info_lowest_department", "culture.info_lowest_score"),
        when=(C("culture.info_lowest_score", "<=", 3.0),),
        title=T("Treat colleagues downstream as internal customers: {culture.info_lowest_department}"),
        evidence=T(
            "{culture.info_lowest_department} scores {culture.info_lowest_score} out of 5 on passing and "
            "receiving information between departments, the lowest of all."
        ),
        action=T(
            "Agree with {culture.info_lowest_department} and its neighbours what information each handoff "
            "must carry (a checklist or template) and let the receiving department rate each handoff."
        ),
        owner="{culture.info_lowest_department}",
        effort="low",
        impact=S("culture.info_lowest_score", 3.5, 1.5),
        urgency=3,
    ),
    Rule(
        id="training_listening",
        topic="training",
        lever="training",
        needs=("culture.listening_lowest_department", "culture.listening_lowest_score"),
        when=(C("culture.listening_lowest_score", "<=", 3.2),),
        title=T("Listening and empathy training for {culture.listening_lowest_department}"),
        evidence=T(
            "{culture.listening_lowest_department} rates itself {culture.listening_lowest_score} out of 5 "
            "on being trained to listen to and empathise with customers."
        ),
        action=T(
            "Role-specific training on listening and empathy for {culture.listening_lowest_department}, "
            "built on real cases from the comments; add listening skills to the hiring profile of "
            "customer-facing roles."
        ),
        owner="{culture.listening_lowest_department}",
        effort="medium",
        impact=S("culture.listening_lowest_score", 3.5, 1.5),
        urgency=2,
    ),
    Rule(
        id="training_lowest_department",
        topic="training",
        lever="training",
        needs=("culture.lowest_department", "culture.lowest_score", "culture.departments"),
        when=(C("culture.lowest_score", "<=", 3.0), C("culture.departments", ">=", 2)),
        title=T("A customer-culture programme for {culture.lowest_department}"),
        evidence=T(
            "Of the {culture.departments} departments in the workshop, {culture.lowest_department} has "
            "the lowest customer-culture score: {culture.lowest_score} out of 5 over the twelve questions."
        ),
        action=T(
            "A programme for {culture.lowest_department} personalised per role: what the customer "
            "experiences downstream of their work, a day shadowing the front line and one measurable "
            "habit per role; repeat the questionnaire in six months."
        ),
        owner="{culture.lowest_department}",
        effort="medium",
        impact=S("culture.lowest_score", 3.5, 1.5),
        urgency=2.5,
    ),
    Rule(
        id="frontline_empowerment",
        topic="empowerment",
        lever="empowerment",
        needs=("culture.empowerment_score",),
        when=(C("culture.empowerment_score", "<=", 3.0),),
        title=T("Empower the front line: a small goodwill budget"),
        evidence=T(
            "Departments rate the front line's freedom to settle small issues without escalation at "
            "{culture.empowerment_score} out of 5."
        ),
        action=T(
            "Give front-line staff a small goodwill budget and the authority to settle small disputes "
            "without escalation; review its use quarterly."
        ),
        owner="Management",
        effort="low",
        impact=S("culture.empowerment_score", 3.5, 1.5),
        urgency=2.5,
    ),
    Rule(
        id="cx_owner",
        topic="ownership",
        lever="cx_owner",
        needs=("culture.voice_of_customer_score", "culture.roles_clear_score"),
        when=(),
        when_any=(
            C("culture.voice_of_customer_score", "<=", 3.0),
            C("culture.roles_clear_score", "<=", 3.0),
        ),
        title=T("One accountable CX manager who carries the voice of the customer"),
        evidence=T(
            "Nobody clearly speaks for the customer in cross-department meetings "
            "({culture.voice_of_customer_score} out of 5) and ownership of requests is unclear "
            "({culture.roles_clear_score} out of 5)."
        ),
        action=T(
            "Appoint one accountable CX manager who carries the voice of the customer into every "
            "management meeting, owns the CX indicators and this action plan, and moderates "
            "cross-department work."
        ),
        owner="Management",
        effort="medium",
        impact=S("culture.voice_of_customer_score", 3.5, 1.5),
        urgency=2.5,
    ),
    # -------------------------------------------------------------------------------------------- text
    Rule(
        id="comment_theme_action",
        topic="text",
        lever="knowledge",
        needs=("text.top_negative_theme", "text.top_negative_theme_share", "text.negative_share"),
        when=(C("text.top_negative_theme_share", ">=", 0.2),),
        title=T("Act on the theme of the complaints: '{text.top_negative_theme}'"),
        evidence=T(
            "{text.top_negative_theme_share} of the negative comments are about "
            "'{text.top_negative_theme}'; {text.negative_share} of all comments are negative."
        ),
        action=T(
            "Read the representative comments with the departments involved, agree a cause and a target "
            "for the next wave."
        ),
        owner="CX manager",
        effort="low",
        impact=S("text.top_negative_theme_share", 0.15, 0.5),
        urgency=2.5,
    ),
    Rule(
        id="comment_theme_nps",
        topic="text",
        lever="cx_owner",
        needs=(
            "text.worst_nps_theme",
            "text.worst_nps_theme_nps",
            "text.worst_nps_theme_nps_gap",
            "text.worst_nps_theme_customers",
            "text.nps_all",
        ),
        when=(C("text.worst_nps_theme_nps_gap", "<=", -20), C("text.worst_nps_theme_customers", ">=", 10)),
        title=T("Customers who talk about '{text.worst_nps_theme}' do not recommend us"),
        evidence=T(
            "The {text.worst_nps_theme_customers} customers whose comments mention "
            "'{text.worst_nps_theme}' give an NPS of {text.worst_nps_theme_nps}, a gap of "
            "{text.worst_nps_theme_nps_gap} points against all answers (NPS {text.nps_all})."
        ),
        action=T(
            "Make '{text.worst_nps_theme}' an improvement project with a named owner and a target: read "
            "the comments with the departments involved, remove the most frequent cause first and measure "
            "these customers' NPS again at the next wave."
        ),
        owner="CX manager",
        effort="medium",
        impact=S("text.worst_nps_theme_nps_gap", -10, -60),
        urgency=3,
    ),
    Rule(
        id="comment_close_loop",
        topic="text",
        lever="hot_cold",
        needs=("text.comments", "text.negative_share", "text.ultra_detractor_comments"),
        when=(C("text.negative_share", ">=", 0.25), C("text.comments", ">=", 20)),
        title=T("Answer every negative comment, ultra-detractors first"),
        evidence=T(
            "{text.negative_share} of the {text.comments} customer comments are negative; "
            "{text.ultra_detractor_comments} were written by ultra-detractors (NPS 0–1)."
        ),
        action=T(
            "Reply personally to every negative comment within two working days, ultra-detractors first; "
            "tag each with its cause so that recurring themes reach the department that can fix them."
        ),
        owner="Customer Service",
        effort="low",
        impact=S("text.negative_share", 0.15, 0.5),
        urgency=3,
    ),
)


def builtin_rules() -> tuple[Rule, ...]:
    """The entry point of the built-in playbook (group ``cxlab.rules``)."""
    return BUILTIN_RULES
