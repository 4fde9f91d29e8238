"""Model honesty (issue 19): the optimiser reaches the optimum, a no-dropout fit is flagged, the trend
predicts no repeats for a base without any, returns stay out of purchase frequency, and the method label
says what valued how many customers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize
from shared_data import DATASETS

from cxlab import clv
from cxlab import segments as sg


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return pd.read_csv(DATASETS / "cdnow_summary.csv")


def _reference_optimum(x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> float:
    """The maximum log-likelihood found independently: Nelder-Mead on the plain sum, very tight tolerances,
    from the published parameters."""

    def objective(logp: np.ndarray) -> float:
        return -float(clv.bgnbd_log_likelihood(np.exp(logp), x, t_x, T).sum())

    start = np.log([0.2426, 4.4135, 0.7929, 2.4258])
    res = optimize.minimize(
        objective, start, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000}
    )
    return -float(res.fun)


def test_bgnbd_reaches_the_cdnow_optimum_within_1e4(cdnow: pd.DataFrame) -> None:
    x, t_x, T = (cdnow[c].to_numpy(float) for c in ("x", "t_x", "T"))
    fit = clv.fit_bgnbd(x, t_x, T)
    reference = _reference_optimum(x, t_x, T)
    assert reference == pytest.approx(-9582.4, abs=0.05)  # the published optimum
    assert fit.log_likelihood >= reference - 1e-4
    assert fit.converged and not fit.no_dropout


def test_bgnbd_reaches_the_optimum_on_a_flat_likelihood(cdnow: pd.DataFrame) -> None:
    # fifty copies of CDNOW: the same optimum, 50× the log-likelihood, a likelihood 50× flatter per unit of
    # the mean objective, where default tolerances stop short
    x, t_x, T = (np.tile(cdnow[c].to_numpy(float), 50) for c in ("x", "t_x", "T"))
    fit = clv.fit_bgnbd(x, t_x, T)
    single = _reference_optimum(*(cdnow[c].to_numpy(float) for c in ("x", "t_x", "T")))
    assert fit.log_likelihood >= 50 * single - 1e-4


def test_a_base_without_dropout_is_flagged() -> None:
    # every customer buys steadily until the end of the period: nobody drops out
    rng = np.random.default_rng(3)
    n = 400
    T = np.full(n, 52.0)
    x = rng.poisson(0.5 * 52, n).astype(float)
    t_x = np.where(x > 0, T - rng.uniform(0, 0.5, n), 0.0)
    fit = clv.fit_bgnbd(x, t_x, T)
    assert fit.a / (fit.a + fit.b) < 1e-4
    assert fit.no_dropout


def _tx(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_the_trend_predicts_no_repeats_for_a_base_with_none() -> None:
    data = _tx([(f"c{i}", f"2026-0{1 + i % 9}-10", 100.0 + i) for i in range(30)])
    potential = sg.future_potential(data, "2026-10-31")
    assert (potential["x"] == 0).all()
    assert potential["expected_purchases"].eq(0).all() and potential["future_value"].eq(0).all()
    # one repeat buyer in the base: the trend extrapolates again
    again = sg.future_potential(pd.concat([data, _tx([("c0", "2026-10-01", 50.0)])]), "2026-10-31")
    assert again["future_value"].sum() > 0


def test_returns_stay_out_of_purchase_frequency_and_scale_spend() -> None:
    data = _tx(
        [
            ("a", "2026-01-10", 100.0),
            ("a", "2026-02-10", 300.0),
            ("a", "2026-03-10", -200.0),  # a return: not a purchase
            ("b", "2026-01-10", 100.0),
            ("b", "2026-02-10", 300.0),
        ]
    )
    rfm = clv.rfm_summary(data, "2026-04-01").set_index("customer_id")
    assert rfm.loc["a", "x"] == rfm.loc["b", "x"] == 1
    assert rfm.loc["a", "last_purchase"] == pd.Timestamp("2026-02-10")
    # a kept (400 − 200) / 400 of what it bought: its repeat spend is scaled by one half
    assert rfm.loc["b", "monetary"] == pytest.approx(300.0)
    assert rfm.loc["a", "monetary"] == pytest.approx(150.0)


def test_method_shares_name_each_method_used() -> None:
    frame = pd.DataFrame({"method": pd.Categorical(["bgnbd_gg"] * 3 + ["trend"], ["bgnbd_gg", "trend"])})
    assert sg.method_shares(frame) == {"bgnbd_gg": 0.75, "trend": 0.25}
    only_trend = pd.DataFrame({"method": pd.Categorical(["trend"] * 2, ["bgnbd_gg", "trend"])})
    assert sg.method_shares(only_trend) == {"trend": 1.0}


def test_report_method_label_and_threshold_text() -> None:
    from types import SimpleNamespace

    from cxlab.report.sections import _method_label, _threshold_text

    ctx = SimpleNamespace(lang="en", currency="EUR")
    trend_only = pd.DataFrame({"method": pd.Categorical(["trend"] * 4, ["bgnbd_gg", "trend"])})
    label = _method_label(trend_only, ctx)
    assert "BG/NBD" not in label
    mixed = pd.DataFrame({"method": pd.Categorical(["bgnbd_gg"] * 3 + ["trend"], ["bgnbd_gg", "trend"])})
    label = _method_label(mixed, ctx)
    assert "75%" in label.replace("\u00a0", "") and "25%" in label.replace("\u00a0", "")
    assert _threshold_text(0.0, ctx).startswith("> ")
    assert _threshold_text(120.0, ctx).startswith("≥ ")
