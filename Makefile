# Every target does its own set-up, so `make demo` and `make test` work on a fresh machine.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BENCH_STAMP := .venv-pandas/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: demo test lint bench clean chromium

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,cluster]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/spectrum demo

# Debian's chromium drives the report's browser test (no browser download).
chromium:
	@test -x $(CHROMIUM) || { apt-get update -q && apt-get install -y -q chromium; }

test: $(STAMP) chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -m "not bench"

lint: $(STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

# The benchmarks' pandas baseline runs in a venv of its own, with the `bench` extra's pandas:
# spectrum's venv stays as a user installs it (pandera imports pandas whenever it is there).
PANDAS_VENV := .venv-pandas
$(BENCH_STAMP): pyproject.toml
	python3 -m venv $(PANDAS_VENV)
	$(PANDAS_VENV)/bin/pip install --quiet "$$(sed -n 's/^bench = \["\(.*\)"\]/\1/p' pyproject.toml)"
	touch $(BENCH_STAMP)

# make bench [BENCH_ARGS=--quick]: tests/benchmarks/run.py, then the store's growth
bench: $(STAMP) $(BENCH_STAMP)
	PYTHONPATH=. SPECTRUM_BENCH_PANDAS_PYTHON=$(PANDAS_VENV)/bin/python \
		$(PY) tests/benchmarks/run.py $(BENCH_ARGS)
	PYTHONPATH=. $(PY) tests/bench_store.py 4 5

clean:
	rm -rf $(VENV) .venv-pandas reports/*.html .pytest_cache
