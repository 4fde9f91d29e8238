"""Chart wording comes from the gettext catalogs: every chart label has its Italian entry, none is wired
by language in the code."""

from __future__ import annotations

import ast
from pathlib import Path
from types import ModuleType

import pytest

from cxlab.charts import culture, handoffs, indicators, journey, recommend, segments, text
from cxlab.charts._labels import CHART_CONTEXT, chart_label
from cxlab.i18n import LOCALE_DIR, _catalog, gettext

CHART_MODULES = (culture, handoffs, indicators, journey, recommend, segments, text)
CHARTS_DIR = Path(handoffs.__file__).parent


def labels_of(module: ModuleType) -> dict[str, str]:
    names = vars(module)
    return dict(names.get("LABELS") or names["_L"])


@pytest.mark.parametrize("module", CHART_MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_every_chart_label_has_an_italian_entry(module: ModuleType) -> None:
    italian = _catalog("it")
    missing = [en for en in labels_of(module).values() if (CHART_CONTEXT, en) not in italian]
    assert not missing


def test_labels_translate_and_fall_back() -> None:
    assert chart_label(handoffs.LABELS, "from", "it") == "Dal reparto"
    assert chart_label(handoffs.LABELS, "from", "en") == "From department"
    assert chart_label(handoffs.LABELS, "from", "fr") == "From department"  # no French catalog: English
    assert chart_label(handoffs.LABELS, "no_such_key", "it") == "no_such_key"
    assert handoffs.finding_title("contradictory_answers", "it") == "Risposte contraddittorie"
    assert gettext("it", handoffs.FINDING_TEXTS["tortuous_flow"]["title"]).startswith("Percorso tortuoso")


def test_the_catalog_is_the_charts_own() -> None:
    assert (LOCALE_DIR / "it" / "LC_MESSAGES" / "charts.po").is_file()


def test_no_language_is_wired_in_the_chart_code() -> None:
    for path in sorted(CHARTS_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            # a comparison with a language code (lang == "it") or a {"it": ..., "en": ...} dict
            if isinstance(node, ast.Compare):
                codes = [c for c in (node.left, *node.comparators) if isinstance(c, ast.Constant)]
                assert not any(c.value in ("it", "en") for c in codes), f"{path.name}:{node.lineno}"
            if isinstance(node, ast.Dict) and path.name != "theme.py":  # theme: Vega's d3 locale tables
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                assert not {"it", "en"} <= keys, f"{path.name}:{node.lineno}"
