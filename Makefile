# Two commands for a fresh machine with Python 3.11+ and make: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WITH_DB := scripts/with_database.sh
HOST ?= 127.0.0.1
PORT ?= 8000

export DEBUG ?= 1
export DJANGO_SETTINGS_MODULE := project.settings
export PYTHONUNBUFFERED := 1

.PHONY: install run test lint format schema migrate seed check bench graphiql

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(WITH_DB) $(BIN)/python manage.py migrate --noinput
	$(WITH_DB) $(BIN)/python manage.py createcachetable

seed: migrate
	$(WITH_DB) $(BIN)/python manage.py seed_demo --if-empty

run: seed graphiql
	@echo "GraphiQL: http://$(HOST):$(PORT)/graphql/"
	$(WITH_DB) $(BIN)/uvicorn project.asgi:application --host $(HOST) --port $(PORT) --lifespan off

# GraphiQL's assets: graphiql/ built with npm into graphql_schema/graphiql/build/ (git-ignored).
# Without Node.js 20+ and npm GraphiQL still opens, with its assets from a CDN.
GRAPHIQL_BUNDLE := graphql_schema/graphiql/build/graphiql.js
GRAPHIQL_NPM := graphiql/node_modules/.installed

graphiql:
	@if command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory $(GRAPHIQL_BUNDLE) || echo "GraphiQL's build failed: it will load its assets from a CDN"; \
	else echo "npm not found: GraphiQL will load its assets from a CDN (make graphiql builds them)"; fi

$(GRAPHIQL_NPM): graphiql/package-lock.json
	cd graphiql && npm ci --no-audit --no-fund
	touch $@

$(GRAPHIQL_BUNDLE): $(GRAPHIQL_NPM) graphiql/vite.config.js $(wildcard graphiql/src/*)
	cd graphiql && npm run build

test: install
	$(WITH_DB) $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(WITH_DB) $(BIN)/mypy project graphql_schema

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(WITH_DB) $(BIN)/python manage.py makemigrations --check --dry-run

schema: install
	$(WITH_DB) $(BIN)/python manage.py export_schema graphql_schema.schema --path graphql_schema/schema.graphql

# The benchmark (bench/README.md): the real server under wrk next to a one-SQL reference.
# BENCH_SECONDS=10 is a quick run; PROFILE=<operation> profiles one operation in-process.
bench: install
	$(BIN)/python -c 'import matplotlib, pyinstrument' 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(WITH_DB) $(BIN)/python -m bench --seconds '$(BENCH_SECONDS)' --workers '$(BENCH_WORKERS)' \
		--nginx '$(BENCH_NGINX)' --only '$(BENCH_ONLY)' --profile '$(PROFILE)'
