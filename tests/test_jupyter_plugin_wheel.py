"""The built wheel, installed in a fresh venv, registers the exporter and the JupyterLab templates.

(cxlab ships no JupyterLab extension, so there is no `jupyter labextension list` check: the templates
reach JupyterLab through jupyterlab_templates, the exporter through nbconvert's entry points.)

Fast and offline: the wheel is installed with ``--no-deps``; its dependencies come from the dev venv
through a ``.pth`` line (a venv's ``--system-site-packages`` would expose the base interpreter, not the
dev venv). The fresh venv's own site-packages comes first, so ``cxlab`` and its entry points are the
wheel's.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], Path]:
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp, ROOT],
        check=True,
    )
    (wheel,) = tmp.glob("cxlab-*.whl")
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (purelib / "zz_dev_venv.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel], check=True
    )
    # no user or inherited Jupyter paths: only the fresh venv's share/jupyter and the system ones
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTHON"))}
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp / "cfg"), JUPYTER_DATA_DIR=str(tmp / "data"), JUPYTER_PLATFORM_DIRS="1"
    )
    return python, env, env_dir


def _run(python: Path, env: dict[str, str], *args: str, cwd: Path) -> str:
    return subprocess.run(
        [str(python), *args], check=True, capture_output=True, text=True, env=env, cwd=cwd
    ).stdout


def test_nbconvert_lists_the_exporter(fresh_python, tmp_path):
    python, env, env_dir = fresh_python
    # nbconvert's own templates (lab, classic, base) are data files of the dev venv's nbconvert
    env = {**env, "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}
    help_all = _run(python, env, "-m", "nbconvert", "--help-all", cwd=tmp_path)
    assert "'client_report'" in help_all
    where = _run(
        python,
        env,
        "-c",
        "from nbconvert.exporters import get_exporter; import cxlab; e = get_exporter('client_report');"
        "print(e.__module__, e.export_from_notebook, cxlab.__file__, sep='|')",
        cwd=tmp_path,
    ).strip()
    module, label, cxlab_file = where.split("|")
    assert module == "cxlab.jupyter.exporter" and label == "CX client report"
    assert Path(cxlab_file).is_relative_to(env_dir)  # the wheel's copy, not the repository's


def test_jupyterlab_templates_finds_the_shipped_notebooks(fresh_python, tmp_path):
    python, env, env_dir = fresh_python
    # the same search jupyterlab_templates' server extension runs (include_core_paths)
    script = (
        "import os, jupyter_core.paths\n"
        "from jupyterlab_templates.extension import TemplatesLoader\n"
        "dirs = [os.path.join(p, 'notebook_templates') for p in jupyter_core.paths.jupyter_path()]\n"
        "names, full = TemplatesLoader(dirs).get_templates()\n"
        "for n in names.get('cxlab', []): print(full[n['name']]['path'])\n"
    )
    paths = [Path(p) for p in _run(python, env, "-c", script, cwd=tmp_path).split()]
    shipped = sorted(p.name for p in (ROOT / "templates" / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in paths) == sorted([*shipped, "new_engagement.ipynb"])
    assert all(
        p.is_relative_to(env_dir / "share" / "jupyter" / "notebook_templates" / "cxlab") for p in paths
    )
