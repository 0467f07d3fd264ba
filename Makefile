# Council Transformation Library: `make run` serves it, `make test` tests it.
# Both start from a fresh clone: they create .venv, install pinned requirements and
# front-end assets, and are safe to run again.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=
# `make test` spreads the suite over one worker per CPU (pytest-xdist), a test file per worker at a
# time (--dist loadfile: the tests of a module share its fixtures, e.g. the paused replica).
# PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
export DJANGO_DEBUG ?= 1

.PHONY: run startup test setup dev-setup assets migrate lint fmt bench clean backup restore audit requirements

# Runtime packages only (what `make run` and a deploy need), every one pinned with its hashes
# (requirements.txt is generated from requirements.in by `make requirements`).
# pip itself first, to its own pin (requirements-pip.in says why).
$(VENV)/.installed: requirements.txt requirements-pip.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-pip.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	@touch $@

# Tests, lint, benchmark and audit tools, on top: only for the targets that use them.
$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/build/.built: node_modules/.installed $(shell find assets -type f 2>/dev/null)
	npm run --silent build:css
	@touch $@

setup: $(VENV)/.installed $(if $(wildcard package.json),static/build/.built)

dev-setup: setup $(VENV)/.dev-installed

assets: $(if $(wildcard package.json),static/build/.built)

migrate: setup
	$(PY) manage.py migrate --noinput

# What every start does before serving: migrate, then add the fixtures' records the library lacks
# (never over a curator's edit; docs/curation.md). Also what a production deploy runs.
startup: migrate
	$(PY) manage.py load_library

run: startup
	@echo "Serving on http://127.0.0.1:$(PORT)/  (admin at /admin/; create an account with: $(PY) manage.py createsuperuser)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: dev-setup
	@# Plain HTTP in tests: the WSGI apps built at import time (live server, schemathesis) keep it.
	DJANGO_SECRET_KEY=test-only-secret DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 $(VENV)/bin/pytest $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile) $(PYTEST_ARGS)

# Backups: backups/<timestamp>.json (portable) and, on PostgreSQL, backups/<timestamp>.dump.
backup: setup
	$(PY) manage.py backup_library

# Restore a JSON backup into an empty database: make restore FILE=backups/<timestamp>.json [FORCE=1]
restore: setup
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/<timestamp>.json  (into an empty database)" >&2; exit 2; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py restore_library "$(FILE)" $(if $(FORCE),--force)

lint: dev-setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

fmt: dev-setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules static/build staticfiles db.sqlite3

# Benchmark against PostgreSQL filled by bench/generate.py (see docs/performance.md): the scenarios
# against their raw SQL, then issue 17's workloads (ours cold and as deployed beside Datasette), e.g.
#   make bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctl_bench BENCH_ARGS="--library-cache-seconds 0"
#   make bench DATABASE_URL=… BENCH_ARGS="--workloads"    (or "--scenarios": one part alone)
BENCH_ARGS ?=
bench: dev-setup
	@test -n "$(DATABASE_URL)" || { echo "Set DATABASE_URL=postgres://… (a database for the synthetic library)"; exit 2; }
	DJANGO_DEBUG=0 $(PY) bench/run.py $(BENCH_ARGS)

# Known vulnerabilities in the pinned Python and npm packages (pip-audit, npm audit). They need the
# advisory services; when those cannot be reached the output says so (AUDIT_REPORT_ONLY=1, as CI
# runs it, reports instead of failing).
audit: dev-setup
	bash .ci/audit

# Regenerate requirements-pip.txt, requirements.txt and requirements-dev.txt (pinned, hashed) after editing the .in files.
PIP_COMPILE = $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
requirements: dev-setup
	$(PIP_COMPILE) -o requirements-pip.txt requirements-pip.in
	$(PIP_COMPILE) -o requirements.txt requirements.in
	$(PIP_COMPILE) -o requirements-dev.txt requirements-dev.in
