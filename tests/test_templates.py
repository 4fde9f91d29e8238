"""The notebook templates: papermill's parameters contract, code that only calls cxlab, cells tagged for the
report or the consultant, narrative between results, and every diagnosis step executed on a small demo client
(one warm kernel for all of them, as ``cxlab report --worked-examples`` runs them)."""

from __future__ import annotations

import ast
import hashlib
import re
from pathlib import Path

import nbformat
import pytest

from cxlab.report.run import REPORT_TEMPLATE, STEP_TEMPLATES, WarmKernel, execute_template

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "templates" / "notebooks"
ALL = [REPORT_TEMPLATE, *STEP_TEMPLATES]
SHIPPED = sorted(p.name for p in TEMPLATES.glob("*.ipynb"))  # every template obeys the static rules
# papermill reads `name: type = default  # help`; a second "=" on the line makes it skip the parameter
PARAM_LINE = re.compile(
    r"^(?P<name>[a-z_][a-z0-9_]*): (?P<type>str|int|float|bool) = (?P<default>[^=#]+?)  # (?P<help>[^=]+)$"
)
ALLOWED_IMPORTS = {"cxlab", "IPython", "pathlib", "tempfile"}
RESULT_TAGS = {"report", "consultant"}
# pandas calls that compute metrics: analysis logic belongs in cxlab, never in a notebook
ANALYSIS_CALLS = {
    "groupby", "agg", "aggregate", "pivot", "pivot_table", "crosstab", "merge", "apply", "transform",
    "mean", "median", "sum", "std", "var", "quantile", "value_counts", "resample", "rolling", "cumsum",
    "corr",
}  # fmt: skip


def read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(TEMPLATES / name, as_version=4)


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def is_setup(cell) -> bool:
    """An untagged setup cell: only imports and assignments (loading the client), nothing displayed."""
    tree = ast.parse(cell.source)
    return bool(tree.body) and all(isinstance(s, ast.Import | ast.ImportFrom | ast.Assign) for s in tree.body)


def parameters_cell(nb):
    cells = [c for c in nb.cells if "parameters" in tags(c)]
    assert len(cells) == 1, f"{len(cells)} cells tagged 'parameters'"
    assert cells[0].cell_type == "code"
    return cells[0]


# ----------------------------------------------------------------------------------------------- static
def test_every_template_the_report_runner_names_is_shipped():
    assert set(ALL) <= set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_parameters_cell_follows_the_papermill_contract(name):
    from papermill.inspection import inspect_notebook

    cell = parameters_cell(read(name))
    declared = {}
    for line in cell.source.splitlines():
        if not line.strip():
            continue
        match = PARAM_LINE.match(line)
        assert match, f"{name}: parameter line not in the form `name: type = default  # help`: {line!r}"
        value = ast.literal_eval(match["default"])
        assert type(value).__name__ == match["type"], (
            f"{name}: default of {match['name']} is not a {match['type']}"
        )
        declared[match["name"]] = (match["type"], match["default"], match["help"].strip())
    assert {"client_dir", "lang"} <= set(declared)
    inspected = inspect_notebook(str(TEMPLATES / name))
    assert list(inspected) == list(declared), "papermill --help-notebook must list every parameter"
    for pname, (ptype, default, help_) in declared.items():
        got = inspected[pname]
        assert got["inferred_type_name"] == ptype
        assert got["default"] == default
        assert got["help"] and got["help"] == help_


@pytest.mark.parametrize("name", SHIPPED)
def test_code_only_imports_cxlab(name):
    for cell in code_cells(read(name)):
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, "no relative imports in a template"
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                assert module.split(".")[0] in ALLOWED_IMPORTS, f"{name}: imports {module}"


@pytest.mark.parametrize("name", SHIPPED)
def test_templates_are_shipped_clean(name):
    nb = read(name)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    for cell in code_cells(nb):
        assert cell.outputs == [] and cell.execution_count is None, "templates ship without outputs"


@pytest.mark.parametrize("name", STEP_TEMPLATES)
def test_step_code_cells_are_tagged_or_setup(name):
    nb = read(name)
    seen: set[str] = set()
    for cell in code_cells(nb):
        cell_tags = set(tags(cell))
        if "parameters" in cell_tags:
            continue
        assert cell_tags & RESULT_TAGS or is_setup(cell), f"{name}: untagged cell {cell.source[:60]!r}"
        assert not {"report", "consultant"} <= cell_tags, (
            "a cell is either for the report or for the consultant"
        )
        seen |= cell_tags
    assert {"report", "consultant"} <= seen


@pytest.mark.parametrize("name", STEP_TEMPLATES)
def test_step_results_are_explained(name):
    """Markdown before the parameters (the method), and after each group of result cells (how to read it)."""
    nb = read(name)
    cells = nb.cells
    first_code = next(i for i, c in enumerate(cells) if c.cell_type == "code")
    intro = "\n".join(c.source for c in cells[:first_code])
    assert "How it works" in intro
    i = first_code
    while i < len(cells):
        if cells[i].cell_type != "code":
            i += 1
            continue
        group = []
        while i < len(cells) and cells[i].cell_type == "code":
            group.append(cells[i])
            i += 1
        results = [c for c in group if set(tags(c)) & RESULT_TAGS]
        if not results:
            continue  # parameters and setup
        assert len(group) <= 3, f"{name}: {len(group)} code cells in a row without a word of explanation"
        assert i < len(cells), f"{name}: the notebook ends on code"
        if any("report" in tags(c) for c in group):
            assert "How to read it" in cells[i].source, (
                f"{name}: no 'How to read it' after {group[0].source[:60]!r}"
            )


