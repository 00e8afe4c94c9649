"""Presenters: domain results rendered into AWS's output shapes, for the handlers that share them."""

from __future__ import annotations

from typing import Any

from cognito_emu.idp.signin.result import NewDevice
from cognito_emu.idp.tokens import IssuedTokens


def authentication_result(issued: IssuedTokens, new_device: NewDevice | None = None) -> dict[str, Any]:
    """AuthenticationResultType."""
    result: dict[str, Any] = {
        "AccessToken": issued.access_token,
        "ExpiresIn": issued.expires_in,
        "TokenType": "Bearer",
        "IdToken": issued.id_token,
        "RefreshToken": issued.refresh_token,
    }
    if new_device is not None:
        result["NewDeviceMetadata"] = {"DeviceKey": new_device.key, "DeviceGroupKey": new_device.group_key}
    return result
