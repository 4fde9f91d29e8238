"""Catalogs and locale formats: the format_* functions per locale, a third language added by a catalog
alone (no code), and the Italian catalogs kept parseable, consistent and free of dead entries."""

from __future__ import annotations

import ast
import datetime as dt
import html
import re
import shutil
import string
from pathlib import Path

import nbformat
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po

from cxlab import i18n
from cxlab.config import config_from_dict
from cxlab.demo import generate_demo_client
from cxlab.errors import ConfigError
from cxlab.i18n import (
    format_date,
    format_duration_hours,
    format_money,
    format_number,
    format_percent,
    format_signed,
    gettext,
    pgettext,
)
from cxlab.report import open_client
from cxlab.report.export import export_notebook_html
from cxlab.report.sections import SECTIONS, cover

PACKAGE = Path(i18n.__file__).parent
ITALIAN = PACKAGE / "locale" / "it" / "LC_MESSAGES"
NNBSP, NBSP = (
    "\u202f",
    "\xa0",
)  # CLDR: French groups with a narrow no-break space, puts a no-break one before %

# A partial French catalog of report msgids, written by hand: the titles a reader sees first, table
# headers, card labels and sentences with figures. Everything else must fall back to English.
FRENCH_REPORT = {
    "Customer experience diagnosis": "Diagnostic de l'expérience client",
    "Contents": "Sommaire",
    "Data as of": "Données au",
    "Generated on": "Généré le",
    "Confidential": "Confidentiel",
    "Executive summary": "Synthèse",
    "What the data shows, how it changed since the last wave, and the actions to start first.": (
        "Ce que montrent les données, ce qui a changé depuis la dernière vague et les actions à lancer en "
        "premier."
    ),
    "Priority actions": "Actions prioritaires",
    "Customers": "Clients",
    "Cases analysed": "Dossiers analysés",
    "Handoffs per case": "Transferts par dossier",
    "Survey indicators": "Indicateurs des enquêtes",
    "Hot NPS": "NPS à chaud",
    "Cold NPS": "NPS à froid",
    "CXi-style index": "Indice de type CXi",
    "Hot (right after a contact) NPS is {hot}; cold (relationship survey) NPS is {cold}.": (
        "À chaud (juste après un contact) le NPS est de {hot} ; à froid (enquête relationnelle) il est de {cold}."
    ),
    "Barometer: change between waves": "Baromètre : évolution entre les vagues",
    "Survey practice": "Pratique des enquêtes",
    "What drives NPS": "Ce qui fait bouger le NPS",
    "Handoffs between departments": "Transferts entre services",
    "Where work crosses departments, how long it waits, and what it costs in satisfaction.": (
        "Là où le travail passe d'un service à l'autre, combien de temps il attend et ce qu'il coûte en "
        "satisfaction."
    ),
    "Across {cases} cases there are on average {per_case} handoffs between departments; "
    "{multi} of cases cross at least three departments. Each extra handoff costs on average {slope} "
    "NPS points (95% interval: {low} to {high}).": (
        "Sur {cases} dossiers, il y a en moyenne {per_case} transferts entre services ; {multi} des dossiers "
        "traversent au moins trois services. Chaque transfert supplémentaire coûte en moyenne {slope} points "
        "de NPS (intervalle à 95 % : de {low} à {high})."
    ),
    "The worst handoffs": "Les pires transferts",
    "Median wait": "Attente médiane",
    "Total wait": "Attente totale",
    "How cases flow": "Le parcours des dossiers",
    "The customer journey": "Le parcours client",
    "Customer value": "Valeur des clients",
    "Share of customers": "Part des clients",
    "Suggested service level": "Niveau de service suggéré",
    "What customers say": "Ce que disent les clients",
    "Theme": "Thème",
    "Mentions": "Mentions",
    "Customer culture by department": "Culture client par service",
    "Recommendations and action plan": "Recommandations et plan d'action",
    "Appendix: data quality": "Annexe : qualité des données",
    "Rows read": "Lignes lues",
    "Appendix: methodology": "Annexe : méthode",
}
FRENCH_CONTEXT = {("handoff table", "From"): "Du service", ("handoff table", "To"): "Au service"}
FRENCH_CORE = {"{days} days": "{days} jours", "{hours} h": "{hours} h"}
FRENCH_PLAYBOOK = {
    "Stop the ping-pong between {handoff.pingpong_pair}": "Arrêter le ping-pong entre {handoff.pingpong_pair}",
    "{handoff.pingpong_rate} of the cases that cross {handoff.pingpong_pair} bounce back and forth "
    "({handoff.pingpong_cases} cases).": (
        "{handoff.pingpong_rate} des dossiers qui passent entre {handoff.pingpong_pair} font des allers-retours "
        "({handoff.pingpong_cases} dossiers)."
    ),
}


