"""The client report as PDF, without a browser: WeasyPrint on the static-SVG variant of the report page.

``cxlab report CLIENT --out OUT --pdf`` writes ``OUT/report.pdf`` next to ``report.html``:

* every interactive chart of the executed notebook is drawn as SVG by vl-convert (no JavaScript in a PDF);
* A4 pages with the report's print stylesheet, plus the paged-media rules WeasyPrint understands
  (:data:`PAGED_CSS`): page numbers on every page but the cover, a running header with the client, the
  date of the data and "Confidential" (and "Draft" while recommendations are unreviewed), and a table of
  contents with the page number of each section (``target-counter``).
"""

from __future__ import annotations

import base64
import copy
import html
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from ..intake.write import write_bytes
from .charts import CHART_CLASS
from .export import export_notebook_html, report_meta
from .warm import wait

_SPEC = re.compile(
    r'<figure class="cx-chart"(?P<attrs>[^>]*)>\s*<div class="cx-chart-view"></div>\s*'
    r'<script type="application/json" class="cx-chart-spec">(?P<spec>.*?)</script>\s*</figure>',
    re.S,
)

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


#: charts drawing more data rows than this are printed as PNG (WeasyPrint draws a large SVG slowly: the
#: 600-point value scatter alone costs seconds); the others stay vector
MAX_SVG_ROWS = 300
#: pixels per CSS pixel of those PNGs (2 = about 190 dpi at the printed size)
PNG_SCALE = 2


def _rows(spec: dict[str, Any]) -> int:
    datasets = spec.get("datasets") or {}
    return sum(len(rows) for rows in datasets.values() if isinstance(rows, list))


def _svg_figure(match: re.Match[str]) -> str:
    import vl_convert  # the Rust renderer shipped with vl-convert-python; no browser, no network

    spec = json.loads(match.group("spec"))
    if _rows(spec) > MAX_SVG_ROWS:
        png = bytes(vl_convert.vegalite_to_png(spec, scale=PNG_SCALE))
        width = int.from_bytes(png[16:20], "big") / PNG_SCALE  # IHDR: the width in pixels
        data = base64.b64encode(png).decode("ascii")
        body = f'<img class="cx-chart-png" src="data:image/png;base64,{data}" style="width: {width:.0f}px" alt="">'
    else:
        # the SVG as an image, not inline: WeasyPrint then parses it apart (ElementTree) instead of
        # running its HTML parser and the page's CSS cascade over the ~3,000 nodes of the charts; still
        # vector and searchable in the PDF
        svg = vl_convert.vegalite_to_svg(spec).encode("utf-8")
        data = base64.b64encode(svg).decode("ascii")
        body = f'<img class="cx-chart-svg" src="data:image/svg+xml;base64,{data}" alt="">'
    return f'<figure class="{CHART_CLASS} cx-static"{match.group("attrs")}>{body}</figure>'


def _html_of(output: dict[str, Any]) -> str | None:
    value = (output.get("data") or {}).get("text/html")
    if value is None:
        return None
    return value if isinstance(value, str) else "".join(value)


def static_notebook(nb: NotebookNode, jobs: int = 2) -> NotebookNode:
    """A copy of an executed report notebook whose interactive charts are static SVG (drawn with
    vl-convert, ``jobs`` at a time)."""
    nb = copy.deepcopy(nb)
    outputs = [
        o for cell in nb.cells for o in cell.get("outputs", []) if "cx-chart-spec" in (_html_of(o) or "")
    ]
    matches = [(o, list(_SPEC.finditer(_html_of(o) or ""))) for o in outputs]
    flat = [m for _, ms in matches for m in ms]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        svgs = dict(zip((id(m) for m in flat), pool.map(_svg_figure, flat), strict=True))
    for output, ms in matches:
        source = _html_of(output) or ""
        parts, last = [], 0
        for m in ms:
            parts.append(source[last : m.start()])
            parts.append(svgs[id(m)])
            last = m.end()
        parts.append(source[last:])
        output["data"]["text/html"] = "".join(parts)
    return nb


def pdf_html(nb: NotebookNode) -> str:
    """The page WeasyPrint lays out: the static variant of the report with the paged-media rules."""
    meta = report_meta(nb)
    header = " · ".join(
        str(v)
        for v in (meta.get("client_name"), meta.get("date"), meta.get("confidential"), meta.get("draft"))
        if v
    )
    css = PAGED_CSS.replace("HEADER", _css_string(html.unescape(header)))
    return export_notebook_html(static_notebook(nb), static_charts=True, extra_css=css)


def write_pdf(nb: NotebookNode, path: str | Path) -> Path:
    """Write the report of an executed notebook as PDF to ``path``."""
    wait()  # the head start of cxlab.report.warm, when the run gave it one
    import weasyprint  # imported on use: only --pdf pays for it

    page = pdf_html(nb)
    data = weasyprint.HTML(string=page).write_pdf()
    assert data is not None
    return write_bytes(Path(path), data)
