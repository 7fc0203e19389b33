# The commands a person types. Needs only Python 3.11+; uv is bootstrapped from PyPI if missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
# Installed packages are compiled to bytecode once, so that no start compiles them again (a
# start compiles every module it imports when PYTHONDONTWRITEBYTECODE is set: 2.4 s, not 0.7 s).
export UV_COMPILE_BYTECODE := 1
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --frozen

CODING_PORT ?= 8001
BILLING_PORT ?= 8002
PG_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: help install run migrate test test-postgres load-ncci demo bench lint build-index

help:
	@echo "make run             install, migrate and start both services (SQLite under ./var)"
	@echo "make test            run every test on SQLite"
	@echo "make test-postgres   run every test on the local PostgreSQL ($(PG_URL))"
	@echo "make demo            walk a visit from coding to a paid claim against running services"
	@echo "make load-ncci PTP=... MUE=... AOC=...   load CMS NCCI PTP / MUE / add-on code files"
	@echo "make bench           benchmarks, written to docs/benchmarks.md"
	@echo "make lint            ruff, and mypy strict on shared/ and both services"

$(CURDIR)/.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

install: $(if $(shell command -v uv 2>/dev/null),,$(CURDIR)/.tools/bin/uv)
	$(UV) sync --frozen
	$(RUN) python -m compileall -q shared/rcm_shared coding-service/coding_service \
	  billing-service/billing_service > /dev/null

migrate: install
	mkdir -p var
	$(RUN) coding-service migrate
	$(RUN) billing-service migrate

build-index: install
	$(RUN) coding-service build-index

run: migrate build-index
	@echo "coding-service on http://127.0.0.1:$(CODING_PORT), billing-service on http://127.0.0.1:$(BILLING_PORT)"
	@trap 'kill 0' INT TERM EXIT; \
	$(RUN) coding-service serve --port $(CODING_PORT) & \
	CODING_SERVICE_URL=http://127.0.0.1:$(CODING_PORT) \
	  $(RUN) billing-service serve --port $(BILLING_PORT) & \
	wait

test: install
	$(RUN) pytest $(PYTEST_ARGS)

test-postgres: install
	TEST_DATABASE_URL=$(PG_URL) $(RUN) pytest $(PYTEST_ARGS)

load-ncci: install
	$(RUN) coding-service load-ncci $(if $(PTP),--ptp $(PTP)) $(if $(MUE),--mue $(MUE)) $(if $(AOC),--aoc $(AOC)) $(if $(FILE),--file $(FILE))

demo: install
	$(RUN) python billing-service/scripts/demo.py

bench: install
	cd billing-service && PG_URL=$(PG_URL) $(RUN) python -m benchmarks $(BENCH_ARGS)

lint: install
	$(RUN) ruff check .
	$(RUN) mypy
