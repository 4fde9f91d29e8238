"""Client report benchmark: one report in a fresh process, and a batch of demo clients three ways.

Prints

* (a) the wall time of ``cxlab report`` for the demo client in a fresh process (target ≤ 15 s), and
  what ``--pdf`` and ``--pptx`` add to it (target ≤ 5 s each) with the sizes of the three files;
* (b) a batch of N demo clients (default 20, different seeds, it/en alternating, demo size):
  ``cxlab batch --jobs 2`` vs ``cxlab batch --jobs 1`` vs the naive loop of command-line tools per
  client (``papermill templates/notebooks/client_report.ipynb out.ipynb -p client_dir X`` then
  ``jupyter nbconvert --to html out.ipynb``), all timed in this run; per-report times and ratios
  (targets: jobs 2 per report ≤ 0.3 × single, and ≥ 4× faster than the naive loop);
* the peak resident memory of the largest process of each phase (``os.wait4`` of the phase's process
  tree) and ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` at the end;
* where the time of one client goes inside a warm worker: papermill's per-cell durations averaged over
  the batch, and the rest (validation in the worker, notebook I/O, HTML export).

    .venv/bin/python benchmarks/report.py [--clients 20] [--customers 600] [--cases 4000] [--no-naive]
                                          [--single-only] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from cxlab.demo import generate_demo_client
from cxlab.intake import load_client
from cxlab.report.export import export_notebook_html

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TEMPLATE = REPO / "templates" / "notebooks" / "client_report.ipynb"
TARGET_SINGLE = 15.0
TARGET_FORMAT_EXTRA = 5.0  # seconds --pdf or --pptx may add to a single report
TARGET_SIZE_MB = 3.0
TARGET_BATCH_RATIO = 0.3
TARGET_NAIVE_SPEEDUP = 4.0


def run(cmd: list[str], check: bool = False) -> tuple[float, float, int]:
    """Run a command; (wall seconds, peak RSS in MB of its largest process, exit code)."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr, cwd=REPO)
        _, status, usage = os.wait4(proc.pid, 0)  # the rusage of the command's whole process tree
        wall = time.perf_counter() - started
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        err = stderr.read().decode(errors="replace")
    if check and code != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({code}):\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, code


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def batch_stats(out: Path) -> dict:
    summary = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    clients = summary["clients"]
    ok = [c for c in clients if c["status"] == "ok"]
    cells: dict[str, list[float]] = {}
    outside = []
    for c in ok:
        nb = nbformat.read(str(Path(c["out_dir"]) / "client_report.ipynb"), as_version=4)
        total = 0.0
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            duration = float(cell.metadata.get("papermill", {}).get("duration") or 0.0)
            total += duration
            label = next((ln for ln in reversed(cell.source.splitlines()) if ln.strip()), "")[:70]
            cells.setdefault(label, []).append(duration)
        outside.append(c["seconds"] - total)
    return {
        "ok": len(ok),
        "failed": [(c["name"], c["error"]) for c in clients if c["status"] == "failed"],
        "client_seconds": [c["seconds"] for c in ok],
        # medians: the first client of each kernel also pays the kernel start and the imports
        "cells": {k: statistics.median(v) for k, v in cells.items()},
        "outside": statistics.median(outside) if outside else 0.0,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--customers", type=int, default=600)
    ap.add_argument("--cases", type=int, default=4000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-naive", action="store_true", help="skip the naive papermill + nbconvert loop")
    ap.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="runs of (a) each, plain / --pdf / --pptx interleaved; fastest counts",
    )
    ap.add_argument("--single-only", action="store_true", help="only (a): the single report, PDF and PPTX")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the files here (default: a temp dir)")
    args = ap.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="cxlab-bench-"))
    if work.exists():
        shutil.rmtree(work)
    root = work / "clients"
    started = time.perf_counter()
    for i in range(0 if args.single_only else args.clients):  # the batch's clients: not for (a) alone
        generate_demo_client(
            root / f"client{i + 1:02d}",
            seed=100 + i,
            language="it" if i % 2 == 0 else "en",
            customers=args.customers,
            cases=args.cases,
        )
    demo = generate_demo_client(work / "demo", seed=7, language="it", customers=600, cases=4000)
    print(
        f"{0 if args.single_only else args.clients} demo clients ({args.customers} customers, {args.cases} cases "
        "each) and the demo "
        f"client written in {time.perf_counter() - started:.1f} s; {load()}"
    )
    cxlab = str(BIN / "cxlab")
    peaks: dict[str, float] = {}

    # (a) one report, fresh process; with --pdf, with --pptx: each --repeat times, interleaved (a busy
    # machine shifts all three alike), the fastest run of each counts
    walls: dict[str, list[float]] = {"": [], "--pdf": [], "--pptx": []}
    codes: dict[str, int] = {}
    for _ in range(max(1, args.repeat)):
        for flag in walls:
            out = work / ("single" + flag[2:])
            wall, peak, codes[flag] = run(
                [cxlab, "report", str(demo), "--out", str(out)] + ([flag] if flag else [])
            )
            walls[flag].append(wall)
            if not flag:
                peaks["single"] = max(peaks.get("single", 0.0), peak)
    single = min(walls[""])
    print(
        f"\n(a) single demo report, fresh process (cxlab report): {single:.1f} s "
        f"[target ≤ {TARGET_SINGLE:.0f} s: {'met' if single <= TARGET_SINGLE else 'MISSED'}]"
        + ("" if codes[""] == 0 else f" (exit code {codes['']})")
        + (
            f" (fastest of {len(walls[''])}: {', '.join(f'{w:.1f}' for w in walls[''])})"
            if args.repeat > 1
            else ""
        )
    )
    for flag, name in (("--pdf", "report.pdf"), ("--pptx", "report.pptx")):
        out = work / ("single" + flag[2:])
        wall = min(walls[flag])
        extra = wall - single
        size = (out / name).stat().st_size / 1e6 if (out / name).exists() else float("nan")
        print(
            f"    with {flag}: {wall:.1f} s, {extra:+.1f} s [target ≤ +{TARGET_FORMAT_EXTRA:.0f} s: "
            f"{'met' if extra <= TARGET_FORMAT_EXTRA else 'MISSED'}]; {name} {size:.2f} MB"
            + ("" if codes[flag] == 0 else f" (exit code {codes[flag]})")
            + (
                f" (fastest of {len(walls[flag])}: {', '.join(f'{w:.1f}' for w in walls[flag])})"
                if args.repeat > 1
                else ""
            )
        )
    html_mb = (work / "single" / "report.html").stat().st_size / 1e6
    print(
        f"    report.html {html_mb:.2f} MB [target ≤ {TARGET_SIZE_MB:.0f} MB: {'met' if html_mb <= TARGET_SIZE_MB else 'MISSED'}]"
    )
    if args.single_only:
        return

    # (b) the batch three ways
    n = args.clients
    times: dict[str, float] = {}
    stats: dict[str, dict] = {}
    for jobs in (args.jobs, 1):
        out = work / f"batch_jobs{jobs}"
        key = f"jobs {jobs}"
        times[key], peaks[key], code = run(
            [cxlab, "batch", str(root), "--out", str(out), "--jobs", str(jobs), "--force", "--quiet"]
        )
        stats[key] = batch_stats(out)
        print(
            f"    cxlab batch --jobs {jobs}: {times[key]:.1f} s wall, {times[key] / n:.2f} s per report, "
            f"{stats[key]['ok']}/{n} ok; in-worker time per client: median "
            f"{statistics.median(stats[key]['client_seconds'] or [0]):.1f} s"
        )
        for name, error in stats[key]["failed"]:
            print(f"      failed {name}: {error[:200]}")
    if not args.no_naive:
        out = work / "naive"
        out.mkdir(parents=True)
        naive_peak = 0.0
        started = time.perf_counter()
        failures = 0
        for folder in sorted(root.iterdir()):
            nb = out / f"{folder.name}.ipynb"
            _, peak1, code1 = run(
                [
                    str(BIN / "papermill"),
                    str(TEMPLATE),
                    str(nb),
                    "-p",
                    "client_dir",
                    str(folder),
                    "--no-progress-bar",
                ]
            )
            _, peak2, code2 = run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(nb)])
            failures += bool(code1 or code2)
            naive_peak = max(naive_peak, peak1, peak2)
        times["naive"] = time.perf_counter() - started
        peaks["naive"] = naive_peak
        print(
            f"    naive loop papermill + jupyter nbconvert: {times['naive']:.1f} s wall, "
            f"{times['naive'] / n:.2f} s per report" + (f", {failures} failed" if failures else "")
        )

    per2 = times[f"jobs {args.jobs}"] / n
    print(
        f"\n    per report at jobs {args.jobs} / single: {per2 / single:.2f} "
        f"[target ≤ {TARGET_BATCH_RATIO}: {'met' if per2 / single <= TARGET_BATCH_RATIO else 'MISSED'}]"
    )
    print(f"    jobs 1 / jobs {args.jobs}: {times['jobs 1'] / times[f'jobs {args.jobs}']:.2f}x")
    if "naive" in times:
        speedup = times["naive"] / times[f"jobs {args.jobs}"]
        print(
            f"    naive / jobs {args.jobs}: {speedup:.2f}x faster "
            f"[target ≥ {TARGET_NAIVE_SPEEDUP:.0f}x: {'met' if speedup >= TARGET_NAIVE_SPEEDUP else 'MISSED'}]"
        )
        print(f"    naive / jobs 1: {times['naive'] / times['jobs 1']:.2f}x")

    print("\npeak resident memory of the largest process per phase:")
    for key, mb in peaks.items():
        print(f"    {key}: {mb:.0f} MB")
    print(
        f"    getrusage(RUSAGE_CHILDREN).ru_maxrss: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB"
    )

    s = stats["jobs 1"]
    print("\nwhere one client's time goes in a warm worker (jobs 1, median over the clients):")
    ranked = sorted(s["cells"].items(), key=lambda kv: -kv[1])
    for label, seconds in ranked[:10]:
        print(f"    {seconds:6.2f} s  {label}")
    print(f"    {sum(s['cells'].values()):6.2f} s  all cells")
    print(
        f"    {s['outside']:6.2f} s  outside the cells (validation in the worker, kernel reset, notebook I/O, export)"
    )
    breakdown_outside(work / "batch_jobs1", demo)
    print(f"\n{load()}; files in {work}")


def breakdown_outside(out: Path, client: Path) -> None:
    """Time the parts of a report run outside the kernel, in this process (warm imports)."""
    executed = next(out.glob("*/client_report.ipynb"))
    nb = nbformat.read(str(executed), as_version=4)
    export_notebook_html(nb)  # warm-up: imports, template compilation
    load_client(client)
    started = time.perf_counter()
    load_client(client)
    loading = time.perf_counter() - started
    started = time.perf_counter()
    nb = nbformat.read(str(executed), as_version=4)
    reading = time.perf_counter() - started
    started = time.perf_counter()
    export_notebook_html(nb)
    exporting = time.perf_counter() - started
    print(
        f"    of which: validation load_client in the worker {loading:.2f} s (the kernel loads the client "
        f"again in its first cell), reading the executed notebook {reading:.2f} s, HTML export {exporting:.2f} s"
    )


if __name__ == "__main__":
    main()
