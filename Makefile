# Two commands do all the set-up on a machine with python3, pip and make:
#   make demo          - create .venv, install glassnet, run `glassnet demo`
#   make test          - the same with the development set (pinned), then lint and the suite
# and, for contributors:
#   make test-pythons  - the suite on every Python 3.10-3.13 found, each in its own .venv-3.X
#   make lock          - refresh the pins (constraints-3.X.txt) on purpose
#   make docs          - the API reference in docs/api/ (pdoc), the lessons in docs/lessons/
#   make lessons       - the lessons as HTML with their outputs, in docs/lessons/
#   make dist          - the wheel and sdist in dist/, checked, and the wheel tried alone
#   make bench         - the benchmarks against scikit-learn and PyTorch
#   make types         - mypy on src/glassnet and pyright's score of the typed public API
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTHONS := 3.10 3.11 3.12 3.13
# Versions make test-pythons leaves out, e.g. SKIP_PYTHONS=3.11 where make test ran it.
SKIP_PYTHONS ?=
# The float64 oracle of the tests: the bench extra's pin. It is installed only from a
# wheel already on the machine (pip's find-links), never downloaded: other builds weigh GBs.
TORCH := torch==2.13.0
SOURCES := pyproject.toml $(wildcard constraints-*.txt)

# $(call pins,PYTHON): sets $pins to "-c constraints-3.X.txt" for that Python, written by
# `make lock`, or to nothing when there is no such file.
define pins
pinfile=constraints-$$($(1) -c 'import sys; print("%d.%d" % sys.version_info[:2])').txt; \
pins=""; if [ -f $$pinfile ]; then pins="-c $$pinfile"; fi
endef

# $(call install,VENV-BIN,EXTRAS): glassnet editable with its extras, pinned where a
# constraints file for that Python exists (else unpinned, saying so).
define install
@$(call pins,$(1)/python); \
	[ -n "$$pins" ] || echo "no $$pinfile: installing unpinned" >&2; \
	echo "pip install $$pins -e '.[$(2)]'"; \
	$(1)/python -m pip install --quiet --quiet $$pins -e '.[$(2)]'
endef

# $(call install_torch,VENV-BIN): torch from a wheel on disk, then its dependencies (pinned).
define install_torch
@$(call pins,$(1)/python); \
	if $(1)/python -m pip install --quiet --quiet --no-index --no-deps '$(TORCH)' 2>/dev/null; then \
	    $(1)/python -m pip install --quiet --quiet $$pins '$(TORCH)' && \
	    echo "$(TORCH) installed from the wheel on this machine"; \
	else \
	    echo "no $(TORCH) wheel on this machine for $$($(1)/python -V): the tests that need torch will skip"; \
	fi
endef

# The interpreter of Python $$v (3.10, ...): pyenv's newest, else the PATH's; empty if none.
define find_python
root=$$(pyenv root 2>/dev/null || echo "$${PYENV_ROOT:-$$HOME/.pyenv}"); \
py=""; \
for candidate in $$(ls -d "$$root"/versions/$$v.*/bin/python$$v 2>/dev/null | sort -rV) \
                 $$(command -v python$$v); do \
    if "$$candidate" -c "import sys, venv; assert '%d.%d' % sys.version_info[:2] == '$$v'" \
       2>/dev/null; then py=$$candidate; break; fi; \
done
endef

.PHONY: demo test lint types suite test-pythons lock docs lessons dist bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --quiet --upgrade pip

# Stamp files make a second run fast: pip runs again only when pyproject.toml or a
# constraints file changes. The demo draws its pictures too, so it installs the plot extra.
$(VENV)/.installed: $(BIN)/python $(SOURCES)
	$(call install,$(BIN),plot)
	touch $@

$(VENV)/.installed-dev: $(BIN)/python $(SOURCES)
	$(call install,$(BIN),dev)
	$(call install_torch,$(BIN))
	touch $@

demo: $(VENV)/.installed
	$(BIN)/glassnet demo

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy src/glassnet

# The typed API: mypy in its default mode (as lint runs it), then pyright's --verifytypes
# score of the public symbols (tests/test_types.py; the suite runs it too, and skips it,
# saying why, where pyright cannot start: it needs Node.js).
types: $(VENV)/.installed-dev
	$(BIN)/mypy src/glassnet
	$(BIN)/python -m pytest -q -rs tests/test_types.py -k pyright

test: lint suite

# The suite alone, in $(VENV) (make test-pythons runs it once per Python).
suite: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q

