"""Customer value segmentation (cxlab.segments) and its charts, on hand-written data."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from cxlab import clv
from cxlab import segments as sg
from cxlab.charts import segments as cs
from cxlab.config import SegmentSettings, config_from_dict
from cxlab.errors import AnalysisError, ConfigError, MissingColumnError
from cxlab.report.segments_text import describe_segments, segment_label, service_levels

END = pd.Timestamp("2026-10-31")
TREND_ONLY = SegmentSettings(min_repeat_customers=10**9)  # force the trend fallback for the whole client


def tx(rows: list[tuple[str, str, float]], margin: float | None = 0.25) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    frame["customer_id"] = frame["customer_id"].astype("str")
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")
    if margin is not None:
        frame["margin"] = frame["amount"] * margin
    return frame


def simulate_bgnbd(
    n: int, r: float, alpha: float, a: float, b: float, weeks: float, seed: int, start: str = "2024-01-01"
) -> pd.DataFrame:
    """Transactions from the BG/NBD story (first purchase at a random time in the first quarter)."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1 / alpha, n)  # per week
    p = rng.beta(a, b, n)
    nu = rng.gamma(4.0, 1 / 60.0, n)
    first = rng.uniform(0, 12, n)
    times = [first]
    t = first.copy()
    alive = np.ones(n, bool)
    while alive.any():
        t = t + rng.exponential(1 / np.maximum(lam, 1e-12))
        alive &= t <= weeks
        times.append(np.where(alive, t, np.nan))
        alive &= rng.random(n) >= p  # drop out after a purchase with probability p
    grid = np.column_stack(times)
    cust, k = np.nonzero(np.isfinite(grid))
    days = np.floor(grid[cust, k] * 7).astype(int)
    return pd.DataFrame(
        {
            "customer_id": pd.array([f"S{c:05d}" for c in cust], dtype="str"),
            "date": pd.Timestamp(start) + pd.to_timedelta(days, unit="D"),
            # Gamma-Gamma spend: per-customer scale ν ~ Gamma(q=4, v=60), amount ~ Gamma(p=6, ν)
            "amount": np.round(rng.gamma(6.0, 1 / nu[cust]), 2),
        }
    )


# --------------------------------------------------------------------------------------------------
# current value


def test_current_value_window_by_hand() -> None:
    data = tx(
        [
            ("a", "2025-10-31", 1000.0),  # exactly 12 months before: outside the window
            ("a", "2025-11-01", 100.0),
            ("a", "2026-10-31T18:00", 50.0),  # on the analysis date: inside
            ("a", "2026-11-01", 999.0),  # after: ignored
            ("b", "2025-05-05", 70.0),  # history only
        ]
    )
    cv = sg.current_value(data, END).set_index("customer_id")
    assert cv.loc["a", "sales"] == pytest.approx(150.0)
    assert cv.loc["a", "margin"] == pytest.approx(37.5)
    assert cv.loc["a", "purchases"] == 2
    assert cv.loc["a", "first_purchase"] == pd.Timestamp("2025-10-31")
    assert cv.loc["a", "last_purchase"] == pd.Timestamp("2026-10-31")
    assert cv.loc["b", "sales"] == 0 and cv.loc["b", "purchases"] == 0
    # a 24-month window and a customers table with a customer who never bought
    wide = sg.current_value(
        data,
        END,
        SegmentSettings(value_window_months=24),
        customers=pd.DataFrame({"customer_id": ["c", "a"]}),
    ).set_index("customer_id")
    assert wide.loc["a", "sales"] == pytest.approx(1150.0)
    assert wide.loc["b", "sales"] == pytest.approx(70.0)
    assert wide.loc["c", "sales"] == 0 and pd.isna(wide.loc["c", "first_purchase"])
    # no margin column: NaN, not a crash
    assert sg.current_value(tx([("a", "2026-01-01", 10.0)], margin=None), END)["margin"].isna().all()
    # default analysis date: the last transaction day
    # (2026-11-01: the window starts after 2025-11-01, so a's purchase of that day drops out)
    assert sg.current_value(data)["sales"].sum() == pytest.approx(999.0 + 50)


# --------------------------------------------------------------------------------------------------
# future potential


