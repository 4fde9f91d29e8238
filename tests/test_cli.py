"""The command line: exit codes, one-line errors, the engagement scaffold."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from click.testing import CliRunner
from shared_data import DATASETS, receipt_client

from cxlab import __version__, cli
from cxlab.cli import main
from cxlab.config import load_config
from cxlab.i18n import _catalog
from cxlab.questionnaire import PILLARS, QUESTIONS, pillar_name
from cxlab.recommend.rules import LEVERS, OWNERS


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    """These tests read English output whatever the machine's locale (the command line follows it)."""
    monkeypatch.setenv("LANGUAGE", "en")


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.skipif(not (DATASETS / "receipt.csv").exists(), reason="shared datasets not available")
def test_validate_receipt_log_reports_cases_and_events(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(receipt_client(tmp_path / "receipt"))])
    assert result.exit_code == 0, result.output
    assert "1,434 cases, 8,577 events" in result.output
    assert "usable" in result.output


def test_validate_missing_client_is_one_line_exit_1(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nobody")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "client.yaml" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_validate_broken_data_exit_1_names_file_and_column(tmp_path):
    (tmp_path / "client.yaml").write_text("name: X\ntables:\n  events:\n    file: e.csv\n", encoding="utf-8")
    (tmp_path / "e.csv").write_text("case_id,activity\nk1,Open\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "e.csv: column 'timestamp'" in result.output


def test_new_engagement_scaffold_is_valid(tmp_path):
    target = tmp_path / "acme"
    result = CliRunner().invoke(main, ["new", str(target), "--language", "en"])
    assert result.exit_code == 0, result.output
    cfg = load_config(target)
    assert cfg.name == "acme" and cfg.language == "en"
    assert (target / "data" / "README.md").exists()
    assert (target / "recommendations.yaml").exists()
    again = CliRunner().invoke(main, ["new", str(target)])
    assert again.exit_code == 1 and "already has files" in again.output


def test_the_command_line_speaks_the_users_language(tmp_path):
    italian = CliRunner(env={"LANGUAGE": "it", "LC_ALL": "", "LANG": ""}).invoke(
        main, ["validate", str(tmp_path / "nobody")]
    )
    assert italian.exit_code == 1 and italian.output.startswith("errore: ")
    english = CliRunner(env={"LANGUAGE": "", "LC_ALL": "C.UTF-8", "LANG": "it_IT.UTF-8"}).invoke(
        main, ["validate", str(tmp_path / "nobody")]
    )
    assert english.output.startswith("error: ")  # LC_ALL comes before LANG, as in gettext


def test_every_command_line_message_has_an_italian_translation():
    catalog = _catalog("it")
    for _line, message, _comments, context in extract_from_file(
        "python", str(Path(cli.__file__)), keywords={"_": None, "_help": None}
    ):
        assert (context, message) in catalog, message


def test_questionnaire_and_recommendation_labels_in_italian():
    for q in QUESTIONS:
        assert q.text("it") != q.text("en"), q.id
        if q.cross:
            assert q.text_about_other("it") not in (q.text("it"), q.text_about_other("en")), q.id
    assert pillar_name("roles", "it") == "Ruoli e responsabilità chiari"
    assert PILLARS["roles"]["en"] == "Clear roles and responsibilities"
    assert pillar_name("unknown_pillar", "it") == "unknown_pillar"
    assert LEVERS["hot_cold"]["it"] == "Misurare a caldo e a freddo" and OWNERS["HR"]["it"] == "Risorse umane"
