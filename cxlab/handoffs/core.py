"""Silo handoff analysis: where cases cross departments, how long they wait, how often they bounce back,
how often the customer has to chase, and what each of these costs in satisfaction.

Definitions (DESIGN §4). Events of a case are ordered by timestamp; ties keep file order (a stable sort on
``(case_id, timestamp)`` with the original position). A *visit* is a run of consecutive events of a case in
one department; a *handoff* is the move from one visit to the next; its *wait* is the first timestamp of
the new visit minus the last timestamp of the previous one. *Ping-pong* is A→B→A (counted at the return
visit; a handoff A→B "bounces" when the next visit is back in A). *Rework* = visits − distinct
departments; *breadth* = distinct departments. A *chaser* is a customer contact on a case that is already
open (not its first event) with no answer yet: the conversation state before each event is OPEN (the
customer waits on us: at the start, after a customer contact or a reopen), ANSWERED (after an answer) or
WAITING (after we asked the customer for something, e.g. a form — their next contact is a reply, not a
chaser); a contact in the OPEN state is a chaser, and an activity that the settings name a chaser
(``ActivitySettings.chaser``) always counts — but only once the case is open with the organisation (an
earlier event that is not self-service: the first call after a failed self-service attempt is a switch of
channel, counted as a tortuous flow, not a chaser). Activity roles come from :class:`~cxlab.config.ActivitySettings`
(regular expressions on the activity name; ``is_customer_contact`` when the log has it). A missing department
is the department ``"unknown"``. Rows without a timestamp cannot be ordered and are left out.

Time split per case: *touch* time is the time spent inside visits (last − first event of each visit),
*wait* time is the sum of handoff waits, so ``lead_time = touch + wait`` exactly.

Public API (pure functions; ``events`` is the canonical events table or the output of
:func:`prepare_events`, which every function accepts to skip the re-sort)::

    prepare_events(events, settings=None) -> DataFrame        # sorted events + visit ids + activity flags
    visits(events, settings=None) -> DataFrame                # one row per visit
    handoffs(events, settings=None) -> DataFrame              # one row per handoff (from, to, wait, bounced)
    case_metrics(events, settings=None) -> DataFrame          # one row per case
    handoff_matrix(events, settings=None) -> DataFrame        # one row per department pair
    ping_pong_pairs(events, settings=None) -> DataFrame       # undirected pairs that bounce work, worst first
    flow_steps(events, max_steps=6, settings=None) -> DataFrame   # step-by-step transitions (Sankey data)
    link_satisfaction(cases, responses, settings=None) -> DataFrame   # survey responses joined to cases
    satisfaction_by_handoffs(linked, ...) -> DataFrame        # NPS/CSAT by handoff-count bucket
    satisfaction_by_pair(linked, events, ...) -> DataFrame    # NPS with vs without each handoff pair
    nps_per_extra_handoff(linked, ...) -> DataFrame           # slope: NPS points per extra handoff
    worst_handoffs(matrix, pair_satisfaction=None, top=5) -> DataFrame
    chaser_holders(events, settings=None) -> DataFrame        # department holding the case when chased
    case_flags(events, settings=None) -> DataFrame            # per-case toxic-dynamics flags
    toxic_dynamics(events, linked=None, ...) -> DataFrame     # named findings with evidence

Everything is vectorised on numpy arrays (one stable sort, then cumsum/bincount/reduceat); there are no
per-case Python loops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .config import ActivitySettings, IndicatorSettings, Thresholds
from .errors import AnalysisError, MissingColumnError
from .stats import nps_classes, nps_counts, nps_interval, wilson_interval, z_value

UNKNOWN = "unknown"
HOUR_NS = 3_600_000_000_000
REQUIRED = ("case_id", "timestamp", "activity", "department")
FLAG_COLUMNS = (
    "is_contact", "is_answer", "is_customer_request", "is_reopen", "is_self_service", "is_authorisation", "is_chaser",
)  # fmt: skip
PREPARED_COLUMNS = ("case_no", "event_position", "event_no", "visit_id", "visit_no", *FLAG_COLUMNS)
HANDOFF_BUCKETS = ("0", "1", "2", "3", "4", "5+")
OPEN, ANSWERED, WAITING = 1, 2, 3  # conversation states (see _Core.state_before)

# --------------------------------------------------------------------------------------------------
# the core: one stable sort, visit boundaries, activity flags — all as numpy arrays


def _codes(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(int codes with -1 for missing, unique values as strings)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        # categories may be unused (e.g. after filtering); keep them, codes stay valid
        return series.cat.codes.to_numpy(np.int64), np.asarray(
            series.cat.categories.astype(str), dtype=object
        )
    codes, uniques = pd.factorize(series)
    return codes.astype(np.int64), np.asarray(pd.Index(uniques).astype(str), dtype=object)


def _pattern_mask(names: np.ndarray, patterns: list[str]) -> np.ndarray:
    """Which of ``names`` match any of the case-insensitive regular expressions."""
    if not patterns or len(names) == 0:
        return np.zeros(len(names), dtype=bool)
    rx = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    return np.fromiter((bool(rx.search(str(n))) for n in names), dtype=bool, count=len(names))


def _group_quantiles(
    keys: np.ndarray, values: np.ndarray, n_groups: int, qs: tuple[float, ...]
) -> list[np.ndarray]:
    """Linear-interpolated quantiles of ``values`` per integer key (NaN for empty groups), one sort."""
    outs = [np.full(n_groups, np.nan) for _ in qs]
    if len(values) == 0:
        return outs
    order = np.lexsort((values, keys))
    v = values[order]
    counts = np.bincount(keys, minlength=n_groups)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    has = counts > 0
    for out, q in zip(outs, qs, strict=True):
        pos = starts[has] + q * (counts[has] - 1)
        lo = np.floor(pos).astype(np.int64)
        hi = np.ceil(pos).astype(np.int64)
        out[has] = v[lo] + (v[hi] - v[lo]) * (pos - lo)
    return outs


def _group_quantile(keys: np.ndarray, values: np.ndarray, n_groups: int, q: float) -> np.ndarray:
    return _group_quantiles(keys, values, n_groups, (q,))[0]


def _first_in_case(case: np.ndarray, x: np.ndarray, n_x: int) -> np.ndarray:
    """Mask of the first occurrence of each value of ``x`` within its case; ``case`` must be grouped
    (equal values contiguous). A stable sort on small integer codes is a radix sort: O(n), no hashing."""
    n = len(x)
    if n == 0:
        return np.zeros(0, dtype=bool)
    small = x.astype(np.int16) if n_x < 2**15 else x
    order = np.argsort(small, kind="stable")
    cs, xs = case[order], x[order]
    first = np.ones(n, dtype=bool)
    first[1:] = (xs[1:] != xs[:-1]) | (cs[1:] != cs[:-1])
    mask = np.empty(n, dtype=bool)
    mask[order] = first
    return mask


def _is_sorted(case_codes: np.ndarray, ts: np.ndarray) -> bool:
    """Events grouped by case (codes of first appearance, so non-decreasing) and in time order within."""
    if len(case_codes) < 2:
        return True
    dc = np.diff(case_codes)
    return bool(np.all((dc > 0) | ((dc == 0) & (ts[1:] >= ts[:-1]))))


@dataclass
class _Core:
    """The sorted log as arrays; visits and handoffs derived once."""

    frame: pd.DataFrame  # the input, unsorted
    settings: ActivitySettings
    order: np.ndarray  # sorted index -> input row
    case: np.ndarray  # case code per sorted event (codes in order of first appearance)
    case_ids: np.ndarray  # code -> case_id
    ts: np.ndarray  # int64 ns
    dept: np.ndarray  # dept code
    dept_names: np.ndarray
    case_start: np.ndarray  # sorted index of the first event of each case
    identity: bool = False  # the input was already sorted: order is 0..n-1

    @classmethod
    def build(cls, events: pd.DataFrame, settings: ActivitySettings | None) -> _Core:
        settings = settings or ActivitySettings()
        missing = [c for c in REQUIRED if c not in events.columns]
        if missing:
            raise MissingColumnError(
                "the canonical events columns " + ", ".join(REQUIRED),
                file="events",
                column=missing[0],
                found="no such column",
            )
        ts_all = events["timestamp"]
        if not pd.api.types.is_datetime64_any_dtype(ts_all):
            raise AnalysisError(
                "timestamps as datetime64", file="events", column="timestamp", found=str(ts_all.dtype)
            )
        if getattr(ts_all.dtype, "tz", None) is not None:
            ts_all = ts_all.dt.tz_localize(None)
        ts = ts_all.to_numpy("datetime64[ns]").view(np.int64)
        valid = ts != np.iinfo(np.int64).min  # NaT
        if "case_no" in events.columns:
            # output of prepare_events: integer case numbers, no need to factorize the ids again
            case_codes = events["case_no"].to_numpy(np.int64)
            case_ids = np.empty(int(case_codes.max()) + 1 if len(case_codes) else 0, dtype=object)
            # one id per case is enough (converting every row of a string column is the slow part)
            heads = (
                np.flatnonzero(np.r_[True, case_codes[1:] != case_codes[:-1]])
                if len(case_codes)
                else np.zeros(0, dtype=np.int64)
            )
            case_ids[case_codes[heads]] = events["case_id"].take(heads).to_numpy(dtype=object)
        else:
            case_codes, case_ids = _codes(events["case_id"])
        valid &= case_codes >= 0
        dept_codes, dept_names = _codes(events["department"])
        if (dept_codes < 0).any():
            unknown = np.flatnonzero(dept_names == UNKNOWN)
            if len(unknown):
                fill = unknown[0]
            else:
                fill = len(dept_names)
                dept_names = np.append(dept_names, UNKNOWN)
            dept_codes = np.where(dept_codes < 0, fill, dept_codes)
        n_all = len(events)
        if valid.all() and _is_sorted(case_codes, ts):
            # already in (case, time) order, e.g. prepare_events output: skip the sort and the copies
            order = np.arange(n_all)
            case, ts_sorted, dept_sorted = case_codes, ts, dept_codes
        else:
            rows = np.arange(n_all) if valid.all() else np.flatnonzero(valid)
            # lexsort is stable: ties on (case, timestamp) keep file order
            order = rows[np.lexsort((ts[rows], case_codes[rows]))]
            case, ts_sorted, dept_sorted = case_codes[order], ts[order], dept_codes[order]
        n = len(order)
        starts = np.flatnonzero(np.r_[True, case[1:] != case[:-1]]) if n else np.zeros(0, np.int64)
        return cls(
            frame=events,
            settings=settings,
            order=order,
            case=case,
            case_ids=case_ids,
            ts=ts_sorted,
            dept=dept_sorted,
            dept_names=dept_names,
            case_start=starts,
            identity=len(order) == n_all
            and (n_all == 0 or order[-1] == n_all - 1 and order[0] == 0 and case is case_codes),
        )

    def take(self, values: np.ndarray) -> np.ndarray:
        """Per-input-row values in sorted order."""
        return values if self.identity else values[self.order]

    # ---- shapes
    @property
    def n_events(self) -> int:
        return len(self.order)

    @property
    def n_cases(self) -> int:
        return len(self.case_start)

    @cached_property
    def case_rank(self) -> np.ndarray:
        """Per sorted event: 0-based index of its case among the cases present (dense)."""
        flag = np.zeros(self.n_events, dtype=np.int64)
        flag[self.case_start] = 1
        return np.cumsum(flag) - 1

    @cached_property
    def case_end(self) -> np.ndarray:
        return (np.r_[self.case_start[1:], self.n_events] - 1)[: self.n_cases]

    @cached_property
    def event_no(self) -> np.ndarray:
        return np.arange(self.n_events) - self.case_start[self.case_rank]

    # ---- visits
    @cached_property
    def visit_start(self) -> np.ndarray:
        vs = np.ones(self.n_events, dtype=bool)
        if self.n_events:
            vs[1:] = (self.case[1:] != self.case[:-1]) | (self.dept[1:] != self.dept[:-1])
        return vs

    @cached_property
    def visit_id(self) -> np.ndarray:
        return np.cumsum(self.visit_start) - 1

    @cached_property
    def v_first(self) -> np.ndarray:
        return np.flatnonzero(self.visit_start)

    @cached_property
    def v_last(self) -> np.ndarray:
        return (np.r_[self.v_first[1:], self.n_events] - 1)[: len(self.v_first)]

    @cached_property
    def v_case(self) -> np.ndarray:
        return self.case_rank[self.v_first]

    @cached_property
    def v_dept(self) -> np.ndarray:
        return self.dept[self.v_first]

    @cached_property
    def v_no(self) -> np.ndarray:
        """Visit number within its case (0-based)."""
        first_visit_of_case = self.visit_id[self.case_start]
        return np.arange(len(self.v_first)) - first_visit_of_case[self.v_case]

    @cached_property
    def v_events(self) -> np.ndarray:
        return self.v_last - self.v_first + 1

    @cached_property
    def v_touch_ns(self) -> np.ndarray:
        return self.ts[self.v_last] - self.ts[self.v_first]

    # ---- handoffs (visit j > 0 of its case: from visit j-1 to j)
    @cached_property
    def h_visit(self) -> np.ndarray:
        return np.flatnonzero(self.v_no > 0)

    @cached_property
    def h_from(self) -> np.ndarray:
        return self.v_dept[self.h_visit - 1]

    @cached_property
    def h_to(self) -> np.ndarray:
        return self.v_dept[self.h_visit]

    @cached_property
    def h_case(self) -> np.ndarray:
        return self.v_case[self.h_visit]

    @cached_property
    def h_wait_ns(self) -> np.ndarray:
        return self.ts[self.v_first[self.h_visit]] - self.ts[self.v_last[self.h_visit - 1]]

    @cached_property
    def h_pair(self) -> np.ndarray:
        return self.h_from * len(self.dept_names) + self.h_to

    @cached_property
    def h_bounced(self) -> np.ndarray:
        """The handoff A→B is followed straight away by a return to A (same case)."""
        j = self.h_visit
        nxt = j + 1
        ok = nxt < len(self.v_first)
        nxt_c = np.where(ok, nxt, 0)
        return ok & (self.v_case[nxt_c] == self.v_case[j]) & (self.v_dept[nxt_c] == self.v_dept[j - 1])

    @cached_property
    def v_ping_pong(self) -> np.ndarray:
        """Visit j returns to the department of visit j-2 of the same case."""
        out = np.zeros(len(self.v_first), dtype=bool)
        if len(out) > 2:
            out[2:] = (self.v_no[2:] >= 2) & (self.v_dept[2:] == self.v_dept[:-2])
        return out

    # ---- activity flags
    def _activity_flag(self, patterns: list[str]) -> np.ndarray:
        codes, names = self._activity_codes
        table = _pattern_mask(names, patterns)
        return np.where(codes >= 0, table[np.maximum(codes, 0)], False)

    @cached_property
    def _activity_codes(self) -> tuple[np.ndarray, np.ndarray]:
        codes, names = _codes(self.frame["activity"])
        return self.take(codes), names

    @cached_property
    def is_self_service(self) -> np.ndarray:
        return self._activity_flag(self.settings.self_service)

    @cached_property
    def is_authorisation(self) -> np.ndarray:
        return self._activity_flag(self.settings.authorisation)

    @cached_property
    def is_customer_request(self) -> np.ndarray:
        return self._activity_flag(self.settings.customer_request)

    @cached_property
    def is_answer(self) -> np.ndarray:
        # asking the customer for a form is not answering them, even if the name also looks like a reply
        return self._activity_flag(self.settings.answer) & ~self.is_customer_request

    @cached_property
    def is_reopen(self) -> np.ndarray:
        return self._activity_flag(self.settings.reopen)

    @cached_property
    def is_contact(self) -> np.ndarray:
        """Customer-initiated: the ``is_customer_contact`` column when given, else the activity patterns;
        activities named as chasers always count."""
        chaser_named = self.is_chaser_named
        col = self.frame.get("is_customer_contact")
        if col is not None and col.notna().any():
            given = self.take(col.fillna(False).to_numpy(dtype=bool))
            return given | chaser_named
        return self._activity_flag(self.settings.customer_contact) | chaser_named

    @cached_property
    def state_before(self) -> np.ndarray:
        """Where the conversation stands just before each event: OPEN (the customer waits on us),
        ANSWERED, or WAITING (we wait on the customer). An answer sets ANSWERED, a customer request sets
        WAITING, a reopen or a customer contact sets OPEN; a case starts OPEN."""
        n = self.n_events
        code = np.where(
            self.is_customer_request,
            WAITING,
            np.where(self.is_answer, ANSWERED, np.where(self.is_reopen | self.is_contact, OPEN, 0)),
        ).astype(np.int8)
        idx = np.where(code > 0, np.arange(n), -1)
        last = np.maximum.accumulate(idx) if n else idx
        prev = np.r_[-1, last[:-1]] if n else idx
        prev = np.where(prev >= self.case_start[self.case_rank], prev, -1) if n else prev
        return np.where(prev >= 0, code[np.maximum(prev, 0)], OPEN).astype(np.int8)

    @cached_property
    def is_chaser(self) -> np.ndarray:
        # an activity the client itself names a chaser counts whatever the state (a case can hold several
        # requests, e.g. a quote answered, then an order chased)
        open_contact = self.is_contact & (self.state_before == OPEN)
        # the first call after a self-service attempt switches channel (a tortuous flow), it does not
        # chase: the case is open with us only once a non-self-service event has happened
        n = self.n_events
        assisted = np.where(~self.is_self_service, np.arange(n), -1)
        prev = np.r_[-1, np.maximum.accumulate(assisted)[:-1]] if n else assisted
        opened = prev >= self.case_start[self.case_rank] if n else np.zeros(0, dtype=bool)
        return (open_contact | self.is_chaser_named) & (self.event_no > 0) & opened

    @cached_property
    def is_chaser_named(self) -> np.ndarray:
        return self._activity_flag(self.settings.chaser)

    # ---- per-case helpers
    def per_case_sum(self, values: np.ndarray, case_rank: np.ndarray) -> np.ndarray:
        return np.bincount(case_rank, weights=values, minlength=self.n_cases)

    def first_per_case(self, mask: np.ndarray) -> np.ndarray:
        """Sorted index of the first event of each case where ``mask`` holds (-1 = none)."""
        out = np.full(self.n_cases, -1, dtype=np.int64)
        idx = np.flatnonzero(mask)
        if len(idx):
            r = self.case_rank[idx]  # non-decreasing: the first of each run is the case's first hit
            first = np.r_[True, r[1:] != r[:-1]]
            out[r[first]] = idx[first]
        return out


def expand_by_case(
    key_case: np.ndarray, key_value: np.ndarray, resp_case: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Join responses to the (case, value) rows of their case. ``key_case`` must be sorted.

    Returns (response index, value) with one entry per response × matching row — a vectorised
    many-to-many join on integer case ranks.
    """
    starts = np.searchsorted(key_case, resp_case, side="left")
    lens = np.searchsorted(key_case, resp_case, side="right") - starts
    resp_idx = np.repeat(np.arange(len(resp_case)), lens)
    offs = np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens, lens)
    return resp_idx, key_value[np.repeat(starts, lens) + offs]


