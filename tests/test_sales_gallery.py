"""The issue-19 gallery of real export shapes (tests/gallery_sales.py): each client passes ``cxlab validate``
and ``cxlab report`` with exit 0, and the figure its shape is about is right in the data and the report.

Expected figures are computed here from the rows the gallery wrote, never read back from cxlab's output.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from gallery_sales import BIG_CANCEL, BIG_ORDER, CANCELLER, GALLERY

from cxlab.cli import main
from cxlab.diagnosis import Diagnosis
from cxlab.intake import load_client


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sales_gallery")
    return {name: make(root) for name, make in GALLERY.items()}


def _report_text(folder: Path) -> str:
    """The report's visible text (scripts and styles out, tags out, entities decoded, spaces folded)."""
    page = (folder / "report.html").read_text(encoding="utf-8")
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.parametrize("name", list(GALLERY))
def test_every_gallery_client_validates_and_reports(
    gallery: dict[str, Path], name: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    checked = runner.invoke(main, ["validate", str(gallery[name])])
    assert checked.exit_code == 0, checked.output
    out = tmp_path / "out"
    made = runner.invoke(main, ["report", str(gallery[name]), "--out", str(out)])
    assert made.exit_code == 0, made.output
    text = _report_text(out)
    expected_in_report = {
        "returns": "return line",
        "future": "2042-01-14",
        "sentinel": "31/12/9999",
        "cp1252": "Windows-1252",
        "quote": "unmatched quote",
        "no_nps": "n = 40",
        "two": "n = 2",
        "blank_scores": "Indicators with data: 0 of four",
        "only_ces": "CES (% 5–7)",
    }[name]
    assert expected_in_report in text


# ------------------------------------------------------------------------------------------- returns
def test_a_cancelled_order_is_netted_and_never_premium(gallery: dict[str, Path]) -> None:
    raw = pd.read_csv(gallery["returns"] / "sales.csv")
    dx = Diagnosis.open(gallery["returns"])
    table = dx.segments.table.set_index("customer_id")
    canceller = table.loc[CANCELLER]
    assert canceller["sales"] == pytest.approx(BIG_ORDER + BIG_CANCEL)  # 2.00, not 168,472
    assert canceller["purchases"] == 1  # the cancellation is not a purchase
    assert canceller["segment"] in ("potential", "maintain")
    # every customer's sales are the sum of its lines in the value window, returns included
    window = raw[pd.to_datetime(raw["date"]) > dx.analysis_date - pd.DateOffset(months=12)]
    expected = window.groupby("customer_id")["amount"].sum()
    assert table.loc[expected.index, "sales"].to_numpy() == pytest.approx(expected.to_numpy())
    # returns are returns in the data-quality notes, not errors
    quality = dx.client.quality
    assert not [i for i in quality.issues if i.column == "amount"]
    returns = raw[raw["amount"] < 0]
    note = next(n for n in quality.notes if "return line" in n)
    assert note.values["count"] == len(returns)
    assert note.values["total"] == pytest.approx(returns["amount"].sum())


def test_net_value_at_or_below_zero_is_never_premium_or_dilemma(tmp_path: Path) -> None:
    from cxlab import segments

    rows = [("A", "2026-01-10", 500.0), ("A", "2026-02-10", -600.0), ("B", "2026-01-05", 100.0)]
    rows += [(f"K{i}", "2026-01-15", 10.0 + i) for i in range(8)]
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    tx["date"] = pd.to_datetime(tx["date"])
    seg = segments.segment_customers(tx, "2026-03-01").set_index("customer_id")
    assert seg.loc["A", "sales"] == pytest.approx(-100.0)
    assert seg.loc["A", "segment"] not in ("premium", "dilemma")
    assert seg.loc["A", "future_value"] >= 0.0


def test_a_declared_return_flag_counts_as_negative(tmp_path: Path) -> None:
    folder = tmp_path / "flag"
    folder.mkdir()
    (folder / "s.csv").write_text(
        "cliente;data;importo;tipo\nA;01/02/2026;100,00;FT\nA;03/02/2026;40,00;NC\nB;02/02/2026;50,00;FT\n",
        encoding="utf-8",
    )
    (folder / "client.yaml").write_text(
        "name: flag\ntables:\n  transactions:\n    file: s.csv\n"
        "    columns: {cliente: customer_id, data: date, importo: amount, tipo: is_return}\n"
        "    values: {is_return: {NC: 'yes', FT: 'no'}}\n",
        encoding="utf-8",
    )
    client = load_client(folder)
    assert client.transactions["amount"].tolist() == [100.0, -40.0, 50.0]


# --------------------------------------------------------------------------------------------- dates
def test_rows_dated_2042_are_dropped_and_named(gallery: dict[str, Path]) -> None:
    raw = pd.read_csv(gallery["future"] / "sales.csv")
    client = load_client(gallery["future"])
    future = raw.index[raw["date"].str.startswith("2042")]
    issue = next(i for i in client.quality.issues if i.column == "date")
    assert issue.count == 3 and issue.action == "dropped"
    assert issue.rows == tuple(int(i) + 2 for i in future)  # header = row 1
    # the analysis date is the day after the last real record, not 2042
    last = pd.to_datetime(raw.loc[~raw["date"].str.startswith("2042"), "date"]).max()
    assert client.analysis_date == last + pd.Timedelta(days=1)
    assert Diagnosis.of(client).segments.table.attrs["analysis_date"] == client.analysis_date


def test_the_api_and_the_report_share_one_default_analysis_date(gallery: dict[str, Path]) -> None:
    from cxlab import segments

    client = load_client(gallery["returns"])
    api = segments.segment_customers(client.transactions)
    assert api.attrs["analysis_date"] == client.analysis_date


def test_sentinel_dates_are_counted_not_crashing(gallery: dict[str, Path]) -> None:
    client = load_client(gallery["sentinel"])
    by_column = {(i.table, i.column): i for i in client.quality.issues}
    dropped = by_column[("transactions", "date")]
    assert (dropped.count, dropped.rows, dropped.action) == (1, (7,), "dropped")
    blanked = by_column[("customers", "since")]
    assert (blanked.count, blanked.rows, blanked.action) == (2, (2, 4), "blanked")
    assert client.customers["since"].isna().sum() == 2


def test_dates_before_the_floor_and_after_a_configured_analysis_date(tmp_path: Path) -> None:
    folder = tmp_path / "floor"
    folder.mkdir()
    (folder / "s.csv").write_text(
        "customer_id,date,amount\nA,1900-01-01,10\nA,2026-01-01,20\nB,2026-02-01,30\nB,2026-05-01,40\n",
        encoding="utf-8",
    )
    (folder / "client.yaml").write_text(
        "name: floor\nanalysis_date: 2026-03-01\ntables:\n  transactions:\n    file: s.csv\n",
        encoding="utf-8",
    )
    client = load_client(folder)
    issues = {i.expected.split(" (")[0]: i for i in client.quality.issues}
    early = issues["a date on or after 1950-01-01"]
    late = issues["a date on or before the analysis date 2026-03-01"]
    assert (early.count, early.rows) == (1, (2,))
    assert (late.count, late.rows) == (1, (5,))
    assert client.transactions["amount"].tolist() == [20.0, 30.0]


def test_an_analysis_date_before_all_the_data_stops_with_a_clear_error(tmp_path: Path) -> None:
    from cxlab.errors import ValueRangeError

    folder = tmp_path / "early"
    folder.mkdir()
    (folder / "s.csv").write_text(
        "customer_id,date,amount\nA,2026-01-01,20\nB,2026-02-01,30\n", encoding="utf-8"
    )
    (folder / "client.yaml").write_text(
        "name: early\nanalysis_date: 2025-01-01\ntables:\n  transactions:\n    file: s.csv\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueRangeError, match="analysis date 2025-01-01"):
        load_client(folder)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1 and "s.csv" in result.output


def test_duplicate_lines_are_flagged_and_dropped_by_setting(tmp_path: Path) -> None:
    folder = tmp_path / "dup"
    folder.mkdir()
    (folder / "s.csv").write_text(
        "customer_id,date,amount\nA,2026-01-01,20\nA,2026-01-01,20\nB,2026-02-01,30\n", encoding="utf-8"
    )
    config = "name: dup\ntables:\n  transactions:\n    file: s.csv\n"
    (folder / "client.yaml").write_text(config, encoding="utf-8")
    kept = load_client(folder)
    issue = next(i for i in kept.quality.issues if "duplicates" in i.expected)
    assert (issue.count, issue.rows, issue.action) == (1, (3,), "note")
    assert len(kept.transactions) == 3
    (folder / "client.yaml").write_text(config + "    drop_duplicate_lines: true\n", encoding="utf-8")
    dropped = load_client(folder)
    assert len(dropped.transactions) == 2
    assert next(i for i in dropped.quality.issues if "duplicates" in i.expected).action == "dropped"


# --------------------------------------------------------------------------------------------- files
def test_one_windows_byte_does_not_garble_the_utf8_rows(gallery: dict[str, Path]) -> None:
    client = load_client(gallery["cp1252"])
    names = client.customers["name"].tolist()
    assert names[:3] == ["Società Più", "Caffè Roma", "Perù Import"]
    assert names[7] == "Città 7"
    issue = next(i for i in client.quality.issues if i.table == "customers")
    assert (issue.count, issue.rows) == (1, (9,))


def test_an_unmatched_quote_loses_no_row(gallery: dict[str, Path]) -> None:
    lines = (gallery["quote"] / "responses.csv").read_text(encoding="utf-8").splitlines()
    client = load_client(gallery["quote"])
    responses = client.survey_responses
    assert len(responses) == len(lines) - 1 == 65
    issue = next(i for i in client.quality.issues if i.table == "survey_responses")
    broken = next(n for n, line in enumerate(lines, start=1) if line.count('"') % 2)
    assert (issue.count, issue.rows) == (1, (broken,))
    assert responses.set_index("response_id").loc["R009", "comment"] == "broken comment"


# ------------------------------------------------------------------------------------------- surveys
@pytest.mark.parametrize(("name", "n"), [("no_nps", 40), ("two", 2), ("blank_scores", 12), ("only_ces", 30)])
def test_partial_surveys_give_every_indicator_without_an_exception(
    gallery: dict[str, Path], name: str, n: int
) -> None:
    dx = Diagnosis.open(gallery[name])
    assert len(dx.client.survey_responses) == n
    summary = dx.indicators.summary.set_index(["measure", "scope"])
    raw = pd.read_csv(gallery[name] / "responses.csv")
    small_n = dx.settings.thresholds.small_n
    for measure in ("nps", "csat", "ces"):
        if measure not in raw:  # a column the export lacks: no figure, no exception
            assert measure not in summary.index.get_level_values("measure")
            continue
        for scope in ("all", "hot", "cold"):
            answers = raw if scope == "all" else raw[raw["survey"] == scope]
            answered = int(answers[measure].notna().sum())
            row = summary.loc[(measure, scope)]
            assert row["n"] == answered
            assert bool(row["small_n"]) == (answered < small_n)  # the small-sample rule, shown
            if answered == 0:
                assert pd.isna(row["score"])


def test_two_stray_quotes_that_pair_up_lose_no_row(tmp_path: Path) -> None:
    # the second stray quote closes the first: a parser reads the rows between them as one value
    lines = ["response_id,answered_at,survey,nps,comment"]
    lines += [f"R{i:02d},2026-03-{i + 1:02d},hot,{i % 11},ok" for i in range(20)]
    lines[4] = 'R03,2026-03-04,hot,3,"first broken'
    lines[9] = 'R08,2026-03-09,hot,8,second broken"'
    folder = tmp_path / "pair"
    folder.mkdir()
    (folder / "r.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "client.yaml").write_text(
        "name: pair\ntables:\n  survey_responses:\n    file: r.csv\n", encoding="utf-8"
    )
    client = load_client(folder)
    assert len(client.survey_responses) == 20
    issue = next(i for i in client.quality.issues if i.expected == "quotes in pairs")
    assert issue.rows == (5,)


def _stray_quote_folder(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "r.csv").write_bytes(("\n".join(lines) + "\n").encode(encoding))
    (folder / "client.yaml").write_text(
        "name: q\ntables:\n  survey_responses:\n    file: r.csv\n", encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize("pair", [False, True], ids=["to_the_end", "paired_further_down"])
def test_a_stray_quote_is_repaired_on_the_c_parser_path_too(tmp_path: Path, pair: bool) -> None:
    """A line with an extra field makes the Arrow parser refuse the file, and the C parser reads it:
    there too a stray quote loses no row (it used to stop the file with "EOF inside string", or swallow
    the rows up to a second stray quote), and the extra-field line keeps its own line number."""
    lines = ["response_id,answered_at,survey,nps,comment"]
    lines += [f"R{i:02d},2026-03-{i + 1:02d},hot,{i % 11},ok" for i in range(20)]
    lines[4] = 'R03,2026-03-04,hot,3,"first broken'
    if pair:
        lines[9] = 'R08,2026-03-09,hot,8,second broken"'
    lines[15] = "R14,2026-03-15,hot,3,ok,extra"
    client = load_client(_stray_quote_folder(tmp_path, "q", lines))
    responses = client.survey_responses
    assert len(responses) == 20 - 1  # only the extra-field line is dropped
    assert "R14" not in set(responses["response_id"])
    assert responses.set_index("response_id").loc["R03", "comment"] == "first broken"
    issues = {i.expected: i for i in client.quality.issues}
    assert (issues["quotes in pairs"].rows, issues["quotes in pairs"].count) == ((5,), 1)
    ragged = issues["the same number of fields on every line"]
    assert (ragged.rows, ragged.count) == ((16,), 1)


def test_a_stray_quote_in_a_windows_file_is_repaired(tmp_path: Path) -> None:
    lines = ["response_id,answered_at,survey,nps,comment"]
    lines += [f"R{i:02d},2026-03-{i + 1:02d},hot,{i % 11},Caffè {i}" for i in range(12)]
    lines[3] = 'R02,2026-03-03,hot,2,"Società'
    lines[8] = "R07,2026-03-08,hot,7,ok,extra"
    client = load_client(_stray_quote_folder(tmp_path, "w", lines, encoding="cp1252"))
    comments = client.survey_responses.set_index("response_id")["comment"]
    assert len(comments) == 11 and comments["R02"] == "Società" and comments["R11"] == "Caffè 11"
    assert next(i for i in client.quality.issues if i.expected == "quotes in pairs").rows == (4,)


@pytest.mark.parametrize("declared", ["utf-8", "UTF8", "utf-8-sig"])
@pytest.mark.parametrize("other_accents", [True, False], ids=["utf8_accents", "ascii_rest"])
def test_a_declared_utf8_file_with_a_windows_line_is_still_read_line_by_line(
    tmp_path: Path, declared: str, other_accents: bool
) -> None:
    """``encoding: utf-8`` in client.yaml does not skip the per-line check: the one cp1252 line is read
    as Windows-1252 and named, every other line as UTF-8 (it used to stop the file, or garble it)."""
    names = [f"Caffè {i}" if other_accents else f"Shop {i}" for i in range(8)]
    lines = [b"customer_id,name"] + [f"K{i},{n}".encode() for i, n in enumerate(names)]
    lines[5] = "K4,Società Più".encode("cp1252")  # line 6 of the file
    folder = tmp_path / "declared"
    folder.mkdir()
    bom = b"\xef\xbb\xbf" if declared == "utf-8-sig" else b""
    (folder / "c.csv").write_bytes(bom + b"\n".join(lines) + b"\n")
    (folder / "client.yaml").write_text(
        f"name: d\ntables:\n  customers:\n    file: c.csv\n    encoding: {declared}\n", encoding="utf-8"
    )
    client = load_client(folder)
    expected = [*names[:4], "Società Più", *names[5:]]
    assert client.customers["name"].tolist() == expected
    assert client.customers["customer_id"].tolist()[0] == "K0"  # no BOM glued to the first header
    issue = next(i for i in client.quality.issues if i.expected == "one text encoding per file (UTF-8)")
    assert (issue.count, issue.rows, issue.action) == (1, (6,), "note")


@pytest.mark.parametrize(
    ("returns", "english", "italian"),
    [
        (1, "1 return line (a negative amount", "1 riga di reso (un importo negativo"),
        (3, "3 return lines (negative amounts", "3 righe di reso (importi negativi"),
    ],
)
def test_the_returns_note_reads_right_for_one_and_many(
    tmp_path: Path, returns: int, english: str, italian: str
) -> None:
    """The count sentence takes its singular or plural form from the count (ngettext, Italian catalog's
    Plural-Forms), instead of "1 return lines"."""
    from cxlab.i18n import ngettext

    rows = [f"K{i % 2},2026-01-{i + 1:02d},{'-' if i < returns else ''}{10 + i}.00" for i in range(8)]
    folder = tmp_path / f"returns{returns}"
    folder.mkdir()
    (folder / "s.csv").write_text("customer_id,date,amount\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (folder / "client.yaml").write_text(
        "name: r\nanalysis_date: 2026-02-01\ntables:\n  transactions:\n    file: s.csv\n", encoding="utf-8"
    )
    note = next(n for n in load_client(folder).quality.notes if "return line" in n)
    assert note.startswith(english) and note.translated("it").startswith(italian)
    customers = len({i % 2 for i in range(returns)})
    assert note.values["count"] == returns and note.values["customers"] == customers
    assert ngettext("en", "{n} line", "{n} lines", 1, n=1) == "1 line"
    assert ngettext("it", "{n} line", "{n} lines", 0, n=0) == "0 lines"  # no catalog entry: English rule
