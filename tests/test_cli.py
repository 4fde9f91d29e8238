"""The command line: exit codes, one-line errors, the engagement scaffold."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from shared_data import DATASETS, receipt_client

from cxlab import __version__
from cxlab.cli import main
from cxlab.config import load_config


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
