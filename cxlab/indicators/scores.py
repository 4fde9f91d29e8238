"""NPS, CSAT, CES and the CXi-style index per group, and the four in one long table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..config import IndicatorSettings, Thresholds
from ..errors import AnalysisError, MissingColumnError
from ..stats import (
    mean_interval,
    nps_counts,
    nps_interval,
    wilson_interval,
    z_value,
)
from .grouping import (
    COMMON,
    CXI_QUESTIONS,
    INDICATORS,
    By,
    assemble,
    by_list,
    check_columns,
    group_rows,
    resolve_settings,
    score_values,
    with_periods,
)


def _distribution(s: np.ndarray, group: np.ndarray, g: int, lo: int, hi: int) -> np.ndarray | None:
    """Answer counts per group and scale point (g × (hi − lo + 1)) in one integer bincount; None when an
    answer is not a whole number on the scale (then the callers use weighted sums)."""
    valid = ~np.isnan(s)
    v = s[valid]
    if len(v) and (v.min() < lo or v.max() > hi or not np.array_equal(v, np.floor(v))):
        return None
    k = hi - lo + 1
    key = group[valid] * k + (v.astype(np.int64) - lo)
    return np.bincount(key, minlength=g * k).reshape(g, k)


def _nps_columns(
    s: np.ndarray, group: np.ndarray, g: int, ind: IndicatorSettings, t: Thresholds
) -> dict[str, Any]:
    dist = _distribution(s, group, g, 0, 10)
    if dist is not None:
        n = dist.sum(axis=1)
        p = dist[:, max(ind.nps_promoter_min, 0) :].sum(axis=1)
        d = dist[:, : max(ind.nps_detractor_max + 1, 0)].sum(axis=1)
    else:
        n, p, d = nps_counts(group, g, s, ind.nps_promoter_min, ind.nps_detractor_max)
    score, _, low, high = nps_interval(p, d, n, t.confidence, adjusted=True)
    _, se, _, _ = nps_interval(p, d, n, t.confidence, adjusted=False)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = {
            "share_promoters": p / n,
            "share_passives": (n - p - d) / n,
            "share_detractors": d / n,
        }
    return {
        "indicator": "nps",
        "rule": f"%{ind.nps_promoter_min}-10 - %0-{ind.nps_detractor_max}",
        "unit": "points",
        "n": n,
        "promoters": p,
        "passives": n - p - d,
        "detractors": d,
        **shares,
        "score": score,
        "se": se,
        "low": low,
        "high": high,
        "small_n": n < t.small_n,
    }


def _scale_columns(
    name: str,
    s: np.ndarray,
    group: np.ndarray,
    g: int,
    top_min: int,
    top_max: int,
    rule: str,
    t: Thresholds,
) -> dict[str, Any]:
    dist = _distribution(s, group, g, 1, top_max)
    if dist is not None:
        points = np.arange(1, top_max + 1, dtype=float)
        n = dist.sum(axis=1)
        total = dist @ points
        squares = dist @ points**2
        top = dist[:, max(top_min - 1, 0) :].sum(axis=1)
    else:
        valid = ~np.isnan(s)
        gv, sv = group[valid], s[valid]
        n = np.bincount(gv, minlength=g)
        total = np.bincount(gv, weights=sv, minlength=g)
        squares = np.bincount(gv, weights=sv * sv, minlength=g)
        top = np.bincount(gv, weights=sv >= top_min, minlength=g).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        var = np.where(n > 1, (squares - n * mean**2) / (n - 1), np.nan)
        share = top / n
        se_share = np.sqrt(share * (1 - share) / n)
    sd = np.sqrt(np.maximum(var, 0))
    se_mean, mean_low, mean_high = mean_interval(mean, sd, n, t.confidence)
    top_low, top_high = wilson_interval(top, n, t.confidence)
    use_mean = rule == "mean"
    return {
        "indicator": name,
        "rule": "mean" if use_mean else f"%{top_min}-{top_max}",
        "unit": "mean" if use_mean else "share",
        "n": n,
        "mean": mean,
        "sd": sd,
        "mean_low": mean_low,
        "mean_high": mean_high,
        "top": top,
        "share_top": share,
        "top_low": top_low,
        "top_high": top_high,
        "score": mean if use_mean else share,
        "se": se_mean if use_mean else se_share,
        "low": mean_low if use_mean else top_low,
        "high": mean_high if use_mean else top_high,
        "small_n": n < t.small_n,
    }


def _cxi_columns(
    answers: dict[str, np.ndarray], group: np.ndarray, g: int, ind: IndicatorSettings, t: Thresholds
) -> dict[str, Any]:
    """Per question: top and bottom counts from integer bincounts. Per respondent: the number of
    answered questions c and the sum of their −1/0/+1 scores s, encoded as one small integer, so the
    mean and variance of the respondents' scores (100 × s / c) per group also come from one bincount."""
    q_n = len(answers)
    nets = {}
    sums = np.zeros(len(group), dtype=np.int64)
    counts = np.zeros(len(group), dtype=np.int64)
    for q, s in answers.items():
        valid = ~np.isnan(s)
        point = (s >= ind.cxi_top_min).astype(np.int64) - (s <= ind.cxi_bottom_max)
        # key per group: 0 = blank, 1 = bottom, 2 = middle, 3 = top
        code = np.where(valid, point + 2, 0)
        dist = np.bincount(group * 4 + code, minlength=g * 4).reshape(g, 4)
        nq = dist[:, 1:].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            nets[q] = (dist[:, 3] - dist[:, 1]) / nq * 100
        sums += point
        counts += valid
    width = q_n + 1
    size = (2 * q_n + 1) * width
    combo = (sums + q_n) * width + counts
    table = np.bincount(group * size + combo, minlength=g * size).reshape(g, size)
    s_val = np.arange(size) // width - q_n
    c_val = np.arange(size) % width
    answered = c_val > 0
    r_val = np.where(answered, 100.0 * s_val / np.maximum(c_val, 1), 0.0)
    n = table[:, answered].sum(axis=1)
    rs = table @ r_val
    rss = table @ r_val**2
    net_matrix = np.column_stack([nets[q] for q in answers])
    with np.errstate(invalid="ignore", divide="ignore"):
        counted = (~np.isnan(net_matrix)).sum(axis=1)
        score = np.where(counted > 0, np.nansum(net_matrix, axis=1) / counted, np.nan)
        rmean = rs / n
        var = np.where(n > 1, (rss - n * rmean**2) / (n - 1), np.nan)
    se, _, _ = mean_interval(rmean, np.sqrt(np.maximum(var, 0)), n, t.confidence)
    z = z_value(t.confidence)
    return {
        "indicator": "cxi",
        "rule": f"mean(%{ind.cxi_top_min}-5 - %1-{ind.cxi_bottom_max})",  # over the questions
        "unit": "points",
        "n": n,
        **{f"net_{q.removeprefix('cxi_')}": nets.get(q, np.full(g, np.nan)) for q in CXI_QUESTIONS},
        "score": score,
        "se": se,
        "low": np.clip(score - z * se, -100, 100),
        "high": np.clip(score + z * se, -100, 100),
        "small_n": n < t.small_n,
    }


