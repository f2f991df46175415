# Two commands on a fresh machine with Python 3.11 and make: `make plan` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install plan test lint guard check bench clean

$(STAMP): pyproject.toml requirements.txt
	@test -n "$(PYTHON)" || { echo "need Python 3.11 on PATH (python3.11 or python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the project with its dev tools

plan: $(STAMP)  ## the offline plan of prod (STACK=staging CLOUD=gcp FORMAT=json to change)
	@$(BIN)/bettafish plan --stack $(or $(STACK),prod) $(if $(CLOUD),--cloud $(CLOUD)) --format $(or $(FORMAT),table)

test: $(STAMP)  ## the whole test suite, one worker per core of CI's two
	$(BIN)/pytest -n 2 --dist loadfile

lint: $(STAMP)  ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/mypy

guard: $(STAMP)  ## fail when a change would delete or replace a stateful resource (every stack and cloud)
	$(BIN)/bettafish guard

check: lint test guard

bench: $(STAMP)  ## wall time and peak memory of the offline plan per stack and cloud
	$(BIN)/python benchmarks/plan.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
