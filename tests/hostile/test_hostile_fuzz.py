"""Fuzzing client.yaml and the CSV bytes: whatever the bytes, loading the client gives a named error (a
CxlabError whose message starts with the file it is about) or a client whose tables hold at most the rows
the file has; nothing is written anywhere, and nothing outside the client folder is read."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxlab.errors import CxlabError
from cxlab.intake import load_client

HEADER = "case_id,timestamp,activity,department"
GOOD_ROW = "K1,2026-01-05 09:00,Call,Sales"

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.dates().map(str),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
KEYS = [
    "name",
    "language",
    "currency",
    "locale",
    "timezone",
    "analysis_date",
    "branding",
    "thresholds",
    "text",
]
TABLE_KEYS = ["file", "sep", "decimal", "encoding", "sheet", "header_row", "columns", "max_rows", "max_mb"]


@st.composite
def client_yaml(draw) -> bytes:
    kind = draw(st.sampled_from(["bytes", "text", "settings"]))
    if kind == "bytes":
        return draw(st.binary(max_size=400))
    if kind == "text":
        return draw(st.text(max_size=400)).encode("utf-8", "surrogatepass")
    data = {"name": draw(scalars)}
    data.update(draw(st.dictionaries(st.sampled_from(KEYS), values, max_size=4)))
    events = {"file": draw(st.sampled_from(["events.csv", "../events.csv", "/etc/hostname", "nope.csv"]))}
    events.update(draw(st.dictionaries(st.sampled_from(TABLE_KEYS[1:]), values, max_size=3)))
    data["tables"] = {"events": events}
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


@st.composite
def csv_bytes(draw) -> bytes:
    kind = draw(st.sampled_from(["bytes", "rows"]))
    if kind == "bytes":
        return draw(st.binary(max_size=600))
    cell = st.text(alphabet=st.sampled_from(list('ab1,;"\t\r\n\x00 é=-+@')), max_size=8)
    rows = draw(st.lists(st.lists(cell, min_size=1, max_size=6).map(",".join), max_size=8))
    text = "\n".join([HEADER, GOOD_ROW, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, "replace")


def digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config=client_yaml(), data=csv_bytes())
def test_any_bytes_give_a_named_error_or_a_client(config: bytes, data: bytes) -> None:
    base = Path(tempfile.mkdtemp(prefix="cxlab-fuzz-"))
    try:
        folder = base / "client"
        folder.mkdir()
        (folder / "client.yaml").write_bytes(config)
        (folder / "events.csv").write_bytes(data)
        (base / "events.csv").write_bytes(HEADER.encode() + b"\n" + GOOD_ROW.encode() + b"\n")  # outside
        before = digest(base)
        try:
            client = load_client(folder)
        except CxlabError as exc:
            message = str(exc)
            assert "\n" not in message.strip()
            named = ("input", str(folder), "events.csv", "../events.csv", "/etc/hostname", "nope.csv")
            assert message.startswith(named), message
        else:
            # a loaded client reads only the file inside its folder, and keeps at most its rows
            events = client.events
            if events is not None:
                lines = data.count(b"\n") + data.count(b"\r") + 1
                assert len(events) <= lines
        assert digest(base) == before
    finally:
        shutil.rmtree(base)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=csv_bytes(), sep=st.sampled_from(["", "    sep: ';'\n", "    encoding: utf-16\n"]))
def test_any_csv_bytes_under_a_valid_client_yaml(data: bytes, sep: str) -> None:
    base = Path(tempfile.mkdtemp(prefix="cxlab-fuzz-"))
    try:
        folder = base / "client"
        folder.mkdir()
        (folder / "client.yaml").write_text(f"name: Fuzz\ntables:\n  events:\n    file: events.csv\n{sep}")
        (folder / "events.csv").write_bytes(data)
        before = digest(base)
        try:
            client = load_client(folder)
        except CxlabError as exc:
            assert str(exc).startswith("events.csv"), str(exc)
            assert "\n" not in str(exc).strip()
        else:
            lines = data.count(b"\n") + data.count(b"\r") + 1
            assert 1 <= len(client.events) <= lines
        assert digest(base) == before
    finally:
        shutil.rmtree(base)
