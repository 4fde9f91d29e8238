"""Customer value segmentation: current value × future potential (DESIGN §2 and §4).

* **Current value** — sales and margin per customer over the ``value_window_months`` before the analysis
  date (default 12).
* **Future potential** — expected value over the next ``horizon_months`` from a BG/NBD + Gamma-Gamma
  model (:mod:`cxlab.clv`), with the probability that the customer is still active. A transparent
  **trend** fallback replaces the model for the whole client when there are fewer than
  ``min_repeat_customers`` repeat buyers (or the fit fails), and for single customers whose first
  purchase is less than ``min_history_days`` old. The ``method`` column says which was used.
* **Segments** — premium (high value, high potential), potential (low, high), dilemma (high, low),
  maintain (low, low). "High" is the top ``value_top_share`` / ``potential_top_share`` of customers, or an
  absolute ``value_threshold`` / ``potential_threshold`` from client.yaml.

Trend fallback (per customer, in words): the spending rate of the last ``trend_months`` (sales divided
by the months observed, at least 3), multiplied by the horizon, and by the change against the
``trend_months`` before (recent ÷ prior rate, kept between ×0.5 and ×2; ×1 when the prior window was not
fully observed or empty).

Public API (pure functions, tidy DataFrames out)::

    current_value(transactions, analysis_date=None, settings=None, customers=None) -> DataFrame
    fit_value_model(transactions, analysis_date=None, settings=None) -> ValueModel
    trend_potential(transactions, analysis_date=None, settings=None) -> DataFrame
    future_potential(transactions, analysis_date=None, settings=None, model=None) -> DataFrame
    segment_customers(transactions, analysis_date=None, settings=None, customers=None, *, potential=None)
    segment_summary(segmented, responses=None, case_metrics=None, indicators=None)
    segment_movement(transactions, date_from, date_to, settings=None, customers=None) -> DataFrame
    movement_matrix(movement, normalise=False) -> DataFrame
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

import numpy as np
import pandas as pd

from . import clv
from .config import IndicatorSettings, SegmentSettings
from .errors import AnalysisError, CxlabError, MissingColumnError
from .intake.checks import default_analysis_date

SEGMENTS: tuple[str, ...] = ("premium", "potential", "dilemma", "maintain")
NEW = "new"  # movement: customer without a purchase at the earlier date
METHOD_MODEL: Final = "bgnbd_gg"
METHOD_TREND: Final = "trend"

_WEEKS_PER_MONTH = 365.25 / 12 / 7
_DAYS_PER_MONTH = 365.25 / 12
_MIN_TREND_EXPOSURE_MONTHS = 3.0  # a brand-new customer's first order is not extrapolated from a week
_GROWTH_BOUNDS = (0.5, 2.0)

DateLike: TypeAlias = dt.date | pd.Timestamp | str


# --------------------------------------------------------------------------------------------------
# helpers


def _settings(settings: SegmentSettings | None) -> SegmentSettings:
    return settings if settings is not None else SegmentSettings()


def _prepare(transactions: pd.DataFrame, analysis_date: DateLike | None) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Check columns; resolve the analysis date (default: the day after the last transaction up to today)."""
    for col in ("customer_id", "date", "amount"):
        if col not in transactions.columns:
            raise MissingColumnError(
                "columns customer_id, date, amount", file="transactions", column=col, found="no such column"
            )
    if analysis_date is None:
        if pd.isna(pd.to_datetime(transactions["date"]).max()):
            raise AnalysisError("at least one dated transaction", file="transactions", found="none")
        # one definition with the client's and the report's (the day after the last record up to today)
        analysis_date = default_analysis_date({"transactions": transactions})
    return transactions, pd.Timestamp(analysis_date).normalize()


def _day_numbers(values: pd.Series) -> np.ndarray:
    days = pd.to_datetime(values).dt.normalize().to_numpy().astype("datetime64[D]").astype(np.int64)
    return days


def _day(ts: pd.Timestamp) -> int:
    return int(np.datetime64(ts.date(), "D").astype(np.int64))


def _months_before(ts: pd.Timestamp, months: int) -> pd.Timestamp:
    return ts - pd.DateOffset(months=months)


