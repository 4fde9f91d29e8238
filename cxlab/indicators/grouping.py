"""Shared machinery of the indicator modules: settings resolution, group codes (factorised columns +
``np.bincount``), period columns and column checks. Everything is vectorised.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..config import ClientConfig, IndicatorSettings, Thresholds
from ..errors import AnalysisError, MissingColumnError

INDICATORS: tuple[str, ...] = ("nps", "csat", "ces", "cxi")
CXI_QUESTIONS: tuple[str, ...] = ("cxi_needs", "cxi_ease", "cxi_enjoy")
PERIODS = {"month": "M", "week": "W", "quarter": "Q", "year": "Y", "day": "D"}
#: columns every indicator function returns (after the ``by`` columns)
COMMON = ["indicator", "rule", "unit", "n", "score", "se", "low", "high", "small_n"]

By = str | Sequence[str] | None


def resolve_settings(settings: Any, thresholds: Thresholds | None) -> tuple[IndicatorSettings, Thresholds]:
    if isinstance(settings, ClientConfig):
        return settings.indicators, thresholds or settings.thresholds
    if settings is not None and not isinstance(settings, IndicatorSettings):
        raise AnalysisError(
            "IndicatorSettings or ClientConfig", column="settings", found=type(settings).__name__
        )
    return settings or IndicatorSettings(), thresholds or Thresholds()


def by_list(by: By) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def period_start(ts: pd.Series, freq: str, categorical: bool = False) -> pd.Series:
    """Start of the period of each timestamp (vectorised): D, W (Monday), M, Q, Y. ``categorical``
    returns an ordered categorical of the period starts (cheap to group by)."""
    values = ts.to_numpy(dtype="datetime64[ns]")
    freq = freq.upper()[:1]
    if freq not in ("D", "W", "M", "Q", "Y", "A"):
        raise AnalysisError("a frequency D, W, M, Q or Y", column="freq", found=repr(freq))
    nat = np.isnat(values)
    days = values.view(np.int64) // (86_400 * 10**9)
    if nat.all():
        return pd.Series(values, index=ts.index)
    # the calendar work is done once per distinct day, then looked up (fast on millions of rows)
    lo, hi = int(days[~nat].min()), int(days[~nat].max())
    table = np.arange(lo, hi + 1).astype("datetime64[D]")
    if freq == "W":
        d = table.astype(np.int64)
        table = (d - (d + 3) % 7).astype("datetime64[D]")  # Monday; 1970-01-01 was a Thursday
    elif freq in ("M", "Q"):
        months = table.astype("datetime64[M]").astype(np.int64)
        if freq == "Q":
            months = months - months % 3
        table = months.astype("datetime64[M]")
    elif freq in ("Y", "A"):
        table = table.astype("datetime64[Y]")
    table = table.astype("datetime64[ns]")
    where = np.clip(days - lo, 0, hi - lo)
    if categorical:
        starts, inverse = np.unique(table, return_inverse=True)
        codes = inverse.reshape(-1)[where]
        codes[nat] = -1
        cat = pd.Categorical.from_codes(codes, categories=pd.DatetimeIndex(starts), ordered=True)
        return pd.Series(cat, index=ts.index)
    out = table[where]
    out[nat] = np.datetime64("NaT")
    return pd.Series(out, index=ts.index)


def with_periods(frame: pd.DataFrame, by: list[str], time_column: str) -> pd.DataFrame:
    derived = [b for b in by if b not in frame.columns and b in PERIODS]
    if not derived:
        return frame
    if time_column not in frame.columns:
        raise MissingColumnError(
            f"a '{time_column}' column to derive {derived[0]}", column=time_column, found="no such column"
        )
    extra = {b: period_start(frame[time_column], PERIODS[b], categorical=True) for b in derived}
    return frame.assign(**extra)


def check_columns(frame: pd.DataFrame, columns: Sequence[str], table: str) -> None:
    for c in columns:
        if c not in frame.columns:
            raise MissingColumnError(f"a '{c}' column", file=table, column=c, found="no such column")


def factor_codes(s: pd.Series, sort: bool = True) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (−1 = blank) and the distinct values of a column; categoricals use their codes."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.int64), pd.Index(s.cat.categories)
    try:
        codes, uniques = pd.factorize(s, sort=sort, use_na_sentinel=True)
    except TypeError:  # mixed types (text and numbers) cannot be sorted: first-appearance order
        codes, uniques = pd.factorize(s, sort=False, use_na_sentinel=True)
    return codes.astype(np.int64), pd.Index(uniques)


def equals_mask(frame: pd.DataFrame, column: str, value: str) -> np.ndarray:
    """Boolean mask ``frame[column] == value`` (as text), fast on categoricals; all True without the column."""
    if column not in frame.columns:
        return np.ones(len(frame), dtype=bool)
    return isin_mask(frame[column], [value])


def isin_mask(s: pd.Series, values: Sequence[str]) -> np.ndarray:
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = pd.Index(s.cat.categories).astype("str")
        hit = np.r_[np.isin(np.asarray(cats, dtype=object), list(values)), False]
        return hit[s.cat.codes.to_numpy()]  # code −1 -> the last (False) entry
    return s.astype("str").isin(list(values)).to_numpy(dtype=bool, na_value=False)


def group_rows(
    frame: pd.DataFrame, by: list[str], rows: np.ndarray | None = None
) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer group code (0…G−1) of each selected row (``rows``: positions or a boolean mask; default
    all) and the group keys (one row per observed group, in category order, else sorted; a blank key is
    its own group, last)."""
    n = len(frame)
    if rows is not None and rows.dtype == bool:
        rows = np.flatnonzero(rows)
    m = n if rows is None else len(rows)
    if not by:
        return np.zeros(m, dtype=np.int64), pd.DataFrame(index=range(1))
    combined = np.zeros(m, dtype=np.int64)
    uniques_list, sizes = [], []
    for col in by:
        codes, uniques = factor_codes(frame[col])
        if rows is not None:
            codes = codes[rows]
        k = len(uniques)
        combined = combined * (k + 1) + np.where(codes < 0, k, codes)
        uniques_list.append(uniques)
        sizes.append(k + 1)
    total = int(np.prod(sizes, dtype=np.float64))
    if total <= 5_000_000:
        present = np.flatnonzero(np.bincount(combined, minlength=total))
        lookup = np.full(total, -1, dtype=np.int64)
        lookup[present] = np.arange(len(present))
        group = lookup[combined]
    else:
        present, group = np.unique(combined, return_inverse=True)
    idx = np.unravel_index(present, sizes)
    keys = {}
    for col, uniques, pos, size in zip(by, uniques_list, idx, sizes, strict=True):
        s = frame[col]
        pos = np.where(pos == size - 1, -1, pos)
        if isinstance(s.dtype, pd.CategoricalDtype):
            keys[col] = pd.Categorical.from_codes(pos, dtype=s.dtype)
            if isinstance(s.cat.categories, pd.DatetimeIndex):  # periods: plain timestamps out
                keys[col] = np.asarray(keys[col], dtype="datetime64[ns]")
        else:
            values = uniques.take(np.maximum(pos, 0)) if len(uniques) else pd.Index([None] * len(pos))
            keys[col] = pd.Series(values).where(pos >= 0).to_numpy() if (pos < 0).any() else values
    return group.astype(np.int64), pd.DataFrame(keys)


def score_values(frame: pd.DataFrame, column: str) -> np.ndarray:
    s = frame[column]
    if s.dtype.kind == "f":
        return s.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def assemble(keys: pd.DataFrame, data: dict[str, Any]) -> pd.DataFrame:
    out = pd.DataFrame(data)
    return pd.concat([keys.reset_index(drop=True), out], axis=1)


def only_survey(frame: pd.DataFrame, survey: str) -> pd.DataFrame:
    if "survey" not in frame.columns:
        return frame
    return frame[equals_mask(frame, "survey", survey)]
