"""What a batch is made of: the client folders under ROOT, one picklable job per client, and the outcomes."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...config import CONFIG_FILE
from ..run import DEFAULT_CELL_TIMEOUT, DEFAULT_CLIENT_TIMEOUT

HASH_FILE = ".cxlab-hash"
INDEX_FILE = "index.html"
REPORT_FILE = "report.html"
SUMMARY_FILE = "batch.json"
SKIP_DIRS = {"__pycache__", "node_modules", ".ipynb_checkpoints"}

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
    client_timeout: float = DEFAULT_CLIENT_TIMEOUT
    client_name: str = ""  # from client.yaml when it can be read (shown also when the client fails)
    client_lang: str = ""
    template: str = ""  # another report template (tests); "" is the client report


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

    @classmethod
    def failed(cls, job: ClientJob, error: str | None, **extra: Any) -> ClientOutcome:
        """A failed outcome of ``job``, named as the index shows it (the client's name and language known
        before its run)."""
        return cls(
            name=job.name,
            client_dir=job.client_dir,
            out_dir=job.out_dir,
            status=FAILED,
            error=error,
            client_name=job.client_name,
            lang=job.lang or job.client_lang,
            **extra,
        )

    @property
    def report(self) -> Path | None:
        path = Path(self.out_dir) / REPORT_FILE
        return path if self.status != FAILED and path.is_file() else None


@dataclass
class BatchResult:
    """The outcome of :func:`~cxlab.report.batch.run_batch`: one :class:`ClientOutcome` per client folder,
    in ROOT order."""

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
    folders, caches and the ``exclude`` folders (e.g. the batch output) are skipped. Links to folders are
    followed, each real folder once.
    """
    root = Path(root).resolve()
    excluded = {Path(p).resolve() for p in exclude}
    found: list[Path] = []
    # symbolic links to folders are followed (a client folder linked into ROOT is a client), each real
    # folder once: a link loop or a second link to the same client is not walked again
    seen: set[Path] = {root}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        here = Path(dirpath)
        if CONFIG_FILE in filenames:
            found.append(here)
            dirnames[:] = []
            continue
        kept = []
        for d in sorted(dirnames):
            if d.startswith(".") or d in SKIP_DIRS:
                continue
            try:
                real = (here / d).resolve()
            except (OSError, RuntimeError):
                continue  # a broken link or a loop
            if real in excluded or real in seen:
                continue
            seen.add(real)
            kept.append(d)
        dirnames[:] = kept
    return sorted(found)


def client_job_name(root: Path, client_dir: Path) -> str:
    """The client's name in the batch: its folder relative to ROOT (its own name when it is ROOT)."""
    rel = client_dir.relative_to(root).as_posix()
    return client_dir.name if rel == "." else rel
