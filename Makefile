# 政务公开年报 — developer commands. Linux/macOS; needs Python 3.11+ and make.
#   make run        open the app          make test       run the whole suite
#   make lint       ruff check + format   make typecheck  mypy: model/ export/ published/ county/ gui/ main cli
#   make check      lint + typecheck + test (what CI runs)
#   make lock       regenerate requirements/*.txt from pyproject.toml
#   make bench      run the benchmarks on all cores and on one (bench-one-core: only one)
#   make clean      remove .venv and caches
#   make installer  the 64-bit Windows setup      make windows-check  it all, run under Wine
# The first command that needs it creates .venv and installs requirements/dev.txt; the venv is
# brought up to date again whenever a requirements file changes.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test lint typecheck check lock clean bench bench-one-core python-version

help:
	@sed -n '2,11p' Makefile | sed 's/^# \{0,1\}//'

python-version:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	    echo "error: '$(PYTHON)' is not Python 3.11 or newer (found: $$($(PYTHON) --version 2>&1))." >&2; \
	    echo "       Install Python 3.11+ or run e.g. 'make PYTHON=python3.11 $(MAKECMDGOALS)'." >&2; \
	    exit 1; }

$(STAMP): requirements/app.txt requirements/dev.txt | python-version
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -r requirements/dev.txt
	@touch $@

run: $(STAMP)
	$(PY) main.py

test: export QT_QPA_PLATFORM := offscreen
test: $(STAMP) browser-deps
	@# Compiled once, as the installed program ships them: with PYTHONDONTWRITEBYTECODE set
	@# (as on CI) every lazy import would compile its module in the UI thread, and the
	@# window-answers tests would time the compiler.
	$(PY) -m compileall -q model export published county gui main.py cli.py
	$(PY) -m pytest

# axe-core for the real-browser tests of the web page (tests/browser, chromium from .ci/run):
# `npm ci` from the lock file. Without npm on a developer machine those tests skip and say so;
# under CI (CI set) a missing npm is an error.
BROWSER_STAMP := tests/browser/node_modules/.installed
.PHONY: browser-deps
browser-deps: $(BROWSER_STAMP)
$(BROWSER_STAMP): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	    cd tests/browser && npm ci --no-audit --no-fund && touch node_modules/.installed; \
	elif [ -n "$$CI" ]; then echo "error: npm is missing; .ci/run installs it" >&2; exit 1; \
	else echo "note: npm not found: the browser tests (tests/browser) will be skipped"; fi

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# model/ and export/ strictly, gui/ and the start-up and command-line modules gradually: the
# settings per package are in pyproject.toml.
typecheck: $(STAMP)
	$(PY) -m mypy model export published county gui main.py cli.py

check: lint typecheck test

# Every benchmark twice, on all cores and pinned to one core (taskset -c 0, inherited by the
# processes it starts); docs/PERFORMANCE.md shows both. A benchmark that fails or misses a goal
# does not stop the others: make fails at the end, naming them. BENCHES="benchmarks/bench_x.py"
# runs only those.
BENCHES ?= $(wildcard benchmarks/bench_*.py)
TASKSET := $(shell command -v taskset 2>/dev/null)
NO_TASKSET := taskset not found (e.g. on Windows): the one-core pass cannot run; docs/PERFORMANCE.md keeps its last one-core figures.

bench bench-one-core: export QT_QPA_PLATFORM := offscreen
bench: $(STAMP)
	@failed=; for b in $(BENCHES); do \
	    echo "== $$b"; PYTHONPATH=. $(PY) $$b || failed="$$failed $$b"; \
	    if [ -n "$(TASKSET)" ]; then echo "== $$b, one core (taskset -c 0)"; \
	        NIANBAO_BENCH_ONE_CORE=1 PYTHONPATH=. taskset -c 0 $(PY) $$b || failed="$$failed $$b(one core)"; fi; \
	done; \
	if [ -z "$(TASKSET)" ]; then echo "$(NO_TASKSET) Every benchmark ran once." >&2; fi; \
	if [ -n "$$failed" ]; then echo "bench: failed or missed a goal:$$failed" >&2; exit 1; fi

bench-one-core: $(STAMP)
	@if [ -z "$(TASKSET)" ]; then echo "$(NO_TASKSET)" >&2; exit 1; fi
	@failed=; for b in $(BENCHES); do echo "== $$b, one core (taskset -c 0)"; \
	    NIANBAO_BENCH_ONE_CORE=1 PYTHONPATH=. taskset -c 0 $(PY) $$b || failed="$$failed $$b"; \
	done; \
	if [ -n "$$failed" ]; then echo "bench-one-core: failed or missed a goal:$$failed" >&2; exit 1; fi

lock: python-version
	PYTHON=$(PYTHON) bash .ci/lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# ---------------------------------------------------------------- the Windows setup program
#   make bundle         dist/nianbao/ with PyInstaller for this system, then its --selftest
#   make installer      dist/nianbao-setup-VERSION-x64.exe, the real 64-bit setup program: on
#                       Linux from the Windows bundle built under Wine (installer/wine.py), on
#                       Windows from the bundle built there
#   make windows-check  on Linux: the Windows program built, installed, run and uninstalled under
#                       Wine, each step a counted check (installer/windows_check.py; .ci/run runs it)
# None is part of `make test`; the Wine work and its downloads stay in build/windows/. On Windows
# (Git Bash or MSYS make) the venv's python is under Scripts\; the workflow
# .github/workflows/windows-installer.yml runs the same installer/build.py.
.PHONY: bundle installer windows-check

ifeq ($(OS),Windows_NT)
PY := $(VENV)/Scripts/python.exe
endif
BUILD_STAMP := $(VENV)/.build-installed

$(BUILD_STAMP): requirements/build.txt requirements/app.txt $(STAMP)
	$(PY) -m pip install -r requirements/build.txt
	@touch $@

bundle: $(BUILD_STAMP)
	$(PY) installer/build.py bundle
	$(PY) installer/build.py selftest

ifeq ($(OS),Windows_NT)
installer: bundle
	$(PY) installer/build.py installer
else
installer: $(STAMP)
	$(PY) installer/wine.py installer
endif

windows-check: $(STAMP)
	$(PY) installer/windows_check.py
