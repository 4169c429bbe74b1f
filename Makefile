# Two commands on a fresh machine: `make demo` (the application with demo data) and
# `make test` (the whole test suite). Both create .venv, install the project and make
# PostgreSQL and Redis available first (see tools/devenv.py for how they are chosen).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: demo test bench bootstrap services install check lint clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

services: install
	$(PY) -m tools.devenv services

bootstrap: services
	$(PY) manage.py compile_translations
	$(PY) manage.py migrate --noinput

# collectstatic compresses ~10,000 files (gzip and brotli, ~40 s): only when its inputs
# change. The tests serve static files without it.
STATIC_INPUTS := $(shell find static -type f 2>/dev/null) $(VENV)/.installed
staticfiles/staticfiles.json: $(STATIC_INPUTS) | services
	$(PY) manage.py collectstatic --noinput --verbosity 0

demo: bootstrap staticfiles/staticfiles.json
	$(PY) manage.py seed_demo
	$(PY) -m tools.devenv run

# The whole suite at the real date, then the tests that read the date again with the clock
# moved to the next Saturday and to the next change of summer time (tests/conftest.py,
# --clock). Worker and browser tests keep the real date: their other processes do.
SHIFTED := -m "date_sensitive and not worker and not browser" -q
test: bootstrap check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest tests
	$(VENV)/bin/pytest tests $(SHIFTED) --clock saturday
	$(VENV)/bin/pytest tests $(SHIFTED) --clock dst-sunday

# The national-scale benchmark (not part of `make test`): builds its own databases (the
# national one is kept while the migrations do not change), measures, prints one table and
# writes it to bench-results/. See bench/__main__.py.
bench: bootstrap staticfiles/staticfiles.json
	$(PY) -m bench

# The house rules (part of make test): lint and format, types of the kernel and of every
# app's services, selectors and policy, and the layers of the apps (import-linter contracts in
# pyproject.toml).
TYPED := $(sort spip/exceptions.py spip/forms.py spip/history.py spip/hooks.py \
	spip/policy.py spip/queueing.py spip/selectors.py spip/services.py spip/versioning.py \
	spip/workdays.py $(wildcard */services.py */selectors.py */policy.py))
check: services
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $(TYPED)
	$(VENV)/bin/lint-imports
lint: check

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
