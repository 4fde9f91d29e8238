"""Toxic dynamics: tortuous flows, slow internal communication (chasers while waiting on an
authorisation), contradictory answers, and who holds the case when the customer chases.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import ActivitySettings, IndicatorSettings, Thresholds
from ..stats import nps_interval, z_value
from .cases import case_metrics
from .core import (
    ANSWERED,
    EventCore,
    category_codes,
    event_core,
    first_in_case,
    to_hours,
)
from .satisfaction import nps_parts

# --------------------------------------------------------------------------------------------------
# toxic dynamics

TOXIC_FINDINGS = ("tortuous_flow", "slow_internal_communication", "contradictory_answers")


def _case_flags(core: EventCore) -> pd.DataFrame:
    n = core.n_cases
    big = np.iinfo(np.int64).max
    idx = np.arange(core.n_events)
    cr = core.case_rank

    def first_idx(mask: np.ndarray) -> np.ndarray:
        f = core.first_per_case(mask)
        return np.where(f >= 0, f, big)

    # (1) tortuous flow: a self-service attempt, later an assisted customer contact in the same case
    ss_first = first_idx(core.is_self_service)
    # a chaser is its own dynamic (slow internal communication), not a switch to an assisted channel
    assisted = core.is_contact & ~core.is_self_service & ~core.is_chaser_named
    assisted_after = np.bincount(cr[assisted & (idx > ss_first[cr])], minlength=n)
    tortuous = (ss_first < big) & (assisted_after > 0)

    # (2) slow internal communication: waiting on an authorisation with the customer chasing meanwhile
    auth_first = first_idx(core.is_authorisation)
    chasers_waiting = np.bincount(cr[core.is_chaser & (idx > auth_first[cr])], minlength=n)
    ans_after_auth = first_idx(core.is_answer & (idx > auth_first[cr]))
    auth_ts = np.where(auth_first < big, core.ts[np.minimum(auth_first, core.n_events - 1)], 0)
    end_ts = np.where(
        ans_after_auth < big, core.ts[np.minimum(ans_after_auth, core.n_events - 1)], core.ts[core.case_end]
    )
    auth_wait_h = np.where(auth_first < big, to_hours(end_ts - auth_ts), np.nan)
    slow = (auth_first < big) & (chasers_waiting > 0)

    # (3) contradictory answers: answers from several agents (or departments) and a reopen / repeat contact
    ans_idx = np.flatnonzero(core.is_answer)
    who = None
    if "agent" in core.frame.columns:
        codes, _ = category_codes(core.frame["agent"])
        who = core.take(codes)[ans_idx]
        who = np.where(who >= 0, who, -1 - core.dept[ans_idx])  # no agent: fall back to the department
    else:
        who = core.dept[ans_idx]
    pairs = np.unique(cr[ans_idx].astype(np.int64) * (1 << 32) + (who.astype(np.int64) + (1 << 31)))
    answerers = np.bincount(pairs >> 32, minlength=n)
    ans_first = first_idx(core.is_answer)
    after_answer = idx > ans_first[cr]
    # a repeat contact: the customer comes back after being answered (not a reply to our request)
    repeat = core.is_contact & (core.state_before == ANSWERED)
    reopen_or_repeat = np.bincount(cr[(core.is_reopen | repeat) & after_answer], minlength=n)
    contradictory = (answerers >= 2) & (reopen_or_repeat > 0)
    return pd.DataFrame(
        {
            "case_id": pd.array(core.case_ids[core.case[core.case_start]], dtype="str"),
            "self_service": ss_first < big,
            "tortuous_flow": tortuous,
            "authorisation": auth_first < big,
            "chasers_while_waiting": chasers_waiting,
            "authorisation_wait_hours": auth_wait_h,
            "slow_internal_communication": slow,
            "answered": ans_first < big,
            "answerers": answerers,
            "contradictory_answers": contradictory,
        }
    )


def _top_department(core: EventCore, masks: list[np.ndarray]) -> str | None:
    """Most frequent department among the events of the first non-empty mask (None if all empty)."""
    for mask in masks:
        if mask.any():
            return str(core.dept_names[np.bincount(core.dept[mask]).argmax()])
    return None


def chaser_holders(events: pd.DataFrame, settings: ActivitySettings | None = None) -> pd.DataFrame:
    """Which department holds the case when the customer chases: the department of the last event before
    the chaser that was not a customer contact (the chaser itself is usually logged by the front office).

    Columns: department, chasers, cases (with at least one chaser while there), share_of_chasers.
    Sorted by chasers.
    """
    core = event_core(events, settings)
    cols = ["department", "chasers", "cases", "share_of_chasers"]
    n = core.n_events
    if n == 0 or not core.is_chaser.any():
        return pd.DataFrame(columns=cols)
    internal = np.where(~core.is_contact, np.arange(n), -1)
    last = np.maximum.accumulate(internal)
    prev = np.r_[-1, last[:-1]]
    prev = np.where(prev >= core.case_start[core.case_rank], prev, -1)
    # no internal step yet: the front office that took the first contact holds it
    holder = np.where(prev >= 0, core.dept[np.maximum(prev, 0)], core.dept[core.case_start[core.case_rank]])
    ch = core.is_chaser
    k = len(core.dept_names)
    chasers = np.bincount(holder[ch], minlength=k)
    first = first_in_case(core.case_rank[ch], holder[ch], k)
    cases = np.bincount(holder[ch][first], minlength=k)
    present = np.flatnonzero(chasers)
    out = pd.DataFrame(
        {
            "department": core.dept_names[present].astype(str),
            "chasers": chasers[present],
            "cases": cases[present],
            "share_of_chasers": chasers[present] / ch.sum(),
        }
    )
    return out.sort_values("chasers", ascending=False, kind="stable").reset_index(drop=True)


def case_flags(events: pd.DataFrame, settings: ActivitySettings | None = None) -> pd.DataFrame:
    """Per case, the toxic-dynamics flags and their evidence, in case_metrics order.

    * ``tortuous_flow``: a self-service activity followed later by an assisted customer contact;
    * ``slow_internal_communication``: an authorisation activity followed by chasers before the answer
      (``chasers_while_waiting``; ``authorisation_wait_hours`` = first authorisation → next answer, or case end);
    * ``contradictory_answers``: answers from ≥ 2 agents (departments when there is no agent column)
      and, after the first answer, a reopen or another customer contact.
    """
    return _case_flags(event_core(events, settings))


def toxic_dynamics(
    events: pd.DataFrame,
    linked: pd.DataFrame | None = None,
    settings: ActivitySettings | None = None,
    indicators: IndicatorSettings | None = None,
    thresholds: Thresholds | None = None,
    examples: int = 5,
    cases: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The three named toxic dynamics as findings with evidence, worst first.

    ``cases``: :func:`case_metrics` of the same ``events`` and ``settings`` when the caller has it already
    (the Diagnosis does), so it is not computed twice.

    One row per finding: finding (``tortuous_flow`` / ``slow_internal_communication`` /
    ``contradictory_answers``), cases (affected), base_cases (cases where it could happen: with a
    self-service step / an authorisation / an answer), share_of_base, share_of_cases, median_lead_time_h of
    affected vs other cases, extra_chasers (mean chasers per affected case), n_nps_affected, nps_affected,
    nps_others, nps_gap (others − affected) with gap_low/gap_high, nps_points_lost (gap × share of
    responses), department (where it shows: the self-service channel's department, the department that
    authorises — not the one that took the request —, the answering department), example_cases (up to
    ``examples`` case ids). Sorted by nps_points_lost, then cases.
    """
    indicators, thresholds = indicators or IndicatorSettings(), thresholds or Thresholds()
    core = event_core(events, settings)
    flags = _case_flags(core)
    metrics = (cases if cases is not None else case_metrics(events, settings)) if core.n_cases else None
    lead = metrics["lead_time_hours"].to_numpy() if metrics is not None else np.zeros(0)
    chasers = metrics["chasers"].to_numpy() if metrics is not None else np.zeros(0)
    base_col = {
        "tortuous_flow": "self_service",
        "slow_internal_communication": "authorisation",
        "contradictory_answers": "answered",
    }
    z = z_value(thresholds.confidence)
    resp = None
    if linked is not None and "nps" in linked.columns and len(linked):
        valid, prom, det = nps_parts(linked["nps"], indicators)
        rank = pd.Index(flags["case_id"].astype(str)).get_indexer(linked["case_id"].astype(str))
        ok = valid & (rank >= 0)
        resp = (rank[ok], prom[ok], det[ok])
    # the department where each dynamic shows: who runs the self-service, who authorises, who answers
    hit_event = {name: flags[name].to_numpy(dtype=bool)[core.case_rank] for name in TOXIC_FINDINGS}
    not_front = core.dept != core.dept[core.case_start[core.case_rank]]
    key_events = {
        "tortuous_flow": [core.is_self_service],
        "slow_internal_communication": [core.is_authorisation & not_front, core.is_authorisation],
        "contradictory_answers": [core.is_answer],
    }
    rows = []
    for name in TOXIC_FINDINGS:
        hit = flags[name].to_numpy(dtype=bool)
        base = flags[base_col[name]].to_numpy(dtype=bool)
        n_hit = int(hit.sum())
        row = {
            "finding": name,
            "cases": n_hit,
            "base_cases": int(base.sum()),
            "share_of_base": n_hit / base.sum() if base.any() else np.nan,
            "share_of_cases": n_hit / max(core.n_cases, 1),
            "median_lead_time_h": float(np.median(lead[hit])) if n_hit else np.nan,
            "median_lead_time_others_h": float(np.median(lead[~hit])) if (~hit).any() else np.nan,
            "extra_chasers": float(chasers[hit].mean() - chasers[~hit].mean())
            if n_hit and (~hit).any()
            else np.nan,
            "department": _top_department(core, [m & hit_event[name] for m in key_events[name]]),
            "example_cases": flags.loc[hit, "case_id"].head(examples).tolist(),
        }
        if resp is not None:
            r_rank, r_prom, r_det = resp
            h = hit[r_rank]
            nps_a, se_a, _, _ = nps_interval(r_prom[h].sum(), r_det[h].sum(), h.sum(), thresholds.confidence)
            nps_o, se_o, _, _ = nps_interval(
                r_prom[~h].sum(), r_det[~h].sum(), (~h).sum(), thresholds.confidence
            )
            gap = float(nps_o - nps_a)
            se = float(np.sqrt(se_a**2 + se_o**2))
            row.update(
                n_nps_affected=int(h.sum()),
                nps_affected=float(nps_a),
                nps_others=float(nps_o),
                nps_gap=gap,
                gap_low=gap - z * se,
                gap_high=gap + z * se,
                nps_points_lost=gap * h.sum() / max(len(h), 1) if h.any() else np.nan,
            )
        rows.append(row)
    cols = [
        "finding", "cases", "base_cases", "share_of_base", "share_of_cases", "median_lead_time_h",
        "median_lead_time_others_h", "extra_chasers", "n_nps_affected", "nps_affected", "nps_others", "nps_gap",
        "gap_low", "gap_high", "nps_points_lost", "department", "example_cases",
    ]  # fmt: skip
    out = pd.DataFrame(rows).reindex(columns=cols)
    out["_lost"] = out["nps_points_lost"].fillna(-np.inf)
    out = out.sort_values(["_lost", "cases"], ascending=False, kind="stable").drop(columns="_lost")
    return out.reset_index(drop=True)
