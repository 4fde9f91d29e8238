"""The step notebooks in Italian, from the one English source (issue 22: "Italian notebooks: no English
sentence in markdown cells, test against the catalog").

The templates are English; ``cxlab/locale/it/LC_MESSAGES/notebooks.po`` translates their markdown block by
block and ``cxlab new`` / ``cxlab report --worked-examples`` write them in the client's language. The
checks: every block of every template has an Italian translation; an English-sentence detector, shown to
flag every English block of the catalog, flags nothing in any Italian translation nor in the notebooks
``cxlab new --language it`` writes; code cells are the same in both languages.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from babel.messages.pofile import read_po

from cxlab.jupyter.notebooks import catalog_blocks, localize_notebook, split_blocks, translate_markdown
from cxlab.resources import notebook_templates
from cxlab.scaffold import new_engagement

CATALOG = Path(__file__).resolve().parent.parent / "cxlab" / "locale" / "it" / "LC_MESSAGES" / "notebooks.po"
TEMPLATES = sorted(Path(str(notebook_templates())).glob("*.ipynb"))

#: English words that Italian prose never uses (Italian "a", "in", "e", "se", "non", "per" are not here)
ENGLISH_WORDS = frozenset(
    "the and of is are to with what this that for not by from which you your each then when how where who "
    "be was were if or on at as an its their than only does do can should it has have there these those "
    "into about after before all worked example overall questions value step lists ask call customers".split()
)

#: not prose: fenced and inline code, maths, link targets, HTML tags, quoted words («not bad»)
_NOT_PROSE = re.compile(r"```.*?```|`[^`]*`|\$[^$\n]+\$|\]\([^)]*\)|<[^>]+>|«[^»]*»|\"[^\"]*\"", re.S)


def english_sentences(markdown: str) -> list[str]:
    """The sentences of ``markdown`` that read as English: two or more English words (distinct), or one in
    a sentence of at most eight words (a heading such as "How it works")."""
    prose = _NOT_PROSE.sub(" ", markdown)
    found = []
    for sentence in re.split(r"(?<=[.!?;:])\s+|\n\s*[*\-\d.]+\s+|\n#+\s*|\n\|", prose):
        words = re.findall(r"[A-Za-z']+", sentence.lower())
        hits = {w for w in words if w in ENGLISH_WORDS}
        if len(hits) >= 2 or (hits and len(words) <= 8):
            found.append(sentence.strip())
    return found


@pytest.fixture(scope="module")
def catalog() -> dict[str, str]:
    with CATALOG.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id and not m.fuzzy}


@pytest.fixture(scope="module")
def italian_engagement(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return new_engagement(tmp_path_factory.mktemp("nb") / "rossi", language="it")


def test_every_markdown_block_of_every_template_is_translated(catalog: dict[str, str]) -> None:
    blocks = catalog_blocks(TEMPLATES)
    assert len(blocks) > 200  # the eight notebooks' narrative, not a sample
    untranslated = [b for b in blocks if not catalog.get(b) or catalog[b] == b]
    assert not untranslated, "blocks without an Italian translation:\n" + "\n---\n".join(untranslated)


def test_the_detector_flags_every_english_block_and_no_italian_one(catalog: dict[str, str]) -> None:
    """Against the catalog: each English msgid with a sentence of prose is flagged (so the check below can
    fail), and no Italian msgstr is."""
    english_missed = [
        m
        for m in catalog
        if len(re.findall(r"[A-Za-z]{3,}", _NOT_PROSE.sub(" ", m))) >= 8 and not english_sentences(m)
    ]
    assert not english_missed, "English blocks the detector does not see:\n" + "\n---\n".join(english_missed)
    italian_flagged = {m: english_sentences(t) for m, t in catalog.items() if english_sentences(t)}
    assert not italian_flagged, f"English left in the Italian translations: {italian_flagged}"


def test_cxlab_new_in_italian_writes_notebooks_without_an_english_sentence(
    italian_engagement: Path, catalog: dict[str, str]
) -> None:
    written = sorted((italian_engagement / "notebooks").glob("*.ipynb"))
    assert [p.name for p in written] == [p.name for p in TEMPLATES]
    italian_texts = set(catalog.values())
    for path in written:
        nb = nbformat.read(str(path), as_version=4)
        assert nb.metadata["cxlab"]["lang"] == "it"
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            assert english_sentences(cell.source) == [], f"{path.name}: {cell.source[:200]!r}"
            for index, part in enumerate(split_blocks(cell.source)):
                if index % 2 == 0 and part.strip() in catalog:
                    pytest.fail(f"{path.name}: an English block left as it is: {part.strip()[:120]!r}")
                if index % 2 == 0 and part.strip() and len(part.strip()) > 40:
                    assert part.strip() in italian_texts, f"{path.name}: not from the catalog: {part[:120]!r}"


def test_both_languages_run_the_same_code(italian_engagement: Path) -> None:
    for template in TEMPLATES:
        english = nbformat.read(str(template), as_version=4)
        italian = nbformat.read(str(italian_engagement / "notebooks" / template.name), as_version=4)
        assert [c.cell_type for c in italian.cells] == [c.cell_type for c in english.cells]
        for en_cell, it_cell in zip(english.cells, italian.cells, strict=True):
            if en_cell.cell_type == "code":
                assert it_cell.source == en_cell.source
                assert it_cell.metadata == en_cell.metadata  # tags (parameters, report) kept
            else:
                assert it_cell.source != en_cell.source


def test_english_is_the_source_unchanged_and_a_blank_line_layout_is_kept() -> None:
    nb = nbformat.read(str(TEMPLATES[0]), as_version=4)
    assert localize_notebook(nb, "en").cells == nb.cells
    markdown = "## How it works\n\n  \n### How to read it / what to look for\n"
    assert (
        translate_markdown(markdown, "it") == "## Come funziona\n\n  \n### Come leggerlo / che cosa cercare\n"
    )
    # a block nobody translated stays English (and the tests above catch it)
    assert translate_markdown("A sentence no catalog has.", "it") == "A sentence no catalog has."
