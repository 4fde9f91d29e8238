"""``cxlab report --pdf --pptx`` on the demo client: page numbers but on the cover, running header, TOC with
page numbers, draft marks, no near-empty page but at section ends, no chart wider than the text column; an
editable deck of ≥ 8 slides with pictures and no empty placeholder."""

from __future__ import annotations

import re

import nbformat
import pytest

from cxlab.report import build_report

pypdf = pytest.importorskip("pypdf")
weasyprint = pytest.importorskip("weasyprint")
pptx = pytest.importorskip("pptx")

#: the layout boxes whose bottom says how far a page is filled
CONTENT_TAGS = {"p", "li", "tr", "figure", "h2", "h3", "table", "blockquote", "article", "svg"}


@pytest.fixture(scope="module")
def built(tmp_path_factory, demo_client_dir_full):
    out = tmp_path_factory.mktemp("pdf_pptx") / "out"
    result = build_report(demo_client_dir_full, out, pdf=True, pptx=True)
    assert result.ok and result.pdf is not None and result.pptx is not None
    return result


@pytest.fixture(scope="module")
def pages(built) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(str(built.pdf)).pages]


@pytest.fixture(scope="module")
def layout(built):
    """WeasyPrint's layout of the same page the PDF was printed from."""
    from cxlab.report.pdf import pdf_html

    nb = nbformat.read(str(built.out_dir / "client_report.ipynb"), as_version=4)
    return weasyprint.HTML(string=pdf_html(nb)).render()


def test_pdf_has_page_numbers_on_every_page_but_the_cover(pages):
    total = len(pages)
    assert total >= 10
    assert not re.search(rf"\b\d+ / {total}\b", pages[0])  # the cover
    for number, text in enumerate(pages[1:], start=2):
        assert f"{number} / {total}" in text, f"page {number} has no page number"


def test_pdf_has_a_running_header_and_the_draft_mark(pages):
    for text in pages[1:]:
        assert "Distribuzioni Martelli S.p.A. · 31 ott 2026 · Documento riservato · Bozza" in text
    assert "BOZZA" in pages[0]  # the cover's stamp
    assert "PROPOSTA" in "".join(pages)  # the unreviewed recommendations' mark (upper case in print)


def test_pdf_table_of_contents_gives_each_section_its_page(pages):
    toc = pages[1]
    entries = re.findall(r"^([A-ZÀ-Ú][^\n.]+?)\s*\.{3,}\s*(\d+)\s*$", toc, re.M)
    assert len(entries) >= 8
    for title, page in entries:
        assert (
            pages[int(page) - 1].lstrip().startswith(title.strip())
            or f"\n{title.strip()}\n" in (pages[int(page) - 1])
        ), f"{title} is not on page {page}"


def _filled_share(page) -> float:
    root = page._page_box
    top, bottom = root.content_box_y(), root.content_box_y()
    for box in root.descendants():
        if getattr(box, "element_tag", None) in CONTENT_TAGS:
            bottom = max(bottom, box.position_y + box.margin_height())
    return (bottom - top) / root.height


def _starts_a_section(page) -> bool:
    return any(getattr(box, "element_tag", None) == "h2" for box in page._page_box.descendants())


def test_pdf_pages_are_filled_but_the_cover_and_section_ends(layout):
    pages = layout.pages
    for i, page in enumerate(pages[1:-1], start=1):
        if _starts_a_section(pages[i + 1]):
            continue  # a section end: the next section starts on a new page
        assert _filled_share(page) >= 0.2, f"page {i + 1} is more than 80% blank"


def test_no_chart_is_wider_than_the_text_column(layout):
    charts = 0
    for page in layout.pages[1:]:
        column = page._page_box.width
        for box in page._page_box.descendants():
            tag = str(getattr(box, "element_tag", ""))
            if tag.endswith("svg") or tag == "img":  # inline SVG (namespaced or not), or a large chart's PNG
                charts += 1
                assert box.margin_width() <= column + 0.5
    assert charts >= 15


def test_pptx_has_eight_slides_with_pictures_and_no_empty_placeholder(built):
    deck = pptx.Presentation(str(built.pptx))
    slides = list(deck.slides)
    with_pictures = [
        s for s in slides if any(sh.shape_type == 13 for sh in s.shapes)
    ]  # MSO_SHAPE_TYPE.PICTURE
    assert len(slides) >= 10 and len(with_pictures) >= 8
    for slide in slides:
        for shape in slide.placeholders:
            assert shape.has_text_frame and shape.text_frame.text.strip(), "an empty placeholder"
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        assert any(t.strip() for t in texts) or slide.shapes  # every slide says something
    # the chart slides' titles are takeaways (sentences with figures), not bare chart names
    titles = [next(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in with_pictures]
    assert sum(bool(re.search(r"\d", t)) for t in titles) >= 4
    first_text = slides[0].shapes[0].text_frame.text
    assert first_text == "Distribuzioni Martelli S.p.A."
    summary = " ".join(sh.text_frame.text for sh in slides[1].shapes if sh.has_text_frame)
    assert "Edilizia" in summary and "Sales → Logistics" in summary
    tables = [sh for s in slides for sh in s.shapes if sh.has_table]
    assert tables and 6 <= len(tables[0].table.rows) <= 9  # header + 5–8 initiatives


def test_the_warm_up_starts_once_and_is_joined_before_the_steps():
    """``cxlab report --pptx`` starts vl-convert and python-pptx while the kernel runs: once per process;
    ``wait`` joins it (write_deck calls it first). The PDF warms up in its print worker."""
    import sys

    from cxlab.report import warm

    assert warm.warm_up() is None  # no deck: nothing to start
    thread = warm.warm_up(pptx=True)
    assert thread is not None and warm.warm_up(pptx=True) is thread
    warm.wait()
    assert not thread.is_alive() and "pptx.util" in sys.modules and "vl_convert" in sys.modules
