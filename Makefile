# make run   installs everything and serves the seeded catalogue on http://127.0.0.1:$(PORT)/
# make test  installs everything and runs the whole suite on SQLite with the memory cache, and on a
#            throwaway PostgreSQL with a throwaway Redis as the cache, as on many machines

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# The first interpreter that is Python 3.12 or newer.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3); do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)

MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

.PHONY: run test test-sqlite test-postgres lint install install-dev messages lighthouse bench soak clean

$(VENV)/.installed: requirements.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed and none was found (tried python3, python3.13, python3.12 and ~/.pyenv/versions)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

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
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

test-sqlite: install-dev
	env -u DATABASE_URL -u REDIS_URL $(VENV)/bin/pytest

# On PostgreSQL with Redis as the cache (REDIS_URL), as on many machines: the cache, the rate limits
# and the facet indexes are tested against it, and two gunicorn servers share both (tests/test_servers.py).
# Its own static files folder, so that it can run beside the SQLite run. The browser tests drive
# the interface, which is the same whatever the database: they run once, in the SQLite run.
test-postgres: install-dev
	STATIC_ROOT=$(CURDIR)/staticfiles-postgres scripts/with-postgres scripts/with-redis $(VENV)/bin/pytest -m "not browser"

# The two databases' runs side by side, one a core; each prints its output when it ends.
test: lint
	$(MAKE) --no-print-directory --output-sync=target -j2 test-sqlite test-postgres

# Figures, not tests: the production server on 127.0.0.1 against PostgreSQL with 100,000 events (README, "Performance").
# Then the query-count tests of tests/test_scale.py at 100,000 events, too large for the suite.
bench: install-dev messages
	scripts/with-postgres scripts/bench
	SCALE_TEST_EVENTS=100000 STATIC_ROOT=$(CURDIR)/staticfiles-bench scripts/with-postgres $(VENV)/bin/pytest tests/test_scale.py -q

# 60 seconds of mixed traffic at concurrency 64, with PostgreSQL stopped for ten of them (README, "Performance").
soak: install messages
	scripts/with-postgres scripts/soak

lighthouse: install
	scripts/lighthouse

clean:
	rm -rf $(VENV) staticfiles staticfiles-postgres staticfiles-bench .pytest_cache .ruff_cache .hypothesis
