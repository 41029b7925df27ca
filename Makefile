# Symphony: `make run` serves the app on the embedded default, `make test` runs every test.
PY := .venv/bin/python
PIP := .venv/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run run-scaled test bench lint install install-dev frontend chromium sandbox migrate

.venv/.installed: requirements.txt
	test -x $(PY) || python3 -m venv .venv
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

.venv/.installed-dev: .venv/.installed requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $@

install: .venv/.installed frontend

install-dev: .venv/.installed-dev frontend

# The frontend build, once package.json exists (node_modules and static/dist are not committed).
frontend:
	@if [ -f package.json ]; then \
	  { [ -d node_modules ] && [ node_modules -nt package-lock.json ]; } || npm ci --no-audit --no-fund; \
	  npm run --silent build; \
	fi

migrate: .venv/.installed
	$(PY) manage.py migrate --noinput

run: install sandbox migrate
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py bootstrap --url http://$(HOST):$(PORT)/
	$(PY) -m symphony.serve --host $(HOST) --port $(PORT)

# The scaled-out shape against the local PostgreSQL and Redis: 2 web + 2 runner processes
# (deploy/Procfile), web on :8000 and :8001.
SCALED_DB ?= symphony
SCALED_ENV := DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(SCALED_DB) REDIS_URL=redis://127.0.0.1:6379/0
run-scaled: install
	createdb -h 127.0.0.1 -U postgres $(SCALED_DB) 2>/dev/null || true
	$(SCALED_ENV) $(PY) manage.py migrate --noinput
	$(SCALED_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(SCALED_ENV) $(PY) manage.py bootstrap --url http://$(HOST):8000/
	$(SCALED_ENV) .venv/bin/honcho -f deploy/Procfile -d . start

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; }

# Debian's bubblewrap: local functions run in its sandbox (executions/function_sandbox.py).
sandbox:
	@command -v bwrap >/dev/null || { apt-get update -qq && apt-get install -y -qq bubblewrap >/dev/null; }

lint: .venv/.installed-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	.venv/bin/mypy

test: install-dev chromium sandbox lint
	@if [ -f package.json ]; then npm test --silent; fi
	$(PY) -m pytest -m "not browser" -q
	$(PY) -m pytest -m browser -q -p no:randomly

bench: install-dev chromium sandbox
	@for b in tests/bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done
