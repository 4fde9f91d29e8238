"""The survey findings planted in the demo client (docs/demo_client.md, findings 4–7) are recovered."""

from __future__ import annotations

import json

import pytest

from cxlab import handoffs as h
from cxlab import indicators as ind
from cxlab.text import detect_themes

demo = pytest.importorskip("cxlab.demo")
io = pytest.importorskip("cxlab.intake")


@pytest.fixture(scope="module")
def client(demo_client_dir_full):
    folder = demo_client_dir_full
    c = io.load_client(folder)
    planted = json.loads((folder / "planted.json").read_text(encoding="utf-8"))
    return c, planted


@pytest.fixture(scope="module")
def with_industry(client):
    c, _ = client
    cust = c.customers[["customer_id", "industry"]]
    return c.survey_responses.merge(cust, on="customer_id", how="left")


def test_barometer_drop_in_the_planted_industry_is_significant(client, with_industry):
    c, planted = client
    b = ind.barometer(with_industry, by="industry", indicators=("nps",), settings=c.config)
    assert (b["wave_from"].iloc[0], b["wave_to"].iloc[0]) == tuple(planted["barometer_waves"])
    rows = b.set_index(b["industry"].astype("str"))
    drop = rows.loc[planted["barometer_drop_industry"]]
    assert drop["change"] < -25 and drop["significant"] and drop["z"] < -1.96  # ~ −33 points, z ≈ −2.5
    assert drop["score_from"] > 40 and drop["score_to"] < 20
    others = rows.drop(index=planted["barometer_drop_industry"])
    assert (others["change"].abs() < 5).all() and not others["significant"].any()


def test_survey_findings_name_the_planted_drop(client):
    c, planted = client
    f = ind.survey_findings(c.tables, c.config)
    assert f["nps.barometer_drop_by"] == "industry"
    assert f["nps.barometer_drop_group"] == planted["barometer_drop_industry"]
    assert f["nps.barometer_drop_significant"] and f["nps.barometer_drop_points"] < -25
    assert f["survey.over_surveyed_customers"] == len(planted["over_surveyed"])
    assert f["survey.stopped_answering"] == len(planted["stopped_answering"])
    assert f["survey.response_rate_low_pressure"] > 0.25 > 0.10 > f["survey.response_rate_high_pressure"]
    assert 0.15 <= f["survey.response_rate_cold"] <= 0.25


def test_over_surveyed_customers_are_listed(client):
    c, planted = client
    over = ind.over_surveyed(c.survey_invitations, c.survey_responses, c.customers, settings=c.config)
    assert set(over["customer_id"]) == set(planted["over_surveyed"])
    assert (over["max_pressure"] > 3).all() and over["name"].notna().all()


def test_response_rate_falls_with_pressure(client):
    c, _ = client
    curve = ind.pressure_response_curve(c.survey_invitations, c.survey_responses, settings=c.config)
    rates = curve.set_index(curve["pressure"].astype("str"))["rate"]
    assert 0.28 <= rates["1"] <= 0.38 and rates["6+"] < 0.10
    assert curve.attrs["falls"] and curve.attrs["trend_z"] < -3


def test_cold_response_rate_in_the_typical_band(client):
    c, _ = client
    rr = ind.response_rate(c.survey_invitations, c.survey_responses, by=["survey", "wave"])
    cold = rr[rr["survey"].astype("str") == "cold"]
    assert len(cold) == 2 and cold["rate"].between(0.18, 0.26).all()
    assert (cold["band_position"] == "within").all()


def test_stopped_answering_matches_planted(client):
    c, planted = client
    out = ind.stopped_answering(c.survey_invitations, c.survey_responses, c.customers)
    assert set(out["customer_id"]) == set(planted["stopped_answering"])
    # unhappy wave-1 respondents stop more often: the list starts with detractors
    assert out["previous_detractor"].iloc[0]


def test_ultra_detractors_in_hot_and_cold(client):
    c, _ = client
    ud = ind.ultra_detractors(c.survey_responses, c.customers)
    assert set(ud["survey"].astype("str")) == {"hot", "cold"}
    assert ud["answered_at"].is_monotonic_decreasing and (ud["nps"] <= 1).all()
    assert ud["customer_id"].is_unique


def test_hot_below_cold_and_indicators_agree(client):
    c, _ = client
    hc = ind.hot_vs_cold(c.survey_responses)
    score = hc.set_index([hc["indicator"], hc["survey"].astype("str")])["score"]
    for name in ind.INDICATORS:  # every indicator tells the same story: hot (case-driven) below cold
        assert score[(name, "hot")] < score[(name, "cold")]
    summary = ind.indicator_summary(c.tables, c.config)
    assert set(summary["measure"]) == {"nps", "csat", "ces", "cxi", "response_rate"}


def test_key_drivers_find_handoffs_and_complaint_themes(client):
    c, _ = client
    r = c.survey_responses
    hot = r[r["survey"].astype("str") == "hot"]
    cases = h.case_metrics(c.events, c.config.activities)
    themes = detect_themes(hot["comment"].fillna(""))
    drivers = ind.driver_table(hot, cases=cases, events=c.events, themes=themes, touchpoints=False)
    kd = ind.key_drivers(hot, drivers, settings=c.config)
    assert 0.3 < kd["r2"].iloc[0] < 1
    top = kd.set_index("driver")
    assert kd["driver"].iloc[0] == "handoffs"  # cases with more handoffs score far lower
    assert top.loc["handoffs", "difference"] < -30 and top.loc["handoffs", "significant"]
    assert top.loc["department=Credit", "difference"] < -30  # the dispute ping-pong
    assert top.loc["handoffs", "quadrant"] == "fix_first"


def test_closed_loop_on_demo(client):
    c, _ = client
    cl = ind.closed_loop(c.survey_responses, by="touchpoint", settings=c.config)
    assert cl["tracked"].all() and cl["detractors"].sum() > 0
    assert (cl["contacted"] <= cl["detractors"]).all()