def test_trend_fallback_by_hand() -> None:
    data = tx(
        [
            ("grow", "2025-06-01", 100.0),  # older than 12 months: prior window fully observed
            ("grow", "2025-12-01", 600.0),  # prior 6 months
            ("grow", "2026-06-15", 700.0),  # recent 6 months
            ("grow", "2026-10-01", 500.0),
            ("new", "2026-09-01", 300.0),  # two months old: exposure floored at 3 months
            ("gone", "2025-09-01", 50.0),
            ("gone", "2026-01-10", 500.0),  # nothing in the last 6 months
            ("flat", "2025-01-01", 10.0),
            ("flat", "2026-03-01", 100.0),
            ("flat", "2026-09-01", 100.0),
        ]
    )
    tr = sg.trend_potential(data, END, TREND_ONLY).set_index("customer_id")
    # grow: rate 1200/6 = 200 a month; growth (200)/(600/6) = 2 (the cap); 12 months → 4800
    assert tr.loc["grow", "growth"] == pytest.approx(2.0)
    assert tr.loc["grow", "future_value"] == pytest.approx(200 * 12 * 2)
    assert tr.loc["grow", "expected_purchases"] == pytest.approx(2 / 6 * 12 * 2)
    # new: 300 over max(2 months, 3) = 100 a month, growth unknown → ×1
    assert tr.loc["new", "exposure_months"] == pytest.approx(3.0)
    assert tr.loc["new", "future_value"] == pytest.approx(1200.0)
    assert tr.loc["gone", "future_value"] == 0.0
    assert tr.loc["flat", "growth"] == pytest.approx(1.0)
    assert tr.loc["flat", "future_value"] == pytest.approx(100 / 6 * 12)

    fp = sg.future_potential(data, END, TREND_ONLY)
    assert (fp["method"] == "trend").all() and fp["prob_alive"].isna().all()
    model = fp.attrs["value_model"]
    assert model.method == "trend" and "min_repeat_customers" in model.reason
    assert fp.set_index("customer_id").loc["grow", "future_value"] == pytest.approx(4800.0)


@pytest.fixture(scope="module")
def simulated() -> pd.DataFrame:
    return simulate_bgnbd(4000, r=0.6, alpha=5.0, a=1.5, b=4.0, weeks=104, seed=11)


def test_model_recovers_simulated_parameters(simulated: pd.DataFrame) -> None:
    end = pd.Timestamp("2024-01-01") + pd.Timedelta(weeks=104)
    model = sg.fit_value_model(simulated, end)
    assert model.method == "bgnbd_gg" and model.reason == ""
    bg = model.bgnbd
    assert bg is not None
    # daily rounding and 4,000 customers: the truth within sampling error
    assert bg.r == pytest.approx(0.6, rel=0.15)
    assert bg.alpha == pytest.approx(5.0, rel=0.25)
    assert bg.a == pytest.approx(1.5, rel=0.35)
    assert bg.b == pytest.approx(4.0, rel=0.4)
    gg = model.gamma_gamma
    assert gg is not None and gg.p == pytest.approx(6.0, rel=0.2)
    assert gg.mean_spend == pytest.approx(6 * 60 / 3, rel=0.1)  # p·v/(q−1) = 120


def test_future_potential_model_path_and_young_customers(simulated: pd.DataFrame) -> None:
    end = pd.Timestamp("2024-01-01") + pd.Timedelta(weeks=104)
    extra = tx([("newbie", str((end - pd.Timedelta(days=10)).date()), 80.0)], margin=None)
    data = pd.concat([simulated, extra], ignore_index=True)
    fp = sg.future_potential(data, end).set_index("customer_id")
    model = fp.attrs["value_model"]
    # a customer younger than min_history_days gets the trend; everyone else the model
    assert fp.loc["newbie", "method"] == "trend"
    assert fp.loc["newbie", "future_value"] == pytest.approx(80.0 / 3 * 12)
    others = fp.drop(index="newbie")
    assert (others["method"] == "bgnbd_gg").all()
    # the model columns agree with cxlab.clv at a 12-month horizon
    weeks = 12 * 365.25 / 12 / 7
    row = others.iloc[:5]
    expected = clv.expected_value(
        model.bgnbd, model.gamma_gamma, weeks, row["x"], row["t_x"], row["T"], row["monetary"]
    )
    assert row["future_value"].to_numpy() == pytest.approx(expected)
    assert row["prob_alive"].to_numpy() == pytest.approx(
        clv.probability_alive(model.bgnbd, row["x"], row["t_x"], row["T"])
    )
    assert (others["prob_alive"].between(0, 1)).all()
    # with min_history_days = 0 the newcomer is modelled too
    fp0 = sg.future_potential(data, end, SegmentSettings(min_history_days=0))
    assert (fp0["method"] == "bgnbd_gg").all()


