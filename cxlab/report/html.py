"""HTML building blocks of the client report: escaped text, locale-formatted tables, key-figure cards.

Every piece of client data (names, comments, department labels) goes through :func:`text`, so a comment
such as ``<script>alert(1)</script>`` shows as text. Numbers are formatted by :mod:`cxlab.i18n`.
"""

from __future__ import annotations

import base64
import html
import mimetypes
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

SECTION_METADATA = "cxlab_section"
REPORT_MIMETYPE = "application/vnd.cxlab.report+json"


def text(value: object) -> str:
    """Escaped text of any value ('' for missing)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def paragraph(*sentences: str) -> str:
    """A paragraph of already-safe HTML fragments."""
    return "<p>" + " ".join(s for s in sentences if s) + "</p>"


Formatter = Callable[[Any], str]


@dataclass(frozen=True)
class Column:
    """One column of a report table: the frame's column, its header and how to print a value."""

    key: str
    label: str
    format: Formatter = field(default=lambda v: "" if v is None else str(v))
    numeric: bool = False


def table(frame: pd.DataFrame, columns: Sequence[Column], caption: str = "", css: str = "") -> str:
    """An HTML table of ``frame`` with the given columns (missing columns are left out); values escaped."""
    cols = [c for c in columns if c.key in frame.columns]
    head = "".join(f'<th scope="col"{_num(c)}>{text(c.label)}</th>' for c in cols)
    rows = []
    for record in frame[[c.key for c in cols]].itertuples(index=False, name=None):
        cells = "".join(f"<td{_num(c)}>{text(c.format(v))}</td>" for c, v in zip(cols, record, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{text(caption)}</caption>" if caption else ""
    klass = f"cx-table {css}".strip()
    return f'<div class="cx-table-wrap"><table class="{klass}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _num(column: Column) -> str:
    return ' class="num"' if column.numeric else ""


def figures(cards: Iterable[tuple[str, str, str]]) -> str:
    """Key-figure cards: (label, value, note) — all plain text, escaped here."""
    items = "".join(
        f'<div class="cx-figure"><div class="cx-figure-value">{text(value)}</div>'
        f'<div class="cx-figure-label">{text(label)}</div>'
        + (f'<div class="cx-figure-note">{text(note)}</div>' if note else "")
        + "</div>"
        for label, value, note in cards
    )
    return f'<div class="cx-figures">{items}</div>'


def subsection(title: str, body_html: str) -> str:
    return f"<h3>{text(title)}</h3>{body_html}"


def data_uri(path: Path) -> str:
    """A file as a ``data:`` URI (the logo on the cover), so the report needs no other file."""
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


@dataclass(frozen=True)
class Section:
    """One report section; displayed in a notebook it is one HTML output tagged for the table of contents."""

    id: str
    title: str
    body: str
    lead: str = ""
    #: (label, value) pairs the batch index shows for this client (the executive summary sets them)
    figures: tuple[tuple[str, str], ...] = ()
    #: counts the report runner reads back from the executed notebook (e.g. unreviewed recommendations)
    counts: tuple[tuple[str, int], ...] = ()
    #: plain-text content the PowerPoint deck reads back (insights, KPI tiles, initiatives; JSON-able)
    deck: dict[str, Any] = field(default_factory=dict, compare=False)

    def html(self) -> str:
        lead = f'<p class="cx-lead">{text(self.lead)}</p>' if self.lead else ""
        return f'<section class="cx-section" id="{text(self.id)}"><h2>{text(self.title)}</h2>{lead}{self.body}</section>'

    def _repr_mimebundle_(self, include=None, exclude=None):
        meta: dict[str, Any] = {"id": self.id, "title": self.title}
        if self.figures:
            meta["figures"] = [{"label": label, "value": value} for label, value in self.figures]
        if self.counts:
            meta["counts"] = dict(self.counts)
        if self.deck:
            meta["deck"] = self.deck
        return {"text/html": self.html()}, {SECTION_METADATA: meta}


@dataclass(frozen=True)
class ReportMeta:
    """The report's cover data; its output is read by the nbconvert template (cover, TOC, colours)."""

    values: dict[str, Any]

    def _repr_mimebundle_(self, include=None, exclude=None):
        plain = f"cxlab report: {self.values.get('client_name', '')} ({self.values.get('lang', '')})"
        return {REPORT_MIMETYPE: self.values, "text/plain": plain}
