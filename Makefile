PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo_client
DEMO_OUT ?= demo_report

.PHONY: install browser demo test lint bench clean labextension

$(STAMP): pyproject.toml requirements-lock.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' -c requirements-lock.txt
	touch $(STAMP)

install: $(STAMP)

browser:
	scripts/install_browser.sh

demo: install
	$(BIN)/cxlab demo-data $(DEMO_DIR) --seed 7 --force
	$(BIN)/cxlab validate $(DEMO_DIR)
	$(BIN)/cxlab report $(DEMO_DIR) --out $(DEMO_OUT)
	@echo "open $(DEMO_OUT)/report.html in a browser"

test: install browser
	$(BIN)/python -m pytest -n 2 -q

lint: install
	$(BIN)/ruff check cxlab tests benchmarks
	$(BIN)/mypy

# the JupyterLab extension (labextension/, built into cxlab/jupyter/labextension/, which is committed):
# run after changing labextension/src/index.js; needs Node.js and npm, nothing else here does
labextension: install
	cd labextension && npm ci --no-audit --no-fund
	cd labextension && node node_modules/@jupyterlab/builder/lib/build-labextension.js \
		--core-path "$$($(abspath $(BIN))/python -c 'import jupyterlab, pathlib; print(pathlib.Path(jupyterlab.__file__).parent / "staging")')" .

clean:
	rm -rf $(VENV) $(DEMO_DIR) $(DEMO_OUT) build dist