def test_discount_lowers_future_value(simulated: pd.DataFrame) -> None:
    end = pd.Timestamp("2024-01-01") + pd.Timedelta(weeks=104)
    plain = sg.future_potential(simulated, end)
    disc = sg.future_potential(simulated, end, SegmentSettings(discount_rate_annual=0.12))
    ratio = disc["future_value"].sum() / plain["future_value"].sum()
    assert 1 / 1.12 < ratio < 1.0


# --------------------------------------------------------------------------------------------------
# segments


def test_top_threshold() -> None:
    assert sg.top_threshold(np.arange(1, 11), 0.2) == 9  # top 2 of 10
    assert sg.top_threshold(np.arange(1, 11), 0.25) == 8  # ceil(2.5) = 3
    assert sg.top_threshold([5.0], 0.2) == 5.0
    with pytest.raises(AnalysisError):
        sg.top_threshold([1, 2], 0.0)


def _four_customers() -> pd.DataFrame:
    # trend-only client: current value (12 months) and future value (recent run rate) set by hand
    return tx(
        [
            # premium: steady and big
            ("P", "2025-01-15", 3000.0),
            ("P", "2025-12-15", 3000.0),
            ("P", "2026-06-15", 3000.0),
            # potential: small but all recent (first purchase 4 months ago)
            ("N", "2026-07-01", 400.0),
            ("N", "2026-10-01", 600.0),
            # dilemma: big early in the window, silent in the last 6 months
            ("D", "2025-01-15", 100.0),
            ("D", "2025-12-01", 8000.0),
            # maintain
            ("M", "2025-01-15", 50.0),
            ("M", "2026-02-01", 100.0),
            ("M", "2026-08-01", 50.0),
        ]
    )


def test_segments_with_absolute_thresholds() -> None:
    settings = dataclasses.replace(TREND_ONLY, value_threshold=2000.0, potential_threshold=2000.0)
    seg = sg.segment_customers(_four_customers(), END, settings).set_index("customer_id")
    # values: P 6000 / fut 3000·(3000/6)/(3000/6)… = 3000/6*12 = 6000; N 1000 / 1000/4·12 = 3000 (exposure 4
    # months); D 8000 / 0; M 150 / 50/6·12 = 100
    assert seg.loc["P", "value"] == pytest.approx(6000.0)
    assert seg.loc["N", "future_value"] == pytest.approx(1000 / (123 / (365.25 / 12)) * 12, rel=1e-9)
    assert dict(seg["segment"].astype(str)) == {
        "D": "dilemma",
        "M": "maintain",
        "N": "potential",
        "P": "premium",
    }
    assert seg.attrs["value_threshold"] == 2000.0
    assert list(seg["segment"].cat.categories) == list(sg.SEGMENTS)
    # the same by top shares: top 25 % of 4 customers = 1 customer per axis → only D is high-value
    shares = dataclasses.replace(TREND_ONLY, value_top_share=0.25, potential_top_share=0.25)
    seg2 = sg.segment_customers(_four_customers(), END, shares).set_index("customer_id")
    assert seg2.loc["D", "value_high"] and not seg2.loc["P", "value_high"]
    assert seg2.loc["P", "potential_high"] and seg2.loc["P", "segment"] == "potential"
    assert seg2.attrs["value_threshold"] == pytest.approx(8000.0)
    # thresholds moved on a potential computed once: same result as computing from scratch
    fp = sg.future_potential(_four_customers(), END, shares)
    again = sg.segment_customers(_four_customers(), END, shares, potential=fp).set_index("customer_id")
    assert again["segment"].equals(seg2["segment"])


