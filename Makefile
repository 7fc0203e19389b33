# The commands a person types. Needs only Python 3.11+; uv is bootstrapped from PyPI if missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
# Every command runs in the environment `install` made, as it is: no sync (and so no
# "Bytecode compiled" line) on each run.
RUN := $(UV) run --no-sync
VENV := $(or $(UV_PROJECT_ENVIRONMENT),$(CURDIR)/.venv)

CODING_PORT ?= 8001
BILLING_PORT ?= 8002
# Where `make demo` finds the services (those of `make run` by default).
CODING_URL ?= http://127.0.0.1:$(CODING_PORT)
BILLING_URL ?= http://127.0.0.1:$(BILLING_PORT)
PG_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?=
BENCH_ARGS ?=

# Where `make run` keeps its databases, whatever DATABASE_URL the shell has.
VAR ?= $(CURDIR)/var
CODING_DB := $(VAR)/coding.db
BILLING_DB := $(VAR)/billing.db
# The mock payer billing runs in process (PAYER_ADAPTER=inprocess, the default).
MOCK_PAYER_DB := $(VAR)/mockpayer.db
INSTALLED := $(VENV)/.installed
COMPILED := $(VENV)/.compiled
SOURCES := $(shell find shared/rcm_shared coding-service/coding_service \
  billing-service/billing_service billing-service/mockpayer -name '*.py')

.PHONY: help install run migrate test test-postgres load-ncci demo bench lint lint-openapi build-index \
  clients

help:
	@echo "make run             install, migrate and start both services (SQLite under ./var)"
	@echo "make test            run every test on SQLite"
	@echo "make test-postgres   run every test on the local PostgreSQL ($(PG_URL))"
	@echo "make demo            walk a visit from coding to a paid claim against running services"
	@echo "make load-ncci PTP=... MUE=... AOC=...   load CMS NCCI PTP / MUE / add-on code files"
	@echo "make bench           benchmarks, written to docs/benchmarks.md"
	@echo "make lint            ruff, and mypy strict on shared/ and both services"
	@echo "make lint-openapi    Spectral and Redocly on both OpenAPI documents (needs npm)"
	@echo "make clients         TypeScript and Python clients generated from both documents (needs npm)"

$(CURDIR)/.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

install: $(COMPILED)

# Installed packages are compiled to bytecode once, here, so that no start compiles them again
# (a start compiles every module it imports when PYTHONDONTWRITEBYTECODE is set: 2.4 s, not
# 0.7 s). Done again only when the lock or a pyproject changes.
$(INSTALLED): uv.lock pyproject.toml shared/pyproject.toml coding-service/pyproject.toml \
  billing-service/pyproject.toml $(if $(shell command -v uv 2>/dev/null),,$(CURDIR)/.tools/bin/uv)
	$(UV) sync --frozen --compile-bytecode --quiet
	touch $@

# The workspace's own modules, compiled again when one of them changes.
$(COMPILED): $(INSTALLED) $(SOURCES)
	$(RUN) python -m compileall -q shared/rcm_shared coding-service/coding_service \
	  billing-service/billing_service billing-service/mockpayer > /dev/null
	touch $@