# Each Python found gets its own venv; one that is missing is skipped with a line saying so.
# Every suite runs even when one fails; the closing lines sum them up.
test-pythons:
	@summary=""; failed=0; \
	for v in $(PYTHONS); do \
	    if [[ " $(SKIP_PYTHONS) " == *" $$v "* ]]; then \
	        summary="$$summary\nPython $$v: skipped (SKIP_PYTHONS)"; continue; \
	    fi; \
	    $(find_python); \
	    if [ -z "$$py" ]; then \
	        echo "Python $$v: not found on this machine, skipped"; \
	        summary="$$summary\nPython $$v: skipped (not found)"; continue; \
	    fi; \
	    echo "== Python $$v: $$py, in .venv-$$v"; \
	    log=$$(mktemp); \
	    if $(MAKE) --no-print-directory VENV=.venv-$$v PYTHON="$$py" suite 2>&1 | tee $$log; \
	       [ $${PIPESTATUS[0]} -eq 0 ]; then verdict=passed; else verdict=FAILED; failed=1; fi; \
	    closing=$$(grep -E '^=* ?[0-9]+ [a-z]+.* in [0-9.]+s' $$log | tail -1); \
	    rm -f $$log; \
	    summary="$$summary\nPython $$v: $$verdict ($$closing)"; \
	done; \
	printf '%b\n' "$$summary"; \
	exit $$failed

# The pins, refreshed on purpose: for each Python found, a clean venv gets the dev extra
# (and torch where its wheel is on disk) resolved afresh, and `pip freeze` writes what it
# got to constraints-3.X.txt (glassnet and torch left out: torch's pin is TORCH above).
# A Python not found keeps its old file. Review the diff, run make test-pythons, commit.
lock:
	@for v in $(PYTHONS); do \
	    $(find_python); \
	    if [ -z "$$py" ]; then echo "Python $$v: not found, constraints-$$v.txt kept"; continue; fi; \
	    echo "== Python $$v: $$py"; \
	    rm -rf .venv-lock && "$$py" -m venv .venv-lock && \
	    .venv-lock/bin/python -m pip install --quiet --quiet --upgrade pip && \
	    .venv-lock/bin/python -m pip install --quiet --quiet '.[dev]' && \
	    if .venv-lock/bin/python -m pip install --quiet --quiet --no-index --no-deps '$(TORCH)' 2>/dev/null; \
	    then .venv-lock/bin/python -m pip install --quiet --quiet '$(TORCH)'; fi && \
	    { echo "# The development set for Python $$v, pinned: written by 'make lock' (see the Makefile)."; \
	      echo "# make test and make test-pythons install with pip install -c constraints-$$v.txt."; \
	      .venv-lock/bin/python -m pip freeze --exclude glassnet --exclude torch; \
	    } > constraints-$$v.txt || exit 1; \
	    echo "constraints-$$v.txt: $$(grep -vc '^#' constraints-$$v.txt) pins"; \
	done; \
	rm -rf .venv-lock

# The API reference (docs/make_api.py fails on any warning of pdoc's), then the lessons.
docs: $(VENV)/.installed-dev
	rm -rf docs/api
	$(BIN)/python docs/make_api.py docs/api
	@$(MAKE) --no-print-directory lessons

# The lessons run top to bottom, each in a fresh kernel, in a scratch folder (they write a
# file or two as a learner's would), and rendered with their outputs by nbconvert.
lessons: $(VENV)/.installed-dev
	rm -rf docs/lessons && mkdir -p docs/lessons
	tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	cp src/glassnet/lessons/*.ipynb $$tmp/ && \
	$(BIN)/jupyter nbconvert --to html --execute --ExecutePreprocessor.timeout=300 \
	    --template-file $(CURDIR)/docs/lesson.html.j2 \
	    --output-dir $(CURDIR)/docs/lessons $$tmp/*.ipynb

# The wheel and the sdist, checked as PyPI would; then the wheel alone (the core, no
# extra) in a throwaway venv of the newest Python found runs the version and the demo.
dist: $(VENV)/.installed-dev
	rm -rf dist
	$(BIN)/python -m build --quiet --outdir dist
	$(BIN)/python -m twine check --strict dist/*
	@for v in $(PYTHONS); do $(find_python); [ -n "$$py" ] && newest=$$py; done; \
	[ -n "$$newest" ] || newest=$(PYTHON); \
	tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	echo "== the wheel alone on $$("$$newest" -V)"; \
	"$$newest" -m venv $$tmp/venv && \
	$$tmp/venv/bin/python -m pip install --quiet --quiet dist/*.whl && \
	$$tmp/venv/bin/python -m glassnet --version && \
	(cd $$tmp && venv/bin/glassnet demo > demo.txt) && \
	echo "glassnet demo: $$(wc -l < $$tmp/demo.txt) lines, exit 0"

$(VENV)/.installed-bench: $(BIN)/python $(SOURCES)
	$(call install,$(BIN),bench)
	touch $@

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .venv-3.* .venv-lock build dist docs/api docs/lessons src/*.egg-info