def _core(events: pd.DataFrame, settings: ActivitySettings | None) -> _Core:
    if not isinstance(events, pd.DataFrame):
        raise AnalysisError("an events DataFrame", found=type(events).__name__)
    return _Core.build(events, settings)


def _hours(ns: np.ndarray) -> np.ndarray:
    return np.asarray(ns, dtype=np.float64) / HOUR_NS


def _cat(codes: np.ndarray, names: np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(names.astype(str), dtype=object))


# --------------------------------------------------------------------------------------------------
# event, visit, handoff and case tables


def prepare_events(events: pd.DataFrame, settings: ActivitySettings | None = None) -> pd.DataFrame:
    """The events sorted by case and time (ties in file order) with visit ids and activity flags.

    Added columns: ``case_no`` (0-based case number in order of first appearance), ``event_position``
    (0-based row in the input), ``event_no`` (0-based within the case),
    ``visit_id`` (global), ``visit_no`` (0-based within the case) and the flags ``is_contact``,
    ``is_answer``, ``is_reopen``, ``is_self_service``, ``is_authorisation``, ``is_chaser``. A missing
    department becomes ``"unknown"``; rows without a timestamp or case id are left out.
    """
    core = _core(events, settings)
    out = events.take(core.order).reset_index(drop=True)
    out["department"] = _cat(core.dept, core.dept_names)
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
    core = _core(events, settings)
    wait = np.full(len(core.v_first), np.nan)
    wait[core.h_visit] = _hours(core.h_wait_ns)
    return pd.DataFrame(
        {
            "case_id": core.case_ids[core.case[core.v_first]],
            "visit_no": core.v_no,
            "department": _cat(core.v_dept, core.dept_names),
            "start": pd.to_datetime(core.ts[core.v_first]),
            "end": pd.to_datetime(core.ts[core.v_last]),
            "events": core.v_events,
            "touch_hours": _hours(core.v_touch_ns),
            "wait_before_hours": wait,
            "ping_pong": core.v_ping_pong,
        }
    )


