"""Start what ``--pptx`` needs while the kernel runs the report notebook.

``cxlab report`` spends most of its time waiting for the kernel; the deck step comes after it and used to
pay, on top, for starting vl-convert's JavaScript runtime (~0.4 s) and importing python-pptx.
:func:`warm_up` does that in a background thread of this (waiting) process; :func:`wait` joins it before
the deck is written, so an error there surfaces where it did before (the import in the step itself). The
PDF warms up in a process of its own (:class:`~cxlab.report.printer.PrintWorker`): WeasyPrint's import
and vl-convert, which holds the GIL, would slow this process's kernel client.
"""

from __future__ import annotations

import threading

from .printer import WARM_UP_SPEC

_LOCK = threading.Lock()
_THREAD: threading.Thread | None = None


def _warm() -> None:
    try:
        import pptx.util  # noqa: F401 - python-pptx and its lxml, Pillow, XlsxWriter imports
        import vl_convert

        vl_convert.vegalite_to_svg(WARM_UP_SPEC)
    except Exception:  # noqa: BLE001 - only a head start: the step itself imports again and reports
        pass


def warm_up(pptx: bool = False) -> threading.Thread | None:
    """Start (once per process) the background warm-up for a deck; None when no deck is asked for."""
    global _THREAD
    if not pptx:
        return None
    with _LOCK:
        if _THREAD is None:
            _THREAD = threading.Thread(target=_warm, name="cxlab-report-warm-up", daemon=True)
            _THREAD.start()
        return _THREAD


def wait() -> None:
    """Join the warm-up started in this process (a no-op when none was)."""
    with _LOCK:
        thread = _THREAD
    if thread is not None:
        thread.join()
