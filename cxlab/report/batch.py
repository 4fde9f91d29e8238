"""Client reports for many clients at once: ``cxlab batch ROOT --out OUT``.

* **Which clients**: every folder under ``ROOT`` that holds a ``client.yaml``, found recursively (a client
  folder is a leaf: nothing inside it is searched; hidden folders, ``__pycache__``, ``node_modules``,
  ``.ipynb_checkpoints`` and ``OUT`` itself are skipped). ``ROOT`` may itself be a client folder (a batch
  of one). Each client's output goes to ``OUT/<path of the client folder relative to ROOT>/``:
  ``report.html`` and the executed ``client_report.ipynb`` (kept for audit, also when it failed).
* **Where they run**: ``jobs=1`` runs in this process; ``jobs=N`` in N worker processes started with
  ``spawn``; ``scheduler=ADDRESS`` on an existing Dask distributed cluster (optional extra
  ``cxlab[dask]``). The job function is the same everywhere, :func:`run_client`: it executes and exports
  in-process (no command-line tools) in the worker's one warm kernel (:class:`~cxlab.report.run.WarmKernel`,
  namespace reset before each client, recycled every ``recycle_after`` clients and after a failure).
* **Failures**: one failing client never stops the others; its error line (the CxlabError message, which
  names the notebook cell when a cell failed) is recorded and shown in the index; a failed notebook is
  never exported as a report (and an older report.html of that client is removed).
* **Skip unchanged**: a content hash of the client's inputs (client.yaml, every data file it names,
  recommendations.yaml, the logo), the parameters (lang, static charts), the cxlab version and code, the
  report templates and the versions of the libraries that shape the output is stored in
  ``OUT/<client>/.cxlab-hash`` (JSON, with the run's key figures for the index) after a successful run;
  a re-run skips a client whose hash did not change and whose report.html is there, unless ``force``.
  Failed clients are always retried.
* ``OUT/index.html``: one self-contained page (inline CSS, no http(s) reference) linking every client's
  report with its status (ok / skipped-unchanged / failed + error), language, time and key figures.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import html
import importlib.metadata
import json
import multiprocessing
import multiprocessing.util
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..config import CONFIG_FILE, load_config
from ..errors import CxlabError
from ..intake.write import write_text
from ..recommend.overrides import OVERRIDES_FILE
from .kernel import WarmKernel
from .run import DEFAULT_CELL_TIMEOUT, REPORT_TEMPLATE, build_report, template_path

HASH_FILE = ".cxlab-hash"
INDEX_FILE = "index.html"
REPORT_FILE = "report.html"
SKIP_DIRS = {"__pycache__", "node_modules", ".ipynb_checkpoints"}
#: libraries whose version changes the report's look or numbers (part of the content hash)
HASHED_LIBRARIES = ("pandas", "numpy", "scipy", "altair", "vl-convert-python", "nbconvert", "papermill")

OK, SKIPPED, FAILED = "ok", "skipped", "failed"


# ------------------------------------------------------------------------------------------- records
@dataclass(frozen=True)
class ClientJob:
    """One client to run: everything a worker (local or on a Dask cluster) needs, picklable."""

    name: str  # path of the client folder relative to ROOT (posix), also its folder under OUT
    client_dir: str
    out_dir: str
    digest: str
    lang: str = ""
    static_charts: bool = False
    cell_timeout: int = DEFAULT_CELL_TIMEOUT
    recycle_after: int = 10
    client_name: str = ""  # from client.yaml when it can be read (shown also when the client fails)
    client_lang: str = ""


@dataclass
class ClientOutcome:
    """What happened to one client in a batch."""

    name: str
    client_dir: str
    out_dir: str
    status: str  # "ok", "skipped" (unchanged since the last run) or "failed"
    error: str | None = None
    seconds: float = 0.0
    client_name: str = ""
    lang: str = ""
    key_figures: list[dict[str, str]] = field(default_factory=list)
    size_bytes: int = 0
    #: recommendations in the report the consultant has not reviewed yet (shown as proposals)
    unreviewed: int = 0
    worker: str = ""

    @property
    def report(self) -> Path | None:
        path = Path(self.out_dir) / REPORT_FILE
        return path if self.status != FAILED and path.is_file() else None


@dataclass
class BatchResult:
    """The outcome of :func:`run_batch`: one :class:`ClientOutcome` per client folder, in ROOT order."""

    root: Path
    out: Path
    index: Path
    clients: list[ClientOutcome]
    seconds: float

    def _with(self, status: str) -> list[ClientOutcome]:
        return [c for c in self.clients if c.status == status]

    @property
    def ok(self) -> list[ClientOutcome]:
        return self._with(OK)

    @property
    def skipped(self) -> list[ClientOutcome]:
        return self._with(SKIPPED)

    @property
    def failed(self) -> list[ClientOutcome]:
        return self._with(FAILED)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def summary(self) -> str:
        return (
            f"{len(self.clients)} clients: {len(self.ok)} ok, {len(self.skipped)} skipped (unchanged), "
            f"{len(self.failed)} failed in {self.seconds:.1f} s; index: {self.index}"
        )


# ----------------------------------------------------------------------------------------- discovery
def find_clients(root: str | Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """Every client folder (one holding a ``client.yaml``) under ``root``, recursively, sorted.

    ``root`` itself counts when it holds a client.yaml. A client folder is not searched further; hidden
    folders, caches and the ``exclude`` folders (e.g. the batch output) are skipped.
    """
    root = Path(root).resolve()
    excluded = {Path(p).resolve() for p in exclude}
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if CONFIG_FILE in filenames:
            found.append(here)
            dirnames[:] = []
            continue
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and d not in SKIP_DIRS and (here / d).resolve() not in excluded
        )
    return sorted(found)


def _client_name(root: Path, client_dir: Path) -> str:
    rel = client_dir.relative_to(root).as_posix()
    return client_dir.name if rel == "." else rel


# ------------------------------------------------------------------------------------------- hashing
def _file_digest(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        return "directory"


def _tree_digest(folder: Path, pattern: str = "*") -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(_file_digest(path).encode())
    return h.hexdigest()


def environment_digest() -> str:
    """The part of the content hash shared by every client: cxlab version and code, report templates,
    library versions."""
    h = hashlib.sha256()
    h.update(f"cxlab {__version__}\n".encode())
    h.update(_tree_digest(Path(__file__).resolve().parent.parent).encode())  # the cxlab package
    h.update(_file_digest(template_path(REPORT_TEMPLATE)).encode())
    from .export import TEMPLATE_NAME, template_root

    h.update(_tree_digest(template_root() / TEMPLATE_NAME).encode())
    for lib in HASHED_LIBRARIES:
        try:
            version = importlib.metadata.version(lib)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{lib} {version}\n".encode())
    return h.hexdigest()


def client_digest(client_dir: str | Path, lang: str = "", static_charts: bool = False, env: str = "") -> str:
    """The content hash of one client's report run (see the module docstring for what goes in)."""
    client_dir = Path(client_dir).resolve()
    parts: dict[str, Any] = {
        "env": env or environment_digest(),
        "params": {"lang": lang, "static_charts": bool(static_charts)},
        CONFIG_FILE: _file_digest(client_dir / CONFIG_FILE),
        OVERRIDES_FILE: _file_digest(client_dir / OVERRIDES_FILE),
    }
    try:
        config = load_config(client_dir)
    except CxlabError as exc:  # the run will fail and report it; the hash only needs to be stable
        parts["config_error"] = str(exc)
    else:
        parts["tables"] = {
            name: [src.file, _file_digest(config.path(src.file))]
            for name, src in sorted(config.tables.items())
        }
        if config.branding.logo:
            parts["logo"] = [config.branding.logo, _file_digest(config.path(config.branding.logo))]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _read_stamp(out_dir: Path) -> dict[str, Any] | None:
    try:
        stamp = json.loads((out_dir / HASH_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def _skip_outcome(job: ClientJob) -> ClientOutcome | None:
    """The 'skipped' outcome when the client's report is up to date, else None."""
    out_dir = Path(job.out_dir)
    stamp = _read_stamp(out_dir)
    report = out_dir / REPORT_FILE
    if not stamp or stamp.get("hash") != job.digest or not report.is_file():
        return None
    return ClientOutcome(
        name=job.name,
        client_dir=job.client_dir,
        out_dir=job.out_dir,
        status=SKIPPED,
        seconds=float(stamp.get("seconds", 0.0)),
        client_name=str(stamp.get("client_name", "")),
        lang=str(stamp.get("lang", "")),
        key_figures=list(stamp.get("key_figures", [])),
        size_bytes=report.stat().st_size,
        unreviewed=int(stamp.get("unreviewed", 0) or 0),
    )


# ------------------------------------------------------------------------------- the per-client job
_KERNEL: WarmKernel | None = None  # the worker's warm kernel (one per worker process)
_EXIT_HOOKED = False


def _shutdown_kernel() -> None:
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
        atexit.register(_shutdown_kernel)  # normal interpreter exit
        # multiprocessing children leave with os._exit (no atexit): their finalizers still run
        multiprocessing.util.Finalize(None, _shutdown_kernel, exitpriority=50)
        _EXIT_HOOKED = True


def _init_worker() -> None:
    """ProcessPoolExecutor initializer of the spawned workers."""
    _hook_exit()


def _worker_kernel(recycle_after: int) -> WarmKernel:
    """This process's warm kernel, created on first use (also on Dask workers), shut down at exit."""
    global _KERNEL
    _hook_exit()
    if _KERNEL is None:
        _KERNEL = WarmKernel(recycle_after=recycle_after)
    return _KERNEL


def _one_line(exc: BaseException) -> str:
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
        )
    except Exception as exc:  # noqa: BLE001 - one client's failure is recorded, never propagated
        outcome.error = _one_line(exc)
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
    stamp = {
        "hash": job.digest,
        "client_name": result.client_name,
        "lang": result.lang,
        "seconds": round(result.seconds, 2),
        "key_figures": result.key_figures,
        "unreviewed": outcome.unreviewed,
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cxlab": __version__,
    }
    write_text(out_dir / HASH_FILE, json.dumps(stamp, ensure_ascii=False, indent=1))
    return outcome


def _crashed(job: ClientJob, exc: BaseException) -> ClientOutcome:
    """The outcome of a job whose worker died (the exception came from the pool, not the job)."""
    return ClientOutcome(
        name=job.name,
        client_dir=job.client_dir,
        out_dir=job.out_dir,
        status=FAILED,
        error=f"the worker running this client stopped: {_one_line(exc)}",
        client_name=job.client_name,
        lang=job.lang or job.client_lang,
    )


# ---------------------------------------------------------------------------------------- executors
def _run_local(jobs: list[ClientJob], n: int) -> Iterator[ClientOutcome]:
    if n <= 1:
        try:
            for job in jobs:
                yield run_client(job)
        finally:
            _shutdown_kernel()
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init_worker) as pool:
        futures = {pool.submit(run_client, job): job for job in jobs}
        try:
            for future in as_completed(futures):
                try:
                    yield future.result()
                except Exception as exc:  # noqa: BLE001 - BrokenProcessPool and the like
                    yield _crashed(futures[future], exc)
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _run_dask(jobs: list[ClientJob], address: str) -> Iterator[ClientOutcome]:
    try:
        from distributed import Client, as_completed
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
            "a reachable Dask scheduler", file=f"--scheduler {address}", found=_one_line(exc)
        ) from None
    try:
        tag = uuid.uuid4().hex[:8]
        futures = client.map(run_client, jobs, key=[f"cxlab-{tag}-{i}" for i in range(len(jobs))], pure=False)
        by_key = {f.key: job for f, job in zip(futures, jobs, strict=True)}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker, a pickling problem
                yield _crashed(by_key[future.key], exc)
    finally:
        client.close()


