"""Event, visit, handoff and case tables: one row per event (prepared), visit, handoff or case."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import ActivitySettings
from .core import (
    CUSTOMER,
    FLAG_COLUMNS,
    HOUR_NS,
    THIRD_PARTY,
    EventCore,
    categorical,
    category_codes,
    event_core,
    first_in_case,
    to_hours,
)


def prepare_events(events: pd.DataFrame, settings: ActivitySettings | None = None) -> pd.DataFrame:
    """The events sorted by case and time (ties in file order) with visit ids and activity flags.

    Added columns: ``case_no`` (0-based case number in order of first appearance), ``event_position``
    (0-based row in the input), ``event_no`` (0-based within the case),
    ``visit_id`` (global), ``visit_no`` (0-based within the case) and the flags ``is_contact``,
    ``is_answer``, ``is_reopen``, ``is_self_service``, ``is_authorisation``, ``is_chaser``. A missing
    department counts in the department holding the case (``"unknown"`` with ``unknown_department: keep``,
    or when no event of the case has one); rows without a timestamp or case id are left out.
    """
    core = event_core(events, settings)
    out = events.take(core.order).reset_index(drop=True)
    out["department"] = categorical(core.dept, core.dept_names)
    out["case_no"] = core.case
    given = events.get("event_position")
    out["event_position"] = core.take(given.to_numpy(np.int64)) if given is not None else core.order
    out["event_no"] = core.event_no
    out["visit_id"] = core.visit_id
    out["visit_no"] = core.v_no[core.visit_id]
    for name in FLAG_COLUMNS:
        out[name] = getattr(core, name)
    return out


def visits(events: pd.DataFrame, settings: ActivitySettings | None = None) -> pd.DataFrame:
    """One row per visit: case_id, visit_no, department, start, end, events, touch_hours,
    wait_before_hours (NaN for a case's first visit), ping_pong (returns to the department two visits back)."""
    core = event_core(events, settings)
    wait = np.full(len(core.v_first), np.nan)
    wait[core.h_visit] = to_hours(core.h_wait_ns)
    return pd.DataFrame(
        {
            "case_id": core.case_ids[core.case[core.v_first]],
            "visit_no": core.v_no,
            "department": categorical(core.v_dept, core.dept_names),
            "start": core.local(core.v_first),
            "end": core.local(core.v_last),
            "events": core.v_events,
            "touch_hours": to_hours(core.v_touch_ns),
            "wait_before_hours": wait,
            "ping_pong": core.v_ping_pong,
        }
    )


def handoffs(events: pd.DataFrame, settings: ActivitySettings | None = None) -> pd.DataFrame:
    """One row per handoff: case_id, handoff_no (1-based), from_department, to_department, left_at,
    arrived_at, wait_hours, bounced (the next visit returns to ``from_department``)."""
    core = event_core(events, settings)
    j = core.h_visit
    return pd.DataFrame(
        {
            "case_id": core.case_ids[core.case[core.v_first[j]]],
            "handoff_no": core.v_no[j],
            "from_department": categorical(core.h_from, core.dept_names),
            "to_department": categorical(core.h_to, core.dept_names),
            "left_at": core.local(core.v_last[j - 1]),
            "arrived_at": core.local(core.v_first[j]),
            "wait_hours": to_hours(core.h_wait_ns),
            "bounced": core.h_bounced,
        }
    )


def _first_value(core: EventCore, column: str, prefer: np.ndarray | None = None) -> np.ndarray | None:
    """Per case, the first non-missing value of an optional column (None when the column is absent);
    with ``prefer``, the first among the preferred events when a case has one."""
    col = core.frame.get(column)
    if col is None:
        return None
    codes, names = category_codes(col)
    codes = core.take(codes)
    first = core.first_per_case(codes >= 0)
    if prefer is not None:
        preferred = core.first_per_case((codes >= 0) & prefer)
        first = np.where(preferred >= 0, preferred, first)
    out = np.full(core.n_cases, None, dtype=object)
    ok = first >= 0
    out[ok] = names[codes[first[ok]]]
    return out


def _outside_waits(core: EventCore, wait: np.ndarray) -> dict[str, np.ndarray]:
    """Per case: internal handoff waits, and the time waiting for the customer and for third parties (no
    per-event work when no event is in such a wait, the usual case)."""
    if not core.wait_class.any():
        zeros = np.zeros(core.n_cases)
        return {"internal_wait_hours": wait, "customer_wait_hours": zeros, "third_party_wait_hours": zeros}
    gap_h = to_hours(core.gap_ns)
    return {
        "internal_wait_hours": core.per_case_sum(
            to_hours(np.where(core.h_internal, core.h_wait_ns, 0)), core.h_case
        ),
        "customer_wait_hours": core.per_case_sum(
            np.where(core.wait_class == CUSTOMER, gap_h, 0.0), core.case_rank
        ),
        "third_party_wait_hours": core.per_case_sum(
            np.where(core.wait_class == THIRD_PARTY, gap_h, 0.0), core.case_rank
        ),
    }


def case_metrics(events: pd.DataFrame, settings: ActivitySettings | None = None) -> pd.DataFrame:
    """One row per case, in order of first appearance in the file.

    Columns: case_id, customer_id, first_channel (channel of the customer's first contact; else of the
    first event that has a channel), start, end,
    events, visits, handoffs, departments (breadth), ping_pongs, rework, chasers, contacts,
    first_response_hours (start → first answer; NaN if never answered), lead_time_hours, touch_hours,
    wait_hours (touch + wait = lead time), internal_wait_hours (the handoff waits not spent waiting for the
    customer or a third party), customer_wait_hours and third_party_wait_hours (the time after events whose
    status or activity says so, inside visits too), first_department, last_department.
    """
    core = event_core(events, settings)
    n = core.n_cases
    visits_n = np.bincount(core.v_case, minlength=n)
    k = len(core.dept_names)
    breadth = np.bincount(core.v_case[first_in_case(core.v_case, core.v_dept, k)], minlength=n)
    start = core.ts[core.case_start] if n else np.zeros(0, np.int64)
    end = core.ts[core.case_end] if n else np.zeros(0, np.int64)
    first_answer = core.first_per_case(core.is_answer)
    first_resp = np.where(first_answer >= 0, core.ts[np.maximum(first_answer, 0)] - start, np.nan)
    chasers = np.bincount(core.case_rank[core.is_chaser], minlength=n)
    contacts = np.bincount(core.case_rank[core.is_contact], minlength=n)
    wait = core.per_case_sum(to_hours(core.h_wait_ns), core.h_case)
    data: dict[str, object] = {"case_id": pd.array(core.case_ids[core.case[core.case_start]], dtype="str")}
    customer = _first_value(core, "customer_id")
    if customer is not None:
        data["customer_id"] = pd.array(customer, dtype="str")
    channel = _first_value(core, "channel", prefer=core.is_contact)
    if channel is not None:
        data["first_channel"] = pd.Categorical(channel)
    data.update(
        {
            "start": core.local(core.case_start) if n else pd.to_datetime(start),
            "end": core.local(core.case_end) if n else pd.to_datetime(end),
            "events": np.diff(np.r_[core.case_start, core.n_events]),
            "visits": visits_n,
            "handoffs": visits_n - 1,
            "departments": breadth,
            "ping_pongs": np.bincount(core.v_case[core.v_ping_pong], minlength=n),
            "rework": visits_n - breadth,
            "chasers": chasers,
            "contacts": contacts,
            "first_response_hours": np.asarray(first_resp, dtype=float) / HOUR_NS,
            "lead_time_hours": to_hours(end - start),
            "touch_hours": core.per_case_sum(to_hours(core.v_touch_ns), core.v_case),
            "wait_hours": wait,
            **_outside_waits(core, wait),
            "first_department": categorical(core.dept[core.case_start], core.dept_names),
            "last_department": categorical(core.dept[core.case_end], core.dept_names),
        }
    )
    return pd.DataFrame(data)


@dataclass(frozen=True)
class HandoffFigures:
    """The headline figures of the handoff analysis (definitions in the report's methodology appendix).

    ``cases`` and ``events`` count what the analysis used (events with a timestamp, a case id and, with
    ``unknown_department: exclude``, a department); ``ping_pong_share`` is the share of cases with at least
    one A→B→A; ``departments_per_case`` the mean number of distinct departments of a case;
    ``median_wait_h`` / ``p90_wait_h`` the median and 90th percentile (linear interpolation) of the internal
    handoff waits (not spent waiting for the customer or a third party; NaN without one);
    ``customer_wait_h`` / ``third_party_wait_h`` the total time waiting for them; ``tie_share`` the share of
    events sharing their case's timestamp with another event; ``ordered_by_column`` whether an order column
    broke those ties (else file order did).
    """

    cases: int
    events: int
    departments: int
    handoffs: int
    handoffs_per_case: float
    ping_pong_cases: int
    ping_pong_share: float
    departments_per_case: float
    internal_handoffs: int
    median_wait_h: float
    p90_wait_h: float
    total_internal_wait_h: float
    customer_wait_h: float
    third_party_wait_h: float
    tie_share: float
    ordered_by_column: bool
    events_without_department: int
    events_without_time: int


def handoff_figures(events: pd.DataFrame, settings: ActivitySettings | None = None) -> HandoffFigures:
    """The headline figures (:class:`HandoffFigures`) of an event log."""
    core = event_core(events, settings)
    n = core.n_cases
    k = len(core.dept_names)
    pp_cases = int(np.unique(core.v_case[core.v_ping_pong]).size)
    breadth = int(first_in_case(core.v_case, core.v_dept, k).sum()) if len(core.v_first) else 0
    internal = to_hours(core.h_wait_ns[core.h_internal])
    med, p90 = np.quantile(internal, [0.5, 0.9]) if len(internal) else (np.nan, np.nan)
    n_h = len(core.h_visit)
    return HandoffFigures(
        cases=n,
        events=core.n_events,
        departments=int(np.unique(core.dept).size),
        handoffs=n_h,
        handoffs_per_case=n_h / n if n else float("nan"),
        ping_pong_cases=pp_cases,
        ping_pong_share=pp_cases / n if n else float("nan"),
        departments_per_case=breadth / n if n else float("nan"),
        internal_handoffs=len(internal),
        median_wait_h=float(med),
        p90_wait_h=float(p90),
        total_internal_wait_h=float(internal.sum()),
        customer_wait_h=float(to_hours(core.gap_ns[core.wait_class == CUSTOMER]).sum())
        if core.wait_class.any()
        else 0.0,
        third_party_wait_h=float(to_hours(core.gap_ns[core.wait_class == THIRD_PARTY]).sum())
        if core.wait_class.any()
        else 0.0,
        tie_share=core.tie_share,
        ordered_by_column=core.ordered_by_column,
        events_without_department=core.n_no_department,
        events_without_time=core.n_no_time,
    )
