# make run           installs everything and serves the seeded catalogue on http://127.0.0.1:$(PORT)/, with the
#                    worker that reads the documents' text beside it
# make test          installs everything and runs the whole suite on SQLite with the memory cache, and on a
#                    throwaway PostgreSQL with a throwaway Redis as the cache, as on many machines
# make coverage      the SQLite run under coverage.py, then the line coverage of each file and in total
# make requirements  makes the pins (requirements.txt, requirements-dev.txt) from the lists of direct
#                    dependencies (requirements.in, requirements-dev.in) after an edit; the other pins stay
# make upgrade       makes the pins anew at the newest versions allowed, then runs `make test` to prove them
#
# The pins install with uv (its own pin below, put into .venv by pip): a fresh install of everything
# takes about 40 s, against 100 s with pip alone.

PORT ?= 8000

# Python keeps its compiled files (__pycache__/, ignored by git) even where PYTHONDONTWRITEBYTECODE
# asks it not to: `make test` starts a dozen Python processes, and each would otherwise compile
# anew the project, the libraries it imports and the tests' rewritten assertions (about 8 s for
# the test run's own imports, 3 s once the libraries' files are kept).
export PYTHONDONTWRITEBYTECODE :=
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8
# The first interpreter that is Python 3.12 or newer.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3); do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)

MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

.PHONY: run test test-sqlite test-postgres coverage lint install install-dev messages lighthouse bench bench-documents soak clean
.PHONY: requirements upgrade

$(VENV)/.installed: requirements.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed and none was found (tried python3, python3.13, python3.12 and ~/.pyenv/versions)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) pip install --quiet --python $(PY) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(UV) pip install --quiet --python $(PY) -r requirements.txt -r requirements-dev.txt
	touch $@

# The development pins are constrained by the run-time ones (-c requirements.txt): made second.
COMPILE = $(UV) pip compile --quiet --python-version 3.12 --custom-compile-command "make requirements"
requirements: $(VENV)/.installed
	$(COMPILE) $(UPGRADE) requirements.in -o requirements.txt
	$(COMPILE) $(UPGRADE) requirements-dev.in -o requirements-dev.txt

upgrade:
	$(MAKE) --no-print-directory requirements UPGRADE=--upgrade
	$(MAKE) --no-print-directory test

# The interface translations, compiled with GNU gettext's msgfmt.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | $(VENV)/.installed
	@command -v msgfmt >/dev/null || { echo "GNU gettext (msgfmt) is needed to compile the translations: apt-get install gettext" >&2; exit 1; }
	DEBUG=true $(PY) manage.py compilemessages --locale $* --ignore '.venv' -v 0

messages: $(MO_FILES)

install: $(VENV)/.installed messages

install-dev: $(VENV)/.installed-dev messages

run: export DEBUG ?= true
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setuproles
	$(PY) manage.py loadcatalogue
	@# Beside the server, stopped when it stops: the worker that does the background work (the documents'
	@# text, the alerts' mails, the link checks), and every minute the periodic tasks put in its queue.
	$(PY) manage.py db_worker & worker=$$!; $(PY) manage.py runperiodic --every 60 & periodic=$$!; \
	trap 'kill $$worker $$periodic 2>/dev/null; wait $$worker $$periodic 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

test-sqlite: install-dev
	env -u DATABASE_URL -u REDIS_URL $(VENV)/bin/pytest

# What it measures and leaves out: pyproject.toml, [tool.coverage.*].
coverage: install-dev
	env -u DATABASE_URL -u REDIS_URL $(VENV)/bin/coverage run -m pytest
	$(VENV)/bin/coverage report

# On PostgreSQL with Redis as the cache (REDIS_URL), as on many machines: the cache, the rate limits
# and the facet indexes are tested against it, and two gunicorn servers share both (tests/wcointegrity/test_servers.py).
# Its own static files folder, so that it can run beside the SQLite run. The browser tests drive
# the interface, which is the same whatever the database: they run once, in the SQLite run; so do
# the tests that start the site in a process with settings of their own (marker own_process).
test-postgres: install-dev
	STATIC_ROOT=$(CURDIR)/staticfiles-postgres scripts/with-postgres scripts/with-redis $(VENV)/bin/pytest -m "not browser and not own_process"

# The two databases' runs side by side, one a core; each prints its output when it ends.
# The linter beside them: its few seconds are not added to the suite's.
test: install-dev messages
	$(MAKE) --no-print-directory --output-sync=target -j3 lint test-sqlite test-postgres

# Figures, not tests: the production server on 127.0.0.1 against PostgreSQL with 100,000 events (docs/performance.md).
# Then the query-count tests of tests/catalogue/test_scale.py at 100,000 events, too large for the suite.
bench: install-dev messages
	scripts/with-postgres scripts/bench
	SCALE_TEST_EVENTS=10000,100000 STATIC_ROOT=$(CURDIR)/staticfiles-bench scripts/with-postgres $(VENV)/bin/pytest tests/catalogue/test_scale.py -q

# Figures of the documents, not tests: reading PDFs against pdftotext (poppler-utils) and the reader's memory,
# an upload's memory, and a search across 1,000 documents of 20,000 pages on PostgreSQL (docs/performance.md).
bench-documents: install-dev messages
	$(PY) scripts/bench_reading.py
	$(PY) scripts/bench_upload.py
	scripts/with-postgres $(PY) scripts/bench_document_search.py

# 60 seconds of mixed traffic at concurrency 64, with PostgreSQL stopped for ten of them (docs/performance.md).
soak: install messages
	scripts/with-postgres scripts/soak

lighthouse: install
	scripts/lighthouse

clean:
	rm -rf $(VENV) staticfiles staticfiles-postgres staticfiles-bench .pytest_cache .ruff_cache .hypothesis .coverage
