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

import cxlab.intake.convert
import cxlab.intake.read
from cxlab.demo import generate_demo_client
from cxlab.intake import Client, load_client


@pytest.fixture
def fast_reads(monkeypatch) -> list[str]:
    """Names the files the fast read took (so a test can check it was not skipped)."""
    taken: list[str] = []
    original = cxlab.intake.read._read_csv_fast

    def spy(path, *args, **kwargs):
        frame = original(path, *args, **kwargs)
        if frame is not None:
            taken.append(Path(path).name)
        return frame

    monkeypatch.setattr(cxlab.intake.read, "_read_csv_fast", spy)
    return taken


def load_both(folder: Path, monkeypatch) -> tuple[Client, Client]:
    fast = load_client(folder)
    with monkeypatch.context() as patch:
        patch.setattr(cxlab.intake.read, "_FAST_CSV", False)
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
    amounts[3] = "n/d"  # not a number: dropped (a negative amount is a return, kept)
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
        ("amount", "InvalidValueError"),
    } <= problems
    assert fast.tables["transactions"]["amount"].dtype == "float64"
    assert responses["channel"].isna().all() and fast.tables["transactions"]["margin"].isna().all()
    events = fast.tables["events"]
    assert events["activity"].cat.categories.tolist() == ["Call", "Invoice", "Order", "Ship"]
    assert events["case_id"].str.strip().eq(events["case_id"]).all()
    sizes = events["case_id"].value_counts()
    expected = f"{(sizes == 1).sum():,} of {len(sizes):,} cases have a single event"
    assert any(note.startswith(expected) for note in fast.quality.notes), fast.quality.notes


def test_a_ragged_line_leaves_the_fast_read_to_the_string_path(tmp_path, monkeypatch, fast_reads):
    folder = messy_client(tmp_path / "messy", 300)
    path = folder / "data" / "events.csv"
    path.write_text(path.read_text() + "case-1,2026-03-01T10:00:00,Order,Sales,1,a1,EXTRA\n")
    fast, reference = load_both(folder, monkeypatch)
    assert "events.csv" not in fast_reads
    assert_same_client(fast, reference)
    assert any(issue.column is None and issue.count == 1 for issue in fast.quality.tables["events"].issues)


def _dictionary_encoding(text) -> tuple[list, np.ndarray]:
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(text).combine_chunks()
    return encoded.dictionary.to_pylist(), encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)


