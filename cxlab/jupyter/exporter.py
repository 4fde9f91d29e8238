"""The ``client_report`` nbconvert exporter: a notebook run in JupyterLab → the branded client report.

Registered in the ``nbconvert.exporters`` entry-point group under :data:`EXPORTER_NAME`, so
``jupyter nbconvert --to client_report NOTEBOOK`` works and JupyterLab lists it under *File → Save and
Export Notebook As*. JupyterLab labels that menu entry with the entry-point name, first letter upper-cased
(``export_from_notebook`` is not read), and the server's export URL only accepts ``\\w+`` names: hence a
name made of words and underscores, which cxlab's JupyterLab extension (``labextension/``, installed with
the wheel) shows as "cxlab client report" in the menu and the command palette.

The exporter is thin: it hands the notebook to :func:`cxlab.report.export.export_notebook_html` (the
report's nbconvert template, :class:`~cxlab.report.export.ReportHTMLExporter`), which re-renders charts
drawn by JupyterLab's Altair renderer, builds the cover from the notebook's own ``report.cover(ctx)``
output and refuses a notebook with an error output: the download is what ``cxlab report`` writes.
The report package is imported on the first export only: the server instantiates every exporter to list
them for JupyterLab's menu, and that listing should not wait for pandas and altair to load.
"""

from __future__ import annotations

from typing import Any

from nbconvert.exporters import Exporter
from nbformat import NotebookNode
from traitlets import Bool, default

#: the entry-point name: ``--to client_report``, "cxlab client report" in JupyterLab's export menu
EXPORTER_NAME = "client_report"


class CxlabReportExporter(Exporter):
    """Export an executed cxlab notebook as the self-contained, branded client report (no code)."""

    export_from_notebook = "CX client report"
    output_mimetype = "text/html"

    static_charts = Bool(
        False,
        help="Draw charts that JupyterLab's Altair renderer displayed as static SVG instead of interactive.",
    ).tag(config=True)

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".html"

    # nbconvert types the base as returning a notebook; exporters of text return str
    def from_notebook_node(  # type: ignore[override]
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        from ..report.export import export_notebook_html  # on the first export only (see the docstring)

        check_client_report(nb)
        resources = self._init_resources(resources)
        html = export_notebook_html(nb, static_charts=self.static_charts)
        resources["output_extension"] = self.file_extension
        return html, resources


def check_client_report(nb: NotebookNode) -> None:
    """Stop with a message unless ``nb`` is a client report that ran: its cover output
    (``report.cover(ctx)``, the report settings) is there. Another notebook (a diagnosis step, a blank
    template) would otherwise come out as a page titled "Notebook" without a word of warning."""
    from ..errors import ReportError
    from ..report.html import REPORT_MIMETYPE

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if REPORT_MIMETYPE in (output.get("data") or {}) or output.get("output_type") == "error":
                return  # a report; or a failed cell, which the export names
    template = (nb.metadata.get("cxlab") or {}).get("template", "")
    raise ReportError(
        "a client report notebook that ran (the client_report template, with its cover cell executed)",
        file=nb.metadata.get("papermill", {}).get("output_path", "notebook"),
        found=(f"the {template} template" if template else "a notebook without the report's cover")
        + "; run the client_report template (File > New > Template > cxlab) and export that",
    )
