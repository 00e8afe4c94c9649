"""Every test here runs twice: against the emulator's HTTP server and in-process through mock_cognito.

A test that cannot run in-process (raw HTTP, headers, CORS, control endpoints over HTTP, sockets)
says why with ``@pytest.mark.server_only("reason")`` and runs against the server only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.config import Config as BotoConfig

from cognito_emu.config import Config
from cognito_emu.emulator import Emulator
from cognito_emu.testing.mock import mock_cognito
from tests.api.support import REGION, boto_client, make_client_id

MODES = ("server", "mock")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "server_only(reason): runs against the HTTP server only, for the reason given"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "api_mode" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("server_only")
    if marker is not None and not (marker.args and marker.args[0]):
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: server_only needs a reason")
    metafunc.parametrize("api_mode", ["server"] if marker else list(MODES), indirect=True)


@pytest.fixture
def api_mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def in_process_emulator() -> Emulator:
    return Emulator(Config(region=REGION))


@pytest.fixture
def emulator(api_mode: str, request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """The emulator of this mode: the session's server, or the in-process one behind an active mock."""
    if api_mode == "server":
        yield request.getfixturevalue("server_emulator")
        return
    in_process = request.getfixturevalue("in_process_emulator")
    with mock_cognito(emulator=in_process):
        yield in_process


@pytest.fixture
def idp(emulator: Emulator) -> Any:
    return boto_client(emulator, "cognito-idp")


@pytest.fixture
def identity(emulator: Emulator) -> Any:
    return boto_client(emulator, "cognito-identity")


@pytest.fixture
def raw(emulator: Emulator) -> Any:
    """A client without botocore's own min/max checks, to see the emulator's answer."""
    return boto_client(emulator, config=BotoConfig(parameter_validation=False, retries={"total_max_attempts": 1}))


@pytest.fixture
def client_id(idp: Any, pool_id: str) -> str:
    """An app client of ``pool_id`` with the default settings; files needing others define their own."""
    return make_client_id(idp, pool_id)
