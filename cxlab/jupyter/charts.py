"""Charts in JupyterLab: the client's chart theme, and the Altair charts found back in a notebook run
interactively, whatever renderer drew them.

:func:`use_client_charts` enables the chart theme in the client's brand colours for the notebook's
kernel: the theme goes into each chart's spec (``config``), so it travels with whichever renderer draws the
chart and into the report's re-rendered form below.

A notebook run in JupyterLab keeps its charts in the form of the renderer active there: a Vega-Lite mime
bundle (renderers ``mimetype`` / ``jupyterlab``) or Altair's ``default`` / ``html`` HTML, which loads
vega from a CDN. The client report must not fetch anything, so the report's export
(:func:`cxlab.report.export.rerender_charts`, used by ``cxlab report`` and by the ``client_report``
exporter alike) takes the spec back out of either form here and draws it with the report's own renderer.

**Offline.** Altair 6's own renderers load Vega from a CDN, and JupyterLab 4's built-in Vega renderer
does not read Vega-Lite 6: without internet no chart draws. :func:`use_client_charts` therefore enables
the ``cxlab_notebook`` renderer and displays, once, :func:`chart_loader`: the Vega + Vega-Lite +
vega-embed bundle of vl-convert (shipped in the ``vl-convert-python`` wheel, cached by
:func:`cxlab.report.charts.vega_bundle`) and a small script that draws every chart container of the page
with it — the charts of this notebook, of a notebook exported to HTML (``jupyter nbconvert --to html``,
:func:`export_notebook_page`) and the report's own containers (``figure.cx-chart``) in the client-report
notebook. Nothing is fetched: the page draws with the network off.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import altair as alt

from ..charts.theme import use_brand, with_locale
from ..config import Branding

VEGALITE_MIME = re.compile(r"^application/vnd\.vegalite\.v\d+[.+]json$")
# Altair's html template ends with `})(SPEC, EMBED_OPTIONS);` (see altair/utils/html.py)
_ALTAIR_CALL = re.compile(r"\}\)\(\s*(?=\{)")
_ALTAIR_MARKERS = ("vegaEmbed", "vega-lite")


#: the Altair renderer of notebooks (JupyterLab and exported notebooks): offline, see the module docstring
NOTEBOOK_RENDERER = "cxlab_notebook"
#: the class of a notebook chart's container; the report's containers are ``figure.cx-chart``
NOTEBOOK_CHART_CLASS = "cxlab-nb-chart"
#: the class of the chart loader's output (:func:`chart_loader`)
LOADER_CLASS = "cxlab-chart-loader"
_NB_SPEC = re.compile(r'<script type="application/json" class="cxlab-nb-chart-spec">(.*?)</script>', re.S)
#: draws every chart container of the page that is not drawn yet (idempotent), then watches the page
#: for new ones (JupyterLab adds outputs as cells run; a static page is parsed after this script)
_DRAW_SCRIPT = """
(function () {
  var selector = "div.cxlab-nb-chart:not([data-cxlab-drawn]), figure.cx-chart:not([data-cxlab-drawn])";
  function draw() {
    if (!window.vegaEmbed) { return; }
    document.querySelectorAll(selector).forEach(function (box) {
      var source = box.querySelector("script.cxlab-nb-chart-spec, script.cx-chart-spec");
      var view = box.querySelector(".cxlab-nb-chart-view, .cx-chart-view");
      if (!source || !view) { return; }
      box.setAttribute("data-cxlab-drawn", "1");
      function fail(err) { view.textContent = "Chart error: " + err; box.classList.add("cx-chart-error"); }
      try {
        window.vegaEmbed(view, JSON.parse(source.textContent), { actions: false, renderer: "svg" }).catch(fail);
      } catch (err) { fail(err); }
    });
  }
  window.cxlabDrawCharts = draw;
  if (!window.cxlabChartObserver && window.MutationObserver) {
    var pending = false;
    window.cxlabChartObserver = new MutationObserver(function () {
      if (pending) { return; }
      pending = true;
      setTimeout(function () { pending = false; draw(); }, 0);
    });
    window.cxlabChartObserver.observe(document.documentElement, { childList: true, subtree: true });
  }
  document.addEventListener("DOMContentLoaded", draw);
  draw();
})();
"""


def _json_for_script(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script>`` or ``<!--`` can close it early."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _script_text(js: str) -> str:
    """JavaScript safe inside a ``<script>`` element."""
    return js.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def notebook_chart_html(spec: dict[str, Any], lang: str | None = "en") -> str:
    """One chart as a notebook output: a container holding its spec, drawn by :func:`chart_loader`'s
    script, and a call to that script (a chart shown after the loader draws at once). Numbers and dates
    follow ``lang``; None keeps the spec's own locale."""
    if lang is not None:
        spec = with_locale(spec, lang)
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    label = html.escape(str(title or ""), quote=True)
    return (
        f'<div class="{NOTEBOOK_CHART_CLASS}" role="figure" aria-label="{label}">'
        '<div class="cxlab-nb-chart-view"></div>'
        f'<script type="application/json" class="cxlab-nb-chart-spec">{_json_for_script(spec)}</script>'
        "</div><script>window.cxlabDrawCharts && window.cxlabDrawCharts();</script>"
    )


def _render(spec: dict[str, Any], lang: str = "en", **_meta: Any) -> dict[str, str]:
    title = spec.get("title")
    plain = f"<cxlab chart{': ' + str(title) if isinstance(title, str) else ''}>"
    return {"text/html": notebook_chart_html(spec, lang=lang), "text/plain": plain}