def _indicator(
    name: str,
    responses: pd.DataFrame,
    by: By,
    settings: Any,
    thresholds: Thresholds | None,
    rows: np.ndarray | None = None,
) -> pd.DataFrame:
    """One indicator per group of the selected ``rows`` (boolean mask or positions; default all)."""
    return _compute(name, *_prepare(responses, by, rows), settings, thresholds)


def _prepare(
    responses: pd.DataFrame, by: By, rows: np.ndarray | None
) -> tuple[pd.DataFrame, np.ndarray | None, np.ndarray, pd.DataFrame]:
    """(frame with derived period columns, row positions, group code per row, group keys)."""
    by_l = by_list(by)
    frame = with_periods(responses, by_l, "answered_at")
    check_columns(frame, by_l, "survey_responses")
    if rows is not None and rows.dtype == bool:
        rows = np.flatnonzero(rows)
    group, keys = group_rows(frame, by_l, rows)
    return frame, rows, group, keys


def _compute(
    name: str,
    frame: pd.DataFrame,
    rows: np.ndarray | None,
    group: np.ndarray,
    keys: pd.DataFrame,
    settings: Any,
    thresholds: Thresholds | None,
) -> pd.DataFrame:
    ind, t = resolve_settings(settings, thresholds)
    g = len(keys)

    def values(column: str) -> np.ndarray:
        s = score_values(frame, column)
        return s if rows is None else s[rows]

    if name == "nps":
        check_columns(frame, ["nps"], "survey_responses")
        data = _nps_columns(values("nps"), group, g, ind, t)
    elif name == "csat":
        check_columns(frame, ["csat"], "survey_responses")
        data = _scale_columns("csat", values("csat"), group, g, ind.csat_top_min, 5, ind.csat_rule, t)
    elif name == "ces":
        check_columns(frame, ["ces"], "survey_responses")
        data = _scale_columns("ces", values("ces"), group, g, ind.ces_top_min, 7, ind.ces_rule, t)
    elif name == "cxi":
        questions = [q for q in CXI_QUESTIONS if q in frame.columns]
        if not questions:
            raise MissingColumnError(
                "CXi answers (cxi_needs, cxi_ease, cxi_enjoy)",
                file="survey_responses",
                column="cxi_ease",
                found="no such column",
            )
        data = _cxi_columns({q: values(q) for q in questions}, group, g, ind, t)
    else:
        raise AnalysisError("one of " + ", ".join(INDICATORS), column="indicator", found=repr(name))
    return assemble(keys, data)