def test_zero_value_is_never_high() -> None:
    # with many zero-value customers the top-share threshold is 0; zero still counts as low
    # (a buys twice: a base where nobody repeats predicts no future value at all, see test_clv_honesty)
    data = tx(
        [
            ("a", "2026-09-01", 50.0),
            ("a", "2026-10-01", 100.0),
            ("b", "2020-01-01", 5.0),
            ("c", "2020-01-01", 5.0),
        ]
    )
    seg = sg.segment_customers(data, END, TREND_ONLY).set_index("customer_id")
    assert not seg.loc["b", "value_high"] and not seg.loc["b", "potential_high"]
    assert seg.loc["a", "segment"] == "premium"


def test_margin_basis() -> None:
    data = _four_customers()
    data.loc[data["customer_id"] == "D", "margin"] = 1.0  # D sells a lot at no margin
    settings = dataclasses.replace(
        TREND_ONLY, value_basis="margin", value_threshold=1000.0, potential_threshold=2000.0
    )
    seg = sg.segment_customers(data, END, settings).set_index("customer_id")
    assert seg.loc["D", "value"] == pytest.approx(1.0) and seg.loc["D", "segment"] == "maintain"
    assert seg.loc["P", "value"] == pytest.approx(1500.0) and seg.loc["P", "segment"] == "premium"
    with pytest.raises(MissingColumnError, match="margin"):
        sg.segment_customers(data.drop(columns="margin"), END, settings)


def test_missing_columns_raise_cxlab_errors() -> None:
    with pytest.raises(MissingColumnError, match="amount"):
        sg.segment_customers(pd.DataFrame({"customer_id": ["a"], "date": [END]}), END)
    with pytest.raises(MissingColumnError, match="segment"):
        sg.segment_summary(pd.DataFrame({"customer_id": ["a"]}))


def test_settings_from_client_yaml() -> None:
    cfg = config_from_dict(
        {"name": "x", "segments": {"value_threshold": 5000, "value_basis": "margin", "purchase_merge": "W"}}
    )
    assert cfg.segments.value_threshold == 5000.0 and cfg.segments.value_basis == "margin"
    with pytest.raises(ConfigError, match="value_basis"):
        config_from_dict({"name": "x", "segments": {"value_basis": "profit"}})


# --------------------------------------------------------------------------------------------------
# summary


def test_segment_summary_by_hand() -> None:
    settings = dataclasses.replace(TREND_ONLY, value_threshold=2000.0, potential_threshold=2000.0)
    seg = sg.segment_customers(_four_customers(), END, settings)
    responses = pd.DataFrame(
        {
            "customer_id": ["P", "P", "P", "N", "D", "D", "zz"],
            "nps": [10, 9, 3, 7, np.nan, 0, 10],
            "csat": [5, 4, 2, np.nan, 3, 1, 5],
        }
    )
    cases = pd.DataFrame(
        {"case_id": ["1", "2", "3", "4"], "customer_id": ["P", "P", "D", "M"], "handoffs": [1, 4, 2, 0]}
    )
    summ = describe_segments(sg.segment_summary(seg, responses, cases), "it").set_index("segment")
    assert list(summ.index) == list(sg.SEGMENTS)
    assert summ["customers"].tolist() == [1, 1, 1, 1]
    total = 6000 + 1000 + 8100 + 150  # value over 12 months (D's 100 is older)
    assert summ.loc["dilemma", "value"] == pytest.approx(8000.0)
    assert summ["share_of_value"].sum() == pytest.approx(1.0)
    assert summ.loc["premium", "share_of_value"] == pytest.approx(6000 / (total - 100))
    # NPS: P has 2 promoters, 1 detractor of 3 → 33.3; D one detractor → −100; N one passive → 0
    assert summ.loc["premium", "nps"] == pytest.approx(100 / 3)
    assert summ.loc["dilemma", "nps"] == pytest.approx(-100.0) and summ.loc["dilemma", "nps_n"] == 1
    assert summ.loc["potential", "nps"] == 0.0
    assert np.isnan(summ.loc["maintain", "nps"]) and summ.loc["maintain", "nps_n"] == 0
    assert summ.loc["premium", "csat"] == pytest.approx(2 / 3)
    assert summ.loc["premium", "csat_mean"] == pytest.approx(11 / 3)
    assert summ.loc["premium", "handoffs_per_case"] == pytest.approx(2.5)
    assert summ.loc["premium", "cases"] == 2 and summ.loc["maintain", "handoffs_per_case"] == 0
    assert np.isnan(summ.loc["potential", "handoffs_per_case"])
    assert summ.loc["potential", "label"] == "Potenziale"
    assert summ.loc["premium", "service_level"].startswith("Account manager dedicato")
    # without surveys or cases those columns are absent, not zero
    plain = sg.segment_summary(seg)
    assert "nps" not in plain and "handoffs_per_case" not in plain
    # the analysis returns figures only: the words are the report layer's
    assert "label" not in plain and "service_level" not in plain
    with pytest.raises(MissingColumnError, match="handoffs"):
        sg.segment_summary(seg, case_metrics=cases.drop(columns="handoffs"))