def _write_catalog(path: Path, lang: str, messages: dict) -> None:
    catalog = Catalog(locale=lang, project="cxlab tests", charset="utf-8", fuzzy=False)
    for key, text in messages.items():
        context, msgid = key if isinstance(key, tuple) else (None, key)
        catalog.add(msgid, text, context=context)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)


@pytest.fixture
def french(tmp_path, monkeypatch):
    """cxlab's own catalogs plus a partial French one, in a temporary locale folder."""
    locale_dir = tmp_path / "locale"
    shutil.copytree(PACKAGE / "locale", locale_dir)
    messages = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    _write_catalog(messages / "report.po", "fr", {**FRENCH_REPORT, **FRENCH_CONTEXT})
    _write_catalog(messages / "story.po", "fr", FRENCH_REPORT)
    _write_catalog(messages / "core.po", "fr", FRENCH_CORE)
    _write_catalog(messages / "playbook.po", "fr", FRENCH_PLAYBOOK)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale_dir)
    i18n.clear_cache()
    yield locale_dir
    i18n.clear_cache()  # the monkeypatch is undone after this: forget the French catalogs too


# ------------------------------------------------------------------------------------------ format_*
@pytest.mark.parametrize(
    ("lang", "number", "decimals_2", "percent", "money", "date", "signed", "hours", "days"),
    [
        (
            "it",
            "1.234.567",
            "−1.234,57",
            "23,5%",
            "6.000" + NBSP + "€",
            "3 nov 2026",
            "−2,5",
            "5,2 h",
            "3,1 giorni",
        ),
        ("en", "1,234,567", "−1,234.57", "23.5%", "€6,000", "Nov 3, 2026", "−2.5", "5.2 h", "3.1 days"),
        (
            "fr",
            f"1{NNBSP}234{NNBSP}567",
            f"−1{NNBSP}234,57",
            f"23,5{NBSP}%",
            f"6{NNBSP}000{NBSP}€",
            "3 nov. 2026",
            "−2,5",
            "5,2 h",
            "3,1 days",  # no French catalog here: the unit word falls back to English, the figure does not
        ),
    ],
)
def test_format_functions_follow_the_locale(
    lang, number, decimals_2, percent, money, date, signed, hours, days
):
    assert format_number(1234567, lang) == number
    assert format_number(-1234.567, lang, 2) == decimals_2
    assert format_percent(0.235, lang, 1) == percent
    assert format_money(6000, lang, "EUR") == money
    assert format_date(dt.date(2026, 11, 3), lang) == date
    assert format_date(dt.datetime(2026, 11, 3, 23, 59), lang) == date
    assert format_signed(-2.5, lang) == signed
    assert format_duration_hours(5.2, lang) == hours
    assert format_duration_hours(74.4, lang) == days  # past 48 hours: days (74.4 / 24 = 3.1)


def test_format_functions_details():
    assert format_signed(3, "it", 0) == "+3" and format_signed(0, "en") == "±0.0"
    assert format_percent(0.2, "it") == "20%" and format_percent(0.2, "de") == f"20{NBSP}%"
    assert format_number(0.5, "en") == "0" and format_number(1.5, "en") == "2"  # CLDR rounds half to even
    assert (
        format_money(1234.5, "en", "USD", 2) == "$1,234.50"
        and format_money(99, "it", "CHF") == f"99{NBSP}CHF"
    )
    assert format_number(1234.5, "de_CH", 1) == "1'234.5"  # any Babel locale, not only a bare language
    assert format_number(1234, "xx") == "1,234"  # a code CLDR does not know: English figures, no crash


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_missing_figures_show_a_dash(missing):
    pd = pytest.importorskip("pandas")
    for value in (missing, pd.NA, pd.NaT):
        assert format_number(value, "it") == "–" and format_percent(value, "fr") == "–"
        assert format_money(value, "en") == "–" and format_signed(value, "it") == "–"
        assert format_date(value, "it") == "–" and format_duration_hours(value, "en") == "–"
    assert format_number(None, "it", missing="n/d") == "n/d"


