# Every target installs what it needs into .venv first (Python 3.11 is all a machine needs).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help refresh test lab report bench browser clean mutate

help:  ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing turnover and its dependencies into $(VENV) ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

refresh: $(STAMP)  ## run the main job offline on the bundled data (panel, verdicts, HTML report)
	$(BIN)/python -m turnover.refresh --offline

report: refresh  ## same as refresh; prints where the HTML report is
	@echo "report: reports/turnover-report.html"

test: $(STAMP) browser  ## run every test (installs Chromium for the browser test if missing)
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lab: $(STAMP)  ## open the notebooks in JupyterLab
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)  ## print the performance figures (P1-P5) with their targets
	$(BIN)/python -m turnover.bench

# MODULE=src/turnover/runkey.py (or a folder, e.g. src/turnover/model) limits the run to its mutants;
# SAMPLE=N runs a fixed pseudo-random sample of N of them (the score is then the sample's).
MODULE ?=
SAMPLE ?=
MUTATE_JOBS ?= 2
MUTANT_PREFIX = $(subst /,.,$(patsubst src/%,%,$(basename $(MODULE:/=))))
mutate: $(STAMP)  ## mutation testing of model, verdicts, claims, report, runkey (slow; MODULE=path, SAMPLE=n)
	$(BIN)/mutmut run --max-children $(MUTATE_JOBS) $(if $(SAMPLE),$$($(BIN)/python tests/mutation_summary.py names --prefix "$(MUTANT_PREFIX)" --sample $(SAMPLE)),$(if $(MODULE),"$(MUTANT_PREFIX).*"))
	$(BIN)/python tests/mutation_summary.py $(if $(MODULE),--prefix $(MUTANT_PREFIX))

browser:  # headless Chromium from the system packages, for the report's browser test
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium (system package) ..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped"; \
	  else echo "chromium not found and cannot be installed here: browser tests will be skipped"; fi; }

clean:  ## remove the virtualenv and build outputs
	rm -rf $(VENV) data/processed reports notebooks/*.ipynb mutants
