"""Charts in the client report: one HTML snippet per chart, drawn offline.

Interactive mode (the default) writes a ``<div class="cx-chart">`` holding the Vega-Lite spec as JSON;
the report page inlines the Vega bundle of vl-convert **once** and draws every container with
``window.vegaEmbed`` (see ``templates/nbconvert/cxlab_report``). Static mode renders SVG with vl-convert
for e-mail bodies and archives. Both forms are the output of the ``cxlab_report`` Altair renderer, so a
chart shown in a notebook cell and a chart placed by a report section come out the same way.
"""

from __future__ import annotations

import functools
import html
import json
import os
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert

from ..charts.theme import use_brand, with_locale
from ..config import Branding
from ..intake.write import write_text

RENDERER_NAME = "cxlab_report"
CHART_CLASS = "cx-chart"


def _json_for_script(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script>`` or ``<!--`` can close it early."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def as_spec(chart: alt.TopLevelMixin | dict[str, Any]) -> dict[str, Any]:
    """The Vega-Lite spec (a dict) of an Altair chart; dicts pass through.

    Not validated against the Vega-Lite schema again here: that costs ~0.1 s per chart, and every chart
    builder's spec is validated in its own tests."""
    return chart if isinstance(chart, dict) else chart.to_dict(validate=False)


def _title_text(spec: dict[str, Any]) -> str:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    return str(title or "")


def chart_html(chart: alt.TopLevelMixin | dict[str, Any], static: bool = False, lang: str = "en") -> str:
    """The report snippet of one chart: a container the page script draws, or an inline SVG; numbers and
    dates on axes and tooltips follow ``lang`` (Italian ``1.234,5``)."""
    spec = with_locale(as_spec(chart), lang)
    label = html.escape(_title_text(spec), quote=True)
    if static:
        svg = vl_convert.vegalite_to_svg(spec)
        return f'<figure class="{CHART_CLASS} cx-static" role="img" aria-label="{label}">{svg}</figure>'
    return (
        f'<figure class="{CHART_CLASS}" aria-label="{label}">'
        f'<div class="cx-chart-view"></div>'
        f'<script type="application/json" class="cx-chart-spec">{_json_for_script(spec)}</script>'
        "</figure>"
    )


def _render(spec: dict[str, Any], static: bool = False, lang: str = "en", **_meta: Any) -> dict[str, str]:
    return {"text/html": chart_html(spec, static=static, lang=lang)}


def use_report_renderer(static: bool = False, lang: str = "en", branding: Branding | None = None) -> None:
    """Register and enable the report's Altair renderer for this process (a report run's kernel), and the
    chart theme in the client's brand colours (the default brand when ``branding`` is None: a warm
    kernel never keeps the previous client's colours)."""
    alt.renderers.register(RENDERER_NAME, _render)
    alt.renderers.enable(RENDERER_NAME, static=static, lang=lang)
    use_brand(branding or Branding())


def _cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "cxlab"


@functools.lru_cache(maxsize=1)
def vega_bundle() -> str:
    """The Vega + Vega-Lite + vega-embed bundle of vl-convert (≈0.9 MB), defining ``window.vegaEmbed``.

    Building it takes vl-convert ~2 s, so it is cached in memory and in the user's cache folder, keyed by
    the vl-convert version (a cache that cannot be written is simply skipped).
    """
    version = getattr(vl_convert, "__version__", "unknown")
    cached = _cache_dir() / f"vega-bundle-{version}.js"
    try:
        return cached.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vl_convert.javascript_bundle()  # type: ignore[call-arg]  # the stub omits snippet's default
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_text(cached, bundle)
    except OSError:
        pass
    return bundle
