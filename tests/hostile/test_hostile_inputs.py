"""Hostile or careless input files: paths out of the client folder, logos that are not images, FIFOs and
devices, alias bombs, odd encodings, oversized files and tables. Each gives its named one-line error
(never a traceback, a hang or gigabytes of memory), and nothing outside the client folder is read."""

from __future__ import annotations

import os
import resource
import stat
import sys
import tempfile
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import cxlab
from cxlab.cli import main
from cxlab.config import load_config
from cxlab.errors import ConfigError, CxlabError, FileFormatError, InputFileError
from cxlab.intake import load_client
from cxlab.safety import ALLOW_OUTSIDE_ENV, MAX_LOGO_BYTES, sniff_image
from cxlab.widgets import update_client_yaml

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EVENTS = (
    "case_id,timestamp,activity,department\nK1,2026-01-05 09:00,Call,Sales\nK1,2026-01-06 10:00,Reply,Sales\n"
)


#: (absolute path, opened for writing) of every file this process opens while a test of this module runs
_OPENED: list[tuple[str, bool]] = []
_WATCHING = threading.Event()
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND


def _record_open(event: str, args: tuple) -> None:
    if event != "open" or not _WATCHING.is_set() or isinstance(args[0], int):
        return
    path, mode, flags = args
    writes = bool(mode and set(str(mode)) & set("wax+")) or bool((flags or 0) & _WRITE_FLAGS)
    _OPENED.append((os.path.abspath(os.fsdecode(path)), writes))


sys.addaudithook(_record_open)  # once per process (a hook cannot be removed): idle outside the tests below

#: what a Python process reads for itself (its modules, their data: Babel's locales, cxlab's catalogs,
#: time zones); anything else outside the test's own folder is a file a client.yaml made cxlab open
_RUNTIME = tuple(
    os.path.realpath(p) + os.sep
    for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(cxlab.__file__).parent)}
) + ("/proc/", "/sys/", "/usr/share/zoneinfo/", "/usr/lib/", "/dev/")


@pytest.fixture(autouse=True)
def nothing_read_or_written_outside(tmp_path: Path):
    """Every test here: no file outside its own folder is written, and none is read but the runtime's."""
    _OPENED.clear()
    _WATCHING.set()
    try:
        yield
    finally:
        _WATCHING.clear()
    base = os.path.realpath(tmp_path) + os.sep
    outside = [(p, w) for p, w in _OPENED if not os.path.realpath(p).startswith(base)]
    scratch = os.path.realpath(tempfile.gettempdir())
    # a library's scratch file in the system's temporary folder, gone by the end (openpyxl's), is not a
    # file of the user's
    outside = [
        (p, w)
        for p, w in outside
        if not (p == scratch or (os.path.dirname(p) == scratch and not os.path.exists(p)))
    ]
    written = sorted({p for p, w in outside if w})
    read = sorted({p for p, w in outside if not os.path.realpath(p).startswith(_RUNTIME)})
    assert written == [], f"written outside the test's folder: {written}"
    assert read == [], f"read outside the test's folder: {read}"


def client(folder: Path, body: str = "", events_file: str = "events.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "client.yaml").write_text(
        f"name: Demo\ntables:\n  events:\n    file: {events_file}\n{body}", encoding="utf-8"
    )
    if not (folder / "events.csv").exists():
        (folder / "events.csv").write_text(EVENTS, encoding="utf-8")
    return folder


def finishes(call, seconds: float = 30.0):
    """Run ``call`` in a thread; fail (instead of hanging the suite) when it does not finish in time."""
    box: dict = {}

    def target() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in box:
        raise box["error"]
    return box.get("value")


# ------------------------------------------------------------------------------------- confinement
@pytest.mark.parametrize("path", ["../outside/secret.csv", "/etc/passwd", "data/../../outside/secret.csv"])
def test_a_data_file_outside_the_client_folder_is_refused(tmp_path: Path, path: str) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.csv").write_text(EVENTS, encoding="utf-8")
    folder = client(tmp_path / "client", events_file=path)
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    message = str(caught.value)
    assert "key 'tables.events.file'" in message and "which is outside it" in message
    assert "--allow-outside-paths" in message


