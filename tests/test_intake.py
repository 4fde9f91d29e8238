"""Client data intake: malformed inputs each get a defined behaviour and a precise error."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
import yaml

from cxlab.errors import (
    ConfigError,
    CxlabError,
    DuplicateIdError,
    EmptyFileError,
    FileFormatError,
    InvalidValueError,
    MissingColumnError,
    MissingFileError,
    MissingValueError,
    TableDependencyError,
    ValueRangeError,
)
from cxlab.intake import load_client, read_raw

RESPONSES_HEADER = "response_id,customer_id,answered_at,survey,nps,csat,ces,comment\n"
GOOD_RESPONSE = "r9,c1,2026-05-01 10:00,cold,9,5,6,ottimo\n"


def make_client(tmp_path: Path, files: dict[str, bytes | str], tables: dict[str, dict], **extra) -> Path:
    folder = tmp_path / "client"
    (folder / "data").mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / "data" / name).write_bytes(data)
    config = {"name": "Test S.r.l.", "language": "it", "tables": tables, **extra}
    (folder / "client.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return folder


def xlsx_bytes(tmp_path: Path, rows: list[list], merged_title: str | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    if merged_title:
        ws.append([merged_title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for row in rows:
        ws.append(row)
    path = tmp_path / "tmp.xlsx"
    wb.save(path)
    return path.read_bytes()


# ---------------------------------------------------------------------------------------------------
# malformed inputs that stop or drop with a specific error class; each names file and column


def responses_case(body: str, **src):
    return {
        "files": {"r.csv": RESPONSES_HEADER + body},
        "tables": {"survey_responses": {"file": "data/r.csv", **src}},
    }


CASES = {
    "nps_11": (responses_case("r1,c1,2026-05-01,cold,11,5,6,x\n" + GOOD_RESPONSE), ValueRangeError, "nps"),
    "nps_fraction": (
        responses_case("r1,c1,2026-05-01,cold,7.5,5,6,x\n" + GOOD_RESPONSE),
        ValueRangeError,
        "nps",
    ),
    "csat_0": (responses_case("r1,c1,2026-05-01,cold,8,0,6,x\n" + GOOD_RESPONSE), ValueRangeError, "csat"),
    "ces_8": (responses_case("r1,c1,2026-05-01,cold,8,4,8,x\n" + GOOD_RESPONSE), ValueRangeError, "ces"),
    "text_in_number": (
        responses_case("r1,c1,2026-05-01,cold,dieci,4,5,x\n" + GOOD_RESPONSE),
        InvalidValueError,
        "nps",
    ),
    "bad_survey_type": (
        responses_case("r1,c1,2026-05-01,warm,8,4,5,x\n" + GOOD_RESPONSE),
        InvalidValueError,
        "survey",
    ),
    "duplicate_response_id": (responses_case(GOOD_RESPONSE + GOOD_RESPONSE), DuplicateIdError, "response_id"),
    "unparseable_answer_time": (
        responses_case("r1,c1,yesterday,cold,8,4,5,x\n" + GOOD_RESPONSE),
        InvalidValueError,
        "answered_at",
    ),
    "blank_required_id": (
        responses_case(",c1,2026-05-01,cold,8,4,5,x\n" + GOOD_RESPONSE),
        MissingValueError,
        "response_id",
    ),
    "missing_required_column": (
        {
            "files": {"r.csv": "response_id,customer_id,survey,nps\nr1,c1,cold,9\n"},
            "tables": {"survey_responses": {"file": "data/r.csv"}},
        },
        MissingColumnError,
        "answered_at",
    ),
    "mapped_column_absent": (
        {
            "files": {"r.csv": RESPONSES_HEADER + GOOD_RESPONSE},
            "tables": {"survey_responses": {"file": "data/r.csv", "columns": {"Punteggio NPS": "nps"}}},
        },
        MissingColumnError,
        "Punteggio NPS",
    ),
    "wrong_separator_declared": (
        {
            "files": {"r.csv": RESPONSES_HEADER.replace(",", ";") + GOOD_RESPONSE.replace(",", ";")},
            "tables": {"survey_responses": {"file": "data/r.csv", "sep": ","}},
        },
        MissingColumnError,
        "response_id",
    ),
    "empty_file": (
        {"files": {"r.csv": ""}, "tables": {"survey_responses": {"file": "data/r.csv"}}},
        EmptyFileError,
        None,
    ),
    "header_only": (
        {"files": {"r.csv": RESPONSES_HEADER}, "tables": {"survey_responses": {"file": "data/r.csv"}}},
        EmptyFileError,
        None,
    ),
    "missing_file": (
        {"files": {}, "tables": {"survey_responses": {"file": "data/nope.csv"}}},
        MissingFileError,
        None,
    ),
    "not_really_xlsx": (
        {
            "files": {"r.xlsx": "this is not a workbook"},
            "tables": {"survey_responses": {"file": "data/r.xlsx"}},
        },
        FileFormatError,
        None,
    ),
    "unknown_extension": (
        {"files": {"r.json": "{}"}, "tables": {"survey_responses": {"file": "data/r.json"}}},
        FileFormatError,
        None,
    ),
    "text_amount": (
        {
            "files": {"t.csv": "customer_id,date,amount\nc1,2026-02-01,ten\nc2,2026-02-02,10.5\n"},
            "tables": {"transactions": {"file": "data/t.csv"}},
        },
        InvalidValueError,
        "amount",
    ),
    "duplicate_customer": (
        {
            "files": {"c.csv": "customer_id,name\nc1,Alfa\nc1,Alfa bis\nc2,Beta\n"},
            "tables": {"customers": {"file": "data/c.csv"}},
        },
        DuplicateIdError,
        "customer_id",
    ),
    "unparseable_event_time": (
        {
            "files": {
                "e.csv": "case_id,timestamp,activity,department\nk1,2026-01-01 09:00,Open,Sales\n"
                "k1,31/02/2026 25:00,Ship,Logistics\nk2,2026-01-02 09:00,Open,Sales\n"
            },
            "tables": {"events": {"file": "data/e.csv"}},
        },
        InvalidValueError,
        "timestamp",
    ),
    "bad_bool": (
        {
            "files": {
                "e.csv": "case_id,timestamp,activity,department,is_customer_contact\n"
                "k1,2026-01-01 09:00,Open,Sales,forse\nk2,2026-01-02 09:00,Open,Sales,1\n"
            },
            "tables": {"events": {"file": "data/e.csv"}},
        },
        InvalidValueError,
        "is_customer_contact",
    ),
    "culture_score_6": (
        {
            "files": {
                "w.csv": "department,respondent,question_id,score\nSales,p1,q01_what_we_do,6\nSales,p1,q02_how_we_do_it,4\n"
            },
            "tables": {"culture": {"file": "data/w.csv"}},
        },
        ValueRangeError,
        "score",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_input_raises_exact_class_naming_file_and_column(tmp_path, case):
    spec, error, column = CASES[case]
    folder = make_client(tmp_path, spec["files"], spec["tables"])
    with pytest.raises(CxlabError) as info:
        load_client(folder, strict=True)
    assert type(info.value) is error, f"{case}: {type(info.value).__name__}: {info.value}"
    message = str(info.value)
    file = next(iter(spec["tables"].values()))["file"]
    assert file in message
    if column:
        assert f"'{column}'" in message
        assert info.value.column == column


ROW_LEVEL = [
    c
    for c, (spec, err, col) in CASES.items()
    if err in (ValueRangeError, InvalidValueError, DuplicateIdError, MissingValueError)
]


@pytest.mark.parametrize("case", sorted(ROW_LEVEL))
def test_row_level_problems_do_not_stop_the_load(tmp_path, case):
    spec, error, column = CASES[case]
    folder = make_client(tmp_path, spec["files"], spec["tables"])
    client = load_client(folder)
    issues = client.quality.issues
    assert any(i.error is error and i.column == column for i in issues), issues
    (report,) = client.quality.tables.values()
    assert report.rows_kept >= 1


# ---------------------------------------------------------------------------------------------------
# defined behaviours, checked value by value


def test_nps_out_of_range_is_blanked_not_dropped(tmp_path):
    spec, _, _ = CASES["nps_11"]
    client = load_client(make_client(tmp_path, spec["files"], spec["tables"]))
    r = client.survey_responses
    assert len(r) == 2
    assert pd.isna(r.loc[r.response_id == "r1", "nps"]).all()
    assert r.loc[r.response_id == "r1", "csat"].item() == 5.0
    (issue,) = client.quality.issues
    assert issue.action == "blanked" and issue.count == 1 and issue.rows == (2,)
    assert "'11'" in issue.found
    assert issue.describe().startswith("1 values blanked — ")
    # the problem too in the widget's language (the column mapper lists these lines)
    assert issue.describe("it") == (
        "1 valori svuotati — data/r.csv: colonna 'nps', riga 2: atteso: un numero intero da 0 a 10; trovato: '11'"
    )


def test_text_in_required_number_drops_row_with_row_number(tmp_path):
    spec, _, _ = CASES["text_amount"]
    client = load_client(make_client(tmp_path, spec["files"], spec["tables"]))
    assert client.transactions["amount"].tolist() == [10.5]
    report = client.quality.tables["transactions"]
    assert (report.rows_read, report.rows_kept, report.rows_dropped) == (2, 1, 1)
    assert report.issues[0].rows == (2,)


def test_semicolon_decimal_comma_and_day_first_dates(tmp_path):
    content = "codice;data;importo;margine\nC001;03/04/2026;1.234,50;200,25\nC002;15/04/2026;99,90;-3,10\n"
    folder = make_client(
        tmp_path,
        {"v.csv": content},
        {
            "transactions": {
                "file": "data/v.csv",
                "columns": {
                    "codice": "customer_id",
                    "data": "date",
                    "importo": "amount",
                    "margine": "margin",
                },
            }
        },
    )
    t = load_client(folder).transactions
    assert t["amount"].tolist() == [1234.5, 99.9]
    assert t["margin"].tolist() == [200.25, -3.1]
    assert t["date"].tolist() == [pd.Timestamp("2026-04-03"), pd.Timestamp("2026-04-15")]


def test_utf8_bom_header_is_clean(tmp_path):
    content = "\ufeffcustomer_id,name\nc1,Caffè Rossi\n"
    folder = make_client(tmp_path, {"c.csv": content.encode("utf-8")}, {"customers": {"file": "data/c.csv"}})
    c = load_client(folder).customers
    assert c["customer_id"].tolist() == ["c1"]
    assert c["name"].tolist() == ["Caffè Rossi"]


def test_latin1_file_is_decoded(tmp_path):
    content = "customer_id;name;region\nc1;Società Fratelli Però;Emilia-Romagna\n".encode("latin-1")
    folder = make_client(tmp_path, {"c.csv": content}, {"customers": {"file": "data/c.csv"}})
    assert load_client(folder).customers["name"].tolist() == ["Società Fratelli Però"]


def test_xlsx_with_merged_title_row(tmp_path):
    rows = [["Codice cliente", "Ragione sociale"], ["C1", "Alfa S.r.l."], [2, "Beta S.p.A."]]
    folder = make_client(
        tmp_path,
        {"c.xlsx": xlsx_bytes(tmp_path, rows, merged_title="Anagrafica clienti — estrazione 31/10/2026")},
        {
            "customers": {
                "file": "data/c.xlsx",
                "columns": {"Codice cliente": "customer_id", "Ragione sociale": "name"},
            }
        },
    )
    client = load_client(folder)
    assert client.customers["customer_id"].tolist() == ["C1", "2"]
    assert client.quality.tables["customers"].rows_read == 2


def test_xlsx_missing_column_names_sheet_file(tmp_path):
    rows = [["Codice", "Nome"], ["C1", "Alfa"]]
    folder = make_client(
        tmp_path, {"c.xlsx": xlsx_bytes(tmp_path, rows)}, {"customers": {"file": "data/c.xlsx"}}
    )
    with pytest.raises(MissingColumnError, match=r"data/c.xlsx: column 'customer_id'"):
        load_client(folder)


def test_parquet_input(tmp_path):
    frame = pd.DataFrame(
        {
            "customer_id": ["a", "b"],
            "date": pd.to_datetime(["2026-01-01", "2026-01-02"]),
            "amount": [1.5, 2.0],
        }
    )
    folder = make_client(tmp_path, {}, {"transactions": {"file": "data/t.parquet"}})
    frame.to_parquet(folder / "data" / "t.parquet")
    t = load_client(folder).transactions
    assert t["amount"].tolist() == [1.5, 2.0]
    assert str(t["date"].dtype) == "datetime64[ns]"


def test_ragged_line_is_dropped_and_reported(tmp_path):
    content = "customer_id,name\nc1,Alfa\nc2,Beta,extra,fields\nc3,Gamma\n"
    folder = make_client(tmp_path, {"c.csv": content}, {"customers": {"file": "data/c.csv"}})
    client = load_client(folder)
    assert client.customers["customer_id"].tolist() == ["c1", "c3"]
    (issue,) = client.quality.issues
    assert issue.error is FileFormatError and issue.rows == (3,)
    assert client.quality.tables["customers"].rows_dropped == 1


def test_blank_department_becomes_unknown(tmp_path):
    content = "case_id,timestamp,activity,department\nk1,2026-01-01 09:00,Open,\nk1,2026-01-01 10:00,Ship,Logistics\n"
    client = load_client(make_client(tmp_path, {"e.csv": content}, {"events": {"file": "data/e.csv"}}))
    assert client.events["department"].tolist() == ["unknown", "Logistics"]
    assert client.quality.issues[0].action == "filled"


def test_time_offsets_are_converted_to_local_naive(tmp_path):
    content = (
        "case_id,timestamp,activity,department\n"
        "k1,2026-01-15T08:00:00+00:00,Open,Sales\nk1,2026-07-15T10:00:00+02:00,Ship,Logistics\n"
    )
    events = load_client(make_client(tmp_path, {"e.csv": content}, {"events": {"file": "data/e.csv"}})).events
    assert events["timestamp"].tolist() == [
        pd.Timestamp("2026-01-15 09:00"),
        pd.Timestamp("2026-07-15 10:00"),
    ]
    assert events["timestamp"].dt.tz is None


def test_survey_value_mapping(tmp_path):
    content = (
        "response_id,answered_at,survey,nps\nr1,2026-01-01,Relazionale,9\nr2,2026-01-02,Transazionale,3\n"
    )
    folder = make_client(
        tmp_path,
        {"r.csv": content},
        {
            "survey_responses": {
                "file": "data/r.csv",
                "values": {"survey": {"Relazionale": "cold", "Transazionale": "hot"}},
            }
        },
    )
    assert load_client(folder).survey_responses["survey"].tolist() == ["cold", "hot"]


def test_responses_without_invitations_is_a_note_and_a_dependency_error(tmp_path):
    spec = responses_case(GOOD_RESPONSE)
    client = load_client(make_client(tmp_path, spec["files"], spec["tables"]))
    assert any("no survey_invitations" in n for n in client.quality.notes)
    with pytest.raises(TableDependencyError, match="survey_invitations"):
        client.require("survey_invitations", "response rates")


def test_single_event_case_is_kept_with_a_note(tmp_path):
    content = "case_id,timestamp,activity,department\nk1,2026-01-01 09:00,Open,Sales\nk2,2026-01-01 09:00,Open,Sales\nk2,2026-01-01 10:00,Ship,Logistics\n"
    client = load_client(make_client(tmp_path, {"e.csv": content}, {"events": {"file": "data/e.csv"}}))
    assert client.events["case_id"].nunique() == 2
    assert any("1 of 2 cases have a single event" in n for n in client.quality.notes)
    (note,) = client.quality.notes
    assert note.translated("it").startswith("1 casi su 2 hanno un solo evento")  # the report's language


def test_single_event_cases_are_counted_after_the_dropped_rows(tmp_path):
    # k2 loses its unparseable event and is left with one; the blank case id is dropped
    content = (
        "case_id,timestamp,activity,department\nk1,2026-01-01 09:00,Open,Sales\nk1,2026-01-01 10:00,Ship,Sales\n"
        "k2,2026-01-01 09:00,Open,Sales\nk2,not a date,Ship,Logistics\n,2026-01-01 09:00,Open,Sales\n"
    )
    client = load_client(make_client(tmp_path, {"e.csv": content}, {"events": {"file": "data/e.csv"}}))
    assert len(client.events) == 3
    assert any("1 of 2 cases have a single event" in n for n in client.quality.notes)


def test_all_rows_unusable_stops(tmp_path):
    content = "customer_id,date,amount\nc1,2026-01-01,abc\nc2,2026-01-02,xyz\n"
    folder = make_client(tmp_path, {"t.csv": content}, {"transactions": {"file": "data/t.csv"}})
    with pytest.raises(InvalidValueError, match="all 2 rows unusable"):
        load_client(folder)


def test_input_files_are_never_modified(tmp_path):
    spec, _, _ = CASES["nps_11"]
    folder = make_client(tmp_path, spec["files"], spec["tables"])
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}
    load_client(folder)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}
    assert before == after


def test_read_raw_keeps_client_names(tmp_path):
    folder = make_client(
        tmp_path,
        {"c.csv": "Codice;Nome\nC1;Alfa\n"},
        {"customers": {"file": "data/c.csv", "columns": {"Codice": "customer_id"}}},
    )
    from cxlab.config import load_config

    cfg = load_config(folder)
    raw = read_raw(cfg.path("data/c.csv"), cfg.tables["customers"])
    assert list(raw.columns) == ["Codice", "Nome"]


# ---------------------------------------------------------------------------------------------------
# client.yaml problems


@pytest.mark.parametrize(
    "config_text, key",
    [
        ("name: X\nlanguage: fr\n", "language"),
        ("name: X\ncolour: red\n", "colour"),
        (
            "name: X\ntables:\n  events:\n    file: e.csv\n    columns: {Reparto: dept}\n",
            "tables.events.columns.Reparto",
        ),
        ("name: X\ntables:\n  orders:\n    file: o.csv\n", "tables.orders"),
        ("name: X\nthresholds:\n  small_n: many\n", "thresholds.small_n"),
        ("name: X\nbranding:\n  colour: blue\n", "branding.colour"),
        ("language: it\n", "name"),
    ],
)
def test_bad_client_yaml(tmp_path, config_text, key):
    (tmp_path / "client.yaml").write_text(config_text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_client(tmp_path)
    assert "client.yaml" in str(info.value)
    assert f"'{key}'" in str(info.value)


def test_invalid_yaml_names_the_line(tmp_path):
    (tmp_path / "client.yaml").write_text("name: X\ntables: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"client.yaml: line \d"):
        load_client(tmp_path)
