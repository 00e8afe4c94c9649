VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 9229
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(PY):
	python3 -m venv $(VENV)

# Reinstall only when the project's metadata changes; the package itself is installed editable.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/cognito-emu serve --host $(HOST) --port $(PORT)

test: lint
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check cognito_emu tests scripts
	$(PY) -m mypy

bench: $(STAMP)
	$(PY) -m scripts.bench

clean:
	rm -rf $(VENV) .pytest_cache
