"""cxlab.intake.write: atomic writes, permissions kept, one table format, YAML saved with its comments."""

from __future__ import annotations

import os
import stat
import textwrap

import openpyxl
import pandas as pd
import pytest

from cxlab.errors import FileFormatError
from cxlab.exports import export_action_lists
from cxlab.intake import write as write_module
from cxlab.intake.write import (
    atomic_write,
    csv_separators,
    save_yaml,
    write_bytes,
    write_table,
    write_tables,
    write_text,
)
from cxlab.recommend import Recommendation, Text, action_plan_frame, export_action_plan
from cxlab.recommend.overrides import load_overrides, save_overrides
from cxlab.scaffold import new_engagement
from cxlab.widgets._base import update_client_yaml

# ------------------------------------------------------------------------------------------ atomic writes


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_failed_replace_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "notes.txt"
    target.write_text("old", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(write_module.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []


def test_writer_failing_half_way_leaves_the_old_file(tmp_path):
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"old workbook")

    def half_then_fail(tmp):
        tmp.write_bytes(b"half a wor")
        raise RuntimeError("writer crashed")

    with pytest.raises(RuntimeError):
        atomic_write(target, half_then_fail)
    assert target.read_bytes() == b"old workbook"
    assert _leftovers(tmp_path) == []


def test_failed_table_export_leaves_the_old_export(tmp_path, monkeypatch):
    target = tmp_path / "plan.csv"
    target.write_bytes(b"previous export")
    monkeypatch.setattr(write_module, "csv_bytes", lambda *a, **k: (_ for _ in ()).throw(ValueError("bad")))
    with pytest.raises(ValueError):
        write_table(pd.DataFrame({"a": [1]}), target)
    assert target.read_bytes() == b"previous export"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_permission_bits_are_kept(tmp_path):
    target = tmp_path / "recommendations.yaml"
    target.write_text("unreviewed: show\n", encoding="utf-8")
    target.chmod(0o640)
    write_text(target, "unreviewed: hide\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text(encoding="utf-8") == "unreviewed: hide\n"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_new_file_gets_the_umask_default_not_0600(tmp_path):
    previous = os.umask(0o027)
    try:
        write_bytes(tmp_path / "new.bin", b"x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.bin").stat().st_mode) == 0o640  # 0o666 & ~0o027


def test_folders_are_created_and_text_is_utf8(tmp_path):
    target = tmp_path / "a" / "b" / "città.txt"
    write_text(target, "perché €\n")
    assert target.read_bytes() == "perché €\n".encode()


# ------------------------------------------------------------------------------------------------ tables

FRAME = pd.DataFrame(
    {
        "comment": ['=HYPERLINK("http://x")', "+39 333", "-2+3", "@SUM(A1)", "\tx", "\rx", "fine", "a=b"],
        "score": [-3, 0, 10, -1, 5, 6, 7, 8],
        "share": [0.5, -0.25, 1.0, 0.0, 0.1, 0.2, 0.3, 0.4],
    }
)
NEUTRALISED = ['\'=HYPERLINK("http://x")', "'+39 333", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "fine", "a=b"]


def test_formula_cells_neutralised_in_xlsx_and_numbers_stay_numbers(tmp_path):
    path = write_table(FRAME, tmp_path / "t.xlsx", sheet="list")
    ws = openpyxl.load_workbook(path)["list"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    # XML reads a carriage return back as a line feed: the quote in front is what matters
    assert [r[0].replace("\n", "\r") for r in rows] == NEUTRALISED
    assert all(ws.cell(row=i, column=1).data_type == "s" for i in range(2, 10))  # no formula cell
    assert [r[1] for r in rows] == [-3, 0, 10, -1, 5, 6, 7, 8]
    assert [r[2] for r in rows] == [0.5, -0.25, 1.0, 0.0, 0.1, 0.2, 0.3, 0.4]
    assert all(isinstance(r[1], int) and isinstance(r[2], int | float) for r in rows)  # no text cell


def test_formula_cells_neutralised_in_csv_and_numbers_stay_numbers(tmp_path):
    path = write_table(FRAME, tmp_path / "t.csv", lang="en")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the accents right
    assert b'"\'\rx"' in raw  # a carriage return in a cell is quoted: it cannot end the row
    back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert list(back["comment"]) == NEUTRALISED
    assert list(back["score"]) == [-3, 0, 10, -1, 5, 6, 7, 8]  # -3 is a number, not "'-3"
    assert back["score"].dtype.kind == "i" and back["share"].dtype.kind == "f"


def test_csv_separators_follow_the_language_number_format(tmp_path):
    assert csv_separators("it") == (";", ",")
    assert csv_separators("en") == (",", ".")
    assert csv_separators("de") == (";", ",")  # any language with a decimal comma, no code for it
    assert csv_separators("xx-unknown") == (",", ".")
    path = write_table(pd.DataFrame({"a": [1.5], "b": ["x"]}), tmp_path / "it.csv", lang="it")
    assert path.read_bytes().decode("utf-8-sig") == "a;b\r\n1,5;x\r\n"


def test_unknown_suffix_is_refused(tmp_path):
    with pytest.raises(FileFormatError):
        write_tables({"a": FRAME}, tmp_path / "t.pdf")


def _recommendations() -> list[Recommendation]:
    return [
        Recommendation(
            id="handoff_pingpong",
            title=Text(it="Ping-pong", en="Ping-pong"),
            evidence=Text(it="=70% dei casi", en="=70% of cases"),
            action=Text(it="Checklist condivisa.", en="Shared checklist."),
            owner="Logistics",
            effort="low",
            priority=20,
            due="2027-Q1",
            topic="handoffs",
        ),
        Recommendation(
            id="custom_one",
            title=Text(it="Prezzi", en="Pricing"),
            evidence=Text(it="", en=""),
            action=Text(it="-Rivedere i prezzi", en="-Review pricing"),
            owner="Sales",
            effort="high",
            priority=9,
            due="2027-Q2",
            topic="custom",
        ),
    ]


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_both_exporters_write_the_same_table(tmp_path, lang, suffix):
    recs = _recommendations()
    plan = export_action_plan(recs, tmp_path / f"plan{suffix}", lang=lang)
    frame = action_plan_frame(recs, lang)
    [lists] = export_action_lists({"Piano": frame}, tmp_path / f"lists{suffix}", lang=lang)
    if suffix == ".csv":
        assert plan.read_bytes() == lists.read_bytes()
        text = plan.read_text(encoding="utf-8-sig")
        assert "'=70%" in text and "'-" in text
    else:
        a = list(openpyxl.load_workbook(plan).active.iter_rows(values_only=True))
        b = list(openpyxl.load_workbook(lists).active.iter_rows(values_only=True))
        assert a == b
        assert a[1][0] == 1 and a[1][6] == 20  # rank and priority are numbers
    if lang == "it":
        assert "Raccomandazione" in frame.columns and set(frame["Impegno"]) == {"basso", "alto"}


# -------------------------------------------------------------------------------------------------- YAML

HAND_WRITTEN = textwrap.dedent(
    """\
    # decisions agreed with the COO on 12/11
    unreviewed: show          # review in progress
    recommendations:
      survey_add_cold:        # too costly this year
        status: rejected
      handoff_pingpong:
        status: accepted
        owner: Logistics
    custom: []
    """
)


def test_save_yaml_keeps_comments_and_key_order(tmp_path):
    path = tmp_path / "recommendations.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    save_yaml(
        path,
        {
            "unreviewed": "hide",
            "recommendations": {
                "survey_add_cold": {"status": "rejected"},
                "handoff_pingpong": {"status": "accepted", "owner": "Sales"},
                "new_rule": {"status": "rejected"},
            },
            "custom": [],
        },
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# decisions agreed with the COO on 12/11\nunreviewed: hide")
    assert "# review in progress" in text and "# too costly this year" in text
    keys = [line.split(":")[0].strip() for line in text.splitlines() if line.startswith("  ") and ":" in line]
    assert keys[:2] == ["survey_add_cold", "status"] and keys.index("new_rule") > keys.index(
        "handoff_pingpong"
    )
    assert "owner: Sales" in text and "Logistics" not in text


def test_save_overrides_round_trip_keeps_the_consultant_comments(tmp_path):
    (tmp_path / "recommendations.yaml").write_text(HAND_WRITTEN, encoding="utf-8")
    overrides = load_overrides(tmp_path).with_override("handoff_pingpong", priority=22)
    save_overrides(overrides, tmp_path)
    text = (tmp_path / "recommendations.yaml").read_text(encoding="utf-8")
    assert "# decisions agreed with the COO on 12/11" in text and "# too costly this year" in text
    assert text.index("survey_add_cold") < text.index("handoff_pingpong")  # the consultant's order
    assert load_overrides(tmp_path) == overrides


def test_save_overrides_on_a_comment_only_file_keeps_its_comments(tmp_path):
    (tmp_path / "recommendations.yaml").write_text("# only a comment\n", encoding="utf-8")
    overrides = load_overrides(tmp_path).with_override("survey_add_cold", status="rejected")
    save_overrides(overrides, tmp_path)
    text = (tmp_path / "recommendations.yaml").read_text(encoding="utf-8")
    assert text.startswith("# only a comment\n")
    assert load_overrides(tmp_path) == overrides


def test_widget_edit_of_client_yaml_keeps_the_scaffold_comments(tmp_path):
    folder = new_engagement(tmp_path / "acme", language="it")

    def raise_small_n(data):
        data["thresholds"]["small_n"] = 40

    update_client_yaml(folder, raise_small_n)
    text = (folder / "client.yaml").read_text(encoding="utf-8")
    assert "small_n: 40" in text and "# groups with fewer responses are flagged" in text
    assert 'colour: "#1f4e79"' in text  # quoted as written
    assert text.index("name:") < text.index("branding:") < text.index("thresholds:")
