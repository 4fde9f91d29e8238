"""The client report: self-contained HTML, sections, locale, escaping, failures naming the cell, browser."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from browser_support import CHROMIUM_ARGS, chromium, skip_reason
from click.testing import CliRunner

from cxlab.cli import main
from cxlab.demo import generate_demo_client
from cxlab.errors import ReportError
from cxlab.report import build_report, chart_html
from cxlab.report import html as h
from cxlab.report.export import export_notebook_html, report_meta
from cxlab.report.run import execute_template

XSS = "<script>alert(1)</script>"
SECTION_IDS = (
    "summary",
    "indicators",
    "handoffs",
    "journey",
    "segments",
    "comments",
    "culture",
    "recommendations",
    "data-quality",
    "methodology",
)


def _plant_xss(folder: Path) -> None:
    """A hostile comment on the angriest delivery complaints and a hostile client name."""
    path = folder / "data" / "risposte.csv"
    responses = pd.read_csv(path, dtype=str, keep_default_na=False)
    nps = pd.to_numeric(responses["nps"], errors="coerce")
    angry = responses.index[(nps <= 1) & responses["comment"].str.contains("consegn", case=False)][:8]
    responses.loc[angry, "comment"] = "Consegna in ritardo di due settimane, nessuno richiama " + XSS
    responses.to_csv(path, index=False)
    config_path = folder / "client.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["name"] = "Martelli <b>&</b> Figli"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory, demo_client_dir_full) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("report")
    client = Path(shutil.copytree(demo_client_dir_full, root / "client"))  # _plant_xss writes into it
    _plant_xss(client)
    result = build_report(client, root / "out")
    assert result.ok
    return result.html, root / "out"


# ------------------------------------------------------------------------------------------ units
def test_chart_html_cannot_close_its_script_element():
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": XSS,
        "data": {"values": [{"comment": XSS}]},
        "mark": "point",
    }
    snippet = chart_html(spec)
    assert snippet.count("</script>") == 1  # only the spec element's own end tag
    assert "&lt;script&gt;" in snippet  # the aria-label


def test_table_escapes_and_formats():
    frame = pd.DataFrame({"name": [XSS], "n": [1234.5]})
    out = h.table(frame, [h.Column("name", "Name"), h.Column("n", "N", lambda v: f"{v:.1f}", numeric=True)])
    assert XSS not in out and "&lt;script&gt;" in out and '<td class="num">1234.5</td>' in out


def test_section_carries_toc_metadata():
    data, meta = h.Section("x", "Title", "<p>b</p>", figures=(("NPS", "12"),))._repr_mimebundle_()
    assert 'id="x"' in data["text/html"]
    assert meta[h.SECTION_METADATA] == {
        "id": "x",
        "title": "Title",
        "figures": [{"label": "NPS", "value": "12"}],
    }


def test_report_meta_rejects_unsafe_branding():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("report.cover(ctx)")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                h.REPORT_MIMETYPE: {"colour": "red;}</style><script>", "logo": "https://example.com/logo.png"}
            },
        )
    ]
    nb.cells.append(cell)
    meta = report_meta(nb)
    assert meta["colour"] == "#1f4e79" and meta["logo"] is None


# ----------------------------------------------------------------------------------- the demo report
def test_report_is_self_contained_and_small(demo_report):
    path, _ = demo_report
    page = path.read_text(encoding="utf-8")
    assert path.stat().st_size <= 3_000_000
    assert not re.search(r"<script[^>]+src=", page, re.I)
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", page, re.I)
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", page, re.I)
    assert "@import" not in page and "@font-face" not in page
    assert not re.search(r"(src|href)=[\"']https?://", page, re.I)
    assert page.count("window.vegaEmbed=") == 1  # the vega bundle is inlined once
    assert "require.js" not in page and "mathjax" not in page.lower()


def test_report_has_every_section_and_no_code(demo_report):
    path, out = demo_report
    page = path.read_text(encoding="utf-8")
    for section in SECTION_IDS:
        assert f'<section class="cx-section" id="{section}">' in page
        assert f'href="#{section}"' in page  # table of contents
    assert "report.open_client" not in page and "from cxlab import" not in page
    assert "jp-InputArea" not in page and "highlight" not in page  # no code cells at all
    assert (out / "client_report.ipynb").is_file()  # the executed notebook is kept for audit


def test_report_attachments_are_written_to_out(demo_report):
    _, out = demo_report
    plan = pd.read_excel(out / "action_plan.xlsx")
    lists = pd.read_excel(out / "action_lists.xlsx", sheet_name=None)
    assert len(plan) >= 5 and set(lists) == {"call_back", "testimonials"}
    assert len(lists["call_back"]) > 0 and (out / "action_lists_call_back.csv").is_file()


def test_report_escapes_client_text(demo_report):
    page = demo_report[0].read_text(encoding="utf-8")
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Martelli <b>" not in page and "Martelli &lt;b&gt;&amp;&lt;/b&gt; Figli" in page


def test_report_uses_italian_formats(demo_report):
    page = demo_report[0].read_text(encoding="utf-8")
    assert '<html lang="it">' in page
    assert "Pratiche analizzate" in page and ">4.000<" in page  # 4,000 cases with the Italian separator
    # the cover date in Babel's (CLDR) medium form, unambiguous in every language: "31 ott 2026" (was
    # 31/10/2026, which an English reader takes for a month 31)
    assert re.search(r"Dati aggiornati al \d{1,2} [a-z]{3} \d{4}", page)
    assert '"locale":{"number":{"decimal":",","thousands":"."' in page  # chart axes: 1.234,5 too
    # the planted barometer drop, named with the client's own label (Edilizia, not the canonical key)
    assert "«Edilizia» (settore) ha avuto una variazione di −" in page
    assert "Impegno: medio" in page or "Impegno: basso" in page or "Impegno: alto" in page


def test_report_in_english_with_static_charts(tmp_path):
    client = generate_demo_client(tmp_path / "client", seed=3, customers=200, cases=800, language="en")
    result = build_report(client, tmp_path / "out", lang="en", static_charts=True)
    page = result.html.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Executive summary" in page
    assert "window.vegaEmbed=" not in page  # static: no JavaScript bundle
    assert page.count("<svg") >= 10 and "cx-chart-spec" not in page
    assert result.size_bytes < 1_500_000


# ------------------------------------------------------------------------------------------ failures
def test_failing_cell_is_named_and_notebook_kept(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('client_dir: str = "."  # folder', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("# the broken step\n1 / 0"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    template = tmp_path / "broken.ipynb"
    nbformat.write(nb, template)
    output = tmp_path / "out.ipynb"
    with pytest.raises(ReportError) as err:
        execute_template(template, output, {"client_dir": "x"})
    message = str(err.value)
    assert "ZeroDivisionError" in message and "1 / 0" in message and "cell " in message
    assert output.is_file()
    executed = nbformat.read(str(output), as_version=4)
    with pytest.raises(ReportError, match="never exported"):
        export_notebook_html(executed)


def test_cli_report_bad_folder_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["report", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.output.strip().count("\n") == 0


# ------------------------------------------------------------------------------------------ browser
@pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")
def test_every_chart_draws_offline(demo_report):
    from playwright.sync_api import sync_playwright

    path, _ = demo_report
    external: list[str] = []
    errors: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            request_route.continue_()
        else:
            external.append(url)
            request_route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        context = browser.new_context(offline=True)
        page = context.new_page()
        page.route("**/*", route)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_function(
            "() => [...document.querySelectorAll('figure.cx-chart')].every(f => f.querySelector('svg, canvas')"
            " || f.classList.contains('cx-chart-error'))",
            timeout=30_000,
        )
        drawn = page.eval_on_selector_all(
            "figure.cx-chart", "els => els.map(e => e.querySelectorAll('svg, canvas').length)"
        )
        failed = page.eval_on_selector_all("figure.cx-chart-error", "els => els.map(e => e.textContent)")
        browser.close()
    assert len(drawn) >= 10
    assert all(n >= 1 for n in drawn), drawn
    assert not failed and not errors
    assert external == []


def test_widget_output_degrades_to_its_static_view():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("SegmentExplorer(...)", metadata={"tags": ["report"]})
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "application/vnd.jupyter.widget-view+json": {
                    "model_id": "abc",
                    "version_major": 2,
                    "version_minor": 0,
                },
                "text/html": "<table><tr><td>Premium: 77</td></tr></table>",
                "text/plain": "SegmentExplorer()",
            },
        )
    ]
    nb.cells.append(cell)
    page = export_notebook_html(nb)
    assert "<table><tr><td>Premium: 77</td></tr></table>" in page  # the static view, not an empty box
    assert "widget-view" not in page and "jupyter-widgets" not in page


def test_report_shows_only_accepted_recommendations_when_unreviewed_hidden(tmp_path):
    from cxlab.report import open_client
    from cxlab.report.sections import executive_summary, recommendations_section
    from cxlab.report.story import client_words

    client = generate_demo_client(tmp_path / "client", seed=7, customers=200, cases=800)
    ctx = open_client(client)
    proposed = [r.id for r in ctx.review.proposed]
    assert len(proposed) >= 3
    (client / "recommendations.yaml").write_text(
        "unreviewed: hide\n"
        f"recommendations:\n  {proposed[1]}:\n    status: accepted\n  {proposed[0]}:\n    status: rejected\n",
        encoding="utf-8",
    )
    ctx = open_client(client)
    section = recommendations_section(ctx)
    assert section.html().count('<span class="cx-draft-tag">') == 0  # the accepted one is no proposal
    assert section.html().count("<li><strong>") == 1
    assert dict(section.counts)["pending"] == len(proposed) - 2
    accepted = next(r for r in ctx.review.recommendations if r.id == proposed[1])
    title = client_words(ctx, accepted.title.get("it"))  # in the client's own labels
    assert title in executive_summary(ctx).html().replace("&#x27;", "'")
