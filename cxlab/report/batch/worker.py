"""The per-client job, :func:`run_client`: the same function in this process, in spawned worker processes
and on Dask workers. Each worker process keeps one warm kernel
(:class:`~cxlab.report.kernel.WarmKernel`, namespace reset before each client, recycled every
``recycle_after`` clients and after a failure)."""

from __future__ import annotations

import atexit
import multiprocessing.util
import os
import signal
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from ...errors import CxlabError
from ..kernel import WarmKernel
from ..run import REPORT_TEMPLATE, build_report
from .fingerprint import write_stamp
from .jobs import HASH_FILE, OK, REPORT_FILE, ClientJob, ClientOutcome

_KERNEL: WarmKernel | None = None  # the worker's warm kernel (one per worker process)
_EXIT_HOOKED = False


def shutdown_kernel() -> None:
    """Shut this process's warm kernel down (a later job starts a new one)."""
    global _KERNEL
    kernel, _KERNEL = _KERNEL, None
    if kernel is not None:
        try:
            kernel.shutdown()
        except Exception:  # noqa: BLE001 - the process is exiting; a dead kernel is fine
            pass


def _hook_exit() -> None:
    """Shut this process's kernel down when the process exits (once per process)."""
    global _EXIT_HOOKED
    if not _EXIT_HOOKED:
        atexit.register(shutdown_kernel)  # normal interpreter exit
        # multiprocessing children leave with os._exit (no atexit): their finalizers still run
        multiprocessing.util.Finalize(None, shutdown_kernel, exitpriority=50)
        _EXIT_HOOKED = True


def init_worker() -> None:
    """ProcessPoolExecutor initializer of the spawned workers."""
    _hook_exit()


def _worker_kernel(recycle_after: int) -> WarmKernel:
    """This process's warm kernel, created on first use (also on Dask workers), shut down at exit."""
    global _KERNEL
    _hook_exit()
    if _KERNEL is None:
        _KERNEL = WarmKernel(recycle_after=recycle_after)
    return _KERNEL


def one_line(exc: BaseException) -> str:
    """An exception as the one-line error the index shows (a CxlabError's message as it is)."""
    text = str(exc).strip()
    if not isinstance(exc, CxlabError):
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return " ".join(text.split())  # the error is one line, whatever the exception carried


def serve(conn: Connection) -> None:
    """The loop of a local worker process (:func:`~cxlab.report.batch.schedule._run_local`): receive a
    job, run it, send ``("done", outcome)``; ``("kernel", pid)`` tells the parent which kernel this worker
    runs, so a worker killed mid-run leaves no kernel behind. ``None`` ends the loop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    _hook_exit()
    try:
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                break
            if job is None:
                break
            outcome = run_client(job, on_kernel=lambda pid: conn.send(("kernel", pid)))
            conn.send(("done", outcome))
    finally:
        shutdown_kernel()


def run_client(job: ClientJob, on_kernel: Callable[[int | None], None] | None = None) -> ClientOutcome:
    """Run one client's report in this process's warm kernel; never raises for the client's problems.

    The same function runs in local worker processes and on Dask workers. ``on_kernel(pid)`` hears the
    process id of the kernel this client runs in.
    """
    out_dir = Path(job.out_dir)
    # a failed run leaves no old report, stamp or executed notebook of an earlier run behind
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for stale in (out_dir / REPORT_FILE, out_dir / HASH_FILE, out_dir / REPORT_TEMPLATE):
            stale.unlink(missing_ok=True)
    except OSError as exc:
        return ClientOutcome.failed(
            job, f"{out_dir}: expected a writable output folder; found {exc.strerror or exc}"
        )
    kernel = _worker_kernel(job.recycle_after)
    kernel.on_start = on_kernel  # every kernel this client starts (a dead one is replaced) is reported
    # boots (or recycles) the kernel and imports cxlab in it while this client is validated
    kernel.start()
    if on_kernel is not None:
        on_kernel(kernel.pid)
    km_before, runs_before = kernel.km, kernel.runs
    started = time.perf_counter()
    outcome = ClientOutcome.failed(
        job, None, worker=f"{os.uname().nodename}:{os.getpid()}"
    )  # until the report is written
    try:
        result = build_report(
            job.client_dir,
            out_dir,
            lang=job.lang,
            static_charts=job.static_charts,
            kernel=kernel,
            cell_timeout=job.cell_timeout,
            client_timeout=job.client_timeout,
            check_data=False,  # the kernel reads the client's files; reading them here too doubled it
            template=job.template or None,
        )
    except Exception as exc:  # noqa: BLE001 - one client's failure is recorded, never propagated
        outcome.error = one_line(exc)
        outcome.seconds = time.perf_counter() - started
        (out_dir / REPORT_FILE).unlink(missing_ok=True)
        if kernel.km is None or kernel.km is not km_before or kernel.runs != runs_before:
            kernel.shutdown()  # the kernel ran (part of) the failed notebook: start the next client clean
        return outcome
    outcome.status = OK
    outcome.seconds = result.seconds
    outcome.client_name = result.client_name
    outcome.lang = result.lang
    outcome.key_figures = result.key_figures
    outcome.size_bytes = result.size_bytes
    outcome.unreviewed = result.unreviewed
    try:
        write_stamp(job, result)
    except OSError:  # the report is there; without its stamp the next run simply redoes it
        pass
    return outcome


def crashed(job: ClientJob, exc: BaseException | str) -> ClientOutcome:
    """The outcome of a job whose worker died (the exception came from the pool, not the job)."""
    (Path(job.out_dir) / REPORT_FILE).unlink(missing_ok=True)
    why = exc if isinstance(exc, str) else one_line(exc)
    return ClientOutcome.failed(job, f"the worker running this client stopped: {why}")
