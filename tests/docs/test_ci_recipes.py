"""The README's CI recipes run as written: each GitHub Actions job's ``run:`` steps (install steps aside:
the package is installed here already) on a small sample suite, in the job's environment with the
emulator's port swapped for a free one."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

README = Path(__file__).resolve().parents[2] / "README.md"
DEFAULT_PORT = "9229"

PLUGIN_SUITE = textwrap.dedent(
    """
    def test_sign_up(cognito_idp, cognito_outbox):
        pool_id = cognito_idp.create_user_pool(PoolName="ci", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
        client_id = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")["UserPoolClient"]["ClientId"]
        cognito_idp.sign_up(ClientId=client_id, Username="alice", Password="Passw0rd!x",
                            UserAttributes=[{"Name": "email", "Value": "alice@example.com"}])
        assert cognito_outbox.last_code("alice")


    def test_each_worker_has_its_own_emulator(cognito_idp):
        assert cognito_idp.list_user_pools(MaxResults=10)["UserPools"] == []
    """
)

SERVER_SUITE = textwrap.dedent(
    """
    import os
    import urllib.request

    import boto3


    def test_against_the_background_server():
        idp = boto3.client("cognito-idp")
        pool_id = idp.create_user_pool(PoolName="ci")["UserPool"]["Id"]
        assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Name"] == "ci"
        endpoint = os.environ["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"]
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/_emu/reset", method="POST"))
        assert idp.list_user_pools(MaxResults=10)["UserPools"] == []
    """
)


def _jobs() -> dict[str, dict[str, Any]]:
    jobs: dict[str, dict[str, Any]] = {}
    for block in re.findall(r"^```yaml\n(.*?)^```", README.read_text(), re.MULTILINE | re.DOTALL):
        document = yaml.safe_load(block)
        if isinstance(document, dict) and "jobs" in document:
            jobs.update(document["jobs"])
    return jobs


def _free_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return str(probe.getsockname()[1])


def test_the_readme_has_both_recipes() -> None:
    assert set(_jobs()) == {"tests-with-plugin", "tests-against-server"}


@pytest.mark.parametrize(
    ("job", "suite"), [("tests-with-plugin", PLUGIN_SUITE), ("tests-against-server", SERVER_SUITE)]
)
def test_recipe_runs(job: str, suite: str, tmp_path: Path) -> None:
    port = _free_port()
    recipe = _jobs()[job]
    env = {
        # Not the PYTEST_* variables of this run's own workers.
        **{key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")},
        # `python`, `cognito-emu` and pytest of this test run.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        **{key: str(value).replace(DEFAULT_PORT, port) for key, value in (recipe.get("env") or {}).items()},
    }
    (tmp_path / "test_sample.py").write_text(suite)
    background: list[subprocess.Popen[bytes]] = []
    try:
        for step in recipe["steps"]:
            command = step.get("run")
            if command is None or command.startswith("pip install"):
                continue
            command = command.replace(DEFAULT_PORT, port)
            if command.rstrip().endswith("&"):
                # A background step: its own process group, ended by its id after the job.
                background.append(
                    subprocess.Popen(
                        ["bash", "-c", command.rstrip().rstrip("&")],
                        cwd=tmp_path,
                        env=env,
                        start_new_session=True,
                    )
                )
                continue
            result = subprocess.run(
                ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
            )
            assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    finally:
        for process in background:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
