"""Issue 22, "all text in the widget's language": what a widget shows when an action fails reads in the
widget's language, the settings' and constraints' phrases included (they were English inside an Italian
frame); English keeps the one message form of cxlab.errors. Each test failed before the fix."""

from __future__ import annotations

import pytest

from cxlab.config import config_from_dict
from cxlab.errors import ConfigError
from cxlab.i18n import Message
from cxlab.widgets._base import error_text

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
