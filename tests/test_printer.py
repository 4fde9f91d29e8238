"""The PDF's charts drawn while the kernel runs (issue 21, "PDF adds ≤ 5 s"): the print worker
draws exactly what the PDF step would draw itself, and a worker that fails or dies costs nothing but time."""

from __future__ import annotations

import html
import io
import json
import time

import nbformat
import pytest

from cxlab.report import pdf, printer
from cxlab.report.printer import PrintWorker, chart_image

vl_convert = pytest.importorskip("vl_convert")


def _spec(rows: int, title: str) -> str:
    return json.dumps(
        {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "title": title,
            "datasets": {"d": [{"x": i, "y": i % 7} for i in range(rows)]},
            "data": {"name": "d"},
            "mark": "point",
            "encoding": {
                "x": {"field": "x", "type": "quantitative"},
                "y": {"field": "y", "type": "quantitative"},
            },
        }
    )


def _figure(spec_json: str, attrs: str = ' data-chart="c"') -> str:
    return (
        f'<figure class="cx-chart"{attrs}><div class="cx-chart-view"></div>'
        f'<script type="application/json" class="cx-chart-spec">{spec_json}</script></figure>'
    )


def _cell(*figures: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("report.section(ctx)")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": "<section>" + "".join(figures) + "</section>"}
        )
    ]
    return cell


def _wait(worker: PrintWorker, spec_json: str, seconds: float = 60) -> None:
    drawn = worker._drawn[spec_json]
    end = time.monotonic() + seconds
    while not drawn.done() and time.monotonic() < end:
        time.sleep(0.05)
    assert drawn.done(), "the worker drew nothing in a minute"


def test_the_worker_draws_what_the_pdf_step_would(monkeypatch):
    small, large = _spec(12, "small"), _spec(printer.MAX_SVG_ROWS + 1, "large")
    expected = {spec: chart_image(spec) for spec in (small, large)}
    with PrintWorker() as worker:
        worker.on_cell_executed(_cell(_figure(small), _figure(large)))
        for spec in (small, large):
            _wait(worker, spec)

        # from here on this process cannot draw: the images must be the worker's
        def cannot_draw(spec_json: str) -> str:
            raise AssertionError("drawn in the parent")

        monkeypatch.setattr(printer, "chart_image", cannot_draw)
        for spec in (small, large):
            assert worker.image(spec) == expected[spec]
    assert expected[small].startswith('<img class="cx-chart-svg" src="data:image/svg+xml;base64,')
    assert expected[large].startswith('<img class="cx-chart-png" src="data:image/png;base64,')


def test_static_notebook_replaces_each_figure_keeping_its_attributes():
    small = _spec(5, "a")
    nb = nbformat.v4.new_notebook(cells=[_cell("<p>before</p>", _figure(small, ' id="f1"'))])
    with PrintWorker() as worker:
        worker.on_cell_executed(nb.cells[0])
        static = pdf.static_notebook(nb, worker)
    page = static.cells[0].outputs[0]["data"]["text/html"]
    assert page == (
        '<section><p>before</p><figure class="cx-chart cx-static" id="f1">'
        + chart_image(small)
        + "</figure></section>"
    )
    assert (
        "cx-chart-spec" in nb.cells[0].outputs[0]["data"]["text/html"]
    )  # the executed notebook is untouched


def test_a_dead_worker_leaves_the_charts_to_the_pdf_step():
    spec = _spec(8, "after the worker died")
    with PrintWorker() as worker:
        assert worker._worker is not None
        worker._worker.kill()
        worker._worker.wait()
        worker.submit(spec)
        assert worker.image(spec) == chart_image(spec)


def test_a_chart_vl_convert_cannot_draw_fails_in_the_pdf_step_with_vl_converts_error():
    broken = json.dumps({"mark": "bar", "encoding": {"x": {"field": "a", "type": "no such type"}}})
    with PrintWorker() as worker:
        worker.submit(broken)
        _wait(worker, broken)
        with pytest.raises(Exception) as raised:
            worker.image(broken)
    with pytest.raises(Exception) as direct:
        chart_image(broken)
    assert type(raised.value) is type(direct.value) and str(raised.value) == str(direct.value)


def test_figures_in_escaped_or_foreign_html_are_left_alone():
    """Only the report's own chart markup is printed: an escaped figure (a code listing) is text."""
    listing = html.escape(_figure(_spec(3, "listing")))
    assert list(printer.chart_specs(listing)) == []


def test_the_worker_lays_out_the_pdf_and_this_process_only_when_it_cannot(monkeypatch):
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    page = "<html><body><h1>Relazione per Rossi &amp; C.</h1><p>NPS caldo −12</p></body></html>"

    def cannot_lay_out(text: str) -> bytes:
        raise AssertionError("laid out in the parent")

    with PrintWorker() as worker:
        monkeypatch.setattr(printer, "pdf_bytes", cannot_lay_out)
        data = worker.submit_pdf(page)()
    monkeypatch.undo()
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Relazione per Rossi & C." in text and "NPS caldo −12" in text

    with PrintWorker() as worker:  # a worker that died: the PDF is laid out here
        assert worker._worker is not None
        worker._worker.kill()
        worker._worker.wait()
        data = worker.submit_pdf(page)()
    assert "Relazione per Rossi & C." in pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
