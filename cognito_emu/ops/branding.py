"""Managed login branding (the branding editor's styles)."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.pool import branding
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def create_managed_login_branding(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {"ManagedLoginBranding": branding.create(call.env, call.store, params)}


def update_managed_login_branding(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {"ManagedLoginBranding": branding.update(call.env, call.store, params)}


def describe_managed_login_branding(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    style = branding.describe(
        call.store,
        params["UserPoolId"],
        params["ManagedLoginBrandingId"],
        params.get("ReturnMergedResources", False),
    )
    return {"ManagedLoginBranding": style}


def describe_managed_login_branding_by_client(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    style = branding.describe_by_client(
        call.store, params["UserPoolId"], params["ClientId"], params.get("ReturnMergedResources", False)
    )
    return {"ManagedLoginBranding": style}


def delete_managed_login_branding(call: Call, params: dict[str, Any]) -> None:
    branding.delete(call.store, params["UserPoolId"], params["ManagedLoginBrandingId"])


HANDLERS = {
    "CreateManagedLoginBranding": create_managed_login_branding,
    "UpdateManagedLoginBranding": update_managed_login_branding,
    "DescribeManagedLoginBranding": describe_managed_login_branding,
    "DescribeManagedLoginBrandingByClient": describe_managed_login_branding_by_client,
    "DeleteManagedLoginBranding": delete_managed_login_branding,
}
