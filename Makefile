# Every target does its own set-up, so `make demo` and `make test` work on a fresh machine.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: demo test lint bench clean chromium

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
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

bench: $(STAMP)
	PYTHONPATH=. $(PY) tests/bench.py
	PYTHONPATH=. $(PY) tests/bench_store.py 4 5
	PYTHONPATH=. $(PY) tests/bench_apple.py

clean:
	rm -rf $(VENV) reports/*.html .pytest_cache
