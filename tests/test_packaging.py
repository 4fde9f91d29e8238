"""The wheel ships the notebook templates and widget files, found through importlib.resources."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_templates_and_widgets(tmp_path):
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheel_dir),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = wheel_dir.glob("cxlab-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    # count shipped files through importlib.resources, from outside the repository
    script = (
        "from cxlab.resources import notebook_templates, widget_files\n"
        "t = notebook_templates(); w = widget_files()\n"
        "assert '_data' in str(t), t\n"
        "print(sum(1 for p in t.iterdir() if p.name.endswith('.ipynb')), sum(1 for p in w.iterdir() if p.name.endswith('.js')))\n"
    )
    out = subprocess.run(
        [python, "-c", script], cwd=tmp_path, check=True, capture_output=True, text=True
    ).stdout.split()
    expected_notebooks = len(list((ROOT / "templates" / "notebooks").glob("*.ipynb")))
    expected_js = len(list((ROOT / "widgets").glob("*.js")))
    assert [int(x) for x in out] == [expected_notebooks, expected_js]
