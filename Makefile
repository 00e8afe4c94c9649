VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 9229
STAMP := $(VENV)/.installed
# The AWS CLI pins botocore to its own release, so it lives in a venv of its own inside $(VENV), where the
# README tests find it (tests/docs/test_readme.py).
AWS_CLI := $(VENV)/aws-cli/bin/aws

.PHONY: run test lint bench clean

$(PY):
	python3 -m venv $(VENV)

# Reinstall only when the project's metadata changes; the package itself is installed editable.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(AWS_CLI): | $(PY)
	$(PY) -m venv $(VENV)/aws-cli
	$(VENV)/aws-cli/bin/pip install --quiet awscli

run: $(STAMP)
	$(VENV)/bin/cognito-emu serve --host $(HOST) --port $(PORT)

test: lint $(AWS_CLI)
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check cognito_emu tests scripts
	$(PY) -m mypy

bench: $(STAMP)
	$(PY) -m scripts.bench

clean:
	rm -rf $(VENV) .pytest_cache
