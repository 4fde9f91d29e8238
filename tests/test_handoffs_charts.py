"""Chart specs of the handoff analysis, tested as dicts."""

from __future__ import annotations

import pandas as pd
import pytest

from cxlab import handoffs as h
from cxlab.charts import handoffs as ch
from cxlab.errors import CxlabError


def log() -> pd.DataFrame:
    rows = [
        ("a", 0, "A"), ("a", 1, "B"), ("a", 2, "A"), ("a", 3, "C"),
        ("b", 0, "A"), ("b", 5, "B"), ("c", 0, "B"), ("c", 1, "C"),
    ]  # fmt: skip
    case, hours, dept = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "case_id": pd.array(case, dtype="str"),
            "timestamp": pd.Timestamp("2026-01-01") + pd.to_timedelta(list(hours), unit="h"),
            "activity": pd.Categorical(["x"] * len(rows)),
            "department": pd.Categorical(dept),
        }
    )


def marks(spec: dict) -> list[str]:
    return [m["mark"]["type"] if isinstance(m["mark"], dict) else m["mark"] for m in spec["layer"]]


def test_heatmap_spec():
    matrix = h.handoff_matrix(log())
    spec = ch.handoff_heatmap(matrix, value="median_wait_h", lang="it").to_dict()
    assert marks(spec) == ["rect", "text"]
    rect = spec["layer"][0]["encoding"]
    assert rect["x"]["field"] == "to_department" and rect["y"]["field"] == "from_department"
    assert rect["color"]["field"] == "median_wait_h" and rect["color"]["title"] == "Attesa mediana (h)"
    # departments ordered by handoff volume: A and B (3 each, A first by stable order), then C
    assert rect["x"]["sort"] == rect["y"]["sort"]
    assert rect["x"]["sort"][-1] == "C"
    assert spec["title"] == "Passaggi tra reparti"
    assert spec["layer"][1]["encoding"]["text"]["field"] == "median_wait_h"
    with pytest.raises(CxlabError):
        ch.handoff_heatmap(matrix, value="nope")


def test_flow_spec():
    flow = h.flow_steps(log())
    spec = ch.handoff_flow(flow).to_dict()
    assert marks(spec) == ["rule", "circle"]
    band = spec["layer"][0]["encoding"]
    assert band["x"]["field"] == "step" and band["x2"]["field"] == "next_step"
    assert band["y"]["field"] == "from_department" and band["y2"]["field"] == "to_department"
    assert band["strokeWidth"]["field"] == "cases"
    # "end" nodes: the cases that stop are drawn one step to the right
    datasets = spec["datasets"]
    node_data = datasets[spec["layer"][1]["data"]["name"]]
    assert {"department": "end", "step": 2, "cases": 2} in node_data  # b and c stop after 2 visits
    assert {"department": "end", "step": 4, "cases": 1} in node_data  # a after 4
    assert "end" in band["y"]["scale"]["domain"]


def test_worst_handoffs_chart_spec():
    matrix = h.handoff_matrix(log())
    worst = h.worst_handoffs(matrix, top=2)
    spec = ch.worst_handoffs_chart(worst, lang="en").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["y"]["field"] == "handoff"
    assert spec["title"] == "Worst handoffs by total waiting time"
    data = spec["datasets"][spec["data"]["name"]]
    assert data[0]["handoff"] == "A → B"  # 1 h + 5 h


def test_satisfaction_chart_has_interval_layer():
    linked = pd.DataFrame(
        {"handoffs": [0, 0, 1, 1, 3, 6], "nps": [10, 9, 8, 4, 2, 0], "csat": [5, 5, 4, 3, 2, 1]}
    )
    table = h.satisfaction_by_handoffs(linked)
    spec = ch.satisfaction_by_handoffs_chart(table).to_dict()
    assert marks(spec) == ["rule", "rule", "point", "text"]  # zero line, interval, points, n labels
    interval = spec["layer"][1]["encoding"]
    assert interval["y"]["field"] == "nps_low" and interval["y2"]["field"] == "nps_high"
    assert spec["layer"][2]["encoding"]["x"]["sort"] == ["0", "1", "3", "5+"]
    csat = ch.satisfaction_by_handoffs_chart(table, metric="csat_top2", lang="it").to_dict()
    assert csat["layer"][0]["encoding"]["y"]["field"] == "csat_low"
    assert csat["title"] == "CSAT per numero di passaggi"


def test_toxic_dynamics_chart_and_texts():
    findings = pd.DataFrame(
        {
            "finding": ["slow_internal_communication", "tortuous_flow", "contradictory_answers"],
            "cases": [10, 5, 2],
            "nps_gap": [60.0, 40.0, float("nan")],
            "gap_low": [40.0, 10.0, float("nan")],
            "gap_high": [80.0, 70.0, float("nan")],
            "department": ["Credit", "Web Portal", "Customer Service"],
            "example_cases": [["a"], ["b"], ["c"]],
        }
    )
    spec = ch.toxic_dynamics_chart(findings, lang="it").to_dict()
    assert marks(spec) == ["bar", "rule"]
    assert spec["layer"][1]["encoding"]["x"]["field"] == "gap_low"
    assert spec["layer"][1]["encoding"]["x2"]["field"] == "gap_high"
    labels = spec["layer"][0]["encoding"]["y"]["sort"]
    assert labels == [
        "Comunicazione interna lenta: in attesa di un'autorizzazione",
        "Percorso tortuoso: il self-service finisce in una telefonata",
    ]  # the finding without linked responses is left out
    assert ch.finding_title("contradictory_answers", "en") == "Contradictory answers"
    assert ch.finding_explanation("tortuous_flow", "it").startswith("Il cliente")
    assert ch.finding_title("unknown_dynamic") == "unknown_dynamic"