# Each migrates the database of `make run` when it is missing or older than a migration;
# otherwise nothing starts at all.
$(CODING_DB): $(wildcard coding-service/migrations/versions/*.py) | $(COMPILED)
	mkdir -p $(VAR)
	DATABASE_URL=sqlite+aiosqlite:///$@ $(RUN) coding-service migrate
	touch $@

# billing-service migrate also migrates its in-process mock payer's own database.
$(BILLING_DB): $(wildcard billing-service/migrations/versions/*.py \
  billing-service/mockpayer/migrations/versions/*.py) | $(COMPILED)
	mkdir -p $(VAR)
	DATABASE_URL=sqlite+aiosqlite:///$@ MOCK_PAYER_DATABASE_URL=sqlite+aiosqlite:///$(MOCK_PAYER_DB) \
	  $(RUN) billing-service migrate
	touch $@

# `make run`'s databases brought to the newest schema (another database: `uv run
# coding-service migrate` with its DATABASE_URL).
migrate: $(CODING_DB) $(BILLING_DB)

# Rebuilds the ICD-10-CM index; a start builds it by itself only when it is missing or its
# sources or format changed.
build-index: install
	$(RUN) coding-service build-index

# Ctrl-C reaches both services from the terminal: the shell waits for them to stop and ends
# cleanly. A TERM (to make) is passed on to them. Either service stopping stops the other.
# They run without uv in between: uv passes SIGINT on when it has no terminal, and a service
# that gets it twice quits without its shutdown.
run: migrate
	@echo "coding-service on http://127.0.0.1:$(CODING_PORT), billing-service on http://127.0.0.1:$(BILLING_PORT) (Ctrl-C stops both)"
	@stopped=; trap 'stopped=1' INT; trap 'stopped=1; kill -TERM $$coding $$billing 2>/dev/null' TERM; \
	DATABASE_URL=sqlite+aiosqlite:///$(CODING_DB) \
	  $(VENV)/bin/coding-service serve --port $(CODING_PORT) & coding=$$!; \
	DATABASE_URL=sqlite+aiosqlite:///$(BILLING_DB) CODING_SERVICE_URL=http://127.0.0.1:$(CODING_PORT) \
	  MOCK_PAYER_DATABASE_URL=sqlite+aiosqlite:///$(MOCK_PAYER_DB) \
	  $(VENV)/bin/billing-service serve --port $(BILLING_PORT) & billing=$$!; \
	while kill -0 $$coding 2>/dev/null && kill -0 $$billing 2>/dev/null; do \
	  sleep 0.5 & wait $$!; \
	done; \
	kill -TERM $$coding $$billing 2>/dev/null; \
	until wait; do :; done; \
	test -n "$$stopped"

test: install
	$(RUN) pytest $(PYTEST_ARGS)

test-postgres: install
	TEST_DATABASE_URL=$(PG_URL) $(RUN) pytest $(PYTEST_ARGS)

load-ncci: install
	$(RUN) coding-service load-ncci $(if $(PTP),--ptp $(PTP)) $(if $(MUE),--mue $(MUE)) $(if $(AOC),--aoc $(AOC)) $(if $(FILE),--file $(FILE))

demo: install
	CODING_URL=$(CODING_URL) BILLING_URL=$(BILLING_URL) $(RUN) python billing-service/scripts/demo.py

bench: install
	cd billing-service && PG_URL=$(PG_URL) $(RUN) python -m benchmarks $(BENCH_ARGS)

lint: install
	$(RUN) ruff check .
	$(RUN) mypy

# The OpenAPI linters, installed from docs/api's lock file (again only when it changes).
API_TOOLS := docs/api/node_modules/.package-lock.json
$(API_TOOLS): docs/api/package.json docs/api/package-lock.json
	cd docs/api && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Both documents as the services serve them, linted: 0 errors (docs/api/README.md names the
# warnings left and why).
lint-openapi: install $(API_TOOLS)
	$(RUN) python docs/api/write_documents.py docs/api/build
	cd docs/api && npx --no-install spectral lint --ruleset .spectral.yaml --fail-severity warn \
	  build/coding.json build/billing.json
	cd docs/api && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
	  npx --no-install redocly lint --config redocly.yaml build/coding.json build/billing.json

# The clients an integrator generates, from both documents as the services serve them, into
# docs/api/build (never committed): Python packages by openapi-python-client (python/), and
# TypeScript types by openapi-typescript (typescript/) compiled by tsc --strict with the story
# that calls them through openapi-fetch (js/); the Python story is checked with them by mypy
# --strict. A test (test_generated_clients.py) drives the README's story with each.
CLIENTS := docs/api/build
clients: install $(API_TOOLS)
	rm -rf $(CLIENTS)/python $(CLIENTS)/typescript $(CLIENTS)/js
	$(RUN) python docs/api/write_documents.py $(CLIENTS)
	for name in coding billing; do \
	  $(RUN) openapi-python-client generate --meta none --path $(CLIENTS)/$$name.json \
	    --output-path $(CLIENTS)/python/$${name}_client > $(CLIENTS)/$$name-python-client.log 2>&1 \
	    || { cat $(CLIENTS)/$$name-python-client.log; exit 1; }; \
	  (cd docs/api && npx --no-install openapi-typescript build/$$name.json \
	    --default-non-nullable false --output build/typescript/$$name.ts --silent) || exit 1; \
	done
	cd docs/api && npx --no-install tsc --project tsconfig.json
	MYPYPATH=$(CLIENTS)/python $(RUN) mypy --strict docs/api/clients/story.py
