"""Satisfaction and handoffs: responses linked to cases, NPS/CSAT by handoff count and by pair,
the NPS cost of an extra handoff and the worst handoffs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from ..config import ActivitySettings, IndicatorSettings, Thresholds
from ..errors import MissingColumnError
from ..stats import nps_classes, nps_counts, nps_interval, wilson_interval, z_value
from .core import (
    HANDOFF_BUCKETS,
    categorical,
    event_core,
    expand_by_case,
    first_in_case,
)


def link_satisfaction(
    cases: pd.DataFrame, responses: pd.DataFrame, settings: ActivitySettings | None = None
) -> pd.DataFrame:
    """Join survey responses to cases (output of :func:`case_metrics`).

    A response with a ``case_id`` that exists is linked by it (``link = "case_id"``). Otherwise a *hot*
    response (or any response when the table has no ``survey`` column) is linked to the customer's latest
    case that started before the answer and ended at most ``settings.case_window_days`` before it
    (``link = "customer_window"``). Cold (relational) responses are not about a case and are linked only
    by case_id. Unlinked responses are left out. One row per linked response: the response columns plus
    every case column (case ``start``/``end`` are renamed ``case_start``/``case_end``).
    """
    settings = settings or ActivitySettings()
    if "answered_at" not in responses.columns:
        raise MissingColumnError(
            "answered_at", file="survey_responses", column="answered_at", found="no such column"
        )
    case_cols = cases.rename(columns={"start": "case_start", "end": "case_end"})
    resp = responses.copy()
    for col in ("case_id", "customer_id"):
        if col not in resp.columns:
            resp[col] = pd.Series(pd.NA, index=resp.index, dtype="str")
    resp = resp.rename(columns={"customer_id": "response_customer_id"})
    resp["_row"] = np.arange(len(resp))
    resp["case_id"] = resp["case_id"].astype("str")
    known = resp["case_id"].isin(case_cols["case_id"].astype("str"))
    by_case = resp[known].merge(
        case_cols.assign(case_id=case_cols["case_id"].astype("str")), on="case_id", how="left"
    )
    by_case["link"] = "case_id"
    parts = [by_case]
    rest = resp[~known & resp["response_customer_id"].notna()]
    if "survey" in rest.columns:
        rest = rest[rest["survey"].astype("str") == "hot"]
    if len(rest) and "customer_id" in case_cols.columns:
        left = rest.drop(columns="case_id").sort_values("answered_at", kind="stable")
        left["_cust"] = left["response_customer_id"].astype("str")
        left = left[left["answered_at"].notna()]
        right = case_cols[case_cols["customer_id"].notna()].copy()
        right["_cust"] = right["customer_id"].astype("str")
        right = right.sort_values("case_start", kind="stable")
        left["answered_at"] = left["answered_at"].astype("datetime64[ns]")
        right["case_start"] = right["case_start"].astype("datetime64[ns]")
        m = pd.merge_asof(
            left, right, left_on="answered_at", right_on="case_start", by="_cust", direction="backward"
        )
        window = pd.Timedelta(days=settings.case_window_days)
        ok = m["case_id"].notna() & (m["answered_at"] <= m["case_end"] + window)
        m = m[ok].drop(columns="_cust")
        m["link"] = "customer_window"
        parts.append(m)
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else by_case
    out = out.sort_values("_row", kind="stable").drop(columns="_row").reset_index(drop=True)
    if "customer_id" in out.columns:
        out["customer_id"] = out["customer_id"].fillna(out["response_customer_id"])
        out = out.drop(columns="response_customer_id")
    else:
        out = out.rename(columns={"response_customer_id": "customer_id"})
    return out


def nps_parts(scores: pd.Series, indicators: IndicatorSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(answered, promoter, detractor) masks under the client's NPS thresholds."""
    return nps_classes(scores, indicators.nps_promoter_min, indicators.nps_detractor_max)


