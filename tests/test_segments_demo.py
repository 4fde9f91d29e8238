"""Segmentation on the built-in demo client: the planted potential and dilemma customers (planted.json)
must land in their segments (docs/demo_client.md, finding 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from cxlab import segments as sg
from cxlab.charts import segments as cs
from cxlab.report.segments_text import describe_segments

demo = pytest.importorskip("cxlab.demo")
io = pytest.importorskip("cxlab.intake")


@pytest.fixture(scope="module")
def client(demo_client_dir_full: Path):
    path = demo_client_dir_full
    return io.load_client(path), json.loads((Path(path) / "planted.json").read_text())


@pytest.fixture(scope="module")
def segmented(client) -> pd.DataFrame:
    c, _ = client
    return sg.segment_customers(c.transactions, c.config.analysis_date, c.config.segments, c.customers)


def test_model_is_used_on_the_demo_client(client, segmented: pd.DataFrame) -> None:
    c, _ = client
    assert segmented.attrs["value_model"].method == "bgnbd_gg"
    assert len(segmented) == len(c.customers)
    assert (segmented["method"] == "bgnbd_gg").mean() > 0.9
    counts = segmented["segment"].value_counts()
    # 20 % top shares: high-value = premium + dilemma ≈ 20 %, high-potential = premium + potential ≈ 20 %
    n = len(segmented)
    assert abs((counts["premium"] + counts["dilemma"]) / n - 0.20) < 0.02
    assert abs((counts["premium"] + counts["potential"]) / n - 0.20) < 0.02


def test_planted_potential_customers_are_potential(client, segmented: pd.DataFrame) -> None:
    _, planted = client
    by_id = segmented.set_index("customer_id")
    rows = by_id.loc[planted["potential"]]
    share = (rows["segment"] == "potential").mean()
    print(f"\nplanted potential customers in 'potential': {share:.0%} of {len(rows)}")
    assert share >= 0.8
    assert rows["potential_high"].mean() >= 0.9
    assert rows["prob_alive"].median() > 0.9


def test_planted_dilemma_customers_are_dilemma(client, segmented: pd.DataFrame) -> None:
    _, planted = client
    rows = segmented.set_index("customer_id").loc[planted["dilemma"]]
    share = (rows["segment"] == "dilemma").mean()
    print(f"\nplanted dilemma customers in 'dilemma': {share:.0%} of {len(rows)}")
    assert share >= 0.8
    # silent for 6+ months after a burst: the model says they have probably left
    assert rows["prob_alive"].median() < 0.2


def test_dilemma_customers_moved_from_premium(client, segmented: pd.DataFrame) -> None:
    c, planted = client
    mv = sg.segment_movement(
        c.transactions, "2026-04-30", c.config.analysis_date, c.config.segments, c.customers, after=segmented
    )
    before = sg.segment_customers(c.transactions, "2026-04-30", c.config.segments, c.customers)
    was = before.set_index("customer_id").loc[planted["dilemma"], "segment"]
    assert (was == "premium").mean() >= 0.8  # six months earlier they were still buying big
    cell = mv[(mv["from_segment"] == "premium") & (mv["to_segment"] == "dilemma")]["customers"].iloc[0]
    assert cell >= 0.8 * len(planted["dilemma"])
    # the potential customers joined after April: they arrive as new customers
    assert mv[(mv["from_segment"] == "new") & (mv["to_segment"] == "potential")]["customers"].iloc[
        0
    ] >= 0.7 * len(planted["potential"])


def test_summary_with_surveys_and_cases(client, segmented: pd.DataFrame) -> None:
    c, _ = client
    handoffs = pytest.importorskip("cxlab.handoffs")
    summ = describe_segments(
        sg.segment_summary(segmented, c.survey_responses, handoffs.case_metrics(c.events)), "it"
    )
    assert summ["customers"].sum() == len(segmented)
    assert summ["share_of_value"].sum() == pytest.approx(1.0)
    assert summ["nps_n"].sum() > 0 and summ["nps"].between(-100, 100).all()
    assert (summ["handoffs_per_case"] > 0).all()
    premium = summ.set_index("segment").loc["premium"]
    assert premium["share_of_value"] > premium["share_customers"] * 2  # the few who carry the value
    table = cs.segment_table(summ, "it")
    assert table.iloc[:, 0].tolist() == ["Premium", "Potenziale", "Dilemma", "Mantenimento"]
    spec = cs.value_potential_scatter(segmented, "it").to_dict()
    assert len(spec["layer"]) == 3
