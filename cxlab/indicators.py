"""Survey indicators: NPS, CSAT, CES, the CXi-style index, barometer waves, hot vs cold, response rates,
survey pressure, action lists, key drivers and the closed loop (DESIGN §2 and §4).

Definitions
-----------
* **NPS** = % promoters (≥ ``nps_promoter_min``, default 9) − % detractors (≤ ``nps_detractor_max``,
  default 6), in points (−100…100). ``se`` is the plain trinomial standard error
  sqrt([p + d − (p − d)²] / n) × 100 (used by the two-wave Wald z); the 95 % interval ``low``/``high`` is
  the adjusted-Wald one (add 3 to n and ¾ to promoters and detractors; Rocks 2016), from
  :func:`cxlab.stats.nps_interval`.
* **CSAT** (1–5): share of answers ≥ ``csat_top_min`` (top-2-box, Wilson interval) and the mean (normal
  interval); ``csat_rule`` (``top2box`` | ``mean``) picks which one is the ``score``.
* **CES** (1–7, "… made it easy to handle my issue"): share ≥ ``ces_top_min`` (5–7, Wilson) and the mean;
  ``ces_rule`` (``top3box`` | ``mean``) picks the ``score``. CES scoring is not standard across vendors:
  the rule is printed by :func:`methodology`.
* **CXi-style index**: for each of ``cxi_needs``, ``cxi_ease``, ``cxi_enjoy`` (1–5), % answers ≥ 4 − %
  answers ≤ 2, averaged over the questions (the older public Forrester CxPi form; Forrester's current CX
  Index uses proprietary weights and is *not* claimed). Its interval comes from each respondent's mean of
  the per-question scores (+100 / 0 / −100), so the correlation between the three answers is accounted
  for.
* Blank answers are not responses to that question (``blanks: exclude``). A group with fewer than
  ``thresholds.small_n`` (default 30) answers is flagged ``small_n``, never hidden.
* **Barometer**: cold waves ordered by date; the change of each indicator between consecutive waves per
  group, z = (score₂ − score₁) / sqrt(se₁² + se₂²) (Wald), interval change ± z₀.₉₇₅ × that SE, significant
  when the interval excludes 0.
* **Response rate** = responded invitations / invitations (an invitation has responded when it has a
  ``responded_at`` or a response carries its ``invitation_id``), Wilson interval, against the 15–25 % band
  (``thresholds.response_rate_band``) typical of cold surveys.
* **Survey pressure** of an invitation = invitations to the same customer sent in the trailing
  ``thresholds.pressure_window_days`` (90) days, itself included. A customer whose pressure exceeds
  ``thresholds.over_surveyed`` (3) at some point is over-surveyed.
* **Key drivers**: Johnson's relative weights (:func:`cxlab.stats.relative_weights`) of the drivers for
  the 0–10 answer, shown with R², plus the plain NPS difference between responses that did and did not
  experience each driver, with its Wald interval; an importance × performance quadrant.

Public API (pure: DataFrames in, tidy DataFrames out; ``by`` is a column name or a list of them; the
names ``month``, ``week``, ``quarter`` and ``year`` are derived from ``answered_at`` / ``sent_at`` when
the frame has no such column; ``settings`` is an :class:`~cxlab.config.IndicatorSettings` or a whole
:class:`~cxlab.config.ClientConfig`, ``thresholds`` a :class:`~cxlab.config.Thresholds`)::

    nps(responses, by=None, settings=None, thresholds=None)             # n, shares, score, se, low, high
    csat(responses, by=None, settings=None, thresholds=None)            # mean + top-2-box, score per rule
    ces(responses, by=None, settings=None, thresholds=None)             # mean + % 5–7, score per rule
    cxi(responses, by=None, settings=None, thresholds=None)             # per-question net + index
    indicator_table(responses, by=None, indicators=INDICATORS, ...)     # the four in one long table
    barometer(responses, by=None, indicators=INDICATORS, waves=None, ...)   # change between cold waves
    hot_vs_cold(responses, by=None, indicators=INDICATORS, ...)         # long table with a survey column
    hot_trend(responses, by="touchpoint", freq="M", indicators=("nps",), ...)   # hot results per period
    wave_order(frame)                                                   # wave labels by their first date
    responded(invitations, responses=None)                              # bool per invitation
    response_rate(invitations, responses=None, by="survey", ...)        # rate, Wilson interval, band
    add_customer_attributes(frame, customers=None, segments=None)       # + name, industry, segments
    invitation_pressure(invitations, thresholds=None)                   # pressure of each invitation
    survey_pressure(invitations, responses=None, customers=None, ...)   # one row per customer
    over_surveyed(invitations, responses=None, customers=None, segments=None, ...)
    pressure_response_curve(invitations, responses=None, by=None, max_bucket=6, ...)  # + trend test
    stopped_answering(invitations, responses=None, customers=None, waves=None, ...)
    ultra_detractors(responses, customers=None, segments=None, ...)     # call-back list, newest first
    ultra_promoters(responses, customers=None, segments=None, ...)      # testimonial list
    driver_table(responses, cases=None, events=None, themes=None, ...)  # response × driver matrix
    key_drivers(responses, drivers=None, target="nps", ...)             # relative weights + differences
    closed_loop(responses, by=None, ..., detail=False)                  # detractor follow-up vs 48 h
    indicator_summary(client_or_tables, settings=None)                  # headline figures (exec summary)
    survey_findings(client_or_tables, settings=None)                    # the indicator keys of findings
    methodology(settings=None, thresholds=None, lang="en")              # the rules, for the report notes

Export of the action lists to CSV/XLSX is I/O and lives in :mod:`cxlab.exports`.
Everything is vectorised (factorised group codes + ``np.bincount``); there are no per-row Python loops.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .config import ClientConfig, IndicatorSettings, Thresholds
from .errors import AnalysisError, MissingColumnError, TableDependencyError
from .stats import (
    cochran_armitage,
    mean_interval,
    nps_counts,
    nps_interval,
    relative_weights,
    two_sided_p,
    wilson_interval,
    z_value,
)

if TYPE_CHECKING:  # pragma: no cover
    from .intake import Client

INDICATORS: tuple[str, ...] = ("nps", "csat", "ces", "cxi")
CXI_QUESTIONS: tuple[str, ...] = ("cxi_needs", "cxi_ease", "cxi_enjoy")
PERIODS = {"month": "M", "week": "W", "quarter": "Q", "year": "Y", "day": "D"}
#: columns every indicator function returns (after the ``by`` columns)
COMMON = ["indicator", "rule", "unit", "n", "score", "se", "low", "high", "small_n"]
QUADRANTS = ("fix_first", "keep_up", "low_priority", "possible_overkill")
FOLLOWUP_STATUS = ("on_time", "late", "overdue", "open")

By = str | Sequence[str] | None


# --------------------------------------------------------------------------------------------------
# helpers


def _resolve(settings: Any, thresholds: Thresholds | None) -> tuple[IndicatorSettings, Thresholds]:
    if isinstance(settings, ClientConfig):
        return settings.indicators, thresholds or settings.thresholds
    if settings is not None and not isinstance(settings, IndicatorSettings):
        raise AnalysisError(
            "IndicatorSettings or ClientConfig", column="settings", found=type(settings).__name__
        )
    return settings or IndicatorSettings(), thresholds or Thresholds()


def _by_list(by: By) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _period_start(ts: pd.Series, freq: str, categorical: bool = False) -> pd.Series:
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


def _with_periods(frame: pd.DataFrame, by: list[str], time_column: str) -> pd.DataFrame:
    derived = [b for b in by if b not in frame.columns and b in PERIODS]
    if not derived:
        return frame
    if time_column not in frame.columns:
        raise MissingColumnError(
            f"a '{time_column}' column to derive {derived[0]}", column=time_column, found="no such column"
        )
    extra = {b: _period_start(frame[time_column], PERIODS[b], categorical=True) for b in derived}
    return frame.assign(**extra)


def _check_columns(frame: pd.DataFrame, columns: Sequence[str], table: str) -> None:
    for c in columns:
        if c not in frame.columns:
            raise MissingColumnError(f"a '{c}' column", file=table, column=c, found="no such column")


def _codes(s: pd.Series, sort: bool = True) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (−1 = blank) and the distinct values of a column; categoricals use their codes."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.int64), pd.Index(s.cat.categories)
    try:
        codes, uniques = pd.factorize(s, sort=sort, use_na_sentinel=True)
    except TypeError:  # mixed types (text and numbers) cannot be sorted: first-appearance order
        codes, uniques = pd.factorize(s, sort=False, use_na_sentinel=True)
    return codes.astype(np.int64), pd.Index(uniques)


def _equals(frame: pd.DataFrame, column: str, value: str) -> np.ndarray:
    """Boolean mask ``frame[column] == value`` (as text), fast on categoricals; all True without the column."""
    if column not in frame.columns:
        return np.ones(len(frame), dtype=bool)
    return _isin(frame[column], [value])


def _isin(s: pd.Series, values: Sequence[str]) -> np.ndarray:
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = pd.Index(s.cat.categories).astype("str")
        hit = np.r_[np.isin(np.asarray(cats, dtype=object), list(values)), False]
        return hit[s.cat.codes.to_numpy()]  # code −1 -> the last (False) entry
    return s.astype("str").isin(list(values)).to_numpy(dtype=bool, na_value=False)


def _groups(
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
        codes, uniques = _codes(frame[col])
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


def _scores(frame: pd.DataFrame, column: str) -> np.ndarray:
    s = frame[column]
    if s.dtype.kind == "f":
        return s.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _assemble(keys: pd.DataFrame, data: dict[str, Any]) -> pd.DataFrame:
    out = pd.DataFrame(data)
    return pd.concat([keys.reset_index(drop=True), out], axis=1)


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
        "rule": f"mean over questions of %{ind.cxi_top_min}-5 - %1-{ind.cxi_bottom_max}",
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
    by_l = _by_list(by)
    frame = _with_periods(responses, by_l, "answered_at")
    _check_columns(frame, by_l, "survey_responses")
    if rows is not None and rows.dtype == bool:
        rows = np.flatnonzero(rows)
    group, keys = _groups(frame, by_l, rows)
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
    ind, t = _resolve(settings, thresholds)
    g = len(keys)

    def values(column: str) -> np.ndarray:
        s = _scores(frame, column)
        return s if rows is None else s[rows]

    if name == "nps":
        _check_columns(frame, ["nps"], "survey_responses")
        data = _nps_columns(values("nps"), group, g, ind, t)
    elif name == "csat":
        _check_columns(frame, ["csat"], "survey_responses")
        data = _scale_columns("csat", values("csat"), group, g, ind.csat_top_min, 5, ind.csat_rule, t)
    elif name == "ces":
        _check_columns(frame, ["ces"], "survey_responses")
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
    return _assemble(keys, data)


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
    by_l = _by_list(by)
    names = _available(responses, indicators)
    prepared = _prepare(responses, by_l, rows) if names else None  # groups computed once
    parts = [_compute(i, *prepared, settings, thresholds)[[*by_l, *COMMON]] for i in names]
    if not parts:
        return pd.DataFrame(columns=[*by_l, *COMMON])
    return pd.concat(parts, ignore_index=True)


# --------------------------------------------------------------------------------------------------
# barometer, hot vs cold, hot trend


def _only(frame: pd.DataFrame, survey: str) -> pd.DataFrame:
    if "survey" not in frame.columns:
        return frame
    return frame[_equals(frame, "survey", survey)]


def wave_order(frame: pd.DataFrame, time_column: str | None = None) -> list[str]:
    """Wave labels ordered by their first date (``answered_at`` or ``sent_at``), else by name."""
    if "wave" not in frame.columns:
        return []
    codes, uniques = _codes(frame["wave"])
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
    _, t = _resolve(settings, thresholds)
    by_l = _by_list(by)
    _check_columns(responses, ["wave"], "survey_responses")
    cold = _equals(responses, "survey", "cold")
    order = list(waves) if waves is not None else wave_order(responses[["wave", *_time(responses)]][cold])
    cols = [
        *by_l, "indicator", "unit", "wave_from", "wave_to", "n_from", "n_to", "score_from", "score_to",
        "change", "se", "z", "p_value", "low", "high", "significant", "small_n",
    ]  # fmt: skip
    if len(order) < 2:
        return pd.DataFrame(columns=cols)
    rows = cold & _isin(responses["wave"], order)
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
    _check_columns(responses, ["survey"], "survey_responses")
    return indicator_table(responses, [*_by_list(by), "survey"], indicators, settings, thresholds)


def hot_trend(
    responses: pd.DataFrame,
    by: By = "touchpoint",
    freq: str = "M",
    indicators: Sequence[str] = ("nps",),
    settings: Any = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Hot results per period (``freq`` D, W, M, Q or Y; ``period`` = start of the period) and group."""
    _check_columns(responses, ["answered_at"], "survey_responses")
    frame = responses.assign(period=_period_start(responses["answered_at"], freq, categorical=True))
    rows = _equals(responses, "survey", "hot")
    return indicator_table(frame, ["period", *_by_list(by)], indicators, settings, thresholds, rows=rows)


