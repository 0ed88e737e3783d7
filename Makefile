# Two commands on a fresh machine (python3 and node only): `make run` and `make test`.
# Everything else, uv included, is installed on first use into .tools/ and .venv/.
SHELL := bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
RUN := $(UV) run --frozen --no-sync
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

.PHONY: install run run-nation test test-unit test-later screenshots lint format bench openapi synth diff deploy synth-national diff-national deploy-national clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: .venv/.synced

# The browser tests drive Debian's chromium (Playwright cannot download its own browser here).
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core

run: install node_modules/.installed  ## the region on an embedded moto at http://127.0.0.1:$${PORT:-8000}
	$(RUN) python -m infra.local.server

run-nation: install  ## North (PORT, default 8000) and South (PORT+1) linked through the national index, one moto
	$(RUN) python -m infra.local.server --nation

# A test run starts many interpreters (two workers, every local server, every fresh interpreter of
# the import test, every fuzzer run), each importing boto3, moto and pydantic. Where the environment
# sets PYTHONDONTWRITEBYTECODE, each of them would compile those sources again: the tests keep their
# bytecode in __pycache__ (ignored by git), so only the first run compiles.
test test-unit test-later: export PYTHONDONTWRITEBYTECODE :=

# One worker per core; a test module stays on one worker, so its module fixtures (a CDK synth, a
# local server, a browser) are built once. WORKERS=0 runs everything in this process. Modules go
# out in the order of the tests/ folders, so the long ones with few tests (browser, fuzzer) start
# first instead of last (xdist would otherwise hand out the modules with the most tests first).
WORKERS ?= auto
test: install node_modules/.installed $(CHROMIUM)  ## every test: unit, integration (moto), browser (chromium), infrastructure (CDK synth)
	$(RUN) pytest -n $(WORKERS) --dist loadfile --no-loadscope-reorder

# The loop to keep running while changing the rules: the pure rules, the use cases on in-memory
# fakes and the ports' contract cases against those fakes, in seconds; no moto, browser, local
# server or CDK synth.
test-unit: install  ## the unit tests and the fakes' contract tests, in seconds
	$(RUN) pytest tests/unit
	$(RUN) pytest tests/ports -k fake

# The tests that start the local server, with the machine's clock three years ahead: no test and
# no README example may depend on the real date. Debian's faketime; installed with apt-get as root.
LATER ?= +1100d
test-later: install
	@command -v faketime >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq faketime >/dev/null; } \
	  || { echo "test-later needs faketime (apt-get install faketime)"; exit 1; }
	faketime -f '$(LATER)' $(RUN) pytest -m smoke -n $(WORKERS) --dist loadfile

screenshots: install node_modules/.installed $(CHROMIUM)  ## docs/screenshots/*.png of the portal's main pages
	PYTHONPATH=functions:. $(RUN) python -m tests.browser.screenshots docs/screenshots

lint: install
	$(RUN) ruff check functions infra tests bench
	$(RUN) ruff format --check functions infra tests bench
	$(RUN) mypy functions infra tests bench

format: install
	$(RUN) ruff check --fix functions infra tests bench
	$(RUN) ruff format functions infra tests bench

openapi: install  ## rewrite the committed OpenAPI documents from the handlers' routes (commit the result)
	$(RUN) python -m infra.openapi

bench: install  ## figures and ratios, never pass/fail
	@for script in bench/bench_*.py; do echo "== $$script"; $(RUN) python $$script || exit 1; done

CONFIG ?= infra/regions/example.toml

synth: install node_modules/.installed  ## offline: no AWS account, no Docker
	npx cdk synth --quiet -c config=$(CONFIG)

diff: install node_modules/.installed
	npx cdk diff -c config=$(CONFIG)

deploy: install node_modules/.installed  ## CONFIG=infra/regions/<code>.toml
	npx cdk deploy -c config=$(CONFIG)

NATIONAL ?= infra/national/example.toml

synth-national: install node_modules/.installed  ## the national index (offline)
	npx cdk synth --quiet -c national=$(NATIONAL)

diff-national: install node_modules/.installed
	npx cdk diff -c national=$(NATIONAL)

deploy-national: install node_modules/.installed  ## NATIONAL=infra/national/<name>.toml; before the regions link to it
	npx cdk deploy -c national=$(NATIONAL)

clean:
	rm -rf .venv $(TOOLS) node_modules cdk.out .pytest_cache .mypy_cache .ruff_cache
