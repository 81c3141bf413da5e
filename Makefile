# The two set-up commands of the README are `make demo` and `make test`; each
# creates .venv when it is missing and installs what its job needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint format sandbox bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-sandbox: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[sandbox]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-sandbox

demo: $(VENV)/.installed-sandbox
	$(BIN)/python -m sandbox.demo

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check generator
	$(BIN)/ruff format --check generator
	$(BIN)/mypy --strict generator

format: $(VENV)/.installed-dev
	$(BIN)/ruff format generator sandbox tests benchmarks
	$(BIN)/ruff check --fix generator sandbox tests benchmarks

sandbox: $(VENV)/.installed-sandbox
	$(BIN)/acebind sandbox

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
