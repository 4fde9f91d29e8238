"""The closed loop: detractor follow-up time against the target (48 h by default)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..config import Thresholds
from ..stats import (
    wilson_interval,
)
from .grouping import (
    By,
    assemble,
    by_list,
    check_columns,
    equals_mask,
    group_rows,
    resolve_settings,
    score_values,
    with_periods,
)

FOLLOWUP_STATUS = ("on_time", "late", "overdue", "open")


def closed_loop(
    responses: pd.DataFrame,
    by: By = None,
    survey: str | None = "hot",
    as_of: Any = None,
    detail: bool = False,
    settings: Any = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Detractor follow-up: time from the answer to the first contact (``followup_at``) vs the target
    (``thresholds.followup_target_hours``, 48 h).

    Status of each detractor: on_time (contacted within the target), late (contacted after it), overdue
    (not contacted and the target has passed at ``as_of``, default the last answer), open (not contacted,
    still within the target). ``detail=True`` returns one row per detractor (response columns +
    hours_to_followup, status); otherwise per group: detractors, contacted, on_time, late, overdue, open,
    share_on_time (of the detractors whose target has passed; Wilson low/high), median_hours,
    target_hours, tracked (the data records follow-ups at all).
    """
    ind, t = resolve_settings(settings, thresholds)
    check_columns(responses, ["nps", "answered_at"], "survey_responses")
    by_l = by_list(by)
    rows = score_values(responses, "nps") <= ind.nps_detractor_max
    if survey is not None:
        rows &= equals_mask(responses, "survey", survey)
    pos = np.flatnonzero(rows)
    if detail:
        frame = responses.iloc[pos]
    else:  # only the columns needed, before taking the rows
        derived = [b for b in by_l if b not in responses.columns]
        needed = [c for c in dict.fromkeys(["answered_at", "followup_at", *by_l]) if c in responses.columns]
        frame = responses[needed].iloc[pos]
        frame = with_periods(frame, derived, "answered_at") if derived else frame
    tracked = "followup_at" in responses.columns and bool(responses["followup_at"].notna().any())
    answered = frame["answered_at"].to_numpy(dtype="datetime64[ns]")
    follow = (
        frame["followup_at"].to_numpy(dtype="datetime64[ns]")
        if "followup_at" in frame.columns
        else np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[ns]")
    )
    if as_of is None:
        as_of = responses["answered_at"].max()
    as_of = np.datetime64(pd.Timestamp(as_of).to_datetime64(), "ns")
    hours = (follow - answered) / np.timedelta64(1, "h")
    contacted = ~np.isnat(follow)
    elapsed = (as_of - answered) / np.timedelta64(1, "h")
    target = t.followup_target_hours
    status = np.select(
        [contacted & (hours <= target), contacted, elapsed > target], ["on_time", "late", "overdue"], "open"
    )
    if detail:
        return frame.assign(
            hours_to_followup=hours,
            status=pd.Categorical(status, categories=list(FOLLOWUP_STATUS)),
        ).reset_index(drop=True)
    check_columns(frame, by_l, "survey_responses")
    group, keys = group_rows(frame, by_l)
    if len(frame) == 0 and not by_l:
        group = np.zeros(0, np.int64)
    g = len(keys)
    counts = {
        s: np.bincount(group, weights=status == s, minlength=g).astype(np.int64) for s in FOLLOWUP_STATUS
    }
    due = counts["on_time"] + counts["late"] + counts["overdue"]
    low, high = wilson_interval(counts["on_time"], due, t.confidence)
    median = pd.Series(hours).groupby(group).median().reindex(range(g)).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = counts["on_time"] / due
    return assemble(
        keys,
        {
            "detractors": np.bincount(group, minlength=g),
            "contacted": counts["on_time"] + counts["late"],
            **counts,
            "share_on_time": share if tracked else np.nan,
            "low": low if tracked else np.nan,
            "high": high if tracked else np.nan,
            "median_hours": median,
            "target_hours": target,
            "tracked": tracked,
        },
    )
