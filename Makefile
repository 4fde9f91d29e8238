PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo_client
DEMO_OUT ?= demo_report

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/cxlab demo-data $(DEMO_DIR) --seed 7 --force
	$(BIN)/cxlab validate $(DEMO_DIR)

test: install
	$(BIN)/python -m pytest -n 2 -q

lint: install
	$(BIN)/ruff check cxlab tests benchmarks

clean:
	rm -rf $(VENV) $(DEMO_DIR) $(DEMO_OUT) build dist
