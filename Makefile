# Ettervern: `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test test-moved-clock install install-test migrate demo lint format messages clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	@mkdir -p var/static
	$(BIN)/ettervern migrate --no-input

# The demo mode: demo logins over plain HTTP on this machine, DEBUG still off (see README).
demo run migrate messages: export ETTERVERN_DEMO := 1
# Links in the demo's mail (printed to the console) point to this server.
demo run migrate messages: export ETTERVERN_SITE_URL := $(or $(ETTERVERN_SITE_URL),http://$(HOST):$(PORT))

demo: migrate
	$(BIN)/ettervern seed_demo

# DEBUG is off, so static files are served by WhiteNoise from the collected, hashed copies.
run: demo
	$(BIN)/ettervern collectstatic --no-input -v 0
	@echo "Serving Ettervern on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	exec $(BIN)/gunicorn config.wsgi:application --bind $(HOST):$(PORT) --workers 2 \
		--access-logfile - --graceful-timeout 5

test: install-test
	$(BIN)/pytest

# The non-browser suite with the clock moved by Debian's faketime (apt-get install faketime), at
# instants (UTC) that cross a week in Oslo, a year, both daylight-saving changes and a month: a
# test that depends on today's date fails here, not for a user. Only pytest runs under faketime.
MOVED_CLOCK_AT ?= 2027-02-28 23:30:00,2026-12-31 23:30:00,2027-03-28 00:30:00,2027-10-31 00:30:00,2027-01-31 23:30:00
test-moved-clock: install-test
	@command -v faketime >/dev/null 2>&1 || { echo "faketime is needed (apt-get install faketime)"; exit 1; }
	@status=0; instants='$(MOVED_CLOCK_AT)'; IFS=','; for at in $$instants; do \
		echo "== pytest -m 'not browser' with the clock at $$at UTC"; \
		TZ=UTC faketime -f "@$$at" $(BIN)/pytest -q -m "not browser" || status=1; \
	done; exit $$status

lint: install-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract strings into each app's nb catalogue and compile them (needs GNU gettext).
messages: install
	@for app in ettervern/*/; do \
		if [ -d "$$app/locale" ]; then (cd $$app && ../../$(BIN)/ettervern makemessages -l nb --no-obsolete >/dev/null); fi; \
	done
	cd ettervern && ../$(BIN)/ettervern makemessages -l nb --no-obsolete \
		$$(for d in */locale; do printf -- '-i %s ' "$${d%/locale}"; done) >/dev/null
	$(BIN)/ettervern compilemessages -l nb -i .venv >/dev/null

clean:
	rm -rf $(VENV) var/ettervern.sqlite3