def test_outside_paths_need_the_explicit_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.csv").write_text(EVENTS, encoding="utf-8")
    folder = client(tmp_path / "client", events_file="../outside/secret.csv")
    refused = CliRunner().invoke(main, ["validate", str(folder)])
    assert refused.exit_code == 1 and "outside it" in refused.output and "Traceback" not in refused.output
    monkeypatch.delenv(ALLOW_OUTSIDE_ENV, raising=False)
    allowed = CliRunner().invoke(main, ["validate", "--allow-outside-paths", str(folder)])
    assert allowed.exit_code == 0, allowed.output
    assert "usable" in allowed.output
    os.environ.pop(ALLOW_OUTSIDE_ENV, None)  # the flag set it for this process


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.csv").write_text(EVENTS, encoding="utf-8")
    folder = client(tmp_path / "client", events_file="data/events.csv")
    (folder / "data").mkdir()
    (folder / "data" / "events.csv").symlink_to(tmp_path / "secret.csv")
    with pytest.raises(ConfigError, match="outside it through a symbolic link"):
        load_config(folder)
    # a link that stays inside the folder is fine
    (folder / "data" / "events.csv").unlink()
    (folder / "data" / "events.csv").symlink_to(folder / "events.csv")
    assert len(load_client(folder).events) == 2


def test_a_link_to_dev_zero_is_refused_even_when_outside_paths_are_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = client(tmp_path / "client", events_file="zero.csv")
    (folder / "zero.csv").symlink_to("/dev/zero")
    with pytest.raises(ConfigError, match="outside it through a symbolic link"):
        load_config(folder)
    monkeypatch.setenv(ALLOW_OUTSIDE_ENV, "1")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(FileFormatError, match="zero.csv: expected a regular file; found a device"):
        finishes(lambda: load_client(folder))
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KB: nothing was read


def test_a_fifo_data_file_is_refused_without_blocking(tmp_path: Path) -> None:
    folder = client(tmp_path / "client", events_file="pipe.csv")
    os.mkfifo(folder / "pipe.csv")
    with pytest.raises(
        FileFormatError, match=r"pipe.csv: expected a regular file; found a named pipe \(FIFO\)"
    ):
        finishes(lambda: load_client(folder))
    result = finishes(lambda: CliRunner().invoke(main, ["validate", str(folder)]))
    assert result.exit_code == 1 and "named pipe (FIFO)" in result.output


def test_a_fifo_client_yaml_is_refused_without_blocking(tmp_path: Path) -> None:
    folder = tmp_path / "client"
    folder.mkdir()
    os.mkfifo(folder / "client.yaml")
    with pytest.raises(ConfigError, match=r"named pipe \(FIFO\)"):
        finishes(lambda: load_config(folder))


# -------------------------------------------------------------------------------------------- logos
@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("logo.png", b"root:x:0:0:root:/root:/bin/bash\n", "whose content is not one"),
        ("logo.svg", b"<html><body>not an svg</body></html>", "whose content is not one"),
        (
            "logo.svg",
            b'<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
            "DTD",
        ),
        ("logo.png", PNG + b"\x00" * MAX_LOGO_BYTES, "at most"),
    ],
)
def test_a_logo_must_be_a_real_image(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    folder = client(tmp_path / "client", f"branding:\n  logo: {name}\n")
    (folder / name).write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    assert "key 'branding.logo'" in str(caught.value) and problem in str(caught.value)


def test_a_logo_outside_the_folder_is_refused(tmp_path: Path) -> None:
    folder = client(tmp_path / "client", "branding:\n  logo: /etc/passwd\n")
    with pytest.raises(ConfigError, match="key 'branding.logo'.*outside it"):
        load_config(folder)


def test_images_are_known_by_their_bytes_not_their_names(tmp_path: Path) -> None:
    assert sniff_image(PNG) == "image/png"
    assert sniff_image(b"\xff\xd8\xff\xe0" + b"\x00" * 16) == "image/jpeg"
    assert sniff_image(b'\xef\xbb\xbf<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>') == (
        "image/svg+xml"
    )
    assert sniff_image(b"GIF89a") is None and sniff_image(b"") is None
    folder = client(tmp_path / "client", "branding:\n  logo: logo.svg\n")
    (folder / "logo.svg").write_bytes(PNG)  # a PNG named .svg is a PNG
    assert load_config(folder).branding.logo == "logo.svg"


# --------------------------------------------------------------------------------- settings files
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "client"
    folder.mkdir()
    (folder / "client.yaml").write_text(BOMB, encoding="utf-8")
    assert len(BOMB) < 1000
    started = time.monotonic()
    with pytest.raises(ConfigError, match="aliases are expanded; found more"):
        load_config(folder)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('name: "Caffè"\n'.encode("latin-1"), "line 1: expected UTF-8 text; found the byte 0xe8"),
        ("name: Demo\n".encode("utf-16"), "expected UTF-8 text; found UTF-16 text"),
        (b"name: Demo\nanalysis_date: 2026-02-30\n", "key 'analysis_date', line 2: expected a real date"),
        (b"name: Demo\n# " + b"x" * 1_100_000 + b"\n", "expected a file of at most"),
    ],
)
def test_bad_settings_files_give_named_errors(tmp_path: Path, content: bytes, expected: str) -> None:
    folder = tmp_path / "client"
    folder.mkdir()
    (folder / "client.yaml").write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    assert expected in str(caught.value)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