def test_service_levels_in_both_languages() -> None:
    en, it = service_levels("en"), service_levels("it")
    assert list(en["segment"]) == list(sg.SEGMENTS)
    assert en["service_level"].str.len().min() > 40 and it["service_level"].str.len().min() > 40
    assert (en["service_level"] != it["service_level"]).all()
    assert it.set_index("segment").loc["maintain", "label"] == "Mantenimento"
    assert segment_label("new", "it") == "Nuovo" and segment_label("unknown-key", "it") == "unknown-key"


# --------------------------------------------------------------------------------------------------
# movement


def test_movement_between_two_dates() -> None:
    data = tx(
        [
            ("A", "2025-09-01", 5000.0),
            ("A", "2026-02-01", 5000.0),  # premium in April, silent since → dilemma in October
            ("B", "2024-01-01", 10.0),
            ("B", "2026-09-01", 5000.0),
            ("B", "2026-10-15", 5000.0),  # maintain → premium
            ("C", "2026-09-15", 300.0),  # new → potential (small, very recent)
            ("C", "2026-10-30", 400.0),
            ("E", "2024-01-01", 10.0),
            ("E", "2026-01-01", 20.0),  # maintain → maintain
        ]
    )
    settings = dataclasses.replace(TREND_ONLY, value_threshold=2000.0, potential_threshold=1500.0)
    mv = sg.segment_movement(data, "2026-04-30", "2026-10-31", settings)
    assert len(mv) == 5 * 4 and mv["customers"].sum() == 4
    cells = {
        (str(f), str(t)): n for f, t, n in mv[["from_segment", "to_segment", "customers"]].itertuples(False)
    }
    assert cells[("premium", "dilemma")] == 1
    assert cells[("maintain", "premium")] == 1
    assert cells[("new", "potential")] == 1
    assert cells[("maintain", "maintain")] == 1
    assert cells[("premium", "premium")] == 0
    mat = sg.movement_matrix(mv)
    assert mat.loc["premium", "dilemma"] == 1 and mat.shape == (5, 4)
    shares = sg.movement_matrix(mv, normalise=True)
    assert shares.loc["maintain", "premium"] == pytest.approx(0.5)
    with pytest.raises(AnalysisError):
        sg.segment_movement(data, "2026-10-31", "2026-04-30", settings)
    # listed in the customers table but without a purchase by April: still "new", not "maintain"
    listed = pd.DataFrame({"customer_id": ["A", "B", "C", "E", "Z"]})
    mv2 = sg.segment_movement(data, "2026-04-30", "2026-10-31", settings, listed)
    cells2 = {
        (str(f), str(t)): n for f, t, n in mv2[["from_segment", "to_segment", "customers"]].itertuples(False)
    }
    assert cells2[("new", "potential")] == 1 and cells2[("new", "maintain")] == 1  # C, and Z who never bought
    assert mv2["customers"].sum() == 5


def test_no_transactions_before_the_date_gives_an_empty_table() -> None:
    data = tx([("a", "2027-01-01", 10.0)])
    seg = sg.segment_customers(data, END, TREND_ONLY)
    assert seg.empty and "segment" in seg.columns
    summ = sg.segment_summary(seg)
    assert summ["customers"].tolist() == [0, 0, 0, 0]


# --------------------------------------------------------------------------------------------------
# charts (specs as dicts)


