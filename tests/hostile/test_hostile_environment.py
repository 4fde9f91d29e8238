"""Faults of the environment: a full disk, an unwritable output folder, a corrupt cached Vega bundle,
Ctrl-C in a batch, symbolic links to client folders. Each gives one line (no traceback), leaves no
temporary file, or is repaired."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from kernels import mark_environment, short_report_template, wait_no_kernels

import cxlab.intake.write as write_module
from cxlab.cli import main
from cxlab.demo import generate_demo_client
from cxlab.errors import CxlabError
from cxlab.report import charts
from cxlab.report.batch import OK, SKIPPED, find_clients, run_batch


def no_tmp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def test_a_full_disk_is_one_line_and_leaves_no_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(write_module.os, "fsync", full)
    result = CliRunner().invoke(main, ["new", str(tmp_path / "acme")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "no space left on device" in lines[0]
    assert no_tmp_files(tmp_path) == []
    assert not (tmp_path / "acme" / "client.yaml").exists()


def test_an_unwritable_output_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "clients").mkdir()
    generate_demo_client(tmp_path / "clients" / "a", seed=1, customers=50, cases=60)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["batch", str(tmp_path / "clients"), "--out", str(blocker / "out"), "-q"]
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "expected a writable output folder" in lines[0], result.output
    assert no_tmp_files(tmp_path) == []


def test_a_corrupt_cached_vega_bundle_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    charts.vega_bundle.cache_clear()
    try:
        good = charts.vega_bundle()
        cached = next((tmp_path / "cxlab").glob("vega-bundle-*.js"))
        assert cached.read_text(encoding="utf-8") == good and "vegaEmbed" in good
        for corrupt in ("", good[: len(good) // 2], good.replace("vegaEmbed", "vegaEmbez")):
            cached.write_text(corrupt, encoding="utf-8")
            charts.vega_bundle.cache_clear()
            assert charts.vega_bundle() == good
            assert cached.read_text(encoding="utf-8") == good  # repaired on disk too
    finally:
        charts.vega_bundle.cache_clear()


def test_symlinked_client_folders_are_found_once(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere" / "acme"
    real.mkdir(parents=True)
    (real / "client.yaml").write_text("name: Acme\n", encoding="utf-8")
    root = tmp_path / "clients"
    (root / "north").mkdir(parents=True)
    (root / "north" / "acme").symlink_to(real, target_is_directory=True)
    (root / "again").symlink_to(real, target_is_directory=True)  # the same client twice
    (root / "loop").symlink_to(root, target_is_directory=True)  # a loop
    found = find_clients(root)
    # walked in name order: "again" is the first link to the client; "north/acme" is the same folder
    # and "loop" leads back to ROOT: neither is walked again
    assert [p.relative_to(root).as_posix() for p in found] == ["again"]


@pytest.mark.slow
def test_ctrl_c_in_a_batch_writes_the_index_and_a_rerun_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tag = mark_environment(monkeypatch)
    root, out = tmp_path / "clients", tmp_path / "out"
    for seed in range(1, 3):
        generate_demo_client(root / f"c{seed}", seed=seed, language="en", customers=50, cases=80)

    template = short_report_template(tmp_path / "short_report.ipynb")  # what is tested is the batch's

    def interrupt(outcome) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(root, out, jobs=2, progress=False, on_result=interrupt, template=template)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "the batch was interrupted" in index
    summary = (out / "batch.json").read_text(encoding="utf-8")
    assert summary.count('"status": "ok"') == 1 and summary.count('"status": "failed"') == 1
    assert wait_no_kernels(tag) == []
    finished = [c["name"] for c in json.loads(summary)["clients"] if c["status"] == OK]
    again = run_batch(root, out, jobs=2, progress=False, template=template)
    statuses = {c.name: c.status for c in again.clients}
    # what finished is not redone; the rest is run now (a client whose worker completed it just as the
    # batch stopped has its report and stamp: it is skipped too)
    assert all(statuses[name] == SKIPPED for name in finished)
    assert set(statuses.values()) <= {OK, SKIPPED} and len(statuses) == 2
    assert again.exit_code == 0
    assert wait_no_kernels(tag) == []


def test_an_error_line_names_the_file(tmp_path: Path) -> None:
    from cxlab.cli import os_error_line

    assert os_error_line(OSError(errno.ENOSPC, "No space left on device", "out/report.html")) == (
        "out/report.html: no space left on device"
    )
    assert isinstance(CxlabError("x"), Exception)
    assert os.path.exists(tmp_path)


@pytest.mark.slow
def test_markup_in_a_failing_client_does_not_crash_the_progress_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tag = mark_environment(monkeypatch)
    root = tmp_path / "clients"
    folder = root / "rossi [/] [bold]"
    folder.mkdir(parents=True)
    (folder / "client.yaml").write_text(
        'name: "[/] Rossi [red]"\nanalysis_date: 2026-02-30\n', encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["batch", str(root), "--out", str(tmp_path / "out")])  # progress on
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "rossi [/] [bold]" in result.output and "expected a real date" in result.output
    assert wait_no_kernels(tag) == []


def _no_network_namespace() -> bool:
    """Whether this machine lets an ordinary user open a network namespace (its loopback is down)."""
    try:
        return subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.mark.skipif(not _no_network_namespace(), reason="needs `unshare -rn` (user and network namespaces)")
def test_no_loopback_is_one_line_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the loopback interface down the kernel never answers: the run used to wait 4 minutes."""
    tag = mark_environment(monkeypatch)
    client = generate_demo_client(tmp_path / "client", seed=1, customers=50, cases=60)
    out = tmp_path / "out"
    started = time.monotonic()
    done = subprocess.run(
        ["unshare", "-rn", sys.executable, "-m", "cxlab.cli", "report", str(client), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    lines = (done.stdout + done.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ") and "loopback network interface (127.0.0.1)" in lines[0]
    assert "Network is unreachable" in lines[0]
    assert time.monotonic() - started < 30
    assert not (out / "report.html").exists() and no_tmp_files(tmp_path) == []
    assert wait_no_kernels(tag) == []
