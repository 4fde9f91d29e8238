"""The customer journey map: the stages a request goes through, in order, with volume, time and
satisfaction per stage (the "emotional map" line), and how customers arrive (channel mix).

A *stage* is a department (default) or an activity. Stages are put in journey order by their mean entry
rank: in each case, the stage entered first has rank 0, the next new stage rank 1, and so on.

Time per stage: each event owns the time until the next event of its case (the last event owns none), so
``dwell`` of a stage is the time a case spends there *including* the wait for the next step (it is the
stage's own share of the lead time); ``reached_after`` is the time from the start of the case to the first
event of the stage.

Satisfaction per stage is the NPS (and CSAT) of the linked survey responses
(:func:`cxlab.handoffs.link_satisfaction`) whose case went through the stage; ``emotion`` is that NPS minus
the NPS of all linked responses, so the emotional line dips where experiences go wrong.

Public API (pure functions)::

    journey_map(events, linked=None, settings=None, indicators=None, thresholds=None, by="department",
                top=None, other="other")
        -> DataFrame   # one row per stage, in journey order (with top: the busiest, then one "other")
    arrival_channels(cases, linked=None, indicators=None, thresholds=None) -> DataFrame
        # one row per channel of first contact: cases, share, lead time, handoffs, NPS/CSAT
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from .config import ActivitySettings, IndicatorSettings, Thresholds
from .errors import AnalysisError, MissingColumnError
from .handoffs.core import HOUR_NS, category_codes, event_core, expand_by_case, group_quantile
from .handoffs.satisfaction import nps_parts, score_table
from .stats import nps_interval

JOURNEY_COLUMNS = [
    "stage", "order", "cases", "share_of_cases", "events", "mean_entry_rank", "median_dwell_h",
    "total_dwell_h", "median_reached_after_h", "contacts", "chasers", "n_nps", "nps", "nps_low", "nps_high",
    "emotion", "small_n", "n_csat", "csat_top2", "csat_low", "csat_high", "csat_mean",
]  # fmt: skip


#: ``DataFrame.attrs`` key of a journey map whose rare stages are grouped: the grouped stage's name
OTHER_STAGE_ATTR = "cxlab_other_stage"


def _median_by(keys: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    return group_quantile(keys, values, n, 0.5)


def journey_map(
    events: pd.DataFrame,
    linked: pd.DataFrame | None = None,
    settings: ActivitySettings | None = None,
    indicators: IndicatorSettings | None = None,
    thresholds: Thresholds | None = None,
    by: Literal["department", "activity"] = "department",
    top: int | None = None,
    other: str = "other",
) -> pd.DataFrame:
    """One row per stage in journey order.

    With ``top``, the ``top`` stages most cases reach keep their row and the others are one stage named
    ``other``, last, computed as one stage (its cases are the cases that reach any of them, its times and
    NPS those of the grouped events and responses); its name is in ``attrs[OTHER_STAGE_ATTR]``.

    Columns: stage, order (0-based), cases (cases that reach the stage), share_of_cases, events,
    mean_entry_rank, median_dwell_h / total_dwell_h (per case in the stage), median_reached_after_h,
    contacts (customer contacts in the stage), chasers, and with ``linked`` responses n_nps, nps, nps_low,
    nps_high, emotion (stage NPS − overall NPS), small_n, n_csat, csat_top2, csat_low, csat_high, csat_mean.
    """
    indicators, thresholds = indicators or IndicatorSettings(), thresholds or Thresholds()
    if by not in ("department", "activity"):
        raise AnalysisError("by = 'department' or 'activity'", column="by", found=repr(by))
    core = event_core(events, settings)
    if core.n_events == 0:
        return pd.DataFrame(columns=JOURNEY_COLUMNS)
    if by == "department":
        stage, names = core.dept, core.dept_names
    else:
        codes, names = category_codes(core.frame["activity"])
        stage = core.take(codes)
        if (stage < 0).any():
            names = np.append(names, "unknown")
            stage = np.where(stage < 0, len(names) - 1, stage)
    grouped = False
    if top is not None and top >= 1:
        stage, names, grouped = _group_rare(core.case_rank, stage, names, top, other)
    s_n = len(names)
    cr = core.case_rank
    # dwell: each event owns the time to the next event of its case
    nxt = np.r_[core.ts[1:], core.ts[-1]]
    same = np.r_[cr[1:] == cr[:-1], False]
    dwell_h = np.where(same, nxt - core.ts, 0) / HOUR_NS
    key = cr.astype(np.int64) * s_n + stage
    uniq, first_idx, inverse = np.unique(key, return_index=True, return_inverse=True)
    cs_case, cs_stage = uniq // s_n, uniq % s_n
    cs_dwell = np.bincount(inverse, weights=dwell_h, minlength=len(uniq))
    cs_reached = (core.ts[first_idx] - core.ts[core.case_start[cs_case]]) / HOUR_NS
    # entry rank of the stage within its case (uniq is sorted by case, then stage code)
    by_entry = np.lexsort((first_idx, cs_case))
    case_first_pos = np.searchsorted(cs_case[by_entry], cs_case[by_entry], side="left")
    entry_rank = np.empty(len(uniq), dtype=np.int64)
    entry_rank[by_entry] = np.arange(len(uniq)) - case_first_pos

    cases = np.bincount(cs_stage, minlength=s_n)
    present = np.flatnonzero(cases)
    mean_rank = np.bincount(cs_stage, weights=entry_rank, minlength=s_n) / np.maximum(cases, 1)
    data: dict[str, np.ndarray] = {
        "stage": names[present].astype(str),
        "cases": cases[present],
        "share_of_cases": cases[present] / core.n_cases,
        "events": np.bincount(stage, minlength=s_n)[present],
        "mean_entry_rank": mean_rank[present],
        "median_dwell_h": _median_by(cs_stage, cs_dwell, s_n)[present],
        "total_dwell_h": np.bincount(cs_stage, weights=cs_dwell, minlength=s_n)[present],
        "median_reached_after_h": _median_by(cs_stage, cs_reached, s_n)[present],
        "contacts": np.bincount(stage[core.is_contact], minlength=s_n)[present],
        "chasers": np.bincount(stage[core.is_chaser], minlength=s_n)[present],
    }
    if linked is not None and len(linked) and "case_id" in linked.columns:
        case_index = pd.Index(core.case_ids[core.case[core.case_start]].astype(str))
        rank = case_index.get_indexer(linked["case_id"].astype(str))
        ok = rank >= 0
        resp_idx, stage_of = expand_by_case(cs_case, cs_stage, rank[ok])
        sub = linked.iloc[np.flatnonzero(ok)[resp_idx]]
        table = score_table(stage_of, s_n, sub, indicators, thresholds)
        for col, values in table.items():
            data[col] = np.asarray(values)[present]
        if "nps" in table:
            valid, prom, det = nps_parts(linked["nps"].iloc[np.flatnonzero(ok)], indicators)
            overall, _, _, _ = nps_interval(prom.sum(), det.sum(), valid.sum(), thresholds.confidence)
            data["emotion"] = data["nps"] - float(overall)
    out = pd.DataFrame(data)
    out = out.sort_values(["mean_entry_rank", "cases"], ascending=[True, False], kind="stable").reset_index(
        drop=True
    )
    if grouped:  # the grouped stage goes last
        last = out["stage"] == other
        out = pd.concat([out[~last], out[last]], ignore_index=True)
    out["order"] = np.arange(len(out))
    out = out.reindex(columns=[c for c in JOURNEY_COLUMNS if c in out.columns])
    if grouped:
        out.attrs[OTHER_STAGE_ATTR] = other
    return out


def _group_rare(
    case_rank: np.ndarray, stage: np.ndarray, names: np.ndarray, top: int, other: str
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Stage codes with all but the ``top`` stages most cases reach mapped to one more stage, ``other``."""
    s_n = len(names)
    pairs = np.unique(case_rank.astype(np.int64) * s_n + stage)
    cases = np.bincount(pairs % s_n, minlength=s_n)
    present = np.flatnonzero(cases)
    if len(present) <= top:
        return stage, names, False
    busiest = present[np.argsort(-cases[present], kind="stable")][:top]
    lookup = np.full(s_n, top, dtype=np.int64)
    lookup[busiest] = np.arange(top)
    return lookup[stage], np.append(names[busiest], other), True


