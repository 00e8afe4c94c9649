"""Suite "mock": the same 50-test file run by pytest in a subprocess under mock_cognito and under moto's mock_aws.

Each test enters the mock, creates a pool, a client and a user, signs in with USER_PASSWORD_AUTH
and calls GetUser: what a test suite written against Cognito does in every test. The file is
written to a temporary directory and run with ``python -m pytest -q -p no:randomly -p no:cacheprovider``;
the figure is the wall time of the whole pytest process (median of ``--repeat`` runs, at least 1),
so the start of the interpreter and the imports count as they do for a user; beside it, that
process's CPU time (user + system), which a machine shared with other work disturbs less. A first run of each
(not counted) writes Python's bytecode cache.

A third row is the floor: the same file with botocore answered from the responses mock_cognito gave
in an untimed recording run (``scripts.bench.canned``), no emulator behind them. pytest, boto3 and
botocore do all they did; moto's time over the floor's is the most any mock could reach here.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from scripts.bench import canned
from scripts.bench.report import Table
from scripts.bench.servers import ROOT

COLUMNS = ["mock", "tests", "seconds", "ms per test", "vs moto", "cpu s", "cpu vs moto", "target"]
TARGET = 10.0
TESTS = 50

_HEADER = '''
import boto3
import pytest

{import_line}

PASSWORD = "Bench-Passw0rd!"


def sign_in_and_get_user(n: int) -> None:
    idp = boto3.client(
        "cognito-idp", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    pool_id = idp.create_user_pool(PoolName=f"pool-{{n}}")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=f"user{{n}}",
        MessageAction="SUPPRESS",
        UserAttributes=[{{"Name": "email", "Value": f"user{{n}}@example.com"}}],
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username=f"user{{n}}", Password=PASSWORD, Permanent=True)
    tokens = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={{"USERNAME": f"user{{n}}", "PASSWORD": PASSWORD}},
    )["AuthenticationResult"]
    assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == f"user{{n}}"
'''

_TEST = '''

@{decorator}
def test_{n}() -> None:
    sign_in_and_get_user({n})
'''

MOCKS = {
    "mock_cognito": ("from cognito_emu import mock_cognito", "mock_cognito"),
    "moto mock_aws": ("from moto import mock_aws", "mock_aws"),
}
FLOOR = "floor: no emulator"
_FLOOR_FILE = ("from scripts.bench.canned import canned", "canned")


def test_file(import_line: str, decorator: str, count: int = TESTS) -> str:
    return _HEADER.format(import_line=import_line) + "".join(
        _TEST.format(decorator=decorator, n=n) for n in range(count)
    )


def time_file(source: str, directory: Path, name: str, **settings: str) -> tuple[float, float]:
    """Wall and CPU seconds of ``python -m pytest`` on ``source`` (``settings`` added to its environment);
    raises if a test failed."""
    path = directory / f"test_{name}.py"
    path.write_text(source)
    # The emulator of this checkout, and Python's bytecode cache as a user has it.
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPATH"] = str(ROOT)
    environment.update(settings)
    began = time.perf_counter()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", str(path)],
        capture_output=True,
        text=True,
        cwd=directory,
        env=environment,
    )
    elapsed = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{name}: pytest failed\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed, after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime


def run(args: argparse.Namespace) -> list[Table]:
    count = args.mock_tests or (10 if args.quick else TESTS)
    mocks = ["mock_cognito"] if args.no_moto else list(MOCKS)
    files = {mock: MOCKS[mock] for mock in mocks}
    files[FLOOR] = _FLOOR_FILE
    times: dict[str, list[float]] = {mock: [] for mock in files}
    cpu: dict[str, list[float]] = {mock: [] for mock in files}
    with tempfile.TemporaryDirectory(prefix="bench-mock-") as tmp:
        directory = Path(tmp)
        answers = str(directory / "answers.json")
        import_line, decorator = MOCKS["mock_cognito"]
        time_file(
            test_file(f"{import_line}\nimport scripts.bench.canned", decorator, count),
            directory,
            "recording",
            **{canned.RECORD: answers},
        )
        settings = {mock: {canned.ANSWERS: answers} if mock == FLOOR else {} for mock in files}
        for mock, (import_line, decorator) in files.items():
            time_file(test_file(import_line, decorator, 1), directory, decorator.lower(), **settings[mock])
        for _ in range(max(1, args.repeat)):
            # Interleaved, so a noisy neighbour hurts all alike.
            for mock, (import_line, decorator) in files.items():
                source = test_file(import_line, decorator, count)
                wall, used = time_file(source, directory, decorator.lower(), **settings[mock])
                times[mock].append(wall)
                cpu[mock].append(used)
    medians = {mock: statistics.median(values) for mock, values in times.items()}
    cpu_medians = {mock: statistics.median(values) for mock, values in cpu.items()}
    table: list[dict[str, Any]] = []
    for mock, seconds in medians.items():
        line: dict[str, Any] = {
            "mock": mock,
            "tests": count,
            "seconds": seconds,
            "ms per test": seconds * 1000 / count,
            "cpu s": cpu_medians[mock],
        }
        if "moto mock_aws" in medians and mock != "moto mock_aws":
            line["vs moto"] = medians["moto mock_aws"] / seconds
            line["cpu vs moto"] = cpu_medians["moto mock_aws"] / cpu_medians[mock]
        if "vs moto" in line and mock == "mock_cognito":
            line["target"] = f">= {TARGET:g}x faster: {'met' if line['vs moto'] >= TARGET else 'MISSED'}"
        elif mock == FLOOR:
            line["target"] = "the most a mock reaches here"
        table.append(line)
    return [Table("mock", f"In-process mock: {count} tests under pytest, one process each", COLUMNS, table)]
