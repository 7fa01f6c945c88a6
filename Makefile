# The two commands of the README: `make demo` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SAMPLE ?= client_data/sample-media

.PHONY: demo test test-heavy lint typecheck bench lab clean-venv help

help:
	@echo "make demo   - set up .venv and run the full ALMS audit on the shipped sample client"
	@echo "make test   - set up .venv (with test extras) and run the whole test suite"
	@echo "make bench  - print the speed/memory benchmarks"
	@echo "make lab    - open JupyterLab on copies of the sample clients (lab/, not committed)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m compileall -q alms_toolkit  # the bytecode pip writes for an installed package
	touch $(STAMP)

# The sample's history in two cuts: the review a year ago, a monthly republish with its
# frozen cut-off, then today's audit, which compares itself with that earlier review.
demo: $(STAMP)
	$(BIN)/alms validate $(SAMPLE)
	$(BIN)/alms audit $(SAMPLE) --as-of 2024-07-01 --force
	$(BIN)/alms republish $(SAMPLE) --review reports/sample-media/2024-07-01 --as-of 2025-01-01 --force
	$(BIN)/alms audit $(SAMPLE) --force
	@echo "To run alms yourself: source $(VENV)/bin/activate, then alms --help (or call $(BIN)/alms directly)."

lint: $(STAMP)
	$(BIN)/ruff check alms_toolkit tests benchmarks

# the type checker and the layer contracts (pyproject.toml: [tool.mypy], [tool.importlinter])
typecheck: $(STAMP)
	$(BIN)/python -m mypy
	$(BIN)/lint-imports

test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest -n 2 -m "not heavy"

test-heavy: $(STAMP)
	$(BIN)/python -m pytest -m heavy

# the baselines need DuckDB and polars (the `bench` extra); ALMS_BENCH_10M=1 adds the 10M-line case
bench: $(STAMP)
	$(BIN)/python -c "import duckdb, polars" 2>/dev/null || $(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/run_all.py

# the workshop changes the clients it is used on: make lab works on copies of the shipped
# samples in lab/ (ignored by git), never on the tracked client_data/
lab: $(STAMP)
	@mkdir -p lab
	@for d in client_data/*/; do n=$$(basename "$$d"); [ -d "lab/$$n" ] || cp -r "$$d" "lab/$$n"; done
	cd lab && ../$(BIN)/alms lab

clean-venv:
	rm -rf $(VENV)
