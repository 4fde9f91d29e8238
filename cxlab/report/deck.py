"""The client report as an editable PowerPoint deck (python-pptx), built from the executed report notebook.

``cxlab report CLIENT --out OUT --pptx`` writes ``OUT/report.pptx``:

1. a title slide (client, report title, date of the data, "Confidential", "Draft" while unreviewed);
2. the insights of the executive summary, and the KPI tiles with their changes;
3. one slide per key chart (PNG drawn by vl-convert) whose title is the chart's takeaway: the sentence the
   report states just before the chart, else the chart's own title;
4. the initiatives (impact, owner, effort, when) and the quarter-by-quarter roadmap.

Every shape is a real text box, table or picture (no empty placeholder), so the consultant edits the
deck as any other.
"""

from __future__ import annotations

import html
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from ..intake.write import write_bytes
from .export import report_meta
from .html import SECTION_METADATA
from .printer import output_html

#: how many chart slides at most (the first chart of every section first, then the next ones)
MAX_CHART_SLIDES = 8
MIN_CHART_SLIDES = 8

_CHART = re.compile(
    r'<figure class="cx-chart"[^>]*>\s*<div class="cx-chart-view"></div>\s*'
    r'<script type="application/json" class="cx-chart-spec">(?P<spec>.*?)</script>\s*</figure>',
    re.S,
)
_PARAGRAPH = re.compile(r"<p(?: [^>]*)?>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub("", fragment))).strip()


def _takeaway(text: str, limit: int = 150) -> str:
    """The first sentence of ``text``, shortened to ``limit`` characters."""
    first = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0]
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def _spec_title(spec: dict[str, Any]) -> str:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(map(str, title))
    return str(title or "")


def report_parts(nb: NotebookNode) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The sections (id, title, deck data) and the charts (section, spec, takeaway) of an executed report."""
    sections: list[dict[str, Any]] = []
    charts: list[dict[str, Any]] = []
    for cell in nb.cells:
        if "report" not in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            meta = (output.get("metadata") or {}).get(SECTION_METADATA)
            if meta:
                sections.append(dict(meta))
            source = output_html(output)
            section_id = meta.get("id") if meta else (sections[-1]["id"] if sections else "")
            section_title = meta.get("title") if meta else (sections[-1]["title"] if sections else "")
            last = 0
            for match in _CHART.finditer(source):
                before = [_plain(p) for p in _PARAGRAPH.findall(source[last : match.start()])]
                before = [p for p in before if len(p) > 20]
                spec = json.loads(match.group("spec"))
                title = _spec_title(spec)
                takeaway = _takeaway(before[-1]) if before else (title or section_title)
                charts.append(
                    {
                        "section": section_id,
                        "section_title": section_title,
                        "spec": spec,
                        "takeaway": takeaway,
                    }
                )
                last = match.end()
    return sections, charts


def key_charts(charts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first chart of every section, then the following ones in report order, at most
    :data:`MAX_CHART_SLIDES`; report order kept."""
    firsts, seen = [], set()
    for i, chart in enumerate(charts):
        if chart["section"] not in seen:
            seen.add(chart["section"])
            firsts.append(i)
    chosen = firsts[:MAX_CHART_SLIDES]
    for i in range(len(charts)):
        if len(chosen) >= max(MIN_CHART_SLIDES, len(firsts)) or len(chosen) >= MAX_CHART_SLIDES:
            break
        if i not in chosen:
            chosen.append(i)
    return [charts[i] for i in sorted(chosen)]


def _png(spec: dict[str, Any]) -> bytes:
    import vl_convert

    return bytes(vl_convert.vegalite_to_png(spec, scale=1.5))


