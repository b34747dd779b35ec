# moneytrail task runner. `make demo` and `make test` are the two set-up commands of the README.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.DEFAULT_GOAL := test

$(BIN)/moneytrail: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/moneytrail  ## create .venv and install moneytrail with its test tools

demo: install  ## load the bundled synthetic sample and print a summary
	$(BIN)/moneytrail demo

lint: install
	$(BIN)/ruff check src tests bench

test: install lint  ## lint, then run the whole test suite
	$(BIN)/pytest -q

bench: install  ## run the ingest benchmark (minutes; writes into bench/out)
	$(BIN)/python bench/ingest.py

.PHONY: install demo lint test bench
