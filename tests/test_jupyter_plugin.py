"""The Jupyter plugin without a browser: exporter registration, chart extraction, the New engagement template."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import altair as alt
import nbformat
import pandas as pd
import pytest

from cxlab.jupyter.charts import spec_from_output

REPO = Path(__file__).resolve().parents[1]
WEB_REFERENCE = re.compile(r"<(script|link)[^>]+(src|href)=[\"']https?://")


def test_exporter_is_registered_under_client_report():
    from nbconvert.exporters import get_export_names, get_exporter

    from cxlab.jupyter.exporter import EXPORTER_NAME, CxlabReportExporter

    assert EXPORTER_NAME == "client_report" and EXPORTER_NAME in get_export_names()
    assert get_exporter(EXPORTER_NAME) is CxlabReportExporter
    assert CxlabReportExporter.export_from_notebook == "CX client report"
    assert CxlabReportExporter.output_mimetype == "text/html"
    assert CxlabReportExporter().file_extension == ".html"


def test_listing_the_exporter_stays_light():
    """The server instantiates every exporter to build JupyterLab's export menu: ours loads no report code."""
    script = (
        "import sys\n"
        "from nbconvert.exporters import get_exporter\n"
        "get_exporter('client_report')()\n"
        "print(sorted(m for m in ('cxlab.report', 'pandas', 'altair') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_menu_label_reads_well():
    """The server's export URL accepts only ``/nbconvert/(?P<format>\\w+)/...`` names, and JupyterLab
    would show ``name[0].toLocaleUpperCase() + name.slice(1)``: cxlab's JupyterLab extension relabels the
    entry of this name (tests/test_lab_export_menu_browser.py checks the menu)."""
    import re

    from jupyter_server.nbconvert.handlers import _format_regex

    from cxlab.jupyter.exporter import EXPORTER_NAME

    assert re.fullmatch(_format_regex, EXPORTER_NAME)
    # the format the extension relabels, in the built code the wheel ships
    static = REPO / "cxlab" / "jupyter" / "labextension" / "static"
    built = "".join(p.read_text(encoding="utf-8") for p in static.glob("*.js"))
    assert f'"{EXPORTER_NAME}"' in built and '"cxlab client report"' in built


@pytest.fixture
def chart() -> alt.Chart:
    return alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_bar().encode(x="x:O", y="y:Q")


def test_spec_from_altair_html_output(chart):
    with alt.renderers.enable("html"):
        bundle = chart._repr_mimebundle_()
    assert "cdn.jsdelivr.net" in bundle["text/html"]  # the form that must not reach the client
    assert spec_from_output({"output_type": "display_data", "data": bundle}) == chart.to_dict()


def test_spec_from_vegalite_mime_output(chart):
    spec = chart.to_dict()
    for mime in ("application/vnd.vegalite.v6.json", "application/vnd.vegalite.v5+json"):
        assert spec_from_output({"data": {mime: spec, "text/plain": "<VegaLite 6 object>"}}) == spec
        assert spec_from_output({"data": {mime: json.dumps(spec)}}) == spec


def test_non_chart_outputs_are_left_alone():
    assert spec_from_output({"data": {"text/html": "<table><tr><td>vega-lite</td></tr></table>"}}) is None
    assert spec_from_output({"data": {"text/plain": "42"}}) is None
    assert spec_from_output({"output_type": "stream", "text": "hello"}) is None
    broken = "<div>vegaEmbed vega-lite</div><script>})({not json}, {});</script>"
    assert spec_from_output({"data": {"text/html": broken}}) is None


def test_new_engagement_template_creates_the_folder(tmp_path):
    """The launcher's *New engagement* notebook does what `cxlab new` does, next to itself."""
    from nbclient import NotebookClient

    nb = nbformat.read(REPO / "cxlab" / "jupyter" / "new_engagement.ipynb", as_version=4)
    (params,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert 'name: str = "acme"' in params.source  # papermill-style `name: type = default  # help`
    params.source = params.source.replace('"acme"', '"rossi"').replace('"it"', '"en"')
    NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    folder = tmp_path / "rossi"
    assert (folder / "data" / "README.md").is_file()
    assert (folder / "recommendations.yaml").is_file()
    assert "language: en" in (folder / "client.yaml").read_text(encoding="utf-8")
    shipped = sorted(p.name for p in (REPO / "templates" / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in (folder / "notebooks").glob("*.ipynb")) == shipped
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "engagement created in" in printed


def _notebook(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def test_rerender_charts_replaces_only_charts(chart):
    """Charts drawn by JupyterLab's renderers become the report's self-contained form; nothing else moves."""
    from cxlab.report.charts import CHART_CLASS
    from cxlab.report.export import rerender_charts

    with alt.renderers.enable("html"):
        html_chart = nbformat.v4.new_output("display_data", data=chart._repr_mimebundle_())
    mime_chart = nbformat.from_dict(
        {
            "output_type": "execute_result",
            "data": {"application/vnd.vegalite.v6.json": chart.to_dict()},
            "metadata": {},
            "execution_count": 2,
        }
    )
    table = nbformat.v4.new_output("display_data", data={"text/html": "<table></table>"})
    cell = nbformat.v4.new_code_cell("chart")
    cell.outputs = [html_chart, table, mime_chart]
    nb = _notebook(cell)
    assert rerender_charts(nb) == 2
    first, second, third = (o["data"]["text/html"] for o in cell.outputs)
    assert second == "<table></table>"
    assert CHART_CLASS in first and CHART_CLASS in third
    assert not WEB_REFERENCE.search(first + third)
    assert rerender_charts(nb) == 0  # already the report's form


REPORT_SECTIONS = ("summary", "handoffs", "recommendations")


def check_client_report(html: str, client_name: str) -> None:
    """The client report: cover with the client's name, the report's sections, no code, nothing fetched."""
    assert re.search(
        r'<header class="cx-cover">\s*(<[^>]+>[^<]*</[^>]+>\s*)*<h1>' + re.escape(client_name), html
    )
    for section in REPORT_SECTIONS:
        assert re.search(rf'<section[^>]* id="{section}"', html), section
    assert not WEB_REFERENCE.search(html)
    assert "jp-InputArea" not in html and "from cxlab" not in html  # no code in the client report


@pytest.mark.slow
def test_nbconvert_to_client_report(tmp_path):
    """client_report.ipynb executed on the demo client (as `cxlab report` runs it), then
    `jupyter nbconvert --to client_report`: the client report, the very page `cxlab report` writes."""
    from cxlab.config import load_config
    from cxlab.demo import generate_demo_client
    from cxlab.report.export import export_notebook_html
    from cxlab.report.run import REPORT_TEMPLATE, execute_template, template_path

    client = generate_demo_client(tmp_path / "demo", seed=7, language="en")
    run = tmp_path / "client_report.ipynb"
    params = {"client_dir": str(client), "lang": "en", "static_charts": False}
    execute_template(template_path(REPORT_TEMPLATE), run, params, cwd=tmp_path)
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "client_report", run.name],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    html = run.with_suffix(".html").read_text(encoding="utf-8")
    check_client_report(html, load_config(client).name)
    assert html == export_notebook_html(nbformat.read(run, as_version=4))


def test_a_failed_notebook_is_not_exported():
    from nbconvert.exporters import get_exporter

    from cxlab.errors import ReportError

    cell = nbformat.v4.new_code_cell("1 / 0", metadata={"tags": ["report"]})
    cell.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero")]
    with pytest.raises(ReportError, match="ZeroDivisionError"):
        get_exporter("client_report")().from_notebook_node(_notebook(cell))