# --------------------------------------------------------------------------------------------------
# response rate and survey pressure


def responded(invitations: pd.DataFrame, responses: pd.DataFrame | None = None) -> np.ndarray:
    """Boolean per invitation: it has a ``responded_at``, or a response carries its ``invitation_id``."""
    have_at = "responded_at" in invitations.columns
    have_link = (
        responses is not None and "invitation_id" in responses.columns and "invitation_id" in invitations
    )
    if not have_at and not have_link:
        raise TableDependencyError(
            "'responded_at' in survey_invitations or 'invitation_id' in survey_responses",
            file="survey_invitations",
            column="responded_at",
            found="no link between invitations and responses",
        )
    out = np.zeros(len(invitations), dtype=bool)
    if have_at:
        out |= invitations["responded_at"].notna().to_numpy()
    if have_link:
        assert responses is not None
        ids = responses["invitation_id"].dropna()
        out |= invitations["invitation_id"].isin(ids).to_numpy()
    return out


def _band_position(rate: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    return np.where(
        np.isnan(rate), None, np.where(rate < band[0], "below", np.where(rate > band[1], "above", "within"))
    )


def response_rate(
    invitations: pd.DataFrame,
    responses: pd.DataFrame | None = None,
    by: By = "survey",
    settings: Any = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Response rate per group of invitations (survey, wave, touchpoint, channel, month …).

    Columns: the ``by`` columns, invitations, responses, rate, low, high (Wilson), band_low, band_high,
    band_position (below / within / above the band typical of cold surveys), small_n.
    """
    _, t = _resolve(settings, thresholds)
    by_l = _by_list(by)
    frame = _with_periods(invitations, by_l, "sent_at")
    _check_columns(frame, by_l, "survey_invitations")
    resp = responded(frame, responses)
    group, keys = _groups(frame, by_l)
    g = len(keys)
    n = np.bincount(group, minlength=g)
    k = np.bincount(group, weights=resp, minlength=g).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = k / n
    low, high = wilson_interval(k, n, t.confidence)
    band = t.response_rate_band
    return _assemble(
        keys,
        {
            "invitations": n,
            "responses": k,
            "rate": rate,
            "low": low,
            "high": high,
            "band_low": band[0],
            "band_high": band[1],
            "band_position": _band_position(rate, band),
            "small_n": n < t.small_n,
        },
    )


def _pressure_arrays(
    invitations: pd.DataFrame, window_days: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, Any]:
    """(order, customer code per sorted row, first row of the window per sorted row, pressure per sorted
    row, customer uniques): invitations sorted by customer and time."""
    _check_columns(invitations, ["customer_id", "sent_at"], "survey_invitations")
    cust, uniques = _codes(invitations["customer_id"], sort=False)  # code order = first appearance
    sent = invitations["sent_at"].to_numpy(dtype="datetime64[ns]")
    ok = (cust >= 0) & ~np.isnat(sent)
    secs = sent.view(np.int64) // 1_000_000_000
    window = int(round(window_days * 86400))
    if not ok.any():
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty, uniques
    lo = secs[ok].min()
    span = int(secs[ok].max() - lo) + window + 1
    # one int64 key orders by customer, then time; customers are further apart than the window
    key = np.where(ok, cust * span + (secs - lo), -1)
    order = np.argsort(key, kind="stable")
    order = order[int((~ok).sum()) :]
    key = key[order]
    c = cust[order]
    first = np.searchsorted(key, key - window, side="left")
    last = np.searchsorted(key, key, side="right")
    return order, c, first, last - first, uniques


def invitation_pressure(invitations: pd.DataFrame, thresholds: Thresholds | None = None) -> pd.Series:
    """Survey pressure of each invitation (same index as ``invitations``): invitations to the same
    customer sent in the trailing ``pressure_window_days`` (ties and itself included). NaN when the
    customer or the date is blank."""
    t = thresholds or Thresholds()
    order, _, _, pressure, _ = _pressure_arrays(invitations, t.pressure_window_days)
    out = np.full(len(invitations), np.nan)
    out[order] = pressure
    return pd.Series(out, index=invitations.index, name="pressure")


def survey_pressure(
    invitations: pd.DataFrame,
    responses: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    settings: Any = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """One row per invited customer: most pressured first, then most invitations, then file order.

    Columns: customer_id (+ name, industry, region, segment from ``customers``), invitations,
    invitations_hot, invitations_cold, responses, response_rate, max_pressure (most invitations in any
    rolling window), peak_start / peak_end (first and last invitation of that window), first_sent,
    last_sent, over_surveyed (max_pressure > ``thresholds.over_surveyed``).
    """
    _, t = _resolve(settings, thresholds)
    order, c, first, pressure, uniques = _pressure_arrays(invitations, t.pressure_window_days)
    k = len(uniques)
    sent = invitations["sent_at"].to_numpy(dtype="datetime64[ns]")[order]
    resp = responded(invitations, responses)[order] if _can_link(invitations, responses) else None
    n = np.bincount(c, minlength=k)
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]]) if len(c) else np.zeros(0, np.int64)
    present = c[starts] if len(c) else np.zeros(0, np.int64)
    maxp = np.maximum.reduceat(pressure, starts) if len(c) else np.zeros(0, np.int64)
    # the window of the peak: the first sorted row of each customer reaching its maximum
    peak_val = np.repeat(maxp, np.diff(np.r_[starts, len(c)]))
    is_peak = pressure == peak_val
    peak_rows = np.flatnonzero(is_peak)
    peak_rows = peak_rows[np.r_[True, c[peak_rows][1:] != c[peak_rows][:-1]]] if len(peak_rows) else peak_rows
    data: dict[str, Any] = {
        "customer_id": pd.array(uniques.take(present), dtype="str"),
        "invitations": n[present],
    }
    if "survey" in invitations.columns:
        hot = _equals(invitations, "survey", "hot")[order]
        data["invitations_hot"] = np.bincount(c, weights=hot, minlength=k)[present].astype(np.int64)
        data["invitations_cold"] = data["invitations"] - data["invitations_hot"]
    if resp is not None:
        r = np.bincount(c, weights=resp, minlength=k)[present].astype(np.int64)
        data["responses"] = r
        data["response_rate"] = r / np.maximum(data["invitations"], 1)
    data.update(
        max_pressure=maxp,
        peak_start=pd.to_datetime(sent[first[peak_rows]]),
        peak_end=pd.to_datetime(sent[peak_rows]),
        first_sent=pd.to_datetime(sent[starts]),
        last_sent=pd.to_datetime(np.r_[sent[starts[1:] - 1], sent[-1:]] if len(c) else sent[:0]),
        over_surveyed=maxp > t.over_surveyed,
    )
    # most pressured first, then most invitations, then first invited (codes follow first appearance)
    rank = np.lexsort((present, -data["invitations"], -maxp))
    out = pd.DataFrame(data).iloc[rank].reset_index(drop=True)
    return _join_customers(out, customers)


def _can_link(invitations: pd.DataFrame, responses: pd.DataFrame | None) -> bool:
    return "responded_at" in invitations.columns or (
        responses is not None and "invitation_id" in responses.columns and "invitation_id" in invitations
    )


CUSTOMER_COLUMNS = ("name", "industry", "region", "segment")


def add_customer_attributes(
    frame: pd.DataFrame, customers: pd.DataFrame | None = None, segments: pd.DataFrame | None = None
) -> pd.DataFrame:
    """``frame`` (responses, invitations or a list with ``customer_id``) with the customer's name,
    industry, region and own segment (``client_segment``) from ``customers``, and the value segment of
    :func:`cxlab.segments.segment_customers` (``value_segment``) from ``segments``, when given; columns
    the frame already has are kept as they are. Use it to group indicators by industry or segment."""
    return _join_customers(frame, customers, segments)


def _join_customers(
    frame: pd.DataFrame, customers: pd.DataFrame | None, segments: pd.DataFrame | None = None
) -> pd.DataFrame:
    out = frame
    if customers is not None and "customer_id" in customers.columns and "customer_id" in frame.columns:
        cols = [c for c in CUSTOMER_COLUMNS if c in customers.columns and c not in frame.columns]
        if cols:
            right = customers[["customer_id", *cols]].drop_duplicates("customer_id")
            right = right.rename(columns={"segment": "client_segment"})
            right = right.assign(customer_id=right["customer_id"].astype("str"))
            out = out.assign(customer_id=out["customer_id"].astype("str")).merge(
                right, on="customer_id", how="left", sort=False
            )
    if segments is not None and {"customer_id", "segment"} <= set(segments.columns):
        right = segments[["customer_id", "segment"]].drop_duplicates("customer_id")
        right = right.rename(columns={"segment": "value_segment"})
        right = right.assign(customer_id=right["customer_id"].astype("str"))
        out = out.assign(customer_id=out["customer_id"].astype("str")).merge(
            right, on="customer_id", how="left", sort=False
        )
    return out


def over_surveyed(
    invitations: pd.DataFrame,
    responses: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
    settings: Any = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """The over-surveyed customers (rows of :func:`survey_pressure` with ``over_surveyed``), most
    pressured first, with customer attributes and value segment when given."""
    table = survey_pressure(invitations, responses, customers, settings, thresholds)
    table = table[table["over_surveyed"].to_numpy(dtype=bool)].reset_index(drop=True)
    return _join_customers(table, None, segments)


def pressure_response_curve(
    invitations: pd.DataFrame,
    responses: pd.DataFrame | None = None,
    by: By = None,
    max_bucket: int = 6,
    settings: Any = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Response rate by survey pressure at the time of the invitation (1, 2, … ``max_bucket``+).

    Columns: the ``by`` columns, pressure (ordered category "1" … "6+"), pressure_value (1 … 6),
    invitations, responses, rate, low, high (Wilson), small_n. ``attrs`` hold the Cochran–Armitage trend
    test over all invitations: ``trend_z`` (negative = the rate falls as pressure rises), ``trend_p_value``
    and ``falls`` (significant and negative).
    """
    _, t = _resolve(settings, thresholds)
    by_l = _by_list(by)
    frame = _with_periods(invitations, by_l, "sent_at")
    _check_columns(frame, by_l, "survey_invitations")
    pressure = invitation_pressure(frame, t).to_numpy()
    ok = ~np.isnan(pressure)
    bucket = np.minimum(np.nan_to_num(pressure, nan=1), max_bucket).astype(np.int64)
    labels = [str(i) for i in range(1, max_bucket)] + [f"{max_bucket}+"]
    resp = responded(frame, responses)
    frame = frame.assign(
        pressure=pd.Categorical.from_codes(np.where(ok, bucket - 1, -1), categories=labels, ordered=True)
    )
    group, keys = _groups(frame, [*by_l, "pressure"], ok)
    g = len(keys)
    n = np.bincount(group, minlength=g)
    k = np.bincount(group, weights=resp[ok], minlength=g).astype(np.int64)
    low, high = wilson_interval(k, n, t.confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = k / n
    out = _assemble(
        keys,
        {
            "pressure_value": keys["pressure"].cat.codes.to_numpy() + 1,
            "invitations": n,
            "responses": k,
            "rate": rate,
            "low": low,
            "high": high,
            "small_n": n < t.small_n,
        },
    )
    total_n = np.bincount(bucket[ok] - 1, minlength=max_bucket)
    total_k = np.bincount(bucket[ok] - 1, weights=resp[ok], minlength=max_bucket)
    z, p = cochran_armitage(total_k, total_n, np.arange(1, max_bucket + 1))
    out.attrs = {
        "trend_z": z,
        "trend_p_value": p,
        "falls": bool(np.isfinite(z) and z < 0 and p < 1 - t.confidence),
    }
    return out


def stopped_answering(
    invitations: pd.DataFrame,
    responses: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    waves: Sequence[str] | None = None,
    settings: Any = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Customers who answered an earlier cold wave, were invited to the latest one and did not answer.

    ``waves`` picks the waves in order (default: every cold wave by date; the last is "the latest").
    Columns: customer_id, last_answered_wave, missed_wave, previous_nps / previous_answered_at (their
    answer in that earlier wave, when ``responses`` has it), + customer attributes. The unhappiest first.
    """
    ind, _ = _resolve(settings, thresholds)
    cold = _only(invitations, "cold")
    _check_columns(cold, ["customer_id", "wave"], "survey_invitations")
    order = list(waves) if waves is not None else wave_order(cold)
    cols = ["customer_id", "last_answered_wave", "missed_wave", "previous_nps", "previous_answered_at"]
    if len(order) < 2:
        return pd.DataFrame(columns=cols)
    resp = responded(cold, responses)
    wave = cold["wave"].astype("str").to_numpy()
    cust = cold["customer_id"].astype("str").to_numpy()
    latest = order[-1]
    earlier = np.isin(wave, order[:-1]) & resp
    rank = pd.Series(range(len(order)), index=order)
    answered = pd.DataFrame({"customer_id": cust[earlier], "wave": wave[earlier]})
    answered["rank"] = rank.reindex(answered["wave"]).to_numpy()
    answered = answered.sort_values("rank", kind="stable").drop_duplicates("customer_id", keep="last")
    invited_latest = pd.Series(resp[wave == latest], index=cust[wave == latest])
    answered_latest = invited_latest.groupby(level=0).any()
    missed = answered_latest.index[~answered_latest.to_numpy()]
    out = answered[answered["customer_id"].isin(missed)].rename(columns={"wave": "last_answered_wave"})
    out = out.drop(columns="rank").assign(missed_wave=latest)
    out["customer_id"] = out["customer_id"].astype("str")
    if responses is not None and {"customer_id", "wave", "nps"} <= set(responses.columns):
        r = _only(responses, "cold")
        prev = pd.DataFrame(
            {
                "customer_id": r["customer_id"].astype("str").to_numpy(),
                "last_answered_wave": r["wave"].astype("str").to_numpy(),
                "previous_nps": _scores(r, "nps"),
                "previous_answered_at": r["answered_at"].to_numpy() if "answered_at" in r.columns else pd.NaT,
            }
        ).drop_duplicates(["customer_id", "last_answered_wave"], keep="last")
        out = out.merge(prev, on=["customer_id", "last_answered_wave"], how="left", sort=False)
        out["previous_detractor"] = (out["previous_nps"] <= ind.nps_detractor_max).to_numpy(dtype=bool)
        out = out.sort_values(["previous_nps", "customer_id"], kind="stable", na_position="last")
    else:
        out = out.sort_values("customer_id", kind="stable")
    return _join_customers(out.reset_index(drop=True), customers)


# --------------------------------------------------------------------------------------------------
# action lists


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
        codes, _ = _codes(responses["customer_id"].iloc[pos], sort=False)
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
    out = _join_customers(sel.reset_index(drop=True), customers, segments) if "customer_id" in sel else sel
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
    _, t = _resolve(settings, thresholds)
    _check_columns(responses, ["nps"], "survey_responses")
    frame = responses if survey is None else _only(responses, survey)
    mask = _scores(frame, "nps") <= t.ultra_detractor_max
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
    _, t = _resolve(settings, thresholds)
    _check_columns(responses, ["nps"], "survey_responses")
    frame = responses if survey is None else _only(responses, survey)
    mask = _scores(frame, "nps") >= t.ultra_promoter_min
    return _action_list(frame, mask, customers, segments, per_customer)


# --------------------------------------------------------------------------------------------------
# key drivers


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
        _check_columns(events, ["case_id", "department"], "events")
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
        _check_columns(cases, ["case_id", *case_columns], "cases")
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
    ind, t = _resolve(settings, thresholds)
    _check_columns(responses, [target], "survey_responses")
    if drivers is None:
        drivers = driver_table(responses)
    if drivers.shape[1] == 0:
        raise AnalysisError("at least one driver", column="drivers", found="no driver columns")
    y = _scores(responses, target)
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
    se = float(v.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
    return float(v.mean()), se, n


# --------------------------------------------------------------------------------------------------
# closed loop


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
    ind, t = _resolve(settings, thresholds)
    _check_columns(responses, ["nps", "answered_at"], "survey_responses")
    by_l = _by_list(by)
    rows = _scores(responses, "nps") <= ind.nps_detractor_max
    if survey is not None:
        rows &= _equals(responses, "survey", survey)
    pos = np.flatnonzero(rows)
    if detail:
        frame = responses.iloc[pos]
    else:  # only the columns needed, before taking the rows
        derived = [b for b in by_l if b not in responses.columns]
        needed = [c for c in dict.fromkeys(["answered_at", "followup_at", *by_l]) if c in responses.columns]
        frame = responses[needed].iloc[pos]
        frame = _with_periods(frame, derived, "answered_at") if derived else frame
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
    _check_columns(frame, by_l, "survey_responses")
    group, keys = _groups(frame, by_l)
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
    return _assemble(
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


# --------------------------------------------------------------------------------------------------
# headline figures


def _tables(client_or_tables: Any) -> tuple[Mapping[str, pd.DataFrame], ClientConfig | None]:
    tables = getattr(client_or_tables, "tables", None)
    if tables is not None:
        return tables, getattr(client_or_tables, "config", None)
    if isinstance(client_or_tables, Mapping):
        return client_or_tables, None
    raise AnalysisError("a Client or a mapping of tables", found=type(client_or_tables).__name__)


def indicator_summary(
    client_or_tables: Client | Mapping[str, pd.DataFrame], settings: Any = None
) -> pd.DataFrame:
    """Headline figures for the executive summary, one row per measure and scope.

    Rows: NPS, CSAT, CES and CXi over all responses, hot, cold and the latest cold wave (scope ``all`` /
    ``hot`` / ``cold`` / ``cold_latest``), then the response rate (measure ``response_rate``) over all,
    hot and cold invitations. Columns: measure, scope, wave, rule, unit, n, score, low, high, small_n.
    ``settings`` is a ClientConfig or IndicatorSettings (default: the client's config).
    """
    tables, config = _tables(client_or_tables)
    settings = settings if settings is not None else config
    ind, t = _resolve(settings, None)
    cols = ["measure", "scope", "wave", "rule", "unit", "n", "score", "low", "high", "small_n"]
    parts = []
    responses = tables.get("survey_responses")
    invitations = tables.get("survey_invitations")
    if responses is not None:
        scopes = [("all", responses, None)]
        if "survey" in responses.columns:
            scopes += [("hot", _only(responses, "hot"), None), ("cold", _only(responses, "cold"), None)]
            cold = _only(responses, "cold")
            order = wave_order(cold)
            if order:
                latest = cold[cold["wave"].astype("str").to_numpy() == order[-1]]
                scopes.append(("cold_latest", latest, order[-1]))
        for scope, frame, wave in scopes:
            if len(frame) == 0:
                continue
            table = indicator_table(frame, None, INDICATORS, ind, t)
            table = table.rename(columns={"indicator": "measure"}).assign(scope=scope, wave=wave)
            parts.append(table)
    if invitations is not None and _can_link(invitations, responses):
        rr = response_rate(invitations, responses, by=None, thresholds=t).assign(scope="all")
        if "survey" in invitations.columns:
            rr = pd.concat(
                [
                    rr,
                    response_rate(invitations, responses, by="survey", thresholds=t).rename(
                        columns={"survey": "scope"}
                    ),
                ],
                ignore_index=True,
            )
        rr = rr.assign(
            measure="response_rate",
            wave=None,
            rule="responses / invitations",
            unit="share",
            n=rr["invitations"],
            score=rr["rate"],
        )
        parts.append(rr)
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat([p.reindex(columns=cols) for p in parts], ignore_index=True)
    out["scope"] = out["scope"].astype("str")
    return out


def survey_findings(client_or_tables: Any, settings: Any = None) -> dict[str, Any]:
    """The headline survey figures under the ``survey.*`` and ``nps.*`` keys of
    :data:`cxlab.findings.FINDING_SPECS` (response rates, survey pressure, stopped answering, action-list
    sizes, NPS hot/cold, the barometer change and its largest group drop). Keys whose data is missing are
    left out. The barometer drop is searched over the customers' industry, region and own segment and the
    responses' touchpoint and channel (see :func:`_largest_drop` for the rule)."""
    tables, config = _tables(client_or_tables)
    settings = settings if settings is not None else config
    ind, t = _resolve(settings, None)
    out: dict[str, Any] = {}
    responses = tables.get("survey_responses")
    invitations = tables.get("survey_invitations")
    customers = tables.get("customers")
    if invitations is not None and _can_link(invitations, responses):
        if "survey" in invitations.columns:
            rr = response_rate(invitations, responses, by="survey", thresholds=t)
            for _, row in rr.iterrows():
                if str(row["survey"]) in ("hot", "cold"):
                    out[f"survey.response_rate_{row['survey']}"] = float(row["rate"])
        pressure = survey_pressure(invitations, responses, thresholds=t)
        over = int(pressure["over_surveyed"].sum())
        out["survey.over_surveyed_customers"] = over
        if len(pressure):
            out["survey.over_surveyed_share"] = over / len(pressure)
        curve = pressure_response_curve(invitations, responses, thresholds=t)
        curve = curve[curve["invitations"] > 0]
        if len(curve) > 1:
            out["survey.response_rate_low_pressure"] = float(curve["rate"].iloc[0])
            out["survey.response_rate_high_pressure"] = float(curve["rate"].iloc[-1])
        if "wave" in invitations.columns and len(wave_order(_only(invitations, "cold"))) >= 2:
            out["survey.stopped_answering"] = len(stopped_answering(invitations, responses))
    if responses is not None and "nps" in responses.columns:
        ud = ultra_detractors(responses, thresholds=t, settings=ind)
        who = "customer_id" if "customer_id" in ud.columns else "response_id"
        out["survey.ultra_detractors"] = int(ud[who].nunique())
        out["survey.ultra_promoters"] = int(
            ultra_promoters(responses, thresholds=t, settings=ind)[who].nunique()
        )
        if "followup_at" in responses.columns and "answered_at" in responses.columns:
            det = ultra_detractors(responses, per_customer=False, thresholds=t, settings=ind)
            uncalled = det[~_followed_within(det, t.followup_target_hours)]
            out["survey.ultra_detractors_uncalled"] = int(uncalled[who].nunique())
        if "survey" in responses.columns:
            hot = _only(responses, "hot")
            if len(hot) and hot["nps"].notna().any():
                out["nps.hot"] = float(nps(hot, settings=ind, thresholds=t)["score"].iloc[0])
            cold = _only(responses, "cold")
            order = wave_order(cold)
            if order and cold["nps"].notna().any():
                latest = cold[cold["wave"].astype("str").to_numpy() == order[-1]]
                out["nps.cold"] = float(nps(latest, settings=ind, thresholds=t)["score"].iloc[0])
            if len(order) >= 2:
                overall = barometer(cold, None, ("nps",), order[-2:], ind, t)
                if len(overall):
                    out["nps.barometer_change"] = float(overall["change"].iloc[0])
                out.update(_largest_drop(cold, customers, order[-2:], ind, t))
    return {k: v for k, v in out.items() if not (isinstance(v, float) and np.isnan(v))}


def _followed_within(frame: pd.DataFrame, hours: float) -> np.ndarray:
    if "followup_at" not in frame.columns or len(frame) == 0:
        return np.zeros(len(frame), dtype=bool)
    delta = (frame["followup_at"] - frame["answered_at"]).dt.total_seconds().to_numpy() / 3600
    return np.nan_to_num(delta, nan=np.inf) <= hours


def _largest_drop(
    cold: pd.DataFrame,
    customers: pd.DataFrame | None,
    waves: Sequence[str],
    ind: IndicatorSettings,
    t: Thresholds,
) -> dict[str, Any]:
    """The group whose NPS fell most clearly between two waves.

    Only groups with at least ``small_n`` answers in both waves are considered (a tiny group's plain
    standard error can be 0, which would make any change look decisive), unless no group is that large.
    The grouping columns are searched in the order industry, region, client_segment, touchpoint, channel
    (named as :func:`add_customer_attributes` names them): the first column with a significant drop gives
    the finding (its most negative z), so a drop of a customer attribute is reported rather than a
    correlated one further down the list; with no significant drop, the most negative z overall."""
    frame = add_customer_attributes(cold, customers)
    candidates = [
        c for c in ("industry", "region", "client_segment", "touchpoint", "channel") if c in frame.columns
    ]
    tables = []
    for col in candidates:
        if frame[col].astype("str").nunique() < 2:
            continue
        table = barometer(frame, col, ("nps",), waves, ind, t)
        table = table[table[col].notna() & np.isfinite(table["z"].to_numpy(dtype=float))]
        tables.append(table.assign(by=col, group=table[col].astype("str")).drop(columns=col))
    if not tables:
        return {}
    table = pd.concat(tables, ignore_index=True)
    large = table[~table["small_n"].to_numpy(dtype=bool)]
    table = large if len(large) else table
    if not len(table):
        return {}
    drops = table[table["significant"].to_numpy(dtype=bool) & (table["change"] < 0).to_numpy()]
    if len(drops):
        table = drops[drops["by"] == drops["by"].iloc[0]]  # concat kept the search order
    row = table.loc[table["z"].idxmin()]
    if row["change"] >= 0:
        return {}
    return {
        "nps.barometer_drop_by": str(row["by"]),
        "nps.barometer_drop_group": str(row["group"]),
        "nps.barometer_drop_points": float(row["change"]),
        "nps.barometer_drop_significant": bool(row["significant"]),
    }


# --------------------------------------------------------------------------------------------------
# methodology notes

_METHOD = {
    "nps": {
        "en": "NPS = % promoters ({p}–10) − % detractors (0–{d}), in points; 95 % interval by the adjusted-Wald "
        "method (Rocks 2016: 3 added to n and ¾ to promoters and detractors).",
        "it": "NPS = % promotori ({p}–10) − % detrattori (0–{d}), in punti; intervallo al 95 % con il metodo "
        "di Wald corretto (Rocks 2016: si aggiungono 3 a n e ¾ a promotori e detrattori).",
    },
    "csat": {
        "en": "CSAT (1–5) scored as {rule}; proportions with Wilson intervals.",
        "it": "CSAT (1–5) calcolato come {rule}; proporzioni con intervalli di Wilson.",
    },
    "ces": {
        "en": "CES (1–7, 'made it easy to handle my issue') scored as {rule}: CES scoring is not standard "
        "across vendors.",
        "it": "CES (1–7, 'mi ha reso facile risolvere il problema') calcolato come {rule}: il calcolo del CES "
        "non è standard tra i fornitori.",
    },
    "cxi": {
        "en": "CXi-style index: for each of three questions (needs met, ease, enjoyment; 1–5) % {c}–5 − % "
        "1–{b}, averaged. It follows the older public Forrester CxPi form; it is not Forrester's CX Index, "
        "whose weights are proprietary.",
        "it": "Indice in stile CXi: per ciascuna delle tre domande (bisogni soddisfatti, facilità, piacevolezza; "
        "1–5) % {c}–5 − % 1–{b}, in media. Segue la vecchia forma pubblica CxPi di Forrester; non è il CX "
        "Index di Forrester, i cui pesi sono proprietari.",
    },
    "blanks": {
        "en": "A blank answer is not a response to that question. Groups with fewer than {n} answers are "
        "flagged, not hidden.",
        "it": "Una risposta vuota non conta come risposta a quella domanda. I gruppi con meno di {n} risposte "
        "sono segnalati, non nascosti.",
    },
    "barometer": {
        "en": "Barometer: a change between two cold waves is significant when its 95 % interval (Wald, "
        "trinomial standard errors) excludes zero.",
        "it": "Barometro: una variazione tra due ondate fredde è significativa quando il suo intervallo al "
        "95 % (Wald, errori standard trinomiali) esclude lo zero.",
    },
    "pressure": {
        "en": "Survey pressure: invitations per customer in the trailing {w} days; above {o} the customer is "
        "over-surveyed. Response rates of {lo}–{hi} are typical of cold surveys.",
        "it": "Pressione dei sondaggi: inviti per cliente negli ultimi {w} giorni; oltre {o} il cliente è "
        "sovra-sondato. Tassi di risposta del {lo}–{hi} sono tipici dei sondaggi freddi.",
    },
}


def methodology(settings: Any = None, thresholds: Thresholds | None = None, lang: str = "en") -> pd.DataFrame:
    """The scoring rules in force, one sentence per topic (topic, text) — for the report's methodology
    notes, in ``lang`` (it / en)."""
    ind, t = _resolve(settings, thresholds)
    lang = lang if lang in ("it", "en") else "en"

    def rule(name: str, top: int, top_max: int) -> str:
        chosen = ind.csat_rule if name == "csat" else ind.ces_rule
        if chosen == "mean":
            return "media" if lang == "it" else "the mean"
        return f"% {top}–{top_max}"

    band = t.response_rate_band
    values = {
        "nps": {"p": ind.nps_promoter_min, "d": ind.nps_detractor_max},
        "csat": {"rule": rule("csat", ind.csat_top_min, 5)},
        "ces": {"rule": rule("ces", ind.ces_top_min, 7)},
        "cxi": {"c": ind.cxi_top_min, "b": ind.cxi_bottom_max},
        "blanks": {"n": t.small_n},
        "barometer": {},
        "pressure": {
            "w": t.pressure_window_days,
            "o": f"{t.over_surveyed:g}",
            "lo": f"{band[0] * 100:g}",
            "hi": f"{band[1] * 100:g} %",
        },
    }
    return pd.DataFrame(
        [{"topic": k, "text": _METHOD[k][lang].format(**values[k])} for k in _METHOD],
        columns=["topic", "text"],
    )
