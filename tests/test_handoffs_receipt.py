"""Handoff counts on a real log (WABO receipt phase, Buijs 2014) against an independent plain-loop count."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest
from shared_data import DATASETS as DATASETS_DIR
from shared_data import receipt_client

from cxlab import handoffs as h
from cxlab import journey as j

DATASETS = DATASETS_DIR
RECEIPT = DATASETS / "receipt.csv"

pytestmark = pytest.mark.skipif(not RECEIPT.exists(), reason="shared datasets not available")


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(RECEIPT, dtype=str, keep_default_na=False)


def loop_counts(case_ids, timestamps, departments) -> tuple[Counter, Counter]:
    """Transitions and per-case visit counts with plain Python: group rows by case in file order, sort
    each case by time (Python's sort is stable, so ties keep file order), collapse runs, count moves."""
    by_case: dict[str, list[tuple]] = {}
    for pos, (c, t, d) in enumerate(zip(case_ids, timestamps, departments, strict=True)):
        by_case.setdefault(c, []).append((t, pos, d if d else "unknown"))
    transitions: Counter = Counter()
    visits: Counter = Counter()
    for c, evs in by_case.items():
        evs.sort(key=lambda e: e[0])
        runs = []
        for _, _, d in evs:
            if not runs or runs[-1] != d:
                runs.append(d)
        visits[c] = len(runs)
        for a, b in zip(runs, runs[1:], strict=False):
            transitions[(a, b)] += 1
    return transitions, visits


def test_transition_counts_equal_a_plain_loop(raw):
    instants = pd.to_datetime(raw["time:timestamp"], utc=True, format="ISO8601")
    events = pd.DataFrame(
        {
            "case_id": raw["case:concept:name"],
            "timestamp": instants.dt.tz_localize(None),
            "activity": raw["concept:name"].astype("category"),
            "department": raw["org:group"].replace("", None).astype("category"),
            "channel": raw["case:channel"].astype("category"),
        }
    )
    expected, expected_visits = loop_counts(raw["case:concept:name"], list(instants), raw["org:group"])
    m = h.handoff_matrix(events)
    got = {
        (str(a), str(b)): int(n)
        for a, b, n in zip(m["from_department"], m["to_department"], m["count"], strict=True)
    }
    assert got == dict(expected)
    assert sum(got.values()) == sum(expected.values()) > 5000
    cm = h.case_metrics(events).set_index("case_id")
    assert cm["visits"].to_dict() == dict(expected_visits)
    assert len(cm) == 1434 and cm["events"].sum() == 8577


def test_loader_path_gives_the_same_counts(raw, tmp_path):
    io = pytest.importorskip("cxlab.intake")
    client = io.load_client(receipt_client(tmp_path / "receipt"))
    events = client.events
    # the loader converts to local naive time; order by the same values in the loop
    expected, _ = loop_counts(
        events["case_id"].tolist(),
        events["timestamp"].tolist(),
        events["department"].astype(str).replace("nan", "").tolist(),
    )
    m = h.handoff_matrix(events)
    got = {
        (str(a), str(b)): int(n)
        for a, b, n in zip(m["from_department"], m["to_department"], m["count"], strict=True)
    }
    assert got == dict(expected)


def test_real_log_invariants(raw, tmp_path):
    io = pytest.importorskip("cxlab.intake")
    events = io.load_client(receipt_client(tmp_path / "receipt")).events
    p = h.prepare_events(events)
    cm = h.case_metrics(p)
    assert (cm["handoffs"] == cm["visits"] - 1).all()
    assert (cm["rework"] >= 0).all() and (cm["ping_pongs"] <= cm["rework"] + cm["handoffs"]).all()
    assert (cm["touch_hours"] + cm["wait_hours"] - cm["lead_time_hours"]).abs().max() < 1e-6
    m = h.handoff_matrix(p)
    assert m["count"].sum() == cm["handoffs"].sum()
    assert m["total_wait_h"].sum() == pytest.approx(cm["wait_hours"].sum())
    flow = h.flow_steps(p, max_steps=50)
    assert flow.loc[flow["step"] == 0, "cases"].sum() == len(cm)  # every case starts somewhere
    stages = j.journey_map(p)
    assert stages["cases"].sum() == cm["departments"].sum()
    channels = j.arrival_channels(cm)
    # case:channel is a case attribute, so the arrival channels are exactly the channels in the log
    assert set(channels["channel"]) == set(events["channel"].dropna().astype(str))
    assert {"Internet", "Desk", "Post", "e-mail"} <= set(channels["channel"])
    assert channels["cases"].sum() == len(cm)
