"""The report's print worker: its charts as images, drawn by vl-convert while the kernel still runs, and
the PDF, laid out by WeasyPrint, in a process of its own.

vl-convert draws one chart in ~0.1 s and holds the GIL while it does: the ~20 charts of a report cost
~2 s; importing WeasyPrint costs ~1.5 s more. Done after the kernel, that time added to every ``--pdf``;
done in a thread of the waiting process, it stalled the event loop that talks to the kernel (a slower
run). So :class:`PrintWorker` starts a process (the second core, idle while the kernel computes) that
warms both up, draws each chart as soon as its cell's outputs arrive (nbclient's ``on_cell_executed``
hook), and at the end lays out the PDF from the page it is sent, while this process may write the deck.

This module is imported in that process: it needs vl-convert, WeasyPrint and the standard library only.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
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


#: a tiny page whose layout starts WeasyPrint's fonts (fontconfig, Pango)
WARM_UP_PAGE = '<p style="font-family: Arial, sans-serif">1 <b>2</b></p>'


def _warm_up() -> None:
    import vl_convert

    vl_convert.vegalite_to_svg(WARM_UP_SPEC)
    try:
        import weasyprint  # the PDF comes last: its ~1.5 s import overlaps the first charts' wait

        weasyprint.HTML(string=WARM_UP_PAGE).render()
    except Exception:  # noqa: BLE001 - only a head start: the PDF request reports the real error
        pass


def pdf_bytes(page: str) -> bytes:
    """The PDF of an HTML page (WeasyPrint)."""
    import weasyprint

    data = weasyprint.HTML(string=page).write_pdf()
    assert data is not None
    return bytes(data)


def output_html(output: dict[str, Any]) -> str:
    """The ``text/html`` of a notebook output ('' when it has none)."""
    value = (output.get("data") or {}).get("text/html")
    if value is None:
        return ""
    return value if isinstance(value, str) else "".join(value)


class PrintWorker:
    """Draws report charts and lays out the PDF in a worker process; :meth:`image` and :meth:`pdf` collect.

    Hand :meth:`on_cell_executed` to nbclient (papermill passes it through). The worker is
    ``python -m cxlab.report.printer``, reading one JSON request per line and answering each in order; not
    a multiprocessing pool, whose spawned workers re-run the caller's main module (a user's script calling
    ``build_report`` without a ``__main__`` guard would run twice). What never reached the worker, or what
    it failed on, is done on demand in this process, so an error surfaces there, in the PDF step, as it
    did before the worker existed.
    """

    def __init__(self) -> None:
        self._drawn: dict[str, Future[str]] = {}
        self._order: list[Future[str]] = []  # futures by request number: the worker answers in order
        self._lock = threading.Lock()
        self._answering = True  # until the worker's output ends (under the lock, like _order)
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
        except OSError:  # no process to be had: everything is done here
            self._worker = None
            return
        # a writer thread, so the kernel client's event loop never blocks on a full pipe, and a reader
        # thread resolving the futures
        threading.Thread(target=self._write, daemon=True, name="cxlab-print-worker-in").start()
        threading.Thread(target=self._read, daemon=True, name="cxlab-print-worker-out").start()

    def _write(self) -> None:
        assert self._worker is not None and self._worker.stdin is not None
        stdin = self._worker.stdin
        try:
            while (request := self._requests.get()) is not None:
                stdin.write(request + "\n")
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
            if "ok" in answer:
                future.set_result(answer["ok"])
            else:
                future.set_exception(RuntimeError(answer.get("error", "the print worker failed")))
        with self._lock:  # the worker ended (closed, killed): whatever it did not answer is done here
            self._answering = False
            pending = self._order[answered:]
        for future in pending:
            if not future.done():
                future.set_exception(RuntimeError("the print worker stopped"))

    def _submit(self, kind: str, text: str) -> Future[str] | None:
        if self._worker is None:
            return None
        future: Future[str] = Future()
        with self._lock:
            if not self._answering:  # no reader left to resolve it
                return None
            self._order.append(future)
        self._requests.put(json.dumps({"kind": kind, "text": text}))
        return future

    def submit(self, spec_json: str) -> None:
        """Start drawing a chart (once per spec)."""
        with self._lock:
            if spec_json in self._drawn:
                return
        future = self._submit("chart", spec_json)
        if future is not None:
            with self._lock:
                self._drawn[spec_json] = future

    def on_cell_executed(self, cell: Any, **_: Any) -> None:
        """nbclient's hook: each chart of the executed cell starts drawing at once."""
        for output in cell.get("outputs", []):
            for spec_json in chart_specs(output_html(output)):
                self.submit(spec_json)

    def image(self, spec_json: str) -> str:
        """The chart's ``<img>``: the worker's when it drew it, drawn here otherwise."""
        with self._lock:
            drawn = self._drawn.get(spec_json)
        image = _answer(drawn)
        return image if image is not None else chart_image(spec_json)

    def submit_pdf(self, page: str) -> Callable[[], bytes]:
        """Start laying out the PDF of ``page``; the returned function waits for its bytes (laid out here
        when the worker cannot)."""
        future = self._submit("pdf", page)

        def collected() -> bytes:
            data = _answer(future)
            return base64.b64decode(data) if data is not None else pdf_bytes(page)

        return collected

    def close(self) -> None:
        """Stop the worker (it finishes the request in hand; the rest are dropped)."""
        if self._worker is not None:
            self._requests.put(None)
            self._worker.kill()
            self._worker.wait()
            self._worker = None

    def __enter__(self) -> PrintWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _answer(future: Future[str] | None) -> str | None:
    """The worker's answer to a request; None when there was no worker, or it failed or stopped (the
    caller then does the work itself, and meets the same error, if any)."""
    if future is None:
        return None
    try:
        return future.result()
    except RuntimeError:
        return None


def _serve() -> None:
    """The worker: one JSON request in per line (a chart's spec, or a page to print), one answer out."""
    # below the kernel's priority: on a busy machine the kernel, which the run waits for, goes first; the
    # charts only have to be drawn by the time it finishes
    os.nice(10)
    _warm_up()
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["kind"] == "pdf":
                answer = {"ok": base64.b64encode(pdf_bytes(request["text"])).decode("ascii")}
            else:
                answer = {"ok": chart_image(request["text"])}
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which then does it itself
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve()
