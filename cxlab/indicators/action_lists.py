"""Action lists: ultra detractors (call-back list) and ultra promoters (testimonials)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..config import Thresholds
from .customers import join_customers
from .grouping import (
    check_columns,
    factor_codes,
    only_survey,
    resolve_settings,
    score_values,
)

ACTION_COLUMNS = (
    "rank", "customer_id", "name", "value_segment", "client_segment", "industry", "region", "answered_at",
    "survey", "touchpoint", "wave", "case_id", "response_id", "nps", "csat", "ces", "comment", "answers",
    "followup_at", "contacted",
)  # fmt: skip


def _action_list(
    responses: pd.DataFrame,
    mask: np.ndarray,
    customers: pd.DataFrame | None,
    segments: pd.DataFrame | None,
    per_customer: bool,
) -> pd.DataFrame:
    pos = np.flatnonzero(mask)
    if "answered_at" in responses.columns:  # newest first (blank dates last), ties in file order
        ts = responses["answered_at"].to_numpy(dtype="datetime64[ns]").view(np.int64)[pos]
        ts = np.where(ts == np.iinfo(np.int64).min, np.iinfo(np.int64).max, -ts)
        pos = pos[np.argsort(ts, kind="stable")]
    answers = np.ones(len(pos), dtype=np.int64)
    if per_customer and "customer_id" in responses.columns:
        codes, _ = factor_codes(responses["customer_id"].iloc[pos], sort=False)
        known = codes >= 0
        counts = np.bincount(codes[known]) if known.any() else np.zeros(0, np.int64)
        answers[known] = counts[codes[known]]
        first = np.zeros(len(pos), dtype=bool)
        _, first_idx = np.unique(codes[known], return_index=True)
        first[np.flatnonzero(known)[first_idx]] = True
        keep = first | ~known
        pos, answers = pos[keep], answers[keep]
    cols = [c for c in ACTION_COLUMNS if c in responses.columns]
    sel = responses.iloc[pos][cols].copy()
    sel["answers"] = answers
    if "followup_at" in sel.columns:
        sel["contacted"] = sel["followup_at"].notna().to_numpy()
    out = join_customers(sel.reset_index(drop=True), customers, segments) if "customer_id" in sel else sel
    out = out.reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out[[c for c in ACTION_COLUMNS if c in out.columns]]


def ultra_detractors(
    responses: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
    survey: str | None = None,
    per_customer: bool = True,
    settings: Any = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Call-back list: responses with NPS ≤ ``thresholds.ultra_detractor_max`` (0–1), most recent first.

    ``per_customer`` keeps each customer's most recent such answer (``answers`` counts them);
    ``survey`` limits to hot or cold. Columns (when available): rank, customer_id, name, value_segment
    (from ``segments``, e.g. :func:`cxlab.segments.segment_customers`), client_segment, industry, region,
    answered_at, survey, touchpoint, wave, case_id, response_id, nps, csat, ces, comment, answers,
    followup_at, contacted.
    """
    _, t = resolve_settings(settings, thresholds)
    check_columns(responses, ["nps"], "survey_responses")
    frame = responses if survey is None else only_survey(responses, survey)
    mask = score_values(frame, "nps") <= t.ultra_detractor_max
    return _action_list(frame, mask, customers, segments, per_customer)


def ultra_promoters(
    responses: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
    survey: str | None = None,
    per_customer: bool = True,
    settings: Any = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Testimonial list: responses with NPS ≥ ``thresholds.ultra_promoter_min`` (9–10), most recent
    first; columns as :func:`ultra_detractors`."""
    _, t = resolve_settings(settings, thresholds)
    check_columns(responses, ["nps"], "survey_responses")
    frame = responses if survey is None else only_survey(responses, survey)
    mask = score_values(frame, "nps") >= t.ultra_promoter_min
    return _action_list(frame, mask, customers, segments, per_customer)
