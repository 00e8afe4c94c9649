"""cognito-emu: a local, AWS-wire-compatible emulator of Amazon Cognito."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Emulator", "__version__", "mock_cognito"]

if TYPE_CHECKING:
    from cognito_emu.emulator import Emulator
    from cognito_emu.testing.mock import mock_cognito


def __getattr__(name: str) -> Any:
    # Lazy, so `import cognito_emu` (and the CLI's --help) stays fast.
    if name == "Emulator":
        from cognito_emu.emulator import Emulator

        return Emulator
    if name == "mock_cognito":
        from cognito_emu.testing.mock import mock_cognito

        return mock_cognito
    raise AttributeError(name)
