"""Response rates, survey pressure (invitations per customer in a trailing window), the
pressure/response curve and the customers who stopped answering.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..config import Thresholds
from ..errors import TableDependencyError
from ..stats import (
    cochran_armitage,
    wilson_interval,
)
from .customers import join_customers
from .grouping import (
    By,
    assemble,
    by_list,
    check_columns,
    equals_mask,
    factor_codes,
    group_rows,
    only_survey,
    resolve_settings,
    score_values,
    with_periods,
)
from .waves import wave_order


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
    position = np.where(rate < band[0], "below", np.where(rate > band[1], "above", "within")).astype(object)
    position[np.isnan(rate)] = None
    return position


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
    _, t = resolve_settings(settings, thresholds)
    by_l = by_list(by)
    frame = with_periods(invitations, by_l, "sent_at")
    check_columns(frame, by_l, "survey_invitations")
    resp = responded(frame, responses)
    group, keys = group_rows(frame, by_l)
    g = len(keys)
    n = np.bincount(group, minlength=g)
    k = np.bincount(group, weights=resp, minlength=g).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = k / n
    low, high = wilson_interval(k, n, t.confidence)
    band = t.response_rate_band
    return assemble(
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
    check_columns(invitations, ["customer_id", "sent_at"], "survey_invitations")
    cust, uniques = factor_codes(invitations["customer_id"], sort=False)  # code order = first appearance
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
    _, t = resolve_settings(settings, thresholds)
    order, c, first, pressure, uniques = _pressure_arrays(invitations, t.pressure_window_days)
    k = len(uniques)
    sent = invitations["sent_at"].to_numpy(dtype="datetime64[ns]")[order]
    resp = responded(invitations, responses)[order] if can_link(invitations, responses) else None
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
        hot = equals_mask(invitations, "survey", "hot")[order]
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
    return join_customers(out, customers)


def can_link(invitations: pd.DataFrame, responses: pd.DataFrame | None) -> bool:
    return "responded_at" in invitations.columns or (
        responses is not None and "invitation_id" in responses.columns and "invitation_id" in invitations
    )


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
    return join_customers(table, None, segments)


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
    _, t = resolve_settings(settings, thresholds)
    by_l = by_list(by)
    frame = with_periods(invitations, by_l, "sent_at")
    check_columns(frame, by_l, "survey_invitations")
    pressure = invitation_pressure(frame, t).to_numpy()
    ok = ~np.isnan(pressure)
    bucket = np.minimum(np.nan_to_num(pressure, nan=1), max_bucket).astype(np.int64)
    labels = [str(i) for i in range(1, max_bucket)] + [f"{max_bucket}+"]
    resp = responded(frame, responses)
    frame = frame.assign(
        pressure=pd.Categorical.from_codes(np.where(ok, bucket - 1, -1), categories=labels, ordered=True)
    )
    group, keys = group_rows(frame, [*by_l, "pressure"], ok)
    g = len(keys)
    n = np.bincount(group, minlength=g)
    k = np.bincount(group, weights=resp[ok], minlength=g).astype(np.int64)
    low, high = wilson_interval(k, n, t.confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = k / n
    out = assemble(
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
    ind, _ = resolve_settings(settings, thresholds)
    cold = only_survey(invitations, "cold")
    check_columns(cold, ["customer_id", "wave"], "survey_invitations")
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
        r = only_survey(responses, "cold")
        prev = pd.DataFrame(
            {
                "customer_id": r["customer_id"].astype("str").to_numpy(),
                "last_answered_wave": r["wave"].astype("str").to_numpy(),
                "previous_nps": score_values(r, "nps"),
                "previous_answered_at": r["answered_at"].to_numpy() if "answered_at" in r.columns else pd.NaT,
            }
        ).drop_duplicates(["customer_id", "last_answered_wave"], keep="last")
        out = out.merge(prev, on=["customer_id", "last_answered_wave"], how="left", sort=False)
        out["previous_detractor"] = (out["previous_nps"] <= ind.nps_detractor_max).to_numpy(dtype=bool)
        out = out.sort_values(["previous_nps", "customer_id"], kind="stable", na_position="last")
    else:
        out = out.sort_values("customer_id", kind="stable")
    return join_customers(out.reset_index(drop=True), customers)
