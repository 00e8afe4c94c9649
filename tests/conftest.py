"""Shared fixtures: one emulator server per test session (per xdist worker), reset before each test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig

from cognito_emu.config import Config
from cognito_emu.emulator import Emulator

REGION = "us-east-1"


@pytest.fixture(scope="session")
def server_emulator() -> Iterator[Emulator]:
    with Emulator(Config(port=0, region=REGION)) as emu:
        yield emu


@pytest.fixture(scope="session")
def emulator(server_emulator: Emulator) -> Emulator:
    """The session's server; tests/api overrides it to run each test against the server and in-process."""
    return server_emulator


@pytest.fixture(autouse=True)
def _fresh_state(request: pytest.FixtureRequest) -> None:
    if "emulator" in request.fixturenames:
        request.getfixturevalue("emulator").reset()


def make_client(emulator: Emulator, service: str, **kwargs: Any) -> Any:
    kwargs.setdefault("region_name", REGION)
    kwargs.setdefault("aws_access_key_id", "testing")
    kwargs.setdefault("aws_secret_access_key", "testing")
    return boto3.client(
        service,
        endpoint_url=emulator.endpoint_url,
        config=BotoConfig(retries={"total_max_attempts": 1}),
        **kwargs,
    )


@pytest.fixture
def idp(emulator: Emulator) -> Any:
    return make_client(emulator, "cognito-idp")


@pytest.fixture
def identity(emulator: Emulator) -> Any:
    return make_client(emulator, "cognito-identity")


@pytest.fixture
def pool_id(idp: Any) -> str:
    return idp.create_user_pool(PoolName="test-pool")["UserPool"]["Id"]
