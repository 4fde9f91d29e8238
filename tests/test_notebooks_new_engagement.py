"""A new engagement end to end, and the worked examples as offline web pages.

`cxlab new` → the client's files in data/ → 01_data_intake runs before anything is mapped and offers the
right file to the column mapper → the mapping in client.yaml → `cxlab report --worked-examples`: every
step notebook runs top to bottom, the report shows the unreviewed proposals, and each worked example's web
page draws every chart with the network off (SVGs counted in Chromium's ``--dump-dom``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from browser_support import CHROMIUM_ARGS, chromium

from cxlab.demo import generate_demo_client
from cxlab.report.run import STEP_TEMPLATES, build_report, execute_template, template_path
from cxlab.scaffold import QUESTIONNAIRE_COLUMNS, new_engagement

pytestmark = pytest.mark.slow

OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND"


def errors_of(nb: nbformat.NotebookNode) -> list[str]:
    return [
        f"{o.get('ename')}: {o.get('evalue')}"
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]


def test_scaffold_shows_proposals_and_writes_the_blank_questionnaire(tmp_path: Path) -> None:
    import pandas as pd

    from cxlab.questionnaire import QUESTIONS
    from cxlab.recommend.overrides import load_overrides

    folder = new_engagement(tmp_path / "rossi", language="it")
    assert load_overrides(folder).unreviewed == "show"
    assert re.search(
        r"^unreviewed: show$", (folder / "recommendations.yaml").read_text(encoding="utf-8"), re.M
    )
    page = (folder / "workshop" / "questionnaire_it.html").read_text(encoding="utf-8")
    assert "<!DOCTYPE html>" in page and QUESTIONS[0].text("it") in page
    sheet = pd.read_excel(folder / "workshop" / "questionnaire_it.xlsx", sheet_name="culture", dtype=str)
    assert tuple(sheet.columns) == QUESTIONNAIRE_COLUMNS
    cross = sum(q.cross for q in QUESTIONS)
    assert len(sheet) == len(QUESTIONS) + cross
    assert set(sheet["question_id"]) == {q.id for q in QUESTIONS}


@pytest.fixture(scope="module")
def engagement(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A new engagement holding the (small) demo client's files; returns (engagement, demo)."""
    root = tmp_path_factory.mktemp("new_engagement")
    demo = generate_demo_client(root / "demo", seed=7, customers=200, cases=800, language="en")
    folder = new_engagement(root / "rossi", language="en")
    for file in (Path(demo) / "data").iterdir():
        if file.name != "README.md":
            shutil.copy(file, folder / "data" / file.name)
    return folder, Path(demo)


def test_intake_runs_before_anything_is_mapped(engagement: tuple[Path, Path], tmp_path: Path) -> None:
    folder, _ = engagement
    nb = execute_template(
        template_path(STEP_TEMPLATES[0]), tmp_path / "01.ipynb", {}, None, 300, folder / "notebooks"
    )
    assert not errors_of(nb)
    text = "\n".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    # the customers file (clienti.csv) is offered for the default table, and the mapper is shown
    assert "customers <- data/clienti.csv" in text
    widgets = [
        o
        for c in nb.cells
        for o in c.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(widgets) == 1


def drawn_charts(page: Path) -> tuple[int, int]:
    """(chart containers, SVG charts) in the page as Chromium draws it with every host unresolvable."""
    dom = subprocess.run(
        [chromium(), "--headless", *CHROMIUM_ARGS, OFFLINE, "--virtual-time-budget=15000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    return dom.count('class="cxlab-nb-chart"'), len(re.findall(r'<svg[^>]*class="marks"', dom))


def test_new_engagement_report_and_worked_examples(engagement: tuple[Path, Path], tmp_path: Path) -> None:
    folder, demo = engagement
    # the mapping the consultant saves with the column mapper (here: the demo's own tables block)
    config = (folder / "client.yaml").read_text(encoding="utf-8")
    tables = (
        (demo / "client.yaml")
        .read_text(encoding="utf-8")
        .split("\ntables:\n", 1)[1]
        .split("\nthresholds:", 1)[0]
    )
    (folder / "client.yaml").write_text(
        config.replace("tables: {}\n", "tables:\n" + tables + "\n", 1), encoding="utf-8"
    )
    result = build_report(folder, tmp_path / "out", worked_examples=True, cell_timeout=300)
    assert result.ok and result.pending > 0 and result.unreviewed > 0  # proposals shown, not hidden
    assert len(result.notebooks) == 1 + len(STEP_TEMPLATES)
    for path in result.notebooks[1:]:
        assert not errors_of(nbformat.read(path, as_version=4)), path.name
    if chromium() is None:
        pytest.skip("no Chromium to draw the worked examples' pages")
    counts = {}
    for name in STEP_TEMPLATES[1:]:
        page = tmp_path / "out" / "notebooks" / Path(name).with_suffix(".html")
        assert not re.search(
            r"<(script|link)[^>]+(src|href)=[\"']https?://", page.read_text(encoding="utf-8")
        )
        counts[name] = drawn_charts(page)
    assert all(boxes >= 1 and svgs == boxes for boxes, svgs in counts.values()), counts
