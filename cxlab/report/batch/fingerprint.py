"""Skip unchanged clients: the content hash of a client's report run, and the stamp kept beside its report.

The hash covers the client's inputs (client.yaml, every data file it names, recommendations.yaml, the
logo), the parameters (lang, static charts), the cxlab version and code, the report templates and the
versions of the libraries that shape the output. It is stored with the run's key figures in
``OUT/<client>/.cxlab-hash`` after a successful run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import stat
from pathlib import Path
from typing import Any

from ... import __version__
from ...config import CONFIG_FILE, load_config
from ...errors import CxlabError
from ...intake.write import write_text
from ...recommend.overrides import OVERRIDES_FILE
from ...safety import file_kind
from ..export import TEMPLATE_NAME, template_root
from ..run import REPORT_TEMPLATE, ReportResult, template_path
from .jobs import HASH_FILE, REPORT_FILE, SKIPPED, ClientJob, ClientOutcome

#: libraries whose version changes the report's look or numbers (part of the content hash)
HASHED_LIBRARIES = ("pandas", "numpy", "scipy", "altair", "vl-convert-python", "nbconvert", "papermill")
#: the cxlab package folder, whose code is part of the content hash
PACKAGE_DIR = Path(__file__).resolve().parents[2]


def _file_digest(path: Path) -> str:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as exc:  # a link loop, no permission: the run reports it
        return f"unreadable: {exc.strerror}"
    if not stat.S_ISREG(mode):  # a FIFO would block the hashing, a device never ends: never opened
        return file_kind(mode)
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        return "directory"
    except OSError as exc:
        return f"unreadable: {exc.strerror}"


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
    h.update(_tree_digest(PACKAGE_DIR).encode())
    h.update(_file_digest(template_path(REPORT_TEMPLATE)).encode())
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


def read_stamp(out_dir: Path) -> dict[str, Any] | None:
    """The stamp of the client's last successful run, or None (none, unreadable or not a JSON object)."""
    try:
        stamp = json.loads((out_dir / HASH_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def write_stamp(job: ClientJob, result: ReportResult) -> None:
    """Record a successful run: its content hash and the figures the index shows when it is skipped."""
    stamp = {
        "hash": job.digest,
        "client_name": result.client_name,
        "lang": result.lang,
        "seconds": round(result.seconds, 2),
        "key_figures": result.key_figures,
        "unreviewed": result.unreviewed,
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cxlab": __version__,
    }
    write_text(Path(job.out_dir) / HASH_FILE, json.dumps(stamp, ensure_ascii=False, indent=1))


def skip_outcome(job: ClientJob) -> ClientOutcome | None:
    """The 'skipped' outcome when the client's report is up to date, else None."""
    out_dir = Path(job.out_dir)
    stamp = read_stamp(out_dir)
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
