"""Every chart of every worked example draws in JupyterLab with the network off.

A real `jupyter lab` (started by the test) driven by headless Chromium whose host resolver maps every name
but localhost to nothing: each step notebook of an engagement on the demo client is opened, run top to
bottom, and the charts drawn (an SVG inside each chart container) must equal the charts the notebook
output, with no console message about a CDN and no chart error. Needs the Debian `chromium` package and
the `playwright` Python package; skipped with the reason when either is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import CHROMIUM_ARGS, OFFLINE, REPO, TOKEN, chromium, skip_reason, start_lab, stop_lab

pytestmark = [pytest.mark.slow, pytest.mark.browser]

#: the step notebooks that draw charts (01 shows tables only)
CHART_STEPS = (
    "02_indicators.ipynb",
    "03_handoffs_journey.ipynb",
    "04_segments.ipynb",
    "05_comments.ipynb",
    "06_culture.ipynb",
    "07_recommendations.ipynb",
)
CURRENT = "window.jupyterapp.shell.currentWidget"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    if reason := skip_reason():
        pytest.skip(reason)
    from cxlab.demo import generate_demo_client

    root = tmp_path_factory.mktemp("lab_offline")
    base, work, server = start_lab(root)
    try:
        client = work / "demo"
        generate_demo_client(client, seed=7, customers=200, cases=800, language="en")
        (client / "notebooks").mkdir()
        for name in CHART_STEPS:
            shutil.copy(REPO / "templates" / "notebooks" / name, client / "notebooks" / name)
        yield base, work
    finally:
        stop_lab(server)


@pytest.fixture(scope="module")
def page(lab: tuple[str, Path]):
    from playwright.sync_api import sync_playwright

    base, _ = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=[*CHROMIUM_ARGS, OFFLINE], headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(60_000)
            messages: list[str] = []
            page.on("console", lambda m: messages.append(m.text))
            page.on("requestfailed", lambda r: messages.append(f"request failed: {r.url}"))
            page.goto(f"{base}/lab?reset&token={TOKEN}")
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget")
            page.cxlab_messages = messages  # type: ignore[attr-defined]
            yield page
        finally:
            browser.close()


@pytest.mark.parametrize("name", CHART_STEPS)
def test_worked_example_charts_draw_offline_in_jupyterlab(page, name: str) -> None:
    messages: list[str] = page.cxlab_messages
    messages.clear()
    path = f"demo/notebooks/{name}"
    page.evaluate(f"() => {{ window.jupyterapp.commands.execute('docmanager:open', {{path: {path!r}}}); }}")
    page.wait_for_function(
        f"() => {{ const w = {CURRENT};"
        " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
        f" return k && k.status === 'idle' && w.context.path === {path!r}; }}"
    )
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_function(
        f"() => {{ const nb = {CURRENT};"
        " const code = nb.content.widgets.filter(c => c.model.type === 'code');"
        " return code.every(c => c.model.executionCount) && nb.sessionContext.session.kernel.status === 'idle'; }",
        timeout=240_000,
    )
    errors = page.locator(
        f"{_notebook(path)} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']"
    )
    assert errors.count() == 0, errors.first.inner_text()
    # chart outputs of the kernel: one container per chart (the renderer's form), counted in the model
    outputs = page.evaluate(
        f"() => {CURRENT}.content.widgets.filter(c => c.model.type === 'code')"
        ".flatMap(c => c.model.toJSON().outputs || [])"
        ".map(o => String((o.data && o.data['text/html']) || ''))"
        ".filter(h => h.includes('cxlab-nb-chart-spec') && !h.includes('cxlab-chart-loader')).length"
    )
    assert outputs >= 2, f"{name}: only {outputs} chart outputs"
    drawn = f"{_notebook(path)} div.cxlab-nb-chart svg.marks, {_notebook(path)} div.cxlab-nb-chart canvas"
    try:
        page.wait_for_function(
            f"() => document.querySelectorAll({drawn!r}).length >= {outputs}", timeout=60_000
        )
    except Exception as exc:
        state = page.evaluate(
            "() => [typeof window.vegaEmbed, typeof window.cxlabDrawCharts,"
            " document.querySelectorAll('div.cxlab-nb-chart').length,"
            " document.querySelectorAll('.cxlab-chart-loader').length,"
            " document.querySelectorAll('div.cxlab-nb-chart svg').length]"
        )
        raise AssertionError(
            f"{name}: {outputs} charts; page state {state}; console {messages[-15:]}"
        ) from exc
    assert page.locator(drawn).count() == outputs
    assert page.locator(f"{_notebook(path)} .cx-chart-error").count() == 0
    cdn = [m for m in messages if "cdn" in m.lower() or "jsdelivr" in m.lower()]
    assert not cdn, cdn
    # not awaited: the command waits for the confirmation dialog
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:close-and-shutdown'); }")
    dialog = page.locator(".jp-Dialog button.jp-mod-accept")
    dialog.first.wait_for(timeout=10_000)
    dialog.first.click()
    page.wait_for_function(f"() => !({CURRENT} && {CURRENT}.context && {CURRENT}.context.path === {path!r})")


def _notebook(path: str) -> str:
    """CSS selector of the open notebook panel showing ``path`` (its tab's data-path is not on the panel:
    the current widget's node id is)."""
    return "#jp-main-dock-panel .jp-NotebookPanel:not(.lm-mod-hidden)"
