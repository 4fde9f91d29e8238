"""Python side of the widgets: state changes -> saved files; invalid edits -> a clear message."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import yaml
from shared_data import DATASETS as DATASETS_DIR

from cxlab.config import load_config
from cxlab.errors import CxlabError
from cxlab.intake.suggest import value_kind
from cxlab.questionnaire import QUESTION_IDS
from cxlab.widgets import ColumnMapper, CultureForm, asset, drop_widget_state, suggest_mapping

DATASETS = DATASETS_DIR
WIDGET_DIR = Path(__file__).resolve().parents[1] / "widgets"

CLIENT_YAML = """\
name: Rossi S.r.l.
language: it
thresholds:
  small_n: 25
branding:
  colour: "#123456"
tables:
  transactions:
    file: data/vendite.csv
    decimal: ","
"""

CUSTOMERS = """\
Codice Cliente;Ragione Sociale;Regione;Settore;Cliente dal
C0001;Alfa S.p.A.;Lombardia;Edilizia;03/02/2021
C0002;Beta S.r.l.;Veneto;Commercio;15/06/2022
C0003;Gamma S.n.c.;Lazio;Edilizia;01/12/2020
C0004;Delta S.p.A.;Piemonte;Manifattura;20/09/2023
"""

SALES = """\
Cliente;Data documento;Importo;Margine
C0001;05/01/2026;1.250,50;310,00
C0002;07/01/2026;99,90;20,10
C0001;11/02/2026;480,00;95,50
C0003;14/03/2026;2.010,00;400,00
"""


def _page(widget, action: str) -> None:
    """What a click in the page does: a custom message to the kernel."""
    widget._on_page_message(widget, {"action": action}, [])


@pytest.fixture()
def client(tmp_path: Path) -> Path:
    root = tmp_path / "rossi"
    (root / "data").mkdir(parents=True)
    (root / "client.yaml").write_text(CLIENT_YAML, encoding="utf-8")
    (root / "data" / "clienti.csv").write_text(CUSTOMERS, encoding="utf-8")
    (root / "data" / "vendite.csv").write_text(SALES, encoding="utf-8")
    return root


# ----------------------------------------------------------------------------------------------------
# suggestions


def test_value_kinds() -> None:
    assert value_kind(pd.Series(["9", "10", "3", "0"])) == "score10"
    assert value_kind(pd.Series(["1", "5", "4", "2"])) == "score5"
    assert value_kind(pd.Series(["1", "7", "6"])) == "score7"
    assert value_kind(pd.Series(["03/02/2021", "15/06/2022"])) == "datetime"
    assert value_kind(pd.Series(["2026-01-05T10:00:00+01:00", "2026-01-06T11:00:00+01:00"])) == "datetime"
    assert value_kind(pd.Series(["C0001", "C0002", "C0003"])) == "id"
    assert value_kind(pd.Series(["1.250,50", "99,90"])) == "number"
    assert value_kind(pd.Series(["sì", "no", "sì"])) == "bool"
    assert value_kind(pd.Series([None, ""])) == "empty"


def test_suggest_italian_names_and_values() -> None:
    frame = pd.read_csv(pd.io.common.StringIO(CUSTOMERS), sep=";", dtype=str)
    got = suggest_mapping(frame, "customers").set_index("column")["suggestion"].to_dict()
    assert got == {
        "Codice Cliente": "customer_id",
        "Ragione Sociale": "name",
        "Regione": "region",
        "Settore": "industry",
        "Cliente dal": "since",
    }
    # names that say nothing: the values decide (0-10 -> nps, dates -> answered_at)
    responses = pd.DataFrame(
        {
            "ID risposta": ["R001", "R002", "R003"],
            "quando": ["2026-01-02", "2026-02-02", "2026-03-01"],
            "tipo": ["Relazionale", "Transazionale", "Relazionale"],
            "domanda_1": ["9", "3", "10"],
        }
    )
    got = suggest_mapping(responses, "survey_responses").set_index("column")["suggestion"].to_dict()
    assert got["domanda_1"] == "nps"
    assert got["quando"] == "answered_at"
    assert got["ID risposta"] == "response_id"
    assert got["tipo"] == "survey"


def test_suggest_recovers_the_real_receipt_mapping() -> None:
    """On the real WABO log the suggestions equal the hand-written client.yaml mapping."""
    path = DATASETS / "receipt.csv"
    if not path.exists():
        pytest.skip("shared/datasets/receipt.csv not present")
    frame = pd.read_csv(path, dtype=str, nrows=400)
    got = suggest_mapping(frame, "events").set_index("column")["suggestion"].dropna().to_dict()
    hand = yaml.safe_load((Path(__file__).parent / "data" / "receipt_client" / "client.yaml").read_text())
    for client_col, canonical in hand["tables"]["events"]["columns"].items():
        assert got.get(client_col) == canonical, client_col


# ----------------------------------------------------------------------------------------------------
# column mapper


def test_mapper_suggests_validates_and_saves(client: Path) -> None:
    w = ColumnMapper(client, "customers", file="data/clienti.csv")
    assert w.lang == "it"
    assert w.mapping["Codice Cliente"] == "customer_id"
    assert w.valid
    assert w.summary == {"rows_read": 4, "rows_kept": 4}
    assert w.validation[0]["level"] == "ok"
    samples = {c["name"]: c["samples"] for c in w.columns}
    assert samples["Regione"][:2] == ["Lombardia", "Veneto"]

    # the consultant decides Settore is the client's own segment attribute
    w.mapping = {**w.mapping, "Settore": "segment"}
    _page(w, "save")
    assert w.status == "ok", w.message
    data = yaml.safe_load((client / "client.yaml").read_text(encoding="utf-8"))
    assert data["tables"]["customers"] == {
        "file": "data/clienti.csv",
        "columns": {
            "Codice Cliente": "customer_id",
            "Ragione Sociale": "name",
            "Regione": "region",
            "Settore": "segment",
            "Cliente dal": "since",
        },
    }
    # every other key survives, and the file still loads
    assert data["thresholds"] == {"small_n": 25}
    assert data["branding"] == {"colour": "#123456"}
    assert data["tables"]["transactions"]["decimal"] == ","
    assert load_config(client).tables["customers"].columns["Settore"] == "segment"


def test_mapper_keeps_saved_mapping_and_other_table_keys(client: Path) -> None:
    w = ColumnMapper(client, "transactions")
    assert w.mapping == {
        "Cliente": "customer_id",
        "Data documento": "date",
        "Importo": "amount",
        "Margine": "margin",
    }
    assert w.summary["rows_kept"] == 4
    w.mapping = {**w.mapping, "Margine": ""}
    assert w.save() == client / "client.yaml"
    src = load_config(client).tables["transactions"]
    assert src.decimal == ","  # kept
    assert "Margine" not in src.columns and src.columns["Importo"] == "amount"
    # reopening shows the saved state
    again = ColumnMapper(client, "transactions")
    assert again.mapping["Margine"] == ""


def test_mapper_invalid_edits_give_clear_messages(client: Path) -> None:
    before = (client / "client.yaml").read_text(encoding="utf-8")
    w = ColumnMapper(client, "transactions", lang="en")
    # the same canonical column twice
    w.mapping = {**w.mapping, "Margine": "amount"}
    errors = [p["text"] for p in w.validation if p["level"] == "error"]
    assert "'amount' is mapped from both 'Importo' and 'Margine'" in errors
    _page(w, "save")
    assert w.status == "error"
    assert "mapped from both" in w.message and "Traceback" not in w.message
    assert (client / "client.yaml").read_text(encoding="utf-8") == before
    with pytest.raises(CxlabError):
        w.save()

    # a required column left unmapped
    w.mapping = {**w.mapping, "Margine": "margin", "Data documento": ""}
    assert any("required column 'date' is not mapped" in p["text"] for p in w.validation)

    # a column with values the library cannot read: the trial load explains, rows are counted
    w.mapping = {**w.mapping, "Data documento": "date", "Margine": "", "Cliente": "transaction_id"}
    assert any("required column 'customer_id'" in p["text"] for p in w.validation)
    w.mapping = {"Cliente": "customer_id", "Data documento": "amount", "Importo": "date", "Margine": ""}
    assert not w.valid
    assert any("all 4 rows unusable" in p["text"] or "expected a number" in p["text"] for p in w.validation)

    # an unknown canonical name set from the notebook
    w.mapping = {"Cliente": "client_code", "Data documento": "date", "Importo": "amount", "Margine": ""}
    assert any("'client_code' is not a column of the transactions table" in p["text"] for p in w.validation)


def test_mapper_apply_suggestions_and_switch_table(client: Path) -> None:
    w = ColumnMapper(client, "transactions")
    w.mapping = {k: "" for k in w.mapping}
    _page(w, "suggest")
    assert w.mapping["Importo"] == "amount" and w.valid
    w.table = "customers"  # not in client.yaml and no file: a message, not a traceback
    assert w.status == "error" and "tables.customers" in w.message
    assert w.table == "transactions" and w.mapping["Importo"] == "amount"  # still the table that opened
    with (client / "client.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  customers:\n    file: data/clienti.csv\n")
    w = ColumnMapper(client, "transactions")
    assert [t["table"] for t in w.tables] == ["transactions", "customers"]
    w.table = "customers"  # what the table picker in the page does
    assert w.file == "data/clienti.csv" and w.mapping["Codice Cliente"] == "customer_id" and w.valid


def test_mapper_static_view(client: Path) -> None:
    w = ColumnMapper(client, "transactions", lang="en")
    data, _meta = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    html = data["text/html"]
    assert "Column mapping — transactions" in html and "Importo" in html and "amount" in html
    assert "<script" not in html


def test_mapper_missing_file_is_a_cxlab_error(client: Path) -> None:
    with pytest.raises(CxlabError, match="no such file"):
        ColumnMapper(client, "events", file="data/eventi.csv")


# ----------------------------------------------------------------------------------------------------
# culture workshop form


def _answer(w: CultureForm, department: str, respondent: str, scores: dict[str, int]) -> None:
    w.department = department
    w.respondent = respondent
    w.answers = {**w.answers, **scores}


def test_culture_form_creates_xlsx_and_appends(client: Path) -> None:
    w = CultureForm(client, departments=["Sales", "Logistics"])
    assert w.file == "data/workshop.xlsx" and w.lang == "it"
    assert len(w.questions) == 12 and w.questions[0]["text"].startswith("Ciò che facciamo")
    _answer(w, "Sales", "anna", {"q01_what_we_do": 4, "q03_info_we_pass": 2})
    _page(w, "submit")
    assert w.status == "ok", w.message
    assert w.answers["q01_what_we_do"] == 0 and w.respondent == ""  # ready for the next person
    # the culture table is now named in client.yaml
    assert load_config(client).tables["culture"].file == "data/workshop.xlsx"

    _answer(w, "Logistics", "luca", {"q01_what_we_do": 3})
    w.rated_department = ""
    _page(w, "submit")
    # Logistics rates Sales on a cross question
    _answer(w, "Logistics", "luca", {"q04_info_we_receive": 1})
    w.rated_department = "Sales"
    _page(w, "submit")
    assert w.status == "ok", w.message

    frame = pd.read_excel(client / "data" / "workshop.xlsx", dtype=str)
    assert list(frame.columns[:4]) == ["department", "respondent", "question_id", "score"]
    got = frame[["department", "respondent", "question_id", "score", "rated_department"]].fillna("")
    assert got.values.tolist() == [
        ["Sales", "anna", "q01_what_we_do", "4", ""],
        ["Sales", "anna", "q03_info_we_pass", "2", ""],
        ["Logistics", "luca", "q01_what_we_do", "3", ""],
        ["Logistics", "luca", "q04_info_we_receive", "1", "Sales"],
    ]
    assert w.progress == {"Logistics": 1, "Sales": 1}

    # the library reads what the form wrote
    from cxlab.intake import load_table

    config = load_config(client)
    culture, _report = load_table("culture", config.tables["culture"], config)
    assert len(culture) == 4 and culture["score"].tolist() == [4.0, 2.0, 3.0, 1.0]


def test_culture_form_appends_to_existing_csv_with_client_names(client: Path) -> None:
    (client / "data" / "cultura.csv").write_text(
        "Reparto;Partecipante;Domanda;Voto\nSales;p1;q01_what_we_do;5\n", encoding="utf-8"
    )
    with (client / "client.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "  culture:\n    file: data/cultura.csv\n    columns: {Reparto: department, Partecipante: respondent,"
            " Domanda: question_id, Voto: score}\n"
        )
    w = CultureForm(client, lang="en")
    assert w.departments == ["Sales"] and w.progress == {"Sales": 1}
    _answer(w, "Billing", "b1", {"q02_how_we_do_it": 2, "q12_internal_customer": 3})
    w.submit()
    text = (client / "data" / "cultura.csv").read_text(encoding="utf-8")
    assert text == (
        "Reparto;Partecipante;Domanda;Voto\nSales;p1;q01_what_we_do;5\n"
        "Billing;b1;q02_how_we_do_it;2\nBilling;b1;q12_internal_customer;3\n"
    )
    assert w.progress == {"Billing": 1, "Sales": 1}
    # no rated_department column in this file: rating another department is refused with a message
    _answer(w, "Billing", "b1", {"q03_info_we_pass": 2})
    w.rated_department = "Sales"
    _page(w, "submit")
    assert w.status == "error" and "rated_department" in w.message
    assert (client / "data" / "cultura.csv").read_text(encoding="utf-8") == text


def test_culture_form_invalid_answers(client: Path) -> None:
    w = CultureForm(client, file="data/ws.csv", lang="en")
    _page(w, "submit")
    assert w.status == "error" and "department" in w.message
    _answer(w, "Sales", "x", {})
    _page(w, "submit")
    assert w.status == "error" and "at least one answered question" in w.message
    _answer(w, "Sales", "x", {"q01_what_we_do": 7})
    _page(w, "submit")
    assert w.status == "error" and "expected a score from 1 to 5" in w.message
    w.answers = {q: 0 for q in QUESTION_IDS} | {"q01_what_we_do": 4}
    w.rated_department = "Logistics"
    _page(w, "submit")
    assert w.status == "error" and "only the cross-department questions" in w.message
    w.rated_department = ""
    w.answers = {**w.answers, "q99": 3}
    _page(w, "submit")
    assert w.status == "error" and "'q99'" in w.message
    assert not (client / "data" / "ws.csv").exists()
    html = w.to_html()
    assert "Culture workshop" in html and "No answers yet" in html


# ----------------------------------------------------------------------------------------------------
# front-end files


def test_front_end_files_ship_and_need_no_network() -> None:
    for cls in (ColumnMapper, CultureForm):
        esm = Path(cls._esm._path)
        assert esm.parent == asset("x").parent and esm.is_file()
    for js in WIDGET_DIR.glob("*.js"):
        text = js.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")  # a namespace name
        assert "export default" in text
        # no imports at all: nothing to bundle, nothing fetched from a CDN
        for word in ("import ", "import(", "http://", "https://", "fetch(", "XMLHttpRequest", "WebSocket"):
            assert word not in text, (js.name, word)


def test_front_end_modules_load_in_node() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    files = sorted(str(p) for p in WIDGET_DIR.glob("*.js"))
    script = (
        "const files = JSON.parse(process.argv[1]); const out = {};"
        "for (const f of files) { const m = await import('file://' + f); out[f] = typeof m.default.render; }"
        "console.log(JSON.stringify(out));"
    )
    res = subprocess.run(
        [node, "--input-type=module", "-e", script, json.dumps(files)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert res.returncode == 0, res.stderr
    assert set(json.loads(res.stdout).values()) == {"function"}


# ----------------------------------------------------------------------------------------------------
# recommendation review

AS_OF = dt.date(2026, 11, 1)
FINDINGS = {
    "handoff.worst_pair": "Sales → Logistics",
    "handoff.worst_pair_from": "Sales",
    "handoff.worst_pair_to": "Logistics",
    "handoff.worst_pair_wait_h": 50.0,
    "handoff.worst_pair_wait_share": 0.4,
    "handoff.pingpong_pair": "Customer Service ↔ Credit",
    "handoff.pingpong_rate": 0.7,
    "handoff.pingpong_cases": 400,
    "survey.has_hot": True,
    "survey.has_cold": False,
}


def _review(client: Path, **kwargs):
    from cxlab.findings import Findings
    from cxlab.widgets import RecommendationReview

    return RecommendationReview(client, Findings(FINDINGS), as_of=AS_OF, **kwargs)


def _set(widget, rec_id: str, field: str, value) -> None:
    widget._on_page_message(widget, {"action": "set", "id": rec_id, "field": field, "value": value}, [])


def test_review_decisions_are_saved_to_recommendations_yaml(client: Path) -> None:
    from cxlab.recommend import action_plan

    w = _review(client, lang="en")
    ids = [c["id"] for c in w.cards]
    assert ids == ["handoff_pingpong", "handoff_owner_sla", "survey_add_cold"]
    assert all(c["status"] == "proposed" for c in w.cards) and not w.dirty
    sla = next(c for c in w.cards if c["id"] == "handoff_owner_sla")
    assert "Sales → Logistics" in sla["title"] and sla["evidence"]

    _set(w, "handoff_pingpong", "status", "accepted")
    _set(w, "survey_add_cold", "status", "rejected")
    _set(w, "handoff_owner_sla", "text", "Shared Sales–Logistics checklist by March.")
    _set(w, "handoff_owner_sla", "priority", 22)
    _set(w, "handoff_owner_sla", "owner", "Logistics")
    assert w.status != "error", w.message
    assert w.dirty and not (client / "recommendations.yaml").exists()  # nothing written before Save
    _page(w, "save")
    assert w.status == "ok" and not w.dirty
    data = yaml.safe_load((client / "recommendations.yaml").read_text(encoding="utf-8"))
    assert data["recommendations"] == {
        "handoff_pingpong": {"status": "accepted"},
        "survey_add_cold": {"status": "rejected"},
        "handoff_owner_sla": {
            "text": {"en": "Shared Sales–Logistics checklist by March."},
            "priority": 22.0,
            "owner": "Logistics",
        },
    }
    # the report side reads the same file: the rejected one is gone, the edited one leads
    shown = action_plan(FINDINGS, client, as_of=AS_OF)
    assert [r.id for r in shown] == ["handoff_owner_sla", "handoff_pingpong"]
    assert (
        shown[0].action.en == "Shared Sales–Logistics checklist by March." and shown[0].owner == "Logistics"
    )

    # reopening shows the decisions; undoing an acceptance drops the override
    again = _review(client, lang="en")
    assert {c["id"]: c["status"] for c in again.cards}["handoff_pingpong"] == "accepted"
    _set(again, "handoff_pingpong", "status", "proposed")
    _set(again, "handoff_owner_sla", "text", sla["text"])  # back to the generated wording
    again.save()
    data = yaml.safe_load((client / "recommendations.yaml").read_text(encoding="utf-8"))
    assert "handoff_pingpong" not in data["recommendations"]
    assert data["recommendations"]["handoff_owner_sla"] == {"priority": 22.0, "owner": "Logistics"}


def test_review_invalid_edits_give_clear_messages(client: Path) -> None:
    w = _review(client)
    assert w.lang == "it"  # from client.yaml
    _set(w, "handoff_pingpong", "priority", 40)
    # in the widget's language (Italian, from client.yaml): the frame and the expected phrase
    assert w.status == "error" and "atteso: un numero da 1 a 25; trovato: 40" in w.message
    _set(w, "handoff_pingpong", "priority", "abc")
    assert w.status == "error" and "trovato: 'abc'" in w.message
    _set(w, "handoff_pingpong", "text", "   ")
    assert w.status == "error" and "un testo non vuoto" in w.message
    _set(w, "handoff_pingpong", "effort", "huge")
    assert w.status == "error" and "uno tra low, medium, high" in w.message
    _set(w, "nope", "status", "accepted")
    assert w.status == "error" and "'nope'" in w.message
    _set(w, "handoff_pingpong", "colour", "red")
    assert w.status == "error" and "colour" in w.message
    assert not w.dirty and not w.overrides.recommendations
    # a valid change after an error clears the message
    _set(w, "handoff_pingpong", "priority", "12,5")
    assert w.status == ""
    assert next(c for c in w.cards if c["id"] == "handoff_pingpong")["priority"] == 12.5


def test_review_custom_recommendations_and_static_view(client: Path) -> None:
    (client / "recommendations.yaml").write_text(
        "custom:\n  - id: pricing_review\n    text: Review price lists with Sales.\n    owner: Sales\n    priority: 12\n",
        encoding="utf-8",
    )
    w = _review(client, lang="en")
    assert "pricing_review" in [c["id"] for c in w.cards]
    _set(w, "pricing_review", "status", "rejected")
    _set(w, "pricing_review", "text", "Review price lists with Sales and Credit.")
    w.save()
    custom = yaml.safe_load((client / "recommendations.yaml").read_text(encoding="utf-8"))["custom"][0]
    assert (
        custom["status"] == "rejected" and custom["text"]["en"] == "Review price lists with Sales and Credit."
    )
    html = w._repr_mimebundle_()[0]["text/html"]
    assert "Recommendations (4)" in html and "✗ rejected" in html and "Review price lists" in html


def test_mapper_validates_big_files_on_their_first_rows(
    client: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cxlab.widgets.column_mapper as cm

    monkeypatch.setattr(cm, "TRIAL_ROWS", 2)
    (client / "data" / "vendite.csv").write_text(SALES + "C0009;31/02/2026;abc;1\n", encoding="utf-8")
    w = ColumnMapper(client, "transactions", lang="en")
    w.mapping = {"Cliente": "customer_id", "Data documento": "date", "Importo": "amount", "Margine": "margin"}
    assert w.summary == {"rows_read": 2, "rows_kept": 2, "rows_in_file": 5}
    assert w.validation[0]["text"] == "2 of the first 2 rows (of 5) usable with this mapping"
    # a problem inside the sample names the client's file, not the temporary copy
    w.mapping = {**w.mapping, "Cliente": "transaction_id", "Margine": "customer_id", "Importo": "amount"}
    w.mapping = {**w.mapping, "Data documento": "amount", "Importo": "date"}
    errors = [p["text"] for p in w.validation if p["level"] == "error"]
    assert errors and all("data/vendite.csv" in e and "sample.parquet" not in e for e in errors)


def test_exported_html_shows_the_static_view(client: Path) -> None:
    """A notebook run without a browser (papermill / nbconvert) exports the widget as readable HTML."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from cxlab.widgets import ColumnMapper, CultureForm\n"
            f"ColumnMapper({str(client)!r}, 'transactions', lang='en')"
        ),
        nbformat.v4.new_code_cell(f"CultureForm({str(client)!r}, lang='en')"),
    ]
    NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(client)}}
    ).execute()
    outputs = [o for cell in nb.cells for o in cell.outputs]
    assert all(o.output_type == "execute_result" for o in outputs), [o.get("ename") for o in outputs]
    # as executed, the notebook holds widget state: nbconvert would embed live widget boxes that need a CDN
    assert "widgets" in nb.metadata
    body, _ = HTMLExporter().from_notebook_node(drop_widget_state(nb))
    assert "Column mapping — transactions (data/vendite.csv)" in body
    assert "Importo" in body and "4 of 4 rows usable" in body
    assert "Culture workshop" in body
    # no widget view without widget state: nothing that would render as an empty or broken box
    assert 'type="application/vnd.jupyter.widget-view+json"' not in body


