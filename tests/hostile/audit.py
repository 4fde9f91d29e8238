"""Watching what a report run opens and where it connects: Python audit hooks (PEP 578) in this process
and, through a ``sitecustomize`` module put on ``PYTHONPATH``, in every Python process it starts (the
kernel); plus a sampler of the sockets the process tree holds (libzmq's connections are made in C, out of
the hooks' sight).

Each audited event is one line of a shared log: ``pid<TAB>kind<TAB>detail`` with kind ``open`` (an absolute
path), ``connect`` (the address), ``resolve`` (a host name looked up)."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import psutil

LOG_ENV = "CXLAB_AUDIT_LOG"

HOOK_SOURCE = """
import os, sys

def install(log, active=lambda: True):
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    write, pid, abspath, fsdecode = os.write, os.getpid, os.path.abspath, os.fsdecode

    def hook(event, args):
        if not active():
            return
        try:
            if event == "open":
                if isinstance(args[0], int):
                    return
                detail = abspath(fsdecode(args[0]))
                kind = "open"
            elif event in ("socket.connect", "socket.sendto"):
                kind, detail = "connect", repr(args[1])
            elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"):
                kind, detail = "resolve", repr(args[0])
            else:
                return
            line = str(pid()) + "\\t" + kind + "\\t" + detail.replace("\\n", " ") + "\\n"
            write(fd, line.encode("utf-8", "replace"))
        except Exception:
            pass

    sys.addaudithook(hook)

if os.environ.get("CXLAB_AUDIT_LOG"):
    install(os.environ["CXLAB_AUDIT_LOG"])
"""

_ACTIVE = threading.Event()
_INSTALLED: dict[str, bool] = {}


def _install_here(log: Path) -> None:
    """The same hook in this process (once: an audit hook cannot be removed; it is idle unless active)."""
    namespace: dict = {}
    source = HOOK_SOURCE.replace('if os.environ.get("CXLAB_AUDIT_LOG")', "if False")
    exec(compile(source, "audit", "exec"), namespace)
    namespace["install"](str(log), active=lambda: _ACTIVE.is_set() and _INSTALLED.get("log") == str(log))


@contextlib.contextmanager
def audited(folder: Path, monkeypatch) -> Iterator[Audit]:
    """Record, while the block runs, what this process and the Python processes it starts open and where
    they connect; ``folder`` gets the log and the ``sitecustomize`` module."""
    site = folder / "audit_site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(HOOK_SOURCE, encoding="utf-8")
    log = folder / "audit.log"
    log.touch()
    monkeypatch.setenv(LOG_ENV, str(log))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])))
    _INSTALLED["log"] = str(log)
    _install_here(log)
    audit = Audit(log)
    sampler = threading.Thread(target=audit.sample_sockets, daemon=True)
    _ACTIVE.set()
    sampler.start()
    try:
        yield audit
    finally:
        _ACTIVE.clear()
        audit.stop.set()
        sampler.join(5)


class Audit:
    def __init__(self, log: Path) -> None:
        self.log = log
        self.stop = threading.Event()
        #: (pid, remote address) of every internet socket seen in this process tree
        self.remote: set[tuple[int, str]] = set()
        self.pids: set[int] = set()

    def sample_sockets(self) -> None:
        me = psutil.Process()
        while not self.stop.is_set():
            for proc in [me, *me.children(recursive=True)]:
                try:
                    self.pids.add(proc.pid)
                    for conn in proc.net_connections(kind="inet"):
                        if conn.raddr:
                            self.remote.add((proc.pid, conn.raddr.ip))
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            self.stop.wait(0.05)

    def events(self, kind: str) -> list[tuple[int, str]]:
        out = []
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            pid, _, rest = line.partition("\t")
            got, _, detail = rest.partition("\t")
            if got == kind:
                out.append((int(pid), detail))
        return out

    @property
    def processes(self) -> set[int]:
        """The processes that logged something (this one and the kernel, at least)."""
        return {pid for pid, _ in self.events("open")}


def is_loopback(host: str) -> bool:
    host = host.strip("'\"[]")
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def connect_host(detail: str) -> str | None:
    """The host of a logged ``connect`` address; None for a Unix socket (a path)."""
    if detail.startswith("("):
        return detail.strip("()").split(",")[0].strip()
    return None


__all__ = ["Audit", "audited", "connect_host", "is_loopback", "sys"]
