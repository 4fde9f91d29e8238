"""Where the jobs run and the batch as a whole: :func:`run_batch`.

``jobs=1`` runs in this process; ``jobs=N`` in N worker processes started with ``spawn``;
``scheduler=ADDRESS`` on an existing Dask distributed cluster (optional extra ``cxlab[dask]``).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from multiprocessing.connection import wait
from pathlib import Path
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from ...config import CONFIG_FILE, load_config
from ...errors import CxlabError
from ..kernel import kill_kernel_process
from ..run import DEFAULT_CELL_TIMEOUT, DEFAULT_CLIENT_TIMEOUT
from .fingerprint import client_digest, environment_digest, skip_outcome
from .index import write_index
from .jobs import FAILED, OK, SKIPPED, BatchResult, ClientJob, ClientOutcome, client_job_name, find_clients
from .worker import crashed, one_line, run_client, serve, shutdown_kernel


# ---------------------------------------------------------------------------------------- executors
def _run_local(jobs: list[ClientJob], n: int) -> Iterator[ClientOutcome]:
    if n <= 1:
        try:
            for job in jobs:
                yield run_client(job)
        finally:
            shutdown_kernel()
        return
    yield from _WorkerPool(n).run(jobs)


class _Worker:
    """One spawned worker process, its end of the pipe, the job it runs and the kernel it runs it in."""

    def __init__(self, ctx: Any) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=serve, args=(child,), daemon=True, name="cxlab-batch-worker")
        self.process.start()
        child.close()
        self.job: ClientJob | None = None
        self.kernel_pid: int | None = None
        self.stopping = False

    def ask_to_stop(self) -> None:
        """Tell the worker to end (its kernel with it) once it is idle; returns at once."""
        if not self.stopping:
            self.stopping = True
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                pass

    def stop(self, wait: float = 5.0) -> None:
        """Ask the worker to end (its kernel with it); kill it, and its kernel, if it does not."""
        self.ask_to_stop()
        self.process.join(wait)
        if self.process.exitcode == 0:
            self.kernel_pid = None  # it shut its kernel down itself: that process id may be reused now
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        if self.kernel_pid is not None:
            kill_kernel_process(self.kernel_pid)  # a worker killed mid-run leaves no kernel behind
            self.kernel_pid = None
        self.conn.close()


class _WorkerPool:
    """N spawned worker processes, each running one client at a time in its warm kernel.

    Unlike :class:`concurrent.futures.ProcessPoolExecutor`, where one worker killed (``kill -9``, the
    out-of-memory killer) breaks the whole pool and fails every unfinished client, a dead worker here
    fails only the client it was running: its kernel is killed, a new worker takes its place and the
    other clients go on. On any exit (the end, Ctrl-C) every worker and kernel is stopped.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.ctx = multiprocessing.get_context("spawn")
        self.workers: list[_Worker] = []

    def run(self, jobs: list[ClientJob]) -> Iterator[ClientOutcome]:
        pending = list(reversed(jobs))
        try:
            self.workers = [_Worker(self.ctx) for _ in range(min(self.n, len(jobs)))]
            while pending or any(w.job for w in self.workers):
                for worker in self.workers:
                    if worker.job is None and pending:
                        worker.job = pending.pop()
                        worker.conn.send(worker.job)
                    elif worker.job is None:
                        # nothing left for it: it shuts its kernel down while the others finish
                        worker.ask_to_stop()
                busy = [w for w in self.workers if w.job is not None]
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
                for worker in busy:
                    yield from self._collect(worker, ready)
        finally:
            for worker in self.workers:  # all told first, so their kernels shut down side by side
                if worker.job is None:
                    worker.ask_to_stop()
            for worker in self.workers:
                if worker.job is None:
                    worker.stop()
                else:  # interrupted mid-client: no waiting
                    worker.kill()
            self.workers = []

    def _collect(self, worker: _Worker, ready: list[Any]) -> Iterator[ClientOutcome]:
        """The outcomes of one worker's messages; a worker that died is replaced."""
        dead = worker.process.sentinel in ready
        try:
            while worker.conn.poll():
                kind, value = worker.conn.recv()
                if kind == "kernel":
                    worker.kernel_pid = value
                elif kind == "done" and worker.job is not None:
                    worker.job = None
                    yield value
        except (EOFError, OSError):
            dead = True
        if dead or not worker.process.is_alive():
            worker.process.join(5)
            job = worker.job
            code = worker.process.exitcode
            worker.job = None
            worker.kill()
            self.workers[self.workers.index(worker)] = _Worker(self.ctx)  # the pool keeps its size
            if job is not None:
                yield crashed(job, _exit_cause(code))