def arrival_channels(
    cases: pd.DataFrame,
    linked: pd.DataFrame | None = None,
    indicators: IndicatorSettings | None = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """The channel mix of arrival: one row per channel of first contact (``first_channel`` of
    :func:`cxlab.handoffs.case_metrics`; cases without one count as ``"unknown"``), most used first.

    Columns: channel, cases, share, median_lead_time_h, mean_handoffs, mean_chasers, and with ``linked``
    responses n_nps, nps, nps_low, nps_high, small_n, n_csat, csat_top2, csat_low, csat_high, csat_mean.
    """
    indicators, thresholds = indicators or IndicatorSettings(), thresholds or Thresholds()
    if "first_channel" not in cases.columns:
        raise MissingColumnError(
            "a channel column in the events table", file="events", column="channel", found="no such column"
        )
    channel = cases["first_channel"].astype("str").fillna("unknown")
    codes, names = pd.factorize(channel)
    names = np.asarray(names, dtype=object)
    k = len(names)
    n = np.bincount(codes, minlength=k)
    data: dict[str, np.ndarray] = {
        "channel": names.astype(str),
        "cases": n,
        "share": n / max(len(cases), 1),
        "median_lead_time_h": _median_by(codes, cases["lead_time_hours"].to_numpy(float), k),
        "mean_handoffs": np.bincount(codes, weights=cases["handoffs"].to_numpy(float), minlength=k) / n,
        "mean_chasers": np.bincount(codes, weights=cases["chasers"].to_numpy(float), minlength=k) / n,
    }
    if linked is not None and len(linked):
        index = pd.Index(cases["case_id"].astype(str))
        rank = index.get_indexer(linked["case_id"].astype(str))
        ok = rank >= 0
        sub = linked.iloc[np.flatnonzero(ok)]
        table = score_table(codes[rank[ok]], k, sub, indicators, thresholds)
        data.update(table)
    out = pd.DataFrame(data)
    return out.sort_values("cases", ascending=False, kind="stable").reset_index(drop=True)
