"""Journey map and arrival channels on a tiny hand-written log; chart specs as dicts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlab import handoffs as h
from cxlab import journey as j
from cxlab.charts import journey as cj
from cxlab.errors import CxlabError

ROWS = [
    # case, time (h after 2026-03-02 00:00), activity, department, channel
    ("j2", 10, "Answer sent to customer", "C", None),
    ("j1", 0, "Inbound call", "A", "web"),
    ("j1", 2, "Checked", "A", None),
    ("j1", 5, "Approved", "B", None),
    ("j1", 6, "Answer sent to customer", "C", None),
    ("j2", 0, "Inbound call", "A", "phone"),
    ("j3", 0, "E-mail received", "B", "email"),
]


def make_log() -> pd.DataFrame:
    case, hours, act, dept, channel = zip(*ROWS, strict=True)
    return pd.DataFrame(
        {
            "case_id": pd.array(case, dtype="str"),
            "timestamp": pd.Timestamp("2026-03-02") + pd.to_timedelta(list(hours), unit="h"),
            "activity": pd.Categorical(act),
            "department": pd.Categorical(dept),
            "channel": pd.Categorical(channel),
        }
    )


@pytest.fixture
def linked() -> pd.DataFrame:
    return pd.DataFrame({"case_id": ["j1", "j2", "j3"], "nps": [0.0, 10.0, 6.0], "csat": [1.0, 5.0, 4.0]})


def test_journey_stages_in_order_with_time(linked):
    stages = j.journey_map(make_log()).set_index("stage")
    # entry ranks: A (0, 0), B (1 in j1, 0 in j3), C (2 in j1, 1 in j2)
    assert stages.index.tolist() == ["A", "B", "C"]
    assert stages["order"].tolist() == [0, 1, 2]
    assert stages["mean_entry_rank"].tolist() == [0.0, 0.5, 1.5]
    assert stages["cases"].tolist() == [2, 2, 2]
    assert stages["events"].tolist() == [3, 2, 2]
    # dwell: each event owns the time to the next event of its case
    assert stages["median_dwell_h"].tolist() == [7.5, 0.5, 0.0]  # A: j1 5 h, j2 10 h; B: j1 1 h, j3 0
    assert stages["total_dwell_h"].tolist() == [15.0, 1.0, 0.0]
    assert stages["median_reached_after_h"].tolist() == [0.0, 2.5, 8.0]
    assert stages["contacts"].tolist() == [2, 1, 0]
    assert "nps" not in stages.columns


def test_journey_emotional_line(linked):
    stages = j.journey_map(make_log(), linked).set_index("stage")
    # overall: one promoter, two detractors of 3 → −33.3; A (j1, j2) 0; B (j1, j3) −100; C (j1, j2) 0
    assert stages["nps"].tolist() == pytest.approx([0.0, -100.0, 0.0])
    assert stages["emotion"].tolist() == pytest.approx([100 / 3, -200 / 3, 100 / 3])
    assert stages["n_nps"].tolist() == [2, 2, 2]
    assert stages.loc["B", "csat_top2"] == 0.5 and stages.loc["B", "csat_mean"] == 2.5
    assert (stages["nps_low"] <= stages["nps"]).all() and (stages["nps"] <= stages["nps_high"]).all()


def test_journey_by_activity():
    stages = j.journey_map(make_log(), by="activity")
    assert stages["stage"].iloc[0] == "Inbound call"
    assert stages.set_index("stage").loc["Answer sent to customer", "cases"] == 2
    with pytest.raises(CxlabError):
        j.journey_map(make_log(), by="agent")  # type: ignore[arg-type]


def test_arrival_channels(linked):
    cases = h.case_metrics(make_log())
    ch = j.arrival_channels(cases, linked).set_index("channel")
    assert sorted(ch.index) == ["email", "phone", "web"]
    assert ch["cases"].tolist() == [1, 1, 1] and ch["share"].sum() == pytest.approx(1.0)
    assert ch.loc["web", "median_lead_time_h"] == 6.0 and ch.loc["web", "mean_handoffs"] == 2.0
    assert ch.loc["phone", "nps"] == 100.0 and ch.loc["email", "nps"] == -100.0
    no_channel = h.case_metrics(make_log().drop(columns="channel"))
    with pytest.raises(CxlabError):
        j.arrival_channels(no_channel)


def test_missing_channel_counts_as_unknown():
    log = make_log()
    log.loc[log["case_id"] == "j3", "channel"] = np.nan
    ch = j.arrival_channels(h.case_metrics(log)).set_index("channel")
    assert ch.loc["unknown", "cases"] == 1


def test_empty_log():
    assert len(j.journey_map(make_log().iloc[:0])) == 0


def test_journey_chart_spec(linked):
    spec = cj.journey_map_chart(j.journey_map(make_log(), linked), lang="it").to_dict()
    assert "vconcat" in spec and len(spec["vconcat"]) == 2
    assert spec["title"] == "Percorso del cliente: volumi, tempi e soddisfazione per fase"
    top = spec["vconcat"][0]["layer"]
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in top]
    assert marks == ["rule", "line", "rule", "point"]
    interval = top[2]["encoding"]
    assert interval["y"]["field"] == "nps_low" and interval["y2"]["field"] == "nps_high"
    assert top[3]["encoding"]["x"]["sort"] == ["A", "B", "C"]
    assert top[3]["encoding"]["color"]["scale"]["domain"] == [
        "sopra l'NPS complessivo",
        "sotto l'NPS complessivo",
    ]
    assert top[3]["encoding"]["fillOpacity"]["condition"]["test"] == "datum.small_n"  # few answers: hollow
    bottom = spec["vconcat"][1]["layer"][0]
    assert bottom["encoding"]["y"]["field"] == "cases"
    # without satisfaction only the volume panel is drawn
    plain = cj.journey_map_chart(j.journey_map(make_log())).to_dict()
    assert len(plain["vconcat"]) == 1


def test_arrival_chart_spec(linked):
    spec = cj.arrival_channels_chart(j.arrival_channels(h.case_metrics(make_log()), linked)).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["field"] == "share"
    assert spec["layer"][1]["encoding"]["text"]["field"] == "nps_label"
    assert spec["title"] == "How customers arrive"
