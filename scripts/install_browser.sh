#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (report rendering, JupyterLab, widgets) when missing.
# The tests skip with this reason when it cannot be installed (no root, no Debian): never silently.
set -u
if command -v chromium >/dev/null 2>&1 || [ -n "${CXLAB_CHROMIUM:-}" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install_browser: cannot install chromium here (needs root and apt-get); browser tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; } \
  || echo "install_browser: apt-get install chromium failed; browser tests will be skipped" >&2
command -v chromium >/dev/null 2>&1 && echo "install_browser: $(chromium --version 2>/dev/null)"
exit 0
