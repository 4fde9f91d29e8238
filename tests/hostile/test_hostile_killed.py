"""A ``cxlab report`` process killed with SIGKILL mid-run: its kernel does not survive it (even a kernel
stuck in C code, which never runs ipykernel's own parent check), and no half-written ``report.html`` is
left (the report is written to a temporary file that replaces it only once complete)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kernels import kernels_alive, mark_environment, notebook, pid_alive, wait_no_kernels

from cxlab.demo import generate_demo_client
from cxlab.report.run import clear_stale_report

pytestmark = pytest.mark.slow

#: ``cxlab report`` as the command line runs it, with the report template replaced by argv[1] and, when
#: argv[2] is "kill-while-writing", the process killing itself while report.html is being written
SCRIPT = """
import os, signal, sys
from pathlib import Path
import cxlab.report.run as run
import cxlab.report.kernel as kernel
import cxlab.intake.write as write
template, mode = Path(sys.argv[1]), sys.argv[2]
run.template_path = lambda name: template
kernel.PREWARM_CODE = ""  # the templates import nothing: no cxlab imports to warm up in the kernel
if mode == "kill-while-writing":
    fsync = write.os.fsync
    def fsync_then_die(fd):
        name = os.readlink(f"/proc/self/fd/{fd}")
        if ".report.html." in name:
            open(sys.argv[3], "w").write(name)
            os.kill(os.getpid(), signal.SIGKILL)  # the bytes are written, the report is not in place yet
        fsync(fd)
    write.os.fsync = fsync_then_die
from cxlab.cli import main
main(sys.argv[4:])
"""


@pytest.fixture(scope="module")
def tiny_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_demo_client(
        tmp_path_factory.mktemp("killed") / "client", seed=3, language="en", customers=50, cases=80
    )


def start_report(template: Path, mode: str, flag: Path, client: Path, out: Path) -> subprocess.Popen:
    args = [sys.executable, "-c", SCRIPT, str(template), mode, str(flag), "report", str(client)]
    return subprocess.Popen([*args, "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for(path: Path, proc: subprocess.Popen, seconds: float = 90.0) -> str:
    end = time.monotonic() + seconds
    while not (path.exists() and path.read_text()):
        if proc.poll() is not None:
            pytest.fail(f"cxlab report ended before the test could kill it: {proc.stderr.read().decode()}")
        assert time.monotonic() < end, "the report never reached the point to kill it at"
        time.sleep(0.1)
    return path.read_text()


def test_a_killed_report_leaves_no_kernel_even_one_stuck_in_c_code(
    tmp_path: Path, tiny_client: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tag = mark_environment(monkeypatch)
    flag = tmp_path / "kernel.pid"
    # a catastrophic-backtracking regular expression: runs for ages in C, holding the GIL, so the kernel's
    # own thread that checks for its parent never runs
    template = notebook(
        tmp_path / "stuck.ipynb",
        f"import os, re\nopen({str(flag)!r}, 'w').write(str(os.getpid()))\nre.match(r'(a+)+$', 'a' * 64 + 'b')",
    )
    out = tmp_path / "out"
    proc = start_report(template, "stuck", tmp_path / "unused", tiny_client, out)
    kernel = 0
    try:
        kernel = int(wait_for(flag, proc))
        time.sleep(0.5)  # inside the regular expression
        assert pid_alive(kernel) and kernels_alive(tag) == [kernel]
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        end = time.monotonic() + 5
        while pid_alive(kernel) and time.monotonic() < end:
            time.sleep(0.1)
        assert not pid_alive(kernel), "the kernel outlived the killed cxlab report"
        assert wait_no_kernels(tag, 1) == []
        assert not (out / "report.html").exists()
    finally:
        if proc.poll() is None:
            proc.kill()
        if kernel and pid_alive(kernel):
            os.kill(kernel, signal.SIGKILL)  # the test failed: leave no spinning kernel behind


def test_a_report_killed_while_writing_leaves_no_half_written_report(
    tmp_path: Path, tiny_client: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tag = mark_environment(monkeypatch)
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("<html>the report of an earlier run</html>", encoding="utf-8")
    template = notebook(tmp_path / "short.ipynb", "print('the report')")
    flag = tmp_path / "writing"
    proc = start_report(template, "kill-while-writing", flag, tiny_client, out)
    try:
        temporary = Path(wait_for(flag, proc))
        assert proc.wait(30) == -signal.SIGKILL
        # the bytes were in the temporary file; report.html is neither half-written nor the stale one
        assert temporary.parent == out and temporary.stat().st_size > 1000
        assert not (out / "report.html").exists()
        assert wait_no_kernels(tag, 5) == []  # the kernel left with its parent
        clear_stale_report(out)  # what the next run does first: the killed run's temporary file goes
        assert not temporary.exists()
    finally:
        if proc.poll() is None:
            proc.kill()
