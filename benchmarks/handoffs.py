"""Benchmark of the silo handoff analysis on synthetic event logs.

    .venv/bin/python benchmarks/handoffs.py            # 1M and 10M events
    .venv/bin/python benchmarks/handoffs.py --sizes 1  # 1M only
    .venv/bin/python benchmarks/handoffs.py --pm4py /tmp/pm4py-venv/bin/python   # reference timing

Logs: 20 events per case on average (50k cases per 1M events), 8 departments, 40 activities, events in
global time order (cases interleaved, as a real export is), canonical dtypes as ``cxlab.intake`` gives them;
by default as real exports are: minute-resolution timestamps (ties) with an order column (``sequence``), 2 %
blank departments, a ``status`` column with customer and third-party wait states, naive local times in
Europe/Rome (waits on absolute time across DST); ``--plain`` leaves those out.
Compute = ``prepare_events`` + ``case_metrics`` + ``handoff_matrix`` + ``flow_steps`` + ``handoff_figures``
on the same prepared log, i.e. the handoff analysis a notebook runs. Targets at 1M events: ≤ 1.0 s compute, ≤ 1.5 GiB peak memory.
Peak memory is the process's peak RSS (``resource.getrusage``) measured in a fresh subprocess per size,
so the generation of the log counts too (it is an upper bound for the analysis).

pm4py is a reference only, never a dependency: with ``--pm4py PYTHON`` (a separate venv with pm4py) the
1M log is written to a temporary Parquet file and pm4py's handover-of-work network is timed there.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cxlab import handoffs as h
from cxlab.schema import TIMEZONE_ATTR

DEPARTMENTS = [
    "Sales",
    "Customer Service",
    "Logistics",
    "Credit",
    "Billing",
    "Technical Support",
    "Warehouse",
    "Web Portal",
]


def synthetic_log(
    n_events: int, events_per_case: int = 20, seed: int = 7, realistic: bool = True
) -> pd.DataFrame:
    """A random log with canonical columns and dtypes (vectorised generation); ``realistic`` adds ties,
    an order column, blank departments, wait statuses and a time zone (see the module docstring)."""
    rng = np.random.default_rng(seed)
    n_cases = n_events // events_per_case
    # every case gets one event, the rest fall at random: exactly n_events, ~events_per_case per case
    case = np.sort(np.r_[np.arange(n_cases), rng.integers(0, n_cases, n_events - n_cases)])
    n = n_events
    lengths = np.bincount(case, minlength=n_cases)
    # department: stay with prob 0.6, else move to a random department
    move = rng.random(n) < 0.4
    first = np.r_[True, case[1:] != case[:-1]]
    move |= first
    seg = np.cumsum(move) - 1
    dept_of_seg = rng.integers(0, len(DEPARTMENTS), seg[-1] + 1)
    dept = dept_of_seg[seg]
    # time: case start over a year, gaps exponential (hours); longer between departments
    start = rng.integers(0, 365 * 24 * 3600, n_cases).astype(np.int64) * 1_000_000_000
    gap_h = rng.exponential(2.0, n) + move * rng.exponential(20.0, n)
    gap_h[first] = 0
    offset = np.cumsum(gap_h)
    offset -= np.repeat(offset[first], lengths)
    ts = start[case] + (offset * 3600e9).astype(np.int64)
    activities = [f"Activity {i:02d}" for i in range(36)] + [
        "Inbound call",
        "Customer chaser call",
        "Answer sent to customer",
        "Credit authorisation request",
    ]
    act = rng.integers(0, len(activities), n)
    frame = pd.DataFrame(
        {
            "case_id": pd.array(np.char.add("C", case.astype(str)), dtype="str"),
            "timestamp": pd.to_datetime(ts),
            "activity": pd.Categorical.from_codes(act, activities),
            "department": pd.Categorical.from_codes(dept, DEPARTMENTS),
            "customer_id": pd.array(np.char.add("K", (case % (n_cases // 3 + 1)).astype(str)), dtype="str"),
            "channel": pd.Categorical.from_codes(rng.integers(0, 4, n), ["web", "phone", "email", "store"]),
            "is_customer_contact": rng.random(n) < 0.2,
        }
    )
    if realistic:
        # what real exports bring: minute-resolution timestamps (ties, broken by an order column), blank
        # departments (missing values, attributed to the department holding the case), a status column
        # with customer and third-party wait states, and naive local times in a zone with DST
        frame["timestamp"] = frame["timestamp"].dt.floor("min")
        frame["sequence"] = np.arange(n, dtype=np.float64) - np.repeat(np.flatnonzero(first), lengths)
        blank = rng.random(n) < 0.02
        frame["department"] = frame["department"].mask(blank)
        states = ["In Progress", "Assigned", "Wait - User", "Wait - Vendor"]
        frame["status"] = pd.Categorical.from_codes(rng.choice(4, size=n, p=[0.6, 0.27, 0.1, 0.03]), states)
        frame.attrs[TIMEZONE_ATTR] = "Europe/Rome"
    # file order = global time order (cases interleaved)
    return frame.iloc[np.argsort(ts, kind="stable")].reset_index(drop=True)


def run_one(n_events: int, repeats: int, realistic: bool = True) -> dict:
    t0 = time.perf_counter()
    log = synthetic_log(n_events, realistic=realistic)
    gen = time.perf_counter() - t0
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        prepared = h.prepare_events(log)
        cases = h.case_metrics(prepared)
        matrix = h.handoff_matrix(prepared)
        h.flow_steps(prepared)
        figures = h.handoff_figures(prepared)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    h.case_metrics(log)
    h.handoff_matrix(log)
    raw = time.perf_counter() - t0
    # like for like with pm4py's handover-of-work: transition counts only, from the raw (unsorted) log
    t0 = time.perf_counter()
    h.handoff_matrix(log)
    matrix_only = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB -> GiB
    return {
        "events": len(log),
        "cases": len(cases),
        "pairs": len(matrix),
        "tie_share": figures.tie_share,
        "customer_wait_h": figures.customer_wait_h,
        "events_without_department": figures.events_without_department,
        "generate_s": gen,
        "compute_s": min(times),
        "case_metrics_plus_matrix_unprepared_s": raw,
        "matrix_only_s": matrix_only,
        "peak_rss_gib": peak,
    }


def pm4py_time(python: str, n_events: int) -> float | None:
    """Time pm4py's handover-of-work discovery in another interpreter on the same log."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "log.parquet"
        log = synthetic_log(n_events)
        log = log.rename(
            columns={
                "case_id": "case:concept:name",
                "activity": "concept:name",
                "timestamp": "time:timestamp",
                "department": "org:resource",
            }
        )
        log["case:concept:name"] = log["case:concept:name"].astype(object)
        log.to_parquet(path)
        code = (
            "import time, pandas as pd, pm4py\n"
            f"df = pd.read_parquet({str(path)!r})\n"
            "for c in ('concept:name','org:resource'): df[c] = df[c].astype(str)\n"
            "t = time.perf_counter()\n"
            "pm4py.discover_handover_of_work_network(df)\n"
            "print(time.perf_counter() - t)\n"
        )
        res = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=3600)
        if res.returncode != 0:
            print(res.stderr[-2000:], file=sys.stderr)
            return None
        return float(res.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 10], help="millions of events")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pm4py", help="python of a separate venv that has pm4py installed")
    parser.add_argument("--plain", action="store_true", help="no ties, blanks, statuses or time zone")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one size in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.repeats, realistic=not args.plain)))
        return
    print(
        f"{'events':>12} {'cases':>9} {'compute s':>10} {'unprepared s':>13} {'peak RSS GiB':>13}  target (1M)"
    )
    results = {}
    for m in args.sizes:
        n = m * 1_000_000
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--repeats", str(args.repeats if m == 1 else 1)]
            + (["--plain"] if args.plain else []),
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results[m] = r
        target = ""
        if m == 1:
            ok = r["compute_s"] <= 1.0 and r["peak_rss_gib"] <= 1.5
            target = f"≤ 1.0 s, ≤ 1.5 GiB: {'met' if ok else 'MISSED'}"
        print(
            f"{r['events']:>12,} {r['cases']:>9,} {r['compute_s']:>10.3f} "
            f"{r['case_metrics_plus_matrix_unprepared_s']:>13.3f} {r['peak_rss_gib']:>13.2f}  {target}"
        )
    if args.pm4py:
        t = pm4py_time(args.pm4py, 1_000_000)
        if t is None:
            print("pm4py: failed (see stderr)")
        elif 1 in results:
            r = results[1]
            print(
                f"pm4py handover-of-work on 1M events: {t:.2f} s; ratio pm4py / cxlab: "
                f"{t / r['matrix_only_s']:.1f}x vs handoff_matrix alone ({r['matrix_only_s']:.3f} s), "
                f"{t / r['compute_s']:.1f}x vs the whole compute"
            )
        else:
            print(f"pm4py handover-of-work on 1M events: {t:.2f} s")
    else:
        print("pm4py: not measured (pass --pm4py PYTHON of a separate venv with pm4py installed)")


if __name__ == "__main__":
    main()
