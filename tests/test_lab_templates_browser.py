"""The JupyterLab path end to end, in a real `jupyter lab` driven by headless Chromium.

Launcher → *Template* tile → pick the cxlab client-report template → run it on the demo client →
*File → Save and Export Notebook As → cxlab client report* → the downloaded HTML is the branded client report.
Needs the Debian `chromium` package and the `playwright` Python package (the system browser is used,
nothing is downloaded); skipped with the reason when either is missing.
Screenshots go to CXLAB_SCREENSHOT_DIR when set (docs/img for docs/jupyterlab.md).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import CHROMIUM_ARGS, REPO, TOKEN, chromium, skip_reason, start_lab, stop_lab

pytestmark = [pytest.mark.slow, pytest.mark.browser]

TEMPLATE = "client_report.ipynb"
PARAMETER = "client_dir"  # the report template's parameter naming the client folder
MENU_LABEL = "cxlab client report"  # the `client_report` exporter's entry (cxlab's JupyterLab extension)
TIMEOUT_MS = 120_000  # running the whole report on the demo client


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    if reason := skip_reason():
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("lab")
    # the repository's templates, laid out as the wheel installs them (an editable install's copy under
    # share/ is taken at install time and may be stale)
    shutil.copytree(REPO / "templates" / "notebooks", root / "tpl" / "cxlab")
    shutil.copy(REPO / "cxlab" / "jupyter" / "new_engagement.ipynb", root / "tpl" / "cxlab")
    config = {"JupyterLabTemplates": {"template_dirs": [str(root / "tpl")], "include_core_paths": False}}
    base, work, server = start_lab(root, server_config=config)
    try:
        yield base, work
    finally:
        stop_lab(server)


CURRENT = "window.jupyterapp.shell.currentWidget"
PARAMETERS_CELL = (
    f"{CURRENT}.content.widgets.find(c => (c.model.getMetadata('tags') || []).includes('parameters'))"
)


def new_from_template(page, folder: str, template: str, shot=None) -> str:
    """Launcher → Template tile → pick ``template`` → GO, in ``folder``; returns the new notebook's path."""
    page.evaluate(f"() => window.jupyterapp.commands.execute('filebrowser:go-to-path', {{path: {folder!r}}})")
    tile = page.locator(".jp-LauncherCard[title='Template']:visible")
    if tile.count() == 0:
        page.evaluate("() => window.jupyterapp.commands.execute('launcher:create')")
    tile.wait_for()
    if shot:
        shot("launcher")
    tile.click()
    dialog = page.locator(".jp-Dialog")
    groups, names = dialog.locator("select").nth(0), dialog.locator("select").nth(1)
    names.wait_for()
    # one group per template folder: cxlab's, and jupyterlab_templates' own sample
    assert "cxlab" in groups.evaluate("s => [...s.options].map(o => o.value)")
    groups.select_option("cxlab")
    offered = names.evaluate("s => [...s.options].map(o => o.value)")
    shipped = [f"/cxlab/{p.name}" for p in (REPO / "templates" / "notebooks").glob("*.ipynb")]
    assert sorted(offered) == sorted([*shipped, "/cxlab/new_engagement.ipynb"])
    names.select_option(f"/cxlab/{template}")
    if shot:
        shot("template_dialog")
    dialog.locator("button", has_text="GO").click()
    prefix = f"{folder}/Untitled" if folder else "Untitled"
    page.wait_for_function(
        f"() => {{ const w = {CURRENT};"
        " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
        f" return k && k.status === 'idle' && w.context.path.startsWith({prefix!r}); }}"
    )
    return page.evaluate(f"() => {CURRENT}.context.path")


def set_parameters(page, **values: object) -> None:
    """Edit the values in the parameters cell as a consultant would (keeps each line's comment)."""
    source = page.evaluate(f"() => {PARAMETERS_CELL}.model.sharedModel.getSource()")
    for name, value in values.items():
        pattern = re.compile(rf"^({name}\s*(?::[^=]+)?=\s*)[^#\n]*?(\s*(#.*)?)$", re.M)
        assert pattern.search(source), f"no parameter {name!r} in:\n{source}"
        source = pattern.sub(lambda m: m.group(1) + repr(value) + m.group(2), source, count=1)  # noqa: B023
    page.evaluate(f"(src) => {PARAMETERS_CELL}.model.sharedModel.setSource(src)", source)


