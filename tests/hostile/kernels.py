"""Helpers of the hostile suite: the kernels a test started, found in the process table."""

from __future__ import annotations

import os
import time
import uuid

import psutil

MARK = "CXLAB_HOSTILE_RUN"


def mark_environment(monkeypatch) -> str:
    """Tag this test's processes: every kernel and worker it starts inherits the variable."""
    tag = uuid.uuid4().hex
    monkeypatch.setenv(MARK, tag)
    return tag


def kernels_alive(tag: str) -> list[int]:
    """The ipykernel processes still running that carry ``tag`` (started by this test, orphaned or not)."""
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        try:
            if not any("ipykernel" in part for part in (proc.info["cmdline"] or [])):
                continue
            if proc.status() == psutil.STATUS_ZOMBIE:
                continue
            if proc.environ().get(MARK) == tag:
                found.append(proc.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def wait_no_kernels(tag: str, seconds: float = 5.0) -> list[int]:
    """The tagged kernels left after waiting up to ``seconds`` for them to go."""
    end = time.monotonic() + seconds
    while True:
        left = kernels_alive(tag)
        if not left or time.monotonic() > end:
            return left
        time.sleep(0.2)


def pid_alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


__all__ = ["MARK", "kernels_alive", "mark_environment", "os", "pid_alive", "wait_no_kernels"]
