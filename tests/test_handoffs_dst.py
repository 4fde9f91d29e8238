"""The hour that occurs twice when clocks go back: naive local times in it are read by the order column
(``sequence``), and counted in the data-quality appendix."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxlab import handoffs as h
from cxlab.intake import load_client
from cxlab.intake.dst import repeated_hour

# Europe/Rome, 26 October 2025: at 03:00 summer time clocks go back to 02:00, so 02:00–02:59 occurs twice
ROWS = [  # case, wall time, department, sequence
    ("c1", "01:50", "A", 1),
    ("c1", "02:40", "B", 2),
    ("c1", "02:10", "A", 3),  # after 02:40 in the case's order: the second 02:10 (winter time)
    ("c1", "03:30", "B", 4),
    ("c2", "02:15", "A", 1),
    ("c2", "02:45", "B", 2),  # in order either way: both stay summer time
    ("c3", "02:50", "A", 1),
    ("c3", "02:05", "B", 2),  # winter time
    ("c3", "02:20", "C", 3),  # read as summer time it would be before 02:05 winter: winter time too
]
#: the waits by hand, in minutes, from the instants in UTC
#: c1: 23:50Z, 00:40Z, 01:10Z, 02:30Z; c2: 00:15Z, 00:45Z; c3: 00:50Z, 01:05Z, 01:20Z
EXPECTED_WAITS = {"c1": [50, 30, 80], "c2": [30], "c3": [15, 15]}


def _client(folder: Path, rows, sequence: bool = True) -> Path:
    (folder / "data").mkdir(parents=True)
    frame = pd.DataFrame(rows, columns=["case", "time", "team", "step"])
    frame["time"] = "2025-10-26 " + frame["time"]
    frame["act"] = "Work"
    frame = frame.sample(frac=1.0, random_state=4)  # the file is not in order
    frame.to_csv(folder / "data" / "e.csv", index=False)
    columns = "{case: case_id, time: timestamp, act: activity, team: department"
    columns += ", step: sequence}" if sequence else "}"
    (folder / "client.yaml").write_text(
        f"name: dst\ntimezone: Europe/Rome\ntables:\n  events:\n    file: data/e.csv\n    columns: {columns}\n",
        encoding="utf-8",
    )
    return folder


def _waits(events: pd.DataFrame) -> dict[str, list[float]]:
    moves = h.handoffs(events).sort_values(["case_id", "handoff_no"])
    return {
        str(case): [round(w * 60, 6) for w in group["wait_hours"]] for case, group in moves.groupby("case_id")
    }


def test_the_order_column_reads_the_repeated_hour(tmp_path):
    client = load_client(_client(tmp_path / "c", ROWS))
    events = client.events
    assert _waits(events) == EXPECTED_WAITS
    figures = h.handoff_figures(events)
    assert figures.handoffs == 6
    # the same rows in any order give the same waits
    rng = np.random.default_rng(1)
    for _ in range(5):
        shuffled = events.iloc[rng.permutation(len(events))].reset_index(drop=True)
        shuffled.attrs = events.attrs
        assert _waits(shuffled) == EXPECTED_WAITS
    # without the order column the repeated hour is read as summer time, in time order: c1 is A, A, B, B
    bare = load_client(_client(tmp_path / "bare", ROWS, sequence=False)).events
    assert _waits(bare)["c1"] == [30]


def test_the_repeated_hour_is_counted_in_the_data_quality_appendix(tmp_path):
    client = load_client(_client(tmp_path / "c", ROWS))
    issues = client.quality.issues_frame()
    note = issues[(issues["column"] == "timestamp") & (issues["action"] == "note")]
    in_hour = sum(t.startswith("02:") for _, t, _, _ in ROWS)  # 7 wall times between 02:00 and 02:59
    assert len(note) == 1 and int(note["count"].iloc[0]) == in_hour == 7
    assert "repeated when clocks go back (Europe/Rome)" in note["expected"].iloc[0]
    # a log away from the change has no such note
    later = [(c, t, d, s) for c, t, d, s in ROWS if not t.startswith("02:")]
    quiet = load_client(_client(tmp_path / "quiet", later)).quality.issues_frame()
    assert not (quiet["column"] == "timestamp").any()


def test_repeated_hour_matches_pandas():
    local = pd.date_range("2025-10-25 22:00", "2025-10-26 05:00", freq="10min")
    mask = repeated_hour(local.as_unit("ns").asi8, "Europe/Rome")
    # pandas refuses to localise an ambiguous wall time when told to raise
    ambiguous = []
    for t in local:
        try:
            t.tz_localize("Europe/Rome", ambiguous="raise")
            ambiguous.append(False)
        except Exception:  # noqa: BLE001 - pytz/zoneinfo raise AmbiguousTimeError
            ambiguous.append(True)
    assert mask.tolist() == ambiguous and sum(ambiguous) == 6
    spring = pd.date_range("2025-03-30 00:00", "2025-03-30 05:00", freq="10min")
    assert not repeated_hour(
        spring.as_unit("ns").asi8, "Europe/Rome"
    ).any()  # the skipped hour is not repeated


@pytest.mark.parametrize("zone", ["Europe/Rome", "America/New_York", "Australia/Lord_Howe", "Asia/Tokyo"])
@pytest.mark.parametrize("days", [3, 400, 30 * 365])
def test_repeated_hour_is_where_the_two_readings_differ(zone: str, days: int) -> None:
    """repeated_hour (one localisation of the span's hours, one range test a repeated hour) flags exactly
    the times whose two readings (:func:`hour_offsets`) differ, never NaT: over a day, a year and many
    years (the set-lookup branch), in zones with and without daylight saving."""
    from cxlab.intake.dst import NAT, hour_offsets

    rng = np.random.default_rng(days)
    centre = pd.Timestamp("2025-10-26 02:30").value
    local = centre + rng.integers(-days * 86400, days * 86400, 50_000) * 1_000_000_000
    local[::997] = NAT
    first, second = hour_offsets(local, zone)
    expected = (first != second) & (local != NAT)
    np.testing.assert_array_equal(repeated_hour(local, zone), expected)
    assert not repeated_hour(np.full(4, NAT, dtype=np.int64), zone).any()


@pytest.mark.parametrize("copies", [1, 3_000], ids=["few", "many"])  # many: over 10,000 in the hour
def test_values_written_with_an_offset_are_not_counted_in_the_repeated_hour(copies: int) -> None:
    """Only naive wall times in the repeated hour are counted: a value written with its UTC offset (or Z,
    padded or not) is not ambiguous; a few flagged values are checked one by one, many by a vectorised
    search, with the same answer."""
    from cxlab.intake.convert import _note_repeated_hour
    from cxlab.intake.validate import PendingIssues

    written = ["2025-10-26 02:30:00", "2025-10-26 02:40:00+02:00", " 2025-10-26 02:10:00Z ", None]
    written += ["2025-10-26 02:50:00 +0100", "2025-10-26 01:00:00"]
    wall = [
        "2025-10-26 02:30",
        "2025-10-26 02:40",
        "2025-10-26 02:10",
        None,
        "2025-10-26 02:50",
        "2025-10-26 01:00",
    ]
    raw = pd.Series(written * copies, dtype="str")
    parsed = pd.Series(pd.to_datetime(wall * copies))
    pending = PendingIssues()
    _note_repeated_hour(parsed, raw, "Europe/Rome", pending, "timestamp")
    flagged = np.flatnonzero(pending.calls[0][0])
    np.testing.assert_array_equal(flagged, np.arange(copies) * len(written))