def _available(responses: pd.DataFrame, indicators: Sequence[str]) -> list[str]:
    cols = {"nps": ["nps"], "csat": ["csat"], "ces": ["ces"], "cxi": list(CXI_QUESTIONS)}
    return [i for i in indicators if any(c in responses.columns for c in cols.get(i, [i]))]


# --------------------------------------------------------------------------------------------------
# the four indicators


def nps(
    responses: pd.DataFrame, by: By = None, settings: Any = None, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """NPS per group: the ``by`` columns, indicator, rule, unit, n, promoters, passives, detractors,
    share_promoters, share_passives, share_detractors, score (NPS points), se (plain trinomial), low/high
    (adjusted-Wald interval), small_n."""
    return _indicator("nps", responses, by, settings, thresholds)


def csat(
    responses: pd.DataFrame, by: By = None, settings: Any = None, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """CSAT per group: n, mean (sd, mean_low, mean_high), top / share_top (top-2-box, Wilson top_low /
    top_high), and score/se/low/high per ``settings.csat_rule``."""
    return _indicator("csat", responses, by, settings, thresholds)


def ces(
    responses: pd.DataFrame, by: By = None, settings: Any = None, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """CES per group, as :func:`csat` on the 1–7 scale (share_top = % 5–7); score per ``ces_rule``."""
    return _indicator("ces", responses, by, settings, thresholds)


def cxi(
    responses: pd.DataFrame, by: By = None, settings: Any = None, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """CXi-style index per group: n (respondents with at least one answer), net_needs / net_ease /
    net_enjoy (% 4–5 − % 1–2 per question, points), score (their mean), se/low/high (from each
    respondent's mean per-question score)."""
    return _indicator("cxi", responses, by, settings, thresholds)


def indicator_table(
    responses: pd.DataFrame,
    by: By = None,
    indicators: Sequence[str] = INDICATORS,
    settings: Any = None,
    thresholds: Thresholds | None = None,
    rows: np.ndarray | None = None,
) -> pd.DataFrame:
    """The indicators present in ``responses`` in one long table: the ``by`` columns + :data:`COMMON`.
    ``rows`` (boolean mask or positions) limits the responses without copying the frame."""
    by_l = by_list(by)
    names = _available(responses, indicators)
    if not names:
        return pd.DataFrame(columns=[*by_l, *COMMON])
    prepared = _prepare(responses, by_l, rows)  # groups computed once for every indicator
    parts = [_compute(i, *prepared, settings, thresholds)[[*by_l, *COMMON]] for i in names]
    return pd.concat(parts, ignore_index=True)
