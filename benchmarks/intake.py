"""Intake benchmark: load + validate a 1,000,000-event CSV vs a bare ``pandas.read_csv`` of the same file.

Prints file size, best and median seconds and peak memory of each, and the ratios (target: load+validate
≤ 2.0 × bare read). Each measurement runs in a fresh child process so peak memory is its own; the two
sides alternate so that a busy moment on the machine costs both alike. pandas ≥ 3.1 reads a large file on
all cores, and so does cxlab (the same parser, then its conversions on threads). On a shared 2-core
machine one run of either side can take 1.5× another, so 31 pairs by default: with fewer, the best and
median ratios move by ±0.15 from run to run.

    .venv/bin/python benchmarks/intake.py [--events 1000000] [--repeat 31] [--style iso|it]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

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
ACTIVITIES = [
    "Request received",
    "Quote sent",
    "Order confirmed",
    "Picking",
    "Shipped",
    "Delivered",
    "Customer chaser call",
    "Credit authorisation request",
    "Answer sent to customer",
    "Case reopened",
]


def write_log(path: Path, n_events: int, seed: int = 1, style: str = "iso") -> None:
    """The events CSV: ``iso`` = comma-separated with ISO times; ``it`` = an Italian export (semicolons,
    dd/mm/yyyy times, sì/no flags)."""
    rng = np.random.default_rng(seed)
    n_cases = n_events // 20 * 1 or 1
    case = np.sort(rng.integers(0, n_cases, n_events))
    start = pd.Timestamp("2025-01-01").value // 10**9
    ts = start + rng.integers(0, 365 * 86400, n_events)
    frame = pd.DataFrame(
        {
            "case_id": np.char.add("C", case.astype(str)),
            "timestamp": pd.to_datetime(ts, unit="s").strftime(
                "%d/%m/%Y %H:%M:%S" if style == "it" else "%Y-%m-%d %H:%M:%S"
            ),
            "activity": np.asarray(ACTIVITIES)[rng.integers(0, len(ACTIVITIES), n_events)],
            "department": np.asarray(DEPARTMENTS)[rng.integers(0, len(DEPARTMENTS), n_events)],
            "customer_id": np.char.add("K", (case % 20000).astype(str)),
            "channel": np.asarray(["phone", "email", "web"])[rng.integers(0, 3, n_events)],
            "agent": np.char.add("agent", rng.integers(0, 60, n_events).astype(str)),
            "is_customer_contact": rng.integers(0, 2, n_events),
        }
    )
    if style == "it":
        frame["is_customer_contact"] = np.where(frame["is_customer_contact"] == 1, "sì", "no")
    frame.to_csv(path / "events.csv", index=False, sep=";" if style == "it" else ",")
    (path / "client.yaml").write_text("name: Bench\nlanguage: en\ntables:\n  events:\n    file: events.csv\n")


def _peak_mib() -> float:
    """High-water mark of this process's RSS (VmHWM resets at exec, unlike ru_maxrss)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _bare(folder: str, out: mp.Queue, sep: str = ",") -> None:
    import cxlab.io  # noqa: F401  same imports on both sides, so only the reading differs

    base = _peak_mib()
    t0 = time.perf_counter()
    frame = pd.read_csv(Path(folder) / "events.csv", sep=sep)
    out.put((time.perf_counter() - t0, _peak_mib() - base, len(frame)))


def _cxlab(folder: str, out: mp.Queue, sep: str = ",") -> None:
    from cxlab.io import load_client

    base = _peak_mib()
    t0 = time.perf_counter()
    client = load_client(folder)
    out.put((time.perf_counter() - t0, _peak_mib() - base, len(client.events)))


def measure(target, folder: str, sep: str = ",") -> tuple[float, float, int]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(folder, queue, sep))
    proc.start()
    seconds, peak_mib, rows = queue.get()
    proc.join()
    return seconds, peak_mib, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=31, help="fresh processes per side, alternating")
    parser.add_argument("--style", choices=["iso", "it"], default="iso", help="it: ; dd/mm/yyyy sì/no")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_log(folder, args.events, style=args.style)
        size = (folder / "events.csv").stat().st_size
        print(
            f"events CSV ({args.style}): {args.events:,} rows, {size / 2**20:.1f} MiB, {os.cpu_count()} cores"
        )
        bare, ours = [], []
        sep = ";" if args.style == "it" else ","
        for _ in range(args.repeat):  # alternating, so a busy moment costs both sides alike
            bare.append(measure(_bare, tmp, sep))
            ours.append(measure(_cxlab, tmp, sep))
        for label, runs in (("bare pandas.read_csv", bare), ("cxlab load+validate ", ours)):
            seconds = [r[0] for r in runs]
            print(
                f"{label}: best {min(seconds):5.2f} s  median {statistics.median(seconds):5.2f} s  "
                f"peak +{min(r[1] for r in runs):4.0f} MiB  ({runs[0][2]:,} rows)"
            )
        best = min(r[0] for r in ours) / min(r[0] for r in bare)
        median = statistics.median(r[0] for r in ours) / statistics.median(r[0] for r in bare)
        # each pair ran back to back, so its ratio is the least touched by the machine's other work
        paired = statistics.median(o[0] / b[0] for o, b in zip(ours, bare, strict=True))
        memory = min(r[1] for r in ours) / min(r[1] for r in bare)
        print(
            f"time ratio (target ≤ 2.0): best {best:.2f}  median {median:.2f}  median of pairs {paired:.2f}"
            f"   memory ratio: {memory:.2f}"
        )


if __name__ == "__main__":
    main()