def _segmented_large(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    value = rng.lognormal(7, 1.2, n)
    future = value * rng.lognormal(0, 0.6, n)
    vh, ph = value >= np.quantile(value, 0.8), future >= np.quantile(future, 0.8)
    seg = np.select([vh & ph, ~vh & ph, vh & ~ph], ["premium", "potential", "dilemma"], "maintain")
    frame = pd.DataFrame(
        {
            "customer_id": [f"C{i}" for i in range(n)],
            "value": value,
            "future_value": future,
            "segment": pd.Categorical(seg, categories=list(sg.SEGMENTS)),
            "value_high": vh,
            "potential_high": ph,
            "prob_alive": 0.8,
            "method": "bgnbd_gg",
        }
    )
    frame.attrs = {"value_threshold": float(np.quantile(value, 0.8)), "potential_threshold": 1234.5}
    return frame


def test_scatter_spec_points_and_thresholds() -> None:
    frame = _segmented_large(300)
    spec = cs.value_potential_scatter(frame, "it").to_dict()
    assert spec["title"] == "Valore attuale e potenziale futuro"
    points, v_rule, p_rule = spec["layer"]
    assert points["mark"]["type"] == "circle"
    enc = points["encoding"]
    assert enc["x"]["field"] == "value" and enc["y"]["field"] == "future_value"
    assert enc["x"]["title"].startswith("Valore attuale")
    assert enc["x"]["scale"]["type"] == "symlog"
    assert enc["x"]["scale"]["constant"] == pytest.approx(np.median(frame["value"]) / 10)
    assert enc["color"]["scale"]["domain"] == ["Premium", "Potenziale", "Dilemma", "Mantenimento"]
    assert enc["color"]["scale"]["range"][0] == "#1f4e79"
    assert "size" not in enc
    assert len(spec["datasets"][points["data"]["name"]]) == 300
    assert v_rule["mark"]["type"] == "rule" and v_rule["encoding"]["x"]["field"] == "value"
    assert spec["datasets"][p_rule["data"]["name"]][0]["future_value"] == 1234.5
    # explicit thresholds win over attrs
    spec2 = cs.value_potential_scatter(frame, "en", potential_threshold=99.0).to_dict()
    assert spec2["datasets"][spec2["layer"][2]["data"]["name"]][0]["future_value"] == 99.0


def test_scatter_is_binned_for_large_clients() -> None:
    frame = _segmented_large(20_000)
    spec = cs.value_potential_scatter(frame, "en").to_dict()
    points = spec["layer"][0]
    rows = spec["datasets"][points["data"]["name"]]
    assert "size" in points["encoding"] and points["encoding"]["size"]["field"] == "customers"
    assert len(rows) < 40 * 40 * 4 and len(rows) < 5000
    assert sum(r["customers"] for r in rows) == 20_000
    assert "customer_id" not in rows[0]


def test_segment_bars_and_table() -> None:
    settings = dataclasses.replace(TREND_ONLY, value_threshold=2000.0, potential_threshold=2000.0)
    summ = sg.segment_summary(sg.segment_customers(_four_customers(), END, settings))
    spec = cs.segment_bars(summ, "en").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["xOffset"]["field"] == "measure_label"
    assert spec["encoding"]["y"]["axis"]["format"] == "%"
    rows = spec["datasets"][spec["data"]["name"]]
    assert {r["measure_label"] for r in rows} == {
        "Share of customers",
        "Share of current value",
        "Share of future potential",
    }
    assert len(rows) == 12
    table = cs.segment_table(describe_segments(summ, "it"), "it", "EUR")
    assert list(table.columns[:3]) == ["Segmento", "Clienti", "Quota di clienti"]
    assert table.iloc[0, 3] == "6.000\xa0€" and table.iloc[0, 2] == "25%"  # CLDR: no-break space
    assert "Livello di servizio suggerito" in table.columns


def test_movement_heatmap_spec() -> None:
    settings = dataclasses.replace(TREND_ONLY, value_threshold=2000.0, potential_threshold=2000.0)
    mv = sg.segment_movement(_four_customers(), "2026-04-30", "2026-10-31", settings)
    spec = cs.movement_heatmap(mv, "it").to_dict()
    heat, text = spec["layer"]
    assert heat["mark"]["type"] == "rect" and text["mark"]["type"] == "text"
    assert heat["encoding"]["y"]["sort"][-1] == "Nuovo"
    assert heat["encoding"]["color"]["field"] == "share_of_from"