# ------------------------------------------------------------------------------ sizes and odd files
def test_file_size_and_row_limits_are_configurable(tmp_path: Path) -> None:
    rows = "".join(f"K{i},2026-01-05 09:00,Call,Sales\n" for i in range(40))
    folder = client(tmp_path / "client", "    max_mb: 0.001\n")
    (folder / "events.csv").write_text(EVENTS + rows, encoding="utf-8")
    with pytest.raises(
        InputFileError, match=r"events.csv: expected a file of at most 1.0 KB .*max_mb.*found 1\.\d KB"
    ):
        load_client(folder)
    client(folder, "    max_rows: 10\n")
    with pytest.raises(FileFormatError, match=r"expected at most 10 data rows .*max_rows.*; found 42 rows"):
        load_client(folder)
    client(folder, "    max_rows: 42\n")
    assert len(load_client(folder).events) == 42


def test_a_large_xlsx_is_refused_before_it_is_loaded(tmp_path: Path) -> None:
    folder = client(tmp_path / "client", "    max_rows: 1000\n", events_file="events.xlsx")
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("events")
    ws.append(["case_id", "timestamp", "activity", "department"])
    for i in range(3000):
        ws.append([f"K{i}", "2026-01-05 09:00", "Call", "Sales"])
    book.save(folder / "events.xlsx")
    started = time.monotonic()
    with pytest.raises(
        FileFormatError, match="expected at most 1,000 data rows .*found a sheet of more than 1,001 rows"
    ):
        load_client(folder)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x00" * 200_000, "expected a text file; found binary content (NUL bytes)"),
        (EVENTS.encode("utf-16"), "encoding: utf-16 in the table's settings); found UTF-16 text"),
        (b"case_id," + b"x" * 1_200_000, "found a single line longer than 1,000,000 bytes"),
    ],
)
def test_odd_text_files_give_named_errors(tmp_path: Path, content: bytes, expected: str) -> None:
    folder = client(tmp_path / "client")
    (folder / "events.csv").write_bytes(content)
    with pytest.raises(FileFormatError) as caught:
        load_client(folder)
    assert str(caught.value).startswith("events.csv: ") and expected in str(caught.value)


def test_utf16_reads_when_the_encoding_is_given(tmp_path: Path) -> None:
    folder = client(tmp_path / "client", "    encoding: utf-16\n")
    (folder / "events.csv").write_bytes(EVENTS.encode("utf-16"))
    events = load_client(folder).events
    assert list(events["activity"]) == ["Call", "Reply"]


#: what Excel writes as "Unicode text (*.txt)": UTF-16 little-endian with a byte-order mark, tab-separated,
#: CRLF line ends
EXCEL_UNICODE_TEXT = b"\xff\xfe" + EVENTS.replace(",", "\t").replace("\n", "\r\n").replace(
    "Reply", "Risposta è"
).encode("utf-16-le")


def test_an_excel_unicode_text_export_is_named_then_read_when_declared(tmp_path: Path) -> None:
    folder = client(tmp_path / "client", '    sep: "\\t"\n', events_file="events.txt")
    (folder / "events.txt").write_bytes(EXCEL_UNICODE_TEXT)
    with pytest.raises(FileFormatError) as caught:
        load_client(folder)
    assert str(caught.value) == (
        "events.txt: expected UTF-8 or Latin-1 text (or encoding: utf-16 in the table's settings); "
        "found UTF-16 text"
    )
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "found UTF-16 text" in result.output and len(result.output.strip().splitlines()) == 1
    client(folder, '    sep: "\\t"\n    encoding: utf-16\n', events_file="events.txt")
    events = load_client(folder).events
    assert list(events["activity"]) == ["Call", "Risposta è"]
    assert list(events["department"]) == ["Sales", "Sales"]


