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
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..charts.theme import use_brand
from ..config import Branding

VEGALITE_MIME = re.compile(r"^application/vnd\.vegalite\.v\d+[.+]json$")
# Altair's html template ends with `})(SPEC, EMBED_OPTIONS);` (see altair/utils/html.py)
_ALTAIR_CALL = re.compile(r"\}\)\(\s*(?=\{)")
_ALTAIR_MARKERS = ("vegaEmbed", "vega-lite")


def spec_from_output(output: dict[str, Any]) -> dict[str, Any] | None:
    """The Vega-Lite spec of one display output, or None when it is not an Altair chart."""
    data = output.get("data") or {}
    for mime, value in data.items():
        if VEGALITE_MIME.match(mime):
            return json.loads(value) if isinstance(value, str) else dict(value)
    html = data.get("text/html")
    if isinstance(html, list):
        html = "".join(html)
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


def use_client_charts(branding: Branding | None = None) -> str:
    """Draw this kernel's charts from now on in the cxlab theme with the client's brand colours
    (``client.config.branding``; the default brand when None); the theme's name."""
    return use_brand(branding or Branding())