# ------------------------------------------------------------------------------------------ languages
def test_available_languages_are_english_and_the_catalog_folders(french):
    assert i18n.available_languages() == ("en", "fr", "it")
    assert gettext("fr", "Contents") == "Sommaire" and gettext("fr", "Proposed") == "Proposed"
    assert pgettext("fr", "handoff table", "From") == "Du service"
    assert gettext("fr", "{days} days", days="3,1") == "3,1 jours"


def test_config_accepts_a_language_with_a_catalog_and_refuses_others(french):
    assert config_from_dict({"name": "Acme", "language": "fr"}).language == "fr"
    with pytest.raises(ConfigError) as refused:
        config_from_dict({"name": "Acme", "language": "xx"}, source="acme/client.yaml")
    message = str(refused.value)
    assert "acme/client.yaml" in message and "language" in message and "'xx'" in message
    assert "en, fr, it" in message


def _page(client: Path, lang: str) -> str:
    """The report page built from the sections without a kernel (cheap): cover + every section, exported."""
    ctx = open_client(client, lang=lang)
    outputs = [nbformat.v4.new_output("display_data", data=cover(ctx)._repr_mimebundle_())]
    for build in SECTIONS.values():
        section = build(ctx)
        if section is not None:
            outputs.append(nbformat.v4.new_output("display_data", data={"text/html": section.html()}))
    cell = nbformat.v4.new_code_cell("", metadata={"tags": ["report"]})
    cell.outputs = outputs
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [cell]
    return export_notebook_html(notebook)


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def _fixed_parts(template: str) -> list[str]:
    """The words of a message between its placeholders (what must show up verbatim in the report)."""
    parts = [literal for literal, *_ in string.Formatter().parse(template)]
    return [p.strip() for p in parts if len(p.strip()) >= 3]


def test_demo_report_in_a_third_language_added_by_a_catalog_only(french, tmp_path):
    client = generate_demo_client(tmp_path / "client", seed=7, customers=300, cases=1200)
    page = _page(client, "fr")
    text = _visible_text(page)
    assert '<html lang="fr">' in page
    with pytest.raises(ConfigError, match="en, fr, it"):
        open_client(client, lang="xx")
    italian = {m.id: m.string for m in _read(ITALIAN / "report.po") if m.id}
    all_french = " ".join(FRENCH_REPORT.values())
    for msgid, french_text in FRENCH_REPORT.items():
        for part in _fixed_parts(french_text):
            assert part in text, f"French of {msgid!r} missing: {part!r}"
        for part in _fixed_parts(italian.get(msgid, "")):
            if part not in all_french and part not in msgid:  # "Ping-pong", "Indice" are French too
                assert part not in text, f"Italian fallback for {msgid!r}: {part!r}"
    for msgid in FRENCH_REPORT:  # no English left where the catalog has French (labels: whole lines)
        if msgid not in FRENCH_REPORT.values() and "{" not in msgid:
            assert f"\n{msgid}\n" not in text, f"English fallback for {msgid!r}"
    assert "Du service" in text and "Au service" in text
    # the playbook's recommendations too, with their figures formatted in French
    assert re.search(r"Arrêter le ping-pong entre \S+ ↔ \S+", text)
    assert re.search(
        rf"\d+{NBSP}% des dossiers qui passent entre .+ font des allers-retours \(\d+ dossiers\)", text
    )
    assert "Stop the ping-pong" not in text and "Fermare il ping-pong" not in text
    # figures per the French locale by Babel: 1 200 cases with a narrow no-break space, days in French
    assert f"\n1{NNBSP}200\n" in text and "Dossiers analysés" in text
    assert re.search(r"\n\d+,\d jours\n", text)  # the median lead time card: "4,6 jours"
    assert re.search(rf"\b\d+{NBSP}% des dossiers traversent", text)
    assert re.search(r"Données au\n?\s*\d{1,2} [a-zé]+\.? 2026", text)
    # not in the partial catalog: English, never Italian
    assert "\nCold response rate" in text or "Survey practice" not in FRENCH_REPORT
    assert "Tasso di risposta" not in text and "Appendice" not in text


# ------------------------------------------------------------------------------------------ catalogs
def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def _po_files() -> list[Path]:
    return sorted((PACKAGE / "locale").glob("*/LC_MESSAGES/*.po"))


