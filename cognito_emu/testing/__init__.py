"""Test helpers: the in-process ``mock_cognito`` and the pytest plugin (``cognito_emu.testing.pytest_plugin``)."""

from __future__ import annotations

from cognito_emu.testing.mock import MockCognito, active_emulator, mock_cognito

__all__ = ["MockCognito", "active_emulator", "mock_cognito"]
