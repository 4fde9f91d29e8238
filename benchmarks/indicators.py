"""Benchmark of the survey indicators on synthetic survey data.

    .venv/bin/python benchmarks/indicators.py              # 1M responses (+ 1M invitations)
    .venv/bin/python benchmarks/indicators.py --sizes 1 5  # 1M and 5M

Responses: canonical columns and dtypes as ``cxlab.intake`` gives them (ids as strings, categoricals, naive
timestamps, float scores with ~3 % blanks), 300k customers, hot and cold (two waves), 3 touchpoints,
2 channels, a year of answers. Compute = the four indicators (``nps``, ``csat``, ``ces``, ``cxi``) with
each of 3 groupings (touchpoint; survey × wave; month), plus ``barometer`` by channel, ``hot_vs_cold`` by
touchpoint, ``hot_trend`` per month, both action lists and ``closed_loop`` — target ≤ 2 s at 1M.
Invitations (same size): ``response_rate`` by survey × touchpoint, ``survey_pressure`` and
``pressure_response_curve`` are timed separately. Peak memory is the process's peak RSS measured in a
fresh subprocess per size, so the generation of the data counts too (an upper bound for the analysis).
Wall time suffers when other processes share the CPUs: the load average and the CPU time are printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

from cxlab import indicators as ind

START = pd.Timestamp("2025-11-01")


def _ids(prefix: str, values: np.ndarray) -> pd.arrays.ArrowStringArray:
    return pd.array(np.char.add(prefix, values.astype(str)), dtype="str")


def _scores(rng: np.random.Generator, low: int, high: int, n: int, blank: float = 0.03) -> np.ndarray:
    s = rng.integers(low, high + 1, n).astype(float)
    s[rng.random(n) < blank] = np.nan
    return s


def synthetic_responses(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    survey = rng.random(n) < 0.3  # True = cold
    wave = np.where(survey, rng.integers(0, 2, n), -1)
    seconds = rng.integers(0, 365 * 86400, n)
    answered = START + pd.to_timedelta(seconds, unit="s")
    follow = answered + pd.to_timedelta(rng.exponential(40, n), unit="h")
    follow = follow.where(rng.random(n) < 0.5)
    return pd.DataFrame(
        {
            "response_id": _ids("R", np.arange(n)),
            "customer_id": _ids("C", rng.integers(0, 300_000, n)),
            "case_id": _ids("P", rng.integers(0, n, n)),
            "answered_at": answered,
            "survey": pd.Categorical.from_codes(survey.astype(np.int8), ["hot", "cold"]),
            "touchpoint": pd.Categorical.from_codes(
                np.where(survey, 2, rng.integers(0, 2, n)), ["delivery", "customer service", "relationship"]
            ),
            "wave": pd.Categorical.from_codes(wave, ["2026-W1", "2026-W2"]),
            "channel": pd.Categorical.from_codes(rng.integers(0, 2, n), ["email", "sms"]),
            "nps": _scores(rng, 0, 10, n, 0.01),
            "csat": _scores(rng, 1, 5, n),
            "ces": _scores(rng, 1, 7, n),
            "cxi_ease": _scores(rng, 1, 5, n),
            "cxi_enjoy": _scores(rng, 1, 5, n),
            "cxi_needs": _scores(rng, 1, 5, n),
            "followup_at": follow,
        }
    )


def synthetic_invitations(n: int, seed: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sent = START + pd.to_timedelta(rng.integers(0, 365 * 86400, n), unit="s")
    responded = rng.random(n) < 0.25
    return pd.DataFrame(
        {
            "invitation_id": _ids("I", np.arange(n)),
            "customer_id": _ids("C", rng.integers(0, 300_000, n)),
            "sent_at": sent,
            "survey": pd.Categorical.from_codes((rng.random(n) < 0.3).astype(np.int8), ["hot", "cold"]),
            "touchpoint": pd.Categorical.from_codes(
                rng.integers(0, 3, n), ["delivery", "customer service", "relationship"]
            ),
            "responded_at": (sent + pd.Timedelta(hours=5)).where(responded),
        }
    )


def run_one(n: int, repeats: int) -> dict:
    t0 = time.perf_counter()
    responses = synthetic_responses(n)
    invitations = synthetic_invitations(n)
    gen = time.perf_counter() - t0
    groupings = ["touchpoint", ["survey", "wave"], "month"]
    times, cpu, inv_times = [], [], []
    for _ in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        for by in groupings:
            for f in (ind.nps, ind.csat, ind.ces, ind.cxi):
                f(responses, by=by)
        ind.barometer(responses, by="channel")
        ind.hot_vs_cold(responses, by="touchpoint")
        ind.hot_trend(responses, freq="M")
        ind.ultra_detractors(responses)
        ind.ultra_promoters(responses)
        ind.closed_loop(responses, by="touchpoint")
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        t0 = time.perf_counter()
        ind.response_rate(invitations, by=["survey", "touchpoint"])
        pressure = ind.survey_pressure(invitations)
        ind.pressure_response_curve(invitations)
        inv_times.append(time.perf_counter() - t0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB -> GiB
    return {
        "responses": len(responses),
        "invitations": len(invitations),
        "customers": len(pressure),
        "generate_s": gen,
        "compute_s": min(times),
        "compute_cpu_s": min(cpu),
        "invitations_s": min(inv_times),
        "peak_rss_gib": peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[1], help="millions of responses")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one size in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.repeats)))
        return
    print(
        f"load average before the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)"
    )
    print(
        f"{'responses':>12} {'indicators s':>13} {'(CPU s)':>8} {'invitations s':>14} {'peak RSS GiB':>13}"
        "  target (1M)"
    )
    for m in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(m * 1_000_000), "--repeats", str(args.repeats)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        target = ""
        if m == 1:
            target = f"≤ 2.0 s: {'met' if r['compute_s'] <= 2.0 else 'MISSED'}"
        print(
            f"{r['responses']:>12,} {r['compute_s']:>13.3f} {r['compute_cpu_s']:>8.3f} {r['invitations_s']:>14.3f} "
            f"{r['peak_rss_gib']:>13.2f}  {target}"
        )


if __name__ == "__main__":
    main()
