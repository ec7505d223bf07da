# onemst: `make run` serves the platform with demo data, `make test` lints and tests.
# Needs only python3 (>= 3.11) and make; everything else goes into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Stamps: pip runs again only when pyproject.toml is newer than the last install.
STAMP := $(VENV)/.onemst-installed
TEST_STAMP := $(VENV)/.onemst-installed-test
HOST ?= 127.0.0.1
PORT ?= 8000
# Daphne processes on one address (several need REDIS_URL: live events cross processes).
WORKERS ?= 1
PYTEST_ARGS ?=
# The address printed on receipt slips (text and QR), in reminder emails and by `make run`:
# the server's own unless SITE_URL is given.
SITE_URL ?= http://$(HOST):$(PORT)

.DEFAULT_GOAL := help
.PHONY: help run serve setup install install-test graphiql-assets page-test-packages test lint clean

help:
	@echo "make run           install, migrate, collect static, load demo data, serve on http://$(HOST):$(PORT)/"
	@echo "make test          install test deps, ruff check, pytest (PYTEST_ARGS='-k name' to narrow)"
	@echo "make install       install the platform into $(VENV)"
	@echo "make install-test  install the platform and its test tools into $(VENV)"
	@echo "make clean         remove $(VENV) and build artefacts (keeps var/, the database)"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("onemst needs Python >= 3.11") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

# face_recognition's own metadata asks for dlib, which pip would compile: its real
# dependencies (dlib-bin's prebuilt wheel, the models, numpy, Pillow, Click) are in
# pyproject.toml, and the package itself is installed without dependencies.
FACE_RECOGNITION := face_recognition==1.3.0

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -e .
	$(BIN)/python -m pip install --disable-pip-version-check -q --no-deps $(FACE_RECOGNITION)
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -e ".[test]"
	$(BIN)/python -m pip install --disable-pip-version-check -q --no-deps $(FACE_RECOGNITION)
	touch $@ $(STAMP)

# GraphiQL's scripts come from npm into schema/static/graphiql/ (checked against the
# integrity hashes of strawberry's page), so /graphql/ works on a closed network. Without
# npm the API still works; the page says how to install them.
graphiql-assets: | $(BIN)/python
	@$(BIN)/python -m schema.graphiql_assets || echo "GraphiQL's files were not installed: install npm, then run make install again"

install: $(STAMP) graphiql-assets

install-test: $(TEST_STAMP) graphiql-assets

# Every step is safe to repeat: migrate and collectstatic only do what is missing,
# seed_demo creates nothing that already exists.
setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v 0
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py sync_schedules

run: setup
	@$(MAKE) --no-print-directory serve

# Serve without migrating or seeding. The job worker (django-q2: deadline statuses,
# reminders) runs beside Daphne and stops with it; its log, and the development
# emails it prints, go to var/jobs.log.
serve: install
	@echo "Serving http://$(HOST):$(PORT)/admin/ and http://$(HOST):$(PORT)/graphql/ (Ctrl-C stops)"
	@echo "Background jobs (deadlines, reminders): log in var/jobs.log"
	@SITE_URL=$(SITE_URL) LOG_LEVEL=INFO $(BIN)/python manage.py qcluster >> var/jobs.log 2>&1 & jobs=$$!; \
	trap 'kill $$jobs 2>/dev/null; wait $$jobs 2>/dev/null' EXIT INT TERM; \
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

lint: install-test
	$(BIN)/ruff check .

# Lint and tests both run, so one report shows both; either failing fails `make test`.
# pytest exits 5 when it collected no test: any non-zero exit is a failure here.
# The page tests drive Debian's chromium and read PDFs with poppler's pdftoppm: installed
# here when missing (apt, as root or with sudo), never a downloaded browser.
page-test-packages:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null || ! command -v npm >/dev/null; then bash .ci/run packages; fi

test: page-test-packages install-test
	@lint=0; echo "$(BIN)/ruff check ."; $(BIN)/ruff check . || lint=$$?; \
	echo "$(BIN)/pytest $(PYTEST_ARGS)"; $(BIN)/pytest $(PYTEST_ARGS); tests=$$?; \
	if [ $$lint -ne 0 ]; then echo "make test: ruff check failed (exit $$lint)"; fi; \
	if [ $$tests -ne 0 ]; then echo "make test: pytest failed (exit $$tests)"; fi; \
	[ $$lint -eq 0 ] && [ $$tests -eq 0 ]

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
