"""Department pairs: the handoff matrix, the pairs that bounce work (ping-pong) and the step-by-step flow."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import ActivitySettings
from .core import (
    categorical,
    event_core,
    first_in_case,
    group_quantiles,
    to_hours,
)


def handoff_matrix(events: pd.DataFrame, settings: ActivitySettings | None = None) -> pd.DataFrame:
    """One row per (from, to) department pair that occurs, sorted by count (desc).

    Columns: from_department, to_department, count, cases, share_of_cases (cases with at least one such
    handoff / all cases), median_wait_h, p90_wait_h, mean_wait_h, total_wait_h (the internal waits: a
    handoff that starts while the case waits for the customer or a third party, see
    ``ActivitySettings.customer_wait``, is left out of them), outside_wait_h (those waits), ping_pong_rate
    (share of these handoffs that bounce straight back), share_of_handoffs.
    """
    core = event_core(events, settings)
    k = len(core.dept_names)
    n_pairs = k * k
    pair = core.h_pair
    wait_h = to_hours(core.h_wait_ns)
    internal = core.h_internal
    count = np.bincount(pair, minlength=n_pairs)
    cases = np.bincount(pair[first_in_case(core.h_case, pair, n_pairs)], minlength=n_pairs)
    # waits on the customer or a third party are not waits between departments
    if internal.all():  # the usual case: no copies
        in_pair, in_wait = pair, wait_h
        outside: np.ndarray = np.zeros(n_pairs)
        n_internal = count
    else:
        in_pair, in_wait = pair[internal], wait_h[internal]
        n_internal = np.bincount(in_pair, minlength=n_pairs)
        outside = np.bincount(pair[~internal], weights=wait_h[~internal], minlength=n_pairs)
    total = np.bincount(in_pair, weights=in_wait, minlength=n_pairs)
    bounced = np.bincount(pair, weights=core.h_bounced.astype(float), minlength=n_pairs)
    med, p90 = group_quantiles(in_pair, in_wait, n_pairs, (0.5, 0.9))
    present = np.flatnonzero(count)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = pd.DataFrame(
            {
                "from_department": categorical(present // k, core.dept_names),
                "to_department": categorical(present % k, core.dept_names),
                "count": count[present],
                "cases": cases[present],
                "share_of_cases": cases[present] / max(core.n_cases, 1),
                "median_wait_h": med[present],
                "p90_wait_h": p90[present],
                "mean_wait_h": total[present] / n_internal[present],
                "total_wait_h": total[present],
                "outside_wait_h": outside[present],
                "ping_pong_rate": bounced[present] / count[present],
                "share_of_handoffs": count[present] / max(len(pair), 1),
            }
        )
    return out.sort_values(["count", "total_wait_h"], ascending=False, kind="stable").reset_index(drop=True)


def busiest_departments(matrix: pd.DataFrame, top: int) -> list[str]:
    """The ``top`` departments with the most handoffs in or out (ties in the matrix's order)."""
    volume = pd.concat(
        [
            matrix.groupby(matrix["from_department"].astype(str), sort=False)["count"].sum(),
            matrix.groupby(matrix["to_department"].astype(str), sort=False)["count"].sum(),
        ]
    )
    return list(
        volume.groupby(level=0, sort=False).sum().sort_values(ascending=False, kind="stable").index[:top]
    )


def ping_pong_pairs(events: pd.DataFrame, settings: ActivitySettings | None = None) -> pd.DataFrame:
    """Department pairs that bounce work between them (A→B→A or B→A→B), undirected, worst first.

    Columns: department_a, department_b (alphabetical), ping_pongs (returns counted at the return visit),
    cases_crossing (cases with a handoff between them in either direction), cases_bouncing (at least one
    ping-pong between them), cases_repeated (two or more: A→B→A→B), bounce_rate (= cases_bouncing /
    cases_crossing), repeat_rate, share_of_cases (cases_bouncing / all cases), wait_h_in_bounces (waiting
    time of the handoffs that were followed by a bounce back). Sorted by ping_pongs.
    """
    core = event_core(events, settings)
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
    crossing = np.bincount(upair[first_in_case(core.h_case, upair, n_pairs)], minlength=n_pairs)
    # a ping-pong at visit j is the bounce of the handoff into visit j-1 (h_visit == j-1)
    b = core.h_bounced
    pp_case, pp_pair = core.h_case[b], upair[b]
    ping = np.bincount(pp_pair, minlength=n_pairs)
    per_case_pair, counts = np.unique(pp_case.astype(np.int64) * n_pairs + pp_pair, return_counts=True)
    bouncing = np.bincount(per_case_pair % n_pairs, minlength=n_pairs)
    repeated = np.bincount(per_case_pair[counts >= 2] % n_pairs, minlength=n_pairs)
    wait = np.bincount(pp_pair, weights=to_hours(core.h_wait_ns[b]), minlength=n_pairs)
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
    core = event_core(events, settings)
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
