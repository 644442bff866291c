# dlmath — the two commands are `make lab` and `make test`; everything else is a helper.
# Every target that needs the environment depends on $(STAMP), which (re)builds .venv when it is
# missing or pyproject.toml changed.

PYTHON   ?= python3
VENV     := .venv
PY       := $(VENV)/bin/python
STAMP    := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
NBVAL    := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
LAB_PORT ?= 8888
WORK     ?= my-work

export PYTHONHASHSEED := 0
# Keep BLAS to one thread per process; dlmath's kernels choose their own threading.
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: setup lab reset test test-unit test-notebooks test-portability test-browser bench execute html \
        clean-numba clean help

help:
	@echo "make lab    — set up if needed, open JupyterLab on the course (127.0.0.1, token auth)"
	@echo "make test   — set up if needed, run every unit test and every notebook (nbval)"
	@echo "make reset NB=07 — a fresh copy of one notebook in my-work/ (yours kept, timestamped)"
	@echo "other: setup test-unit test-notebooks test-portability test-browser bench execute html"
	@echo "       clean-numba clean"

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "dlmath needs Python 3.11+, found " + sys.version.split()[0]' \
	  || { echo "error: '$(PYTHON)' is older than Python 3.11; run e.g. 'make PYTHON=python3.12 setup'"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[course,test]'
	$(PY) -m dlmath.warmup
	$(PY) -m dlmath.tools.lab_settings
	@touch $(STAMP)

# JupyterLab on this machine only (127.0.0.1), with its normal token auth, on your own copy of
# the course: $(WORK)/ gets every course notebook it does not have yet (yours are never
# overwritten), then the welcome notebook opens there. LAB_ARGS adds options (LAB_ARGS=--no-browser).
lab: $(STAMP)
	$(PY) -m dlmath.tools.workspace sync --work $(WORK)
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(LAB_PORT) --ServerApp.root_dir=. \
	  $$( [ "$$(id -u)" = 0 ] && echo --allow-root ) $(LAB_ARGS) $(WORK)/00_welcome.ipynb

# A fresh copy of one notebook in $(WORK)/; yours is kept beside it, timestamped: make reset NB=07
reset: $(STAMP)
	@test -n "$(NB)" || { echo "usage: make reset NB=07 (the notebook's number or name)"; exit 2; }
	$(PY) -m dlmath.tools.workspace reset $(NB) --work $(WORK)

test: $(STAMP)
	$(MAKE) --no-print-directory test-unit
	$(MAKE) --no-print-directory test-notebooks
	$(MAKE) --no-print-directory test-browser

# The unit tests on every core (pytest-xdist; the tests of one file stay on one worker). Never
# the notebooks: nbval needs a notebook's cells in one kernel, in order.
UNIT_WORKERS ?= $(shell nproc 2>/dev/null || echo 1)
test-unit: $(STAMP)
	$(PY) -m pytest -q -n $(UNIT_WORKERS) --dist loadfile tests

# One notebook's checks: make test-notebooks NOTEBOOKS=notebooks/00_welcome.ipynb
test-notebooks: $(STAMP)
	$(PY) -m pytest -q $(NBVAL) $(NOTEBOOKS)

# Strict notebook output must not depend on the processor or the core count: rerun every notebook
# with OpenBLAS forced onto other kernels (Prescott = generic SSE3, runs on any x86-64; SkylakeX =
# AVX-512 or Haswell = AVX2 where the CPU has them) and the kernels on 1 and 3 threads. The runs
# go side by side (one per core type, each logging to build/portability-<core>.log, printed at
# the end); the target fails if either does.
PORTABILITY_CORES ?= $(shell if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then echo Prescott SkylakeX; \
                      elif grep -qw avx2 /proc/cpuinfo 2>/dev/null; then echo Prescott Haswell; \
                      else echo Prescott; fi)
test-portability: $(STAMP)
	@mkdir -p build; threads=1; for core in $(PORTABILITY_CORES); do \
	  kernel=$$(OPENBLAS_CORETYPE=$$core $(PY) -c 'import numpy, threadpoolctl; print(",".join(i.get("architecture", "?") for i in threadpoolctl.threadpool_info() if i.get("internal_api") == "openblas"))'); \
	  log=build/portability-$$core.log; \
	  echo "== notebooks with OPENBLAS_CORETYPE=$$core (OpenBLAS kernel: $$kernel), DLMATH_NUM_THREADS=$$threads" > $$log; \
	  ( OPENBLAS_CORETYPE=$$core DLMATH_NUM_THREADS=$$threads $(PY) -m pytest -q $(NBVAL) $(NOTEBOOKS) >> $$log 2>&1; \
	    echo $$? > $$log.rc ) & \
	  threads=3; \
	done; wait; status=0; for core in $(PORTABILITY_CORES); do \
	  cat build/portability-$$core.log; [ "$$(cat build/portability-$$core.log.rc)" = 0 ] || status=1; \
	done; exit $$status

# Needs Debian's Chromium (.ci/run installs it); without it this says plainly that it skipped.
test-browser: $(STAMP)
	@if [ -x /usr/bin/chromium ]; then \
	  $(PY) -c 'import playwright' 2>/dev/null || $(PY) -m pip install --quiet -e '.[browser]'; \
	fi
	$(PY) tests/browser/run.py
	$(PY) tests/browser/book.py

bench: $(STAMP)
	$(PY) -m benchmarks

# Re-run every notebook in place (restart-and-run-all), then strip metadata.widgets.
execute: $(STAMP)
	$(PY) -m dlmath.tools.execute $(NOTEBOOKS)

# The course as a Jupyter Book (Sphinx) in build/html/: sidebar by part, previous/next, search;
# from the saved outputs, offline (local MathJax, static explorer frames).
html: $(STAMP)
	$(PY) -m dlmath.tools.book --out build/html

clean-numba:
	find dlmath -name '__pycache__' -type d -prune -exec sh -c 'rm -f "$$1"/*.nbi "$$1"/*.nbc' _ {} \;
	@echo "numba cache cleared"

clean: clean-numba
	rm -rf $(VENV) build .hypothesis
	find . -name '__pycache__' -type d -prune -exec rm -rf {} +
