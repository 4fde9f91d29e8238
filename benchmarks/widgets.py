"""Responsiveness of the widgets on big clients: time to open, and time per change (one click).

    .venv/bin/python benchmarks/widgets.py           # 1M-row file, 1M events, 100k customers
    .venv/bin/python benchmarks/widgets.py --small   # 200k rows / events, 20k customers

* column mapper: open a 1M-row event CSV (`;`, day-first dates) = read + suggestions + a trial load of the
  first 100,000 rows; then one mapping change (= one live validation).
* segment explorer: open on synthetic transactions, then one threshold change (the library refits the
  value model on every call of ``segment_customers``: that is most of the time per change).
* handoff explorer: open on a synthetic 1M-event log, then one pair change (examples and timelines).
Peak memory is the process's peak RSS (``resource.getrusage``), for the whole run.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from handoffs import synthetic_log  # noqa: E402
from segments import synthetic_transactions  # noqa: E402

from cxlab.config import ClientConfig  # noqa: E402
from cxlab.intake import Client, DataQuality  # noqa: E402
from cxlab.widgets import ColumnMapper, HandoffExplorer, SegmentExplorer  # noqa: E402


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def mapper(root: Path, rows: int) -> None:
    rng = np.random.default_rng(1)
    stamps = pd.Timestamp("2026-01-01") + pd.to_timedelta(
        np.sort(rng.integers(0, 30_000_000, rows)), unit="s"
    )
    frame = pd.DataFrame(
        {
            "Ticket": np.char.add("T", rng.integers(0, rows // 20, rows).astype(str)),
            "Data ora": stamps.strftime("%d/%m/%Y %H:%M"),
            "Attività": rng.choice(["Ordine ricevuto", "Prelievo", "Spedizione", "Risposta inviata"], rows),
            "Reparto": rng.choice(["Vendite", "Logistica", "Credito", "Assistenza"], rows),
            "Canale": rng.choice(["telefono", "web", "email"], rows),
        }
    )
    (root / "data").mkdir(parents=True)
    frame.to_csv(root / "data" / "ticket.csv", sep=";", index=False)
    (root / "client.yaml").write_text("name: Bench\nlanguage: it\ntables: {}\n", encoding="utf-8")
    w, t_open = timed(lambda: ColumnMapper(root, "events", file="data/ticket.csv"))
    _, t_change = timed(lambda: setattr(w, "mapping", {**w.mapping, "Canale": ""}))
    print(
        f"column mapper   {rows:>9,} rows      open {t_open:6.2f} s   change {t_change:6.3f} s   valid={w.valid}"
    )


def _client(root: Path, **tables: pd.DataFrame) -> Client:
    (root / "client.yaml").write_text("name: Bench\n", encoding="utf-8")
    return Client(config=ClientConfig(name="Bench", root=root), tables=tables, quality=DataQuality())


def segments(root: Path, customers: int) -> None:
    tx = synthetic_transactions(customers, customers * 20, seed=7)
    client = _client(root, transactions=tx)
    w, t_open = timed(lambda: SegmentExplorer(client, lang="en"))
    _, t_change = timed(lambda: setattr(w, "value_share", 0.3))
    print(
        f"segment explorer {customers:>8,} customers open {t_open:6.2f} s   change {t_change:6.3f} s"
        f"   points={len(w.points)}"
    )


def handoffs(root: Path, events: int) -> None:
    log = synthetic_log(events)
    client = _client(root, events=log)
    w, t_open = timed(lambda: HandoffExplorer(client, lang="en"))
    other = next(r for r in w.matrix if [r["from"], r["to"]] != w.pair)
    _, t_change = timed(lambda: setattr(w, "pair", [other["from"], other["to"]]))
    print(f"handoff explorer {events:>8,} events    open {t_open:6.2f} s   change {t_change:6.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true")
    args = parser.parse_args()
    rows, events, customers = (200_000, 200_000, 20_000) if args.small else (1_000_000, 1_000_000, 100_000)
    with tempfile.TemporaryDirectory() as tmp:
        mapper(Path(tmp) / "mapper", rows)
        (Path(tmp) / "seg").mkdir()
        segments(Path(tmp) / "seg", customers)
        (Path(tmp) / "ho").mkdir()
        handoffs(Path(tmp) / "ho", events)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
