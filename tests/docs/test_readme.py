"""The README's examples run as written (with the endpoint pointed at a test server).

Python blocks are executed; a block whose functions take the plugin's ``cognito_*`` fixtures is run
as a pytest file; ``curl`` and ``aws`` shell blocks run through bash; the YAML block is applied as a
seed. Other shell blocks (make, cognito-emu serve) start long-running servers and are left to the
CLI tests; the JavaScript block is covered by tests/clients.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

README = Path(__file__).resolve().parents[2] / "README.md"
DEFAULT_ENDPOINT = "http://127.0.0.1:9229"
RUNNABLE_SHELL = ("curl", "aws")
AWS_CLI_BIN = Path(sys.prefix) / "aws-cli" / "bin"
_FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _blocks() -> list[tuple[str, str]]:
    return [(lang, body) for lang, body in _FENCE.findall(README.read_text())]


def _cases(*languages: str) -> list[pytest.param]:
    return [
        pytest.param(body, id=f"{index}-{lang}-{body.splitlines()[0][:40]}")
        for index, (lang, body) in enumerate(_blocks())
        if lang in languages
    ]


def test_readme_has_the_examples_the_docs_promise() -> None:
    languages = [lang for lang, _ in _blocks()]
    assert languages.count("python") >= 6
    assert "yaml" in languages


@pytest.mark.parametrize("body", _cases("python"))
def test_python_example(body: str, emulator, tmp_path: Path) -> None:
    source = body.replace(DEFAULT_ENDPOINT, emulator.endpoint_url)
    if re.search(r"def test_\w+\(cognito_", source):
        (tmp_path / "test_readme_example.py").write_text(source)
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return
    exec(compile(source, "README.md", "exec"), {"__name__": "readme_example"})


def _shell_cases(*, runnable: bool) -> list[pytest.param]:
    return [case for case in _cases("sh") if (case.values[0].split()[0] in RUNNABLE_SHELL) == runnable]


# Commands that start a long-running server (the CLI tests cover them), build and install the package
# (tests/test_package.py runs the build, uvx and the install) or need a folder another tool wrote.
SERVER_OR_INSTALL = (
    ["make", "run"],
    ["make", "test"],
    ["cognito-emu", "serve"],
    ["python", "-m"],
    ["uvx", "--from"],
    ["pipx", "run"],
    ["pip", "install"],
    # tests/compat/test_cognito_local.py runs the conversion on a folder cognito-local wrote.
    ["cognito-emu", "import-cognito-local"],
)


def test_other_shell_examples_only_start_servers() -> None:
    """Blocks that are not run here start a long-running server or install the package."""
    for case in _shell_cases(runnable=False):
        for line in case.values[0].splitlines():
            assert line.split()[:2] in SERVER_OR_INSTALL, line


@pytest.mark.parametrize("body", _shell_cases(runnable=True))
def test_shell_example(body: str, emulator) -> None:
    # `make test` installs the AWS CLI into its own venv inside the project's (see the Makefile).
    path = os.pathsep.join([str(AWS_CLI_BIN), os.environ.get("PATH", "")])
    first = body.split()[0]
    assert shutil.which(first, path=path), f"{first} is not installed: run the tests with `make test`"
    env = {**os.environ, "PATH": path, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", body.replace(DEFAULT_ENDPOINT, emulator.endpoint_url)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# YAML blocks are seeds, except the CI recipes (GitHub Actions jobs), which tests/docs/test_ci_recipes.py runs.
@pytest.mark.parametrize("body", [case for case in _cases("yaml") if not case.values[0].startswith("jobs:")])
def test_seed_example(body: str, emulator, idp) -> None:
    counts = emulator.load_seed(yaml.safe_load(body))
    assert counts
    pools = idp.list_user_pools(MaxResults=10)["UserPools"]
    assert [pool["Name"] for pool in pools] == ["app"]
