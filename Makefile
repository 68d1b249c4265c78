# Sujarit: `make run` sets everything up and serves the demo site; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export SUJARIT_VAR_DIR ?= $(CURDIR)/var

.PHONY: install system-deps run serve setup test test-fast lint format messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium and Thai fonts for the browser tests (installed only when missing).
system-deps:
	@bash scripts/system-deps

# Migrate, load the reference data and the demo data; safe to run again.
setup: install
	mkdir -p var
	DEBUG=true $(BIN)/sujarit migrate --noinput
	DEBUG=true $(BIN)/sujarit load-geo
	DEBUG=true $(BIN)/sujarit load-agencies
	DEBUG=true $(BIN)/sujarit load-routing-rules
	DEBUG=true $(BIN)/sujarit demo
	# Duplicate fingerprints of a method older than this code's (none on a new database).
	DEBUG=true $(BIN)/sujarit rebuild-fingerprints

run: setup
	DEBUG=true bash scripts/serve

# The suite runs in parallel (pytest-xdist), one worker more than the machine has cores: tests
# spend part of their time waiting on the database, the browser or Spark. Each worker has its
# own test database; a test module stays on one worker (one Spark session, module fixtures).
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))

test: install system-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/mypy
	mkdir -p var
	DEBUG=true $(BIN)/sujarit makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the Thai catalogues after changing translatable strings (needs GNU gettext).
messages: install
	cd src/sujarit && for app in web geo agencies accounts audit cases evidence textsearch network; do \
		(cd $$app && DEBUG=true ../../../$(BIN)/sujarit makemessages -l th --no-obsolete >/dev/null); done
	cd src/sujarit && DEBUG=true ../../$(BIN)/sujarit compilemessages -l th

clean:
	rm -rf $(VENV) var/static .pytest_cache .mypy_cache .ruff_cache