def run_all(page, timeout_ms: int = TIMEOUT_MS) -> None:
    """Run all cells, wait until every code cell ran, fail on the first error shown."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        f"() => {{ const nb = {CURRENT};"
        " const code = nb.content.widgets.filter(c => c.model.type === 'code');"
        " return code.every(c => c.model.executionCount) && nb.sessionContext.session.kernel.status === 'idle'; }",
        timeout=timeout_ms,
    )
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    assert errors.count() == 0, errors.first.inner_text()


def shooter(page):
    """``shot(name)`` saves a PNG of the page under CXLAB_SCREENSHOT_DIR (no-op when unset)."""
    shots = os.environ.get("CXLAB_SCREENSHOT_DIR")

    def shot(name: str) -> None:
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"jupyterlab_{name}.png"))

    return shot


@pytest.fixture
def browser_context(lab: tuple[str, Path]):
    """A fresh Chromium context that keeps downloads, on the lab's start page; yields (page, downloads)."""
    from playwright.sync_api import sync_playwright

    base, _ = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
            downloads: list = []
            # an export opens its download URL in a new tab
            context.on("page", lambda tab: tab.on("download", lambda d: downloads.append(d)))
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.goto(f"{base}/lab?reset&token={TOKEN}")  # a clean workspace: no tab of an earlier test
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget")
            yield page, downloads
        finally:
            browser.close()


def test_new_engagement_from_the_launcher(lab: tuple[str, Path], browser_context) -> None:
    _, work = lab
    page, _ = browser_context
    new_from_template(page, "", "new_engagement.ipynb", shooter(page))
    set_parameters(page, name="acme", language="en", from_demo=True)
    run_all(page)
    shooter(page)("new_engagement")
    client = work / "acme"
    assert "language: en" in (client / "client.yaml").read_text(encoding="utf-8")
    assert (client / "planted.json").is_file()  # the demo client's data (from_demo=True)
    shipped = sorted(p.name for p in (REPO / "templates" / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in (client / "notebooks").glob("*.ipynb")) == shipped


def test_template_to_client_report_in_jupyterlab(
    lab: tuple[str, Path], browser_context, tmp_path: Path
) -> None:
    from cxlab.config import load_config
    from cxlab.scaffold import new_engagement

    _, work = lab
    page, downloads = browser_context
    shot = shooter(page)
    client = new_engagement(work / "demo", language="en", from_demo=True)

    # ---- the client report template in the engagement folder, run on the demo client
    path = new_from_template(page, "demo", TEMPLATE, shot)
    # the notebook sits in the engagement folder (the kernel runs there): "." is the client folder
    set_parameters(page, **{PARAMETER: ".", "lang": "en"})
    run_all(page)
    # the parameters cell as set, and the first report outputs below it
    page.evaluate(f"() => {PARAMETERS_CELL}.node.scrollIntoView({{block: 'start'}})")
    page.wait_for_timeout(300)
    shot("notebook_run")

    # ---- File → Save and Export Notebook As → our exporter
    page.locator(".lm-MenuBar-item", has_text="File").click()
    page.locator(".lm-Menu-item", has_text="Save and Export Notebook As").hover()
    entry = page.locator(".lm-Menu-item", has_text=MENU_LABEL)
    entry.wait_for()
    shot("export_menu")
    entry.click()
    for _ in range(int(TIMEOUT_MS / 250)):
        if downloads:
            break
        page.wait_for_timeout(250)  # sleeping in Python would stall Playwright's event loop
    assert downloads, "the export produced no download"
    assert downloads[0].suggested_filename == Path(path).with_suffix(".html").name
    report = tmp_path / downloads[0].suggested_filename
    downloads[0].save_as(report)

    html = report.read_text(encoding="utf-8")
    check_report(html, load_config(client).name)
    viewer = page.context.new_page()
    viewer.goto(report.as_uri())
    viewer.wait_for_timeout(1000)
    shooter(viewer)("exported_report")


def check_report(html: str, client_name: str) -> None:
    """The exported file is the client report: the cover with the client's name, the report's sections,
    no code, nothing fetched from the web."""
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?://", html)
    assert "jp-InputArea" not in html and "highlight-ipynb" not in html  # no code cells
    assert re.search(
        r'<header class="cx-cover">\s*(<[^>]+>[^<]*</[^>]+>\s*)*<h1>' + re.escape(client_name), html
    )
    for section in REPORT_SECTIONS:
        assert re.search(rf'<section[^>]* id="{section}"', html), f"no section {section!r}"


REPORT_SECTIONS = ("summary", "handoffs", "journey", "recommendations", "methodology")
