"""Presenters: domain results rendered into AWS's output shapes, for the handlers that share them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cognito_emu.idp.factors import mfa
from cognito_emu.idp.models import User
from cognito_emu.idp.self_service.messages import CodeDelivery
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


def code_delivery_details(delivery: CodeDelivery) -> dict[str, str]:
    """CodeDeliveryDetailsType."""
    return {
        "Destination": delivery.destination,
        "DeliveryMedium": delivery.medium,
        "AttributeName": delivery.attribute,
    }


def attribute_list(attributes: Mapping[str, str]) -> list[dict[str, str]]:
    """AttributeListType."""
    return [{"Name": name, "Value": value} for name, value in attributes.items()]


def user_mfa_fields(user: User) -> dict[str, Any]:
    """GetUser's and AdminGetUser's MFA members (MFAOptions only describes SMS, as Cognito's does)."""
    enabled = mfa.enabled_factors(user)
    fields: dict[str, Any] = {}
    if user.mfa.sms:
        fields["MFAOptions"] = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    if user.mfa.preferred is not None:
        fields["PreferredMfaSetting"] = user.mfa.preferred
    if enabled:
        fields["UserMFASettingList"] = enabled
    return fields
