"""The widgets on the built-in demo client (Distribuzioni Martelli): explorers, mapper, workshop form."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from cxlab.config import load_config
from cxlab.intake import load_client
from cxlab.widgets import ColumnMapper, CultureForm, HandoffExplorer, SegmentExplorer


@pytest.fixture(scope="module")
def demo_dir(demo_client_dir_full: Path) -> Path:
    return demo_client_dir_full


@pytest.fixture(scope="module")
def demo(demo_dir: Path):
    return load_client(demo_dir)


@pytest.fixture()
def demo_copy(demo_dir: Path, tmp_path: Path) -> Path:
    """A private copy for tests that write into the client folder."""
    return Path(shutil.copytree(demo_dir, tmp_path / "demo"))


def _at(client, root: Path):
    """The loaded demo client, saving into ``root`` (a copy of its folder): no reload per test."""
    return dataclasses.replace(client, config=dataclasses.replace(client.config, root=root))


def _page(widget, action: str) -> None:
    widget._on_page_message(widget, {"action": action}, [])


# ----------------------------------------------------------------------------------------------------
# segment explorer


def test_segment_explorer_updates_live_and_saves_shares(demo, demo_copy: Path) -> None:
    w = SegmentExplorer(_at(demo, demo_copy))
    assert w.mode == "share" and w.value_share == 0.2 and w.lang == "it"
    counts = {r["segment"]: r["customers"] for r in w.summary}
    assert sum(counts.values()) == 600 and len(w.points) == 600
    # the planted potential and dilemma customers are in their segments (through the library)
    planted = json.loads((demo_copy / "planted.json").read_text())
    seg = w.segmented.set_index("customer_id")["segment"]
    assert (seg.loc[planted["potential"]] == "potential").mean() >= 0.8
    assert (seg.loc[planted["dilemma"]] == "dilemma").mean() >= 0.8

    # a wider "high value" band moves customers out of maintain/potential, the table follows
    before_value = w.effective["value_threshold"]
    w.value_share = 0.35
    after = {r["segment"]: r["customers"] for r in w.summary}
    assert w.effective["value_threshold"] < before_value
    assert after["premium"] + after["dilemma"] > counts["premium"] + counts["dilemma"]
    assert sum(after.values()) == 600
    share_of_value = sum(r["share_of_value"] for r in w.summary)
    assert share_of_value == pytest.approx(1.0)

    _page(w, "save")
    assert w.status == "ok", w.message
    segments = yaml.safe_load((demo_copy / "client.yaml").read_text(encoding="utf-8"))["segments"]
    assert segments == {"value_top_share": 0.35}  # the potential share was not moved: not written
    assert load_config(demo_copy).segments.value_top_share == 0.35
    # untouched sections survive
    assert load_config(demo_copy).tables["transactions"].decimal == ","


def test_segment_explorer_absolute_thresholds(demo, demo_copy: Path) -> None:
    w = SegmentExplorer(_at(demo, demo_copy), lang="en")
    w.mode = "absolute"  # starts from the thresholds in effect: nothing moves
    assert w.value_threshold == pytest.approx(w.effective["value_threshold"])
    w.value_threshold = 5000.0
    w.potential_threshold = 4000.0
    assert w.effective == {"value_threshold": 5000.0, "potential_threshold": 4000.0}
    high_value = int((w.segmented["value"] >= 5000).sum())
    counts = {r["segment"]: r["customers"] for r in w.summary}
    assert counts["premium"] + counts["dilemma"] == high_value
    w.save()
    segments = yaml.safe_load((demo_copy / "client.yaml").read_text(encoding="utf-8"))["segments"]
    assert segments["value_threshold"] == 5000.0 and segments["potential_threshold"] == 4000.0
    # reopening (from the folder) starts in absolute mode with the saved amounts
    again = SegmentExplorer(demo_copy)
    assert again.mode == "absolute" and again.value_threshold == 5000.0
    # back to shares removes the absolute amounts (they would override the shares)
    again.mode = "share"
    again.save()
    segments = yaml.safe_load((demo_copy / "client.yaml").read_text(encoding="utf-8"))["segments"]
    assert "value_threshold" not in segments and segments["value_top_share"] == 0.2


def test_segment_explorer_invalid_thresholds(demo) -> None:
    w = SegmentExplorer(demo, lang="en")
    summary = w.summary
    w.value_share = 0.0
    assert w.status == "error" and "segments.value_top_share" in w.message and "expected a share" in w.message
    assert w.summary == summary  # nothing recomputed with the bad value
    with pytest.raises(Exception, match="expected a share"):
        w.save()
    w.value_share = 0.25
    assert w.status == "" and w.summary != summary
    w.mode = "absolute"
    w.potential_threshold = -1.0
    assert w.status == "error" and "an amount of 0 or more" in w.message
    html = w._repr_mimebundle_()[0]["text/html"]
    assert "Customer segments" in html and "Premium" in html


# ----------------------------------------------------------------------------------------------------
# handoff explorer


def test_handoff_explorer_pair_examples_and_export(demo, demo_copy: Path) -> None:
    w = HandoffExplorer(demo)
    # the planted worst handoff is preselected (library ranking by waiting time)
    assert w.pair == ["Sales", "Logistics"]
    assert len(w.departments) == 8 and "Credit" in w.departments
    d = w.detail
    assert d["count"] > 0 and d["median_wait_h"] > 24 and d["nps_with"] < d["nps_without"]
    planted = set(json.loads((Path(demo.root) / "planted.json").read_text())["address_loss_cases"])
    assert [ex["case_id"] for ex in w.examples] and all(ex["case_id"] in planted for ex in w.examples)
    first = w.examples[0]
    assert first["events"][0]["t"] <= first["events"][-1]["t"]
    assert {"Sales", "Logistics"} <= {e["department"] for e in first["events"]}

    # choosing the dispute ping-pong pair
    w.pair = ["Customer Service", "Credit"]
    assert w.detail["ping_pong_rate"] > 0.5
    # restricting the matrix to three departments
    w.selected_departments = ["Sales", "Logistics", "Warehouse"]
    assert {(r["from"], r["to"]) for r in w.matrix} <= {
        (a, b) for a in ("Sales", "Logistics", "Warehouse") for b in ("Sales", "Logistics", "Warehouse")
    }
    assert ("Sales", "Logistics") in {(r["from"], r["to"]) for r in w.matrix}

    moved = HandoffExplorer(demo_copy, pair=("Sales", "Logistics"))
    _page(moved, "save")
    assert moved.status == "ok", moved.message
    out = pd.read_csv(
        demo_copy / "exports" / "handoff_sales_logistics.csv",
        dtype=str,
        sep=None,
        engine="python",
        encoding="utf-8-sig",
    )
    assert set(out["case_id"]) == {ex["case_id"] for ex in moved.examples}
    assert list(out.columns[:4]) == ["case_id", "customer_id", "wait_hours", "nps"]
    html = moved.to_html()
    assert "Sales → Logistics" in html and "<script" not in html


def test_handoff_explorer_invalid_choices(demo) -> None:
    w = HandoffExplorer(demo, lang="en")
    w.selected_departments = ["Sales", "Marketing"]
    assert w.status == "error" and "'Marketing'" in w.message
    w.pair = ["Credit", "Warehouse"]  # a pair that never happens
    assert w.status == "info" and "no case is handed from Credit to Warehouse" in w.message
    assert w.examples == []
    _page(w, "save")
    assert w.status == "error" and "a handoff pair with cases" in w.message
    w.metric = "colour"
    assert w.status == "error" and "one of count" in w.message


# ----------------------------------------------------------------------------------------------------
# the intake widgets on the demo files


def test_column_mapper_on_the_demo_customers(demo_copy: Path) -> None:
    """Starting from nothing, the suggestions rebuild the demo's hand-written mapping."""
    hand = load_config(demo_copy).tables["customers"].columns
    w = ColumnMapper(demo_copy, "customers", file="data/clienti.csv")
    w.apply_suggestions()
    got = {k: v for k, v in w.mapping.items() if v}
    assert got == dict(hand)
    assert w.valid and w.summary["rows_kept"] == 600


