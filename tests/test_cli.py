"""``cognito-emu`` as people run it: help, version, serve (ready line, env vars, signals, request log)."""

from __future__ import annotations

import ctypes
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import jwt
import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

from cognito_emu import __version__

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "cognito-emu"
READY = re.compile(r"cognito-emu ready on http://([\d.]+):(\d+) \((\d+) ms\)")
TARGET = "AWSCognitoIdentityProviderService"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, capture_output=True, text=True, timeout=30, env={**os.environ, **(env or {})}, cwd=ROOT
    )


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [str(BIN)] if BIN.exists() else [sys.executable, "-m", "cognito_emu"]
    return run(*command, *args, env=env)


class Served:
    def __init__(self, process: subprocess.Popen[str], host: str, port: int, ready_ms: int) -> None:
        self.process = process
        self.host = host
        self.port = port
        self.ready_ms = ready_ms
        self.stderr: list[str] = []
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line)

    def post(self, op: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request("POST", "/", body=json.dumps(body), headers={"X-Amz-Target": f"{TARGET}.{op}"})
            response = conn.getresponse()
            return response.status, json.loads(response.read())
        finally:
            conn.close()

    def stop(self, signum: int = signal.SIGTERM) -> int:
        self.process.send_signal(signum)
        code = self.process.wait(timeout=10)
        self._reader.join(timeout=5)
        return code

    def log_text(self) -> str:
        return "".join(self.stderr)


@contextmanager
def serving(*args: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    process = subprocess.Popen(
        [str(BIN), "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
    served: Served | None = None
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 20
        line = ""
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if READY.search(line) or not line:
                break
        match = READY.search(line)
        if not match:
            process.kill()
            _, err = process.communicate(timeout=10)
            pytest.fail(f"no ready line; got {line!r}; stderr: {err[-2000:]}")
        served = Served(process, match.group(1), int(match.group(2)), int(match.group(3)))
        yield served
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def test_help():
    result = cli("--help")
    assert result.returncode == 0
    assert "serve" in result.stdout and "version" in result.stdout


def test_serve_help_lists_every_option_with_its_variable():
    result = cli("serve", "--help")
    assert result.returncode == 0
    for option, variable in [
        ("--host", "COGNITO_EMU_HOST"),
        ("--port", "COGNITO_EMU_PORT"),
        ("--region", "COGNITO_EMU_REGION"),
        ("--account", "COGNITO_EMU_ACCOUNT"),
        ("--log-level", "COGNITO_EMU_LOG_LEVEL"),
        ("--server", "COGNITO_EMU_SERVER"),
        ("--other-services", "COGNITO_EMU_OTHER_SERVICES"),
        ("--signing-key", "COGNITO_EMU_SIGNING_KEY"),
    ]:
        assert option in result.stdout
        assert variable in result.stdout


def test_no_command_prints_help():
    result = cli()
    assert result.returncode == 2
    assert "serve" in result.stdout


def test_version():
    result = cli("version")
    assert result.returncode == 0
    assert result.stdout.strip() == __version__


def test_version_flag():
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"cognito-emu {__version__}"


def test_python_dash_m_version():
    result = run(sys.executable, "-m", "cognito_emu", "version")
    assert result.returncode == 0
    assert result.stdout.strip() == __version__


def test_bad_environment_value_is_a_clear_error():
    result = cli("serve", env={"COGNITO_EMU_PORT": "eighty"})
    assert result.returncode == 2
    assert "COGNITO_EMU_PORT" in result.stderr


def test_bad_other_services_value_is_a_clear_error():
    result = cli("serve", env={"COGNITO_EMU_OTHER_SERVICES": "localstack"})
    assert result.returncode == 2
    assert "moto, none" in result.stderr


def _sns(served: Served) -> Any:
    return boto3.client(
        "sns",
        endpoint_url=f"http://{served.host}:{served.port}",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=BotoConfig(retries={"total_max_attempts": 1}),
    )


def test_serve_hands_other_services_to_moto_by_default():
    with serving("--port", "0", "--log-level", "info") as served:
        assert _sns(served).create_topic(Name="t")["TopicArn"].endswith(":t")
        assert served.post("ListUserPools", {"MaxResults": 5})[0] == 200
        assert served.stop() == 0
    assert re.search(r"cognito_emu\.request: sns POST / 200 [\d.]+ms \(moto\)", served.log_text())


def test_serve_with_other_services_none_names_the_service():
    with serving("--port", "0", "--other-services", "none") as served:
        with pytest.raises(ClientError) as caught:
            _sns(served).create_topic(Name="t")
        assert caught.value.response["Error"]["Code"] == "NotImplemented"
        assert "for sns" in caught.value.response["Error"]["Message"]
        assert served.stop() == 0


def test_port_in_use_is_a_clear_error():
    with serving("--port", "0") as served:
        result = cli("serve", "--port", str(served.port))
        assert result.returncode == 1
        assert "cannot listen" in result.stderr
        assert served.stop() == 0


def test_serve_port_zero_prints_the_real_port_and_answers():
    # Start-up time is measured by the benchmark's startup suite (python -m scripts.bench --suites startup), not asserted here.
    with serving("--port", "0") as served:
        status, body = served.post("CreateUserPool", {"PoolName": "first"})
        assert status == 200, body
        assert served.port > 0
        assert served.stop() == 0


def test_environment_variables_are_honoured():
    env = {"COGNITO_EMU_PORT": "0", "COGNITO_EMU_REGION": "eu-west-2", "COGNITO_EMU_ACCOUNT": "210987654321"}
    with serving(env=env) as served:
        status, body = served.post("CreateUserPool", {"PoolName": "env"})
        assert status == 200
        pool = body["UserPool"]
        assert isinstance(pool, dict)
        assert str(pool["Id"]).startswith("eu-west-2_")
        assert ":210987654321:" in str(pool["Arn"])
        assert served.stop() == 0


def test_flags_override_environment_variables():
    with serving("--port", "0", "--region", "ap-south-1", env={"COGNITO_EMU_REGION": "eu-west-2"}) as served:
        status, body = served.post("CreateUserPool", {"PoolName": "flag"})
        assert str(body["UserPool"]["Id"]).startswith("ap-south-1_")  # type: ignore[index]
        assert served.stop() == 0


def test_issuer_base_aws_from_the_flag_or_the_environment():
    for args, env in ((("--issuer-base", "aws"), {}), ((), {"COGNITO_EMU_ISSUER_BASE": "aws"})):
        with serving("--port", "0", *args, env={"COGNITO_EMU_REGION": "eu-west-2", **env}) as served:
            created = served.post("CreateUserPool", {"PoolName": "aws-issuer"})[1]
            pool_id = created["UserPool"]["Id"]  # type: ignore[index]
            status, body = served.post(
                "CreateUserPoolClient",
                {
                    "UserPoolId": pool_id,
                    "ClientName": "c",
                    "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
                },
            )
            client_id = body["UserPoolClient"]["ClientId"]  # type: ignore[index]
            served.post(
                "AdminCreateUser", {"UserPoolId": pool_id, "Username": "alice", "MessageAction": "SUPPRESS"}
            )
            served.post(
                "AdminSetUserPassword",
                {"UserPoolId": pool_id, "Username": "alice", "Password": "Passw0rd!", "Permanent": True},
            )
            status, body = served.post(
                "AdminInitiateAuth",
                {
                    "UserPoolId": pool_id,
                    "ClientId": client_id,
                    "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
                    "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Passw0rd!"},
                },
            )
            assert status == 200, body
            token = body["AuthenticationResult"]["IdToken"]  # type: ignore[index]
            claims = jwt.decode(token, options={"verify_signature": False})
            assert claims["iss"] == f"https://cognito-idp.eu-west-2.amazonaws.com/{pool_id}"
            assert served.stop() == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signals_shut_down_cleanly(signum):
    with serving("--port", "0") as served:
        assert served.post("ListUserPools", {"MaxResults": 5})[0] == 200
        began = time.perf_counter()
        assert served.stop(signum) == 0
        assert time.perf_counter() - began < 5
        assert "Traceback" not in served.log_text()
        assert "stopped" in served.log_text()


def test_signal_with_an_open_keep_alive_connection_still_stops():
    with serving("--port", "0") as served:
        conn = http.client.HTTPConnection(served.host, served.port, timeout=10)
        conn.request(
            "POST", "/", body=b'{"MaxResults": 5}', headers={"X-Amz-Target": f"{TARGET}.ListUserPools"}
        )
        assert conn.getresponse().read()
        try:
            began = time.perf_counter()
            assert served.stop() == 0
            assert time.perf_counter() - began < 5
        finally:
            conn.close()


def test_one_log_line_per_call():
    with serving("--port", "0", "--log-level", "info") as served:
        served.post("ListUserPools", {"MaxResults": 5})
        served.post("DescribeUserPool", {"UserPoolId": "us-east-1_nothere"})
        served.post("DescribeUserPool", {"UserPoolId": "bad"})
        assert served.stop() == 0
    lines = [line for line in served.log_text().splitlines() if "cognito_emu.request" in line]
    assert len(lines) == 3, lines
    assert re.search(r"INFO cognito_emu\.request: ListUserPools 200 [\d.]+ms$", lines[0])
    assert re.search(r"DescribeUserPool 400 [\d.]+ms$", lines[1])
    assert re.search(r"DescribeUserPool 400 [\d.]+ms$", lines[2])


def test_warning_level_logs_no_calls():
    with serving("--port", "0", "--log-level", "warning") as served:
        served.post("ListUserPools", {"MaxResults": 5})
        assert served.stop() == 0
    assert "cognito_emu.request" not in served.log_text()


@pytest.mark.parametrize("layer", ["builtin", "werkzeug", "waitress", "cheroot"])
def test_every_serving_layer_serves_and_stops(layer):
    with serving("--port", "0", "--server", layer) as served:
        assert served.post("ListUserPools", {"MaxResults": 5})[0] == 200
        idle = http.client.HTTPConnection(served.host, served.port, timeout=10)
        idle.request(
            "POST", "/", body=b'{"MaxResults": 5}', headers={"X-Amz-Target": f"{TARGET}.ListUserPools"}
        )
        assert idle.getresponse().read()
        try:
            began = time.perf_counter()
            assert served.stop() == 0
            assert time.perf_counter() - began < 5
        finally:
            idle.close()
        assert "Traceback" not in served.log_text()


def test_a_signal_that_lands_on_another_thread_stops_the_server():
    # The kernel may hand SIGTERM to any thread of the process; tgkill picks one that is not the main
    # thread. The main thread blocked in select() once slept on, and the server never stopped.
    libc = ctypes.CDLL(None, use_errno=True)
    with serving("--port", "0") as served:
        idle = http.client.HTTPConnection(served.host, served.port, timeout=10)
        idle.request(
            "POST", "/", body=b'{"MaxResults": 5}', headers={"X-Amz-Target": f"{TARGET}.ListUserPools"}
        )
        assert idle.getresponse().read()
        pid = served.process.pid
        others = sorted(int(tid) for tid in os.listdir(f"/proc/{pid}/task") if int(tid) != pid)
        assert others
        try:
            assert libc.tgkill(pid, others[-1], signal.SIGTERM) == 0, ctypes.get_errno()
            assert served.process.wait(timeout=10) == 0
        finally:
            idle.close()


def test_control_routes_are_logged_too():
    with serving("--port", "0", "--log-level", "info") as served:
        conn = http.client.HTTPConnection(served.host, served.port, timeout=10)
        conn.request("GET", "/_emu/health")
        assert conn.getresponse().read()
        conn.close()
        assert served.stop() == 0
    assert re.search(r"cognito_emu\.request: GET /_emu/health 200 [\d.]+ms", served.log_text())
