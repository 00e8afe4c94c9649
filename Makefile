VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 9229
STAMP := $(VENV)/.installed
# The AWS CLI pins botocore to its own release, so it lives in a venv of its own inside $(VENV), where the
# README tests find it (tests/docs/test_readme.py).
AWS_CLI := $(VENV)/aws-cli/bin/aws
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver

.PHONY: run test lint bench fuzz soak clean chromium

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

# The browser tests (tests/browser/) drive Debian's Chromium; a new machine starts without it. apt-get needs
# root; when the install cannot happen the browser tests fail and say why (they never skip).
chromium:
	@command -v chromium >/dev/null 2>&1 || $(APT_INSTALL) || { apt-get update -qq && $(APT_INSTALL); } \
		|| echo "Chromium could not be installed: the browser tests will fail"

run: $(STAMP)
	$(VENV)/bin/cognito-emu serve --host $(HOST) --port $(PORT)

test: lint $(AWS_CLI) chromium
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check cognito_emu tests scripts
	$(PY) -m mypy

# The long fuzzing profile (tests/fuzz): FUZZ_EXAMPLES generated requests per operation, random each run.
FUZZ_EXAMPLES ?= 400
fuzz: $(STAMP)
	FUZZ_PROFILE=long FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -n 2 -p no:randomly tests/fuzz

# The long soak: many rounds of 8-thread mixed traffic (tests/soak) and 100 SIGKILL/restart cycles
# under --data-dir (tests/test_crash.py); make test runs short versions of both.
SOAK_ROUNDS ?= 100
soak: $(STAMP)
	SOAK_ROUNDS=$(SOAK_ROUNDS) COGNITO_EMU_CRASH_RUNS=100 $(PY) -m pytest -p no:randomly tests/soak tests/test_crash.py

bench: $(STAMP)
	$(PY) -m scripts.bench

clean:
	rm -rf $(VENV) .pytest_cache
