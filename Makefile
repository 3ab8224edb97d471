# The two commands a newcomer runs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
SAMPLE := 2022-02-10-kazakhstan-crackdown

.PHONY: run test lab bench bench-archive lint reliability system-run system-test clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m ipykernel install --sys-prefix --name pressroom --display-name "Python (Pressroom)" >/dev/null
	@touch $(STAMP)

system-run:
	@scripts/system-packages.sh run

system-test:
	@scripts/system-packages.sh test

run: $(STAMP) system-run
	$(VENV)/bin/pressroom check
	$(VENV)/bin/pressroom workflow $(SAMPLE) adopt --if-open --comment "make run: the sample site"
	$(VENV)/bin/pressroom publish $(SAMPLE)

test: $(STAMP) system-test
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m pytest -n 2 --dist loadgroup

# JupyterLab on the notebooks, with the "Python (Pressroom)" kernel from .venv.
lab: $(STAMP) system-run
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=. $(if $(filter 0,$(shell id -u)),--allow-root) \
		notebooks/publish_statement.ipynb

bench: $(STAMP) system-run
	$(PY) benchmarks/render.py
	$(PY) benchmarks/notebook.py
	$(PY) benchmarks/review.py

# The whole archive: builds of 100 and 1,000 generated statements against the render floor and
# pandoc (several minutes; BENCH_ARGS=--big adds 10,000).
bench-archive: $(BENCH_STAMP) system-run
	$(PY) benchmarks/archive.py $(BENCH_ARGS)

# pandoc, the archive benchmark's peer, from a wheel that bundles it.
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[test,bench]'
	@touch $(BENCH_STAMP)

# Every class of bad input, fault and load, and a table of figures (a bounded run is part of
# `make test`).
reliability: $(STAMP) system-test
	$(PY) tests/reliability/run.py

lint: $(STAMP)
	$(PY) -m ruff check src tests benchmarks

# output/ is regenerable; the run ledger and version history are not, and are never touched here.
clean:
	rm -rf output
