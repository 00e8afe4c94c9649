"""pytest plugin: Cognito emulator fixtures, registered as the ``cognito_emu`` ``pytest11`` entry point.

``cognito_emulator``  a real HTTP server on a free port, one per session (so one per xdist worker),
                      reset before every test that asks for it
``cognito_idp``       boto3 ``cognito-idp`` client bound to that server (dummy credentials)
``cognito_identity``  boto3 ``cognito-identity`` client bound to that server
``cognito_clock``     the server's Clock (advance it to expire codes, sessions, tokens)
``cognito_outbox``    the server's Outbox: every email and SMS, e.g. ``cognito_outbox.last_code("alice")``
``cognito_triggers``  the server's TriggerRegistry: ``cognito_triggers.register(arn, handler)``; mappings
                      made in the test are dropped after it (those of the configuration stay)
``cognito_mock``      the in-process variant: an active ``mock_cognito`` yielding its fresh Emulator

Every name is prefixed ``cognito_`` so a project's own ``emulator``/``idp`` fixtures keep theirs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

# Imported at plugin load so the botocore hook is in place before any test creates a client.
from cognito_emu.testing.mock import mock_cognito

if TYPE_CHECKING:
    from cognito_emu.clock import Clock
    from cognito_emu.delivery.outbox import Outbox
    from cognito_emu.emulator import Emulator
    from cognito_emu.triggers.registry import TriggerRegistry


@pytest.fixture(scope="session")
def cognito_emulator_session() -> Iterator[Emulator]:
    """The session's emulator server, NOT reset between tests; most tests want ``cognito_emulator``."""
    from cognito_emu.config import Config
    from cognito_emu.emulator import Emulator

    # COGNITO_EMU_* settings apply, except the port: every session (xdist worker) takes a free one.
    with Emulator(Config.from_env(port=0)) as emulator:
        yield emulator


@pytest.fixture
def cognito_emulator(cognito_emulator_session: Emulator) -> Emulator:
    """The session's emulator server, reset (state, clock, seeded ids) before this test."""
    cognito_emulator_session.reset()
    return cognito_emulator_session


def _client(emulator: Emulator, service: str) -> Any:
    from botocore.config import Config as BotoConfig

    # One attempt: a test should see the emulator's answer, not botocore's retries of it.
    return emulator.client(service, config=BotoConfig(retries={"total_max_attempts": 1}))


@pytest.fixture
def cognito_idp(cognito_emulator: Emulator) -> Any:
    return _client(cognito_emulator, "cognito-idp")


@pytest.fixture
def cognito_identity(cognito_emulator: Emulator) -> Any:
    return _client(cognito_emulator, "cognito-identity")


@pytest.fixture
def cognito_clock(cognito_emulator: Emulator) -> Clock:
    return cognito_emulator.clock


@pytest.fixture
def cognito_outbox(cognito_emulator: Emulator) -> Outbox:
    return cognito_emulator.outbox


@pytest.fixture
def cognito_triggers(cognito_emulator: Emulator) -> Iterator[TriggerRegistry]:
    """The server's Lambda trigger registry; what the test maps is cleared after it."""
    yield cognito_emulator.triggers
    cognito_emulator.triggers.clear()


@pytest.fixture
def cognito_mock() -> Iterator[Emulator]:
    """An active in-process ``mock_cognito`` (fresh Emulator): plain ``boto3.client("cognito-idp")`` hits it."""
    with mock_cognito() as emulator:
        yield emulator
