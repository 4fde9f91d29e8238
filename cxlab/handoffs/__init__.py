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
(regular expressions on the activity name; ``is_customer_contact`` when the log has it). An event without a
department counts in the department holding the case (the previous event's, at the start of a case the
next one's), so ``"unknown"`` never takes part in a handoff (``ActivitySettings.unknown_department:
exclude``, the default; ``keep`` makes the blanks a department ``"unknown"``). Rows without a timestamp
cannot be ordered and are left out. Ties on the timestamp are ordered by the ``sequence`` column, else by
the ``lifecycle`` transition (what ends before what begins), else by file order.

Times: waits and durations are computed on absolute time — naive local timestamps are converted to UTC with
the time zone the intake records on the events table (``DataFrame.attrs``), so a wait across a
daylight-saving change is exact; timestamps shown (case start and end, visits, handoffs) stay local.
Waiting for the customer or a third party (``ActivitySettings.customer_wait`` / ``third_party_wait`` on
the ``status`` column or the activity) is the time after such an event; a handoff that starts in such a
wait is not counted in the internal waits of :func:`handoff_matrix` (its ``outside_wait_h``).

Time split per case: *touch* time is the time spent inside visits (last − first event of each visit),
*wait* time is the sum of handoff waits, so ``lead_time = touch + wait`` exactly.

Public API (pure functions; ``events`` is the canonical events table or the output of
:func:`prepare_events`, which every function accepts to skip the re-sort)::

    prepare_events(events, settings=None) -> DataFrame        # sorted events + visit ids + activity flags
    handoff_figures(events, settings=None) -> HandoffFigures  # the headline figures of the report
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

Modules, one per topic: :mod:`.cases` (events, visits, handoffs, case metrics), :mod:`.matrix` (the
department-pair matrix, ping-pong pairs, flow steps), :mod:`.satisfaction` (linking responses, NPS by
handoffs and by pair, the cost of an extra handoff, worst handoffs), :mod:`.toxic` (chasers and the toxic
dynamics); :mod:`.core` holds the sorted event arrays they share (:class:`~.core.EventCore`).

Everything is vectorised on numpy arrays (one stable sort, then cumsum/bincount/reduceat); there are no
per-case Python loops.
"""

from __future__ import annotations

from .cases import HandoffFigures, case_metrics, handoff_figures, handoffs, prepare_events, visits
from .core import FLAG_COLUMNS, HANDOFF_BUCKETS, PREPARED_COLUMNS, REQUIRED, UNKNOWN, expand_by_case
from .matrix import flow_steps, handoff_matrix, ping_pong_pairs
from .satisfaction import (
    link_satisfaction,
    nps_per_extra_handoff,
    satisfaction_by_handoffs,
    satisfaction_by_pair,
    worst_handoffs,
)
from .toxic import TOXIC_FINDINGS, case_flags, chaser_holders, toxic_dynamics

__all__ = [
    "FLAG_COLUMNS",
    "HandoffFigures",
    "HANDOFF_BUCKETS",
    "PREPARED_COLUMNS",
    "REQUIRED",
    "TOXIC_FINDINGS",
    "UNKNOWN",
    "case_flags",
    "case_metrics",
    "chaser_holders",
    "expand_by_case",
    "flow_steps",
    "handoff_figures",
    "handoff_matrix",
    "handoffs",
    "link_satisfaction",
    "nps_per_extra_handoff",
    "ping_pong_pairs",
    "prepare_events",
    "satisfaction_by_handoffs",
    "satisfaction_by_pair",
    "toxic_dynamics",
    "visits",
    "worst_handoffs",
]
