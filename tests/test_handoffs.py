"""Handoff metrics on tiny hand-written logs (every value computed by hand in the comments)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlab import handoffs as h
from cxlab.config import ActivitySettings
from cxlab.errors import CxlabError, MissingColumnError
from cxlab.handoffs.core import pattern_mask
from cxlab.stats import nps_interval, wilson_interval

# File order is deliberately scrambled; c1 has a timestamp tie (Warehouse then Logistics at 12:00, kept in
# file order), c3 has a single event with no department.
ROWS = [
    # case, timestamp, activity, department, contact, channel, agent
    ("c2", "2026-01-05 09:00", "Inbound call", "Customer Service", True, "phone", "ann"),
    ("c1", "2026-01-01 10:00", "Quote sent", "Sales", False, None, "bob"),
    ("c1", "2026-01-01 08:00", "Quote request", "Sales", True, "email", "bob"),
    ("c1", "2026-01-01 12:00", "Picking", "Warehouse", False, None, "wes"),
    ("c1", "2026-01-01 12:00", "Shipping", "Logistics", False, None, "lou"),
    ("c1", "2026-01-01 15:00", "Address missing - query to Sales", "Logistics", False, None, "lou"),
    ("c1", "2026-01-01 20:00", "Address clarified", "Sales", False, None, "bob"),
    ("c1", "2026-01-02 08:00", "Delivered late", "Logistics", False, None, "lou"),
    ("c3", "2026-01-03 10:00", "Note", None, False, None, None),
    ("c2", "2026-01-05 11:00", "Customer chaser call", "Customer Service", True, "phone", "ann"),
    ("c2", "2026-01-05 10:00", "Credit authorisation request", "Credit", False, None, "cy"),
    ("c2", "2026-01-05 13:00", "Answer sent to customer", "Customer Service", False, None, "ann"),
]


def make_log(rows=ROWS) -> pd.DataFrame:
    case, ts, act, dept, contact, channel, agent = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "case_id": pd.array(case, dtype="str"),
            "timestamp": pd.to_datetime(list(ts)),
            "activity": pd.Categorical(act),
            "department": pd.Categorical(dept),
            "customer_id": pd.array(["k" + c for c in case], dtype="str"),
            "channel": pd.Categorical(channel),
            "agent": pd.Categorical(agent),
            "is_customer_contact": list(contact),
        }
    )


@pytest.fixture
def log() -> pd.DataFrame:
    return make_log()


def test_prepare_sorts_stably_and_fills_unknown(log):
    p = h.prepare_events(log)
    c1 = p[p["case_id"] == "c1"]
    # 08:00 Sales, 10:00 Sales, 12:00 Warehouse (file row 3), 12:00 Logistics (row 4), ...
    assert c1["event_position"].tolist() == [2, 1, 3, 4, 5, 6, 7]
    assert c1["department"].astype(str).tolist() == [
        "Sales",
        "Sales",
        "Warehouse",
        "Logistics",
        "Logistics",
        "Sales",
        "Logistics",
    ]
    assert c1["visit_no"].tolist() == [0, 0, 1, 2, 2, 3, 4]
    assert c1["event_no"].tolist() == list(range(7))
    c3 = p[p["case_id"] == "c3"]
    assert c3["department"].astype(str).tolist() == ["unknown"]
    # cases in order of first appearance in the file
    assert p["case_id"].drop_duplicates().tolist() == ["c2", "c1", "c3"]
    # the input is not modified
    assert log["department"].isna().sum() == 1


def test_tie_order_follows_file_order():
    # swapping the two tied rows in the file swaps the visits
    rows = list(ROWS)
    rows[3], rows[4] = rows[4], rows[3]
    v = h.visits(make_log(rows))
    c1 = v[v["case_id"] == "c1"]
    assert c1["department"].astype(str).tolist() == [
        "Sales",
        "Logistics",
        "Warehouse",
        "Logistics",
        "Sales",
        "Logistics",
    ]


def test_visits(log):
    v = h.visits(log)
    c1 = v[v["case_id"] == "c1"].reset_index(drop=True)
    assert c1["department"].astype(str).tolist() == ["Sales", "Warehouse", "Logistics", "Sales", "Logistics"]
    assert c1["events"].tolist() == [2, 1, 2, 1, 1]
    assert c1["touch_hours"].tolist() == [2.0, 0.0, 3.0, 0.0, 0.0]
    assert c1["wait_before_hours"].iloc[1:].tolist() == [2.0, 0.0, 5.0, 12.0]
    assert np.isnan(c1["wait_before_hours"].iloc[0])
    # Logistics → Sales → Logistics: the last visit returns to the department two visits back
    assert c1["ping_pong"].tolist() == [False, False, False, False, True]


def test_case_metrics(log):
    cm = h.case_metrics(log).set_index("case_id")
    assert cm.index.tolist() == ["c2", "c1", "c3"]
    c1, c2, c3 = cm.loc["c1"], cm.loc["c2"], cm.loc["c3"]
    assert (c1.visits, c1.handoffs, c1.departments, c1.rework, c1.ping_pongs) == (5, 4, 3, 2, 1)
    assert (c1.lead_time_hours, c1.touch_hours, c1.wait_hours) == (24.0, 5.0, 19.0)
    assert c1.first_channel == "email" and c1.customer_id == "kc1"
    assert c1.chasers == 0 and c1.first_response_hours == 2.0  # "Quote sent" answers the 08:00 request
    # c2: Customer Service → Credit → Customer Service, one chaser at 11:00 before the 13:00 answer
    assert (c2.visits, c2.handoffs, c2.departments, c2.rework, c2.ping_pongs) == (3, 2, 2, 1, 1)
    assert (c2.chasers, c2.contacts) == (1, 2)
    assert c2.first_response_hours == 4.0
    assert (c2.lead_time_hours, c2.touch_hours, c2.wait_hours) == (4.0, 2.0, 2.0)
    # c3: single event, unknown department
    assert (c3.visits, c3.handoffs, c3.departments, c3.rework, c3.lead_time_hours) == (1, 0, 1, 0, 0.0)
    assert c3.first_department == "unknown"
    assert c1.start == pd.Timestamp("2026-01-01 08:00") and c1.end == pd.Timestamp("2026-01-02 08:00")
    # touch + wait = lead time for every case
    np.testing.assert_allclose(cm.touch_hours + cm.wait_hours, cm.lead_time_hours)


def test_unsorted_input_gives_the_same_result_as_sorted(log):
    shuffled = log.sample(frac=1, random_state=3)
    # ties must keep file order, so shuffle only rows that are not tied
    tied = log.iloc[[3, 4]]
    rest = shuffled.drop(index=tied.index)
    scrambled = pd.concat([rest.iloc[:5], tied, rest.iloc[5:]])
    pd.testing.assert_frame_equal(
        h.case_metrics(scrambled).sort_values("case_id").reset_index(drop=True),
        h.case_metrics(log).sort_values("case_id").reset_index(drop=True),
    )


def test_handoffs_table(log):
    ho = h.handoffs(log)
    c1 = ho[ho["case_id"] == "c1"]
    assert list(zip(c1["from_department"].astype(str), c1["to_department"].astype(str), strict=True)) == [
        ("Sales", "Warehouse"),
        ("Warehouse", "Logistics"),
        ("Logistics", "Sales"),
        ("Sales", "Logistics"),
    ]
    assert c1["wait_hours"].tolist() == [2.0, 0.0, 5.0, 12.0]
    assert c1["bounced"].tolist() == [False, False, True, False]
    assert c1["handoff_no"].tolist() == [1, 2, 3, 4]


def test_handoff_matrix(log):
    m = h.handoff_matrix(log)
    m["pair"] = m["from_department"].astype(str) + ">" + m["to_department"].astype(str)
    m = m.set_index("pair")
    assert set(m.index) == {
        "Sales>Warehouse", "Warehouse>Logistics", "Logistics>Sales", "Sales>Logistics",
        "Customer Service>Credit", "Credit>Customer Service",
    }  # fmt: skip
    assert m["count"].sum() == 6
    assert m.loc["Sales>Logistics", "total_wait_h"] == 12.0
    assert m.loc["Customer Service>Credit", "ping_pong_rate"] == 1.0
    assert m.loc["Credit>Customer Service", "ping_pong_rate"] == 0.0
    assert m.loc["Logistics>Sales", "share_of_cases"] == pytest.approx(1 / 3)


def test_matrix_quantiles_and_shares():
    # three cases A→B with waits 1, 2, 10 hours; one of them bounces back to A
    rows = []
    for i, (w, back) in enumerate([(1, False), (2, True), (10, False)]):
        c = f"x{i}"
        rows += [
            (c, "2026-01-01 00:00", "a", "A", False, None, None),
            (c, f"2026-01-01 {w:02d}:00", "b", "B", False, None, None),
        ]
        if back:
            rows.append((c, "2026-01-01 23:00", "c", "A", False, None, None))
    rows.append(("x9", "2026-01-01 00:00", "a", "A", False, None, None))  # a case without handoffs
    m = h.handoff_matrix(make_log(rows)).set_index(["from_department", "to_department"])
    ab = m.loc[("A", "B")]
    assert ab["count"] == 3 and ab["cases"] == 3
    assert ab["share_of_cases"] == 0.75
    assert ab["median_wait_h"] == 2.0
    assert ab["p90_wait_h"] == pytest.approx(2 + 0.8 * 8)  # linear interpolation, as numpy
    assert ab["p90_wait_h"] == pytest.approx(np.quantile([1, 2, 10], 0.9))
    assert ab["total_wait_h"] == 13.0
    assert ab["ping_pong_rate"] == pytest.approx(1 / 3)
    assert m.loc[("B", "A"), "count"] == 1


def test_chasers_reset_by_answer_and_reopen():
    rows = [
        ("z", "2026-01-01 08:00", "Inbound call", "CS", True, "phone", "a"),  # opens the case: not a chaser
        ("z", "2026-01-01 09:00", "Customer chaser call", "CS", True, "phone", "a"),  # chaser 1
        ("z", "2026-01-01 10:00", "Answer sent to customer", "CS", False, None, "a"),
        ("z", "2026-01-01 11:00", "Inbound call", "CS", True, "phone", "a"),  # answered already: not a chaser
        ("z", "2026-01-01 12:00", "Case reopened", "CS", False, None, "a"),
        ("z", "2026-01-01 13:00", "Inbound call", "CS", True, "phone", "a"),  # chaser 2 (reopened, no answer)
        ("z", "2026-01-01 14:00", "Answer sent to customer", "CS", False, None, "b"),
    ]
    p = h.prepare_events(make_log(rows))
    assert p["is_chaser"].tolist() == [False, True, False, False, False, True, False]
    cm = h.case_metrics(make_log(rows))
    assert cm["chasers"].iloc[0] == 2 and cm["first_response_hours"].iloc[0] == 2.0


def test_reply_to_our_request_is_not_a_chaser():
    rows = [
        ("f", "2026-01-01 08:00", "Self-service address change", "Web Portal", True, "web", None),
        ("f", "2026-01-01 09:00", "Inbound call", "Customer Service", True, "phone", "a"),  # channel switch
        ("f", "2026-01-01 10:00", "Form sent to customer", "Customer Service", False, "email", "a"),
        ("f", "2026-01-02 10:00", "Form received", "Customer Service", True, "email", "a"),  # a reply
        (
            "f",
            "2026-01-03 10:00",
            "Inbound call",
            "Customer Service",
            True,
            "phone",
            "a",
        ),  # open again: chaser
        ("f", "2026-01-04 10:00", "Answer sent to customer", "Sales", False, "email", "b"),
    ]
    p = h.prepare_events(make_log(rows))
    assert p["is_customer_request"].tolist() == [False, False, True, False, False, False]
    assert p["is_answer"].tolist() == [False, False, False, False, False, True]
    assert p["is_chaser"].tolist() == [False, False, False, False, True, False]
    flags = h.case_flags(make_log(rows))
    assert flags["tortuous_flow"].item() and not flags["contradictory_answers"].item()
    assert h.case_metrics(make_log(rows))["first_response_hours"].item() == 74.0


def test_contact_from_patterns_when_no_column():
    log = make_log().drop(columns="is_customer_contact")
    p = h.prepare_events(log)
    # "Inbound call" and "Customer chaser call" match the default customer_contact patterns
    assert p.loc[p["is_contact"], "activity"].astype(str).tolist() == ["Inbound call", "Customer chaser call"]
    custom = ActivitySettings(customer_contact=[r"^quote request$"], chaser=[])
    p2 = h.prepare_events(log, custom)
    assert set(p2.loc[p2["is_contact"], "activity"].astype(str)) == {"Quote request"}


def test_default_activity_patterns_match_demo_names():
    s = ActivitySettings()
    names = np.array(
        [
            "Self-service address change",
            "Self-service attempt failed",
            "Credit authorisation request",
            "Authorisation pending",
            "Customer chaser call",
            "Case reopened",
            "Answer sent to customer",
            "Inbound call",
        ],
        dtype=object,
    )
    assert pattern_mask(names, s.self_service).tolist() == [True, True] + [False] * 6
    assert pattern_mask(names, s.authorisation).tolist() == [
        False,
        False,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert pattern_mask(names, s.chaser).tolist() == [False] * 4 + [True, False, False, False]
    assert pattern_mask(names, s.reopen).tolist() == [False] * 5 + [True, False, False]
    assert pattern_mask(names, s.answer).tolist() == [False] * 6 + [True, False]
    assert pattern_mask(names, s.customer_contact)[[4, 7]].all()


def test_missing_columns_and_bad_types_raise_cxlab_errors(log):
    with pytest.raises(MissingColumnError, match="department"):
        h.case_metrics(log.drop(columns="department"))
    with pytest.raises(CxlabError, match="timestamp"):
        h.case_metrics(log.assign(timestamp=log["timestamp"].astype(str)))


def test_empty_and_nat_rows():
    log = make_log()
    log.loc[0, "timestamp"] = pd.NaT  # c2's first event cannot be ordered: left out
    cm = h.case_metrics(log).set_index("case_id")
    assert cm.loc["c2", "events"] == 3
    empty = h.case_metrics(make_log().iloc[:0])
    assert len(empty) == 0 and "handoffs" in empty.columns
    assert len(h.handoff_matrix(make_log().iloc[:0])) == 0


def test_string_departments_and_timezone_aware_timestamps():
    log = make_log()
    log["department"] = log["department"].astype("str")
    log["timestamp"] = log["timestamp"].dt.tz_localize("Europe/Rome")
    cm = h.case_metrics(log).set_index("case_id")
    assert cm.loc["c1", "handoffs"] == 4 and cm.loc["c3", "first_department"] == "unknown"


def test_flow_steps(log):
    f = h.flow_steps(log, max_steps=3)
    step0 = f[f["step"] == 0].set_index(["from_department", "to_department"])["cases"]
    # c1 Sales→Warehouse, c2 Customer Service→Credit, c3 unknown→end
    assert step0.to_dict() == {
        ("Sales", "Warehouse"): 1,
        ("Customer Service", "Credit"): 1,
        ("unknown", "end"): 1,
    }
    assert f["step"].max() == 2
    step2 = f[f["step"] == 2]
    assert set(zip(step2["from_department"], step2["to_department"], strict=True)) == {
        ("Logistics", "Sales"),
        ("Customer Service", "end"),
    }


# --------------------------------------------------------------------------------------------------
# satisfaction


def responses() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "response_id": ["r1", "r2", "r3", "r4", "r5"],
            "case_id": pd.array(["c1", None, None, None, "nope"], dtype="str"),
            "customer_id": pd.array(["kc1", "kc2", "kc3", "kc2", "kc3"], dtype="str"),
            "answered_at": pd.to_datetime(
                ["2026-01-03", "2026-01-06", "2026-01-10", "2026-03-01", "2026-01-04"]
            ),
            "survey": ["hot", "hot", "cold", "hot", "hot"],
            "nps": [2.0, 10.0, 9.0, 0.0, 8.0],
            "csat": [1.0, 5.0, 4.0, 1.0, np.nan],
        }
    )


def test_link_satisfaction(log):
    linked = h.link_satisfaction(h.case_metrics(log), responses())
    # r1 by case_id; r2 by customer kc2 within 14 days of c2; r3 is cold (not linked by window);
    # r4 is 55 days after c2 ended; r5 has an unknown case_id, falls back to customer kc3 → c3 (1 day after)
    assert linked["response_id"].tolist() == ["r1", "r2", "r5"]
    assert linked["case_id"].tolist() == ["c1", "c2", "c3"]
    assert linked["link"].tolist() == ["case_id", "customer_window", "customer_window"]
    assert linked["handoffs"].tolist() == [4, 2, 0]
    assert "case_start" in linked.columns and "customer_id" in linked.columns


def test_link_window_is_a_setting(log):
    linked = h.link_satisfaction(h.case_metrics(log), responses(), ActivitySettings(case_window_days=0.25))
    assert linked["response_id"].tolist() == ["r1"]


def test_satisfaction_by_handoffs_values():
    linked = pd.DataFrame(
        {
            "handoffs": [0, 0, 0, 1, 2, 7, 7],
            "nps": [10, 9, 3, 8, 10, 0, 1],
            "csat": [5, 4, 2, 4, np.nan, 1, 2],
        }
    )
    t = h.satisfaction_by_handoffs(linked).set_index("bucket")
    assert t.index.astype(str).tolist() == ["0", "1", "2", "5+"]
    assert t.loc["0", "nps"] == pytest.approx(100 / 3)  # 2 promoters, 1 detractor of 3
    assert t.loc["5+", "nps"] == -100.0
    assert t.loc["0", "csat_top2"] == pytest.approx(2 / 3) and t.loc["2", "n_csat"] == 0
    nps, se, lo, hi = nps_interval(2, 1, 3)
    assert (t.loc["0", "nps_low"], t.loc["0", "nps_high"]) == pytest.approx((float(lo), float(hi)))
    assert t["small_n"].all()


def test_nps_interval_hand_computed():
    # 4 promoters, 4 detractors of 10: adjusted n = 13, p = d = 4.75/13, centre 0,
    # SE = sqrt((p + d) / 13) = sqrt(9.5 / 169) = 0.23709 → ±1.95996 × 23.709 = ±46.47 points
    nps, se, lo, hi = nps_interval(4, 4, 10)
    assert float(nps) == 0.0
    assert float(se) == pytest.approx(100 * np.sqrt(9.5 / 169), rel=1e-9)
    assert (float(lo), float(hi)) == pytest.approx((-46.469, 46.469), abs=1e-3)
    # plain trinomial SE without the correction: sqrt(0.8 / 10)
    _, se_plain, _, _ = nps_interval(4, 4, 10, adjusted=False)
    assert float(se_plain) == pytest.approx(100 * np.sqrt(0.08))
    # Wilson for 8 of 10: centre (0.8 + 1.9208/10) / 1.38415 …
    lo, hi = wilson_interval(8, 10)
    assert (float(lo), float(hi)) == pytest.approx((0.4902, 0.9433), abs=1e-4)


def test_nps_per_extra_handoff_matches_hand_ols():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 6, 400)
    score = np.clip(np.round(9 - 1.2 * x + rng.normal(0, 1.5, 400)), 0, 10)
    linked = pd.DataFrame({"handoffs": x, "nps": score})
    out = h.nps_per_extra_handoff(linked).set_index("metric").loc["nps"]
    y = np.where(score >= 9, 100.0, np.where(score <= 6, -100.0, 0.0))
    slope, intercept = np.polyfit(x, y, 1)
    assert out["slope"] == pytest.approx(slope) and out["intercept"] == pytest.approx(intercept)
    # HC1 sandwich by matrices
    X = np.column_stack([np.ones_like(x, dtype=float), x])
    e = y - X @ np.array([intercept, slope])
    bread = np.linalg.inv(X.T @ X)
    cov = bread @ (X.T * e**2) @ X @ bread * len(x) / (len(x) - 2)
    se = np.sqrt(cov[1, 1])
    assert out["slope_high"] - out["slope"] == pytest.approx(1.959964 * se, rel=1e-5)
    assert out["slope"] < 0 and out["p_value"] < 0.001
    assert out["first_bucket"] == "0" and out["last_bucket"] == "5+"
    # the intercept + slope reproduce the NPS of the sample at the mean handoffs
    assert out["intercept"] + out["slope"] * x.mean() == pytest.approx(y.mean())


def test_satisfaction_by_pair_and_worst_handoffs(log):
    linked = pd.DataFrame({"case_id": ["c1", "c2", "c3", "c3"], "nps": [2, 9, 10, 8]})
    sp = h.satisfaction_by_pair(linked, log)
    sp["pair"] = sp["from_department"].astype(str) + ">" + sp["to_department"].astype(str)
    sp = sp.set_index("pair")
    row = sp.loc["Sales>Logistics"]  # only c1 (NPS −100) crosses it; the other 3 (9, 10, 8): NPS +66.7
    assert (row.n_with, row.n_without) == (1, 3)
    assert row.nps_with == -100 and row.nps_without == pytest.approx(200 / 3)
    assert row.nps_gap == pytest.approx(500 / 3)
    assert row.nps_points_lost == pytest.approx(500 / 3 / 4)
    worst = h.worst_handoffs(h.handoff_matrix(log), sp.reset_index(drop=True), top=2)
    by_wait = worst[worst["ranking"] == "waiting_time"]
    assert by_wait[["from_department", "to_department"]].iloc[0].tolist() == ["Sales", "Logistics"]
    assert by_wait["value"].iloc[0] == 12.0 and by_wait["rank"].tolist() == [1, 2]
    by_sat = worst[worst["ranking"] == "satisfaction"]
    assert len(by_sat) == 2 and (by_sat["value"] > 0).all()


def test_toxic_dynamics_on_hand_log():
    rows = [
        # t1: self-service, fails, then calls (tortuous); answered by one agent
        ("t1", "2026-02-01 08:00", "Self-service address change", "Web Portal", True, "web", None),
        ("t1", "2026-02-01 08:05", "Self-service attempt failed", "Web Portal", False, "web", None),
        ("t1", "2026-02-01 09:00", "Inbound call", "Customer Service", True, "phone", "ann"),
        ("t1", "2026-02-01 10:00", "Answer sent to customer", "Customer Service", False, None, "ann"),
        # t2: self-service that works
        ("t2", "2026-02-01 08:00", "Self-service address change", "Web Portal", True, "web", None),
        # t3: authorisation, chaser while waiting, two agents answer, then reopened (slow + contradictory)
        ("t3", "2026-02-01 08:00", "Inbound call", "Customer Service", True, "phone", "ann"),
        ("t3", "2026-02-01 09:00", "Credit authorisation request", "Customer Service", False, None, "ann"),
        ("t3", "2026-02-02 09:00", "Customer chaser call", "Customer Service", True, "phone", "ann"),
        ("t3", "2026-02-03 09:00", "Answer sent to customer", "Customer Service", False, None, "ann"),
        ("t3", "2026-02-03 12:00", "Answer sent to customer", "Credit", False, None, "cy"),
        ("t3", "2026-02-04 09:00", "Case reopened", "Customer Service", False, None, "ann"),
        # t4: authorisation, no chaser
        ("t4", "2026-02-01 08:00", "Inbound call", "Customer Service", True, "phone", "ann"),
        ("t4", "2026-02-01 09:00", "Credit authorisation request", "Customer Service", False, None, "ann"),
        ("t4", "2026-02-01 11:00", "Answer sent to customer", "Customer Service", False, None, "ann"),
    ]
    log = make_log(rows)
    flags = h.case_flags(log).set_index("case_id")
    assert flags["tortuous_flow"].tolist() == [True, False, False, False]
    assert flags["slow_internal_communication"].tolist() == [False, False, True, False]
    assert flags["contradictory_answers"].tolist() == [False, False, True, False]
    assert flags.loc["t3", "chasers_while_waiting"] == 1
    assert (
        flags.loc["t3", "authorisation_wait_hours"] == 48.0
        and flags.loc["t4", "authorisation_wait_hours"] == 2.0
    )
    linked = pd.DataFrame({"case_id": ["t1", "t2", "t3", "t4"], "nps": [1, 10, 0, 9]})
    tox = h.toxic_dynamics(log, linked).set_index("finding")
    assert tox.loc["tortuous_flow", "cases"] == 1 and tox.loc["tortuous_flow", "base_cases"] == 2
    assert tox.loc["tortuous_flow", "share_of_base"] == 0.5
    assert tox.loc["slow_internal_communication", "base_cases"] == 2
    assert tox.loc["contradictory_answers", "example_cases"] == ["t3"]
    # t3 (NPS 0) vs the others (1, 10, 9: one promoter... 2 promoters, 1 detractor → +33.3)
    assert tox.loc["slow_internal_communication", "nps_gap"] == pytest.approx(100 / 3 + 100)
    assert set(tox.index) == set(h.TOXIC_FINDINGS)
    # without agents, answers from different departments count as different answerers
    flags2 = h.case_flags(log.drop(columns="agent")).set_index("case_id")
    assert flags2.loc["t3", "contradictory_answers"]


def test_prepared_input_gives_the_same_results(log):
    p = h.prepare_events(log)
    assert list(p.columns[-len(h.PREPARED_COLUMNS) :]) == list(h.PREPARED_COLUMNS)
    pd.testing.assert_frame_equal(h.case_metrics(p), h.case_metrics(log))
    pd.testing.assert_frame_equal(h.handoff_matrix(p), h.handoff_matrix(log))
    pd.testing.assert_frame_equal(h.flow_steps(p), h.flow_steps(log))
    # preparing twice keeps the original file positions
    assert h.prepare_events(p)["event_position"].tolist() == p["event_position"].tolist()
    # a filtered prepared frame (one case) and a re-shuffled one still work
    only_c1 = p[p["case_id"] == "c1"]
    assert h.case_metrics(only_c1)[["case_id", "handoffs"]].values.tolist() == [["c1", 4]]
    shuffled = p.sort_values("timestamp", kind="stable")  # cases interleaved; tied rows keep their order
    pd.testing.assert_frame_equal(
        h.case_metrics(shuffled).sort_values("case_id").reset_index(drop=True),
        h.case_metrics(p).sort_values("case_id").reset_index(drop=True),
    )
    assert len(h.case_metrics(h.prepare_events(log.iloc[:0]))) == 0


def test_ping_pong_pairs(log):
    rows = [
        ("p", "2026-01-01 00:00", "x", "A", False, None, None),
        ("p", "2026-01-01 01:00", "x", "B", False, None, None),
        ("p", "2026-01-01 02:00", "x", "A", False, None, None),  # A→B→A
        ("p", "2026-01-01 03:00", "x", "B", False, None, None),  # B→A→B
        ("q", "2026-01-01 00:00", "x", "B", False, None, None),
        ("q", "2026-01-01 01:00", "x", "A", False, None, None),
        ("q", "2026-01-01 02:00", "x", "C", False, None, None),
        ("r", "2026-01-01 00:00", "x", "C", False, None, None),
        ("r", "2026-01-01 05:00", "x", "A", False, None, None),
        ("r", "2026-01-01 06:00", "x", "C", False, None, None),  # C→A→C
    ]
    pp = h.ping_pong_pairs(make_log(rows))
    ab = pp.iloc[0]
    assert (ab.department_a, ab.department_b, ab.ping_pongs) == ("A", "B", 2)
    assert (ab.cases_crossing, ab.cases_bouncing, ab.cases_repeated) == (2, 1, 1)
    assert ab.bounce_rate == 0.5 and ab.wait_h_in_bounces == 2.0
    ac = pp.iloc[1]
    assert (ac.department_a, ac.department_b, ac.ping_pongs, ac.cases_crossing) == ("A", "C", 1, 2)
    assert ac.wait_h_in_bounces == 5.0
    assert len(h.ping_pong_pairs(make_log(rows[:1]))) == 0


def test_chaser_holders():
    rows = [
        ("h", "2026-01-01 08:00", "Inbound call", "Customer Service", True, "phone", "a"),
        ("h", "2026-01-01 09:00", "Credit authorisation request", "Customer Service", False, None, "a"),
        ("h", "2026-01-01 10:00", "Authorisation pending", "Credit", False, None, "c"),
        ("h", "2026-01-02 10:00", "Customer chaser call", "Customer Service", True, "phone", "a"),
        ("h", "2026-01-03 10:00", "Customer chaser call", "Customer Service", True, "phone", "a"),
        ("g", "2026-01-01 08:00", "Inbound call", "Customer Service", True, "phone", "a"),
        ("g", "2026-01-01 09:00", "Inbound call", "Customer Service", True, "phone", "a"),  # chaser, CS holds
    ]
    holders = h.chaser_holders(make_log(rows))
    assert holders.to_dict("list") == {
        "department": ["Credit", "Customer Service"],
        "chasers": [2, 1],
        "cases": [1, 1],
        "share_of_chasers": [2 / 3, 1 / 3],
    }


def test_link_without_case_id_column(log):
    resp = responses().drop(columns="case_id")
    linked = h.link_satisfaction(h.case_metrics(log), resp)
    # r1 now links by customer kc1 → c1 (answered a day after c1 ended); r2 → c2; r5 → c3
    assert linked["response_id"].tolist() == ["r1", "r2", "r5"]
    assert set(linked["link"]) == {"customer_window"}
    # without customers in the log only case_id links are possible
    no_customers = h.case_metrics(log.drop(columns="customer_id"))
    assert "customer_id" not in no_customers.columns
    assert h.link_satisfaction(no_customers, responses())["response_id"].tolist() == ["r1"]
