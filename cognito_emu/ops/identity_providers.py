"""Identity provider (federation) operations."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.models import IdentityProvider
from cognito_emu.idp.pool import identity_providers
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def present_identity_provider(provider: IdentityProvider) -> dict[str, Any]:
    """IdentityProviderType."""
    return {
        "UserPoolId": provider.user_pool_id,
        "ProviderName": provider.name,
        "ProviderType": provider.provider_type,
        "ProviderDetails": identity_providers.public_details(provider),
        "AttributeMapping": provider.attribute_mapping,
        "IdpIdentifiers": provider.identifiers,
        "AcrMapping": provider.acr_mapping or None,
        "LastModifiedDate": provider.modified,
        "CreationDate": provider.created,
    }


def present_provider_description(provider: IdentityProvider) -> dict[str, Any]:
    """ProviderDescription (ListIdentityProviders)."""
    return {
        "ProviderName": provider.name,
        "ProviderType": provider.provider_type,
        "LastModifiedDate": provider.modified,
        "CreationDate": provider.created,
    }


def create_identity_provider(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    provider = identity_providers.create_identity_provider(
        call.env,
        call.store,
        params["UserPoolId"],
        params["ProviderName"],
        params["ProviderType"],
        params["ProviderDetails"],
        attribute_mapping=params.get("AttributeMapping"),
        identifiers=params.get("IdpIdentifiers"),
        acr_mapping=params.get("AcrMapping"),
    )
    return {"IdentityProvider": present_identity_provider(provider)}


def describe_identity_provider(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    provider = identity_providers.describe_identity_provider(
        call.store, params["UserPoolId"], params["ProviderName"]
    )
    return {"IdentityProvider": present_identity_provider(provider)}


def get_identity_provider_by_identifier(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    provider = identity_providers.find_by_identifier(
        call.store, params["UserPoolId"], params["IdpIdentifier"]
    )
    return {"IdentityProvider": present_identity_provider(provider)}


def list_identity_providers(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    page, token = identity_providers.list_identity_providers(
        call.store, params["UserPoolId"], params.get("MaxResults"), params.get("NextToken")
    )
    return {"Providers": [present_provider_description(p) for p in page], "NextToken": token}


def update_identity_provider(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    provider = identity_providers.update_identity_provider(
        call.env,
        call.store,
        params["UserPoolId"],
        params["ProviderName"],
        details=params.get("ProviderDetails"),
        attribute_mapping=params.get("AttributeMapping"),
        identifiers=params.get("IdpIdentifiers"),
        acr_mapping=params.get("AcrMapping"),
    )
    return {"IdentityProvider": present_identity_provider(provider)}


def delete_identity_provider(call: Call, params: dict[str, Any]) -> None:
    identity_providers.delete_identity_provider(call.store, params["UserPoolId"], params["ProviderName"])


HANDLERS = {
    "CreateIdentityProvider": create_identity_provider,
    "DescribeIdentityProvider": describe_identity_provider,
    "GetIdentityProviderByIdentifier": get_identity_provider_by_identifier,
    "ListIdentityProviders": list_identity_providers,
    "UpdateIdentityProvider": update_identity_provider,
    "DeleteIdentityProvider": delete_identity_provider,
}
