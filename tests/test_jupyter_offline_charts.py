"""The notebooks' offline Altair renderer and chart loader (cxlab.jupyter.charts), without a browser."""

from __future__ import annotations

import re

import altair as alt
import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from cxlab.jupyter import charts
from cxlab.report.export import rerender_charts

WEB_REFERENCE = re.compile(r"<(script|link)[^>]+(src|href)=[\"']https?://")


@pytest.fixture
def chart() -> alt.Chart:
    frame = pd.DataFrame({"x": ["a", "b"], "y": [1234.5, 4.0]})
    return alt.Chart(frame).mark_bar().encode(x="x:N", y="y:Q").properties(title="Two bars")


@pytest.fixture
def notebook_renderer():
    before = alt.renderers.active
    charts.use_client_charts(lang="it")
    yield
    alt.renderers.enable(before)


def test_renderer_output_carries_its_spec_and_no_cdn(chart, notebook_renderer) -> None:
    bundle = chart._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    page = bundle["text/html"]
    assert "cdn" not in page and not WEB_REFERENCE.search(page)
    assert charts.NOTEBOOK_CHART_CLASS in page and 'aria-label="Two bars"' in page
    spec = charts.spec_from_output({"output_type": "display_data", "data": bundle})
    assert spec is not None and spec["mark"]["type"] == "bar"
    assert spec["config"]["locale"]["number"]["decimal"] == ","  # Italian numbers (lang="it")


def test_loader_is_not_a_chart_and_defines_vega_once() -> None:
    data = charts.chart_loader()._repr_mimebundle_()
    assert charts.spec_from_output({"data": data}) is None
    page = data["text/html"]
    assert "if (!window.vegaEmbed)" in page and "window.vegaEmbed=" in page
    assert not WEB_REFERENCE.search(page)


def test_the_report_rerenders_notebook_charts(chart, notebook_renderer) -> None:
    bundle = chart._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    cell = new_code_cell("chart", outputs=[new_output("display_data", data=bundle)])
    nb = new_notebook(cells=[cell])
    assert rerender_charts(nb) == 1
    assert "cx-chart-spec" in nb.cells[0].outputs[0]["data"]["text/html"]


def test_exported_page_loads_the_library_once_before_the_first_chart(chart) -> None:
    """Charts of any renderer (Altair's CDN html, a Vega-Lite mime bundle) become offline containers."""
    with alt.renderers.enable("html"):
        cdn = chart._repr_mimebundle_()
    mime = {"application/vnd.vegalite.v6+json": chart.to_dict(), "text/plain": "<VegaLite 6 object>"}
    nb = new_notebook(
        cells=[
            new_code_cell(
                "1", outputs=[new_output("execute_result", data={"text/plain": "1"}, execution_count=1)]
            ),
            new_code_cell("a", outputs=[new_output("display_data", data=cdn)]),
            new_code_cell("b", outputs=[new_output("display_data", data=mime)]),
        ]
    )
    page = charts.export_notebook_page(nbformat.from_dict(nb))
    assert not WEB_REFERENCE.search(page)
    assert page.count('class="cxlab-chart-loader"') == 1
    assert page.count(f'class="{charts.NOTEBOOK_CHART_CLASS}"') == 2
    assert page.index("cxlab-chart-loader") < page.index(f'class="{charts.NOTEBOOK_CHART_CLASS}"')


def test_exporter_stops_on_a_notebook_that_is_not_a_client_report() -> None:
    from cxlab.errors import ReportError
    from cxlab.jupyter.exporter import CxlabReportExporter

    nb = nbformat.read(
        str(charts.__file__).replace("jupyter/charts.py", "jupyter/new_engagement.ipynb"), as_version=4
    )
    nb.metadata["cxlab"] = {"template": "02_indicators"}
    with pytest.raises(ReportError, match="02_indicators template"):
        CxlabReportExporter().from_notebook_node(nb)
