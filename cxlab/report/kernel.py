"""A Jupyter kernel kept warm across report runs; light to import, so a caller can start it first.

Papermill passes ``km=`` to nbclient, which then leaves the kernel running after a notebook; this class
owns that kernel: it boots it and imports cxlab in it on a background thread (while the caller validates
the client folder), resets the namespace before each run so no state leaks from one client to the next,
moves it to the run's folder, and recycles it every ``recycle_after`` runs.

The manager is an :class:`~jupyter_client.manager.AsyncKernelManager`: nbclient runs its cells on an
asyncio loop, and with a synchronous manager its client's ``get_msg`` calls block that loop, so neither the
per-cell timeout nor the dead-kernel check ever ran (a 40 s cell ran past a 5 s timeout; a killed kernel
hung the run). The kernel's own set-up (warm-up, reset) talks to it through a blocking client of the same
connection: the warm-up waits for the kernel to be ready; the reset, on a kernel that has answered, only
sends its request on the shell channel and reads the reply, through one client kept for the kernel's life
(a new client's ``wait_for_ready`` ends by waiting 0.2 s for IOPub to fall silent, twice per client).
nbclient's own client (:class:`PromptKernelClient`) is spared that wait too. :meth:`WarmKernel.kill` ends the kernel's whole process group at once (a kernel stuck in C
code, e.g. a runaway regular expression, does not answer a shutdown request).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ReportError

if TYPE_CHECKING:  # jupyter_client is imported when a kernel starts: this module stays light
    from jupyter_client.blocking.client import BlockingKernelClient
    from jupyter_client.manager import AsyncKernelManager

KERNEL_NAME = "python3"
#: nbclient's kernel client class (imported by jupyter_client when nbclient asks the manager for a client)
PROMPT_CLIENT = "cxlab.report.kernel_client.PromptKernelClient"
RESET_CODE = "get_ipython().run_line_magic('reset', '-f')"
#: jsonschema (imported by altair and nbformat) loads rfc3987_syntax when it is installed (jupyter-events
#: pulls it in) only to check "iri" formats, which no report spec or notebook uses; it builds a grammar at
#: import, ~1 s per process. Marked absent, jsonschema skips that one check.
UNUSED_IRI_GRAMMAR = "rfc3987_syntax"


def skip_unused_iri_grammar() -> None:
    """Spare this process the ~1 s import of :data:`UNUSED_IRI_GRAMMAR` (call before importing altair)."""
    sys.modules.setdefault(UNUSED_IRI_GRAMMAR, None)  # type: ignore[arg-type]  # None = "not installed"


# what every report imports, loaded while the caller validates the client folder
PREWARM_CODE = (
    "from cxlab.report.kernel import skip_unused_iri_grammar as _skip\n_skip()\ndel _skip\n"
    "import altair, pandas, cxlab.report.sections, cxlab.report.context, cxlab.report.attachments, "
    "cxlab.indicators, cxlab.handoffs, cxlab.journey, cxlab.segments, cxlab.text, cxlab.culture, "
    "cxlab.findings, cxlab.recommend, cxlab.charts.indicators, cxlab.charts.handoffs, cxlab.charts.journey, "
    "cxlab.charts.segments, cxlab.charts.text, cxlab.charts.culture, cxlab.charts.recommend\n"
    # the imported modules are never garbage: freezing them keeps every later collection (IPython's
    # %reset ends with one, before each run) to the objects the runs create: 1.1 s -> 0.01 s per reset
    "import gc as _gc\n_gc.freeze()\ndel _gc"
)


class WarmKernel:
    """A kernel kept alive across report runs (batch workers), recycled every ``recycle_after`` runs.

    :meth:`start` boots the kernel and imports cxlab in it on a background thread, so the caller can
    validate the client folder meanwhile; :meth:`manager` waits for that, resets the namespace (no state
    leaks from one client to the next) and hands the kernel manager to papermill.
    """

    def __init__(
        self, recycle_after: int = 10, kernel_name: str = KERNEL_NAME, warm_up: str | None = None
    ) -> None:
        self.recycle_after = recycle_after
        self.kernel_name = kernel_name
        #: the code run in a new kernel while the caller validates (``None``: import what a report uses)
        self.warm_up = PREWARM_CODE if warm_up is None else warm_up
        self.km: AsyncKernelManager | None = None
        self._shell: BlockingKernelClient | None = None  # the set-up's client of this kernel (resets)
        self.runs = 0
        self._warming: threading.Thread | None = None
        #: told the process id of every kernel this object starts (a batch worker tells its parent, which
        #: kills the kernel if the worker itself is killed)
        self.on_start: Callable[[int | None], None] | None = None

    def start(self, cwd: Path | None = None) -> None:
        """Start the kernel (if not running, or recycled: every ``recycle_after`` runs, or when it died) and
        warm it up in the background."""
        from jupyter_client.manager import AsyncKernelManager  # heavy: only when a kernel starts
        from jupyter_core.utils import run_sync

        if self.km is not None and (self.runs >= self.recycle_after or not self.is_alive()):
            self.shutdown()
        if self.km is not None:
            return
        check_loopback()  # with no loopback, the kernel would start and never answer: 4 minutes of waiting
        km = AsyncKernelManager(kernel_name=self.kernel_name, client_class=PROMPT_CLIENT)
        try:
            run_sync(km.start_kernel)(cwd=str(cwd) if cwd else None)
        except (RuntimeError, TimeoutError, LookupError) as exc:  # no kernel spec, no loopback, ...
            raise ReportError(
                f"a Jupyter kernel '{self.kernel_name}' that starts",
                found=" ".join(str(exc).split()) or type(exc).__name__,
            ) from None
        self.km = km
        self.runs = 0
        if self.on_start is not None:
            self.on_start(self.pid)
        warm_up = self.warm_up
        if threading.current_thread() is threading.main_thread():
            warm_up = parent_death_code(os.getpid()) + "\n" + warm_up
        self._warming = threading.Thread(target=self._execute_quietly, args=(warm_up,), daemon=True)
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
        client = self._blocking_client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=120)
            return client.execute_interactive(code, timeout=300, store_history=False)
        except (RuntimeError, TimeoutError) as exc:  # no answer: dead, hung, or no loopback interface
            raise ReportError(
                "a Jupyter kernel that answers (is the loopback interface up?)",
                found=" ".join(str(exc).split()) or type(exc).__name__,
            ) from None
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
        reply = self._execute_on_shell(code)
        if reply["content"].get("status") != "ok":
            raise ReportError("a kernel namespace reset", found=str(reply["content"].get("evalue")))

    def _execute_on_shell(self, code: str, timeout: float = 300) -> dict:
        """Run ``code`` silently in a kernel that has answered before (the warm-up waited for it) and
        return the execute reply; only the shell channel, whose requests the kernel's socket queues, so no
        readiness handshake is needed."""
        from queue import Empty

        if self.km is None:
            raise ReportError("a started kernel", found="no kernel (call start() first)")
        if self._shell is None:
            from jupyter_client.blocking.client import BlockingKernelClient

            # a session of its own: a client's shell socket is known to the kernel by its session id, and
            # nbclient's client (the manager's session) takes that identity over while it runs a notebook,
            # after which the kernel's replies to this client would go nowhere
            self._shell = BlockingKernelClient(parent=self.km)
            self._shell.load_connection_info(self.km.get_connection_info(session=False))
            self._shell.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        msg_id = self._shell.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        while True:
            try:
                reply = self._shell.get_shell_msg(timeout=1)
            except Empty:
                if not self.is_alive() or time.monotonic() > deadline:
                    raise ReportError(
                        "a Jupyter kernel that answers",
                        found="the kernel died" if not self.is_alive() else f"no reply in {timeout:.0f} s",
                    ) from None
                continue
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return reply

    def _close_shell(self) -> None:
        shell, self._shell = self._shell, None
        if shell is not None:
            try:
                shell.stop_channels()
            except Exception:  # noqa: BLE001 - the kernel is being ended anyway
                pass

    def _blocking_client(self) -> BlockingKernelClient:
        from jupyter_client.blocking.client import BlockingKernelClient

        assert self.km is not None
        info: dict[str, Any] = dict(self.km.get_connection_info(session=True))
        # parent=km: the client asks the manager whether the kernel lives (without it, it asks the
        # heartbeat, which has not beaten yet just after the kernel starts: "Kernel died before replying")
        return BlockingKernelClient(connection_file=self.km.connection_file, parent=self.km, **info)

    @property
    def pid(self) -> int | None:
        """The kernel's process id (None when no kernel runs)."""
        provisioner = getattr(self.km, "provisioner", None)
        pid = getattr(provisioner, "pid", None)
        return int(pid) if pid else None

    def is_alive(self) -> bool:
        from jupyter_core.utils import run_sync

        if self.km is None:
            return False
        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001 - a kernel we cannot ask is not one to reuse
            return False

    def kill(self) -> None:
        """End the kernel at once (its process group: a kernel may have started processes of its own),
        without asking it: for a kernel that is hung, busy past a timeout, or already dead."""
        pid = self.pid
        self._close_shell()
        km, self.km = self.km, None
        self._warming = None
        if pid is not None:
            kill_kernel_process(pid)
        if km is not None:
            from jupyter_core.utils import run_sync

            try:
                run_sync(km.shutdown_kernel)(now=True)  # reaps the process, removes the connection file
            except Exception:  # noqa: BLE001 - the process is gone already
                pass

    def shutdown(self) -> None:
        """Stop the kernel (at once: a warm kernel holds nothing worth saving)."""
        self.kill()

    def __enter__(self) -> WarmKernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def check_loopback(host: str = "127.0.0.1", timeout: float = 5.0) -> None:
    """Raise a one-line :class:`ReportError` when this machine cannot talk to itself over TCP on ``host``
    (the loopback interface is down, as in a network namespace without it): the kernel is reached there."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
            server.bind((host, 0))
            server.listen(1)
            with socket.create_connection(server.getsockname(), timeout=timeout):
                pass
    except OSError as exc:
        raise ReportError(
            f"a loopback network interface ({host}) to talk to the Jupyter kernel over",
            found=exc.strerror or type(exc).__name__,
        ) from None


def parent_death_code(parent: int) -> str:
    """Code that makes the kernel die with the process that started it (``parent``), on Linux.

    ipykernel polls for its parent every second, in a Python thread: a kernel stuck in C code holding the
    GIL (a runaway regular expression) never runs that thread, and a ``cxlab report`` killed with SIGKILL
    would leave it spinning. ``PR_SET_PDEATHSIG`` has the OS send the kernel SIGKILL when its parent
    *thread* ends: used only for a kernel started from the main thread (which lives as long as the
    process). The check of ``getppid`` closes the race of a parent that died before the call."""
    if not sys.platform.startswith("linux"):
        return ""
    return (
        "def _cxlab_die_with_parent():\n"
        "    import ctypes, os, signal\n"
        "    try:\n"
        "        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG\n"
        "    except (OSError, AttributeError):\n"
        "        return\n"
        f"    if os.getppid() != {int(parent)}:\n"
        "        os._exit(1)\n"
        "_cxlab_die_with_parent()\n"
        "del _cxlab_die_with_parent"
    )


def kill_kernel_process(pid: int) -> None:
    """SIGKILL a kernel and its process group (a kernel launched by jupyter_client leads its own group);
    nothing happens when it is gone already."""
    try:
        group = os.getpgid(pid)
    except ProcessLookupError:
        return
    try:
        if group == pid:
            os.killpg(group, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