# ------------------------------------------------------------------------------------------- the run
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
    folders = find_clients(root, exclude=[out])
    if not folders:
        raise CxlabError(
            f"at least one client folder (a folder with a {CONFIG_FILE}) under it",
            file=str(root),
            found="none",
        )
    out.mkdir(parents=True, exist_ok=True)
    env = environment_digest()
    all_jobs = []
    for folder in folders:
        name = _client_name(root, folder)
        try:
            config = load_config(folder)
            shown = {"client_name": config.name, "client_lang": config.language}
        except CxlabError:
            shown = {}
        all_jobs.append(
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
    outcomes: dict[str, ClientOutcome] = {}
    todo: list[ClientJob] = []
    for job in all_jobs:
        skipped = None if force else _skip_outcome(job)
        if skipped is None:
            todo.append(job)
        else:
            outcomes[job.name] = skipped

    with _progress(progress, len(all_jobs)) as advance:
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


class _progress:
    """A rich progress bar on stderr (or nothing): ``with _progress(on, total) as advance: advance(o)``."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled = enabled
        self.total = total
        self.bar = None

    def __enter__(self) -> Callable[[ClientOutcome], None]:
        if not self.enabled:
            return lambda outcome: None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("[bold]reports[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True),
        )
        self.bar.start()
        task = self.bar.add_task("", total=self.total)
        colours = {OK: "green", SKIPPED: "cyan", FAILED: "red"}

        def advance(outcome: ClientOutcome) -> None:
            label = f"[{colours[outcome.status]}]{outcome.status}[/] {outcome.name}"
            self.bar.update(task, advance=1, description=label)
            if outcome.status == FAILED:
                self.bar.console.print(f"[red]failed[/red] {outcome.name}: {outcome.error}", markup=True)

        return advance

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


# ------------------------------------------------------------------------------------------ the index
_INDEX_CSS = """
:root { --cx-primary: #1f4e79; --cx-accent: #e07b39; }
.cx-summary { display: flex; gap: .8rem; flex-wrap: wrap; margin: 1rem 0; }
.cx-summary .cx-figure { min-width: 140px; }
.cx-status { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .8rem;
  font-weight: 600; white-space: nowrap; }
.cx-status-ok { background: #dafbe1; color: #116329; }
.cx-status-skipped { background: #ddf4ff; color: #0a3069; }
.cx-status-failed { background: #ffebe9; color: #82071e; }
.cx-error { color: #82071e; font-size: .8rem; max-width: 46rem; word-break: break-word; margin-top: .3rem; }
.cx-kf { margin: 0; padding: 0; list-style: none; font-size: .8rem; }
.cx-kf b { font-variant-numeric: tabular-nums; }
.cx-folder { font-size: .75rem; color: #6e7781; }
.cx-note { color: #7d4e00; font-size: .8rem; margin-top: .3rem; }
.cx-batch { width: 100%; }
.cx-batch td.num, .cx-batch th.num { white-space: nowrap; }
.cx-kf { columns: 2 16rem; column-gap: 1.5rem; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _index_row(outcome: ClientOutcome, out: Path) -> str:
    status_label = {OK: "ok", SKIPPED: "skipped (unchanged)", FAILED: "failed"}[outcome.status]
    status = f'<span class="cx-status cx-status-{outcome.status}">{_e(status_label)}</span>'
    if outcome.error:
        status += f'<div class="cx-error">{_e(outcome.error)}</div>'
    if outcome.unreviewed:
        status += (
            f'<div class="cx-note">{outcome.unreviewed} recommendation(s) not reviewed yet '
            "(in the report as proposals)</div>"
        )
    title = _e(outcome.client_name or outcome.name)
    folder = f'<div class="cx-folder">{_e(outcome.name)}</div>'
    report = outcome.report
    if report is not None:
        href = quote(report.relative_to(out).as_posix())
        client = f'<a href="{_e(href)}">{title}</a>{folder}'
        size = f"{outcome.size_bytes / 1e6:.1f} MB"
    else:
        client = f"{title}{folder}"
        size = ""
    figures = "".join(
        f"<li>{_e(f.get('label', ''))}: <b>{_e(f.get('value', ''))}</b></li>" for f in outcome.key_figures
    )
    kf = f'<ul class="cx-kf">{figures}</ul>' if figures else ""
    seconds = f"{outcome.seconds:.1f} s" if outcome.seconds else ""
    return (
        f"<tr><td>{client}</td><td>{status}</td><td>{_e(outcome.lang)}</td>"
        f'<td class="num">{_e(seconds)}</td><td class="num">{_e(size)}</td><td>{kf}</td></tr>'
    )


def render_index(
    outcomes: list[ClientOutcome], out: Path, seconds: float = 0.0, root: Path | None = None
) -> str:
    """The batch index page: self-contained HTML, every value escaped."""
    from .export import TEMPLATE_NAME, template_root

    css = (template_root() / TEMPLATE_NAME / "report.css").read_text(encoding="utf-8") + _INDEX_CSS
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in (OK, SKIPPED, FAILED)}
    cards = "".join(
        f'<div class="cx-figure"><div class="cx-figure-value">{n}</div><div class="cx-figure-label">{_e(label)}</div></div>'
        for n, label in (
            (len(outcomes), "clients"),
            (counts[OK], "reports written"),
            (counts[SKIPPED], "skipped (unchanged)"),
            (counts[FAILED], "failed"),
        )
    )
    rows = "".join(_index_row(o, out) for o in outcomes)
    now = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    source = f" · {_e(root)}" if root else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Client reports</title>
<style>{css}</style>
</head>
<body>
<header class="cx-cover"><p class="cx-kicker">cxlab batch</p><h1>Client reports</h1>
<p class="cx-date">{_e(now)} · {seconds:.1f} s{source}</p></header>
<main class="cx-main">
<section class="cx-section"><div class="cx-summary">{cards}</div>
<div class="cx-table-wrap"><table class="cx-table cx-batch">
<thead><tr><th scope="col">Client</th><th scope="col">Status</th><th scope="col">Language</th>
<th scope="col" class="num">Time</th><th scope="col" class="num">Size</th><th scope="col">Key figures</th></tr></thead>
<tbody>{rows}</tbody></table></div></section>
</main>
<footer class="cx-footer">cxlab {_e(__version__)}</footer>
</body>
</html>
"""


def write_index(
    out: Path, outcomes: list[ClientOutcome], seconds: float = 0.0, root: Path | None = None
) -> Path:
    """Write ``out/index.html`` (atomically) and a machine-readable ``out/batch.json``; the index path."""
    out = Path(out)
    index = out / INDEX_FILE
    write_text(index, render_index(outcomes, out, seconds, root))
    summary = {"seconds": round(seconds, 2), "clients": [asdict(o) for o in outcomes]}
    write_text(out / "batch.json", json.dumps(summary, ensure_ascii=False, indent=1))
    return index
