"""Culture, findings and recommendations benchmark.

Prints: culture scoring (pillar scores, spread, self vs others, figures) on a synthetic workshop table of
1,000,000 answers; rule evaluation of the whole playbook (per findings set); collect_findings + the
action plan on the demo client (default size and --cases). Time from an untraced run, peak memory from
a second run under tracemalloc.

    .venv/bin/python benchmarks/recommend.py [--answers 1000000] [--cases 20000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from cxlab import culture
from cxlab.demo import generate_demo_client
from cxlab.diagnosis import Diagnosis
from cxlab.findings import collect_findings
from cxlab.intake import load_client
from cxlab.questionnaire import QUESTIONS
from cxlab.recommend import action_plan, discover_rules, evaluate

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


def measure(label: str, fn):
    """Time one untraced run (tracemalloc slows pandas code many times over), then trace a second run
    for the peak memory."""
    t0 = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:<58} {seconds:8.3f} s   peak {peak / 2**20:8.1f} MiB")
    return result


def synthetic_culture(answers: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    qids = np.array([q.id for q in QUESTIONS])
    dept = rng.integers(0, len(DEPARTMENTS), answers)
    rated = np.where(rng.random(answers) < 0.3, rng.integers(0, len(DEPARTMENTS), answers), -1)
    names = np.array(DEPARTMENTS, dtype=object)
    return pd.DataFrame(
        {
            "department": pd.Categorical(names[dept]),
            "respondent": pd.array(
                [f"r{i}" for i in rng.integers(0, answers // 12 + 1, answers)], dtype="str"
            ),
            "question_id": pd.Categorical(qids[rng.integers(0, len(qids), answers)]),
            "score": rng.integers(1, 6, answers).astype("float64"),
            "rated_department": pd.Categorical(np.where(rated >= 0, names[np.maximum(rated, 0)], None)),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=20_000)
    args = parser.parse_args()

    table = synthetic_culture(args.answers)
    print(f"culture table: {len(table):,} answers")
    measure("pillar_scores", lambda: culture.pillar_scores(table))
    measure("self_vs_others", lambda: culture.self_vs_others(table))
    measure("culture_figures (all culture.* keys)", lambda: culture.culture_figures(table))

    rules = discover_rules()
    with tempfile.TemporaryDirectory() as tmp:
        for cases, customers in ((4000, 600), (args.cases, max(600, args.cases * 3 // 20))):
            folder = generate_demo_client(Path(tmp) / f"demo{cases}", customers=customers, cases=cases)
            client = load_client(folder)
            findings = measure(
                f"collect_findings, demo {customers:,} customers / {cases:,} cases",
                lambda client=client: collect_findings(Diagnosis(client)),
            )
            print(f"  {len(findings)} figures; skipped: {sorted(findings.skipped) or 'none'}")
        n = 1000
        t0 = time.perf_counter()
        for _ in range(n):
            evaluate(findings, rules)
        per = (time.perf_counter() - t0) / n
        print(f"{'evaluate ' + str(len(rules)) + ' rules on one findings set':<58} {per * 1000:8.3f} ms")
        shown = measure("action_plan (rules + overrides)", lambda: action_plan(findings, folder))
        print(f"  {len(shown)} recommendations shown")


if __name__ == "__main__":
    main()
