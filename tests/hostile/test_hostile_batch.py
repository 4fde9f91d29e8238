"""A batch that survives anything: 12 clients, one bad client.yaml, one bad data file, one failing cell and
one worker killed with SIGKILL mid-run. 8 reports succeed, the 4 others are named as failed, no kernel is
left behind; after the files are fixed a re-run finishes the 4 without redoing the 8."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import psutil
import pytest
from kernels import MARK, SLOW_MARK, mark_environment, short_report_template, wait_no_kernels

from cxlab.demo import generate_demo_client
from cxlab.report.batch import FAILED, OK, SKIPPED, run_batch

pytestmark = pytest.mark.slow

CUSTOMERS, CASES = 50, 80


def tree_digest(folder: Path) -> dict[str, str]:
    """Every regular file under ``folder`` and its hash (a FIFO is not opened)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def kill_worker_running(out_dir: Path, tag: str, killed: list[int], stop: threading.Event) -> None:
    """SIGKILL the batch worker whose kernel works in ``out_dir`` (a kernel's cwd is its client's output
    folder), as soon as there is one."""
    while not stop.is_set():
        for proc in psutil.process_iter(["cmdline"]):
            try:
                if not any("ipykernel" in part for part in proc.info["cmdline"] or []):
                    continue
                if proc.environ().get(MARK) != tag or Path(proc.cwd()) != out_dir:
                    continue
                worker = proc.parent()
                if worker is None:
                    continue
                time.sleep(0.2)  # mid-run: the kernel is in the client's folder, its notebook started
                os.kill(worker.pid, signal.SIGKILL)
                killed.append(worker.pid)
                return
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        time.sleep(0.05)


def test_twelve_clients_with_four_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tag = mark_environment(monkeypatch)
    root, out = tmp_path / "clients", tmp_path / "out"
    good = [f"client{i:02d}" for i in range(1, 9)]
    names = [*good, "bad_yaml", "bad_file", "bad_cell", "victim"]
    for seed, name in enumerate(names, start=1):
        generate_demo_client(
            root / name, seed=seed, language="en" if seed % 2 else "it", customers=CUSTOMERS, cases=CASES
        )
    # the batch's behaviour (failures, a killed worker, resuming) does not depend on the report's sections:
    # a short template (the real parameters, the client read and checked, cover, summary, recommendations)
    template = short_report_template(tmp_path / "short_report.ipynb")
    # the victim's run lasts a minute (the short template sleeps for a client holding SLOW_MARK): its worker
    # is killed mid-run whatever the machine's load
    (root / "victim" / SLOW_MARK).touch()
    # a Latin-1 client.yaml (the traceback that used to stop the batch before any client ran)
    yaml_path = root / "bad_yaml" / "client.yaml"
    original_yaml = yaml_path.read_bytes()
    yaml_path.write_bytes(original_yaml.replace(b'name: "', 'name: "Caffè '.encode("latin-1"), 1))
    # a data file that is a FIFO: reading it would block for ever; hashing it too
    data = root / "bad_file" / "data" / "clienti.csv"
    saved = tmp_path / "clienti.csv"
    shutil.move(data, saved)
    os.mkfifo(data)
    # recommendations.yaml that is not YAML: the recommendations cell fails
    (root / "bad_cell" / "recommendations.yaml").write_text("recommendations: [unclosed\n", encoding="utf-8")

    inputs = tree_digest(root)
    killed: list[int] = []
    stop = threading.Event()
    killer = threading.Thread(
        target=kill_worker_running, args=(out / "victim", tag, killed, stop), daemon=True
    )
    killer.start()
    started = time.monotonic()
    try:
        result = run_batch(root, out, jobs=2, progress=False, template=template)
    finally:
        stop.set()
    first_run = time.monotonic() - started
    outcomes = {c.name: c for c in result.clients}

    assert killed, "the victim's worker was never seen"
    assert sorted(c.name for c in result.ok) == good
    assert sorted(c.name for c in result.failed) == ["bad_cell", "bad_file", "bad_yaml", "victim"]
    assert result.exit_code == 1
    assert "expected UTF-8 text" in outcomes["bad_yaml"].error
    assert "clienti.csv" in outcomes["bad_file"].error and "named pipe (FIFO)" in outcomes["bad_file"].error
    assert "recommendations.yaml" in outcomes["bad_cell"].error and "cell" in outcomes["bad_cell"].error
    assert "the worker running this client stopped: killed by SIGKILL" in outcomes["victim"].error
    for name in good:
        assert (out / name / "report.html").is_file()
    for name in ("bad_yaml", "bad_file", "bad_cell", "victim"):
        assert not (out / name / "report.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "killed by SIGKILL" in index
    assert wait_no_kernels(tag) == []
    assert tree_digest(root) == inputs  # the client folders are read, never written
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "clienti.csv",
        "clients",
        "out",
        "short_report.ipynb",
    ]

    # fix the files; the re-run does the 4 and skips the 8
    yaml_path.write_bytes(original_yaml)
    data.unlink()
    shutil.move(saved, data)
    (root / "bad_cell" / "recommendations.yaml").unlink()
    (root / "victim" / SLOW_MARK).unlink()
    reports = {name: (out / name / "report.html").stat().st_mtime_ns for name in good}
    again = run_batch(root, out, jobs=2, progress=False, template=template)
    statuses = {c.name: c.status for c in again.clients}
    assert statuses == {**dict.fromkeys(good, SKIPPED), **dict.fromkeys(names[8:], OK)}, statuses
    assert again.exit_code == 0
    assert {name: (out / name / "report.html").stat().st_mtime_ns for name in good} == reports
    assert wait_no_kernels(tag) == []
    print(f"first run {first_run:.1f} s, re-run {again.seconds:.1f} s")
    assert FAILED not in statuses.values()