@pytest.mark.parametrize("name", STEP_TEMPLATES)
def test_steps_hold_no_analysis_logic(name):
    for cell in code_cells(read(name)):
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr not in ANALYSIS_CALLS, (
                    f"{name}: .{node.func.attr}() computes in the notebook"
                )


# ------------------------------------------------------------------------------------------- execution
# key outputs per step (after a run with lang="en" on the demo client): text that must appear somewhere
EXPECTED = {
    "01_data_intake.ipynb": ["rows_kept", "survey_responses", "codice_cliente", "customer_id", "rows dropped"],
    "02_indicators.ipynb": ["2026-W1", "2026-W2", "Construction", "'falls': True", "action_lists_en.xlsx"],
    "03_handoffs_journey.ipynb": [
        "Sales",
        "Logistics",
        "tortuous_flow",
        "slow_internal_communication",
        "slope",
    ],
    "04_segments.ipynb": ["dilemma", "potential", "Share of customers"],
    "05_comments.ipynb": ["delivery", "waiting_time", "negative"],
    "06_culture.ipynb": ["Customer Service", "Credit", "roles", "questionnaire_en.html"],
    "07_recommendations.ipynb": ["triggered", "handoff_pingpong", "action_plan_en.xlsx"],
}  # fmt: skip
WRITES_FILES = ("02_indicators.ipynb", "06_culture.ipynb", "07_recommendations.ipynb")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def folder_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def output_text(output) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    return "\n".join(str(data.get(k, "")) for k in ("text/plain", "text/html"))


def problems_of(name: str, nb) -> list[str]:
    """What is wrong with one executed step notebook (empty when all is well)."""
    from cxlab.jupyter.charts import spec_from_output

    found = []
    for cell in code_cells(nb):
        cell_tags = set(tags(cell))
        for output in cell.outputs:
            if output.get("output_type") == "error":
                found.append(f"{output.get('ename')}: {output.get('evalue')} in {cell.source[:60]!r}")
            if spec_from_output(output) is not None and "report" not in cell_tags:
                found.append(f"a chart in a cell not tagged for the report: {cell.source[:60]!r}")
            data = output.get("data", {})
            if WIDGET_MIME in data and ("consultant" not in cell_tags or not data.get("text/html")):
                found.append(f"a widget without a consultant tag or a static view: {cell.source[:60]!r}")
        if cell_tags & RESULT_TAGS and not cell.outputs:
            found.append(f"no output from {cell.source[:60]!r}")
    text = "\n".join(output_text(o) for c in code_cells(nb) for o in c.outputs)
    found += [f"{expected!r} not in the outputs" for expected in EXPECTED[name] if expected not in text]
    charts = sum(spec_from_output(o) is not None for c in code_cells(nb) for o in c.outputs)
    if charts < 2 and name != "01_data_intake.ipynb":
        found.append(f"only {charts} charts")
    return [f"{name}: {p}" for p in found]


@pytest.mark.slow
def test_steps_run_on_the_demo_client(tmp_path):
    """Every step template on a small demo client, all in one warm kernel (as the report runner does):
    no error, every result cell has an output, the key findings show, charts only in report cells, widgets
    only in consultant cells with a static view, and nothing is written into the client folder."""
    from cxlab.demo import generate_demo_client

    client = tmp_path / "demo"
    generate_demo_client(client, seed=7, customers=200, cases=800)
    before = folder_digest(client)
    out = tmp_path / "out"
    problems: list[str] = []
    widgets = 0
    with WarmKernel(recycle_after=len(STEP_TEMPLATES) + 2) as kernel:
        for name in STEP_TEMPLATES:
            params = {"client_dir": str(client), "lang": "en"}
            if name in WRITES_FILES:
                params["output_dir"] = str(out)
            nb = execute_template(TEMPLATES / name, tmp_path / name, params, kernel, 300, tmp_path)
            problems += problems_of(name, nb)
            widgets += sum(WIDGET_MIME in o.get("data", {}) for c in code_cells(nb) for o in c.outputs)
    # with every default, from the notebooks/ folder of an engagement (where `cxlab new` puts them); its own
    # kernel, because a warm kernel keeps the working folder it was started in
    (client / "notebooks").mkdir()
    nb = execute_template(
        TEMPLATES / STEP_TEMPLATES[0], tmp_path / "defaults.ipynb", {}, None, 300, client / "notebooks"
    )
    problems += problems_of(STEP_TEMPLATES[0], nb)
    assert not problems, "\n".join(problems)
    assert widgets >= 5  # column mapper, handoff explorer, segment explorer, culture form, review
    assert folder_digest(client) == before, "a step notebook changed the client folder"
    written = {p.name for p in out.iterdir()}
    assert {"action_lists_en.xlsx", "action_plan_en.xlsx", "questionnaire_en.html"} <= written