def handoffs(events: pd.DataFrame, settings: ActivitySettings | None = None) -> pd.DataFrame:
    """One row per handoff: case_id, handoff_no (1-based), from_department, to_department, left_at,
    arrived_at, wait_hours, bounced (the next visit returns to ``from_department``)."""
    core = _core(events, settings)
    j = core.h_visit
    return pd.DataFrame(
        {
            "case_id": core.case_ids[core.case[core.v_first[j]]],
            "handoff_no": core.v_no[j],
            "from_department": _cat(core.h_from, core.dept_names),
            "to_department": _cat(core.h_to, core.dept_names),
            "left_at": pd.to_datetime(core.ts[core.v_last[j - 1]]),
            "arrived_at": pd.to_datetime(core.ts[core.v_first[j]]),
            "wait_hours": _hours(core.h_wait_ns),
            "bounced": core.h_bounced,
        }
    )


def _first_value(core: _Core, column: str, prefer: np.ndarray | None = None) -> np.ndarray | None:
    """Per case, the first non-missing value of an optional column (None when the column is absent);
    with ``prefer``, the first among the preferred events when a case has one."""
    col = core.frame.get(column)
    if col is None:
        return None
    codes, names = _codes(col)
    codes = core.take(codes)
    first = core.first_per_case(codes >= 0)
    if prefer is not None:
        preferred = core.first_per_case((codes >= 0) & prefer)
        first = np.where(preferred >= 0, preferred, first)
    out = np.full(core.n_cases, None, dtype=object)
    ok = first >= 0
    out[ok] = names[codes[first[ok]]]
    return out


