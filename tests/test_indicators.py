"""Survey indicators: values computed by hand in each test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from cxlab import indicators as ind
from cxlab.config import ClientConfig, IndicatorSettings, Thresholds
from cxlab.errors import CxlabError, FileFormatError, MissingColumnError, TableDependencyError
from cxlab.exports import export_action_lists
from cxlab.report.methodology import methodology
from cxlab.stats import cochran_armitage, nps_classes, nps_counts, relative_weights, wilson_interval

Z = 1.959963984540054  # two-sided 95 % normal quantile


def responses(scores, **extra) -> pd.DataFrame:
    n = len(scores)
    data = {
        "response_id": pd.array([f"R{i}" for i in range(n)], dtype="str"),
        "answered_at": pd.Timestamp("2026-01-05") + pd.to_timedelta(np.arange(n), unit="D"),
        "nps": np.asarray(scores, dtype=float),
    }
    data.update(extra)
    return pd.DataFrame(data)


# ------------------------------------------------------------------------------------------------ NPS


def test_nps_of_the_issue_example():
    # [10,10,9,8,7,6,5,0,1,10]: promoters 10,10,9,10 = 4; passives 8,7 = 2; detractors 6,5,0,1 = 4.
    # With the standard cut-offs (DESIGN §4: detractors 0–6) NPS = 40 % − 40 % = 0. The issue's "NPS = 10"
    # holds only if 6 were not a detractor (detractors 0–5: 40 % − 30 % = 10), checked below.
    r = responses([10, 10, 9, 8, 7, 6, 5, 0, 1, 10])
    row = ind.nps(r).iloc[0]
    assert (row["n"], row["promoters"], row["passives"], row["detractors"]) == (10, 4, 2, 4)
    assert row["score"] == pytest.approx(0.0)
    assert row["share_promoters"] == pytest.approx(0.4) and row["share_passives"] == pytest.approx(0.2)
    # trinomial SE: sqrt([p + d − (p − d)²] / n) = sqrt(0.8 / 10)
    assert row["se"] == pytest.approx(math.sqrt(0.8 / 10) * 100)
    # adjusted Wald: n' = 13, p' = d' = 4.75 / 13; centre 0; SE' = sqrt(2 × 4.75/13 / 13)
    half = Z * math.sqrt(2 * 4.75 / 13 / 13) * 100
    assert row["low"] == pytest.approx(-half) and row["high"] == pytest.approx(half)
    assert row["small_n"]
    five = ind.nps(r, settings=IndicatorSettings(nps_detractor_max=5)).iloc[0]
    assert five["score"] == pytest.approx(10.0) and five["detractors"] == 3


def test_nps_adjusted_wald_interval_by_hand():
    r = responses([10, 9, 9, 8, 3, np.nan])  # the blank is not a response
    row = ind.nps(r).iloc[0]
    assert row["n"] == 5 and row["score"] == pytest.approx(40.0)
    assert row["se"] == pytest.approx(math.sqrt((0.6 + 0.2 - 0.4**2) / 5) * 100)
    # n' = 8, p' = 3.75/8 = 0.46875, d' = 1.75/8 = 0.21875, centre 25, var = 0.6875 − 0.0625 = 0.625
    se_adj = math.sqrt(0.625 / 8) * 100
    assert row["low"] == pytest.approx(25 - Z * se_adj)  # −29.78
    assert row["high"] == pytest.approx(25 + Z * se_adj)  # 79.78
    assert row["low"] == pytest.approx(-29.78, abs=0.01)


def test_nps_by_groups_flags_small_groups_and_keeps_blank_keys():
    r = responses(
        [10, 10, 0, 9, 7, 3],
        touchpoint=pd.Categorical(["a", "a", "a", "b", "b", None], categories=["b", "a", "z"]),
    )
    t = ind.nps(r, by="touchpoint", thresholds=Thresholds(small_n=3))
    assert list(t["touchpoint"].astype("str").fillna("NA")) == ["b", "a", "NA"]  # category order, blank last
    assert t["score"].round(6).tolist() == [50.0, pytest.approx(100 / 3), -100.0]
    assert t["small_n"].tolist() == [True, False, True]
    assert t["n"].sum() == 6


def test_nps_by_derived_month_and_two_columns():
    r = responses([10, 0, 9, 9], survey=pd.Categorical(["hot", "hot", "cold", "hot"]))
    r["answered_at"] = pd.to_datetime(
        ["2026-01-31 23:00", "2026-02-01 00:00", "2026-02-15 00:00", "2026-02-28 00:00"]
    )
    t = ind.nps(r, by=["month", "survey"])
    assert t["month"].tolist() == [pd.Timestamp("2026-01-01")] + [pd.Timestamp("2026-02-01")] * 2
    assert t["survey"].astype("str").tolist() == ["hot", "cold", "hot"]
    assert t["score"].tolist() == [100.0, 100.0, 0.0]


# ------------------------------------------------------------------------------------- CSAT, CES, CXi


def test_csat_top2box_mean_and_wilson():
    r = responses([10] * 6, csat=[5, 4, 3, 2, 1, 5])
    row = ind.csat(r).iloc[0]
    assert row["share_top"] == pytest.approx(0.5) and row["top"] == 3
    assert row["mean"] == pytest.approx(20 / 6)
    assert row["score"] == row["share_top"] and row["rule"] == "%4-5" and row["unit"] == "share"
    # Wilson for 3/6 by hand
    p, n = 0.5, 6
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / (1 + Z**2 / n)
    assert row["low"] == pytest.approx(centre - half) and row["high"] == pytest.approx(centre + half)
    sd = np.std([5, 4, 3, 2, 1, 5], ddof=1)
    by_mean = ind.csat(r, settings=IndicatorSettings(csat_rule="mean")).iloc[0]
    assert by_mean["score"] == pytest.approx(20 / 6) and by_mean["unit"] == "mean"
    assert by_mean["low"] == pytest.approx(20 / 6 - Z * sd / math.sqrt(6))


def test_wilson_matches_the_textbook_value():
    low, high = wilson_interval(3, 10)
    assert float(low) == pytest.approx(0.1078, abs=1e-4) and float(high) == pytest.approx(0.6032, abs=1e-4)


def test_ces_share_5_to_7_and_mean():
    r = responses([10] * 5, ces=[7, 6, 5, 4, 1])
    row = ind.ces(r).iloc[0]
    assert row["share_top"] == pytest.approx(0.6) and row["mean"] == pytest.approx(4.6)
    assert row["rule"] == "%5-7"
    assert ind.ces(r, settings=IndicatorSettings(ces_rule="mean")).iloc[0]["score"] == pytest.approx(4.6)


def test_cxi_per_question_net_averaged():
    r = responses(
        [10] * 4,
        cxi_needs=[5, 4, 2, 3],  # top 2, bottom 1 of 4 -> +25
        cxi_ease=[5, 1, 1, np.nan],  # top 1, bottom 2 of 3 -> −33.3
        cxi_enjoy=[4, 4, 4, 4],  # +100
    )
    row = ind.cxi(r).iloc[0]
    assert row["net_needs"] == pytest.approx(25.0)
    assert row["net_ease"] == pytest.approx(-100 / 3)
    assert row["net_enjoy"] == pytest.approx(100.0)
    assert row["score"] == pytest.approx((25 - 100 / 3 + 100) / 3)
    # interval from each respondent's mean per-question score
    per_resp = np.array([(100 + 100 + 100) / 3, (100 - 100 + 100) / 3, (-100 - 100 + 100) / 3, (0 + 100) / 2])
    assert row["n"] == 4
    assert row["se"] == pytest.approx(per_resp.std(ddof=1) / 2)


def test_indicator_table_and_missing_columns():
    r = responses([10, 0], csat=[5, 1])
    t = ind.indicator_table(r)
    assert t["indicator"].tolist() == ["nps", "csat"]  # no CES / CXi columns: left out
    assert list(t.columns) == ind.COMMON
    with pytest.raises(MissingColumnError):
        ind.ces(r)
    with pytest.raises(MissingColumnError):
        ind.nps(r, by="segment")
    with pytest.raises(CxlabError):
        ind.nps(r, settings="strict")  # type: ignore[arg-type]
    # a whole ClientConfig is accepted as settings
    cfg = ClientConfig(name="x", thresholds=Thresholds(small_n=1))
    assert not ind.nps(r, settings=cfg)["small_n"].iloc[0]


# ------------------------------------------------------------------------------------------ barometer


def test_two_wave_wald_z_by_hand():
    w1 = [10] * 12 + [7] * 4 + [2] * 4  # NPS 40, p = .6, d = .2, n = 20
    w2 = [9] * 6 + [8] * 6 + [0] * 8  # NPS −10, p = .3, d = .4
    r = responses(w1 + w2, survey=pd.Categorical(["cold"] * 40), wave=["2026-W1"] * 20 + ["2026-W2"] * 20)
    b = ind.barometer(r, indicators=("nps",))
    row = b.iloc[0]
    se1 = math.sqrt((0.6 + 0.2 - 0.4**2) / 20) * 100  # 17.89
    se2 = math.sqrt((0.3 + 0.4 - 0.1**2) / 20) * 100  # 18.57
    z = (-10 - 40) / math.sqrt(se1**2 + se2**2)
    assert (row["wave_from"], row["wave_to"]) == ("2026-W1", "2026-W2")
    assert row["change"] == pytest.approx(-50.0)
    assert row["z"] == pytest.approx(z) and row["z"] == pytest.approx(-1.9389, abs=1e-4)
    assert not row["significant"]  # |z| < 1.96
    assert row["low"] == pytest.approx(-50 - Z * math.sqrt(se1**2 + se2**2))
    assert row["p_value"] == pytest.approx(0.0525, abs=1e-3)


def test_barometer_orders_waves_by_date_and_ignores_hot():
    r = responses(
        [10, 10, 0, 0, 5],
        survey=pd.Categorical(["cold", "cold", "cold", "cold", "hot"]),
        wave=["B", "B", "A", "A", None],
    )
    r["answered_at"] = pd.to_datetime(["2026-06-01", "2026-06-02", "2026-01-01", "2026-01-02", "2026-03-01"])
    b = ind.barometer(r, indicators=("nps",))
    assert (b["wave_from"].iloc[0], b["wave_to"].iloc[0]) == ("A", "B")  # A is earlier although named later
    assert b["change"].iloc[0] == pytest.approx(200.0)
    assert ind.barometer(r[r["wave"] == "A"], indicators=("nps",)).empty  # one wave: nothing to compare


# ------------------------------------------------------------------------------- response rate, pressure


def invitations(rows) -> pd.DataFrame:
    cust, day, survey, answered = zip(*rows, strict=True)
    n = len(rows)
    sent = pd.Timestamp("2026-01-01") + pd.to_timedelta(list(day), unit="D")
    return pd.DataFrame(
        {
            "invitation_id": pd.array([f"I{i}" for i in range(n)], dtype="str"),
            "customer_id": pd.array(cust, dtype="str"),
            "sent_at": sent,
            "survey": pd.Categorical(survey, categories=["hot", "cold"]),
            "responded_at": [
                s + pd.Timedelta(hours=2) if a else pd.NaT for s, a in zip(sent, answered, strict=True)
            ],
        }
    )


def test_response_rate_wilson_and_band():
    inv = invitations(
        [("A", i, "cold", i < 3) for i in range(10)] + [("B", i, "hot", True) for i in range(4)]
    )
    rr = ind.response_rate(inv)
    cold = rr[rr["survey"] == "cold"].iloc[0]
    assert (cold["invitations"], cold["responses"]) == (10, 3) and cold["rate"] == pytest.approx(0.3)
    assert cold["low"] == pytest.approx(0.1078, abs=1e-4) and cold["band_position"] == "above"
    assert rr[rr["survey"] == "hot"]["band_position"].iloc[0] == "above"
    overall = ind.response_rate(inv, by=None).iloc[0]
    assert overall["rate"] == pytest.approx(7 / 14)


def test_response_rate_links_responses_by_invitation_id():
    inv = invitations([("A", 0, "cold", False), ("A", 1, "cold", False)]).drop(columns="responded_at")
    resp = pd.DataFrame({"invitation_id": pd.array(["I1", None], dtype="str")})
    assert ind.response_rate(inv, resp, by=None)["responses"].iloc[0] == 1
    with pytest.raises(TableDependencyError):
        ind.response_rate(inv)  # neither responded_at nor responses


def test_survey_pressure_rolling_90_days_by_hand():
    rows = [("A", d, "hot", d == 0) for d in (0, 10, 50, 89, 95, 200)]  # trailing counts 1 2 3 4 4 1
    rows += [("B", d, "hot", True) for d in (0, 30, 60)]  # max 3: not over-surveyed
    rows += [("C", d, "hot", False) for d in (90, 60, 30, 0)]  # day 0 and day 90: inclusive -> 4
    inv = invitations(rows)
    p = ind.invitation_pressure(inv)
    assert p.tolist()[:6] == [1, 2, 3, 4, 4, 1]
    assert p.tolist()[6:9] == [1, 2, 3]
    assert p.tolist()[9:] == [4, 3, 2, 1]
    sp = ind.survey_pressure(inv).set_index("customer_id")
    assert sp.loc["A", "max_pressure"] == 4 and sp.loc["A", "over_surveyed"]
    assert sp.loc["A", "peak_start"] == pd.Timestamp("2026-01-01")
    assert sp.loc["A", "peak_end"] == pd.Timestamp("2026-01-01") + pd.Timedelta(days=89)
    assert sp.loc["A", "responses"] == 1 and sp.loc["A", "response_rate"] == pytest.approx(1 / 6)
    assert not sp.loc["B", "over_surveyed"] and sp.loc["C", "over_surveyed"]
    assert list(ind.over_surveyed(inv)["customer_id"]) == ["A", "C"]  # most invitations first on a tie
    assert not ind.survey_pressure(inv, thresholds=Thresholds(over_surveyed=4))["over_surveyed"].any()


def test_cochran_armitage_by_hand():
    # n = 10, 10, 10; x = 6, 4, 2; p̄ = .4; Σt(x − np̄) = −4; var = .24 × (50 − 30²/30) = 4.8
    z, p = cochran_armitage(np.array([6, 4, 2]), np.array([10, 10, 10]))
    assert z == pytest.approx(-4 / math.sqrt(4.8))
    assert p == pytest.approx(0.0679, abs=1e-3)


def test_pressure_response_curve_buckets():
    rows = [(f"K{i}", 0, "hot", i % 2 == 0) for i in range(10)]  # pressure 1, half answer
    rows += [("M", d, "hot", d == 0) for d in range(0, 70, 10)]  # pressure 1..7, only the first answers
    curve = ind.pressure_response_curve(invitations(rows), max_bucket=6)
    assert curve["pressure"].astype("str").tolist() == ["1", "2", "3", "4", "5", "6+"]
    first, last = curve.iloc[0], curve.iloc[-1]
    assert (first["invitations"], first["responses"]) == (11, 6)
    assert (last["invitations"], last["responses"]) == (2, 0)
    assert curve.attrs["trend_z"] < 0


def test_stopped_answering_by_hand():
    rows = [
        ("A", 0, "cold", True), ("A", 180, "cold", False),  # stopped
        ("B", 0, "cold", True), ("B", 180, "cold", True),  # still answering
        ("C", 0, "cold", False), ("C", 180, "cold", False),  # never answered
        ("D", 0, "cold", True),  # not invited to the latest wave
    ]  # fmt: skip
    inv = invitations(rows)
    inv["wave"] = ["W1", "W2", "W1", "W2", "W1", "W2", "W1"]
    resp = pd.DataFrame(
        {
            "customer_id": pd.array(["A", "B", "B", "D"], dtype="str"),
            "survey": pd.Categorical(["cold"] * 4),
            "wave": ["W1", "W1", "W2", "W1"],
            "nps": [3.0, 9.0, 9.0, 8.0],
            "answered_at": pd.to_datetime(["2026-01-02"] * 4),
        }
    )
    out = ind.stopped_answering(inv, resp)
    assert out["customer_id"].tolist() == ["A"]
    assert out["last_answered_wave"].iloc[0] == "W1" and out["missed_wave"].iloc[0] == "W2"
    assert out["previous_nps"].iloc[0] == 3 and out["previous_detractor"].iloc[0]


# ---------------------------------------------------------------------------------------- action lists


def test_ultra_lists_newest_first_one_row_per_customer():
    r = responses(
        [0, 1, 10, 9, 1, 5],
        customer_id=pd.array(["A", "A", "B", "C", None, "D"], dtype="str"),
        followup_at=pd.to_datetime([None, "2026-01-07", None, None, None, None]),
    )
    customers = pd.DataFrame(
        {"customer_id": pd.array(["A", "B"], dtype="str"), "name": ["Alfa", "Beta"], "segment": ["A", "C"]}
    )
    segments = pd.DataFrame({"customer_id": ["A"], "segment": pd.Categorical(["premium"])})
    ud = ind.ultra_detractors(r, customers, segments)
    # R4 (no customer, newest) then A's latest answer (R1, day 2, contacted); A answered 0–1 twice
    assert ud["response_id"].tolist() == ["R4", "R1"]
    assert ud["rank"].tolist() == [1, 2]
    a = ud.set_index("response_id").loc["R1"]
    assert a["answers"] == 2 and a["contacted"] and a["name"] == "Alfa"
    assert a["value_segment"] == "premium" and a["client_segment"] == "A"
    assert len(ind.ultra_detractors(r, per_customer=False)) == 3
    up = ind.ultra_promoters(r, customers)
    assert up["customer_id"].tolist() == ["C", "B"]


def test_export_action_lists(tmp_path):
    r = responses([0, 10], customer_id=pd.array(["A", "B"], dtype="str"))
    lists = {"call_back": ind.ultra_detractors(r), "testimonials": ind.ultra_promoters(r)}
    [xlsx] = export_action_lists(lists, tmp_path / "out" / "lists.xlsx")
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["call_back", "testimonials"]
    assert wb["call_back"]["B2"].value == "A" and wb["call_back"]["A1"].font.bold
    csvs = export_action_lists(lists, tmp_path / "lists.csv", lang="it")
    assert [p.name for p in csvs] == ["lists_call_back.csv", "lists_testimonials.csv"]
    text = csvs[0].read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("rank;customer_id")
    with pytest.raises(FileFormatError):
        export_action_lists(lists, tmp_path / "lists.pdf")


# ----------------------------------------------------------------------------------------- key drivers


def test_relative_weights_of_orthogonal_predictors():
    x = np.array([[1, 1], [-1, 1], [1, -1], [-1, -1]], dtype=float)
    y = 2 * x[:, 0] + x[:, 1]
    w, r2 = relative_weights(x, y)
    # orthogonal predictors: weight = squared correlation = 4/5 and 1/5, summing to R² = 1
    assert w == pytest.approx([0.8, 0.2]) and r2 == pytest.approx(1.0)


def test_relative_weights_sum_to_ols_r2():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(500, 3))
    x[:, 1] += x[:, 0]
    y = x @ [1.0, 0.5, 0.0] + rng.normal(size=500)
    w, r2 = relative_weights(x, y)
    design = np.c_[np.ones(500), x]
    resid = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
    assert r2 == pytest.approx(1 - resid.var() / y.var())
    assert w.sum() == pytest.approx(r2) and w[2] < 0.01


def test_key_drivers_difference_with_interval_by_hand():
    # driver "late": 4 responses with it (0, 2, 8, 9 → NPS (1−2)/4 = −25), 4 without (10, 10, 9, 6 → +50)
    scores = [0, 2, 8, 9, 10, 10, 9, 6]
    r = responses(scores)
    drivers = pd.DataFrame(
        {"theme=late": [1, 1, 1, 1, 0, 0, 0, 0], "handoffs": [5, 4, 3, 1, 1, 2, 0, 1]}, index=r.index
    )
    kd = ind.key_drivers(r, drivers, thresholds=Thresholds(small_n=2)).set_index("driver")
    late = kd.loc["theme=late"]
    assert late["kind"] == "theme" and late["level"] == "late"
    assert late["performance"] == pytest.approx(-25.0) and late["score_without"] == pytest.approx(50.0)
    se_w = math.sqrt((0.25 + 0.5 - 0.25**2) / 4) * 100
    se_o = math.sqrt((0.75 + 0.25 - 0.5**2) / 4) * 100
    assert late["difference"] == pytest.approx(-75.0)
    assert late["diff_low"] == pytest.approx(-75 - Z * math.sqrt(se_w**2 + se_o**2))
    assert kd.loc["handoffs", "with_rule"] == "> 1.5"  # a count: above its median
    assert kd["importance"].sum() == pytest.approx(1.0)
    assert set(kd["quadrant"]) <= set(ind.QUADRANTS)


def test_driver_table_links_cases_departments_and_themes():
    r = responses([9, 3, 7], case_id=pd.array(["c1", "c2", None], dtype="str"))
    r["touchpoint"] = pd.Categorical(["delivery", "delivery", "relationship"])
    events = pd.DataFrame(
        {"case_id": ["c1", "c1", "c2"], "department": pd.Categorical(["Sales", "Logistics", "Credit"])}
    )
    cases = pd.DataFrame({"case_id": ["c1", "c2"], "handoffs": [1, 0]})
    themes = pd.DataFrame({"late": [False, True]}, index=r.index[:2])
    d = ind.driver_table(r, cases=cases, events=events, themes=themes)
    assert d["touchpoint=delivery"].tolist() == [1, 1, 0]
    assert d["department=Logistics"].tolist()[:2] == [1, 0] and np.isnan(d["department=Credit"].iloc[2])
    assert d["handoffs"].tolist()[:2] == [1, 0]
    assert d["theme=late"].tolist() == [0, 1, 0]


# ----------------------------------------------------------------------------------------- closed loop


def test_closed_loop_statuses():
    r = responses(
        [2, 5, 6, 0, 9],
        survey=pd.Categorical(["hot"] * 5),
        touchpoint=["d", "d", "s", "s", "s"],
    )
    r["answered_at"] = pd.to_datetime(["2026-01-01", "2026-01-01", "2026-01-01", "2026-01-10", "2026-01-10"])
    r["followup_at"] = pd.to_datetime(["2026-01-02", "2026-01-05", None, None, None])
    detail = ind.closed_loop(r, detail=True)
    assert detail["status"].astype("str").tolist() == ["on_time", "late", "overdue", "open"]
    assert detail["hours_to_followup"].iloc[0] == pytest.approx(24.0)
    s = ind.closed_loop(r).iloc[0]
    assert (s["detractors"], s["contacted"], s["on_time"], s["open"]) == (4, 2, 1, 1)
    assert s["share_on_time"] == pytest.approx(1 / 3) and s["tracked"]
    by = ind.closed_loop(r, by="touchpoint")
    assert by["detractors"].tolist() == [2, 2]
    untracked = ind.closed_loop(r.drop(columns="followup_at")).iloc[0]
    assert not untracked["tracked"] and np.isnan(untracked["share_on_time"])


# --------------------------------------------------------------------------------- summary, methodology


def test_indicator_summary_from_tables():
    r = responses(
        [10, 9, 0, 10],
        survey=pd.Categorical(["hot", "hot", "cold", "cold"]),
        wave=[None, None, "W1", "W2"],
        csat=[5, 4, 1, 5],
    )
    r["answered_at"] = pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03", "2026-07-01"])
    inv = invitations(
        [("A", 0, "hot", True), ("A", 1, "hot", True), ("B", 2, "cold", True), ("C", 3, "cold", False)]
    )
    s = ind.indicator_summary({"survey_responses": r, "survey_invitations": inv})
    nps_rows = s[s["measure"] == "nps"].set_index("scope")
    assert nps_rows.loc["all", "score"] == pytest.approx(50.0)
    assert nps_rows.loc["hot", "score"] == pytest.approx(100.0)
    assert nps_rows.loc["cold_latest", "wave"] == "W2" and nps_rows.loc["cold_latest", "n"] == 1
    rr = s[s["measure"] == "response_rate"].set_index("scope")
    assert rr.loc["cold", "score"] == pytest.approx(0.5) and rr.loc["all", "n"] == 4
    assert {"measure", "scope", "n", "score", "low", "high", "small_n"} <= set(s.columns)


def test_methodology_prints_the_rules_in_force():
    m = methodology(IndicatorSettings(ces_rule="mean"), lang="en").set_index("topic")["text"]
    assert "the mean" in m["ces"] and "not Forrester's CX Index" in m["cxi"]
    it = methodology(lang="it").set_index("topic")["text"]
    assert "% 5–7" in it["ces"] and "90 giorni" in it["pressure"]


def test_non_integer_answers_use_the_weighted_path():
    # a client export with half points (4.5) cannot use the integer distribution: same figures by weights
    r = responses([10, 9.5, 6.5, 3], csat=[4.5, 5, 2, 3.5])
    row = ind.nps(r).iloc[0]
    assert (row["promoters"], row["detractors"]) == (2, 1) and row["score"] == pytest.approx(25.0)
    c = ind.csat(r).iloc[0]
    assert c["top"] == 2 and c["mean"] == pytest.approx(15 / 4)


def test_hot_trend_weeks_start_on_monday():
    r = responses([10, 0, 9], survey=pd.Categorical(["hot", "hot", "cold"]), touchpoint=["d", "d", "d"])
    r["answered_at"] = pd.to_datetime(
        ["2026-01-04 12:00", "2026-01-05 09:00", "2026-01-05 10:00"]
    )  # Sun, Mon
    trend = ind.hot_trend(r, freq="W")
    assert trend["period"].tolist() == [pd.Timestamp("2025-12-29"), pd.Timestamp("2026-01-05")]
    assert trend["score"].tolist() == [100.0, -100.0] and trend["n"].tolist() == [1, 1]  # the cold one is out
    with pytest.raises(CxlabError):
        ind.hot_trend(r, freq="fortnight")


def test_key_drivers_needs_drivers_and_rows():
    r = responses([10, 0])
    with pytest.raises(CxlabError):
        ind.key_drivers(r, pd.DataFrame(index=r.index))
    with pytest.raises(CxlabError):
        ind.key_drivers(r, pd.DataFrame({"x": [1, 0]}, index=r.index))  # fewer than 3 responses


def test_survey_findings_prefer_large_groups_and_customer_attributes():
    # industry X: 40 + 40 answers, NPS +50 -> +10: change −40, z = −40 / sqrt(11.18² + 12.14²) = −2.42
    # industry Z: 3 + 3 answers, NPS +66.7 -> −66.7: z = −3.46, but a small group: not the finding
    w1 = [10] * 25 + [8] * 10 + [3] * 5
    w2 = [10] * 14 + [8] * 16 + [3] * 10
    ids = [f"X{i}" for i in range(40)] * 2 + ["Z1", "Z2", "Z3"] * 2
    r = responses(
        w1 + w2 + [10, 10, 8, 0, 0, 8],
        survey=pd.Categorical(["cold"] * 86),
        wave=["W1"] * 40 + ["W2"] * 40 + ["W1"] * 3 + ["W2"] * 3,
        customer_id=pd.array(ids, dtype="str"),
    )
    r["answered_at"] = pd.Timestamp("2026-03-01") + pd.to_timedelta(
        [0] * 40 + [180] * 40 + [0] * 3 + [180] * 3, unit="D"
    )
    customers = pd.DataFrame(
        {
            "customer_id": pd.array([f"X{i}" for i in range(40)] + ["Z1", "Z2", "Z3"], dtype="str"),
            "industry": ["X"] * 40 + ["Z"] * 3,
            "region": ["North"] * 40 + ["South"] * 3,
            "segment": ["A"] * 43,
        }
    )
    f = ind.survey_findings({"survey_responses": r, "customers": customers})
    assert f["nps.barometer_drop_by"] == "industry" and f["nps.barometer_drop_group"] == "X"
    assert f["nps.barometer_drop_points"] == pytest.approx(-40.0) and f["nps.barometer_drop_significant"]
    b = ind.barometer(ind.add_customer_attributes(r, customers), by="industry", indicators=("nps",))
    z = b.set_index("industry")["z"]
    assert z["X"] == pytest.approx(-2.42, abs=0.01) and z["Z"] < z["X"]  # Z's z is larger, but n = 3
    joined = ind.add_customer_attributes(r, customers)
    assert {"industry", "region", "client_segment"} <= set(joined.columns) and len(joined) == len(r)


def test_nps_counts_apply_the_thresholds_once_per_answer():
    # group 0: 10, 9 (promoters), 7 (passive), 6 (detractor); group 1: 0 (detractor), blank, "n/a"; group 2: none
    scores = pd.Series([10, 9, 7, 6, 0, None, "n/a"], dtype=object)
    groups = np.array([0, 0, 0, 0, 1, 1, 1])
    answered, promoter, detractor = nps_classes(scores, 9, 6)
    assert answered.tolist() == [True, True, True, True, True, False, False]
    assert promoter.tolist() == [True, True, False, False, False, False, False]
    assert detractor.tolist() == [False, False, False, True, True, False, False]
    n, p, d = nps_counts(groups, 3, scores, 9, 6)
    assert n.tolist() == [4, 1, 0] and p.tolist() == [2, 0, 0] and d.tolist() == [1, 1, 0]
    # a client's own thresholds (promoters from 8, detractors up to 5) move the 7 and the 6
    _, p, d = nps_counts(groups, 3, np.array([10, 9, 7, 6, 0, np.nan, np.nan]), 8, 5)
    assert p.tolist() == [2, 0, 0] and d.tolist() == [0, 1, 0]
