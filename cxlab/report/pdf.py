"""The client report as PDF, without a browser: WeasyPrint on the static-SVG variant of the report page.

``cxlab report CLIENT --out OUT --pdf`` writes ``OUT/report.pdf`` next to ``report.html``:

* every interactive chart of the executed notebook is drawn as SVG (or PNG, when large) by vl-convert (no
  JavaScript in a PDF), while the kernel runs when the run hands a :class:`~.printer.PrintWorker` (which then lays out the
  PDF too);
* A4 pages with the report's print stylesheet, plus the paged-media rules WeasyPrint understands
  (:data:`PAGED_CSS`): page numbers on every page but the cover, a running header with the client, the
  date of the data and "Confidential" (and "Draft" while recommendations are unreviewed), and a table of
  contents with the page number of each section (``target-counter``).
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Callable
from pathlib import Path

from nbformat import NotebookNode

from ..intake.write import write_bytes
from .charts import CHART_CLASS
from .export import export_notebook_html, report_meta
from .printer import CHART_FIGURE, PrintWorker, chart_image, output_html, pdf_bytes

#: paged-media rules for WeasyPrint; HEADER is replaced by a CSS string
PAGED_CSS = """
@page { size: A4; margin: 20mm 15mm 18mm 15mm;
  @top-left { content: HEADER; font-size: 8pt; color: #57606a; font-family: Arial, "Helvetica Neue", sans-serif; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #57606a; font-family: Arial, sans-serif; } }
@page :first { margin: 0; @top-left { content: none; } @bottom-right { content: none; } }
html { font-size: 10pt; }
.cx-cover { min-height: 297mm; padding: 60mm 20mm 20mm; }
.cx-toc ol { columns: auto; list-style: none; padding-left: 0; }
.cx-toc li { margin: .25rem 0; }
.cx-toc a::after { content: leader('.') " " target-counter(attr(href), page); }
.cx-main { padding: 0; max-width: none; }
.cx-chart { max-width: 100%; overflow: hidden; }
.cx-chart svg, .cx-chart img { max-width: 100% !important; height: auto !important; }
.cx-figures { display: flex; flex-wrap: wrap; gap: .5rem; }
.cx-figure { width: 31%; }
.cx-table-wrap { overflow: visible; }
.cx-table { width: 100%; table-layout: auto; }
.cx-watermark { position: fixed; top: 120mm; font-size: 80pt; }
"""


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes and line breaks escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def static_notebook(nb: NotebookNode, printer: PrintWorker | None = None) -> NotebookNode:
    """A copy of an executed report notebook whose interactive charts are static images, collected from
    ``printer`` (drawn while the kernel ran) or drawn here."""

    def static(match: re.Match[str]) -> str:
        spec = match.group("spec")
        image = printer.image(spec) if printer is not None else chart_image(spec)
        return f'<figure class="{CHART_CLASS} cx-static"{match.group("attrs")}>{image}</figure>'

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            source = output_html(output)
            if "cx-chart-spec" in source:
                output["data"]["text/html"] = CHART_FIGURE.sub(static, source)
    return nb


def pdf_html(nb: NotebookNode, printer: PrintWorker | None = None) -> str:
    """The page WeasyPrint lays out: the static variant of the report with the paged-media rules."""
    meta = report_meta(nb)
    header = " · ".join(
        str(v)
        for v in (meta.get("client_name"), meta.get("date"), meta.get("confidential"), meta.get("draft"))
        if v
    )
    css = PAGED_CSS.replace("HEADER", _css_string(html.unescape(header)))
    return export_notebook_html(static_notebook(nb, printer), static_charts=True, extra_css=css)


def write_pdf(nb: NotebookNode, path: str | Path, printer: PrintWorker | None = None) -> Path:
    """Write the report of an executed notebook as PDF to ``path``: laid out by ``printer``'s worker (its
    charts drawn while the kernel ran) or here."""
    return write_bytes(Path(path), start_pdf(nb, printer)())


def start_pdf(nb: NotebookNode, printer: PrintWorker | None = None) -> Callable[[], bytes]:
    """Start the PDF of an executed notebook; the returned function waits for its bytes. With a
    ``printer`` the layout runs in its worker, and this process is free meanwhile (for the deck)."""
    if printer is not None:
        return printer.submit_pdf(pdf_html(nb, printer))
    page = pdf_html(nb)
    return lambda: pdf_bytes(page)