def _exit_cause(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _run_dask(jobs: list[ClientJob], address: str) -> Iterator[ClientOutcome]:
    try:
        # imported here: distributed is an optional extra (cxlab[dask]), needed only with --scheduler
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise CxlabError(
            "the optional Dask extra for --scheduler (pip install 'cxlab[dask]')",
            file="--scheduler",
            found="the 'distributed' package is not installed",
        ) from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise CxlabError(
            "a reachable Dask scheduler", file=f"--scheduler {address}", found=one_line(exc)
        ) from None
    try:
        tag = uuid.uuid4().hex[:8]
        futures = client.map(run_client, jobs, key=[f"cxlab-{tag}-{i}" for i in range(len(jobs))], pure=False)
        by_key = {f.key: job for f, job in zip(futures, jobs, strict=True)}
        for future in dask_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker, a pickling problem
                yield crashed(by_key[future.key], exc)
    finally:
        client.close()


# ------------------------------------------------------------------------------------------- the run
def _jobs_for(
    root: Path,
    out: Path,
    lang: str,
    static_charts: bool,
    recycle_after: int,
    cell_timeout: int,
    client_timeout: float = DEFAULT_CLIENT_TIMEOUT,
    template: str = "",
) -> list[ClientJob]:
    """One job per client folder under ``root``, in ROOT order."""
    folders = find_clients(root, exclude=[out])
    if not folders:
        raise CxlabError(
            f"at least one client folder (a folder with a {CONFIG_FILE}) under it",
            file=str(root),
            found="none",
        )
    env = environment_digest()
    if template:  # another template makes another report: it is part of what a re-run compares
        env = hashlib.sha256(env.encode() + Path(template).read_bytes()).hexdigest()
    jobs = []
    for folder in folders:
        name = client_job_name(root, folder)
        try:
            config = load_config(folder)
            shown = {"client_name": config.name, "client_lang": config.language}
        except CxlabError:
            shown = {}  # the client's run fails with the same message; the others go on
        try:
            digest = client_digest(folder, lang, static_charts, env)
        except Exception as exc:  # noqa: BLE001 - an unreadable client never stops the batch
            digest = f"unhashable: {one_line(exc)}"
        jobs.append(
            ClientJob(
                name=name,
                client_dir=str(folder),
                out_dir=str(out / name),
                digest=digest,
                lang=lang,
                static_charts=static_charts,
                cell_timeout=cell_timeout,
                recycle_after=recycle_after,
                client_timeout=client_timeout,
                template=template,
                **shown,
            )
        )
    return jobs


def run_batch(
    root: str | Path,
    out: str | Path,
    jobs: int = 1,
    force: bool = False,
    lang: str = "",
    static_charts: bool = False,
    scheduler: str | None = None,
    recycle_after: int = 10,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
    client_timeout: float = DEFAULT_CLIENT_TIMEOUT,
    progress: bool = True,
    on_result: Callable[[ClientOutcome], None] | None = None,
    template: str | Path | None = None,
) -> BatchResult:
    """The client report of every client folder under ``root`` into ``out``, plus ``out/index.html``.

    Raises :class:`CxlabError` only for the batch as a whole (no such ROOT, no client under it, bad
    options, an unreachable scheduler); a client's own problem is recorded in its :class:`ClientOutcome`.
    ``template`` replaces the report template (see :func:`~cxlab.report.run.build_report`).
    """
    started = time.perf_counter()
    root = Path(root).resolve()
    out = Path(out).resolve()
    if not root.is_dir():
        raise CxlabError("a folder of client folders", file=str(root), found="no such folder")
    if jobs < 1:
        raise CxlabError("--jobs of at least 1", file="batch options", found=str(jobs))
    if recycle_after < 1:
        raise CxlabError("--recycle-after of at least 1", file="batch options", found=str(recycle_after))
    if lang not in ("", "it", "en"):
        raise CxlabError("lang 'it' or 'en'", file="batch options", column="lang", found=lang)
    all_jobs = _jobs_for(
        root,
        out,
        lang,
        static_charts,
        recycle_after,
        cell_timeout,
        client_timeout,
        str(Path(template).resolve()) if template else "",
    )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CxlabError("a writable output folder", file=str(out), found=exc.strerror or str(exc)) from None
    outcomes: dict[str, ClientOutcome] = {}
    todo: list[ClientJob] = []
    for job in all_jobs:
        skipped = None if force else skip_outcome(job)
        if skipped is None:
            todo.append(job)
        else:
            outcomes[job.name] = skipped

    with _Progress(progress, len(all_jobs)) as advance:
        for outcome in outcomes.values():
            advance(outcome)
            if on_result:
                on_result(outcome)
        if todo:
            runner = _run_dask(todo, scheduler) if scheduler else _run_local(todo, min(jobs, len(todo)))
            try:
                for outcome in runner:
                    outcomes[outcome.name] = outcome
                    advance(outcome)
                    if on_result:
                        on_result(outcome)
            except KeyboardInterrupt:
                # Ctrl-C: the workers are stopped (the runner's clean-up); the index records what finished,
                # and a re-run resumes with the rest (a finished client is skipped, unchanged)
                getattr(runner, "close", lambda: None)()
                _interrupted(all_jobs, outcomes)
                ordered = [outcomes[job.name] for job in all_jobs]
                write_index(out, ordered, seconds=time.perf_counter() - started, root=root)
                raise

    ordered = [outcomes[job.name] for job in all_jobs]
    seconds = time.perf_counter() - started
    index = write_index(out, ordered, seconds=seconds, root=root)
    return BatchResult(root=root, out=out, index=index, clients=ordered, seconds=seconds)


INTERRUPTED = "not run: the batch was interrupted (Ctrl-C); run it again to finish"


def _interrupted(jobs: list[ClientJob], outcomes: dict[str, ClientOutcome]) -> None:
    for job in jobs:
        if job.name not in outcomes:
            outcomes[job.name] = ClientOutcome.failed(job, INTERRUPTED)


class _Progress:
    """A rich progress bar on stderr (or nothing): ``with _Progress(on, total) as advance: advance(o)``."""

    COLOURS = {OK: "green", SKIPPED: "cyan", FAILED: "red"}

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled = enabled
        self.total = total
        self.bar: Progress | None = None

    def __enter__(self) -> Callable[[ClientOutcome], None]:
        if not self.enabled:
            return lambda outcome: None
        bar = Progress(
            SpinnerColumn(),
            TextColumn("[bold]reports[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True),
        )
        self.bar = bar
        bar.start()
        task: TaskID = bar.add_task("", total=self.total)

        def advance(outcome: ClientOutcome) -> None:
            # client text (folder names, errors quoting client.yaml) is escaped: "[/]" is not markup
            label = f"[{self.COLOURS[outcome.status]}]{outcome.status}[/] {escape(outcome.name)}"
            bar.update(task, advance=1, description=label)
            if outcome.status == FAILED:
                bar.console.print(
                    f"[red]failed[/red] {escape(outcome.name)}: {escape(str(outcome.error))}",
                    markup=True,
                    highlight=False,
                )

        return advance

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.bar is not None:
            self.bar.stop()
