"""Intake benchmark: load + validate a 1,000,000-event CSV vs a bare ``pandas.read_csv`` of the same file.

Prints file size, best and median seconds and peak memory of each side, and their ratios. Each measurement
runs in a fresh child process, so peak memory is its own; the two sides alternate, one pair back to back, so
that a busy moment on the machine costs both alike. The target (load+validate ≤ 2.0 × bare read) is held
against the median of the paired ratios; the unpaired best/best and median/median ratios are printed too,
and move more: on a shared 2-core machine one run of either side can take 1.5× another. Hence 31 pairs
by default (with 15-21, the unpaired ratios moved by ±0.15 from run to run). pandas ≥ 3.1 reads a large
file on all cores, and so does cxlab (the same parser, then its conversions on threads).

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

# imported at the top, so each child process (spawned: it imports this module) has the same imports on
# both sides and only the reading differs
from cxlab.intake import load_client

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
    base = _peak_mib()
    t0 = time.perf_counter()
    frame = pd.read_csv(Path(folder) / "events.csv", sep=sep)
    out.put((time.perf_counter() - t0, _peak_mib() - base, len(frame)))


def _cxlab(folder: str, out: mp.Queue, sep: str = ",") -> None:
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
        # each pair ran back to back, so its ratio is the least touched by the machine's other work: this
        # median of the paired ratios is the figure held against the target
        ratios = sorted(o[0] / b[0] for o, b in zip(ours, bare, strict=True))
        paired = statistics.median(ratios)
        spread = ""
        if len(ratios) >= 4:
            low, _, high = statistics.quantiles(ratios, n=4)
            spread = f"; quartiles {low:.2f}–{high:.2f}"
        best = min(r[0] for r in ours) / min(r[0] for r in bare)
        median = statistics.median(r[0] for r in ours) / statistics.median(r[0] for r in bare)
        memory = min(r[1] for r in ours) / min(r[1] for r in bare)
        print(f"time ratio, median of {len(ratios)} paired runs: {paired:.2f} (target ≤ 2.0{spread})")
        print(f"  best / best {best:.2f}, median / median {median:.2f} (unpaired: moved more by other work)")
        print(f"memory ratio (peak / peak): {memory:.2f}")


if __name__ == "__main__":
    main()
