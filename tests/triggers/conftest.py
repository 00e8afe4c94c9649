"""Trigger tests: the session emulator's trigger registry, emptied (mappings, log, timeout) around each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from trigger_support import fresh_registry

from cognito_emu.emulator import Emulator
from cognito_emu.triggers.registry import TriggerRegistry


@pytest.fixture
def triggers(emulator: Emulator) -> Iterator[TriggerRegistry]:
    yield from fresh_registry(emulator)
