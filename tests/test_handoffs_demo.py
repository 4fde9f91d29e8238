"""The planted findings of the demo client (docs/demo_client.md) come out on top."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cxlab import handoffs as h
from cxlab import journey as j

demo = pytest.importorskip("cxlab.demo")
io = pytest.importorskip("cxlab.intake")


@pytest.fixture(scope="module")
def client(demo_client_dir_full):
    folder = demo_client_dir_full
    c = io.load_client(folder)
    planted = json.loads((folder / "planted.json").read_text(encoding="utf-8"))
    return c, planted


@pytest.fixture(scope="module")
def analysis(client):
    c, planted = client
    s = c.config.activities
    events = h.prepare_events(c.events, s)
    cases = h.case_metrics(events, s)
    linked = h.link_satisfaction(cases, c.survey_responses, s)
    return {"s": s, "events": events, "cases": cases, "linked": linked, "planted": planted, "client": c}


def recall_precision(found: set, planted: set) -> tuple[float, float]:
    hit = len(found & planted)
    return hit / len(planted), hit / max(len(found), 1)


def test_sales_to_logistics_is_the_worst_handoff(analysis):
    a = analysis
    matrix = h.handoff_matrix(a["events"], a["s"])
    pairs = h.satisfaction_by_pair(a["linked"], a["events"], a["s"])
    worst = h.worst_handoffs(matrix, pairs, top=3)
    expected = a["planted"]["worst_handoff"]
    assert expected == ["Sales", "Logistics"]
    for ranking in ("waiting_time", "satisfaction"):
        top = worst[(worst["ranking"] == ranking) & (worst["rank"] == 1)].iloc[0]
        assert [top["from_department"], top["to_department"]] == expected, ranking
    row = pairs[(pairs["from_department"] == "Sales") & (pairs["to_department"] == "Logistics")].iloc[0]
    assert row["significant"] and row["gap_low"] > 30  # these customers score far lower


def test_address_loss_cases_are_the_logistics_sales_bounces(analysis):
    a = analysis
    ho = h.handoffs(a["events"], a["s"])
    bounced = ho[(ho["from_department"] == "Logistics") & (ho["to_department"] == "Sales") & ho["bounced"]]
    recall, precision = recall_precision(set(bounced["case_id"]), set(a["planted"]["address_loss_cases"]))
    assert recall >= 0.95 and precision >= 0.95


def test_customer_service_credit_is_the_top_ping_pong(analysis):
    a = analysis
    pp = h.ping_pong_pairs(a["events"], a["s"])
    top = pp.iloc[0]
    assert {top["department_a"], top["department_b"]} == set(a["planted"]["pingpong"]["dispute"])
    assert top["repeat_rate"] > 0.6  # most disputes go CS→Credit→CS→Credit
    second = pp.iloc[1]
    assert {second["department_a"], second["department_b"]} == set(a["planted"]["pingpong"]["order"])


def test_toxic_dynamics_recover_the_planted_cases(analysis):
    a = analysis
    flags = h.case_flags(a["events"], a["s"])
    planted = a["planted"]
    for flag, key in (
        ("tortuous_flow", "self_service_failure_cases"),
        ("slow_internal_communication", "dispute_pingpong_cases"),
        ("contradictory_answers", "contradictory_cases"),
    ):
        found = set(flags.loc[flags[flag], "case_id"])
        recall, precision = recall_precision(found, set(planted[key]))
        assert recall >= 0.95 and precision >= 0.95, (flag, recall, precision)
    tox = h.toxic_dynamics(a["events"], a["linked"], a["s"]).set_index("finding")
    assert (tox["gap_low"] > 0).all()  # each dynamic costs NPS, significantly
    # self-service that ends in a call: most self-service address changes fail into a call
    assert tox.loc["tortuous_flow", "share_of_base"] > 0.6
    assert tox.loc["slow_internal_communication", "extra_chasers"] > 1


def test_satisfaction_falls_with_handoffs(analysis):
    a = analysis
    slope = h.nps_per_extra_handoff(a["linked"]).set_index("metric").loc["nps"]
    assert slope["slope_high"] < 0
    buckets = h.satisfaction_by_handoffs(a["linked"])
    first, last = buckets.iloc[0], buckets.iloc[-1]
    assert last["bucket"] == "5+" and last["nps_high"] < first["nps_low"]


def test_customers_chase_while_credit_holds_the_case(analysis):
    events = analysis["events"]
    # the chaser calls are taken by the front office ...
    by_dept = events.loc[events["is_chaser"], "department"].astype(str).value_counts()
    assert by_dept.index[0] == "Customer Service"
    # ... while the case waits in Credit (authorisation), then in Logistics (address lost)
    holders = h.chaser_holders(events, analysis["s"])
    assert holders["department"].tolist()[:2] == ["Credit", "Logistics"]
    assert holders["cases"].iloc[0] == pytest.approx(
        len(analysis["planted"]["dispute_pingpong_cases"]), rel=0.05
    )
    tox = h.toxic_dynamics(events, analysis["linked"], analysis["s"]).set_index("finding")
    assert tox.loc["slow_internal_communication", "department"] == "Credit"
    assert tox.loc["tortuous_flow", "department"] == "Web Portal"


def test_journey_map_and_arrival(analysis):
    a = analysis
    stages = j.journey_map(a["events"], a["linked"], a["s"]).set_index("stage")
    order = stages["order"]
    assert order["Sales"] < order["Warehouse"] < order["Logistics"]
    assert order["Customer Service"] < order["Credit"] < order["Billing"]
    # the emotional line dips at Credit: disputes are where customers are least happy
    assert stages["emotion"].idxmin() == "Credit"
    channels = j.arrival_channels(a["cases"], a["linked"])
    assert set(channels["channel"]) == {"email", "phone", "web"}
    assert channels["share"].sum() == pytest.approx(1.0)
    assert np.isfinite(channels["nps"]).all()