def score_table(
    keys: np.ndarray,
    n_groups: int,
    linked: pd.DataFrame,
    indicators: IndicatorSettings,
    thresholds: Thresholds,
) -> dict[str, np.ndarray]:
    """NPS and CSAT (top-2-box and mean) with intervals per integer group key."""
    out: dict[str, np.ndarray] = {}
    conf = thresholds.confidence
    if "nps" in linked.columns:
        n, p, d = nps_counts(
            keys, n_groups, linked["nps"], indicators.nps_promoter_min, indicators.nps_detractor_max
        )
        nps, se, lo, hi = nps_interval(p, d, n, conf)
        out.update(
            n_nps=n,
            promoters=p,
            detractors=d,
            nps=nps,
            nps_se=se,
            nps_low=lo,
            nps_high=hi,
            small_n=n < thresholds.small_n,
        )
    if "csat" in linked.columns:
        c = pd.to_numeric(linked["csat"], errors="coerce").to_numpy(dtype=float)
        valid = ~np.isnan(c)
        n = np.bincount(keys[valid], minlength=n_groups)
        top = np.bincount(keys[valid & (c >= 4)], minlength=n_groups)
        total = np.bincount(keys[valid], weights=c[valid], minlength=n_groups)
        lo, hi = wilson_interval(top, n, conf)
        with np.errstate(invalid="ignore", divide="ignore"):
            out.update(n_csat=n, csat_top2=top / n, csat_low=lo, csat_high=hi, csat_mean=total / n)
    return out


def _bucket(handoffs_n: np.ndarray) -> np.ndarray:
    return np.minimum(np.maximum(handoffs_n, 0), len(HANDOFF_BUCKETS) - 1).astype(np.int64)


def satisfaction_by_handoffs(
    linked: pd.DataFrame,
    indicators: IndicatorSettings | None = None,
    thresholds: Thresholds | None = None,
    by: str = "handoffs",
) -> pd.DataFrame:
    """NPS and CSAT of linked responses by bucket of ``by`` (handoffs, ping_pongs, departments, chasers…):
    0, 1, 2, 3, 4, 5+. Columns: bucket, n_nps, promoters, detractors, nps, nps_se, nps_low, nps_high,
    small_n, n_csat, csat_top2, csat_low, csat_high, csat_mean (the score columns present in ``linked``)."""
    indicators, thresholds = indicators or IndicatorSettings(), thresholds or Thresholds()
    if by not in linked.columns:
        raise MissingColumnError(
            f"a '{by}' column from case_metrics", file="linked responses", column=by, found="no such column"
        )
    keys = _bucket(pd.to_numeric(linked[by], errors="coerce").fillna(0).to_numpy(np.int64))
    table = score_table(keys, len(HANDOFF_BUCKETS), linked, indicators, thresholds)
    out = pd.DataFrame(
        {"bucket": pd.Categorical(HANDOFF_BUCKETS, categories=HANDOFF_BUCKETS, ordered=True), **table}
    )
    out.insert(1, "cases", np.bincount(keys, minlength=len(HANDOFF_BUCKETS)))
    return out[out["cases"] > 0].reset_index(drop=True)


