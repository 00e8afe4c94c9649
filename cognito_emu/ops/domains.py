"""User pool domain operations."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.models import UserPoolDomain
from cognito_emu.idp.pool import domains
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def present_domain_change(entry: UserPoolDomain) -> dict[str, Any]:
    """CreateUserPoolDomain / UpdateUserPoolDomain output: CloudFrontDomain only for custom domains."""
    return {
        "ManagedLoginVersion": entry.managed_login_version,
        "CloudFrontDomain": entry.cloudfront_distribution if domains.is_custom(entry) else None,
        "Routing": entry.routing,
    }


def present_domain_description(entry: UserPoolDomain | None) -> dict[str, Any]:
    """DomainDescriptionType; empty for a domain the caller does not own."""
    if entry is None:
        return {}
    return {
        "UserPoolId": entry.user_pool_id,
        "AWSAccountId": entry.account,
        "Domain": entry.domain,
        "S3Bucket": domains.assets_bucket(entry),
        "CloudFrontDistribution": entry.cloudfront_distribution,
        "Version": domains.version_label(entry),
        "Status": "ACTIVE",
        "CustomDomainConfig": entry.custom_domain_config,
        "ManagedLoginVersion": entry.managed_login_version,
        "Routing": entry.routing,
    }


def create_user_pool_domain(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    entry = domains.create_user_pool_domain(
        call.env,
        call.store,
        params["UserPoolId"],
        params["Domain"],
        custom_domain_config=params.get("CustomDomainConfig"),
        managed_login_version=params.get("ManagedLoginVersion"),
        routing=params.get("Routing"),
    )
    return present_domain_change(entry)


def describe_user_pool_domain(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    entry = domains.describe_user_pool_domain(call.env, call.store, params["Domain"])
    return {"DomainDescription": present_domain_description(entry)}


def update_user_pool_domain(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    entry = domains.update_user_pool_domain(
        call.env,
        call.store,
        params["UserPoolId"],
        params["Domain"],
        custom_domain_config=params.get("CustomDomainConfig"),
        managed_login_version=params.get("ManagedLoginVersion"),
        routing=params.get("Routing"),
    )
    return present_domain_change(entry)


def delete_user_pool_domain(call: Call, params: dict[str, Any]) -> None:
    domains.delete_user_pool_domain(call.env, call.store, params["UserPoolId"], params["Domain"])


HANDLERS = {
    "CreateUserPoolDomain": create_user_pool_domain,
    "DescribeUserPoolDomain": describe_user_pool_domain,
    "UpdateUserPoolDomain": update_user_pool_domain,
    "DeleteUserPoolDomain": delete_user_pool_domain,
}
