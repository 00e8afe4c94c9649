"""Managed login branding (the branding editor's styles)."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.pool import branding
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def present_branding(style: dict[str, Any]) -> dict[str, Any]:
    """ManagedLoginBrandingType: the style without the app client it is stored under."""
    return {key: value for key, value in style.items() if key != branding.CLIENT}


def create_managed_login_branding(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {"ManagedLoginBranding": present_branding(branding.create(call.env, call.store, params))}


def update_managed_login_branding(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {"ManagedLoginBranding": present_branding(branding.update(call.env, call.store, params))}


def describe_managed_login_branding(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    style = branding.describe(
        call.store,
        params["UserPoolId"],
        params["ManagedLoginBrandingId"],
        params.get("ReturnMergedResources", False),
    )
    return {"ManagedLoginBranding": present_branding(style)}


def describe_managed_login_branding_by_client(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    style = branding.describe_by_client(
        call.store, params["UserPoolId"], params["ClientId"], params.get("ReturnMergedResources", False)
    )
    return {"ManagedLoginBranding": present_branding(style)}


def delete_managed_login_branding(call: Call, params: dict[str, Any]) -> None:
    branding.delete(call.store, params["UserPoolId"], params["ManagedLoginBrandingId"])


HANDLERS = {
    "CreateManagedLoginBranding": create_managed_login_branding,
    "UpdateManagedLoginBranding": update_managed_login_branding,
    "DescribeManagedLoginBranding": describe_managed_login_branding,
    "DescribeManagedLoginBrandingByClient": describe_managed_login_branding_by_client,
    "DeleteManagedLoginBranding": delete_managed_login_branding,
}
