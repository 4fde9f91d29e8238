"""Refresh the report screenshots of the README (docs/img/report_*.png) with the system Chromium.

    .venv/bin/python scripts/report_screenshots.py OUT/report.html [docs/img]

Writes report_summary.png (the executive summary: insights, KPI tiles with their deltas, top actions)
and report_chart_page.png (the value section: value × satisfaction charts). Needs Chromium
(apt-get install -y chromium) and the playwright package (no browser download).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]


def main() -> None:
    report = Path(sys.argv[1]).resolve()
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/img")
    out.mkdir(parents=True, exist_ok=True)
    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900}, device_scale_factor=1)
        page.goto(report.as_uri())
        page.wait_for_function(
            "document.querySelectorAll('.cx-chart svg, .cx-chart canvas').length >= "
            "document.querySelectorAll('.cx-chart').length",
            timeout=60_000,
        )
        page.locator("#summary").screenshot(path=str(out / "report_summary.png"))
        page.locator("#segments").screenshot(path=str(out / "report_chart_page.png"))
        browser.close()
    print(out / "report_summary.png", out / "report_chart_page.png")


if __name__ == "__main__":
    main()
