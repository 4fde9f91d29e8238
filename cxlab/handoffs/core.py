"""The core of the handoff analysis: one stable sort of the events by case and time, visit
boundaries, activity flags and the conversation state, all as numpy arrays (:class:`EventCore`), plus the
small vectorised helpers the topic modules share (group quantiles, first hit per case, a many-to-many
join on case ranks)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ..config import ActivitySettings
from ..errors import AnalysisError, MissingColumnError
from ..intake.dst import hour_offsets
from ..schema import TIMEZONE_ATTR

UNKNOWN = "unknown"
HOUR_NS = 3_600_000_000_000
REQUIRED = ("case_id", "timestamp", "activity", "department")
FLAG_COLUMNS = (
    "is_contact", "is_answer", "is_customer_request", "is_reopen", "is_self_service", "is_authorisation", "is_chaser",
)  # fmt: skip
PREPARED_COLUMNS = ("case_no", "event_position", "event_no", "visit_id", "visit_no", *FLAG_COLUMNS)
HANDOFF_BUCKETS = ("0", "1", "2", "3", "4", "5+")
OPEN, ANSWERED, WAITING = 1, 2, 3  # conversation states (see EventCore.state_before)
INTERNAL, CUSTOMER, THIRD_PARTY = 0, 1, 2  # what the time after an event waits on (EventCore.wait_class)

# --------------------------------------------------------------------------------------------------
# the core: one stable sort, visit boundaries, activity flags — all as numpy arrays


def category_codes(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(int codes with -1 for missing, unique values as strings)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        # categories may be unused (e.g. after filtering); keep them, codes stay valid
        return series.cat.codes.to_numpy(np.int64), np.asarray(
            series.cat.categories.astype(str), dtype=object
        )
    codes, uniques = pd.factorize(series)
    return codes.astype(np.int64), np.asarray(pd.Index(uniques).astype(str), dtype=object)


def pattern_mask(names: np.ndarray, patterns: list[str]) -> np.ndarray:
    """Which of ``names`` match any of the case-insensitive regular expressions."""
    if not patterns or len(names) == 0:
        return np.zeros(len(names), dtype=bool)
    rx = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    return np.fromiter((bool(rx.search(str(n))) for n in names), dtype=bool, count=len(names))


def group_quantiles(
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


def group_quantile(keys: np.ndarray, values: np.ndarray, n_groups: int, q: float) -> np.ndarray:
    return group_quantiles(keys, values, n_groups, (q,))[0]


def first_in_case(case: np.ndarray, x: np.ndarray, n_x: int) -> np.ndarray:
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


NAT = np.iinfo(np.int64).min


def utc_offsets(local_ns: np.ndarray, zone: str) -> np.ndarray:
    """Per naive local timestamp (int64 ns, NaT allowed), its offset from UTC in ns in time zone ``zone``.

    The offsets are looked up per local hour (one pandas localisation of the hours the data spans, not of
    every event): the repeated hour when clocks go back is read as summer time, a time in the hour skipped
    in spring as after the change (:func:`after_the_change` reads the repeated hour by the order column)."""
    return hour_offsets(local_ns, zone)[0]


def after_the_change(
    case_codes: np.ndarray, local_ns: np.ndarray, first: np.ndarray, second: np.ndarray, seq: np.ndarray
) -> np.ndarray:
    """Which events in the hour repeated when clocks go back are its second occurrence (after the change),
    as the order column says: per case, in the order of ``seq``, an event of the repeated hour that would
    be earlier than an event before it in that order (read as summer time) is read as winter time. Each
    event takes the earliest reading that keeps the case's events in their order; without such evidence the
    first occurrence stays. ``first``/``second``: the offsets of both readings (:func:`hour_offsets`)."""
    later = np.zeros(len(local_ns), dtype=bool)
    repeated = (first != second) & (case_codes >= 0)
    if not repeated.any():
        return later
    rows = np.flatnonzero(np.isin(case_codes, np.unique(case_codes[repeated])) & (local_ns != NAT))
    with np.errstate(invalid="ignore"):
        order = rows[np.lexsort((rows, local_ns[rows], seq[rows], case_codes[rows]))]
    case_prev, latest = -1, np.iinfo(np.int64).min
    for i in order.tolist():  # only the cases with an event in the repeated hour: a few a year
        if case_codes[i] != case_prev:
            case_prev, latest = case_codes[i], np.iinfo(np.int64).min
        instant = local_ns[i] - first[i]
        if repeated[i] and instant < latest:
            instant = local_ns[i] - second[i]
            later[i] = True
        latest = max(latest, instant)
    return later


def _is_sorted(case_codes: np.ndarray, ts: np.ndarray, seq: np.ndarray | None = None) -> bool:
    """Events grouped by case (codes of first appearance, so non-decreasing) and in time order within
    (and, with an order column, in its order within a timestamp tie)."""
    if len(case_codes) < 2:
        return True
    dc = np.diff(case_codes)
    dt = np.diff(ts)
    if seq is None:
        return bool(np.all((dc > 0) | ((dc == 0) & (dt >= 0))))
    with np.errstate(invalid="ignore"):
        in_tie = ~(seq[1:] < seq[:-1])  # NaN sorts last, as lexsort puts it
    return bool(np.all((dc > 0) | ((dc == 0) & ((dt > 0) | ((dt == 0) & in_tie)))))


#: the order of lifecycle transitions at one instant (XES lifecycle:transition), when there is no sequence:
#: what ends comes before what begins (a task completes, then the next one, maybe elsewhere, starts); the
#: start and complete of one zero-length task are in one department, so their order moves no handoff
LIFECYCLE_ORDER = {
    "complete": 0, "autoskip": 0, "manualskip": 0, "ate_abort": 0, "pi_abort": 0, "withdraw": 0,
    "suspend": 1, "schedule": 2, "assign": 3, "reassign": 3, "start": 4, "resume": 5,
}  # fmt: skip


def order_values(events: pd.DataFrame) -> np.ndarray | None:
    """The order within a timestamp tie as float64 (NaN = none): the ``sequence`` column, else the
    ``lifecycle`` transition (start before complete, :data:`LIFECYCLE_ORDER`); None when there is neither."""
    col = events.get("sequence")
    if col is not None:
        values = pd.to_numeric(col, errors="coerce").to_numpy(np.float64, na_value=np.nan)
        if not np.isnan(values).all():
            return values
    life = events.get("lifecycle")
    if life is None:
        return None
    codes, names = category_codes(life)
    table = np.array([LIFECYCLE_ORDER.get(str(n).strip().lower(), np.nan) for n in names] + [np.nan])
    values = table[codes]  # code -1 (blank) picks the trailing NaN
    return None if np.isnan(values).all() else values


def _attribute_blanks(
    dept: np.ndarray, blank: np.ndarray, starts: np.ndarray, names: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted department codes with each blank (``unknown_department: exclude``) given to the department
    holding the case: the one of the case's previous event with a department, else (at the start of a case)
    of its next one. A case with no department at all keeps "unknown", so "unknown" never takes part in a
    handoff."""
    n = len(dept)
    flag = np.zeros(n, dtype=np.int64)
    flag[starts] = 1
    rank = np.cumsum(flag) - 1
    start_of = starts[rank]
    known = np.where(~blank, np.arange(n), -1)
    prev = np.maximum.accumulate(known)
    out = dept.copy()
    use_prev = blank & (prev >= start_of)
    out[use_prev] = dept[prev[use_prev]]
    ends = np.r_[starts[1:], n] - 1
    end_of = ends[rank]
    nxt = np.where(~blank, np.arange(n), n)
    nxt = np.minimum.accumulate(nxt[::-1])[::-1]
    use_next = blank & ~use_prev & (nxt <= end_of)
    out[use_next] = dept[nxt[use_next]]
    rest = blank & ~use_prev & ~use_next
    if rest.any():
        unknown = np.flatnonzero(names == UNKNOWN)
        if len(unknown):
            fill = unknown[0]
        else:
            fill = len(names)
            names = np.append(names, UNKNOWN)
        out[rest] = fill
    return out, names