def test_update_client_yaml_validates_before_writing(client: Path) -> None:
    from cxlab.errors import ConfigError
    from cxlab.widgets import update_client_yaml

    before = (client / "client.yaml").read_text(encoding="utf-8")
    with pytest.raises(ConfigError, match="segments.value_top_share"):
        update_client_yaml(client, lambda d: d.setdefault("segments", {}).update(value_top_share="lots"))
    assert (client / "client.yaml").read_text(encoding="utf-8") == before
    update_client_yaml(client, lambda d: d.setdefault("segments", {}).update(value_top_share=0.3))
    assert (
        load_config(client).segments.value_top_share == 0.3 and load_config(client).thresholds.small_n == 25
    )


def test_unexpected_failures_become_a_message(client: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    w = ColumnMapper(client, "transactions", lang="en")  # the message is in the page's language

    def broken() -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(w, "save", broken)
    _page(w, "save")
    assert w.status == "error" and w.message == "unexpected problem (RuntimeError): disk on fire"
    monkeypatch.setattr(
        w, "save", lambda: (_ for _ in ()).throw(PermissionError(13, "Permission denied", "client.yaml"))
    )
    _page(w, "save")
    assert w.message == "client.yaml: Permission denied"
    _page(w, "no-such-action")  # ignored
    w._on_page_message(w, "not a dict", [])
    assert w.message == "client.yaml: Permission denied"


def test_mapper_maps_survey_values(client: Path) -> None:
    """Client survey types (Relazionale / Transazionale) are suggested as cold / hot and saved as values."""
    (client / "data" / "risposte.csv").write_text(
        "ID;Data;Tipo;Voto\nR001;02/01/2026;Relazionale;9\nR002;03/01/2026;Transazionale;3\n"
        "R003;04/01/2026;Relazionale;10\nR004;05/01/2026;Sondaggio speciale;7\n",
        encoding="utf-8",
    )
    w = ColumnMapper(client, "survey_responses", file="data/risposte.csv", lang="en")
    assert w.mapping["Tipo"] == "survey" and w.mapping["Voto"] == "nps"
    assert w.values == {"survey": {"Relazionale": "cold", "Transazionale": "hot"}}
    tipo = next(c for c in w.columns if c["name"] == "Tipo")
    assert tipo["distinct"] == ["Relazionale", "Transazionale", "Sondaggio speciale"]
    # the unmapped value costs a row: the live validation says so
    assert w.summary == {"rows_read": 4, "rows_kept": 3}
    w.values = {"survey": {**w.values["survey"], "Sondaggio speciale": "warm"}}
    assert any("expected one of hot, cold" in p["text"] for p in w.validation if p["level"] == "error")
    w.values = {"survey": {**w.values["survey"], "Sondaggio speciale": "cold"}}
    assert w.summary == {"rows_read": 4, "rows_kept": 4}
    w.save()
    src = load_config(client).tables["survey_responses"]
    assert src.values == {
        "survey": {"Relazionale": "cold", "Transazionale": "hot", "Sondaggio speciale": "cold"}
    }
    assert src.columns["Voto"] == "nps" and src.columns["Tipo"] == "survey"


def test_review_adds_custom_recommendations(client: Path) -> None:
    w = _review(client, lang="en")
    w._on_page_message(
        w,
        {
            "action": "add",
            "id": "pricing_review",
            "text": "Review price lists.",
            "owner": "Sales",
            "priority": 12,
        },
        [],
    )
    assert w.status != "error", w.message
    card = next(c for c in w.cards if c["id"] == "pricing_review")
    assert (
        card["status"] == "accepted" and card["text"] == "Review price lists." and card["source"] == "custom"
    )
    # invalid: a rule's id, a priority off the scale, no text
    w._on_page_message(
        w, {"action": "add", "id": "handoff_pingpong", "text": "x", "owner": "Sales", "priority": 5}, []
    )
    assert w.status == "error" and "different from the generated" in w.message
    w._on_page_message(w, {"action": "add", "id": "x2", "text": "x", "owner": "Sales", "priority": 30}, [])
    assert w.status == "error" and "from 1 to 25" in w.message
    w._on_page_message(w, {"action": "add", "id": "x3", "text": "", "owner": "Sales", "priority": 3}, [])
    assert w.status == "error" and "non-empty text" in w.message
    w.save()
    custom = yaml.safe_load((client / "recommendations.yaml").read_text(encoding="utf-8"))["custom"]
    assert custom == [
        {
            "id": "pricing_review",
            "text": {"en": "Review price lists."},
            "owner": "Sales",
            "priority": 12.0,
            "effort": "medium",
            "status": "accepted",
        }
    ]
