"""Trigger tests: the session emulator's trigger registry, emptied (mappings, log, timeout) around each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cognito_emu.emulator import Emulator
from cognito_emu.triggers.registry import DEFAULT_TIMEOUT_SECONDS, TriggerRegistry


@pytest.fixture
def triggers(emulator: Emulator) -> Iterator[TriggerRegistry]:
    registry = emulator.triggers
    registry.clear()
    registry.clear_log()
    registry.unmapped = "error"
    yield registry
    registry.clear()
    registry.timeout = DEFAULT_TIMEOUT_SECONDS
    registry.unmapped = "error"
