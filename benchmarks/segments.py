"""Segmentation benchmark: BG/NBD + Gamma-Gamma fit and segmentation of 100,000 customers / 2,000,000
transactions (synthetic, seeded). Target: ≤ 20 s on 2 cores.

Prints the data size, the time of each step (summary + fits, full ``segment_customers``, summary table,
scatter chart spec), the process's peak resident memory and the tracemalloc peak of the segmentation.

    .venv/bin/python benchmarks/segments.py [--customers 100000] [--transactions 2000000] [--seed 5]
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np
import pandas as pd

from cxlab import segments as sg
from cxlab.charts import segments as cs

END = pd.Timestamp("2026-10-31")


def synthetic_transactions(customers: int, transactions: int, seed: int) -> pd.DataFrame:
    """Three years of purchases: heterogeneous rates (gamma), lifetimes (exponential) and spend."""
    rng = np.random.default_rng(seed)
    span = 3 * 365
    birth = rng.integers(0, span - 1, customers)
    death = np.minimum(birth + rng.exponential(2 * 365, customers), span)
    weight = rng.gamma(0.9, 1.0, customers) * (death - birth + 1)
    extra = rng.multinomial(transactions - customers, weight / weight.sum())
    counts = 1 + extra  # everyone buys at least once
    cust = np.repeat(np.arange(customers), counts)
    first = np.r_[0, np.cumsum(counts)[:-1]]
    u = rng.random(len(cust))
    u[first] = 0.0  # the first purchase is on the birth day
    day = birth[cust] + np.floor(u * (death[cust] - birth[cust])).astype(np.int64)
    scale = rng.gamma(4.0, 1 / 60.0, customers)  # Gamma-Gamma spend
    amount = np.round(rng.gamma(6.0, 1 / scale[cust]), 2)
    start = END - pd.Timedelta(days=span - 1)
    ids = np.array([f"C{i:06d}" for i in range(customers)], dtype=object)
    return pd.DataFrame(
        {
            "customer_id": pd.array(ids[cust], dtype="str"),
            "date": start + pd.to_timedelta(day, unit="D"),
            "amount": amount,
            "margin": np.round(amount * 0.25, 2),
        }
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--transactions", type=int, default=2_000_000)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()

    t0 = time.perf_counter()
    data = synthetic_transactions(args.customers, args.transactions, args.seed)
    t_gen = time.perf_counter() - t0
    rss_data = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"data: {data['customer_id'].nunique():,} customers, {len(data):,} transactions ({t_gen:.1f} s to generate)"
    )

    t0 = time.perf_counter()
    model = sg.fit_value_model(data, END)
    t_fit = time.perf_counter() - t0
    print(
        f"summary + BG/NBD + Gamma-Gamma fit: {t_fit:.2f} s ({model.method}; {model.bgnbd}; {model.gamma_gamma})"
    )

    t0 = time.perf_counter()
    seg = sg.segment_customers(data, END)
    t_seg = time.perf_counter() - t0
    t0 = time.perf_counter()
    summary = sg.segment_summary(seg)
    t_sum = time.perf_counter() - t0
    t0 = time.perf_counter()
    spec = cs.value_potential_scatter(seg).to_dict()
    t_chart = time.perf_counter() - t0
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    tracemalloc.start()
    sg.segment_customers(data, END)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    counts = seg["segment"].value_counts().reindex(list(sg.SEGMENTS)).to_dict()
    rows = len(spec["datasets"][spec["layer"][0]["data"]["name"]])
    print(f"segment_customers (fit + value + potential + segments): {t_seg:.2f} s  [target ≤ 20 s]")
    print(f"segment_summary: {t_sum:.3f} s; scatter spec: {t_chart:.2f} s ({rows:,} binned rows)")
    print(f"segments: {counts}; methods: {seg['method'].value_counts().to_dict()}")
    print(f"share of value in premium: {summary.loc[0, 'share_of_value']:.1%}")
    print(
        f"peak memory: process RSS {rss_peak:,.0f} MiB (data alone {rss_data:,.0f} MiB); "
        f"tracemalloc peak of segment_customers {traced_peak / 2**20:,.0f} MiB"
    )


if __name__ == "__main__":
    main()