def loader_html() -> str:
    """The vega bundle (defined once per page: the bundle's top-level names are wrapped in a function so
    a second run does not clash) and the drawing script, as one HTML fragment."""
    from ..report.charts import vega_bundle  # ≈0.9 MB, cached; the report package is loaded by then

    bundle = _script_text(vega_bundle())
    return (
        f'<div class="{LOADER_CLASS}" hidden></div>'
        f"<script>if (!window.vegaEmbed) {{ (function () {{ {bundle}\n}}).call(window); }}</script>"
        f"<script>{_DRAW_SCRIPT}</script>"
    )


class ChartLoader:
    """Displays the offline chart library once (see :func:`chart_loader`)."""

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": loader_html(), "text/plain": "<cxlab offline charts: Vega bundled>"}


def chart_loader() -> ChartLoader:
    """A displayable object that loads the bundled Vega library into the page and draws every cxlab
    chart container in it, now and later; display it once per notebook (:func:`use_client_charts` does)."""
    return ChartLoader()


def enable_notebook_renderer(lang: str = "en") -> None:
    """Draw this kernel's Altair charts as offline notebook containers (numbers in ``lang``)."""
    alt.renderers.register(NOTEBOOK_RENDERER, _render)
    alt.renderers.enable(NOTEBOOK_RENDERER, lang=lang)


def spec_from_output(output: dict[str, Any]) -> dict[str, Any] | None:
    """The Vega-Lite spec of one display output, or None when it is not an Altair chart."""
    data = output.get("data") or {}
    for mime, value in data.items():
        if VEGALITE_MIME.match(mime):
            return json.loads(value) if isinstance(value, str) else dict(value)
    html = data.get("text/html")
    if isinstance(html, list):
        html = "".join(html)
    if isinstance(html, str) and LOADER_CLASS in html:
        return None  # the chart loader carries the Vega library, not a chart
    if isinstance(html, str) and NOTEBOOK_CHART_CLASS in html:
        found = _NB_SPEC.search(html)
        if found:
            spec = json.loads(found.group(1))
            return spec if isinstance(spec, dict) else None
    if not isinstance(html, str) or not all(m in html for m in _ALTAIR_MARKERS):
        return None
    for match in _ALTAIR_CALL.finditer(html):
        try:
            spec, _ = json.JSONDecoder().raw_decode(html, match.end())
        except ValueError:
            continue
        if isinstance(spec, dict) and "$schema" in spec and "vega-lite" in str(spec["$schema"]):
            return spec
    return None


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def use_client_charts(branding: Branding | None = None, lang: str = "en", offline: bool = True) -> str:
    """Draw this kernel's charts from now on in the cxlab theme with the client's brand colours
    (``client.config.branding``; the default brand when None), numbers and dates in ``lang``; the
    theme's name.

    With ``offline`` (the default) the charts are drawn by the bundled Vega library, and in a Jupyter
    kernel the library is displayed here, once (:func:`chart_loader`): no chart needs the internet.
    """
    name = use_brand(branding or Branding())
    if offline:
        enable_notebook_renderer(lang)
        if _in_kernel():
            from IPython.display import display

            display(chart_loader())
    return name


#: the nbconvert template of notebooks exported as web pages (``templates/nbconvert/cxlab_notebook``)
NOTEBOOK_TEMPLATE = "cxlab_notebook"


def export_notebook_page(nb: Any) -> str:
    """An executed notebook as one web page (code, outputs, narrative) whose charts draw offline.

    Charts drawn by another renderer (Altair's CDN ``html`` form, a Vega-Lite mime bundle, the report's
    containers) are turned into notebook containers, and the chart loader is put before the first one
    when the notebook has none, so every chart of the page draws without the network.
    """
    import copy

    import nbformat
    from nbconvert.exporters import HTMLExporter

    from ..resources import shipped

    nb = copy.deepcopy(nb)
    has_loader = False
    first_chart: tuple[Any, int] | None = None
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        for index, output in enumerate(outputs):
            if output.get("output_type") not in ("display_data", "execute_result"):
                continue
            data = output.get("data") or {}
            page = data.get("text/html", "")
            page = page if isinstance(page, str) else "".join(page)
            if LOADER_CLASS in page:
                has_loader = True
                continue
            spec = spec_from_output(output) or _report_spec(page)
            if spec is None:
                continue
            if NOTEBOOK_CHART_CLASS not in page:
                output["data"] = {"text/html": notebook_chart_html(spec, lang=None)}
            if first_chart is None:
                first_chart = (outputs, index)
    if first_chart is not None and not has_loader:
        outputs, index = first_chart
        loader = {"output_type": "display_data", "metadata": {}, "data": ChartLoader()._repr_mimebundle_()}
        outputs.insert(index, nbformat.from_dict(loader))
    exporter = HTMLExporter(
        template_name=NOTEBOOK_TEMPLATE,
        extra_template_basedirs=[str(shipped("templates") / "nbconvert")],
    )
    body, _ = exporter.from_notebook_node(nb)
    return str(body)


_REPORT_SPEC = re.compile(r'<script type="application/json" class="cx-chart-spec">(.*?)</script>', re.S)


def _report_spec(page: str) -> dict[str, Any] | None:
    """The spec of a chart in the report's form (``figure.cx-chart``), or None."""
    found = _REPORT_SPEC.search(page) if "cx-chart" in page else None
    if not found:
        return None
    spec = json.loads(found.group(1))
    return spec if isinstance(spec, dict) else None
