"""The report's charts as images for print (PDF), drawn by vl-convert while the kernel still runs.

vl-convert draws one chart in ~0.1 s and holds the GIL while it does: the ~20 charts of a report cost
~2 s. Drawn after the kernel, that time adds to every ``--pdf``; drawn in a thread of the waiting process,
it would stall the event loop that talks to the kernel. So :class:`ChartPrinter` draws them in a process
of its own (the second core, idle while the kernel computes) as soon as each cell's outputs arrive
(nbclient's ``on_cell_executed`` hook); the PDF step then collects images that are already drawn.

This module is imported in that process: it needs vl-convert and the standard library only.
"""

from __future__ import annotations

import base64
import json
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

#: a report chart as the report page carries it: an empty view and its Vega-Lite spec as JSON
CHART_FIGURE = re.compile(
    r'<figure class="cx-chart"(?P<attrs>[^>]*)>\s*<div class="cx-chart-view"></div>\s*'
    r'<script type="application/json" class="cx-chart-spec">(?P<spec>.*?)</script>\s*</figure>',
    re.S,
)

#: charts drawing more data rows than this are printed as PNG (WeasyPrint draws a large SVG slowly: the
#: 600-point value scatter alone costs seconds); the others stay vector
MAX_SVG_ROWS = 300
#: pixels per CSS pixel of those PNGs (2 = about 190 dpi at the printed size)
PNG_SCALE = 2

#: a tiny chart whose conversion starts vl-convert's JavaScript runtime
WARM_UP_SPEC: dict[str, Any] = {
    "data": {"values": [{"a": 1}]},
    "mark": "bar",
    "encoding": {"x": {"field": "a", "type": "quantitative"}},
}


def data_rows(spec: dict[str, Any]) -> int:
    """The data rows a Vega-Lite spec draws (its inline ``datasets``)."""
    datasets = spec.get("datasets") or {}
    return sum(len(rows) for rows in datasets.values() if isinstance(rows, list))


def chart_image(spec_json: str) -> str:
    """The ``<img>`` that prints the chart of ``spec_json`` (the JSON text of a Vega-Lite spec)."""
    import vl_convert  # the Rust renderer shipped with vl-convert-python; no browser, no network

    spec = json.loads(spec_json)
    if data_rows(spec) > MAX_SVG_ROWS:
        png = bytes(vl_convert.vegalite_to_png(spec, scale=PNG_SCALE))
        width = int.from_bytes(png[16:20], "big") / PNG_SCALE  # IHDR: the width in pixels
        data = base64.b64encode(png).decode("ascii")
        return f'<img class="cx-chart-png" src="data:image/png;base64,{data}" style="width: {width:.0f}px" alt="">'
    # the SVG as an image, not inline: WeasyPrint then parses it apart (ElementTree) instead of running its
    # HTML parser and the page's CSS cascade over the ~3,000 nodes of the charts; still vector and
    # searchable in the PDF
    svg = vl_convert.vegalite_to_svg(spec).encode("utf-8")
    data = base64.b64encode(svg).decode("ascii")
    return f'<img class="cx-chart-svg" src="data:image/svg+xml;base64,{data}" alt="">'


def chart_specs(html: str) -> Iterator[str]:
    """The spec JSON texts of the report charts in an output's HTML."""
    if "cx-chart-spec" in html:
        for match in CHART_FIGURE.finditer(html):
            yield match.group("spec")


def _warm_up() -> None:
    import vl_convert

    vl_convert.vegalite_to_svg(WARM_UP_SPEC)


def output_html(output: dict[str, Any]) -> str:
    """The ``text/html`` of a notebook output ('' when it has none)."""
    value = (output.get("data") or {}).get("text/html")
    if value is None:
        return ""
    return value if isinstance(value, str) else "".join(value)


class ChartPrinter:
    """Draws report charts in a worker process while the kernel runs; :meth:`image` collects them.

    Hand :meth:`on_cell_executed` to nbclient (papermill passes it through). The worker is
    ``python -m cxlab.report.static_charts`` reading one JSON line per chart and answering one per chart;
    not a multiprocessing pool, whose spawned workers re-run the caller's main module (a user's script
    calling ``build_report`` without a ``__main__`` guard would run twice). Charts that never reached the
    worker, or that it failed on, are drawn on demand by :meth:`image` in this process, so an error
    surfaces there, in the PDF step, as it did before the printer existed.
    """

    def __init__(self) -> None:
        self._drawn: dict[str, Future[str]] = {}
        self._order: list[Future[str]] = []  # futures by request number: the worker answers in order
        self._lock = threading.Lock()
        self._requests: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        try:
            self._worker: subprocess.Popen[str] | None = subprocess.Popen(
                [sys.executable, "-m", __name__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
            )
        except OSError:  # no process to be had: image() draws every chart here
            self._worker = None
            return
        # a writer thread, so the kernel client's event loop never blocks on a full pipe, and a reader
        # thread resolving the futures
        threading.Thread(target=self._write, daemon=True, name="cxlab-chart-printer-in").start()
        threading.Thread(target=self._read, daemon=True, name="cxlab-chart-printer-out").start()

    def _write(self) -> None:
        assert self._worker is not None and self._worker.stdin is not None
        stdin = self._worker.stdin
        try:
            while (spec_json := self._requests.get()) is not None:
                stdin.write(json.dumps(spec_json) + "\n")
                stdin.flush()
            stdin.close()
        except OSError:  # the worker is gone: the reader fails what is pending
            pass

    def _read(self) -> None:
        assert self._worker is not None and self._worker.stdout is not None
        answered = 0
        for line in self._worker.stdout:
            with self._lock:
                future = self._order[answered]
            answered += 1
            answer = json.loads(line)
            if "image" in answer:
                future.set_result(answer["image"])
            else:
                future.set_exception(RuntimeError(answer.get("error", "the chart printer failed")))
        with self._lock:  # the worker ended (closed, killed): whatever it did not answer is drawn here
            pending = self._order[answered:]
        for future in pending:
            if not future.done():
                future.set_exception(RuntimeError("the chart printer stopped"))

    def submit(self, spec_json: str) -> None:
        """Start drawing a chart (once per spec)."""
        if self._worker is None:
            return
        with self._lock:
            if spec_json in self._drawn:
                return
            future: Future[str] = Future()
            self._drawn[spec_json] = future
            self._order.append(future)
        self._requests.put(spec_json)

    def on_cell_executed(self, cell: Any, **_: Any) -> None:
        """nbclient's hook: each chart of the executed cell starts drawing at once."""
        for output in cell.get("outputs", []):
            for spec_json in chart_specs(output_html(output)):
                self.submit(spec_json)

    def image(self, spec_json: str) -> str:
        """The chart's ``<img>``: the worker's when it drew it, drawn here otherwise."""
        with self._lock:
            drawn = self._drawn.get(spec_json)
        if drawn is not None:
            try:
                return drawn.result()
            except RuntimeError:  # the worker failed or stopped: drawn here (the same error, if any)
                pass
        return chart_image(spec_json)

    def close(self) -> None:
        """Stop the worker (it finishes the chart in hand; the rest are dropped)."""
        if self._worker is not None:
            self._requests.put(None)
            self._worker.kill()
            self._worker.wait()
            self._worker = None

    def __enter__(self) -> ChartPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve() -> None:
    """The worker: one JSON line in (a spec's JSON text), one out (its image, or the error)."""
    _warm_up()
    for line in sys.stdin:
        try:
            answer = {"image": chart_image(json.loads(line))}
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which draws that chart itself
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve()
