# Two set-up commands (see README): `make run` runs the main job (twinmotor compare), `make test` the tests.
# Each creates or updates its own virtual environment in .venv with Python 3.11+.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e ".[test]"
	touch $(STAMP)

.PHONY: run test bench venv browser docs
venv: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/twinmotor compare --out out/compare
	@echo "report: out/compare/report.html (data: out/compare/results.parquet, results.csv)"

# the report test drives a real headless browser: Debian's chromium and chromedriver
BROWSER_OK := $(shell command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && echo yes)

browser:
ifneq ($(BROWSER_OK),yes)
	@echo "installing Debian's chromium and chromium-driver for the report test"
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	$(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
endif

test: $(STAMP) browser
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/python -m pytest -q

# the test table in the docs, from one command (the main job's Markdown output)
docs: $(STAMP)
	$(VENV)/bin/twinmotor compare --out out/compare
	cp out/compare/results.md docs/test-table.md

bench: $(STAMP)
	$(VENV)/bin/python bench/bench_realtime.py
