"""The analysis layer computes; it does not speak or draw (issue 17).

The analysis modules hold no HTML, no report wording (a sentence in Italian or English, or an
``{"it": ..., "en": ...}`` dictionary, or a ``lang == ...`` branch) and no file writes: words live in the
gettext catalogs and the report layer (``cxlab/report/methodology.py``, ``segments_text.py``,
``questionnaire_html.py``). Allowed: docstrings and comments, messages of raised errors (``...Error(...)``)
and the lexicon/theme data files of ``cxlab/text/data``. No module imports another module's private
(underscore) helper.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[1] / "cxlab"
ANALYSIS_MODULES = sorted(
    [
        *PACKAGE.glob("indicators/*.py"),
        *PACKAGE.glob("handoffs/*.py"),
        *(PACKAGE / name for name in ("segments.py", "culture.py", "clv.py", "journey.py", "stats.py")),
        *PACKAGE.glob("text/*.py"),
    ]
)

HTML_TAG = re.compile(r"<[a-z]+[ >]")
LANGUAGE_DICT = re.compile(r"""[{,(]\s*["'](?:it|en)["']\s*:""")
LANGUAGE_BRANCH = re.compile(r"\blang\s*(?:==|!=)")
WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
#: a string with this many words (two letters or more) and a space reads as wording, not a code or a key
SENTENCE_WORDS = 4
#: calls whose string arguments are not wording: raised errors, warnings and regular expressions
MESSAGE_CALL = re.compile(r"(Error|Exception|warn|^compile)$")


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _literal_strings(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every string literal that is not a docstring, an error/warning message or a regular
    expression; an f-string is its literal parts with ``{}`` for each placeholder."""
    tree = ast.parse(source)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):  # docstrings
            skipped.add(id(node.value))
        if isinstance(node, ast.Call) and MESSAGE_CALL.search(_call_name(node)):
            skipped.update(id(sub) for sub in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.JoinedStr):
            skipped.update(id(part) for part in node.values)
            text = "".join(p.value if isinstance(p, ast.Constant) else "{}" for p in node.values)
            yield node.lineno, str(text)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def wording_problems(source: str) -> list[str]:
    """What makes ``source`` speak or draw: HTML tags, language dictionaries or branches, sentences."""
    problems = []
    for pattern, what in (
        (HTML_TAG, "HTML tag"),
        (LANGUAGE_DICT, "language dict"),
        (LANGUAGE_BRANCH, "lang branch"),
    ):
        for match in pattern.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            problems.append(f"line {line}: {what} {match.group()!r}")
    for line, text in _literal_strings(source):
        if len(WORD.findall(text)) >= SENTENCE_WORDS and " " in text.strip():
            problems.append(f"line {line}: sentence {text[:60]!r}")
    return problems


def test_the_analysis_modules_are_listed():
    names = {p.relative_to(PACKAGE).as_posix() for p in ANALYSIS_MODULES}
    assert {
        "indicators/scores.py",
        "handoffs/core.py",
        "segments.py",
        "culture.py",
        "text/sentiment.py",
    } <= names
    assert all(p.exists() for p in ANALYSIS_MODULES)


@pytest.mark.parametrize("path", ANALYSIS_MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_html_and_no_wording_in_the_analysis_layer(path: Path):
    assert wording_problems(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", ANALYSIS_MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_file_writes_in_the_analysis_layer(path: Path):
    source = path.read_text(encoding="utf-8")
    assert not re.search(
        r"\.(write_text|write_bytes|to_csv|to_excel|to_parquet)\(|\bopen\([^)]*['\"]w", source
    )


@pytest.mark.parametrize(
    "added",
    [
        'page = "<div class=\\"note\\">" + body',
        'LABELS = {"it": "Promotori", "en": "Promoters"}',
        'title = "Share of the customers who answered"',
        'title = f"{n} customers answered the survey"',
        'unit = "giorni" if lang == "it" else "days"',
    ],
)
def test_the_check_fails_when_wording_is_added(added: str):
    assert wording_problems(f"def f(body, n, lang):\n    {added}\n") != []


@pytest.mark.parametrize(
    "allowed",
    [
        'raise AnalysisError("a frequency D, W, M, Q or Y", column="freq", found=repr(freq))',
        'rule = f"%{top}-10 - %0-{bottom}"',
        'columns = ["customer_id", "last_answered_wave", "missed_wave", "previous_nps"]',
        '"""A docstring may explain the method in a full English sentence."""',
    ],
)
def test_the_check_allows_codes_errors_and_docstrings(allowed: str):
    assert wording_problems(f"def f(top, bottom, freq):\n    {allowed}\n") == []


#: private imports still to rename (none: a helper used by two modules gets a public name)
PRIVATE_IMPORTS_TO_RENAME: set[str] = set()


def private_imports(source: str) -> list[str]:
    """``from module import _name`` statements of ``source`` (``module import name``, one per name)."""
    statement = re.compile(r"^\s*from\s+(\S+)\s+import\s+(\([^)]*\)|[^\n]*)", re.MULTILINE)
    found = []
    for module, names in statement.findall(source):
        for name in (n.strip().split(" as ")[0] for n in re.split(r"[,\n]", names.strip("()"))):
            if name.startswith("_") and not name.startswith("__"):
                found.append(f"from {module} import {name}")
    return found


def test_the_private_import_check_sees_multiline_imports():
    source = "from .core import (\n    EventCore,\n    _group_quantile,\n)\nfrom .a import b as _b, _c\n"
    assert private_imports(source) == ["from .core import _group_quantile", "from .a import _c"]


def test_no_module_imports_another_modules_private_helpers():
    found = {
        f"{path.relative_to(PACKAGE).as_posix()}: {line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line in private_imports(path.read_text(encoding="utf-8"))
    }
    assert found <= PRIVATE_IMPORTS_TO_RENAME


REPORT_WORDING_MODULES = ("methodology.py", "segments_text.py", "questionnaire_html.py")


@pytest.mark.parametrize("name", REPORT_WORDING_MODULES)
def test_the_words_moved_out_of_the_analysis_keep_their_italian(name: str):
    """Every message of the report-layer modules that took the analysis wording is in analysis.po."""
    with (PACKAGE / "locale" / "it" / "LC_MESSAGES" / "analysis.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {(m.context, str(m.id)) for m in catalog if m.id and m.string}
    used = []
    for node in ast.walk(ast.parse((PACKAGE / "report" / name).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and _call_name(node) in ("gettext", "pgettext"):
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            used.append((None, texts[0]) if _call_name(node) == "gettext" else (texts[0], texts[1]))
    assert used and [key for key in used if key not in translated] == []
