"""Provisioned request-rate limits (stored and echoed; the emulator does not throttle)."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.pool import provisioned_limits
from cognito_emu.idp.pool.provisioned_limits import ProvisionedLimit
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def present_limit(limit: ProvisionedLimit) -> dict[str, Any]:
    """LimitType: an API_CATEGORY limit named by its Category attribute."""
    return {
        "LimitDefinition": {"LimitClass": "API_CATEGORY", "Attributes": {"Category": limit.category}},
        "ProvisionedLimitValue": limit.provisioned,
        "FreeLimitValue": limit.free,
    }


def get_provisioned_limit(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {"Limit": present_limit(provisioned_limits.get_limit(call.store, params["LimitDefinition"]))}


def update_provisioned_limit(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    limit = provisioned_limits.update_limit(
        call.store, params["LimitDefinition"], params["RequestedLimitValue"]
    )
    return {"Limit": present_limit(limit)}


HANDLERS = {
    "GetProvisionedLimit": get_provisioned_limit,
    "UpdateProvisionedLimit": update_provisioned_limit,
}
