"""Issue 22, "all text in the widget's language": what a widget shows when an action fails reads in the
widget's language, the settings' and constraints' phrases included (they were English inside an Italian
frame); English keeps the one message form of cxlab.errors. Each test failed before the fix."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from cxlab.config import config_from_dict
from cxlab.errors import ConfigError
from cxlab.i18n import Message
from cxlab.questionnaire import QUESTIONS
from cxlab.widgets import ColumnMapper, CultureForm, HandoffExplorer, RecommendationReview, SegmentExplorer
from cxlab.widgets._base import error_text
from cxlab.widgets.comment_labeller import CommentLabeller
from cxlab.widgets.culture_form import FORM


def _page(widget: Any, action: str) -> None:
    """What a click in the page does: a custom message to the kernel."""
    widget._on_page_message(widget, {"action": action}, [])


def test_the_cross_department_hint_is_in_the_widget_language(tmp_path: Path) -> None:
    """Rating another department, a question that is not a cross-department one: the hint named the rule
    and the question in English in the Italian form."""
    (tmp_path / "client.yaml").write_text("name: Rossi\nlanguage: it\n", encoding="utf-8")
    own_only = next(q for q in QUESTIONS if not q.cross)
    forms = {lang: CultureForm(tmp_path, file="data/ws.csv", lang=lang) for lang in ("it", "en")}
    for form in forms.values():
        form.department, form.rated_department = "Vendite", "Credito"
        form.answers = {**form.answers, own_only.id: 4}
        _page(form, "submit")
        assert form.status == "error"
    assert forms["it"].message == (
        f"modulo del workshop: colonna '{own_only.id}': atteso: solo le domande tra reparti quando si valuta "
        f"Credito; trovato: una risposta a '{own_only.text('it')}'"
    )
    assert forms["en"].message == (
        f"{FORM}: column '{own_only.id}': expected only the cross-department questions when rating Credito; "
        f"found an answer to '{own_only.text('en')}'"
    )
    assert not (tmp_path / "data" / "ws.csv").exists()


def test_a_save_refused_by_client_yaml_reads_in_the_widget_language(
    demo_client_dir: Path, tmp_path: Path
) -> None:
    """The column mapper saves into client.yaml, which someone broke meanwhile: the constraint's phrase
    was English in the Italian message bar."""
    client = Path(shutil.copytree(demo_client_dir, tmp_path / "demo"))
    mapper = ColumnMapper(client, "customers", lang="it")
    config = client / "client.yaml"
    broken = config.read_text(encoding="utf-8").replace("currency: EUR", "currency: euro", 1)
    config.write_text(broken, encoding="utf-8")
    _page(mapper, "save")
    assert mapper.status == "error"
    assert mapper.message.endswith(
        "client.yaml: chiave 'currency': atteso: un codice valuta di tre lettere come EUR; trovato: 'euro'"
    )
    assert config.read_text(encoding="utf-8") == broken  # nothing saved
    # a path check of client.yaml (cxlab.safety) refuses the save the same way
    outside = broken.replace("currency: euro", "currency: EUR").replace(
        "branding:\n", "branding:\n  logo: ../logo.png\n", 1
    )
    config.write_text(outside, encoding="utf-8")
    _page(mapper, "save")
    assert mapper.message.endswith(
        f"client.yaml: chiave 'branding.logo': atteso: un file dentro la cartella del cliente {client.resolve()} "
        "(oppure --allow-outside-paths); trovato: '../logo.png', che ne è fuori"
    )


def test_the_column_mappers_trial_load_names_the_problem_in_the_widget_language(
    demo_client_dir: Path,
) -> None:
    """A mapping that makes every row unusable: the trial load's error was the English message (str(exc)),
    and the static view named its level in English."""
    mapper = ColumnMapper(demo_client_dir, "transactions", lang="it")
    dates = next(name for name, target in mapper.mapping.items() if target == "date")
    ids = next(name for name, target in mapper.mapping.items() if target == "transaction_id")
    mapper.mapping = {**mapper.mapping, ids: "date", dates: ""}  # invoice numbers read as dates
    [problem] = [p for p in mapper.validation if p["level"] == "error"]
    assert problem["column"] == "date"
    assert problem["text"].startswith(
        "data/vendite.csv: colonna 'date', righe 2, 3, 4, 5, 6: atteso: almeno una riga utilizzabile; "
        "trovato: tutte le "
    )
    assert problem["text"].endswith(
        " righe inutilizzabili (non rispettano: una data/ora (ISO 2026-11-23 o gg/mm/aaaa))"
    )
    assert "<li>errore: data/vendite.csv: colonna" in mapper.to_html()


def test_the_column_mappers_data_quality_lines_are_in_the_widget_language(demo_client_dir: Path) -> None:
    """The values a mapping blanks: the count was Italian, the problem (column, rows, what was expected)
    English."""
    mapper = ColumnMapper(demo_client_dir, "survey_responses", lang="it")
    nps = next(name for name, target in mapper.mapping.items() if target == "nps")
    csat = next(name for name, target in mapper.mapping.items() if target == "csat")
    mapper.mapping = {**mapper.mapping, nps: "csat", csat: "nps"}  # 0-10 scores read as 1-5 ones
    [blanked] = [p for p in mapper.validation if p["level"] == "warning" and p["column"] == nps]
    assert " valori svuotati — data/risposte.csv: colonna 'csat', righe 2, " in blanked["text"]
    assert ": atteso: un numero intero da 1 a 5; trovato: " in blanked["text"]
    required = {c["name"]: c["expected"] for c in mapper.canonical}
    assert required["nps"] == "un numero intero da 0 a 10"  # the tooltip of each canonical column


def test_page_action_errors_of_the_other_widgets_are_in_their_language(
    demo_client_dir: Path, tmp_path: Path
) -> None:
    """Phrases the widgets raised without a catalog entry (or as an English f-string)."""
    client = Path(shutil.copytree(demo_client_dir, tmp_path / "demo"))
    segments = SegmentExplorer(client, lang="it")
    segments.mode = "percentile"
    assert segments.message == "input: chiave 'mode': atteso: share oppure absolute; trovato: 'percentile'"
    handoffs = HandoffExplorer(client, lang="it")
    handoffs.selected_departments = ["Nowhere"]
    assert handoffs.message.startswith("input: chiave 'department': atteso: reparti della tabella events: ")
    labeller = CommentLabeller(client, lang="it")
    labeller._on_page_message(labeller, {"action": "label", "comment": "x", "polarity": "meh"}, [])
    assert labeller.message.endswith("colonna 'polarity': atteso: positivo, negativo o neutro")
    review = RecommendationReview(client, lang="it")
    shown = review.cards[0]["id"]
    review._on_page_message(review, {"action": "set", "id": shown, "field": "colour", "value": "red"}, [])
    assert review.message.endswith(
        ": chiave 'colour': atteso: uno tra status, text, title, priority, owner, "
        "effort, due, note; trovato: campo sconosciuto"
    )


#: client.yaml settings that break one check each -> the end of the Italian message
BROKEN_SETTINGS = [
    (
        {"thresholds": {"confidence": 5}},
        "chiave 'thresholds.confidence': atteso: un numero in (0, 1); trovato: 5",
    ),
    ({"thresholds": {"small_n": 0}}, "atteso: un numero intero ≥ 1; trovato: 0"),
    (
        {"thresholds": {"response_rate_band": [0.5, 0.2]}},
        "atteso: due numeri, prima il minore e poi il maggiore, ciascuno in [0, 1]; "
        "trovato: [0.5, 0.2] (il primo supera il secondo)",
    ),
    (
        {"indicators": {"nps_detractor_max": 9}},
        "chiave 'indicators.nps_promoter_min': atteso: un valore maggiore di indicators.nps_detractor_max (9); "
        "trovato: 9",
    ),
    ({"thresholds": {"confidance": 0.9}}, "chiave 'thresholds.confidance': atteso: uno tra small_n, "),
    ({"thresholds": {"confidance": 0.9}}, "; trovato: un'impostazione sconosciuta"),
    ({"thresholds": {"small_n": "many"}}, "atteso: un numero intero; trovato: 'many'"),
    ({"thresholds": {"response_rate_band": [0.1]}}, "atteso: un elenco di 2 valori; trovato: [0.1]"),
    (
        {"tables": {"customers": {"file": "c.csv", "sheet": True}}},
        "atteso: un testo oppure un numero intero; trovato: True",
    ),
    ({"tables": {"customers": {"file": "c.csv", "decimal": ";"}}}, "atteso: uno tra ',', '.'; trovato: ';'"),
    (
        {"timezone": "Mars/Base"},
        "atteso: un fuso orario IANA come Europe/Rome o UTC; trovato: 'Mars/Base' (fuso orario sconosciuto)",
    ),
    (
        {"tables": {"customers": {"file": "c.csv", "date_format": "%d/%m"}}},
        "trovato: '%d/%m' (manca un codice dell'anno come %Y)",
    ),
    ({"tables": {"customers": {"file": "c.csv", "date_format": "%d/%Q/%Y"}}}, "(codice %Q sconosciuto)"),
    ({"tables": {"customers": {"file": "c.csv", "encoding": "klingon"}}}, "una codifica del testo come"),
    ({"branding": {"colour": "blue"}}, "atteso: un colore come #1f4e79 o #fff; trovato: 'blue'"),
    ({"language": "xx"}, "atteso: en oppure una lingua con un catalogo: en, it; trovato: 'xx'"),
    ({"locale": "xx_XX_1"}, "atteso: una localizzazione come it_IT o en_GB"),
    ({"analysis_date": "soon"}, "atteso: una data nella forma YYYY-MM-DD (anno-mese-giorno)"),
    ({"tables": {"orders": {"file": "o.csv"}}}, "atteso: una tabella canonica: customers, "),
    (
        {"tables": {"customers": {"file": "c.csv", "columns": {"a": "customer_id", "b": "customer_id"}}}},
        "atteso: ogni colonna canonica mappata una sola volta; trovato: 'customer_id' mappata più di una volta",
    ),
    (
        {"tables": {"customers": {"file": "c.csv", "columns": {"a": "nickname"}}}},
        "atteso: una colonna canonica di 'customers': customer_id, ",
    ),
    (
        {"tables": {"customers": {"file": "c.csv", "values": {"shoe": {}}}}},
        "una colonna canonica di 'customers'",
    ),
    (
        {"tables": {"customers": {"columns": {}}}},
        "chiave 'tables.customers.file': atteso: questa impostazione",
    ),
    ({"text": {"themes": {"delivery": ["("]}}}, "atteso: una parola chiave o un'espressione regolare valida"),
    ({"report": {"show_names": "maybe"}}, "atteso: true o false; trovato: 'maybe'"),
]


@pytest.mark.parametrize(("settings", "italian"), BROKEN_SETTINGS)
def test_settings_errors_read_in_italian(settings: dict, italian: str) -> None:
    with pytest.raises(ConfigError) as raised:
        config_from_dict({"name": "Rossi", **settings})
    assert italian in error_text(raised.value, "it")
    assert isinstance(raised.value.expected, Message)  # said again in any language with a catalog


def test_a_translated_phrase_is_still_the_english_text() -> None:
    """The English message form is unchanged: a Message is its English text, pickled with its msgid."""
    import pickle

    with pytest.raises(ConfigError) as raised:
        config_from_dict({"name": "Rossi", "thresholds": {"confidence": 5}})
    assert (
        str(raised.value) == "client.yaml: key 'thresholds.confidence': expected a number in (0, 1); found 5"
    )
    phrase = raised.value.expected
    assert phrase == "a number in (0, 1)" and error_text(raised.value, "en") == str(raised.value)
    again = pickle.loads(pickle.dumps(phrase))
    assert again == phrase and again.translated("it") == "un numero in (0, 1)"