@pytest.mark.parametrize("po_file", _po_files(), ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_catalog_parses_and_keeps_the_placeholders(po_file):
    catalog = _read(po_file)
    assert catalog.locale is not None and str(catalog.locale) == po_file.parent.parent.name
    assert len(catalog) > 0
    for message in catalog:
        if not message.id or not message.string:
            continue
        names = {n for _, n, _, _ in string.Formatter().parse(str(message.id)) if n}
        if "{" in str(message.id) and "." in "".join(names):  # playbook placeholders: {handoff.worst_pair}
            names = set(re.findall(r"\{([\w.]+)\}", str(message.id)))
            found = set(re.findall(r"\{([\w.]+)\}", str(message.string)))
        else:
            found = {n for _, n, _, _ in string.Formatter().parse(str(message.string)) if n}
        assert found == names, f"{po_file.name}: {message.id!r} -> {message.string!r}"


def _source_strings() -> set[str]:
    """Every string constant of the cxlab package (adjacent literals already joined by the parser)."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


#: the gettext calls of cxlab as pybabel reads them (see the cxlab.i18n docstring)
KEYWORDS = {
    "gettext": (2,),
    "ngettext": (2, 3),
    "pgettext": ((2, "c"), 3),
    "N_": None,
    "NP_": ((1, "c"), 2),
    "_t": (2,),
    "_p": ((2, "c"), 3),
    "_fmt_text": (2,),
    "T": None,
    "TP": (1, 2),
    "Message": None,
}
#: the catalogs of the report, playbook, widgets and units, and the code that holds their msgids
OWN_CATALOGS = {
    "core.po": ["i18n.py"],
    "report.po": ["report/sections.py"],
    "handoffs.po": ["report/handoffs_text.py"],
    "story.po": ["report/story.py"],
    "playbook.po": ["recommend/playbook.py"],
    # what client.yaml's checks expect and found: widgets show these when a save fails
    "settings.po": ["config.py", "constraints.py", "colours.py", "safety.py"],
    "widgets.po": [
        "widgets/_base.py",
        "widgets/recommendation_review.py",
        "widgets/culture_form.py",
        "widgets/comment_labeller.py",
    ],
}


def _extracted(files: list[str]) -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for name in files:
        with (PACKAGE / name).open("rb") as handle:
            for _line, message, _comments, context in extract("python", handle, keywords=KEYWORDS):
                # a plural entry (ngettext, TP) is the pair (msgid, msgid_plural), as the catalog reads it
                found.add((context, message if isinstance(message, str) else str(tuple(message))))
    return found


@pytest.mark.parametrize("po_name", sorted(OWN_CATALOGS))
def test_catalog_matches_the_gettext_calls_of_its_code(po_name):
    """No dead entry (a msgid no call asks for) and no untranslated call, context included."""
    in_code = _extracted(OWN_CATALOGS[po_name])
    in_catalog = {(m.context, str(m.id)) for m in _read(ITALIAN / po_name) if m.id}
    assert in_catalog - in_code == set(), "dead entries"
    assert in_code - in_catalog == set(), "calls without an Italian translation"


def test_every_message_phrase_has_an_italian_translation():
    """Every ``Message(...)`` of cxlab (the phrases of errors raised before the language is known: settings,
    constraints, intake, widgets) has an Italian entry in one of the catalogs, so a widget can say it."""
    italian = {str(m.id) for po_file in ITALIAN.glob("*.po") for m in _read(po_file) if m.id and m.string}
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        with path.open("rb") as handle:
            for line, message, _comments, _context in extract("python", handle, keywords={"Message": None}):
                if message not in italian:
                    missing.append(f"{path.relative_to(PACKAGE)}:{line}: {message!r}")
    assert not missing, "Message phrases without an Italian translation:\n" + "\n".join(missing)


def _notebook_blocks() -> set[str]:
    """The markdown blocks of the step-notebook templates: the msgids of notebooks.po."""
    from cxlab.jupyter.notebooks import catalog_blocks
    from cxlab.resources import notebook_templates

    return set(catalog_blocks(sorted(Path(str(notebook_templates())).glob("*.ipynb"))))


def test_every_italian_msgid_is_used_in_the_code():
    """Every catalog, the other areas' too: each msgid is a string somewhere in cxlab (notebooks.po: a
    markdown block of a notebook template)."""
    used = _source_strings() | _notebook_blocks()
    dead = [
        f"{po_file.name}: {message.id!r}"
        for po_file in sorted(ITALIAN.glob("*.po"))
        for message in _read(po_file)
        # a plural entry (msgid, msgid_plural): both strings in the code
        if message.id
        and not all(part in used for part in ((message.id,) if isinstance(message.id, str) else message.id))
    ]
    assert not dead, "catalog entries no code uses:\n" + "\n".join(dead)
