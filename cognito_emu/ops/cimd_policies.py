"""CIMD policies (client ID metadata documents) and the metadata URLs they cached."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.models import CIMDPolicy, UserPool
from cognito_emu.idp.pool import cimd_policies
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def present_summary(pool: UserPool, policy: CIMDPolicy) -> dict[str, Any]:
    """CIMDPolicySummaryType."""
    return {
        "CIMDPolicyId": policy.policy_id,
        "ClientId": cimd_policies.client_of(pool, policy),
        "PolicyName": policy.name,
        "CacheDuration": policy.cache_duration,
        "CreationDate": policy.created,
        "LastModifiedDate": policy.modified,
    }


def present_policy(pool: UserPool, policy: CIMDPolicy) -> dict[str, Any]:
    """CIMDPolicyType."""
    return {"UserPoolId": pool.id, **present_summary(pool, policy), "URLPatterns": list(policy.url_patterns)}


def create_cimd_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, policy = cimd_policies.create(
        call.env,
        call.store,
        params["UserPoolId"],
        params["ClientId"],
        params["PolicyName"],
        params["URLPatterns"],
        params.get("CacheDuration"),
    )
    return {"CIMDPolicy": present_policy(pool, policy)}


def describe_cimd_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, policy = cimd_policies.describe(call.store, params["UserPoolId"], params["CIMDPolicyId"])
    return {"CIMDPolicy": present_policy(pool, policy)}


def list_cimd_policies(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, page, token = cimd_policies.list_policies(
        call.store, params["UserPoolId"], params.get("MaxResults"), params.get("NextToken")
    )
    return {"CIMDPolicies": [present_summary(pool, policy) for policy in page], "NextToken": token}


def update_cimd_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, policy = cimd_policies.update(
        call.env,
        call.store,
        params["UserPoolId"],
        params["CIMDPolicyId"],
        params["ClientId"],
        params.get("PolicyName"),
        params["URLPatterns"],
        params.get("CacheDuration"),
    )
    return {"CIMDPolicy": present_policy(pool, policy)}


def delete_cimd_policy(call: Call, params: dict[str, Any]) -> None:
    cimd_policies.delete(call.store, params["UserPoolId"], params["CIMDPolicyId"])


def list_client_metadata_urls(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    # No policy has a cached URL yet (cimd_policies' docstring); the policy must exist all the same.
    cimd_policies.describe(call.store, params["UserPoolId"], params["CIMDPolicyId"])
    return {"ClientMetadataURLs": []}


def update_client_metadata_url_state(call: Call, params: dict[str, Any]) -> None:
    cimd_policies.check_url_state_change(
        call.store, params["UserPoolId"], params["CIMDPolicyId"], params["URL"]
    )


HANDLERS = {
    "CreateCIMDPolicy": create_cimd_policy,
    "DescribeCIMDPolicy": describe_cimd_policy,
    "ListCIMDPolicies": list_cimd_policies,
    "UpdateCIMDPolicy": update_cimd_policy,
    "DeleteCIMDPolicy": delete_cimd_policy,
    "ListClientMetadataURLs": list_client_metadata_urls,
    "UpdateClientMetadataURLState": update_client_metadata_url_state,
}
