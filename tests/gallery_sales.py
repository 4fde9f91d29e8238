"""A gallery of realistic sales and survey export shapes (issue 19), generated in the tests.

Each ``make_*`` function writes one small client folder (``client.yaml`` + CSV files) into ``root`` and
returns its path. The shapes are the ones real exports have: returns and a cancelled order, sentinel and
mistyped dates, a stray Windows byte, an unmatched quote, partial or tiny surveys. Figures the tests
assert are computed here from the rows written (see :data:`FACTS`), not copied from an output.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

SEED = 19
ANALYSIS_END = pd.Timestamp("2026-06-30")
#: the cancelling customer of :func:`make_returns`: a large order, cancelled almost in full
CANCELLER = "C999"
BIG_ORDER = 168_472.00
BIG_CANCEL = -168_470.00


def _write(folder: Path, tables: dict[str, tuple[str, str]], **settings: object) -> Path:
    """``tables``: name -> (file name, file text or bytes). Writes client.yaml with canonical columns."""
    folder.mkdir(parents=True, exist_ok=True)
    config: dict[str, object] = {"name": folder.name, "language": "en", "currency": "EUR", **settings}
    config["tables"] = {name: {"file": file} for name, (file, _) in tables.items()}
    for file, text in tables.values():
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (folder / file).write_bytes(data)
    (folder / "client.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return folder


def retail_transactions(customers: int = 60, seed: int = SEED) -> pd.DataFrame:
    """Two years of retail sales for ``customers`` customers (repeat buyers), ISO dates."""
    rng = np.random.default_rng(seed)
    rows = []
    start = ANALYSIS_END - pd.Timedelta(days=730)
    for i in range(customers):
        n = int(rng.integers(2, 12))
        days = np.sort(rng.integers(0, 730, size=n))
        for d in days:
            rows.append(
                {
                    "customer_id": f"C{i:03d}",
                    "date": (start + pd.Timedelta(days=int(d))).strftime("%Y-%m-%d"),
                    "amount": round(float(rng.gamma(2.0, 40.0)) + 5.0, 2),
                }
            )
    return pd.DataFrame(rows)


def make_returns(root: Path) -> Path:
    """Retail with 2 % returns (negative amounts) and one large order cancelled almost in full."""
    tx = retail_transactions()
    rng = np.random.default_rng(SEED + 1)
    picked = rng.choice(len(tx), size=max(1, round(0.02 * len(tx))), replace=False)
    returns = tx.iloc[picked].copy()
    returns["amount"] = -returns["amount"]
    big = pd.DataFrame(
        [
            {"customer_id": CANCELLER, "date": "2026-05-02", "amount": BIG_ORDER},
            {"customer_id": CANCELLER, "date": "2026-05-05", "amount": BIG_CANCEL},
        ]
    )
    tx = pd.concat([tx, returns, big], ignore_index=True)
    return _write(root / "returns", {"transactions": ("sales.csv", tx.to_csv(index=False))})


def make_future_rows(root: Path) -> Path:
    """Retail where three rows were mistyped as 2042."""
    tx = retail_transactions()
    for k, row in enumerate((3, 17, 40)):
        tx.loc[row, "date"] = f"2042-01-1{k + 4}"
    return _write(root / "future", {"transactions": ("sales.csv", tx.to_csv(index=False))})


def make_sentinel(root: Path) -> Path:
    """Retail, day-first dates, with ``31/12/9999`` in the date and in an optional date column."""
    tx = retail_transactions()
    tx["date"] = pd.to_datetime(tx["date"]).dt.strftime("%d/%m/%Y")
    tx.loc[5, "date"] = "31/12/9999"
    text = tx.to_csv(index=False, sep=";")
    customers = "customer_id;name;since\nC000;Alpha;31/12/9999\nC001;Beta;01/02/2020\nC002;Gamma;01/01/0001\n"
    return _write(
        root / "sentinel",
        {"transactions": ("sales.csv", text), "customers": ("customers.csv", customers)},
    )


def make_cp1252_byte(root: Path) -> Path:
    """A UTF-8 customers file with one cp1252 byte (an 'à' typed on Windows) on one row."""
    tx = retail_transactions(customers=20)
    names = ["Società Più", "Caffè Roma", "Perù Import"] + [f"Cliente {i}" for i in range(3, 20)]
    lines = ["customer_id,name"] + [f"C{i:03d},{name}" for i, name in enumerate(names)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    data = data.replace(b"Cliente 7", "Citt\xe0 7".encode("cp1252"))  # row 9 (header = row 1)
    return _write(
        root / "cp1252",
        {"transactions": ("sales.csv", tx.to_csv(index=False)), "customers": ("customers.csv", data)},
    )


def _responses(n: int, seed: int = SEED, columns: tuple[str, ...] = ("nps", "csat", "ces")) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "response_id": [f"R{i:03d}" for i in range(n)],
            "customer_id": [f"C{i % 20:03d}" for i in range(n)],
            "answered_at": [
                (ANALYSIS_END - pd.Timedelta(days=int(d))).strftime("%Y-%m-%d")
                for d in rng.integers(1, 300, n)
            ],
            "survey": ["cold" if i % 2 else "hot" for i in range(n)],
        }
    )
    ranges = {"nps": (0, 11), "csat": (1, 6), "ces": (1, 8)}
    for col in columns:
        frame[col] = rng.integers(*ranges[col], size=n)
    frame["comment"] = ["ok" if i % 3 else "" for i in range(n)]
    return frame


def make_unmatched_quote(root: Path) -> Path:
    """65 survey responses where one comment opens a quote it never closes."""
    frame = _responses(65)
    text = frame.to_csv(index=False)
    lines = text.splitlines()
    # row 11 of the file (response R009): the comment starts with an unmatched quote
    lines[10] = lines[10].rsplit(",", 1)[0] + ',"broken comment'
    tx = retail_transactions(customers=20)
    return _write(
        root / "quote",
        {
            "transactions": ("sales.csv", tx.to_csv(index=False)),
            "survey_responses": ("responses.csv", "\n".join(lines) + "\n"),
        },
    )


def _survey_client(root: Path, name: str, frame: pd.DataFrame) -> Path:
    tx = retail_transactions(customers=20)
    return _write(
        root / name,
        {
            "transactions": ("sales.csv", tx.to_csv(index=False)),
            "survey_responses": ("responses.csv", frame.to_csv(index=False)),
        },
    )


def make_no_nps(root: Path) -> Path:
    return _survey_client(root, "no_nps", _responses(40, columns=("csat", "ces")))


def make_two_responses(root: Path) -> Path:
    return _survey_client(root, "two", _responses(2))


def make_blank_scores(root: Path) -> Path:
    frame = _responses(12)
    for col in ("nps", "csat", "ces"):
        frame[col] = ""
    return _survey_client(root, "blank_scores", frame)


def make_only_ces(root: Path) -> Path:
    return _survey_client(root, "only_ces", _responses(30, columns=("ces",)))


GALLERY: dict[str, Callable[[Path], Path]] = {
    "returns": make_returns,
    "future": make_future_rows,
    "sentinel": make_sentinel,
    "cp1252": make_cp1252_byte,
    "quote": make_unmatched_quote,
    "no_nps": make_no_nps,
    "two": make_two_responses,
    "blank_scores": make_blank_scores,
    "only_ces": make_only_ces,
}
