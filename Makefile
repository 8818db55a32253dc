# Two entry points that work on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WEB := backend/cora/web/index.html
NPM_STAMP := frontend/node_modules/.installed
HAS_FRONTEND := $(wildcard frontend/package.json)

.PHONY: run test install lint typecheck pytest fuzz openapi web web-test e2e chromium bench clean

run: install $(if $(HAS_FRONTEND),web)
	$(BIN)/cora serve

test: install lint typecheck pytest $(if $(HAS_FRONTEND),web-test e2e)

install: $(STAMP)

$(STAMP): backend/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e 'backend[dev]'
	touch $@

lint: install
	cd backend && ../$(BIN)/ruff check . ../bench ../examples && ../$(BIN)/ruff format --check . ../bench ../examples

typecheck: install
	cd backend && ../$(BIN)/mypy

pytest: install
	cd backend && ../$(BIN)/pytest

# Property tests with new examples each run (make test uses a fixed seed).
fuzz: install
	cd backend && CORA_HYPOTHESIS_PROFILE=fuzz ../$(BIN)/pytest tests/api/test_schemathesis.py

# The API's document, committed so that a change to the API shows in review (a test checks it).
openapi: install
	$(BIN)/cora openapi --out docs/openapi.json

$(NPM_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $@

web: $(NPM_STAMP)
	cd frontend && npm run build

web-test: $(NPM_STAMP)
	cd frontend && npm run lint && npm test

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

e2e: install web chromium
	cd frontend && npm run e2e

bench: install
	$(BIN)/python bench/store_bench.py
	$(BIN)/python bench/history_bench.py
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/faq_accuracy.py
	$(BIN)/python bench/reply_bench.py
	$(BIN)/python bench/events_bench.py
	$(BIN)/python bench/startup_bench.py

clean:
	rm -rf $(VENV) frontend/node_modules backend/cora/web test-output