@pytest.mark.parametrize("order", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named_not_called_binary(tmp_path: Path, order: str) -> None:
    folder = client(tmp_path / "client")
    (folder / "events.csv").write_bytes(EVENTS.encode(order))
    with pytest.raises(FileFormatError) as caught:
        load_client(folder)
    assert str(caught.value) == (
        f"events.csv: expected UTF-8 or Latin-1 text (or encoding: {order} in the table's settings); "
        f"found UTF-16 text without a byte-order mark ({order})"
    )
    client(folder, f"    encoding: {order}\n")
    assert list(load_client(folder).events["activity"]) == ["Call", "Reply"]
    # real binary content is still called so
    (folder / "events.csv").write_bytes(bytes(range(256)) * 8)
    client(folder)
    with pytest.raises(FileFormatError, match="found binary content"):
        load_client(folder)


# ------------------------------------------------------------------------------------- the terminal
def test_rich_markup_in_client_text_is_printed_as_it_is(tmp_path: Path) -> None:
    folder = client(tmp_path / "client")
    text = (
        (folder / "client.yaml")
        .read_text(encoding="utf-8")
        .replace("name: Demo", 'name: "Rossi [/] [bold]x"')
    )
    (folder / "client.yaml").write_text(text, encoding="utf-8")
    (folder / "events.csv").write_text(EVENTS.replace("Sales", "[/red]Sales"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Rossi [/] [bold]x" in result.output


# ---------------------------------------------------------------------------------- round-trip YAML
def test_a_widget_save_keeps_comments_order_and_mode(tmp_path: Path) -> None:
    folder = client(tmp_path / "client")
    original = (
        "# Client: Demo S.p.A. (engagement 2026)\n"
        "name: Demo   # as on the contract\n"
        "language: en\n"
        "# the data the client sent\n"
        "tables:\n"
        "  events:\n"
        "    file: events.csv   # export of 5 January\n"
        "thresholds:\n"
        "  small_n: 30  # groups smaller than this are flagged\n"
    )
    path = folder / "client.yaml"
    path.write_text(original, encoding="utf-8")
    path.chmod(0o640)
    update_client_yaml(folder, lambda data: data["thresholds"].update(small_n=20))
    saved = path.read_text(encoding="utf-8")
    assert saved == original.replace("small_n: 30", "small_n: 20")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_no_settings_error_is_a_traceback(tmp_path: Path) -> None:
    """Every case above reaches the command line as one line and exit code 1."""
    folder = client(tmp_path / "client", events_file="../x.csv")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit) and not isinstance(result.exception, CxlabError)
    assert len(result.output.strip().splitlines()) == 1


def test_a_workshop_append_keeps_the_mode_and_typed_formulas_stay_text(tmp_path: Path) -> None:
    import pandas as pd

    from cxlab.config import TableSource
    from cxlab.widgets.culture_form import append_rows

    path = tmp_path / "workshop.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["respondent", "department", "q1"])
    book.active.append(["r1", "Sales", 4])
    book.save(path)
    path.chmod(0o644)
    rows = pd.DataFrame(
        {"respondent": ["r2"], "department": ['=HYPERLINK("http://evil.example","x")'], "q1": [5]}
    )
    assert append_rows(path, rows, TableSource(file="workshop.xlsx")) == 2
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    ws = openpyxl.load_workbook(path).active
    cell = ws.cell(row=3, column=2)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://evil.example","x")'
    assert ws.cell(row=3, column=3).value == 5  # numbers stay numbers


def test_every_table_writer_neutralises_cells_and_headers(tmp_path: Path) -> None:
    import pandas as pd

    from cxlab.exports import export_action_lists

    frame = pd.DataFrame(
        {
            "=cmd|' /C calc'!A0": ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "ok", None],
            "amount": [-5.5, 1.0, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0],
            "count": [-1, 2, 3, 4, 5, 6, 7, 8],
        }
    )
    (xlsx,) = export_action_lists({"list": frame}, tmp_path / "lists.xlsx")
    ws = openpyxl.load_workbook(xlsx).active
    header = [c.value for c in ws[1]]
    assert header == ["'=cmd|' /C calc'!A0", "amount", "count"]
    texts = [ws.cell(row=r, column=1).value for r in range(2, 10)]
    assert texts == ["'=1+1", "'+1", "'-1", "'@A1", "'\t=1", "'\r=1", "ok", None]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws.cell(row=2, column=2).value == -5.5 and ws.cell(row=2, column=3).value == -1  # numbers
    (csv_path,) = export_action_lists({"list": frame}, tmp_path / "lists.csv")
    data = csv_path.read_bytes()
    assert data.startswith("\ufeff'=cmd|' /C calc'!A0,amount,count\r\n'=1+1,-5.5,-1\r\n".encode())


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (BOMB.replace("a: &a", "decisions: []\na: &a").encode(), "aliases are expanded; found more"),
        ("decisions: []\n# Caffè\n".encode("latin-1"), "expected UTF-8 text"),
    ],
)
def test_a_hostile_recommendations_yaml_is_refused(tmp_path: Path, content: bytes, expected: str) -> None:
    from cxlab.recommend.overrides import load_overrides

    (tmp_path / "recommendations.yaml").write_bytes(content)
    with pytest.raises(ConfigError, match=expected):
        load_overrides(tmp_path)
    (tmp_path / "recommendations.yaml").unlink()
    os.mkfifo(tmp_path / "recommendations.yaml")
    with pytest.raises(ConfigError, match=r"named pipe \(FIFO\)"):
        finishes(lambda: load_overrides(tmp_path))
