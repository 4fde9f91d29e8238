#!/usr/bin/env bash
# Refresh the widget screenshots used by the README (docs/img/*.png): runs the JupyterLab browser test
# (a real `jupyter lab` on localhost + the system Chromium) on the demo client and keeps a PNG per widget.
# Needs: apt-get install -y chromium; .venv/bin/pip install playwright (no browser download).
set -euo pipefail
cd "$(dirname "$0")/.."
CXLAB_SCREENSHOT_DIR=docs/img .venv/bin/python -m pytest tests/test_jupyterlab_browser.py -q -p no:cacheprovider
ls -1 docs/img/*.png
