"""Culture on the demo client: the planted workshop results (docs/demo_client.md, finding 9)."""

from __future__ import annotations

import pytest

from cxlab.charts.culture import culture_dot_chart, self_vs_others_chart
from cxlab.culture import department_spread, pillar_scores, question_scores, self_vs_others
from cxlab.intake import load_client


@pytest.fixture(scope="module")
def culture(demo_client_dir_full):
    return load_client(demo_client_dir_full).culture


def test_customer_service_rates_itself_high_and_others_low(culture):
    svo = self_vs_others(culture).set_index("department")
    assert len(svo) == 8
    cs = svo.loc["Customer Service"]
    assert cs["self_score"] > 4.0  # planted ~4.5 (answers are rounded to whole points and clipped)
    assert cs["of_others"] < 2.7  # planted ~2.3
    assert cs["of_others"] == svo["of_others"].min()
    assert svo.index[0] == "Customer Service"  # the largest self-vs-others gap


def test_logistics_and_credit_lowest_on_information(culture):
    q = question_scores(culture)
    info = q[q["question_id"].isin(["q03_info_we_pass", "q04_info_we_receive"])]
    lowest = info.groupby("department")["score"].mean().nsmallest(2)
    assert set(lowest.index) == {"Logistics", "Credit"}


def test_roles_pillar_has_the_largest_spread(culture):
    scores = pillar_scores(culture)
    assert len(scores) == 8 * 4
    spread = department_spread(scores)
    assert spread.loc[0, "pillar"] == "roles" and spread.loc[0, "spread"] > 1.5
    assert spread.loc[0, "highest_department"] == "Customer Service"


def test_demo_charts_build(culture):
    assert len(culture_dot_chart(pillar_scores(culture), "it").to_dict()["layer"]) == 2
    assert len(self_vs_others_chart(self_vs_others(culture), "en").to_dict()["layer"]) == 2
