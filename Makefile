# Every target installs what it needs into .venv first (Python 3.11 is all a machine needs).
# Versions are pinned by constraints.txt (every package the bundled run was verified with);
# `make lock` rewrites it from the current .venv after a deliberate upgrade.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime
LOCK   := constraints.txt
PIP    := $(BIN)/python -m pip --quiet --disable-pip-version-check
PYTEST_ARGS ?=
# JupyterLab refuses to start as root unless told to
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.DEFAULT_GOAL := help
.PHONY: help install refresh test lab report bench browser lock clean mutate

help:  ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# runtime dependencies only (make refresh, make lab)
$(RUNTIME_STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	@echo "installing turnover and its runtime dependencies into $(VENV) (pinned by $(LOCK)) ..."
	@$(PIP) install --upgrade pip
	@$(PIP) install -c $(LOCK) -e .
	@touch $(RUNTIME_STAMP)

# runtime + dev extras (make test, make bench)
$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	@echo "installing turnover with its dev extras into $(VENV) (pinned by $(LOCK)) ..."
	@$(PIP) install --upgrade pip
	@$(PIP) install -c $(LOCK) -e '.[dev]'
	@touch $(STAMP) $(RUNTIME_STAMP)

install: $(RUNTIME_STAMP)  ## create .venv with turnover and its runtime dependencies (.venv/bin/turnover)

refresh: $(RUNTIME_STAMP)  ## run the main job offline on the bundled data (panel, verdicts, HTML report)
	$(BIN)/python -m turnover.refresh --offline

report: refresh  ## same as refresh; prints where the HTML report is
	@echo "report: reports/turnover-report.html"

test: $(STAMP) browser  ## run every test (installs Chromium for the browser test if missing)
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lab: $(RUNTIME_STAMP)  ## open the notebooks in JupyterLab
	$(BIN)/jupyter lab $(LAB_ROOT) notebooks/

bench: $(STAMP)  ## print the performance figures (P1-P5) with their targets
	$(BIN)/python -m turnover.bench

lock: $(STAMP)  ## pin every installed package version into constraints.txt (after a deliberate upgrade)
	@{ echo "# Every package version the bundled run was verified with (runtime and dev)."; \
	   echo "# Installed by make refresh / make test; regenerate with: make lock"; \
	   $(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check; } > $(LOCK).tmp
	@mv $(LOCK).tmp $(LOCK)
	@echo "$(LOCK): $$(grep -vc '^#' $(LOCK)) packages pinned"

# MODULE=src/turnover/runkey.py (or a folder, e.g. src/turnover/model) limits the run to its mutants;
# SAMPLE=N runs a fixed pseudo-random sample of N mutants of each module; the summary then estimates
# each folder's score from the samples (weighted by the modules' sizes, with a 95 % interval).
# SEED=n draws another sample: measure on a fresh one after writing tests against the last one's survivors.
MODULE ?=
SAMPLE ?=
SEED ?= 15
MUTATE_JOBS ?= 2
MUTANT_PREFIX = $(subst /,.,$(patsubst src/%,%,$(basename $(MODULE:/=))))
mutate: $(STAMP)  ## mutation testing of model, verdicts, claims, report, runkey (slow; MODULE=path, SAMPLE=n, SEED=n)
	$(BIN)/mutmut run --max-children $(MUTATE_JOBS) $(if $(SAMPLE),$$($(BIN)/python tests/mutation_summary.py names --prefix "$(MUTANT_PREFIX)" --sample $(SAMPLE) --seed $(SEED)),$(if $(MODULE),"$(MUTANT_PREFIX).*"))
	$(BIN)/python tests/mutation_summary.py $(if $(MODULE),--prefix $(MUTANT_PREFIX)) $(if $(SAMPLE),--sample $(SAMPLE) --seed $(SEED))

browser:  # headless Chromium from the system packages, for the report's browser test
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium (system package) ..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped"; \
	  else echo "chromium not found and cannot be installed here: browser tests will be skipped"; fi; }

clean:  ## remove the virtualenv and build outputs
	rm -rf $(VENV) data/processed reports notebooks/*.ipynb mutants
