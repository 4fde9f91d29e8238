"""The per-client job, :func:`run_client`: the same function in this process, in spawned worker processes
and on Dask workers. Each worker process keeps one warm kernel
(:class:`~cxlab.report.kernel.WarmKernel`, namespace reset before each client, recycled every
``recycle_after`` clients and after a failure)."""

from __future__ import annotations

import atexit
import multiprocessing.util
import os
import time
from pathlib import Path

from ...errors import CxlabError
from ..kernel import WarmKernel
from ..run import REPORT_TEMPLATE, build_report
from .fingerprint import write_stamp
from .jobs import FAILED, HASH_FILE, OK, REPORT_FILE, ClientJob, ClientOutcome

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


def run_client(job: ClientJob) -> ClientOutcome:
    """Run one client's report in this process's warm kernel; never raises for the client's problems.

    The same function runs in local worker processes and on Dask workers.
    """
    out_dir = Path(job.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # a failed run leaves no old report, stamp or executed notebook of an earlier run behind
    for stale in (out_dir / REPORT_FILE, out_dir / HASH_FILE, out_dir / REPORT_TEMPLATE):
        stale.unlink(missing_ok=True)
    kernel = _worker_kernel(job.recycle_after)
    # boots (or recycles) the kernel and imports cxlab in it while this client is validated
    kernel.start()
    km_before, runs_before = kernel.km, kernel.runs
    started = time.perf_counter()
    outcome = ClientOutcome(
        name=job.name,
        client_dir=job.client_dir,
        out_dir=job.out_dir,
        status=FAILED,
        client_name=job.client_name,
        lang=job.lang or job.client_lang,
        worker=f"{os.uname().nodename}:{os.getpid()}",
    )
    try:
        result = build_report(
            job.client_dir,
            out_dir,
            lang=job.lang,
            static_charts=job.static_charts,
            kernel=kernel,
            cell_timeout=job.cell_timeout,
            check_data=False,  # the kernel reads the client's files; reading them here too doubled it
        )
    except Exception as exc:  # noqa: BLE001 - one client's failure is recorded, never propagated
        outcome.error = one_line(exc)
        outcome.seconds = time.perf_counter() - started
        (out_dir / REPORT_FILE).unlink(missing_ok=True)
        if kernel.km is not km_before or kernel.runs != runs_before:
            kernel.shutdown()  # the kernel ran (part of) the failed notebook: start the next client clean
        return outcome
    outcome.status = OK
    outcome.seconds = result.seconds
    outcome.client_name = result.client_name
    outcome.lang = result.lang
    outcome.key_figures = result.key_figures
    outcome.size_bytes = result.size_bytes
    outcome.unreviewed = result.unreviewed
    write_stamp(job, result)
    return outcome


def crashed(job: ClientJob, exc: BaseException) -> ClientOutcome:
    """The outcome of a job whose worker died (the exception came from the pool, not the job)."""
    return ClientOutcome(
        name=job.name,
        client_dir=job.client_dir,
        out_dir=job.out_dir,
        status=FAILED,
        error=f"the worker running this client stopped: {one_line(exc)}",
        client_name=job.client_name,
        lang=job.lang or job.client_lang,
    )
