"""The ``cxlab_report`` nbconvert exporter: a notebook run in JupyterLab → the branded client report.

Registered in the ``nbconvert.exporters`` entry-point group, so ``jupyter nbconvert --to cxlab_report``
works and JupyterLab lists it under *File → Save and Export Notebook As*. It adds no report logic of its
own: it hands the notebook to the report pipeline of :mod:`cxlab.report` (the same template, chart
renderer and export function ``cxlab report`` uses). What it adds is what an interactive run needs
first: the charts, drawn by whatever Altair renderer was active in JupyterLab, are re-rendered by the
report's renderer, and the folder of the client is found from the notebook's ``parameters`` cell.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter
from nbformat import NotebookNode

from ..errors import ReportError
from .charts import spec_from_output

CLIENT_PARAMETERS = ("client_dir", "client", "client_path")


def notebook_parameters(nb: NotebookNode) -> dict[str, Any]:
    """The literal values assigned in the notebook's ``parameters`` cell (papermill's contract)."""
    values: dict[str, Any] = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            target = getattr(node, "target", None) or (getattr(node, "targets", None) or [None])[0]
            value = getattr(node, "value", None)
            if isinstance(target, ast.Name) and value is not None:
                try:
                    values[target.id] = ast.literal_eval(value)
                except ValueError:
                    pass
    return values


def client_folder(nb: NotebookNode, notebook_dir: str | Path | None) -> Path | None:
    """The client folder the notebook ran on: its parameter, relative to the notebook's folder."""
    params = notebook_parameters(nb)
    for name in CLIENT_PARAMETERS:
        if isinstance(params.get(name), str):
            return (Path(notebook_dir or ".") / params[name]).resolve()
    return None


def rerender_charts(nb: NotebookNode, render) -> int:
    """Replace every Altair chart output by ``render(spec)`` (a mime bundle); returns how many."""
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") not in ("display_data", "execute_result"):
                continue
            spec = spec_from_output(output)
            if spec is not None:
                output["data"] = render(spec)
                output.setdefault("metadata", {})
                count += 1
    return count


class CxlabReportExporter(HTMLExporter):
    """Export a cxlab notebook as the self-contained, branded client report (no code)."""

    export_from_notebook = "CX client report"
    output_mimetype = "text/html"

    def from_notebook_node(
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        try:
            from .. import report
        except ImportError as exc:  # the report pipeline (issue 8) is not installed
            raise ReportError("the cxlab.report package", found=f"an import error: {exc}") from exc
        resources = self._init_resources(resources)
        nb = copy.deepcopy(nb)
        notebook_dir = resources.get("metadata", {}).get("path")
        html = report.export_notebook_html(nb, client_dir=client_folder(nb, notebook_dir))
        resources["output_extension"] = ".html"
        return html, resources
