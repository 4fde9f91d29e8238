"""Run the report: validate the client, execute the templates with papermill, export the HTML.

One report = the ``client_report.ipynb`` template executed with the client's parameters (the executed
notebook is kept next to the report for audit) and exported by :func:`~cxlab.report.export.export_notebook_html`.
With ``worked_examples=True`` the diagnosis-step notebooks run too (same kernel), into ``OUT/notebooks``.

Execution happens in this Python process (papermill's API, not its command line) and may reuse a warm
kernel (``kernel=`` a :class:`WarmKernel`): the namespace is reset before each client, so nothing leaks
from one client to the next.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from ..errors import CxlabError, ReportError
from ..io import load_client
from ..resources import notebook_templates
from .export import export_notebook_html
from .html import SECTION_METADATA

REPORT_TEMPLATE = "client_report.ipynb"
#: the diagnosis steps, in order (each a worked example for trainees)
STEP_TEMPLATES: tuple[str, ...] = (
    "01_data_intake.ipynb",
    "02_indicators.ipynb",
    "03_handoffs_journey.ipynb",
    "04_segments.ipynb",
    "05_comments.ipynb",
    "06_culture.ipynb",
    "07_recommendations.ipynb",
)
DEFAULT_CELL_TIMEOUT = 600  # seconds per cell
KERNEL_NAME = "python3"
RESET_CODE = "get_ipython().run_line_magic('reset', '-f')"


@dataclass
class ReportResult:
    """What one report run produced."""

    client_dir: Path
    out_dir: Path
    html: Path | None
    notebooks: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    key_figures: list[dict[str, str]] = field(default_factory=list)
    client_name: str = ""
    lang: str = ""
    error: str | None = None
    #: recommendations in the report that the consultant has not reviewed yet
    unreviewed: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None and self.html is not None

    @property
    def size_bytes(self) -> int:
        return self.html.stat().st_size if self.html and self.html.exists() else 0


class WarmKernel:
    """A kernel kept alive across report runs (batch workers), recycled every ``recycle_after`` runs."""

    def __init__(self, recycle_after: int = 10, kernel_name: str = KERNEL_NAME) -> None:
        self.recycle_after = recycle_after
        self.kernel_name = kernel_name
        self.km = None
        self.runs = 0

    def manager(self, cwd: Path | None = None):
        """The kernel manager to hand to papermill, started in ``cwd``, with a freshly reset namespace
        (a warm kernel moves to ``cwd`` itself: papermill's ``cwd`` only applies to a kernel it starts)."""
        from jupyter_client.manager import KernelManager

        if self.km is not None and (self.runs >= self.recycle_after or not self.km.is_alive()):
            self.shutdown()
        if self.km is None:
            self.km = KernelManager(kernel_name=self.kernel_name)
            self.km.start_kernel(cwd=str(cwd) if cwd else None)
            self.runs = 0
        else:
            self._reset(cwd)
        self.runs += 1
        return self.km

    def _reset(self, cwd: Path | None = None) -> None:
        code = RESET_CODE
        if cwd is not None:
            code += f"\nimport os as _os\n_os.chdir({str(cwd)!r})\ndel _os"
        client = self.km.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            reply = client.execute_interactive(code, timeout=60, store_history=False)
            if reply["content"].get("status") != "ok":
                raise ReportError("a kernel namespace reset", found=str(reply["content"].get("evalue")))
        finally:
            client.stop_channels()

    def shutdown(self) -> None:
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)
            finally:
                self.km = None

    def __enter__(self) -> WarmKernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def template_path(name: str) -> Path:
    path = Path(str(notebook_templates() / name))
    if not path.is_file():
        raise ReportError(f"the notebook template {name}", file=str(path), found="no such file")
    return path


def _cell_summary(source: str) -> str:
    lines = [
        line.strip() for line in source.splitlines() if line.strip() and not line.strip().startswith("#")
    ]
    first = lines[0] if lines else ""
    return first if len(first) <= 80 else first[:77] + "..."


