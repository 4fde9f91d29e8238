"""The widgets in a real JupyterLab: a `jupyter lab` server on localhost driven by headless Chromium.

Opens a notebook on the demo client, renders the five widgets, changes values in the page and checks the
files on disk. Needs the Debian `chromium` package and the `playwright` Python package (no browser
download: the system browser is used); skipped with the reason when either is missing.
Set CXLAB_SCREENSHOT_DIR to keep a PNG of each widget (scripts/widget_screenshots.sh writes docs/img).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import yaml
from browser_support import CHROMIUM_ARGS, TOKEN, chromium, start_lab, stop_lab

pytestmark = [pytest.mark.slow, pytest.mark.browser]

FINDINGS = {
    "handoff.worst_pair": "Sales → Logistics",
    "handoff.worst_pair_from": "Sales",
    "handoff.worst_pair_to": "Logistics",
    "handoff.worst_pair_wait_h": 74.7,
    "handoff.worst_pair_wait_share": 0.31,
    "handoff.pingpong_pair": "Customer Service ↔ Credit",
    "handoff.pingpong_rate": 0.7,
    "handoff.pingpong_cases": 420,
    "survey.has_hot": True,
    "survey.has_cold": False,
}


def notebook_json(cells: list[str]) -> str:
    return json.dumps(
        {
            "cells": [
                {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": src}
                for src in cells
            ],
            "metadata": {
                "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                "language_info": {"name": "python"},
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def open_notebook(page, base: str, name: str) -> None:
    """Open a notebook, wait for its kernel and run every cell."""
    page.goto(f"{base}/lab/tree/{name}?token={TOKEN}")
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
        " return k && k.status === 'idle'; }"
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip(
            "the 'playwright' Python package is not installed (pip install playwright; no browser download)"
        )
    if chromium() is None:
        pytest.skip("no Chromium on this machine (Debian: apt-get install -y chromium)")
    base, work, server = start_lab(tmp_path_factory.mktemp("lab"))
    try:
        yield base, work
    finally:
        stop_lab(server)


def test_widgets_in_jupyterlab(lab: tuple[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    from cxlab.demo import generate_demo_client

    base, work = lab
    client = Path(generate_demo_client(work / "demo"))
    (work / "widgets.ipynb").write_text(
        notebook_json(
            [
                "import datetime as dt\nfrom cxlab.findings import Findings\nfrom cxlab.intake import load_client\n"
                "from cxlab.widgets import *\nclient = load_client('demo')\n"
                "mapper = ColumnMapper('demo', 'customers', lang='en')\nmapper",
                "form = CultureForm('demo', lang='en')\nform",
                f"review = RecommendationReview('demo', Findings({FINDINGS!r}), lang='en', as_of=dt.date(2026, 11, 1))\n"
                "review",
                "segments = SegmentExplorer(client, lang='en')\nsegments",
                "handoffs = HandoffExplorer(client, lang='en')\nhandoffs",
            ]
        ),
        encoding="utf-8",
    )
    yaml_path = client / "client.yaml"
    shots = os.environ.get("CXLAB_SCREENSHOT_DIR")

    def shot(locator, name: str) -> None:
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            locator.screenshot(path=str(Path(shots) / f"{name}.png"))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            page.set_default_timeout(30_000)
            open_notebook(page, base, "widgets.ipynb")

            # ---- column mapper: stop using 'regione', save, and client.yaml changes on disk
            mapper = page.locator(".cx-column-mapper")
            mapper.wait_for()
            select = mapper.locator('select[data-column="regione"]')
            assert select.input_value() == "region"
            select.select_option("")
            mapper.locator("li.ok").wait_for()
            shot(mapper, "column_mapper")
            mapper.locator('[data-testid="save"]').click()
            mapper.locator(".cx-msg.ok").wait_for()
            columns = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))["tables"]["customers"]["columns"]
            assert "regione" not in columns and columns["codice_cliente"] == "customer_id"
            # an invalid edit is explained in the page, not a traceback
            mapper.locator('select[data-column="ragione_sociale"]').select_option("customer_id")
            mapper.locator("li.error", has_text="mapped from both").wait_for()

            # ---- culture workshop form: one respondent's answers append to data/workshop.xlsx
            workshop = client / "data" / "workshop.xlsx"
            rows_before = len(pd.read_excel(workshop))
            form = page.locator(".cx-culture-form")
            form.wait_for()
            # "— other —" opens a field in the form, not a browser prompt
            page.on("dialog", lambda d: d.dismiss())  # a prompt() would leave no field to fill below
            form.locator('select[data-testid="department"]').select_option("__other__")
            form.locator('[data-testid="department-other"]').fill("Quality")
            form.locator('[data-testid="department-other"]').press("Enter")
            form.locator('select[data-testid="department"] option:checked', has_text="Quality").wait_for(
                state="attached"
            )
            form.locator('select[data-testid="department"]').select_option("Logistics")
            form.locator('[data-testid="respondent"]').fill("luca")
            form.locator('[data-testid="respondent"]').dispatch_event("change")
            form.locator('[data-question="q01_what_we_do"] button[data-score="4"]').click()
            form.locator('[data-question="q03_info_we_pass"] button[data-score="2"]').click()
            form.locator('[data-question="q03_info_we_pass"] button.cx-on').wait_for()
            shot(form, "culture_form")
            form.locator('[data-testid="submit"]').click()
            form.locator(".cx-msg.ok").wait_for()
            added = pd.read_excel(workshop, dtype=str).iloc[rows_before:]
            assert added[["department", "respondent", "question_id", "score"]].values.tolist() == [
                ["Logistics", "luca", "q01_what_we_do", "4"],
                ["Logistics", "luca", "q03_info_we_pass", "2"],
            ]

            # ---- recommendation review: accept one, re-prioritise another, save -> recommendations.yaml
            review = page.locator(".cx-recommendation-review")
            review.wait_for()
            review.locator('.cx-card[data-id="handoff_pingpong"] button[data-action="accept"]').click()
            review.locator('.cx-card.accepted[data-id="handoff_pingpong"]').wait_for()
            priority = review.locator('.cx-card[data-id="handoff_owner_sla"] input[data-field="priority"]')
            priority.fill("24")
            priority.dispatch_event("change")
            review.locator('.cx-card[data-id="handoff_owner_sla"] .cx-badge', has_text="P 24").wait_for()
            shot(review, "recommendation_review")
            review.locator('[data-testid="save"]').click()
            review.locator(".cx-msg.ok").wait_for()
            # the confirmation shows next to the Save button, not below every card
            save_box = review.locator('[data-testid="save"]').bounding_box()
            msg_box = review.locator(".cx-msg.ok").bounding_box()
            assert save_box and msg_box and 0 <= msg_box["y"] - save_box["y"] < 120, (save_box, msg_box)
            decisions = yaml.safe_load((client / "recommendations.yaml").read_text(encoding="utf-8"))
            assert decisions["recommendations"] == {
                "handoff_pingpong": {"status": "accepted"},
                "handoff_owner_sla": {"priority": 24.0},
            }
            priority = review.locator('.cx-card[data-id="handoff_owner_sla"] input[data-field="priority"]')
            priority.fill("99")
            priority.dispatch_event("change")
            review.locator(".cx-msg.error", has_text="from 1 to 25").wait_for()

            # ---- segment explorer: widen the "high value" share, the table follows, save -> client.yaml
            seg = page.locator(".cx-segment-explorer")
            seg.wait_for()
            premium = seg.locator('tr[data-segment="premium"] td').nth(1)
            before = int(premium.inner_text())
            seg.locator('input[data-testid="value_share"]').evaluate(
                "(el) => { el.value = 0.35; el.dispatchEvent(new Event('input')); el.dispatchEvent(new Event('change')); }"
            )
            page.wait_for_function(
                f"() => Number(document.querySelector('.cx-segment-explorer tr[data-segment=\"premium\"] td:nth-child(2)').textContent) > {before}"
            )
            shot(seg, "segment_explorer")
            seg.locator('[data-testid="save"]').click()
            seg.locator(".cx-msg.ok").wait_for()
            assert (
                yaml.safe_load(yaml_path.read_text(encoding="utf-8"))["segments"]["value_top_share"] == 0.35
            )

            # ---- handoff explorer: pick Customer Service -> Credit in the matrix, export its example cases
            ho = page.locator(".cx-handoff-explorer")
            ho.wait_for()
            assert "Sales → Logistics" in ho.locator('[data-testid="pair"]').inner_text()
            before = ho.locator("details[data-case]").first.get_attribute("data-case")
            ho.locator('td[data-from="Customer Service"][data-to="Credit"]').click()
            ho.locator('[data-testid="pair"]', has_text="Customer Service → Credit").wait_for()
            # the example cases arrive after the pair's figures: wait until they are the new pair's
            page.wait_for_function(
                "(before) => { const d = document.querySelector('.cx-handoff-explorer details[data-case]');"
                " return d && d.dataset.case !== before; }",
                arg=before,
            )
            shot(ho, "handoff_explorer")
            ho.locator('[data-testid="save"]').click()
            ho.locator(".cx-msg.ok", has_text="handoff_customer-service_credit.csv").wait_for()
            exported = pd.read_csv(
                client / "exports" / "handoff_customer-service_credit.csv",
                dtype=str,
                sep=None,
                engine="python",
                encoding="utf-8-sig",
            )
            assert {"Customer Service", "Credit"} <= set(exported["department"])
        finally:
            browser.close()
