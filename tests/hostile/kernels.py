"""Helpers of the hostile suite: the kernels a test started, found in the process table."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import nbformat
import psutil

MARK = "CXLAB_HOSTILE_RUN"


def mark_environment(monkeypatch) -> str:
    """Tag this test's processes: every kernel and worker it starts inherits the variable."""
    tag = uuid.uuid4().hex
    monkeypatch.setenv(MARK, tag)
    return tag


def kernels_alive(tag: str) -> list[int]:
    """The ipykernel processes still running that carry ``tag`` (started by this test, orphaned or not)."""
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        try:
            if not any("ipykernel" in part for part in (proc.info["cmdline"] or [])):
                continue
            if proc.status() == psutil.STATUS_ZOMBIE:
                continue
            if proc.environ().get(MARK) == tag:
                found.append(proc.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def wait_no_kernels(tag: str, seconds: float = 5.0) -> list[int]:
    """The tagged kernels left after waiting up to ``seconds`` for them to go."""
    end = time.monotonic() + seconds
    while True:
        left = kernels_alive(tag)
        if not left or time.monotonic() > end:
            return left
        time.sleep(0.2)


#: a client folder holding this file runs for a minute in the short template (a client to kill mid-run)
SLOW_MARK = "SLOW_TEST_CLIENT"
#: the cells of the short report template: read and check the client (the data-file errors), the cover, the
#: executive summary (the index's key figures) and the recommendations (reads recommendations.yaml)
SHORT_REPORT_CELLS = (
    "from cxlab import report\nctx = report.open_client(client_dir, lang=lang, static_charts=static_charts)",
    f"import os, time\nif os.path.exists(os.path.join(client_dir, {SLOW_MARK!r})):\n    time.sleep(60)",
    "report.cover(ctx)",
    "report.executive_summary(ctx)",
    "report.recommendations_section(ctx)",
)


def notebook(
    path: Path,
    *sources: str,
    parameters: str = "client_dir = ''\nlang = 'en'\nstatic_charts = False\noutput_dir = ''",
) -> Path:
    """A Python notebook at ``path``: a cell tagged ``parameters`` (the report template's names), then one code
    cell per source."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(source) for source in sources)]
    nbformat.write(nb, str(path))
    return path


def short_report_template(path: Path) -> Path:
    """A short client report template (the real one's parameters, four of its cells) at ``path``: for the
    batch tests, whose behaviour (failures, kills, resuming) does not depend on the report's sections."""
    return notebook(
        path,
        *SHORT_REPORT_CELLS,
        parameters='client_dir = "."\nlang = ""\nstatic_charts = False\noutput_dir = ""',
    )


def pid_alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


__all__ = [
    "MARK",
    "SLOW_MARK",
    "kernels_alive",
    "mark_environment",
    "os",
    "pid_alive",
    "short_report_template",
    "wait_no_kernels",
]