@pytest.mark.parametrize(
    "layout",
    [
        "runs",
        "shuffled",
        "runs_with_blanks_and_returns",
        "few",
        "few_with_blanks",
        "few_and_a_new_value_mid_column",
        "few_and_a_new_value_at_the_end",
        "few_and_a_value_only_once_in_the_head",
    ],
)
def test_text_encoding_matches_arrow_dictionary_encoding(layout):
    """The shortcuts of _encode_text (one value per run; a lookup in the few values of the first rows)
    give Arrow's own dictionary encoding, value for value: same dictionary order, codes and blanks, also
    when a value the first rows lack appears further down."""
    import pyarrow as pa

    rng = np.random.default_rng(7)
    ids = np.repeat([f"C{i}" for i in rng.permutation(20_000)], rng.integers(1, 12, 20_000)).astype(object)
    if layout == "shuffled":
        ids = rng.permutation(ids)
    if layout == "runs_with_blanks_and_returns":
        ids[rng.integers(0, len(ids), 500)] = None  # blanks inside runs
        ids[-3:] = ids[:3]  # a case that comes back at the end: not one run
    if layout.startswith("few"):
        ids = rng.choice(["Sales", "Logistics", "Credit", "Web Portal", "Zürich"], len(ids)).astype(object)
        if layout != "few":
            ids[rng.integers(0, len(ids), 500)] = None
        if layout == "few_and_a_new_value_mid_column":
            ids[len(ids) // 2] = "Billing"  # past the first and before the last rows: only the lookup sees it
        if layout == "few_and_a_new_value_at_the_end":
            ids[-10] = "Billing"
        if layout == "few_and_a_value_only_once_in_the_head":
            ids[ids == "Credit"] = "Sales"
            ids[4000] = "Credit"
    text = pa.chunked_array([pa.array(part, pa.large_string()) for part in np.array_split(ids, 7)])
    dictionary, codes = cxlab.intake.convert._encode_text(text)
    expected_dictionary, expected_codes = _dictionary_encoding(text)
    if layout.startswith("few"):  # the lookup is taken only when every row's value is among the head's
        looked_up = cxlab.intake.convert._encode_few(text, text.slice(0, 4096))
        assert (looked_up is None) == ("new_value" in layout)
    assert len(text) >= 100_000  # large enough for the shortcut to be considered
    assert dictionary.to_pylist() == expected_dictionary
    assert codes.dtype == np.int32
    np.testing.assert_array_equal(codes, expected_codes)


@pytest.mark.parametrize(
    ("values", "trimmed"),
    [
        (["C1", "C22", None, "K9"], True),
        (["C1", " C22", "K9"], False),
        (["C1", "C22 ", "K9"], False),
        (["C1", "", "K9"], False),
        (["C1", "Zürich", "K9"], True),
        (["C1", "\u00a0C2", "K9"], False),  # a no-break space: Unicode whitespace
        (["C1", "C2\t", None], False),
        ([None, None, "x"], True),
    ],
)
def test_the_trimmed_check_never_skips_a_strip_that_changes_something(values, trimmed):
    text = pd.Series(values * 5_000, dtype="str")
    assert cxlab.intake.convert._is_trimmed(text) is trimmed
    stripped = cxlab.intake.convert._strip(text)
    expected = text.str.strip()
    expected = expected.where(expected != "")
    pd.testing.assert_series_equal(stripped, expected)


@pytest.mark.parametrize(
    ("fmt", "values"),
    [
        ("%d/%m/%Y %H:%M:%S", ["31/12/2025 08:30:00", "01/02/2024 23:59:59", None, "29/02/2024 00:00:00"]),
        ("%d/%m/%Y %H:%M", ["31/12/2025 08:30", None, None, "01/01/2026 00:00"]),
        ("%d.%m.%Y", ["31.12.2025", "01.02.2024", "29.02.2024"]),
        ("%m/%d/%Y", ["12/31/2025", "02/01/2024"]),
        # each of these leaves the fast path to Arrow's strptime, value by value
        ("%d/%m/%Y %H:%M:%S", ["31/12/2025 08:30:00", "30/02/2025 10:00:00"]),  # no 30 February
        ("%d/%m/%Y %H:%M:%S", ["31/12/2025 08:30:00", "01/02/2025 10:11:60"]),  # a leap second
        ("%d/%m/%Y %H:%M:%S", ["31/12/2025 08:30:00", "01/02/2025T10:11:12"]),  # not the format's space
        ("%d/%m/%Y %H:%M:%S", ["31/12/2025 08:30:00", "1/2/2025 10:11:12"]),  # not zero-padded
        ("%d/%m/%Y", ["31/12/2025", "31-12-2025"]),
    ],
)
def test_fixed_width_dates_parse_as_strptime_does(fmt, values):
    """Day-first dates moved into ISO order and cast by Arrow, then Arrow's strptime, then pandas for what
    is left, give what pandas' strict strptime gives: an impossible day (30/02, 31/04) is not a date, where
    Arrow's strptime alone would roll it over into the next month."""
    text = pd.Series(values * 3_000, dtype="str")
    parsed = cxlab.intake.convert._parse_with(text, fmt, False)
    expected = pd.to_datetime(text, format=fmt, errors="coerce").astype("datetime64[ns]")
    pd.testing.assert_series_equal(parsed, expected, check_names=False)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["31/04/2026", "30/04/2026"], [None, "2026-04-30"]),  # no 31 April: not 1 May
        (["31/12/9999", "01/01/2020"], [None, "2020-01-01"]),  # beyond pandas' range: no crash
        (["2300-01-01", "0001-01-01", "2020-01-01"], [None, None, "2020-01-01"]),
    ],
)
def test_impossible_and_sentinel_dates_are_not_dates(values, expected):
    from cxlab.config import TableSource

    parsed = cxlab.intake.convert._parse_dates(
        pd.Series(values, dtype="str"), TableSource("x"), "Europe/Rome"
    )
    assert parsed.tolist() == [pd.NaT if e is None else pd.Timestamp(e) for e in expected]


