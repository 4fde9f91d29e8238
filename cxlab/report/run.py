"""Run the report: validate the client, execute the templates with papermill, export the HTML.

One report = the ``client_report.ipynb`` template executed with the client's parameters (the executed
notebook is kept next to the report for audit) and exported by :func:`~cxlab.report.export.export_notebook_html`.
With ``worked_examples=True`` the diagnosis-step notebooks run too (same kernel), into ``OUT/notebooks``,
each also exported as a web page whose charts draw offline (``OUT/notebooks/NAME.html``).

Execution happens in this Python process (papermill's API, not its command line) and may reuse a warm
kernel (``kernel=`` a :class:`WarmKernel`): the namespace is reset before each client, so nothing leaks
from one client to the next.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from ..config import load_config
from ..errors import ReportError
from ..i18n import check_language
from ..intake import load_client
from ..intake.write import write_bytes, write_text
from ..jupyter.charts import export_notebook_page
from ..jupyter.notebooks import localized_notebook_text
from ..resources import notebook_templates
from .export import export_notebook_html
from .html import SECTION_METADATA
from .kernel import KERNEL_NAME, WarmKernel

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
#: the tables (and "table.column"s) a step notebook cannot run without: a client that lacks one skips that
#: worked example (columns are checked when the data is loaded here, see ``check_data``)
STEP_TABLES: dict[str, tuple[str, ...]] = {
    "02_indicators.ipynb": ("survey_responses", "survey_invitations"),
    "03_handoffs_journey.ipynb": ("events",),
    "04_segments.ipynb": ("transactions",),
    "05_comments.ipynb": ("survey_responses", "survey_responses.comment"),
    "06_culture.ipynb": ("culture",),
}


def _lacking(needs: tuple[str, ...], tables: Any, client: Any) -> list[str]:
    """What of ``needs`` the client does not have: tables not in client.yaml, columns not in the loaded
    table (a column is taken as present when the data was not loaded)."""
    out = []
    for need in needs:
        table, _, column = need.partition(".")
        if table not in tables:
            out.append(f"{table} table")
        elif column and client is not None and column not in client.tables[table].columns:
            out.append(f"{column} column in {table}")
    return list(dict.fromkeys(out))


SKIPPED_STEPS_FILE = "skipped.txt"
DEFAULT_CELL_TIMEOUT = 600  # seconds per cell
#: seconds one client's whole report may take (every notebook together); 0 = no limit
DEFAULT_CLIENT_TIMEOUT = 3600
RESET_CODE = "get_ipython().run_line_magic('reset', '-f')"
# what every report imports: loaded while the caller validates the client folder
PREWARM_CODE = (
    "import cxlab.report, cxlab.indicators, cxlab.handoffs, cxlab.segments, cxlab.text, cxlab.findings"
)


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
    #: generated recommendations awaiting the consultant's review (shown or not, per recommendations.yaml)
    pending: int = 0
    #: report.pdf / report.pptx when asked for (``pdf=True`` / ``pptx=True``)
    pdf: Path | None = None
    pptx: Path | None = None
    #: seconds spent writing the PDF and the PowerPoint deck
    pdf_seconds: float = 0.0
    pptx_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and self.html is not None

    @property
    def size_bytes(self) -> int:
        return self.html.stat().st_size if self.html and self.html.exists() else 0


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
    deadline: float | None = None,
    on_cell_executed: Callable[..., Any] | None = None,
) -> nbformat.NotebookNode:
    """Execute one template with papermill into ``output``; on failure the executed notebook is still
    written and a :class:`ReportError` names the cell and the cause. ``on_cell_executed`` is nbclient's
    hook, called with each executed cell (its outputs complete).

    Each cell may run ``cell_timeout`` seconds, and none past ``deadline`` (a ``time.monotonic()`` value:
    the client's time limit). A cell that runs out of time, or a kernel that dies (killed, out of memory),
    fails the run with the cause named; the kernel is then killed (a warm one is replaced on next use)."""
    import papermill as pm  # heavy (pulls in nbclient, ipykernel clients): imported when a template runs
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    template = Path(template)
    extra: dict[str, Any] = {}
    if kernel is not None:
        extra["km"] = kernel.manager(cwd)
    if on_cell_executed is not None:
        extra["on_cell_executed"] = on_cell_executed
    limit = _CellLimit(cell_timeout, deadline)
    try:
        return pm.execute_notebook(
            str(template),
            str(output),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            # papermill rewrites the whole executed notebook after every cell by default; the report's
            # cells carry the charts, so that is a large write per cell. It still writes the notebook
            # once at the end, and before raising when a cell fails (kept for audit).
            request_save_on_cell_execute=False,
            execution_timeout=cell_timeout,
            timeout_func=limit,
            cwd=str(cwd) if cwd else None,
            **extra,
        )
    except (CellTimeoutError, DeadKernelError) as exc:
        # the kernel is busy past the limit, or gone: kill it, so no kernel outlives its run
        if kernel is not None:
            kernel.kill()
        where = limit.where(template)
        if isinstance(exc, DeadKernelError):
            cause = "the kernel died (killed, or out of memory)"
        elif limit.by_deadline:
            cause = "the client's time limit ran out"
        else:
            cause = f"ran longer than the {cell_timeout} s cell timeout"
        raise ReportError(
            f"{template.name} to run without errors", file=str(output), found=f"{cause} in {where}"
        ) from None
    except PapermillExecutionError as exc:
        where = _failed_cell(nbformat.read(str(output), as_version=4)) or f"cell {exc.cell_index + 1}"
        raise ReportError(
            f"{template.name} to run without errors",
            file=str(output),
            found=f"{exc.ename}: {exc.evalue} in {where}",
        ) from None


_PAPERMILL_TAGS = {"injected-parameters", "papermill-error-cell-tag"}


class _CellLimit:
    """nbclient's ``timeout_func``: the seconds the next cell may run (the cell timeout, or what is left
    of the client's time, whichever is shorter); it also remembers the cell, to name it on a timeout."""

    def __init__(self, cell_timeout: int, deadline: float | None) -> None:
        self.cell_timeout = cell_timeout if cell_timeout and cell_timeout > 0 else None
        self.deadline = deadline
        self.source: str | None = None
        self.by_deadline = False

    def where(self, template: Path) -> str:
        """'cell 7 (report.segments_section(ctx))': the cell running last, numbered as in the template."""
        if self.source is None:
            return "the kernel's start"
        summary = _cell_summary(self.source)
        try:
            cells = nbformat.read(str(template), as_version=4).cells
            position = next(i for i, c in enumerate(cells, start=1) if c.source == self.source)
        except (OSError, StopIteration, ValueError):
            return f"the cell {summary}" if summary else "the parameters cell"
        return f"cell {position} ({summary})"

    def __call__(self, cell: nbformat.NotebookNode) -> int | None:
        self.source = cell.source
        limit = self.cell_timeout
        self.by_deadline = False
        if self.deadline is not None:
            left = max(1, math.ceil(self.deadline - time.monotonic()))
            if limit is None or left < limit:
                limit, self.by_deadline = left, True
        return limit


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


def check_final(nb: nbformat.NotebookNode, executed: Path) -> None:
    """A final report needs every recommendation reviewed: raise naming how many are not."""
    pending = max(section_count(nb, "pending"), section_count(nb, "unreviewed"))
    if pending:
        raise ReportError(
            "every recommendation reviewed (accepted or rejected in recommendations.yaml) for a final report",
            file=str(executed),
            found=f"{pending} recommendation(s) not reviewed yet; no report written",
        )


def clear_stale_report(out: Path) -> None:
    """Remove the report of an earlier run (never left next to a failed run) and the temporary files of a
    run that was killed while writing it (``.report.html.*.tmp``: the report itself is never half-written)."""
    (out / "report.html").unlink(missing_ok=True)
    for leftover in out.glob(".report.html.*.tmp"):
        leftover.unlink(missing_ok=True)


def build_report(
    client_dir: str | Path,
    out: str | Path,
    lang: str = "",
    static_charts: bool = False,
    worked_examples: bool = False,
    kernel: WarmKernel | None = None,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
    check_data: bool = True,
    client_timeout: float = DEFAULT_CLIENT_TIMEOUT,
    final: bool = False,
    pdf: bool = False,
    pptx: bool = False,
    template: str | Path | None = None,
) -> ReportResult:
    """Validate ``client_dir``, execute the report template into ``out`` and write ``out/report.html``.

    Raises a :class:`~cxlab.errors.CxlabError` (bad input) or :class:`ReportError` (a cell failed: the
    executed notebook is in ``out`` and the message names the cell); a failed run never writes a report.

    ``check_data=False`` (the batch's warm workers) checks ``client.yaml`` here and leaves reading and
    checking the data to the notebook's first cell, so each client's files are read once: a data problem
    then fails that cell, with the same message.

    Each notebook cell may run ``cell_timeout`` seconds, and the client's notebooks together
    ``client_timeout`` seconds (0: no limit); past either, or when the kernel dies, the kernel is killed
    and the run fails naming the cell and the cause.

    ``final=True`` refuses to write a report while any recommendation is unreviewed (a
    :class:`ReportError` naming how many): a final report carries no proposal and no draft mark.
    ``pdf=True`` also writes ``out/report.pdf`` (WeasyPrint, :mod:`cxlab.report.pdf`), ``pptx=True``
    ``out/report.pptx`` (python-pptx, :mod:`cxlab.report.deck`).

    ``template`` replaces the report template (a notebook with the same ``parameters`` cell): the hostile
    test suite runs its batches with a short one, as the batch's behaviour does not depend on the sections.
    """
    started = time.perf_counter()
    deadline = time.monotonic() + client_timeout if client_timeout and client_timeout > 0 else None
    client_dir = Path(client_dir).resolve()
    out = Path(out).resolve()
    own_kernel = kernel is None
    if own_kernel:
        if not (client_dir / "client.yaml").is_file():
            load_client(client_dir)  # names the missing folder or file before any kernel starts
        kernel = WarmKernel()
        kernel.start(out if out.is_dir() else None)  # boots and imports cxlab while we validate
    try:
        # a bad folder (or language) fails before anything is executed
        loaded = load_client(client_dir) if check_data else None
        config = loaded.config if loaded is not None else load_config(client_dir)
        lang = check_language(lang or config.language, "report parameters", "lang")
    except BaseException:
        if own_kernel and kernel is not None:
            kernel.shutdown()
        raise
    out.mkdir(parents=True, exist_ok=True)
    clear_stale_report(out)
    params = {
        "client_dir": str(client_dir),
        "lang": lang,
        "static_charts": static_charts,
        "output_dir": str(out),
    }
    notebooks: list[Path] = []
    printer = None
    if pptx:
        from .warm import warm_up  # python-pptx and vl-convert start while the kernel runs (we only wait)

        warm_up(pptx=pptx)
    if pdf:
        from .printer import PrintWorker  # WeasyPrint and the PDF's charts start while the kernel runs

        printer = PrintWorker()
    try:
        executed = out / REPORT_TEMPLATE
        nb = execute_template(
            Path(template) if template else template_path(REPORT_TEMPLATE),
            executed,
            params,
            kernel,
            cell_timeout,
            out,
            deadline,
            printer.on_cell_executed if printer is not None else None,
        )
        notebooks.append(executed)
        if final:
            check_final(nb, executed)
        html = export_notebook_html(nb, static_charts=static_charts)
        target = out / "report.html"
        write_text(target, html)
        pdf_path = pptx_path = None
        pdf_seconds = pptx_seconds = 0.0
        for stale_extra in ("report.pdf", "report.pptx"):
            if (out / stale_extra).exists():
                (out / stale_extra).unlink()
        pdf_done: Callable[[], bytes] | None = None
        if pdf:
            from .pdf import start_pdf  # the layout runs in the print worker while the deck is written

            tick = time.perf_counter()
            pdf_done = start_pdf(nb, printer)
            pdf_seconds = time.perf_counter() - tick
        if pptx:
            from .deck import write_deck  # python-pptx: imported only when a deck is asked for

            tick = time.perf_counter()
            pptx_path = write_deck(nb, out / "report.pptx")
            pptx_seconds = time.perf_counter() - tick
        if pdf_done is not None:
            tick = time.perf_counter()
            pdf_path = write_bytes(out / "report.pdf", pdf_done())
            pdf_seconds += time.perf_counter() - tick
        if worked_examples:
            (out / "notebooks").mkdir(exist_ok=True)
            step_params = {"client_dir": str(client_dir), "lang": lang}
            skipped = []
            for name in STEP_TEMPLATES:
                lacking = _lacking(STEP_TABLES.get(name, ()), config.tables, loaded)
                if lacking:
                    skipped.append(f"{name}: skipped, the client has no {', '.join(lacking)}")
                    continue
                path = out / "notebooks" / name
                # the template with its markdown in the report language (notebooks.po), run in place
                write_text(path, localized_notebook_text(template_path(name), lang))
                step = execute_template(path, path, step_params, kernel, cell_timeout, out, deadline)
                notebooks.append(path)
                # the worked example as a web page whose charts draw offline (trainees without Jupyter)
                write_text(path.with_suffix(".html"), export_notebook_page(step))
            if skipped:
                write_text(out / "notebooks" / SKIPPED_STEPS_FILE, "\n".join(skipped) + "\n")
    finally:
        if printer is not None:
            printer.close()
        if own_kernel and kernel is not None:
            kernel.shutdown()
    return ReportResult(
        client_dir=client_dir,
        out_dir=out,
        html=target,
        notebooks=notebooks,
        seconds=time.perf_counter() - started,
        key_figures=key_figures(nb),
        client_name=config.name,
        lang=lang,
        unreviewed=section_count(nb, "unreviewed"),
        pending=section_count(nb, "pending"),
        pdf=pdf_path,
        pptx=pptx_path,
        pdf_seconds=pdf_seconds,
        pptx_seconds=pptx_seconds,
    )
