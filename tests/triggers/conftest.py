"""Trigger tests: the session emulator's trigger registry, emptied (mappings, log, timeout) around each test.

Test directories have no ``__init__.py``, so this module is imported as ``conftest`` like the root one
and replaces it in ``sys.modules``: ``make_client`` is re-exported for tests that ``from conftest import``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from trigger_support import fresh_registry

from cognito_emu.emulator import Emulator
from cognito_emu.triggers.registry import TriggerRegistry

_spec = importlib.util.spec_from_file_location("_root_conftest", Path(__file__).parent.parent / "conftest.py")
assert _spec is not None and _spec.loader is not None
_root = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_root)
make_client = _root.make_client


@pytest.fixture
def triggers(emulator: Emulator) -> Iterator[TriggerRegistry]:
    yield from fresh_registry(emulator)
