"""Start what ``--pdf`` and ``--pptx`` need while the kernel runs the report notebook.

``cxlab report`` spends most of its time waiting for the kernel; the PDF and the deck steps come after it
and used to pay, on top, for importing WeasyPrint (~1.5 s), starting vl-convert's JavaScript runtime
(~0.4 s), fontconfig and Pango (first layout), and importing python-pptx. :func:`warm_up` does that in a
background thread of this (waiting) process; :func:`wait` joins it before the PDF or the deck is written,
so an error there surfaces where it did before (the import in the step itself). vl-convert is started
here for the deck only: the PDF's charts are drawn in a process of their own
(:class:`~cxlab.report.printer.PrintWorker`), and vl-convert holds the GIL this process's kernel
client needs.
"""

from __future__ import annotations

import threading

from .printer import WARM_UP_PAGE, WARM_UP_SPEC

_LOCK = threading.Lock()
_THREADS: dict[tuple[bool, bool], threading.Thread] = {}


def _import_pptx() -> None:
    import pptx.util  # noqa: F401 - python-pptx and its lxml, Pillow, XlsxWriter imports


def _warm(pdf: bool, pptx: bool) -> None:
    try:
        if pdf:
            import weasyprint

            weasyprint.HTML(string=WARM_UP_PAGE).render()
        if pptx:
            import vl_convert

            vl_convert.vegalite_to_svg(WARM_UP_SPEC)
            _import_pptx()
    except Exception:  # noqa: BLE001 - only a head start: the step itself imports again and reports
        pass


def warm_up(pdf: bool = False, pptx: bool = False) -> threading.Thread | None:
    """Start (once per process and kind) the background warm-up for a PDF and/or a deck."""
    if not (pdf or pptx):
        return None
    with _LOCK:
        key = (pdf, pptx)
        if key not in _THREADS:
            _THREADS[key] = threading.Thread(target=_warm, args=key, name="cxlab-report-warm-up", daemon=True)
            _THREADS[key].start()
        return _THREADS[key]


def wait() -> None:
    """Join every warm-up started in this process (a no-op when none was)."""
    with _LOCK:
        threads = list(_THREADS.values())
    for thread in threads:
        thread.join()
