"""A Jupyter kernel kept warm across report runs; light to import, so a caller can start it first.

Papermill passes ``km=`` to nbclient, which then leaves the kernel running after a notebook; this class
owns that kernel: it boots it and imports cxlab in it on a background thread (while the caller validates
the client folder), resets the namespace before each run so no state leaks from one client to the next,
moves it to the run's folder, and recycles it every ``recycle_after`` runs.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ReportError

if TYPE_CHECKING:  # jupyter_client is imported when a kernel starts: this module stays light
    from jupyter_client.manager import KernelManager

KERNEL_NAME = "python3"
RESET_CODE = "get_ipython().run_line_magic('reset', '-f')"
# what every report imports, loaded while the caller validates the client folder
PREWARM_CODE = (
    "import altair, pandas, cxlab.report.sections, cxlab.report.context, cxlab.report.attachments, "
    "cxlab.indicators, cxlab.handoffs, cxlab.journey, cxlab.segments, cxlab.text, cxlab.culture, "
    "cxlab.findings, cxlab.recommend, cxlab.charts.indicators, cxlab.charts.handoffs, cxlab.charts.journey, "
    "cxlab.charts.segments, cxlab.charts.text, cxlab.charts.culture, cxlab.charts.recommend"
)


class WarmKernel:
    """A kernel kept alive across report runs (batch workers), recycled every ``recycle_after`` runs.

    :meth:`start` boots the kernel and imports cxlab in it on a background thread, so the caller can
    validate the client folder meanwhile; :meth:`manager` waits for that, resets the namespace (no state
    leaks from one client to the next) and hands the kernel manager to papermill.
    """

    def __init__(self, recycle_after: int = 10, kernel_name: str = KERNEL_NAME) -> None:
        self.recycle_after = recycle_after
        self.kernel_name = kernel_name
        self.km: KernelManager | None = None
        self.runs = 0
        self._warming: threading.Thread | None = None

    def start(self, cwd: Path | None = None) -> None:
        """Start the kernel (if not running, or recycled: every ``recycle_after`` runs, or when it died) and
        warm it up in the background."""
        from jupyter_client.manager import KernelManager  # heavy: only when a kernel starts

        if self.km is not None and (self.runs >= self.recycle_after or not self.km.is_alive()):
            self.shutdown()
        if self.km is not None:
            return
        km = KernelManager(kernel_name=self.kernel_name)
        km.start_kernel(cwd=str(cwd) if cwd else None)
        self.km = km
        self.runs = 0
        self._warming = threading.Thread(target=self._execute_quietly, args=(PREWARM_CODE,), daemon=True)
        self._warming.start()

    def manager(self, cwd: Path | None = None):
        """The kernel manager to hand to papermill, in ``cwd``, with a freshly reset namespace (a warm
        kernel moves to ``cwd`` itself: papermill's ``cwd`` only applies to a kernel it starts)."""
        self.start(cwd)
        if self._warming is not None:
            self._warming.join()
            self._warming = None
        self._reset(cwd)
        self.runs += 1
        return self.km

    def _execute(self, code: str) -> dict:
        if self.km is None:
            raise ReportError("a started kernel", found="no kernel (call start() first)")
        client = self.km.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=120)
            return client.execute_interactive(code, timeout=300, store_history=False)
        finally:
            client.stop_channels()

    def _execute_quietly(self, code: str) -> None:
        try:
            self._execute(code)
        except Exception:  # noqa: BLE001 — warming up is an optimisation; the real run reports errors
            pass

    def _reset(self, cwd: Path | None = None) -> None:
        code = RESET_CODE
        if cwd is not None:
            code += f"\nimport os as _os\n_os.chdir({str(cwd)!r})\ndel _os"
        reply = self._execute(code)
        if reply["content"].get("status") != "ok":
            raise ReportError("a kernel namespace reset", found=str(reply["content"].get("evalue")))

    def shutdown(self) -> None:
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)
            finally:
                self.km = None

    def __enter__(self) -> WarmKernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
