"""Files that ship with cxlab: notebook templates and widget front-end files.

In a wheel they sit inside the package (``cxlab/_data/templates``, ``cxlab/_data/widgets``, see the
force-include in pyproject.toml); in an editable install they are the repository's top-level
``templates/`` and ``widgets/`` folders.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent


def shipped(kind: str) -> Traversable:
    """The folder of shipped files of one kind: ``"templates"`` or ``"widgets"``."""
    if kind not in ("templates", "widgets"):
        raise ValueError(f"unknown resource kind {kind!r}")
    packaged = resources.files("cxlab") / "_data" / kind
    if packaged.is_dir():
        return packaged
    return _REPO_ROOT / kind


def notebook_templates() -> Traversable:
    return shipped("templates") / "notebooks"


def widget_files() -> Traversable:
    return shipped("widgets")