def case_metrics(events: pd.DataFrame, settings: ActivitySettings | None = None) -> pd.DataFrame:
    """One row per case, in order of first appearance in the file.

    Columns: case_id, customer_id, first_channel (channel of the customer's first contact; else of the
    first event that has a channel), start, end,
    events, visits, handoffs, departments (breadth), ping_pongs, rework, chasers, contacts,
    first_response_hours (start → first answer; NaN if never answered), lead_time_hours, touch_hours,
    wait_hours (touch + wait = lead time), first_department, last_department.
    """
    core = _core(events, settings)
    n = core.n_cases
    visits_n = np.bincount(core.v_case, minlength=n)
    k = len(core.dept_names)
    breadth = np.bincount(core.v_case[_first_in_case(core.v_case, core.v_dept, k)], minlength=n)
    start = core.ts[core.case_start] if n else np.zeros(0, np.int64)
    end = core.ts[core.case_end] if n else np.zeros(0, np.int64)
    first_answer = core.first_per_case(core.is_answer)
    first_resp = np.where(first_answer >= 0, core.ts[np.maximum(first_answer, 0)] - start, np.nan)
    chasers = np.bincount(core.case_rank[core.is_chaser], minlength=n)
    contacts = np.bincount(core.case_rank[core.is_contact], minlength=n)
    data: dict[str, object] = {"case_id": pd.array(core.case_ids[core.case[core.case_start]], dtype="str")}
    customer = _first_value(core, "customer_id")
    if customer is not None:
        data["customer_id"] = pd.array(customer, dtype="str")
    channel = _first_value(core, "channel", prefer=core.is_contact)
    if channel is not None:
        data["first_channel"] = pd.Categorical(channel)
    data.update(
        {
            "start": pd.to_datetime(start),
            "end": pd.to_datetime(end),
            "events": np.diff(np.r_[core.case_start, core.n_events]),
            "visits": visits_n,
            "handoffs": visits_n - 1,
            "departments": breadth,
            "ping_pongs": np.bincount(core.v_case[core.v_ping_pong], minlength=n),
            "rework": visits_n - breadth,
            "chasers": chasers,
            "contacts": contacts,
            "first_response_hours": np.asarray(first_resp, dtype=float) / HOUR_NS,
            "lead_time_hours": _hours(end - start),
            "touch_hours": core.per_case_sum(_hours(core.v_touch_ns), core.v_case),
            "wait_hours": core.per_case_sum(_hours(core.h_wait_ns), core.h_case),
            "first_department": _cat(core.dept[core.case_start], core.dept_names),
            "last_department": _cat(core.dept[core.case_end], core.dept_names),
        }
    )
    return pd.DataFrame(data)