def satisfaction_by_pair(
    linked: pd.DataFrame,
    events: pd.DataFrame,
    settings: ActivitySettings | None = None,
    indicators: IndicatorSettings | None = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """For each handoff pair: NPS of responses whose case had that handoff vs those whose case did not.

    Columns: from_department, to_department, n_with, nps_with, nps_with_low, nps_with_high, n_without,
    nps_without, nps_gap (without − with: points lost), gap_low, gap_high, significant, share_with (of
    linked NPS responses), nps_points_lost (= gap × share_with: how many points of the overall NPS the pair
    costs — the overall NPS would be that much higher if these cases scored like the others). Sorted by
    nps_points_lost (desc).
    """
    settings, indicators = settings or ActivitySettings(), indicators or IndicatorSettings()
    thresholds = thresholds or Thresholds()
    core = event_core(events, settings)
    k = len(core.dept_names)
    n_pairs = k * k
    cols = [
        "from_department", "to_department", "n_with", "nps_with", "nps_with_low", "nps_with_high", "n_without",
        "nps_without", "nps_gap", "gap_low", "gap_high", "significant", "share_with", "nps_points_lost",
    ]  # fmt: skip
    if "nps" not in linked.columns:
        return pd.DataFrame(columns=cols)
    valid, prom, det = nps_parts(linked["nps"], indicators)
    if not valid.any():
        return pd.DataFrame(columns=cols)
    # case rank of each response's case
    case_index = pd.Index(core.case_ids[core.case[core.case_start]].astype(str))
    rank = case_index.get_indexer(linked["case_id"].astype(str))
    ok = valid & (rank >= 0)
    r_rank, r_prom, r_det = rank[ok], prom[ok], det[ok]
    n_all, p_all, d_all = ok.sum(), r_prom.sum(), r_det.sum()
    # unique (case, pair), then responses × pairs of their case via a sorted join
    first = first_in_case(core.h_case, core.h_pair, n_pairs)
    cp_case, cp_pair = core.h_case[first], core.h_pair[first]  # sorted by case
    resp_idx, pair_of = expand_by_case(cp_case, cp_pair, r_rank)
    n_w = np.bincount(pair_of, minlength=n_pairs)
    p_w = np.bincount(pair_of, weights=r_prom[resp_idx].astype(float), minlength=n_pairs)
    d_w = np.bincount(pair_of, weights=r_det[resp_idx].astype(float), minlength=n_pairs)
    present = np.flatnonzero(n_w)
    n_w, p_w, d_w = n_w[present], p_w[present], d_w[present]
    n_o, p_o, d_o = n_all - n_w, p_all - p_w, d_all - d_w
    conf = thresholds.confidence
    nps_w, se_w, lo_w, hi_w = nps_interval(p_w, d_w, n_w, conf)
    nps_o, se_o, _, _ = nps_interval(p_o, d_o, n_o, conf)
    gap = nps_o - nps_w
    se_gap = np.sqrt(se_w**2 + se_o**2)
    z = z_value(conf)
    share = n_w / max(n_all, 1)
    out = pd.DataFrame(
        {
            "from_department": categorical(present // k, core.dept_names),
            "to_department": categorical(present % k, core.dept_names),
            "n_with": n_w,
            "nps_with": nps_w,
            "nps_with_low": lo_w,
            "nps_with_high": hi_w,
            "n_without": n_o,
            "nps_without": nps_o,
            "nps_gap": gap,
            "gap_low": gap - z * se_gap,
            "gap_high": gap + z * se_gap,
            "significant": (gap - z * se_gap > 0) | (gap + z * se_gap < 0),
            "share_with": share,
            "nps_points_lost": gap * share,
        }
    )
    return out.sort_values("nps_points_lost", ascending=False, kind="stable", na_position="last").reset_index(
        drop=True
    )


def nps_per_extra_handoff(
    linked: pd.DataFrame,
    indicators: IndicatorSettings | None = None,
    thresholds: Thresholds | None = None,
    by: str = "handoffs",
) -> pd.DataFrame:
    """How many points each extra handoff costs, as a straight line through the responses.

    Each NPS answer is scored +100 (promoter), 0 (passive) or −100 (detractor), so the mean of the scores
    *is* the NPS and the least-squares slope on ``by`` is "NPS points per extra handoff"; its interval
    uses heteroskedasticity-robust (HC1) standard errors because the score takes three values only. The
    same for CSAT top-2-box in percentage points. One row per metric: metric, slope, slope_low, slope_high,
    p_value, intercept, n, mean_x, plus the plain bucket comparison ``first_bucket``/``last_bucket``
    (score at the fewest vs the most handoffs, 5+ pooled) so the slope can be told in words.
    """
    indicators, thresholds = indicators or IndicatorSettings(), thresholds or Thresholds()
    rows = []
    x_all = (
        pd.to_numeric(linked.get(by), errors="coerce").to_numpy(dtype=float) if by in linked.columns else None
    )
    if x_all is None:
        raise MissingColumnError(
            f"a '{by}' column from case_metrics", file="linked responses", column=by, found="no such column"
        )
    metrics = []
    if "nps" in linked.columns:
        valid, prom, det = nps_parts(linked["nps"], indicators)
        metrics.append(("nps", valid, np.where(prom, 100.0, np.where(det, -100.0, 0.0))))
    if "csat" in linked.columns:
        c = pd.to_numeric(linked["csat"], errors="coerce").to_numpy(dtype=float)
        metrics.append(("csat_top2", ~np.isnan(c), np.where(c >= 4, 100.0, 0.0)))
    z = z_value(thresholds.confidence)
    for name, valid, y_all in metrics:
        ok = valid & ~np.isnan(x_all)
        x, y = x_all[ok], y_all[ok]
        n = len(x)
        row = {"metric": name, "n": n, "mean_x": x.mean() if n else np.nan}
        if n >= 3 and x.var() > 0:
            xc = x - x.mean()
            slope = (xc * (y - y.mean())).sum() / (xc**2).sum()
            intercept = y.mean() - slope * x.mean()
            resid = y - intercept - slope * x
            se = np.sqrt((xc**2 * resid**2).sum() * n / (n - 2)) / (xc**2).sum()
            p = 2 * norm.sf(abs(slope / se)) if se > 0 else 0.0
            row.update(
                slope=slope,
                slope_low=slope - z * se,
                slope_high=slope + z * se,
                p_value=p,
                intercept=intercept,
            )
        else:
            row.update(slope=np.nan, slope_low=np.nan, slope_high=np.nan, p_value=np.nan, intercept=np.nan)
        b = _bucket(x.astype(np.int64)) if n else np.zeros(0, np.int64)
        if n:
            present = np.unique(b)
            row["first_bucket"] = HANDOFF_BUCKETS[present[0]]
            row["first_bucket_score"] = y[b == present[0]].mean()
            row["last_bucket"] = HANDOFF_BUCKETS[present[-1]]
            row["last_bucket_score"] = y[b == present[-1]].mean()
        rows.append(row)
    cols = [
        "metric", "slope", "slope_low", "slope_high", "p_value", "intercept", "n", "mean_x",
        "first_bucket", "first_bucket_score", "last_bucket", "last_bucket_score",
    ]  # fmt: skip
    return pd.DataFrame(rows).reindex(columns=cols)


def worst_handoffs(
    matrix: pd.DataFrame, pair_satisfaction: pd.DataFrame | None = None, top: int = 5, min_support: int = 1
) -> pd.DataFrame:
    """The worst handoffs, ranked twice: by total waiting time (``ranking = "waiting_time"``) and, when
    :func:`satisfaction_by_pair` output is given, by NPS points lost (``ranking = "satisfaction"``).

    Only pairs with at least ``min_support`` handoffs are ranked.

    Columns: ranking, rank (1 = worst), from_department, to_department, value (hours or points), count,
    cases, median_wait_h, p90_wait_h, ping_pong_rate, total_wait_h, nps_gap, nps_points_lost, significant.
    """
    base = matrix[matrix["count"] >= min_support].copy()
    for c in ("from_department", "to_department"):
        base[c] = base[c].astype(str)
    if pair_satisfaction is not None and len(pair_satisfaction):
        sat = pair_satisfaction[
            ["from_department", "to_department", "nps_gap", "nps_points_lost", "significant"]
        ].copy()
        for c in ("from_department", "to_department"):
            sat[c] = sat[c].astype(str)
        base = base.merge(sat, on=["from_department", "to_department"], how="left")
    else:
        base = base.assign(nps_gap=np.nan, nps_points_lost=np.nan, significant=pd.NA)
    parts = []
    by_wait = base.sort_values("total_wait_h", ascending=False, kind="stable").head(top)
    parts.append(by_wait.assign(ranking="waiting_time", value=by_wait["total_wait_h"]))
    if pair_satisfaction is not None and len(pair_satisfaction):
        # ties (two directions of one bounce share the same cases) go to the pair with more waiting time
        lost = base[base["nps_points_lost"] > 0].sort_values(
            ["nps_points_lost", "total_wait_h"], ascending=False, kind="stable"
        )
        lost = lost.head(top)
        parts.append(lost.assign(ranking="satisfaction", value=lost["nps_points_lost"]))
    out = pd.concat(parts, ignore_index=True)
    out["rank"] = out.groupby("ranking", sort=False).cumcount() + 1
    cols = [
        "ranking", "rank", "from_department", "to_department", "value", "count", "cases", "median_wait_h",
        "p90_wait_h", "ping_pong_rate", "total_wait_h", "nps_gap", "nps_points_lost", "significant",
    ]  # fmt: skip
    return out[cols]