def test_culture_form_appends_to_the_demo_workshop(demo_copy: Path) -> None:
    path = demo_copy / "data" / "workshop.xlsx"
    before = pd.read_excel(path, dtype=str)
    w = CultureForm(demo_copy)
    assert set(w.departments) >= {"Sales", "Customer Service", "Logistics", "Credit"}
    assert sum(w.progress.values()) > 0
    w.department = "Credit"
    w.respondent = "workshop-1"
    w.answers = {**w.answers, "q03_info_we_pass": 2, "q04_info_we_receive": 1}
    _page(w, "submit")
    assert w.status == "ok", w.message
    after = pd.read_excel(path, dtype=str)
    assert len(after) == len(before) + 2
    pd.testing.assert_frame_equal(after.head(len(before)), before)  # earlier answers untouched
    assert after.tail(2)["respondent"].tolist() == ["workshop-1", "workshop-1"]
    assert len(load_client(demo_copy).culture) == len(before) + 2


def test_recommendation_review_on_the_demo_findings(demo, demo_copy: Path) -> None:
    """Without findings given, the widget collects them through the library (the whole pipeline)."""
    from cxlab.diagnosis import Diagnosis
    from cxlab.recommend import action_plan
    from cxlab.widgets import RecommendationReview

    client = _at(demo, demo_copy)
    w = RecommendationReview(client, lang="en")
    assert len(w.cards) >= 10 and w.cards[0]["evidence"]
    first, second = w.cards[0]["id"], w.cards[1]["id"]
    w._on_page_message(w, {"action": "set", "id": first, "field": "status", "value": "rejected"}, [])
    w._on_page_message(w, {"action": "set", "id": second, "field": "owner", "value": "COO"}, [])
    _page(w, "save")
    assert w.status == "ok", w.message
    shown = action_plan(Diagnosis(client).findings, demo_copy)
    assert first not in [r.id for r in shown]
    assert next(r for r in shown if r.id == second).owner == "COO"
