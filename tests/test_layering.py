"""The package's layers point one way: analysis <- diagnosis <- charts/widgets/report <- cli.

Every module under ``cxlab/`` is parsed with :mod:`ast` (nothing is imported) and each of its imports of
cxlab is collected: at the top, inside functions, under ``TYPE_CHECKING`` and ``import_module("...")``
calls with a literal name. A module belongs to the layer of its first package under ``cxlab``
(``cxlab.report.batch.jobs`` -> ``cxlab.report`` -> presentation).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import cxlab

# ---------------------------------------------------------------------------------- the layer map
#: layer -> the cxlab packages/modules in it
LAYERS: dict[str, tuple[str, ...]] = {
    "analysis": (
        "cxlab.handoffs",
        "cxlab.indicators",
        "cxlab.segments",
        "cxlab.culture",
        "cxlab.clv",
        "cxlab.journey",
        "cxlab.stats",
        "cxlab.text",
        "cxlab.intake",
        "cxlab.constraints",
        "cxlab.colours",
        "cxlab.labels",
        "cxlab.schema",
        "cxlab.config",
        "cxlab.questionnaire",
        "cxlab.errors",
        "cxlab.safety",
        "cxlab.i18n",
    ),
    "diagnosis": ("cxlab.diagnosis", "cxlab.findings", "cxlab.insights", "cxlab.recommend"),
    "presentation": ("cxlab.charts", "cxlab.widgets", "cxlab.report", "cxlab.jupyter"),
    "entry": ("cxlab.cli", "cxlab.__main__"),
}

#: layer -> what its modules must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "analysis": (
        "cxlab.charts",
        "cxlab.widgets",
        "cxlab.report",
        "cxlab.cli",
        "cxlab.jupyter",
        "cxlab.diagnosis",
        "cxlab.findings",
        "cxlab.recommend",
    ),
    "diagnosis": ("cxlab.charts", "cxlab.widgets", "cxlab.report", "cxlab.cli", "cxlab.jupyter"),
    "presentation": ("cxlab.cli",),
}

#: only the entry points may import the command line; every other module is checked against this
CLI = "cxlab.cli"
ENTRY_POINTS = LAYERS["entry"]

PACKAGE_DIR = Path(cxlab.__file__).resolve().parent
#: members of the map that need not exist (yet): the map states the rule for them all the same
OPTIONAL_MEMBERS = {"cxlab.__main__"}


# ------------------------------------------------------------------------------------- the checker
def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def layer_of(module: str) -> str | None:
    for layer, members in LAYERS.items():
        if any(_within(module, member) for member in members):
            return layer
    return None


def module_name(path: Path, root: Path = PACKAGE_DIR) -> str:
    """``cxlab/report/batch/jobs.py`` -> ``cxlab.report.batch.jobs``; a package's ``__init__`` is the package."""
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def cxlab_imports(source: str, module: str, is_package: bool) -> set[str]:
    """Every cxlab module ``source`` (the code of ``module``) imports, anywhere in the file.

    ``from X import a`` counts as importing ``X`` and ``X.a`` (``a`` may be a submodule)."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and not node.args[0].value.startswith(".")
        ):
            found.add(node.args[0].value)
    return {name for name in found if _within(name, "cxlab")}


def violations(imports: Mapping[str, Iterable[str]]) -> list[str]:
    """One line per import that goes against the layer map: ``module -> imported (rule)``."""
    lines: set[str] = set()
    for module, targets in imports.items():
        layer = layer_of(module)
        for target in targets:
            banned = FORBIDDEN.get(layer or "", ())
            hit = next((b for b in banned if _within(target, b)), None)
            if hit is not None:
                lines.add(f"{module} -> {target} ({layer} must not import {hit})")
            elif _within(target, CLI) and layer != "entry":
                lines.add(f"{module} -> {target} (only the entry points import {CLI})")
    return sorted(lines)


def package_imports(root: Path = PACKAGE_DIR) -> dict[str, set[str]]:
    """module -> its cxlab imports, for every module of the package under ``root``."""
    return {
        module_name(path, root): cxlab_imports(
            path.read_text(encoding="utf-8"), module_name(path, root), path.name == "__init__.py"
        )
        for path in sorted(root.rglob("*.py"))
        if "__pycache__" not in path.parts
    }


# ------------------------------------------------------------------------------------------ tests
def test_every_cxlab_import_follows_the_layers() -> None:
    found = violations(package_imports())
    assert not found, "imports against the layer map:\n" + "\n".join(found)


def test_the_layer_map_names_real_modules() -> None:
    # a renamed package must not silently leave the map (and its rule) behind
    modules = set(package_imports())
    missing = [
        member
        for members in LAYERS.values()
        for member in members
        if member not in modules and member not in OPTIONAL_MEMBERS
    ]
    assert not missing


def test_imports_are_collected_everywhere_and_resolved() -> None:
    source = (
        "from __future__ import annotations\n"
        "import os\n"
        "from typing import TYPE_CHECKING\n"
        "from .stats import wilson\n"
        "from .. import charts\n"
        "if TYPE_CHECKING:\n"
        "    from cxlab.widgets import CxWidget\n"
        "def late():\n"
        "    from ..report.html import escape\n"
        "    import cxlab.cli\n"
        "    import_module('cxlab.jupyter')\n"
    )
    found = cxlab_imports(source, "cxlab.text.themes", is_package=False)
    assert found == {
        "cxlab.text.stats",
        "cxlab.text.stats.wilson",
        "cxlab",
        "cxlab.charts",
        "cxlab.widgets",
        "cxlab.widgets.CxWidget",
        "cxlab.report.html",
        "cxlab.report.html.escape",
        "cxlab.cli",
        "cxlab.jupyter",
    }
    # in a package's __init__, "." is the package itself
    assert cxlab_imports("from .jobs import OK\n", "cxlab.report.batch", is_package=True) == {
        "cxlab.report.batch.jobs",
        "cxlab.report.batch.jobs.OK",
    }


def test_the_checker_fails_on_a_synthetic_violation() -> None:
    culture = "def heat_table():\n    from .charts.theme import PALETTE\n    return PALETTE\n"
    imports = {
        "cxlab.culture": cxlab_imports(culture, "cxlab.culture", is_package=False),
        "cxlab.findings": {"cxlab.report.html"},
        "cxlab.report.sections": {"cxlab.cli", "cxlab.diagnosis"},
        "cxlab.demo": {"cxlab.cli"},
        "cxlab.cli": {"cxlab.report", "cxlab.charts"},
        "cxlab.charts.theme": {"cxlab.stats"},
    }
    assert violations(imports) == [
        "cxlab.culture -> cxlab.charts.theme (analysis must not import cxlab.charts)",
        "cxlab.culture -> cxlab.charts.theme.PALETTE (analysis must not import cxlab.charts)",
        "cxlab.demo -> cxlab.cli (only the entry points import cxlab.cli)",
        "cxlab.findings -> cxlab.report.html (diagnosis must not import cxlab.report)",
        "cxlab.report.sections -> cxlab.cli (presentation must not import cxlab.cli)",
    ]


def test_module_names_follow_the_files(tmp_path: Path) -> None:
    root = tmp_path / "cxlab"
    assert module_name(root / "report" / "batch" / "__init__.py", root) == "cxlab.report.batch"
    assert module_name(root / "report" / "batch" / "jobs.py", root) == "cxlab.report.batch.jobs"
    assert module_name(root / "__init__.py", root) == "cxlab"
    assert layer_of("cxlab.report.batch.jobs") == "presentation"
    assert layer_of("cxlab.intake.read") == "analysis"
    assert layer_of("cxlab.iox") is None
