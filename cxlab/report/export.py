"""Notebook → client report HTML, with the cxlab nbconvert template (``templates/nbconvert/cxlab_report``).

The template shows only the outputs of cells tagged ``report`` (never code), builds the cover and the
table of contents, and inlines the Vega bundle once when the report has interactive charts. Charts a
notebook drew with another Altair renderer (JupyterLab's) are re-rendered by the report's renderer first.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import HTMLExporter
from nbformat import NotebookNode
from traitlets import default

from .. import __version__
from ..colours import is_hex_colour
from ..errors import ReportError
from ..intake.write import write_text
from ..jupyter.charts import spec_from_output
from ..resources import shipped
from .charts import CHART_CLASS, chart_html, vega_bundle
from .html import REPORT_MIMETYPE
from .printer import output_html

TEMPLATE_NAME = "cxlab_report"
DEFAULT_META: dict[str, Any] = {
    "lang": "en",
    "colour": "#1f4e79",
    "accent": "#e07b39",
    "toc_title": "Contents",
}


def template_root() -> Path:
    """The folder holding the ``cxlab_report`` nbconvert template."""
    return Path(str(shipped("templates") / "nbconvert"))


def report_meta(nb: NotebookNode) -> dict[str, Any]:
    """The cover data written by :func:`cxlab.report.sections.cover` (defaults when the notebook has none)."""
    meta = dict(DEFAULT_META)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            if REPORT_MIMETYPE in data:
                meta.update(dict(data[REPORT_MIMETYPE]))
                break
    for key in ("colour", "accent"):  # goes into a <style> block: only plain hex colours
        if not is_hex_colour(meta.get(key)):
            meta[key] = DEFAULT_META[key]
    if meta.get("logo") and not str(meta["logo"]).startswith("data:"):
        meta["logo"] = None  # a report never links to a file or a server
    return meta


def rerender_charts(nb: NotebookNode, static: bool = False) -> int:
    """Replace every Altair chart output drawn by another renderer with the report's form; how many."""
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") not in ("display_data", "execute_result"):
                continue
            if CHART_CLASS in output_html(output):
                continue  # already the report's form
            spec = spec_from_output(output)
            if spec is not None:
                output["data"] = {"text/html": chart_html(spec, static=static)}
                count += 1
    return count


def _has_interactive_charts(nb: NotebookNode) -> bool:
    for cell in nb.cells:
        if "report" not in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            if "cx-chart-spec" in output_html(output):
                return True
    return False


class ReportHTMLExporter(HTMLExporter):
    """HTMLExporter with the cxlab report template; see :func:`export_notebook_html`."""

    export_from_notebook = "CX client report"

    @default("template_name")
    def _template_name_default(self) -> str:
        return TEMPLATE_NAME

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(template_root())]


@functools.lru_cache(maxsize=1)
def _exporter() -> ReportHTMLExporter:
    """The process's exporter: a new one compiles the report's Jinja templates again (~0.1 s a report in a
    batch worker)."""
    return ReportHTMLExporter()


def export_notebook_html(nb: NotebookNode, static_charts: bool = False, extra_css: str = "") -> str:
    """The client report of an executed notebook, as one self-contained HTML page (``extra_css`` is
    appended to the report's stylesheet: the PDF's paged-media rules)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    raise ReportError(
                        "an executed notebook without errors",
                        file=nb.metadata.get("papermill", {}).get("output_path", "notebook"),
                        found=f"{output.get('ename')}: {output.get('evalue')} in a cell; "
                        "a failed notebook is never exported as a client report",
                    )
    rerender_charts(nb, static=static_charts)
    folder = template_root() / TEMPLATE_NAME
    css = (folder / "report.css").read_text(encoding="utf-8") + extra_css
    interactive = _has_interactive_charts(nb)
    resources = {
        "cxlab": {
            "meta": report_meta(nb),
            "css": css,
            "version": __version__,
            "vega_bundle": vega_bundle() if interactive else "",
            "draw_script": (folder / "draw_charts.js").read_text(encoding="utf-8") if interactive else "",
        }
    }
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return body


def export_notebook_file(notebook: str | Path, out: str | Path, static_charts: bool = False) -> Path:
    """Read an executed notebook file and write its report HTML to ``out``."""
    nb = nbformat.read(str(notebook), as_version=4)
    out = Path(out)
    return write_text(out, export_notebook_html(nb, static_charts=static_charts))