def write_deck(nb: NotebookNode, path: str | Path, jobs: int = 2) -> Path:
    """Write the PowerPoint deck of an executed report notebook to ``path``."""
    from .warm import wait

    wait()  # the head start of cxlab.report.warm, when the run gave it one
    from pptx import Presentation  # imported on use: only --pptx pays for it
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Inches, Pt

    meta = report_meta(nb)
    sections, charts = report_parts(nb)
    by_id = {s["id"]: s for s in sections}
    colour = RGBColor.from_string(str(meta.get("colour", "#1f4e79")).lstrip("#").upper())

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    width = prs.slide_width

    def textbox(slide, left, top, w, h, lines, size=18, bold=False, color=None):
        box = slide.shapes.add_textbox(left, top, w, h)
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.text = line
            para.font.size = Pt(size)
            para.font.bold = bold
            if color is not None:
                para.font.color.rgb = color
        return box

    def titled(title: str):
        slide = prs.slides.add_slide(blank)
        textbox(
            slide,
            Inches(0.5),
            Inches(0.3),
            width - Inches(1),
            Inches(1.1),
            [title],
            size=24,
            bold=True,
            color=colour,
        )
        return slide

    # 1. title
    slide = prs.slides.add_slide(blank)
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = colour
    white = RGBColor(0xFF, 0xFF, 0xFF)
    textbox(
        slide,
        Inches(0.8),
        Inches(2.3),
        width - Inches(1.6),
        Inches(1.2),
        [str(meta.get("client_name", ""))],
        size=40,
        bold=True,
        color=white,
    )
    sub = [
        str(meta.get("title", "")),
        f"{meta.get('date_label', '')} {meta.get('date', '')}".strip(),
        str(meta.get("confidential", "")),
    ]
    if meta.get("draft"):
        sub.append(f"{meta['draft']} — {meta.get('draft_note', '')}")
    textbox(
        slide,
        Inches(0.8),
        Inches(3.6),
        width - Inches(1.6),
        Inches(2.5),
        [s for s in sub if s],
        size=18,
        color=white,
    )

    # 2. insights and KPI tiles
    summary = (by_id.get("summary") or {}).get("deck") or {}
    if summary.get("insights"):
        slide = titled(summary.get("title") or by_id["summary"]["title"])
        textbox(
            slide,
            Inches(0.6),
            Inches(1.4),
            width - Inches(1.2),
            Inches(5.8),
            [f"• {s}" for s in summary["insights"]],
            size=15,
        )
    if summary.get("kpis"):
        slide = titled(by_id["summary"]["title"])
        kpis = summary["kpis"]
        cols = 3
        tile_w = (width - Inches(1.2)) / cols
        for i, (label, value, note) in enumerate(kpis[:9]):
            left = Inches(0.6) + int(tile_w * (i % cols))
            top = Inches(1.5) + Inches(1.9) * (i // cols)
            textbox(slide, left, top, int(tile_w) - Inches(0.2), Inches(1.8), [value, label, note], size=14)
            box = slide.shapes[-1].text_frame.paragraphs[0]
            box.font.size, box.font.bold, box.font.color.rgb = Pt(30), True, colour

    # 3. key charts with their takeaway as the title
    chosen = key_charts(charts)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        pngs = list(pool.map(_png, [c["spec"] for c in chosen]))
    from PIL import Image  # python-pptx's own dependency

    for chart, png in zip(chosen, pngs, strict=True):
        slide = titled(chart["takeaway"])
        with Image.open(io.BytesIO(png)) as image:
            px_w, px_h = image.size
        box_w, box_h = width - Inches(1), Inches(5.6)
        scale = min(box_w / px_w, box_h / px_h)
        pic_w, pic_h = int(px_w * scale), int(px_h * scale)
        slide.shapes.add_picture(io.BytesIO(png), Emu((width - pic_w) // 2), Inches(1.5), pic_w, pic_h)
        textbox(
            slide,
            Inches(0.5),
            Inches(7.05),
            width - Inches(1),
            Inches(0.4),
            [chart["section_title"]],
            size=10,
        )

    # 4. initiatives and roadmap
    recs = (by_id.get("recommendations") or {}).get("deck") or {}
    initiatives = recs.get("initiatives") or []
    if initiatives:
        slide = titled(recs.get("title", ""))
        headers = recs.get("headers", ["", "", "", ""])
        rows, cols = len(initiatives) + 1, 4
        table = slide.shapes.add_table(
            rows, cols, Inches(0.5), Inches(1.4), width - Inches(1), Inches(0.5) * rows
        ).table
        for j, head in enumerate(headers):
            table.cell(0, j).text = head
        for i, item in enumerate(initiatives, start=1):
            name = item["name"] + (f" ({item['draft']})" if item.get("draft") else "")
            table.cell(i, 0).text = f"{name}\n{item['impact']}"
            table.cell(i, 1).text = item["owner"]
            table.cell(i, 2).text = item["effort"]
            table.cell(i, 3).text = item["when"]
        for r in range(rows):
            for c in range(cols):
                for para in table.cell(r, c).text_frame.paragraphs:
                    para.font.size = Pt(11)
        table.columns[0].width = int((width - Inches(1)) * 0.6)
        for c in (1, 2, 3):
            table.columns[c].width = int((width - Inches(1)) * 0.4 / 3)
        quarters = recs.get("quarters") or []
        if quarters:
            slide = titled(recs.get("roadmap_title", ""))
            rows, cols = len(initiatives) + 1, len(quarters) + 1
            grid = slide.shapes.add_table(
                rows, cols, Inches(0.5), Inches(1.4), width - Inches(1), Inches(0.5) * rows
            ).table
            grid.cell(0, 0).text = headers[0]
            for j, q in enumerate(quarters, start=1):
                grid.cell(0, j).text = q
            for i, item in enumerate(initiatives, start=1):
                grid.cell(i, 0).text = item["name"]
                for j, count in enumerate(item["roadmap"], start=1):
                    grid.cell(i, j).text = "●" * int(count) if count else "–"
            for r in range(rows):
                for c in range(cols):
                    for para in grid.cell(r, c).text_frame.paragraphs:
                        para.font.size = Pt(12)
    buffer = io.BytesIO()
    prs.save(buffer)
    return write_bytes(Path(path), buffer.getvalue())
