"""The step notebooks in the client's language, from one source.

The templates in ``templates/notebooks`` are written once, in English. Their markdown cells are translated
block by block (a block = a paragraph, a list, a heading or a fenced code block: the text between blank
lines) through the gettext catalog ``cxlab/locale/<lang>/LC_MESSAGES/notebooks.po``, whose msgids are the
English blocks. ``cxlab new`` writes the notebooks in the client's language and ``cxlab report
--worked-examples`` runs them in the report language; code cells are never touched, so both languages run
the same code. A block edited in a template loses its translation until the catalog is updated:
``tests/test_notebooks_i18n.py`` fails on any English block left in an Italian notebook.

To refresh the catalog after editing a template: :func:`catalog_blocks` lists every block, in order.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import nbformat

from ..i18n import SOURCE_LANGUAGE, gettext

#: a blank line (spaces allowed) separates two blocks
_BLANK_LINE = re.compile(r"(\n[ \t]*\n)")
#: code spans, fenced code, inline maths, links' targets and HTML tags: not prose
_NOT_PROSE = re.compile(r"```.*?```|`[^`]*`|\$[^$\n]+\$|\]\([^)]*\)|<[^>]+>", re.S)


def split_blocks(markdown: str) -> list[str]:
    """``markdown`` cut at blank lines: text blocks and the separators between them, alternating
    (``"".join(split_blocks(m)) == m``). A fenced code block with blank lines inside stays whole."""
    parts = _BLANK_LINE.split(markdown)
    merged: list[str] = []
    for part in parts:
        if merged and merged[-1].count("```") % 2 == 1:  # inside an open fence: glue
            merged[-1] += part
        else:
            merged.append(part)
    return merged


def has_prose(block: str) -> bool:
    """Whether a block has words to translate: outside code, maths and link targets, or in the comments of
    a fenced code block (``# detected when omitted``)."""
    if re.search(r"[A-Za-z]{2,}", _NOT_PROSE.sub(" ", block)):
        return True
    fences = re.findall(r"```.*?```", block, re.S)
    return any(re.search(r"#\s*[A-Za-z]{2,}", fence) for fence in fences)


def translatable_blocks(markdown: str) -> Iterator[str]:
    """The blocks of one markdown cell that carry prose (stripped), in order."""
    for index, part in enumerate(split_blocks(markdown)):
        if index % 2 == 0 and part.strip() and has_prose(part):
            yield part.strip()


def translate_markdown(markdown: str, lang: str) -> str:
    """One markdown cell in ``lang``: each prose block through the catalog (English when untranslated)."""
    if lang == SOURCE_LANGUAGE:
        return markdown
    out = []
    for index, part in enumerate(split_blocks(markdown)):
        block = part.strip()
        if index % 2 == 0 and block and has_prose(block):
            lead = part[: len(part) - len(part.lstrip())]
            trail = part[len(part.rstrip()) :]
            part = lead + gettext(lang, block) + trail
        out.append(part)
    return "".join(out)


def localize_notebook(nb: Any, lang: str) -> Any:
    """A copy of notebook ``nb`` (an ``nbformat`` node) whose markdown cells are in ``lang``; the code
    cells, outputs and tags are unchanged. The language is recorded in ``metadata.cxlab.lang``."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = translate_markdown(cell.source, lang)
    nb.metadata.setdefault("cxlab", {})["lang"] = lang
    return nb


def localized_notebook_text(template: Path | str, lang: str) -> str:
    """The template notebook at ``template`` with its markdown in ``lang``, as notebook JSON text."""
    nb = nbformat.read(str(template), as_version=4)
    return nbformat.writes(localize_notebook(nb, lang)) + "\n"


def catalog_blocks(templates: Iterable[Path]) -> list[str]:
    """Every distinct prose block of the templates' markdown cells, in reading order: the msgids of
    ``notebooks.po``."""
    seen: dict[str, None] = {}
    for path in templates:
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                for block in translatable_blocks(cell.source):
                    seen.setdefault(block, None)
    return list(seen)