def handoff_matrix(events: pd.DataFrame, settings: ActivitySettings | None = None) -> pd.DataFrame:
    """One row per (from, to) department pair that occurs, sorted by count (desc).

    Columns: from_department, to_department, count, cases, share_of_cases (cases with at least one such
    handoff / all cases), median_wait_h, p90_wait_h, mean_wait_h, total_wait_h, ping_pong_rate (share of
    these handoffs that bounce straight back), share_of_handoffs.
    """
    core = _core(events, settings)
    k = len(core.dept_names)
    n_pairs = k * k
    pair = core.h_pair
    wait_h = _hours(core.h_wait_ns)
    count = np.bincount(pair, minlength=n_pairs)
    cases = np.bincount(pair[_first_in_case(core.h_case, pair, n_pairs)], minlength=n_pairs)
    total = np.bincount(pair, weights=wait_h, minlength=n_pairs)
    bounced = np.bincount(pair, weights=core.h_bounced.astype(float), minlength=n_pairs)
    med, p90 = _group_quantiles(pair, wait_h, n_pairs, (0.5, 0.9))
    present = np.flatnonzero(count)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = pd.DataFrame(
            {
                "from_department": _cat(present // k, core.dept_names),
                "to_department": _cat(present % k, core.dept_names),
                "count": count[present],
                "cases": cases[present],
                "share_of_cases": cases[present] / max(core.n_cases, 1),
                "median_wait_h": med[present],
                "p90_wait_h": p90[present],
                "mean_wait_h": total[present] / count[present],
                "total_wait_h": total[present],
                "ping_pong_rate": bounced[present] / count[present],
                "share_of_handoffs": count[present] / max(len(pair), 1),
            }
        )
    return out.sort_values(["count", "total_wait_h"], ascending=False, kind="stable").reset_index(drop=True)


def ping_pong_pairs(events: pd.DataFrame, settings: ActivitySettings | None = None) -> pd.DataFrame:
    """Department pairs that bounce work between them (A→B→A or B→A→B), undirected, worst first.

    Columns: department_a, department_b (alphabetical), ping_pongs (returns counted at the return visit),
    cases_crossing (cases with a handoff between them in either direction), cases_bouncing (at least one
    ping-pong between them), cases_repeated (two or more: A→B→A→B), bounce_rate (= cases_bouncing /
    cases_crossing), repeat_rate, share_of_cases (cases_bouncing / all cases), wait_h_in_bounces (waiting
    time of the handoffs that were followed by a bounce back). Sorted by ping_pongs.
    """
    core = _core(events, settings)
    k = len(core.dept_names)
    cols = [
        "department_a", "department_b", "ping_pongs", "cases_crossing", "cases_bouncing", "cases_repeated",
        "bounce_rate", "repeat_rate", "share_of_cases", "wait_h_in_bounces",
    ]  # fmt: skip
    if len(core.h_visit) == 0:
        return pd.DataFrame(columns=cols)
    lo, hi = np.minimum(core.h_from, core.h_to), np.maximum(core.h_from, core.h_to)
    upair = lo.astype(np.int64) * k + hi
    n_pairs = k * k
    crossing = np.bincount(upair[_first_in_case(core.h_case, upair, n_pairs)], minlength=n_pairs)
    # a ping-pong at visit j is the bounce of the handoff into visit j-1 (h_visit == j-1)
    b = core.h_bounced
    pp_case, pp_pair = core.h_case[b], upair[b]
    ping = np.bincount(pp_pair, minlength=n_pairs)
    per_case_pair, counts = np.unique(pp_case.astype(np.int64) * n_pairs + pp_pair, return_counts=True)
    bouncing = np.bincount(per_case_pair % n_pairs, minlength=n_pairs)
    repeated = np.bincount(per_case_pair[counts >= 2] % n_pairs, minlength=n_pairs)
    wait = np.bincount(pp_pair, weights=_hours(core.h_wait_ns[b]), minlength=n_pairs)
    present = np.flatnonzero(ping)
    out = pd.DataFrame(
        {
            "department_a": core.dept_names[present // k].astype(str),
            "department_b": core.dept_names[present % k].astype(str),
            "ping_pongs": ping[present],
            "cases_crossing": crossing[present],
            "cases_bouncing": bouncing[present],
            "cases_repeated": repeated[present],
            "bounce_rate": bouncing[present] / crossing[present],
            "repeat_rate": repeated[present] / crossing[present],
            "share_of_cases": bouncing[present] / max(core.n_cases, 1),
            "wait_h_in_bounces": wait[present],
        }
    )
    # alphabetical order inside the pair, for stable labels like "Credit ↔ Customer Service"
    swap = out["department_a"] > out["department_b"]
    out.loc[swap, ["department_a", "department_b"]] = out.loc[
        swap, ["department_b", "department_a"]
    ].to_numpy()
    return out.sort_values(["ping_pongs", "cases_repeated"], ascending=False, kind="stable").reset_index(
        drop=True
    )[cols]


def flow_steps(
    events: pd.DataFrame, max_steps: int = 6, settings: ActivitySettings | None = None, end_label: str = "end"
) -> pd.DataFrame:
    """Transitions between consecutive visits step by step, for a Sankey-like flow chart.

    One row per (step, from, to): step 0 is the move from the first to the second visit. Cases that stop
    are sent to ``end_label`` so every column of the flow adds up to the cases still open. Only the first
    ``max_steps`` steps are kept. Columns: step, from_department, to_department, cases, share.
    """
    core = _core(events, settings)
    n_v = len(core.v_first)
    if n_v == 0:
        return pd.DataFrame(columns=["step", "from_department", "to_department", "cases", "share"])
    names = np.append(core.dept_names, end_label)
    end_code = len(names) - 1
    nxt_same = np.zeros(n_v, dtype=bool)
    nxt_same[:-1] = core.v_case[1:] == core.v_case[:-1]
    to = np.full(n_v, end_code)
    to[:-1] = np.where(nxt_same[:-1], core.v_dept[1:], end_code)
    keep = core.v_no < max_steps
    # a case whose last visit is the very first has no transition worth drawing beyond "end"
    step, frm, to = core.v_no[keep], core.v_dept[keep], to[keep]
    k = len(names)
    key = (step.astype(np.int64) * k + frm) * k + to
    counts = np.bincount(key, minlength=max_steps * k * k)  # small key space: no sort needed
    uniq = np.flatnonzero(counts)
    counts = counts[uniq]
    out = pd.DataFrame(
        {
            "step": (uniq // (k * k)).astype(int),
            "from_department": names[(uniq // k) % k].astype(str),
            "to_department": names[uniq % k].astype(str),
            "cases": counts,
        }
    )
    out["share"] = out["cases"] / core.n_cases
    return out.sort_values(["step", "cases"], ascending=[True, False], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# satisfaction


def link_satisfaction(
    cases: pd.DataFrame, responses: pd.DataFrame, settings: ActivitySettings | None = None
) -> pd.DataFrame:
    """Join survey responses to cases (output of :func:`case_metrics`).

    A response with a ``case_id`` that exists is linked by it (``link = "case_id"``). Otherwise a *hot*
    response (or any response when the table has no ``survey`` column) is linked to the customer's latest
    case that started before the answer and ended at most ``settings.case_window_days`` before it
    (``link = "customer_window"``). Cold (relational) responses are not about a case and are linked only
    by case_id. Unlinked responses are left out. One row per linked response: the response columns plus
    every case column (case ``start``/``end`` are renamed ``case_start``/``case_end``).
    """
    settings = settings or ActivitySettings()
    if "answered_at" not in responses.columns:
        raise MissingColumnError(
            "answered_at", file="survey_responses", column="answered_at", found="no such column"
        )
    case_cols = cases.rename(columns={"start": "case_start", "end": "case_end"})
    resp = responses.copy()
    for col in ("case_id", "customer_id"):
        if col not in resp.columns:
            resp[col] = pd.Series(pd.NA, index=resp.index, dtype="str")
    resp = resp.rename(columns={"customer_id": "response_customer_id"})
    resp["_row"] = np.arange(len(resp))
    resp["case_id"] = resp["case_id"].astype("str")
    known = resp["case_id"].isin(case_cols["case_id"].astype("str"))
    by_case = resp[known].merge(
        case_cols.assign(case_id=case_cols["case_id"].astype("str")), on="case_id", how="left"
    )
    by_case["link"] = "case_id"
    parts = [by_case]
    rest = resp[~known & resp["response_customer_id"].notna()]
    if "survey" in rest.columns:
        rest = rest[rest["survey"].astype("str") == "hot"]
    if len(rest) and "customer_id" in case_cols.columns:
        left = rest.drop(columns="case_id").sort_values("answered_at", kind="stable")
        left["_cust"] = left["response_customer_id"].astype("str")
        left = left[left["answered_at"].notna()]
        right = case_cols[case_cols["customer_id"].notna()].copy()
        right["_cust"] = right["customer_id"].astype("str")
        right = right.sort_values("case_start", kind="stable")
        left["answered_at"] = left["answered_at"].astype("datetime64[ns]")
        right["case_start"] = right["case_start"].astype("datetime64[ns]")
        m = pd.merge_asof(
            left, right, left_on="answered_at", right_on="case_start", by="_cust", direction="backward"
        )
        window = pd.Timedelta(days=settings.case_window_days)
        ok = m["case_id"].notna() & (m["answered_at"] <= m["case_end"] + window)
        m = m[ok].drop(columns="_cust")
        m["link"] = "customer_window"
        parts.append(m)
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else by_case
    out = out.sort_values("_row", kind="stable").drop(columns="_row").reset_index(drop=True)
    if "customer_id" in out.columns:
        out["customer_id"] = out["customer_id"].fillna(out["response_customer_id"])
        out = out.drop(columns="response_customer_id")
    else:
        out = out.rename(columns={"response_customer_id": "customer_id"})
    return out


def _nps_parts(scores: pd.Series, indicators: IndicatorSettings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(answered, promoter, detractor) masks under the client's NPS thresholds."""
    return nps_classes(scores, indicators.nps_promoter_min, indicators.nps_detractor_max)


def _score_table(
    keys: np.ndarray,
    n_groups: int,
    linked: pd.DataFrame,
    indicators: IndicatorSettings,
    thresholds: Thresholds,
) -> dict[str, np.ndarray]:
    """NPS and CSAT (top-2-box and mean) with intervals per integer group key."""
    out: dict[str, np.ndarray] = {}
    conf = thresholds.confidence
    if "nps" in linked.columns:
        n, p, d = nps_counts(
            keys, n_groups, linked["nps"], indicators.nps_promoter_min, indicators.nps_detractor_max
        )
        nps, se, lo, hi = nps_interval(p, d, n, conf)
        out.update(
            n_nps=n,
            promoters=p,
            detractors=d,
            nps=nps,
            nps_se=se,
            nps_low=lo,
            nps_high=hi,
            small_n=n < thresholds.small_n,
        )
    if "csat" in linked.columns:
        c = pd.to_numeric(linked["csat"], errors="coerce").to_numpy(dtype=float)
        valid = ~np.isnan(c)
        n = np.bincount(keys[valid], minlength=n_groups)
        top = np.bincount(keys[valid & (c >= 4)], minlength=n_groups)
        total = np.bincount(keys[valid], weights=c[valid], minlength=n_groups)
        lo, hi = wilson_interval(top, n, conf)
        with np.errstate(invalid="ignore", divide="ignore"):
            out.update(n_csat=n, csat_top2=top / n, csat_low=lo, csat_high=hi, csat_mean=total / n)
    return out


def _bucket(handoffs_n: np.ndarray) -> np.ndarray:
    return np.minimum(np.maximum(handoffs_n, 0), len(HANDOFF_BUCKETS) - 1).astype(np.int64)


def satisfaction_by_handoffs(
    linked: pd.DataFrame,
    indicators: IndicatorSettings | None = None,
    thresholds: Thresholds | None = None,
    by: str = "handoffs",
) -> pd.DataFrame:
    """NPS and CSAT of linked responses by bucket of ``by`` (handoffs, ping_pongs, departments, chasers…):
    0, 1, 2, 3, 4, 5+. Columns: bucket, n_nps, promoters, detractors, nps, nps_se, nps_low, nps_high,
    small_n, n_csat, csat_top2, csat_low, csat_high, csat_mean (the score columns present in ``linked``)."""
    indicators, thresholds = indicators or IndicatorSettings(), thresholds or Thresholds()
    if by not in linked.columns:
        raise MissingColumnError(
            f"a '{by}' column from case_metrics", file="linked responses", column=by, found="no such column"
        )
    keys = _bucket(pd.to_numeric(linked[by], errors="coerce").fillna(0).to_numpy(np.int64))
    table = _score_table(keys, len(HANDOFF_BUCKETS), linked, indicators, thresholds)
    out = pd.DataFrame(
        {"bucket": pd.Categorical(HANDOFF_BUCKETS, categories=HANDOFF_BUCKETS, ordered=True), **table}
    )
    out.insert(1, "cases", np.bincount(keys, minlength=len(HANDOFF_BUCKETS)))
    return out[out["cases"] > 0].reset_index(drop=True)


def satisfaction_by_pair(
    linked: pd.DataFrame,
    events: pd.DataFrame,
    settings: ActivitySettings | None = None,
    indicators: IndicatorSettings | None = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """For each handoff pair: NPS of responses whose case had that handoff vs those whose case did not.

    Columns: from_department, to_department, n_with, nps_with, nps_with_low, nps_with_high, n_without,
    nps_without, nps_gap (without − with: points lost), gap_low, gap_high, significant, share_with (of
    linked NPS responses), nps_points_lost (= gap × share_with: how many points of the overall NPS the pair
    costs — the overall NPS would be that much higher if these cases scored like the others). Sorted by
    nps_points_lost (desc).
    """
    settings, indicators = settings or ActivitySettings(), indicators or IndicatorSettings()
    thresholds = thresholds or Thresholds()
    core = _core(events, settings)
    k = len(core.dept_names)
    n_pairs = k * k
    valid, prom, det = (
        _nps_parts(linked["nps"], indicators) if "nps" in linked.columns else (None, None, None)
    )
    cols = [
        "from_department", "to_department", "n_with", "nps_with", "nps_with_low", "nps_with_high", "n_without",
        "nps_without", "nps_gap", "gap_low", "gap_high", "significant", "share_with", "nps_points_lost",
    ]  # fmt: skip
    if valid is None or not valid.any():
        return pd.DataFrame(columns=cols)
    # case rank of each response's case
    case_index = pd.Index(core.case_ids[core.case[core.case_start]].astype(str))
    rank = case_index.get_indexer(linked["case_id"].astype(str))
    ok = valid & (rank >= 0)
    r_rank, r_prom, r_det = rank[ok], prom[ok], det[ok]
    n_all, p_all, d_all = ok.sum(), r_prom.sum(), r_det.sum()
    # unique (case, pair), then responses × pairs of their case via a sorted join
    first = _first_in_case(core.h_case, core.h_pair, n_pairs)
    cp_case, cp_pair = core.h_case[first], core.h_pair[first]  # sorted by case
    resp_idx, pair_of = expand_by_case(cp_case, cp_pair, r_rank)
    n_w = np.bincount(pair_of, minlength=n_pairs)
    p_w = np.bincount(pair_of, weights=r_prom[resp_idx].astype(float), minlength=n_pairs)
    d_w = np.bincount(pair_of, weights=r_det[resp_idx].astype(float), minlength=n_pairs)
    present = np.flatnonzero(n_w)
    n_w, p_w, d_w = n_w[present], p_w[present], d_w[present]
    n_o, p_o, d_o = n_all - n_w, p_all - p_w, d_all - d_w
    conf = thresholds.confidence
    nps_w, se_w, lo_w, hi_w = nps_interval(p_w, d_w, n_w, conf)
    nps_o, se_o, _, _ = nps_interval(p_o, d_o, n_o, conf)
    gap = nps_o - nps_w
    se_gap = np.sqrt(se_w**2 + se_o**2)
    z = z_value(conf)
    share = n_w / max(n_all, 1)
    out = pd.DataFrame(
        {
            "from_department": _cat(present // k, core.dept_names),
            "to_department": _cat(present % k, core.dept_names),
            "n_with": n_w,
            "nps_with": nps_w,
            "nps_with_low": lo_w,
            "nps_with_high": hi_w,
            "n_without": n_o,
            "nps_without": nps_o,
            "nps_gap": gap,
            "gap_low": gap - z * se_gap,
            "gap_high": gap + z * se_gap,
            "significant": (gap - z * se_gap > 0) | (gap + z * se_gap < 0),
            "share_with": share,
            "nps_points_lost": gap * share,
        }
    )
    return out.sort_values("nps_points_lost", ascending=False, kind="stable", na_position="last").reset_index(
        drop=True
    )


def nps_per_extra_handoff(
    linked: pd.DataFrame,
    indicators: IndicatorSettings | None = None,
    thresholds: Thresholds | None = None,
    by: str = "handoffs",
) -> pd.DataFrame:
    """How many points each extra handoff costs, as a straight line through the responses.

    Each NPS answer is scored +100 (promoter), 0 (passive) or −100 (detractor), so the mean of the scores
    *is* the NPS and the least-squares slope on ``by`` is "NPS points per extra handoff"; its interval
    uses heteroskedasticity-robust (HC1) standard errors because the score takes three values only. The
    same for CSAT top-2-box in percentage points. One row per metric: metric, slope, slope_low, slope_high,
    p_value, intercept, n, mean_x, plus the plain bucket comparison ``first_bucket``/``last_bucket``
    (score at the fewest vs the most handoffs, 5+ pooled) so the slope can be told in words.
    """
    from scipy.stats import norm

    indicators, thresholds = indicators or IndicatorSettings(), thresholds or Thresholds()
    rows = []
    x_all = (
        pd.to_numeric(linked.get(by), errors="coerce").to_numpy(dtype=float) if by in linked.columns else None
    )
    if x_all is None:
        raise MissingColumnError(
            f"a '{by}' column from case_metrics", file="linked responses", column=by, found="no such column"
        )
    metrics = []
    if "nps" in linked.columns:
        valid, prom, det = _nps_parts(linked["nps"], indicators)
        metrics.append(("nps", valid, np.where(prom, 100.0, np.where(det, -100.0, 0.0))))
    if "csat" in linked.columns:
        c = pd.to_numeric(linked["csat"], errors="coerce").to_numpy(dtype=float)
        metrics.append(("csat_top2", ~np.isnan(c), np.where(c >= 4, 100.0, 0.0)))
    z = z_value(thresholds.confidence)
    for name, valid, y_all in metrics:
        ok = valid & ~np.isnan(x_all)
        x, y = x_all[ok], y_all[ok]
        n = len(x)
        row = {"metric": name, "n": n, "mean_x": x.mean() if n else np.nan}
        if n >= 3 and x.var() > 0:
            xc = x - x.mean()
            slope = (xc * (y - y.mean())).sum() / (xc**2).sum()
            intercept = y.mean() - slope * x.mean()
            resid = y - intercept - slope * x
            se = np.sqrt((xc**2 * resid**2).sum() * n / (n - 2)) / (xc**2).sum()
            p = 2 * norm.sf(abs(slope / se)) if se > 0 else 0.0
            row.update(
                slope=slope,
                slope_low=slope - z * se,
                slope_high=slope + z * se,
                p_value=p,
                intercept=intercept,
            )
        else:
            row.update(slope=np.nan, slope_low=np.nan, slope_high=np.nan, p_value=np.nan, intercept=np.nan)
        b = _bucket(x.astype(np.int64)) if n else np.zeros(0, np.int64)
        if n:
            present = np.unique(b)
            row["first_bucket"] = HANDOFF_BUCKETS[present[0]]
            row["first_bucket_score"] = y[b == present[0]].mean()
            row["last_bucket"] = HANDOFF_BUCKETS[present[-1]]
            row["last_bucket_score"] = y[b == present[-1]].mean()
        rows.append(row)
    cols = [
        "metric", "slope", "slope_low", "slope_high", "p_value", "intercept", "n", "mean_x",
        "first_bucket", "first_bucket_score", "last_bucket", "last_bucket_score",
    ]  # fmt: skip
    return pd.DataFrame(rows).reindex(columns=cols)


def worst_handoffs(
    matrix: pd.DataFrame, pair_satisfaction: pd.DataFrame | None = None, top: int = 5
) -> pd.DataFrame:
    """The worst handoffs, ranked twice: by total waiting time (``ranking = "waiting_time"``) and, when
    :func:`satisfaction_by_pair` output is given, by NPS points lost (``ranking = "satisfaction"``).

    Columns: ranking, rank (1 = worst), from_department, to_department, value (hours or points), count,
    cases, median_wait_h, p90_wait_h, ping_pong_rate, total_wait_h, nps_gap, nps_points_lost, significant.
    """
    base = matrix.copy()
    for c in ("from_department", "to_department"):
        base[c] = base[c].astype(str)
    if pair_satisfaction is not None and len(pair_satisfaction):
        sat = pair_satisfaction[
            ["from_department", "to_department", "nps_gap", "nps_points_lost", "significant"]
        ].copy()
        for c in ("from_department", "to_department"):
            sat[c] = sat[c].astype(str)
        base = base.merge(sat, on=["from_department", "to_department"], how="left")
    else:
        base = base.assign(nps_gap=np.nan, nps_points_lost=np.nan, significant=pd.NA)
    parts = []
    by_wait = base.sort_values("total_wait_h", ascending=False, kind="stable").head(top)
    parts.append(by_wait.assign(ranking="waiting_time", value=by_wait["total_wait_h"]))
    if pair_satisfaction is not None and len(pair_satisfaction):
        # ties (two directions of one bounce share the same cases) go to the pair with more waiting time
        lost = base[base["nps_points_lost"] > 0].sort_values(
            ["nps_points_lost", "total_wait_h"], ascending=False, kind="stable"
        )
        lost = lost.head(top)
        parts.append(lost.assign(ranking="satisfaction", value=lost["nps_points_lost"]))
    out = pd.concat(parts, ignore_index=True)
    out["rank"] = out.groupby("ranking", sort=False).cumcount() + 1
    cols = [
        "ranking", "rank", "from_department", "to_department", "value", "count", "cases", "median_wait_h",
        "p90_wait_h", "ping_pong_rate", "total_wait_h", "nps_gap", "nps_points_lost", "significant",
    ]  # fmt: skip
    return out[cols]


# --------------------------------------------------------------------------------------------------
# toxic dynamics

TOXIC_FINDINGS = ("tortuous_flow", "slow_internal_communication", "contradictory_answers")


def _case_flags(core: _Core) -> pd.DataFrame:
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
    auth_wait_h = np.where(auth_first < big, _hours(end_ts - auth_ts), np.nan)
    slow = (auth_first < big) & (chasers_waiting > 0)

    # (3) contradictory answers: answers from several agents (or departments) and a reopen / repeat contact
    ans_idx = np.flatnonzero(core.is_answer)
    who = None
    if "agent" in core.frame.columns:
        codes, _ = _codes(core.frame["agent"])
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


def _top_department(core: _Core, masks: list[np.ndarray]) -> str | None:
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
    core = _core(events, settings)
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
    first = _first_in_case(core.case_rank[ch], holder[ch], k)
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
    return _case_flags(_core(events, settings))


def toxic_dynamics(
    events: pd.DataFrame,
    linked: pd.DataFrame | None = None,
    settings: ActivitySettings | None = None,
    indicators: IndicatorSettings | None = None,
    thresholds: Thresholds | None = None,
    examples: int = 5,
) -> pd.DataFrame:
    """The three named toxic dynamics as findings with evidence, worst first.

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
    core = _core(events, settings)
    flags = _case_flags(core)
    metrics = case_metrics(events, settings) if core.n_cases else None
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
        valid, prom, det = _nps_parts(linked["nps"], indicators)
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
