"""Where the jobs run and the batch as a whole: :func:`run_batch`.

``jobs=1`` runs in this process; ``jobs=N`` in N worker processes started with ``spawn``;
``scheduler=ADDRESS`` on an existing Dask distributed cluster (optional extra ``cxlab[dask]``).
"""

from __future__ import annotations

import multiprocessing
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from types import TracebackType

from rich.console import Console
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
from ..run import DEFAULT_CELL_TIMEOUT
from .fingerprint import client_digest, environment_digest, skip_outcome
from .index import write_index
from .jobs import FAILED, OK, SKIPPED, BatchResult, ClientJob, ClientOutcome, client_job_name, find_clients
from .worker import crashed, init_worker, one_line, run_client, shutdown_kernel


# ---------------------------------------------------------------------------------------- executors
def _run_local(jobs: list[ClientJob], n: int) -> Iterator[ClientOutcome]:
    if n <= 1:
        try:
            for job in jobs:
                yield run_client(job)
        finally:
            shutdown_kernel()
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=init_worker) as pool:
        futures = {pool.submit(run_client, job): job for job in jobs}
        try:
            for future in as_completed(futures):
                try:
                    yield future.result()
                except Exception as exc:  # noqa: BLE001 - BrokenProcessPool and the like
                    yield crashed(futures[future], exc)
        except BaseException:
            for future in futures:
                future.cancel()
            raise


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
    root: Path, out: Path, lang: str, static_charts: bool, recycle_after: int, cell_timeout: int
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
    jobs = []
    for folder in folders:
        name = client_job_name(root, folder)
        try:
            config = load_config(folder)
            shown = {"client_name": config.name, "client_lang": config.language}
        except CxlabError:
            shown = {}
        jobs.append(
            ClientJob(
                name=name,
                client_dir=str(folder),
                out_dir=str(out / name),
                digest=client_digest(folder, lang, static_charts, env),
                lang=lang,
                static_charts=static_charts,
                cell_timeout=cell_timeout,
                recycle_after=recycle_after,
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
    progress: bool = True,
    on_result: Callable[[ClientOutcome], None] | None = None,
) -> BatchResult:
    """The client report of every client folder under ``root`` into ``out``, plus ``out/index.html``.

    Raises :class:`CxlabError` only for the batch as a whole (no such ROOT, no client under it, bad
    options, an unreachable scheduler); a client's own problem is recorded in its :class:`ClientOutcome`.
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
    all_jobs = _jobs_for(root, out, lang, static_charts, recycle_after, cell_timeout)
    out.mkdir(parents=True, exist_ok=True)
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
            for outcome in runner:
                outcomes[outcome.name] = outcome
                advance(outcome)
                if on_result:
                    on_result(outcome)

    ordered = [outcomes[job.name] for job in all_jobs]
    seconds = time.perf_counter() - started
    index = write_index(out, ordered, seconds=seconds, root=root)
    return BatchResult(root=root, out=out, index=index, clients=ordered, seconds=seconds)


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
            label = f"[{self.COLOURS[outcome.status]}]{outcome.status}[/] {outcome.name}"
            bar.update(task, advance=1, description=label)
            if outcome.status == FAILED:
                bar.console.print(f"[red]failed[/red] {outcome.name}: {outcome.error}", markup=True)

        return advance

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.bar is not None:
            self.bar.stop()
