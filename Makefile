# Two commands for a fresh machine (see README.md):  make run   and   make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: install run test test-unit test-e2e lint bench

$(BIN)/ostoja: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(BIN)/ostoja

run: install
	$(BIN)/ostoja up

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install lint test-unit test-e2e

test-unit: install
	$(BIN)/pytest

# Headless Chromium (Debian's chromium package) driven by Playwright; a session and a test database of its own.
test-e2e: install
	TEST_DATABASE_NAME=test_ostoja_e2e $(BIN)/pytest -m e2e tests/e2e

bench: install
	$(BIN)/ostoja bench all
