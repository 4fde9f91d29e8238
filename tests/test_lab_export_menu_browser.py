"""Issue 22: JupyterLab names cxlab's exporter "cxlab client report", not "Client_report".

JupyterLab labels each export format of the server with its name, first letter upper-cased; cxlab's
JupyterLab extension (labextension/, built into cxlab/jupyter/labextension/) relabels the `client_report`
entry. A real `jupyter lab` serving the repository's built extension (browser_support.start_lab), headless
Chromium with no network but localhost: open a notebook, then File → Save and Export Notebook As, and the
command palette. Needs the Debian `chromium` package and the `playwright` Python package; skipped with the
reason when either is missing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from browser_support import CHROMIUM_ARGS, OFFLINE, TOKEN, chromium, skip_reason, start_lab, stop_lab

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LABEL = "cxlab client report"
NOTEBOOK = {
    "cells": [{"cell_type": "markdown", "metadata": {}, "source": "Not a client report."}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """The lab's page on a notebook, once JupyterLab has added the export entries."""
    if reason := skip_reason():
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    base, work, server = start_lab(tmp_path_factory.mktemp("lab_export_menu"))
    try:
        (work / "menu.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium(), args=[*CHROMIUM_ARGS, OFFLINE], headless=True
            )
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.set_default_timeout(30_000)
                page.goto(f"{base}/lab/tree/menu.ipynb?reset&token={TOKEN}")
                page.wait_for_function(
                    "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                    " return w && w.context && w.context.path === 'menu.ipynb'; }"
                )
                # JupyterLab adds the entries when the first notebook opens, right after this request for
                # the server's formats resolves (its own wait on it comes first)
                page.evaluate(
                    "async () => { await window.jupyterapp.serviceManager.nbconvert.getExportFormats(false);"
                    " await new Promise(r => setTimeout(r, 0)); }"
                )
                yield page
            finally:
                browser.close()
    finally:
        stop_lab(server)


def test_the_export_menu_reads_cxlab_client_report(page) -> None:
    page.locator(".lm-MenuBar-item", has_text="File").click()
    page.locator(".lm-Menu-item", has_text="Save and Export Notebook As").hover()
    submenu = page.locator(".lm-Menu").nth(1)  # the File menu, then the submenu it opened
    submenu.locator(".lm-Menu-itemLabel", has_text="HTML").wait_for()  # nbconvert's own: the list is there
    labels = submenu.locator(".lm-Menu-itemLabel").all_inner_texts()
    assert [label for label in labels if "report" in label.lower()] == [LABEL], labels

    # the entry still exports with cxlab's exporter (this notebook is no client report: the page that opens
    # says so; tests/test_lab_templates_browser.py downloads a real report through the same entry)
    with page.context.expect_page() as opened:
        submenu.locator(".lm-Menu-item", has_text=LABEL).click()
    opened.value.wait_for_url("**/nbconvert/client_report/menu.ipynb?download=true*")
    opened.value.close()


def test_the_command_palette_reads_cxlab_client_report(page) -> None:
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:activate-command-palette')")
    page.locator(".lm-CommandPalette-input").fill("save and export notebook")
    items = page.locator(".lm-CommandPalette-itemLabel")
    items.first.wait_for()
    labels = items.all_inner_texts()
    assert [label for label in labels if "report" in label.lower()] == [
        f"Save and Export Notebook: {LABEL}"
    ], labels
    page.keyboard.press("Escape")