def test_naive_values_next_to_utc_offsets_stay_local_time():
    import numpy as np

    from cxlab.config import TableSource

    text = pd.Series(["2026-04-30T10:00:00Z", "2026-04-30 10:00:00", "2026-04-30 11:00:00"], dtype="str")
    naive = np.zeros(3, dtype=bool)
    parsed = cxlab.intake.convert._parse_dates(text, TableSource("x"), "Europe/Rome", naive)
    # 10:00 UTC is 12:00 in Rome (summer time); the values without an offset are Rome time as written
    assert parsed.tolist() == [
        pd.Timestamp("2026-04-30 12:00"),
        pd.Timestamp("2026-04-30 10:00"),
        pd.Timestamp("2026-04-30 11:00"),
    ]
    assert naive.tolist() == [False, True, True]


def test_fixed_width_dates_take_the_fast_path_only_when_every_value_fits():
    import pyarrow as pa

    fits = pa.array(["31/12/2025 08:30:00", None, "01/02/2024 23:59:59"] * 1000, pa.large_string())
    parsed = cxlab.intake.convert._fixed_width_dates(fits, "%d/%m/%Y %H:%M:%S")
    assert parsed is not None
    assert parsed[0] == np.datetime64("2025-12-31T08:30:00") and np.isnat(parsed[1])
    assert parsed.dtype == np.dtype("datetime64[ns]") and len(parsed) == 3000
    assert parsed[2999] == np.datetime64("2024-02-01T23:59:59")
    assert (
        cxlab.intake.convert._fixed_width_dates(pa.array(["1/2/2025 10:11:12"]), "%d/%m/%Y %H:%M:%S") is None
    )
    assert (
        cxlab.intake.convert._fixed_width_dates(fits, "%d/%m/%y %H:%M:%S") is None
    )  # two-digit years: not fixed


def test_fixed_width_dates_in_blocks_match_pandas_across_block_edges_and_sentinels():
    """The block-wise fast path (a scratch buffer reused per 65,536 rows) gives pandas' own values on every
    row, over block and chunk edges, with blanks and a 31/12/9999 sentinel (NaT: outside pandas' range)."""
    import pyarrow as pa

    rng = np.random.default_rng(7)
    seconds = pd.Timestamp("2024-01-01").value // 10**9 + rng.integers(0, 400 * 86400, 70_001)
    stamps = pd.Series(pd.to_datetime(seconds, unit="s").strftime("%d/%m/%Y %H:%M"), dtype=object)
    stamps[[0, 65_535, 65_536, 70_000]] = None
    stamps[40_000] = "31/12/9999 23:59"
    chunks = [pa.array(part.tolist(), pa.large_string()) for part in (stamps[:30_000], stamps[30_000:])]
    parsed = cxlab.intake.convert._fixed_width_dates(pa.chunked_array(chunks), "%d/%m/%Y %H:%M")
    assert parsed is not None and len(parsed) == 70_001
    expected = pd.to_datetime(stamps.where(stamps.index != 40_000), format="%d/%m/%Y %H:%M").to_numpy()
    assert np.isnat(parsed[[0, 65_535, 65_536, 70_000, 40_000]]).all()
    same = (parsed == expected) | (np.isnat(parsed) & np.isnat(expected))
    assert same.all(), np.flatnonzero(~same)[:5]


