"""Barometer (change between cold waves), hot vs cold and the hot trend per period."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..config import Thresholds
from ..stats import (
    two_sided_p,
    z_value,
)
from .grouping import (
    INDICATORS,
    By,
    by_list,
    check_columns,
    equals_mask,
    factor_codes,
    isin_mask,
    period_start,
    resolve_settings,
)
from .scores import indicator_table


def wave_order(frame: pd.DataFrame, time_column: str | None = None) -> list[str]:
    """Wave labels ordered by their first date (``answered_at`` or ``sent_at``), else by name."""
    if "wave" not in frame.columns:
        return []
    codes, uniques = factor_codes(frame["wave"])
    ok = codes >= 0
    labels = np.asarray(uniques.astype("str"), dtype=object)
    time_column = time_column or next((c for c in ("answered_at", "sent_at") if c in frame.columns), None)
    present = np.unique(codes[ok])
    if time_column is None:
        return sorted(labels[present])
    ts = frame[time_column].to_numpy(dtype="datetime64[ns]").view(np.int64)[ok]
    first = pd.Series(ts).groupby(codes[ok]).min()
    return list(labels[first.sort_values(kind="stable").index.to_numpy()])


def barometer(
    responses: pd.DataFrame,
    by: By = None,
    indicators: Sequence[str] = INDICATORS,
    waves: Sequence[str] | None = None,
    settings: Any = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Change of each indicator between consecutive cold waves, per group.

    ``waves`` picks the waves to compare in order (default: every cold wave, ordered by date; each wave is
    compared with the one before). Columns: the ``by`` columns, indicator, unit, wave_from, wave_to,
    n_from, n_to, score_from, score_to, change, se, z, p_value, low, high, significant, small_n.
    """
    _, t = resolve_settings(settings, thresholds)
    by_l = by_list(by)
    check_columns(responses, ["wave"], "survey_responses")
    cold = equals_mask(responses, "survey", "cold")
    order = list(waves) if waves is not None else wave_order(responses[["wave", *_time(responses)]][cold])
    cols = [
        *by_l, "indicator", "unit", "wave_from", "wave_to", "n_from", "n_to", "score_from", "score_to",
        "change", "se", "z", "p_value", "low", "high", "significant", "small_n",
    ]  # fmt: skip
    if len(order) < 2:
        return pd.DataFrame(columns=cols)
    rows = cold & isin_mask(responses["wave"], order)
    table = indicator_table(responses, [*by_l, "wave"], indicators, settings, thresholds, rows=rows)
    table["wave"] = table["wave"].astype("str")
    keys = [*by_l, "indicator", "unit"]
    parts = []
    for before, after in zip(order[:-1], order[1:], strict=True):
        a = table[table["wave"] == before].drop(columns=["wave", "rule", "small_n", "low", "high"])
        b = table[table["wave"] == after].drop(columns=["wave", "rule", "small_n", "low", "high"])
        m = a.merge(b, on=keys, how="outer", suffixes=("_from", "_to"), sort=False)
        m.insert(len(keys), "wave_from", before)
        m.insert(len(keys) + 1, "wave_to", after)
        parts.append(m)
    out = pd.concat(parts, ignore_index=True)
    for c in ("n_from", "n_to"):
        out[c] = out[c].fillna(0).astype(np.int64)
    z0 = z_value(t.confidence)
    out["change"] = out["score_to"] - out["score_from"]
    out["se"] = np.sqrt(out["se_from"] ** 2 + out["se_to"] ** 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["z"] = np.where(out["se"] > 0, out["change"] / out["se"], np.nan)
    out["p_value"] = two_sided_p(out["z"].to_numpy(dtype=float))
    out["low"] = out["change"] - z0 * out["se"]
    out["high"] = out["change"] + z0 * out["se"]
    out["significant"] = ((out["low"] > 0) | (out["high"] < 0)).to_numpy(dtype=bool)
    out["small_n"] = (np.minimum(out["n_from"], out["n_to"]) < t.small_n).to_numpy(dtype=bool)
    return out[cols].reset_index(drop=True)


def _time(frame: pd.DataFrame) -> list[str]:
    return [c for c in ("answered_at", "sent_at") if c in frame.columns][:1]


def hot_vs_cold(
    responses: pd.DataFrame,
    by: By = None,
    indicators: Sequence[str] = INDICATORS,
    settings: Any = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Hot and cold results side by side: :func:`indicator_table` grouped by ``by`` + ``survey``."""
    check_columns(responses, ["survey"], "survey_responses")
    return indicator_table(responses, [*by_list(by), "survey"], indicators, settings, thresholds)


def hot_trend(
    responses: pd.DataFrame,
    by: By = "touchpoint",
    freq: str = "M",
    indicators: Sequence[str] = ("nps",),
    settings: Any = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Hot results per period (``freq`` D, W, M, Q or Y; ``period`` = start of the period) and group."""
    check_columns(responses, ["answered_at"], "survey_responses")
    frame = responses.assign(period=period_start(responses["answered_at"], freq, categorical=True))
    rows = equals_mask(responses, "survey", "hot")
    return indicator_table(frame, ["period", *by_list(by)], indicators, settings, thresholds, rows=rows)