def execute_template(
    template: str | Path,
    output: Path,
    parameters: dict[str, Any],
    kernel: WarmKernel | None = None,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
    cwd: Path | None = None,
) -> nbformat.NotebookNode:
    """Execute one template with papermill into ``output``; on failure the executed notebook is still
    written and a :class:`ReportError` names the cell and the cause."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    template = Path(template)
    extra: dict[str, Any] = {}
    if kernel is not None:
        extra["km"] = kernel.manager(cwd)
    try:
        return pm.execute_notebook(
            str(template),
            str(output),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            execution_timeout=cell_timeout,
            cwd=str(cwd) if cwd else None,
            **extra,
        )
    except PapermillExecutionError as exc:
        where = _failed_cell(nbformat.read(str(output), as_version=4)) or f"cell {exc.cell_index + 1}"
        raise ReportError(
            f"{template.name} to run without errors",
            file=str(output),
            found=f"{exc.ename}: {exc.evalue} in {where}",
        ) from None


_PAPERMILL_TAGS = {"injected-parameters", "papermill-error-cell-tag"}


def _failed_cell(nb: nbformat.NotebookNode) -> str | None:
    """'cell 7 (report.segments_section(ctx))': the failing cell, numbered as in the template."""
    position = 0
    for cell in nb.cells:
        if _PAPERMILL_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue  # cells papermill added to the executed copy
        position += 1
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return f"cell {position} ({_cell_summary(cell.source)})"
    return None


def _sections(nb: nbformat.NotebookNode):
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            section = (output.get("metadata") or {}).get(SECTION_METADATA)
            if section:
                yield section


def key_figures(nb: nbformat.NotebookNode) -> list[dict[str, str]]:
    """The executive summary's key figures (label, value), for the batch index."""
    for section in _sections(nb):
        if section.get("figures"):
            return [dict(f) for f in section["figures"]]
    return []


def section_count(nb: nbformat.NotebookNode, name: str) -> int:
    """A count a section reported (e.g. ``unreviewed`` recommendations); 0 when none did."""
    return sum(int((section.get("counts") or {}).get(name, 0)) for section in _sections(nb))


def build_report(
    client_dir: str | Path,
    out: str | Path,
    lang: str = "",
    static_charts: bool = False,
    worked_examples: bool = False,
    kernel: WarmKernel | None = None,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
) -> ReportResult:
    """Validate ``client_dir``, execute the report template into ``out`` and write ``out/report.html``.

    Raises a :class:`~cxlab.errors.CxlabError` (bad input) or :class:`ReportError` (a cell failed: the
    executed notebook is in ``out`` and the message names the cell); a failed run never writes a report.
    """
    started = time.perf_counter()
    client_dir = Path(client_dir).resolve()
    out = Path(out).resolve()
    client = load_client(client_dir)  # validation first: a bad folder fails before any kernel starts
    lang = lang or client.language
    out.mkdir(parents=True, exist_ok=True)
    stale = out / "report.html"
    if stale.exists():
        stale.unlink()  # never leave an old report next to a failed run
    params = {
        "client_dir": str(client_dir),
        "lang": lang,
        "static_charts": static_charts,
        "output_dir": str(out),
    }
    own_kernel = kernel is None and worked_examples
    if own_kernel:
        kernel = WarmKernel()
    notebooks: list[Path] = []
    try:
        executed = out / REPORT_TEMPLATE
        nb = execute_template(template_path(REPORT_TEMPLATE), executed, params, kernel, cell_timeout, out)
        notebooks.append(executed)
        html = export_notebook_html(nb, static_charts=static_charts)
        target = out / "report.html"
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(target)
        if worked_examples:
            (out / "notebooks").mkdir(exist_ok=True)
            step_params = {"client_dir": str(client_dir), "lang": lang}
            for name in STEP_TEMPLATES:
                path = out / "notebooks" / name
                execute_template(template_path(name), path, step_params, kernel, cell_timeout, out)
                notebooks.append(path)
    finally:
        if own_kernel and kernel is not None:
            kernel.shutdown()
    return ReportResult(
        client_dir=client_dir,
        out_dir=out,
        html=target,
        notebooks=notebooks,
        seconds=time.perf_counter() - started,
        key_figures=key_figures(nb),
        client_name=client.name,
        lang=lang,
        unreviewed=section_count(nb, "unreviewed"),
    )


def run_steps(names: Sequence[str] | None = None) -> tuple[str, ...]:
    """The step templates to run (all by default), checked against :data:`STEP_TEMPLATES`."""
    if names is None:
        return STEP_TEMPLATES
    unknown = [n for n in names if n not in STEP_TEMPLATES]
    if unknown:
        raise CxlabError(f"one of {', '.join(STEP_TEMPLATES)}", file="report steps", found=", ".join(unknown))
    return tuple(names)


def result_to_json(result: ReportResult) -> str:
    return json.dumps(
        {
            "client_dir": str(result.client_dir),
            "html": str(result.html) if result.html else None,
            "seconds": round(result.seconds, 2),
            "key_figures": result.key_figures,
            "client_name": result.client_name,
            "lang": result.lang,
            "error": result.error,
        },
        ensure_ascii=False,
    )