@dataclass
class EventCore:
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
    #: per sorted event, local time − UTC in ns (None: the timestamps are taken as they are); ``ts`` is
    #: absolute (UTC) time when this is set, so waits across a daylight-saving change are exact
    offset: np.ndarray | None = None
    #: input rows left out: no timestamp or case id; a blank department (unknown_department: exclude)
    n_no_time: int = 0
    n_no_department: int = 0
    #: the order column (``sequence``) broke timestamp ties
    ordered_by_column: bool = False
    #: events at a naive local time in the hour repeated when clocks go back, and those of them the order
    #: column puts after the change (read as winter time; the others as summer time)
    n_repeated_hour: int = 0
    n_after_change: int = 0

    @classmethod
    def build(cls, events: pd.DataFrame, settings: ActivitySettings | None) -> EventCore:
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
        offset = None
        if getattr(ts_all.dtype, "tz", None) is not None:
            local = ts_all.dt.tz_localize(None).to_numpy("datetime64[ns]").view(np.int64)
            ts = ts_all.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[ns]").view(np.int64)
            offset = np.where(ts == NAT, 0, local - ts)
        else:
            ts = ts_all.to_numpy("datetime64[ns]").view(np.int64)
        zone = events.attrs.get(TIMEZONE_ATTR) if offset is None else None
        valid = ts != NAT
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
            case_codes, case_ids = category_codes(events["case_id"])
        valid &= case_codes >= 0
        n_no_time = int((~valid).sum())
        n_repeated_hour = n_after_change = 0
        if zone:  # naive local times: to absolute time, the repeated autumn hour read by the order column
            first, second = hour_offsets(ts, zone)
            offset = first
            repeated = first != second
            n_repeated_hour = int((repeated & valid).sum())
            sequence = None
            if "sequence" in events.columns:  # a lifecycle transition orders a tie, not a case's events
                sequence = pd.to_numeric(events["sequence"], errors="coerce").to_numpy(
                    np.float64, na_value=np.nan
                )
            if n_repeated_hour and sequence is not None:
                later = after_the_change(np.where(valid, case_codes, -1), ts, first, second, sequence)
                n_after_change = int(later.sum())
                offset = np.where(later, second, first)
            ts = np.where(ts == NAT, NAT, ts - offset)
        dept_codes, dept_names = category_codes(events["department"])
        blank = None
        if settings.unknown_department == "exclude":
            unknown_codes = np.flatnonzero(dept_names == UNKNOWN)
            blank = dept_codes < 0
            if len(unknown_codes):
                blank |= dept_codes == unknown_codes[0]
            if not blank.any():
                blank = None
        if (dept_codes < 0).any():
            unknown = np.flatnonzero(dept_names == UNKNOWN)
            if len(unknown):
                fill = unknown[0]
            else:
                fill = len(dept_names)
                dept_names = np.append(dept_names, UNKNOWN)
            dept_codes = np.where(dept_codes < 0, fill, dept_codes)
        n_all = len(events)
        seq = order_values(events)
        if valid.all() and _is_sorted(case_codes, ts, seq):
            # already in (case, time) order, e.g. prepare_events output: skip the sort and the copies
            order = np.arange(n_all)
            case, ts_sorted, dept_sorted = case_codes, ts, dept_codes
            offset_sorted = offset
        else:
            rows = np.arange(n_all) if valid.all() else np.flatnonzero(valid)
            # lexsort is stable: ties on (case, timestamp[, order column]) keep file order
            keys = (ts[rows], case_codes[rows]) if seq is None else (seq[rows], ts[rows], case_codes[rows])
            order = rows[np.lexsort(keys)]
            case, ts_sorted, dept_sorted = case_codes[order], ts[order], dept_codes[order]
            offset_sorted = None if offset is None else offset[order]
        n = len(order)
        starts = np.flatnonzero(np.r_[True, case[1:] != case[:-1]]) if n else np.zeros(0, np.int64)
        n_no_department = 0
        if blank is not None and n:
            blank_sorted = blank[order]
            n_no_department = int(blank_sorted.sum())
            dept_sorted, dept_names = _attribute_blanks(dept_sorted, blank_sorted, starts, dept_names)
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
            offset=offset_sorted,
            n_no_time=n_no_time,
            n_no_department=n_no_department,
            ordered_by_column=seq is not None,
            n_repeated_hour=n_repeated_hour,
            n_after_change=n_after_change,
        )

    def local(self, idx: np.ndarray) -> pd.DatetimeIndex:
        """The local (display) time of sorted events ``idx``."""
        ts = self.ts[idx]
        if self.offset is not None:
            ts = ts + self.offset[idx]
        return pd.to_datetime(ts)

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

    # ---- timestamp ties
    @cached_property
    def tied(self) -> np.ndarray:
        """Per sorted event: another event of its case has the same timestamp."""
        same = np.zeros(self.n_events + 1, dtype=bool)
        if self.n_events > 1:
            same[1:-1] = (self.case[1:] == self.case[:-1]) & (self.ts[1:] == self.ts[:-1])
        return same[1:] | same[:-1]

    @cached_property
    def tie_share(self) -> float:
        """Share of the events in a timestamp tie (0 without events)."""
        return float(self.tied.mean()) if self.n_events else 0.0

    # ---- waiting for the customer or a third party
    @cached_property
    def wait_class(self) -> np.ndarray:
        """Per sorted event: what the time until the case's next event is spent on — INTERNAL (0),
        CUSTOMER (1, the status or activity says the organisation waits for the customer) or THIRD_PARTY
        (2); a customer wait wins when both match."""
        out = np.zeros(self.n_events, dtype=np.int8)
        for cls, patterns in (
            (THIRD_PARTY, self.settings.third_party_wait),
            (CUSTOMER, self.settings.customer_wait),
        ):
            if not patterns:
                continue
            hit = self._activity_flag(patterns)
            status = self.frame.get("status")
            if status is not None:
                codes, names = category_codes(status)
                table = pattern_mask(names, patterns)
                if table.any():
                    codes = self.take(codes)
                    hit = hit | np.where(codes >= 0, table[np.maximum(codes, 0)], False)
            out[hit] = cls
        return out

    @cached_property
    def h_wait_class(self) -> np.ndarray:
        """Per handoff: the wait class of the event that ends the previous visit (see :attr:`wait_class`)."""
        return self.wait_class[self.v_last[self.h_visit - 1]]

    @cached_property
    def h_internal(self) -> np.ndarray:
        """Per handoff: its wait is internal (not spent waiting for the customer or a third party)."""
        if not self.wait_class.any():
            return np.ones(len(self.h_visit), dtype=bool)
        return self.h_wait_class == INTERNAL

    @cached_property
    def gap_ns(self) -> np.ndarray:
        """Per sorted event: the time until the next event of its case (0 for a case's last event)."""
        gap = np.zeros(self.n_events, dtype=np.int64)
        if self.n_events > 1:
            same = self.case[1:] == self.case[:-1]
            gap[:-1] = np.where(same, self.ts[1:] - self.ts[:-1], 0)
        return gap

    # ---- activity flags
    def _activity_flag(self, patterns: list[str]) -> np.ndarray:
        codes, names = self._activity_codes
        table = pattern_mask(names, patterns)
        if not table.any():  # the usual case for most roles: no activity name matches, no gather
            return np.zeros(len(codes), dtype=bool)
        return np.where(codes >= 0, table[np.maximum(codes, 0)], False)

    @cached_property
    def _activity_codes(self) -> tuple[np.ndarray, np.ndarray]:
        codes, names = category_codes(self.frame["activity"])
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


def event_core(events: pd.DataFrame, settings: ActivitySettings | None) -> EventCore:
    if not isinstance(events, pd.DataFrame):
        raise AnalysisError("an events DataFrame", found=type(events).__name__)
    return EventCore.build(events, settings)


def to_hours(ns: np.ndarray) -> np.ndarray:
    return np.asarray(ns, dtype=np.float64) / HOUR_NS


def categorical(codes: np.ndarray, names: np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(names.astype(str), dtype=object))
