"""Key drivers: the response × driver matrix and Johnson's relative weights with the NPS difference."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..config import IndicatorSettings, Thresholds
from ..errors import AnalysisError
from ..stats import (
    nps_interval,
    relative_weights,
    z_value,
)
from .grouping import (
    check_columns,
    resolve_settings,
    score_values,
)

QUADRANTS = ("fix_first", "keep_up", "low_priority", "possible_overkill")


def driver_table(
    responses: pd.DataFrame,
    cases: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    themes: pd.DataFrame | None = None,
    touchpoints: bool = True,
    case_columns: Sequence[str] = ("handoffs",),
) -> pd.DataFrame:
    """The drivers each response experienced, one row per response (same index), one column per driver
    named ``kind=level`` (``touchpoint=delivery``, ``department=Credit``, ``theme=late_delivery``) or by its
    case metric (``handoffs``).

    * touchpoints: from the response's ``touchpoint``;
    * departments: the departments its case went through (``events``, linked by ``case_id``);
    * handoff counts: ``case_columns`` of ``cases`` (:func:`cxlab.handoffs.case_metrics`) by ``case_id``;
    * comment themes: ``themes`` = :func:`cxlab.text.detect_themes` of the comments (boolean frame with
      the responses' index); responses without a comment mention no theme.

    Case drivers are NaN for responses without a known case (e.g. cold surveys).
    """
    cols: dict[str, Any] = {}
    if touchpoints and "touchpoint" in responses.columns:
        tp = responses["touchpoint"].astype("str")
        for level in sorted(tp.dropna().unique()):
            cols[f"touchpoint={level}"] = (tp == level).fillna(False).to_numpy(dtype=float)
    case = responses["case_id"].astype("str") if "case_id" in responses.columns else None
    if events is not None and case is not None:
        check_columns(events, ["case_id", "department"], "events")
        ev_case, case_names = pd.factorize(events["case_id"].astype("str"))
        dept = events["department"].astype("str").fillna("unknown")
        ev_dept, dept_names = pd.factorize(dept, sort=True)
        ok = (ev_case >= 0) & (ev_dept >= 0)
        matrix = np.zeros((len(case_names), len(dept_names)), dtype=bool)
        matrix[ev_case[ok], ev_dept[ok]] = True
        row = pd.Index(case_names).get_indexer(case)
        known = row >= 0
        for j, d in enumerate(dept_names):
            v = np.full(len(responses), np.nan)
            v[known] = matrix[row[known], j]
            cols[f"department={d}"] = v
    if cases is not None and case is not None:
        check_columns(cases, ["case_id", *case_columns], "cases")
        row = pd.Index(cases["case_id"].astype("str")).get_indexer(case)
        known = row >= 0
        for c in case_columns:
            values = pd.to_numeric(cases[c], errors="coerce").to_numpy(dtype=float)
            v = np.full(len(responses), np.nan)
            v[known] = values[row[known]]
            cols[c] = v
    if themes is not None:
        th = themes.reindex(responses.index)
        for c in th.columns:
            cols[f"theme={c}"] = th[c].fillna(False).to_numpy(dtype=float)
    return pd.DataFrame(cols, index=responses.index)


def key_drivers(
    responses: pd.DataFrame,
    drivers: pd.DataFrame | None = None,
    target: str = "nps",
    settings: Any = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Which drivers move ``target`` most.

    ``drivers`` is :func:`driver_table` (default: touchpoints only). Responses with a blank target or a
    blank driver are left out (``n``). Per driver: kind, level, n_with (experienced it: a 0/1 driver
    equal to 1, a count above its median), share_with, weight (Johnson's raw relative weight for the
    0–10 answer), importance (weight / R²), r2, performance (NPS — or mean for other targets — of the
    responses that experienced it), score_without, difference (performance − score_without), diff_low,
    diff_high, significant, with_rule, overall, small_n (fewer than ``small_n`` responses with or without
    it), quadrant (importance at or above the median × performance at or above the overall score:
    fix_first, keep_up, low_priority, possible_overkill), target. Sorted by importance. Drivers that
    every response or none experienced are left out (their weight is 0).
    """
    ind, t = resolve_settings(settings, thresholds)
    check_columns(responses, [target], "survey_responses")
    if drivers is None:
        drivers = driver_table(responses)
    if drivers.shape[1] == 0:
        raise AnalysisError("at least one driver", column="drivers", found="no driver columns")
    y = score_values(responses, target)
    x = drivers.reindex(responses.index).to_numpy(dtype=float)
    ok = ~np.isnan(y) & ~np.isnan(x).any(axis=1)
    y, x = y[ok], x[ok]
    n = len(y)
    if n < 3:
        raise AnalysisError(
            "at least 3 responses with the target and every driver", column=target, found=f"{n} responses"
        )
    weights, r2 = relative_weights(x, y)
    z0 = z_value(t.confidence)
    rows = []
    for j, name in enumerate(drivers.columns):
        v = x[:, j]
        binary = np.isin(v, (0.0, 1.0)).all()
        cut = 0.5 if binary else float(np.median(v))
        with_ = v > cut
        rows.append((name, with_, "yes" if binary else f"> {cut:g}"))
    overall = _target_score(y, np.ones(n, bool), target, ind)[0]
    data = []
    for (name, with_, rule), w in zip(rows, weights, strict=True):
        s_w, se_w, n_w = _target_score(y, with_, target, ind)
        s_o, se_o, n_o = _target_score(y, ~with_, target, ind)
        diff = s_w - s_o
        se = np.sqrt(se_w**2 + se_o**2)
        kind, _, level = name.partition("=")
        data.append(
            {
                "driver": name,
                "kind": kind if level else "case",
                "level": level or name,
                "n": n,
                "n_with": n_w,
                "share_with": n_w / n,
                "weight": w,
                "importance": w / r2 if r2 > 0 else np.nan,
                "r2": r2,
                "performance": s_w,
                "score_without": s_o,
                "difference": diff,
                "diff_low": diff - z0 * se,
                "diff_high": diff + z0 * se,
                "significant": bool((diff - z0 * se > 0) or (diff + z0 * se < 0)),
                "with_rule": rule,
                "overall": overall,
            }
        )
    out = pd.DataFrame(data)
    # a driver that every (or no) response experienced has no contrast: left out
    out = out[(out["n_with"] > 0) & (out["n_with"] < n)].reset_index(drop=True)
    out["small_n"] = (np.minimum(out["n_with"], n - out["n_with"]) < t.small_n).to_numpy(dtype=bool)
    imp_high = out["importance"] >= out["importance"].median()
    perf_high = out["performance"] >= overall
    out["quadrant"] = np.select(
        [imp_high & ~perf_high, imp_high & perf_high, ~imp_high & ~perf_high],
        ["fix_first", "keep_up", "low_priority"],
        "possible_overkill",
    )
    out["target"] = target
    return out.sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)


def _target_score(
    y: np.ndarray, mask: np.ndarray, target: str, ind: IndicatorSettings
) -> tuple[float, float, int]:
    """(score, plain se, n) of the responses in mask: NPS points for target nps, else the mean."""
    v = y[mask]
    n = len(v)
    if n == 0:
        return np.nan, np.nan, 0
    if target == "nps":
        p = float((v >= ind.nps_promoter_min).sum())
        d = float((v <= ind.nps_detractor_max).sum())
        score, se, _, _ = nps_interval(p, d, n, adjusted=False)
        return float(score), float(se), n
    se_mean = float(v.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
    return float(v.mean()), se_mean, n