@pytest.mark.parametrize(
    ("fmt", "dayfirst"),
    [("%d/%m/%Y %H:%M:%S", True), ("%d.%m.%Y", True), ("%d/%m/%Y %H:%M", False)],
)
def test_a_large_day_first_column_converts_as_the_string_path_does(
    fmt: str, dayfirst: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The direct day-first path (large column, one fixed-width format) gives the string path's values
    and records: blanks dropped as missing, a sentinel 31/12/9999 and an impossible 31/04 counted (they
    send the column to the string path), and with ``dayfirst: false`` days <= 12 read month-first."""
    from cxlab.config import TableSource
    from cxlab.errors import InvalidValueError, MissingValueError, ValueRangeError
    from cxlab.intake.validate import PendingIssues
    from cxlab.schema import TABLES

    convert = cxlab.intake.convert
    rng = np.random.default_rng(3)
    seconds = pd.Timestamp("2025-01-01").value // 10**9 + rng.integers(0, 300 * 86400, 20_000)
    days = pd.to_datetime(seconds, unit="s")
    if not dayfirst:
        days = days[days.day <= 12]  # every value also reads month-first
    values = list(days.strftime(fmt))
    values[5] = values[77] = None  # blanks as a reader gives them (no bytes)
    clean = pd.Series(values, dtype="str")
    col = TABLES["events"].column("timestamp")
    src = TableSource(file="e.csv", dayfirst=dayfirst)
    assert (convert._day_first_fixed(clean, src) is not None) == dayfirst

    def recorded(pending: PendingIssues) -> list[tuple]:
        return [
            (c[1], c[2], c[3], int(np.asarray(c[0]).sum())) for c in pending.calls if np.asarray(c[0]).any()
        ]

    cases = [(clean, [])]
    if fmt == "%d/%m/%Y %H:%M:%S":
        for broken, error in (
            ("31/12/9999 10:00:00", ValueRangeError),
            ("31/04/2025 10:00:00", InvalidValueError),
        ):
            raw = pd.Series([*values[:9], broken, *values[10:]], dtype="str")
            cases.append((raw, [("timestamp", "dropped", error, 1)]))
    for raw, extra in cases:
        fast, slow = PendingIssues(), PendingIssues()
        got = convert._convert_column(raw, col, src, fast, "Europe/Rome")
        with monkeypatch.context() as patch:
            patch.setattr(convert, "_day_first_fixed", lambda *_: None)
            expected = convert._convert_column(raw, col, src, slow, "Europe/Rome")
        assert got.equals(expected)
        assert recorded(fast) == recorded(slow) == [*extra, ("timestamp", "dropped", MissingValueError, 2)]
        if not dayfirst:  # month-first: 03/05 is the 5th of March
            assert got[0] == pd.Timestamp(
                days[0].year, days[0].day, days[0].month, days[0].hour, days[0].minute
            )


def test_a_large_yes_no_column_converts_by_its_few_spellings_and_still_reports_others() -> None:
    """The equality fast path (sì/no in the first rows) gives the per-value path's answer: blanks False,
    and one unknown spelling far down ("forse") sends the column to the per-value path, which blanks and
    counts it."""
    from cxlab.config import TableSource
    from cxlab.intake.validate import PendingIssues
    from cxlab.schema import TABLES

    col = TABLES["events"].column("is_customer_contact")
    values = ["sì", "no", None, "no"] * 5000
    got = cxlab.intake.convert._convert_column(
        pd.Series(values, dtype="str"), col, TableSource(file="e.csv"), PendingIssues(), "Europe/Rome"
    )
    assert got.dtype == bool and int(got.sum()) == 5000 and bool(got[0]) and not got[2]
    pending = PendingIssues()
    odd = pd.Series([*values[:-1], "forse"], dtype="str")
    got = cxlab.intake.convert._convert_column(odd, col, TableSource(file="e.csv"), pending, "Europe/Rome")
    blanked = [(c[2], int(np.asarray(c[0]).sum()), int(np.flatnonzero(c[0])[0])) for c in pending.calls]
    assert blanked == [("blanked", 1, 19_999)] and int(got.sum()) == 5000


def test_the_repeated_hour_note_shows_the_flagged_times_as_written() -> None:
    """The note formats only its flagged rows (formatting every timestamp of a large log took over a
    second) and still shows them as wall times; the other rows are never shown."""
    from cxlab.intake.convert import _shown_at

    values = pd.Series(pd.to_datetime(["2025-10-26 01:50", "2025-10-26 02:40", "2025-10-26 03:30"]))
    shown = _shown_at(values, np.array([False, True, False]), "%Y-%m-%d %H:%M")
    assert shown.tolist() == [None, "2025-10-26 02:40", None]


def test_taking_a_few_rows_of_chunked_text_gives_iloc_values() -> None:
    """take_rows (chunk by chunk, without joining a large column's chunks) gives ``iloc``'s values, index
    and dtype, for rows in any order, negative positions, blanks and chunk edges."""
    import pyarrow as pa

    from cxlab.intake.validate import take_rows

    parts = [["a", None, "c"], [], ["d", "e"], ["f", None, "h", "i"]]
    chunked = pa.chunked_array([pa.array(p, pa.large_string()) for p in parts])
    values = pd.Series(pd.StringDtype("pyarrow", np.nan).__from_arrow__(chunked), name="v")
    values.index = values.index + 10
    assert pa.array(values.array).num_chunks == 4
    for positions in ([0, 1, 2, 3, 4, 5, 6, 7, 8], [8, 0, 4, 4, 1], [-1, 3], [], [2, 3]):
        rows = np.asarray(positions, dtype=np.int64)
        pd.testing.assert_series_equal(take_rows(values, rows), values.iloc[rows])
    with pytest.raises(IndexError):
        take_rows(values, np.array([9]))


@pytest.mark.parametrize("marker", ["N/A", "--", "(null)", "?"])
def test_a_marker_among_ids_of_its_length_is_still_blanked(marker: str) -> None:
    """The first-byte pre-check (ids such as K104 share a length with N/A, not a first byte) lets no
    marker through: one far down a large id column is blanked and counted."""
    from cxlab.config import TableSource
    from cxlab.intake.validate import PendingIssues
    from cxlab.schema import TABLES

    values = [f"K{i % 900 + 100}" if i % 7 else None for i in range(30_000)]
    values[-2] = marker
    text = pd.Series(values, dtype="str")
    assert not cxlab.intake.convert._markers_may_match(
        text.iloc[:-2], frozenset({"N/A", "--", "(null)", "?"})
    )
    assert cxlab.intake.convert._markers_may_match(text, frozenset({marker}))
    pending = PendingIssues()
    col = TABLES["events"].column("customer_id")
    got = cxlab.intake.convert._convert_column(text, col, TableSource(file="e.csv"), pending, "Europe/Rome")
    assert pd.isna(got.iloc[-2]) and got.iloc[-1] == values[-1]
    counts = [(c[2], int(np.asarray(c[0]).sum()), int(np.flatnonzero(c[0])[0])) for c in pending.calls]
    assert counts == [("blanked", 1, 29_998)]


@pytest.mark.parametrize(
    "values",
    [
        ["2025-01-01", "2024-03-01 10:00:01.123456789", None],  # a blank: pandas skips it
        [None, None],
        [],
        ["2025-01-01"],
    ],
)
def test_date_bounds_from_integers_are_pandas_min_and_max(values) -> None:
    from cxlab.intake.checks import _bound

    dates = pd.Series(pd.to_datetime(values, format="ISO8601"), dtype="datetime64[ns]")
    for last, expected in ((True, dates.max()), (False, dates.min())):
        got = _bound(dates, last=last)
        assert (pd.isna(got) and pd.isna(expected)) or (got == expected and got.unit == expected.unit)


def _events_with_stray_quotes(folder: Path, rows: int, column: str, max_rows: int | None = None) -> Path:
    """An events log of ``rows`` rows (and an unmapped ``note`` column) where a stray quote opens the
    ``column`` value of row 7 and another closes that of row 12: a parser reads the rows between as one
    value, with line breaks."""
    rng = np.random.default_rng(5)
    when = pd.Timestamp("2025-03-01") + pd.to_timedelta(rng.integers(0, 200 * 86400, rows), unit="s")
    events = pd.DataFrame(
        {
            "case_id": np.char.add("C", np.sort(rng.integers(0, rows // 5 + 1, rows)).astype(str)),
            "timestamp": when.strftime("%Y-%m-%d %H:%M:%S"),
            "activity": rng.choice(["Order", "Ship", "Invoice"], rows),
            "department": rng.choice(["Sales", "Logistics"], rows),
            "customer_id": np.char.add("K", rng.integers(0, 900, rows).astype(str)),
            "is_customer_contact": rng.choice(["sì", "no"], rows),
            "note": rng.choice(["ok", "late"], rows),
        }
    )
    events.loc[7, column] = '"' + events.loc[7, column]
    events.loc[12, column] = events.loc[12, column] + '"'
    folder.mkdir(parents=True)
    lines = [",".join(events.columns)] + [",".join(row) for row in events.to_numpy().tolist()]
    (folder / "events.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    limit = f"    max_rows: {max_rows}\n" if max_rows else ""
    (folder / "client.yaml").write_text(f"name: q\ntables:\n  events:\n    file: events.csv\n{limit}")
    return folder


@pytest.mark.parametrize("rows", [400, 120_000], ids=["small", "threaded"])
@pytest.mark.parametrize(
    "column",
    [
        "activity",  # a category: its distinct values are searched
        "case_id",  # the ids of the case codes, in runs
        "customer_id",  # an id column: its bytes are searched
        "timestamp",  # a date no fixed layout reads then
        "is_customer_contact",
        "note",  # a column the table does not map
    ],
)
def test_rows_swallowed_by_stray_quotes_in_any_column_are_repaired(
    tmp_path, monkeypatch, fast_reads, column: str, rows: int
) -> None:
    """The fast read leaves the search for line breaks to the conversions (a fixed layout or the distinct
    values clear a column, else its bytes are searched): rows swallowed in any column, mapped or not,
    still send the file to the string path, which drops the quote and keeps every row."""
    folder = _events_with_stray_quotes(tmp_path / "stray", rows, column)
    fast, reference = load_both(folder, monkeypatch)
    assert fast_reads == ["events.csv"]  # read fast first, then again by the string path
    assert_same_client(fast, reference)
    assert fast.quality.tables["events"].rows_read == rows
    issue = next(i for i in fast.quality.issues if i.expected == "quotes in pairs")
    assert issue.rows == (9,)


def test_a_file_over_max_rows_names_the_string_paths_row_count(tmp_path, monkeypatch) -> None:
    """Over ``max_rows`` the fast read does not name its own row count (stray quotes may hide rows from
    it): the message is the string path's."""
    from cxlab.errors import FileFormatError

    folder = _events_with_stray_quotes(tmp_path / "big", 400, "note", max_rows=390)
    assert len(pd.read_csv(folder / "events.csv")) == 400 - 5  # the rows the fast read sees: above 390
    with pytest.raises(FileFormatError) as fast:
        load_client(folder)
    with monkeypatch.context() as patch:
        patch.setattr(cxlab.intake.read, "_FAST_CSV", False)
        with pytest.raises(FileFormatError) as reference:
            load_client(folder)
    assert str(fast.value) == str(reference.value) and "400 rows" in str(fast.value)
