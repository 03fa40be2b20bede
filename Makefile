# Two set-up commands (see README): `make run` runs the main job, `make test` runs the test suite.
# Each creates or updates its own virtual environment in .venv with Python 3.11+.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e ".[test]"
	touch $(STAMP)

.PHONY: run test bench venv
venv: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/twinmotor run accel

test: $(STAMP)
	$(VENV)/bin/python -m pytest -q

bench: $(STAMP)
	$(VENV)/bin/python bench/bench_realtime.py
