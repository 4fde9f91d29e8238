"""The two ways of reading a CSV give the same client.

The fast read (pandas' C parser with its own type inference, columns converted on threads) must give the
same tables, dtypes, dropped rows, issues and notes as the string path (every column read as text and
converted by cxlab), which stays the reference for files the fast read cannot take.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from shared_data import DATASETS, receipt_client

import cxlab.io
from cxlab.demo import generate_demo_client
from cxlab.io import Client, load_client


@pytest.fixture
def fast_reads(monkeypatch) -> list[str]:
    """Names the files the fast read took (so a test can check it was not skipped)."""
    taken: list[str] = []
    original = cxlab.io._read_csv_fast

    def spy(path, *args, **kwargs):
        frame = original(path, *args, **kwargs)
        if frame is not None:
            taken.append(Path(path).name)
        return frame

    monkeypatch.setattr(cxlab.io, "_read_csv_fast", spy)
    return taken


def load_both(folder: Path, monkeypatch) -> tuple[Client, Client]:
    fast = load_client(folder)
    with monkeypatch.context() as patch:
        patch.setattr(cxlab.io, "_FAST_CSV", False)
        reference = load_client(folder)
    return fast, reference


def assert_same_client(fast: Client, reference: Client) -> None:
    assert fast.tables.keys() == reference.tables.keys()
    for name, expected in reference.tables.items():
        pd.testing.assert_frame_equal(fast.tables[name], expected, obj=name)
    pd.testing.assert_frame_equal(fast.quality.summary(), reference.quality.summary())
    pd.testing.assert_frame_equal(fast.quality.issues_frame(), reference.quality.issues_frame())
    assert fast.quality.notes == reference.quality.notes


def test_demo_client_reads_the_same_both_ways(tmp_path, monkeypatch, fast_reads):
    folder = generate_demo_client(tmp_path / "demo", customers=150, cases=1200, seed=5)
    fast, reference = load_both(folder, monkeypatch)
    assert_same_client(fast, reference)
    csv_tables = [src.file for src in fast.config.tables.values() if src.file.endswith(".csv")]
    assert len(csv_tables) >= 5
    assert sorted(fast_reads) == sorted(Path(file).name for file in csv_tables)  # none was skipped


@pytest.mark.skipif(not (DATASETS / "receipt.csv").exists(), reason="shared receipt.csv not found")
def test_receipt_log_reads_the_same_both_ways(tmp_path, monkeypatch, fast_reads):
    fast, reference = load_both(receipt_client(tmp_path / "receipt"), monkeypatch)
    assert_same_client(fast, reference)
    assert fast_reads == ["receipt.csv"]
    assert fast.quality.tables["events"].rows_kept == 8577


def messy_client(folder: Path, rows: int, seed: int = 3) -> Path:
    """Survey responses, events and transactions with the problems real exports have, in ``rows`` rows."""
    rng = np.random.default_rng(seed)
    data = folder / "data"
    data.mkdir(parents=True)
    ids = np.char.add("00", np.arange(rows).astype(str))  # leading zeros: the ids must stay text
    ids[5] = ids[4]  # a duplicate id
    when = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 300 * 86400, rows), unit="s")
    answered = pd.Series(when.strftime("%Y-%m-%d %H:%M:%S"))
    answered[7] = ""  # missing required date: dropped
    answered[8] = "31/02/2026"  # not a date: dropped
    nps = pd.Series(rng.integers(0, 11, rows).astype(str))
    nps[9], nps[10], nps[11] = "11", "nine", ""
    survey = pd.Series(rng.choice(["Hot", " cold ", "Relazionale", "hot"], rows))
    survey[12] = "weekly"  # not a survey type: dropped
    comment = pd.Series(rng.choice(["  ottimo servizio ", "", "late delivery", "ok"], rows))
    pd.DataFrame(
        {
            "response_id": ids,
            "customer": np.char.add("K", rng.integers(0, 500, rows).astype(str)),
            "answered_at": answered,
            "survey": survey,
            "wave": rng.integers(1, 3, rows),  # numbers in a category column
            "nps": nps,
            "csat": rng.integers(1, 6, rows),
            "comment": comment,
            "channel": "",  # an optional column left blank
            "unused": rng.random(rows),
        }
    ).to_csv(data / "responses.csv", index=False)

    cases = rng.integers(0, max(rows // 5, 1), rows)
    case_ids = pd.Series(np.char.add("case-", cases.astype(str)))
    case_ids[2], case_ids[3] = f" {case_ids[1]} ", ""  # padded (the same case as row 1) and blank
    events = pd.DataFrame(
        {
            "case_id": case_ids,
            "timestamp": when.strftime("%Y-%m-%dT%H:%M:%S"),
            "activity": rng.choice(["Order", "Ship", " Invoice", "Call "], rows),
            "department": rng.choice(["Sales", "Logistics", "", "Credit"], rows),
            "is_customer_contact": rng.choice(["sì", "no", "1", "0", "maybe"], rows),
            "agent": rng.choice(["a1", "a2", ""], rows),
        }
    )
    events.to_csv(data / "events.csv", index=False)

    amounts = pd.Series(np.round(rng.random(rows) * 1000, 2)).map(lambda v: f"{v:.2f}".replace(".", ","))
    amounts[3] = "-5,00"  # below the minimum: dropped
    pd.DataFrame(
        {
            "cliente": np.char.add("K", rng.integers(0, 500, rows).astype(str)),
            "data": when.strftime("%d/%m/%Y"),
            "importo": amounts,
            "margin": "",
        }
    ).to_csv(data / "sales.csv", index=False, sep=";")

    config = {
        "name": "Messy S.p.A.",
        "language": "it",
        "tables": {
            "survey_responses": {
                "file": "data/responses.csv",
                "columns": {"customer": "customer_id"},
                "values": {"survey": {"Relazionale": "cold"}},
            },
            "events": {"file": "data/events.csv"},
            "transactions": {
                "file": "data/sales.csv",
                "columns": {"cliente": "customer_id", "data": "date", "importo": "amount"},
            },
        },
    }
    (folder / "client.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.mark.parametrize("rows", [400, 100_000], ids=["small", "threaded"])
def test_messy_files_read_the_same_both_ways(tmp_path, monkeypatch, fast_reads, rows):
    fast, reference = load_both(messy_client(tmp_path / "messy", rows), monkeypatch)
    assert_same_client(fast, reference)
    assert sorted(fast_reads) == ["events.csv", "responses.csv", "sales.csv"]
    responses = fast.tables["survey_responses"]
    assert responses["response_id"].iloc[0] == "000"  # leading zeros kept
    assert set(responses["survey"].cat.categories) == {"hot", "cold"}
    assert set(responses["wave"].cat.categories) == {"1", "2"}
    issues = fast.quality.issues_frame()
    problems = set(zip(issues["column"], issues["problem"], strict=True))
    assert {
        ("response_id", "DuplicateIdError"),
        ("answered_at", "MissingValueError"),
        ("answered_at", "InvalidValueError"),
        ("nps", "ValueRangeError"),
        ("nps", "InvalidValueError"),
        ("survey", "InvalidValueError"),
        ("is_customer_contact", "InvalidValueError"),
        ("department", "MissingValueError"),
        ("amount", "ValueRangeError"),
    } <= problems
    assert fast.tables["transactions"]["amount"].dtype == "float64"
    assert responses["channel"].isna().all() and fast.tables["transactions"]["margin"].isna().all()
    events = fast.tables["events"]
    assert events["activity"].cat.categories.tolist() == ["Call", "Invoice", "Order", "Ship"]
    assert events["case_id"].str.strip().eq(events["case_id"]).all()
    sizes = events["case_id"].value_counts()
    expected = f"{(sizes == 1).sum()} of {len(sizes)} cases have a single event"
    assert any(note.startswith(expected) for note in fast.quality.notes), fast.quality.notes


def test_a_ragged_line_leaves_the_fast_read_to_the_string_path(tmp_path, monkeypatch, fast_reads):
    folder = messy_client(tmp_path / "messy", 300)
    path = folder / "data" / "events.csv"
    path.write_text(path.read_text() + "case-1,2026-03-01T10:00:00,Order,Sales,1,a1,EXTRA\n")
    fast, reference = load_both(folder, monkeypatch)
    assert "events.csv" not in fast_reads
    assert_same_client(fast, reference)
    assert any(issue.column is None and issue.count == 1 for issue in fast.quality.tables["events"].issues)