# --------------------------------------------------------------------------------------------------
# current value


def current_value(
    transactions: pd.DataFrame,
    analysis_date: DateLike | None = None,
    settings: SegmentSettings | None = None,
    customers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Sales and margin per customer over the value window ending on ``analysis_date`` (inclusive).

    One row per customer with a purchase up to the analysis date (plus, when ``customers`` is given, every
    customer in it, with zeros). Columns: customer_id, sales (net of returns: negative amounts are netted),
    margin (NaN without a margin column), purchases (transactions with a positive amount in the window),
    returns (the negative amounts in the window, summed), first_purchase, last_purchase (over all history up
    to the date).
    """
    s = _settings(settings)
    transactions, end = _prepare(transactions, analysis_date)
    start = _months_before(end, s.value_window_months)
    days = _day_numbers(transactions["date"])
    upto = days <= _day(end)
    upto &= transactions["date"].notna().to_numpy()
    in_window = upto & (days > _day(start))
    ids = transactions["customer_id"].astype("str").to_numpy()[upto]
    codes, uniques = pd.factorize(ids, sort=True)
    n = len(uniques)
    win = in_window[upto]
    amount = pd.to_numeric(transactions["amount"], errors="coerce").fillna(0.0).to_numpy(float)[upto]
    # returns (negative amounts) are netted into sales and are not purchases
    sales = np.bincount(codes, weights=np.where(win, amount, 0.0), minlength=n)
    purchases = np.bincount(codes, weights=(win & (amount > 0)).astype(float), minlength=n).astype(np.int64)
    returns = np.bincount(codes, weights=np.where(win & (amount < 0), amount, 0.0), minlength=n)
    if "margin" in transactions.columns:
        m = pd.to_numeric(transactions["margin"], errors="coerce").fillna(0.0).to_numpy(float)[upto]
        margin = np.bincount(codes, weights=np.where(win, m, 0.0), minlength=n)
    else:
        margin = np.full(n, np.nan)
    d = days[upto]
    first = np.full(n, np.iinfo(np.int64).max)
    last = np.full(n, np.iinfo(np.int64).min)
    bought = amount >= 0  # a return is not a purchase date
    np.minimum.at(first, codes[bought], d[bought])
    np.maximum.at(last, codes[bought], d[bought])
    none = first == np.iinfo(np.int64).max  # returns only
    out = pd.DataFrame(
        {
            "customer_id": pd.array(np.asarray(uniques, dtype=object).astype(str), dtype="str"),
            "sales": sales,
            "margin": margin,
            "purchases": purchases,
            "returns": returns,
            "first_purchase": np.where(none, np.datetime64("NaT"), first.astype("datetime64[D]")).astype(
                "datetime64[ns]"
            ),
            "last_purchase": np.where(none, np.datetime64("NaT"), last.astype("datetime64[D]")).astype(
                "datetime64[ns]"
            ),
        }
    )
    if customers is not None and "customer_id" in customers.columns:
        extra = pd.Index(customers["customer_id"].dropna().astype("str").unique()).difference(
            out["customer_id"]
        )
        if len(extra):
            pad = pd.DataFrame(
                {
                    "customer_id": pd.array(extra.to_numpy(dtype=object).astype(str), dtype="str"),
                    "sales": 0.0,
                    "margin": np.nan if "margin" not in transactions.columns else 0.0,
                    "purchases": np.int64(0),
                    "returns": 0.0,
                    "first_purchase": pd.NaT,
                    "last_purchase": pd.NaT,
                }
            )
            out = pd.concat([out, pad], ignore_index=True)
    return out


# --------------------------------------------------------------------------------------------------
# future potential


@dataclass(frozen=True)
class ValueModel:
    """The client-level choice of future-value method and, for the model, its fitted parameters."""

    method: Literal["bgnbd_gg", "trend"]
    bgnbd: clv.BgNbdParams | None = None
    gamma_gamma: clv.GammaGammaParams | None = None
    customers: int = 0
    repeat_customers: int = 0
    #: why the trend fallback was chosen, as ``code: detail`` (codes min_repeat_customers, fit_failed,
    #: degenerate_fit; the report words them); empty when the model is used
    reason: str = ""

    @property
    def converged(self) -> bool:
        """Whether both fits (when made) report convergence of their optimiser."""
        return all(m.converged for m in (self.bgnbd, self.gamma_gamma) if m is not None)

    @property
    def no_dropout(self) -> bool:
        """Whether the BG/NBD fit (when made) says that no customer ever drops out (see
        :attr:`cxlab.clv.BgNbdParams.no_dropout`)."""
        return self.bgnbd is not None and self.bgnbd.no_dropout


def _summary(transactions: pd.DataFrame, end: pd.Timestamp, s: SegmentSettings) -> pd.DataFrame:
    return clv.rfm_summary(transactions, end, "W", merge=s.purchase_merge)


def fit_value_model(
    transactions: pd.DataFrame,
    analysis_date: DateLike | None = None,
    settings: SegmentSettings | None = None,
    *,
    summary: pd.DataFrame | None = None,
) -> ValueModel:
    """Fit BG/NBD + Gamma-Gamma on the history up to ``analysis_date``, or choose the trend fallback."""
    s = _settings(settings)
    transactions, end = _prepare(transactions, analysis_date)
    rfm = summary if summary is not None else _summary(transactions, end, s)
    n = len(rfm)
    repeat = int((rfm["x"] > 0).sum())
    if repeat < s.min_repeat_customers:
        return ValueModel(
            METHOD_TREND,
            customers=n,
            repeat_customers=repeat,
            reason=f"min_repeat_customers: {repeat} < {s.min_repeat_customers}",
        )
    try:
        bg = clv.fit_bgnbd(rfm["x"], rfm["t_x"], rfm["T"])
        gg = clv.fit_gamma_gamma(rfm["x"], rfm["monetary"])
    except CxlabError as exc:
        return ValueModel(METHOD_TREND, customers=n, repeat_customers=repeat, reason=f"fit_failed: {exc}")
    # a = 1 is a 0/0 point of the closed-form expectation and q ≤ 1 makes the expected spend infinite
    if not (bg.a > 1.0 + 1e-9 or bg.a < 1.0 - 1e-9) or gg.q <= 1.0:
        return ValueModel(
            METHOD_TREND,
            bg,
            gg,
            customers=n,
            repeat_customers=repeat,
            reason=f"degenerate_fit: a = {bg.a:.3g}, q = {gg.q:.3g}",
        )
    return ValueModel(METHOD_MODEL, bg, gg, customers=n, repeat_customers=repeat)


def trend_potential(
    transactions: pd.DataFrame,
    analysis_date: DateLike | None = None,
    settings: SegmentSettings | None = None,
) -> pd.DataFrame:
    """The trend fallback for every customer with a purchase up to ``analysis_date``.

    Columns: customer_id, recent_sales, prior_sales, recent_purchases, exposure_months (months observed in
    the recent window, at least 3), growth (recent ÷ prior rate, within 0.5–2; 1 when unknown),
    expected_purchases and future_value over the horizon.
    """
    s = _settings(settings)
    transactions, end = _prepare(transactions, analysis_date)
    end_day = _day(end)
    recent_start = _day(_months_before(end, s.trend_months))
    prior_start = _day(_months_before(end, 2 * s.trend_months))
    days = _day_numbers(transactions["date"])
    upto = (days <= end_day) & transactions["date"].notna().to_numpy()
    ids = transactions["customer_id"].astype("str").to_numpy()[upto]
    d = days[upto]
    amount = pd.to_numeric(transactions["amount"], errors="coerce").fillna(0.0).to_numpy(float)[upto]
    codes, uniques = pd.factorize(ids, sort=True)
    n = len(uniques)
    recent = d > recent_start
    prior = (d > prior_start) & ~recent
    recent_sales = np.bincount(codes, weights=np.where(recent, amount, 0.0), minlength=n)
    prior_sales = np.bincount(codes, weights=np.where(prior, amount, 0.0), minlength=n)
    recent_n = np.bincount(codes, weights=(recent & (amount > 0)).astype(float), minlength=n)
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, codes, d)
    age_months = (end_day - first + 1) / _DAYS_PER_MONTH
    exposure = np.clip(age_months, _MIN_TREND_EXPOSURE_MONTHS, float(s.trend_months))
    rate = recent_sales / exposure
    prior_known = (age_months >= 2 * s.trend_months) & (prior_sales > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(prior_known, rate / (prior_sales / s.trend_months), 1.0)
    growth = np.where(prior_known, np.clip(growth, *_GROWTH_BOUNDS), 1.0)
    horizon = float(s.horizon_months)
    # returns larger than the purchases of the window leave a negative run rate: no future value
    future = np.maximum(rate, 0.0) * horizon * growth
    expected_n = recent_n / exposure * horizon * growth
    if s.discount_rate_annual:
        # the same rate in every month of the horizon, each month discounted, as the model path does
        months = np.arange(1, s.horizon_months + 1)
        factor = np.mean((1 + s.discount_rate_annual) ** -(months / 12))
        future = future * factor
    return pd.DataFrame(
        {
            "customer_id": pd.array(np.asarray(uniques, dtype=object).astype(str), dtype="str"),
            "recent_sales": recent_sales,
            "prior_sales": prior_sales,
            "recent_purchases": recent_n.astype(np.int64),
            "exposure_months": exposure,
            "growth": growth,
            "expected_purchases": expected_n,
            "future_value": future,
        }
    )


def future_potential(
    transactions: pd.DataFrame,
    analysis_date: DateLike | None = None,
    settings: SegmentSettings | None = None,
    model: ValueModel | None = None,
) -> pd.DataFrame:
    """Expected value per customer over the next ``horizon_months``.

    Columns: customer_id, x, t_x, T (weeks), monetary, prob_alive (NaN for the trend), expected_purchases,
    expected_spend, future_value, method (``"bgnbd_gg"`` or ``"trend"``). The fitted :class:`ValueModel` is
    in ``result.attrs["value_model"]``. When no customer has a repeat purchase, the trend predicts none:
    expected purchases and future value are 0 for everyone.
    """
    s = _settings(settings)
    transactions, end = _prepare(transactions, analysis_date)
    rfm = _summary(transactions, end, s)
    if model is None:
        model = fit_value_model(transactions, end, s, summary=rfm)
    trend = trend_potential(transactions, end, s).set_index("customer_id").reindex(rfm["customer_id"])
    out = rfm[["customer_id", "x", "t_x", "T", "monetary"]].copy()
    n = len(out)
    prob_alive = np.full(n, np.nan)
    exp_n = trend["expected_purchases"].to_numpy(float, copy=True)
    future = trend["future_value"].to_numpy(float, copy=True)
    method = np.full(n, METHOD_TREND, dtype=object)
    if model.repeat_customers == 0:
        # nobody ever bought twice: the run rate of a single purchase would predict repeats no one made
        exp_n[:] = 0.0
        future[:] = 0.0
    if model.method == METHOD_MODEL and model.bgnbd is not None and model.gamma_gamma is not None:
        weeks = s.horizon_months * _WEEKS_PER_MONTH
        young = (rfm["T"].to_numpy(float) * 7.0) < s.min_history_days
        use = ~young
        x, t_x, T, m = (rfm[c].to_numpy(float)[use] for c in ("x", "t_x", "T", "monetary"))
        rate = (1 + s.discount_rate_annual) ** (s.horizon_months / 12) - 1
        with np.errstate(all="ignore"):
            p_alive = clv.probability_alive(model.bgnbd, x, t_x, T)
            e_n = clv.expected_purchases(model.bgnbd, weeks, x, t_x, T)
            value = clv.expected_value(
                model.bgnbd, model.gamma_gamma, weeks, x, t_x, T, m, discount_rate=rate
            )
        ok = np.isfinite(value) & np.isfinite(e_n) & (value >= 0)
        idx = np.flatnonzero(use)[ok]
        prob_alive[idx] = p_alive[ok]
        exp_n[idx] = e_n[ok]
        future[idx] = value[ok]
        method[idx] = METHOD_MODEL
    with np.errstate(divide="ignore", invalid="ignore"):
        spend = np.where(exp_n > 0, future / exp_n, np.nan)
    out["prob_alive"] = prob_alive
    out["expected_purchases"] = exp_n
    out["expected_spend"] = spend
    out["future_value"] = future
    out["method"] = pd.Categorical(method, categories=[METHOD_MODEL, METHOD_TREND])
    out.attrs["value_model"] = model
    return out


# --------------------------------------------------------------------------------------------------
# segments


def method_shares(segmented: pd.DataFrame) -> dict[str, float]:
    """The share of customers valued by each method (``bgnbd_gg``, ``trend``), those with a share only,
    largest first: the method label names what was used, for how many."""
    if "method" not in segmented.columns or segmented.empty:
        return {}
    shares = segmented["method"].astype(str).value_counts(normalize=True)
    return {str(k): float(v) for k, v in shares.items() if v > 0}


def top_threshold(values: np.ndarray | pd.Series, share: float) -> float:
    """The smallest value still in the top ``share`` of customers (ties at the edge are included)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if not 0 < share <= 1:
        raise AnalysisError("a share between 0 and 1", column="top_share", found=repr(share))
    if len(v) == 0:
        return math.inf
    k = max(1, math.ceil(share * len(v) - 1e-9))
    return float(np.partition(v, len(v) - k)[len(v) - k])


def segment_customers(
    transactions: pd.DataFrame,
    analysis_date: DateLike | None = None,
    settings: SegmentSettings | None = None,
    customers: pd.DataFrame | None = None,
    *,
    potential: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Current value, future potential and segment per customer.

    ``potential`` (optional) is a :func:`future_potential` result for the same date and settings: pass it
    to move thresholds without refitting the model (e.g. in a widget).

    Columns: customer_id, sales, margin, purchases, first_purchase, last_purchase, value (the axis:
    sales or margin per ``value_basis``), x, t_x, T, prob_alive, expected_purchases, expected_spend,
    future_value, method, value_high, potential_high, segment (categorical, in :data:`SEGMENTS` order).
    ``attrs``: value_threshold, potential_threshold, analysis_date, value_model.
    A customer is "high" when its value is at least the threshold and above zero.
    """
    s = _settings(settings)
    transactions, end = _prepare(transactions, analysis_date)
    if s.value_basis == "margin" and "margin" not in transactions.columns:
        raise MissingColumnError(
            "a margin column (segments.value_basis is 'margin')",
            file="transactions",
            column="margin",
            found="no such column",
        )
    value = current_value(transactions, end, s, customers)
    if potential is None:
        potential = future_potential(transactions, end, s)
    out = value.merge(potential, on="customer_id", how="left", sort=False)
    out["value"] = out[s.value_basis].fillna(0.0)
    out["future_value"] = out["future_value"].fillna(0.0)
    if out["method"].isna().any():  # customers without any purchase (from the customers table)
        out["method"] = out["method"].fillna(METHOD_TREND)
        out["expected_purchases"] = out["expected_purchases"].fillna(0.0)
    v_thr = (
        s.value_threshold if s.value_threshold is not None else top_threshold(out["value"], s.value_top_share)
    )
    p_thr = (
        s.potential_threshold
        if s.potential_threshold is not None
        else top_threshold(out["future_value"], s.potential_top_share)
    )
    vh = (out["value"].to_numpy() >= v_thr) & (out["value"].to_numpy() > 0)
    ph = (out["future_value"].to_numpy() >= p_thr) & (out["future_value"].to_numpy() > 0)
    seg = np.select([vh & ph, ~vh & ph, vh & ~ph], ["premium", "potential", "dilemma"], "maintain")
    out["value_high"] = vh
    out["potential_high"] = ph
    out["segment"] = pd.Categorical(seg, categories=list(SEGMENTS))
    out.attrs = {
        "value_threshold": float(v_thr),
        "potential_threshold": float(p_thr),
        "analysis_date": end,
        "value_basis": s.value_basis,
        "value_model": potential.attrs.get("value_model"),
    }
    return out


def segment_summary(
    segmented: pd.DataFrame,
    responses: pd.DataFrame | None = None,
    case_metrics: pd.DataFrame | None = None,
    indicators: IndicatorSettings | None = None,
) -> pd.DataFrame:
    """One row per segment (all four, in order).

    Columns: segment, customers, share_customers, value, share_of_value, sales, margin,
    future_value, share_of_future, prob_alive (mean over model customers), trend_customers; with
    ``responses`` (survey responses with customer_id): nps, nps_n, csat (share of 4–5), csat_mean, csat_n;
    with ``case_metrics`` (one row per case with customer_id and handoffs, e.g. the handoff analysis's
    case table): cases, handoffs_per_case. The segments' names and service levels (words) are added by
    :func:`cxlab.report.segments_text.describe_segments`.
    """
    for col in ("customer_id", "segment", "value", "future_value"):
        if col not in segmented.columns:
            raise MissingColumnError(
                "the output of segment_customers", file="segmented", column=col, found="no such column"
            )
    ind = indicators or IndicatorSettings()
    seg = segmented["segment"].astype(pd.CategoricalDtype(list(SEGMENTS)))
    g = segmented.groupby(seg, observed=False)
    total_customers = max(len(segmented), 1)
    total_value = float(segmented["value"].sum())
    total_future = float(segmented["future_value"].sum())
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "value": g["value"].sum(),
            "sales": g["sales"].sum() if "sales" in segmented else np.nan,
            "margin": g["margin"].sum(min_count=1) if "margin" in segmented else np.nan,
            "future_value": g["future_value"].sum(),
        }
    ).reindex(list(SEGMENTS))
    out["customers"] = out["customers"].fillna(0).astype(np.int64)
    out["share_customers"] = out["customers"] / total_customers
    out["share_of_value"] = out["value"] / total_value if total_value else np.nan
    out["share_of_future"] = out["future_value"] / total_future if total_future else np.nan
    if "prob_alive" in segmented:
        out["prob_alive"] = g["prob_alive"].mean().reindex(list(SEGMENTS))
    if "method" in segmented:
        trend = (segmented["method"].astype(str) == METHOD_TREND).groupby(seg, observed=False).sum()
        out["trend_customers"] = trend.reindex(list(SEGMENTS)).fillna(0).astype(np.int64)
    lookup = pd.Series(seg.to_numpy(), index=segmented["customer_id"].astype("str").to_numpy())
    lookup = lookup[~lookup.index.duplicated()]

    if responses is not None and "customer_id" in responses.columns:
        r_seg = responses["customer_id"].astype("str").map(lookup)
        r_seg = r_seg.astype(pd.CategoricalDtype(list(SEGMENTS)))
        if "nps" in responses.columns:
            nps = pd.to_numeric(responses["nps"], errors="coerce")
            valid = nps.notna()
            promo = (nps >= ind.nps_promoter_min) & valid
            detr = (nps <= ind.nps_detractor_max) & valid
            n = valid.groupby(r_seg, observed=False).sum().reindex(list(SEGMENTS)).fillna(0)
            p = promo.groupby(r_seg, observed=False).sum().reindex(list(SEGMENTS)).fillna(0)
            d = detr.groupby(r_seg, observed=False).sum().reindex(list(SEGMENTS)).fillna(0)
            with np.errstate(invalid="ignore", divide="ignore"):
                out["nps"] = np.where(n > 0, 100.0 * (p - d) / n, np.nan)
            out["nps_n"] = n.astype(np.int64)
        if "csat" in responses.columns:
            cs = pd.to_numeric(responses["csat"], errors="coerce")
            valid = cs.notna()
            n = valid.groupby(r_seg, observed=False).sum().reindex(list(SEGMENTS)).fillna(0)
            top = ((cs >= 4) & valid).groupby(r_seg, observed=False).sum().reindex(list(SEGMENTS)).fillna(0)
            with np.errstate(invalid="ignore", divide="ignore"):
                out["csat"] = np.where(n > 0, top / n, np.nan)
            out["csat_mean"] = cs.groupby(r_seg, observed=False).mean().reindex(list(SEGMENTS))
            out["csat_n"] = n.astype(np.int64)

    if case_metrics is not None:
        for col in ("customer_id", "handoffs"):
            if col not in case_metrics.columns:
                raise MissingColumnError(
                    "a case table with customer_id and handoffs",
                    file="case_metrics",
                    column=col,
                    found="no such column",
                )
        c_seg = (
            case_metrics["customer_id"].astype("str").map(lookup).astype(pd.CategoricalDtype(list(SEGMENTS)))
        )
        h = pd.to_numeric(case_metrics["handoffs"], errors="coerce")
        cases = h.notna().groupby(c_seg, observed=False).sum().reindex(list(SEGMENTS)).fillna(0)
        total_h = h.groupby(c_seg, observed=False).sum().reindex(list(SEGMENTS)).fillna(0)
        out["cases"] = cases.astype(np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["handoffs_per_case"] = np.where(cases > 0, total_h / cases, np.nan)

    out = out.reset_index(names="segment")
    out["segment"] = pd.Categorical(out["segment"], categories=list(SEGMENTS))
    return out


# --------------------------------------------------------------------------------------------------
# movement between two analysis dates


def segment_movement(
    transactions: pd.DataFrame,
    date_from: DateLike,
    date_to: DateLike,
    settings: SegmentSettings | None = None,
    customers: pd.DataFrame | None = None,
    *,
    before: pd.DataFrame | None = None,
    after: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How customers moved between segments from ``date_from`` to ``date_to`` (each date segmented on its
    own history, with its own thresholds). Pass ``before``/``after`` (outputs of
    :func:`segment_customers`) to reuse segmentations already computed.

    Long form, every cell present: from_segment (``"new"`` for customers without a purchase by
    ``date_from``, also when the customers table lists them), to_segment, customers, share_of_from (row share), value_from, value_to (current value
    at each date, summed).
    """
    if pd.Timestamp(date_to) <= pd.Timestamp(date_from):
        raise AnalysisError("date_to after date_from", column="date_to", found=f"{date_to} ≤ {date_from}")
    a = before if before is not None else segment_customers(transactions, date_from, settings, customers)
    b = after if after is not None else segment_customers(transactions, date_to, settings, customers)
    left = a[["customer_id", "segment", "value"]].rename(
        columns={"segment": "from_segment", "value": "value_from"}
    )
    if "first_purchase" in a.columns:
        # customers listed (customers table) but without a purchase by date_from are new, not "maintain"
        left = left[a["first_purchase"].notna().to_numpy()]
    right = b[["customer_id", "segment", "value"]].rename(
        columns={"segment": "to_segment", "value": "value_to"}
    )
    joined = right.merge(left, on="customer_id", how="left")
    from_cats = [*SEGMENTS, NEW]
    joined["from_segment"] = (
        joined["from_segment"].astype(object).where(joined["from_segment"].notna(), NEW).astype(str)
    )
    joined["from_segment"] = pd.Categorical(joined["from_segment"], categories=from_cats)
    joined["to_segment"] = pd.Categorical(joined["to_segment"].astype(str), categories=list(SEGMENTS))
    joined["value_from"] = joined["value_from"].fillna(0.0)
    grid = pd.MultiIndex.from_product([from_cats, list(SEGMENTS)], names=["from_segment", "to_segment"])
    g = joined.groupby(["from_segment", "to_segment"], observed=False)
    out = pd.DataFrame(
        {"customers": g.size(), "value_from": g["value_from"].sum(), "value_to": g["value_to"].sum()}
    ).reindex(grid)
    out["customers"] = out["customers"].fillna(0).astype(np.int64)
    out[["value_from", "value_to"]] = out[["value_from", "value_to"]].fillna(0.0)
    row = out.groupby(level="from_segment", observed=False)["customers"].transform("sum")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_of_from"] = np.where(row > 0, out["customers"] / row, np.nan)
    out = out.reset_index()
    out["from_segment"] = pd.Categorical(out["from_segment"], categories=from_cats)
    out["to_segment"] = pd.Categorical(out["to_segment"], categories=list(SEGMENTS))
    return out[["from_segment", "to_segment", "customers", "share_of_from", "value_from", "value_to"]]


def movement_matrix(movement: pd.DataFrame, normalise: bool = False) -> pd.DataFrame:
    """The transition matrix (rows: from_segment, columns: to_segment) of :func:`segment_movement`;
    counts, or row shares with ``normalise=True``."""
    col = "share_of_from" if normalise else "customers"
    return movement.pivot_table(
        index="from_segment", columns="to_segment", values=col, observed=False, aggfunc="sum", dropna=False
    )
