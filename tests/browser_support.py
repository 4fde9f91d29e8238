"""Shared helpers for browser tests: a `jupyter lab` server on localhost and the system Chromium.

The same recipe as tests/test_jupyterlab_browser.py (isolated config/settings/runtime folders, a fixed
token, no news pop-up, every notebook cell rendered), as a module so other browser tests reuse it. The
server loads the repository's built JupyterLab extension, as an installed cxlab would.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
TOKEN = "cxlab-browser-test"
REPO = Path(__file__).resolve().parents[1]
#: Chromium with no name resolution but localhost's: a page that reaches for the web fails
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
#: cxlab's built JupyterLab extension (source in labextension/; the wheel installs it as
#: share/jupyter/labextensions/<its package name>)
LABEXTENSION = REPO / "cxlab" / "jupyter" / "labextension"


def chromium() -> str | None:
    """The system Chromium (CXLAB_CHROMIUM overrides)."""
    for candidate in (os.environ.get("CXLAB_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def skip_reason() -> str | None:
    """Why a browser test cannot run here, or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "the 'playwright' Python package is not installed (pip install playwright; no browser download)"
        )
    if chromium() is None:
        return "no Chromium on this machine (Debian: apt-get install -y chromium)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def start_lab(
    root: Path, server_config: dict | None = None, extra_args: Iterable[str] = ()
) -> tuple[str, Path, subprocess.Popen]:
    """Start `jupyter lab` on a free localhost port serving ``root/work``; returns (url, work, process).

    ``server_config`` is written as the server's ``jupyter_server_config.json`` (e.g. settings of a
    server extension such as ``JupyterLabTemplates``).
    """
    port = free_port()
    config_dir = root / ".jupyter"
    config_dir.mkdir(parents=True, exist_ok=True)
    if server_config:
        (config_dir / "jupyter_server_config.json").write_text(json.dumps(server_config), encoding="utf-8")
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config_dir),
        "JUPYTER_RUNTIME_DIR": str(root / ".runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(root / ".settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(root / ".workspaces"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    settings = root / ".settings" / "@jupyterlab"
    # render every cell (JupyterLab 4 detaches off-screen cells by default); no news pop-up
    (settings / "notebook-extension").mkdir(parents=True, exist_ok=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"})
    )
    (settings / "apputils-extension").mkdir(parents=True, exist_ok=True)
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    # the repository's extension, laid out as the wheel installs it; an extra extensions path comes before
    # the installed ones, so a stale copy an editable install put in the venv is not the one served
    extensions = root / ".labextensions"
    name = json.loads((LABEXTENSION / "package.json").read_text(encoding="utf-8"))["name"]
    shutil.copytree(LABEXTENSION, extensions / name, dirs_exist_ok=True)
    work = root / "work"
    work.mkdir(exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--IdentityProvider.token={TOKEN}",
        "--allow-root",
        "--LabApp.extension_manager=readonly",
        f"--ServerApp.root_dir={work}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.extra_labextensions_path={extensions}",
        *extra_args,
    ]
    log = open(root / "server.log", "wb")  # noqa: SIM115 - owned by the process, closed with it
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=work)
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        if server.poll() is not None:
            raise AssertionError("jupyter lab exited:\n" + (root / "server.log").read_text(errors="replace"))
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=1) as r:
                return r.status == 200
        except OSError:
            return False

    try:
        wait_for(up, 40, "jupyter lab to start")
    except BaseException:
        stop_lab(server)
        raise
    return base, work, server


def stop_lab(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(5)
