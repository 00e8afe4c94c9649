"""CIMD policies and client metadata URLs through boto3."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.api.support import code_of, error_of, make_client_id

PATTERNS = ["https://apps.example.com/*"]


def test_create_describe_list_update_delete(idp, pool_id, client_id):
    created = idp.create_cimd_policy(
        UserPoolId=pool_id, ClientId=client_id, PolicyName="partners", URLPatterns=PATTERNS
    )["CIMDPolicy"]
    policy_id = created["CIMDPolicyId"]
    assert policy_id.isalnum() and policy_id == policy_id.lower()
    assert created["CacheDuration"] == 86400  # "If you don't set a value, the default is 86,400 seconds."
    assert (created["UserPoolId"], created["ClientId"], created["URLPatterns"]) == (
        pool_id,
        client_id,
        PATTERNS,
    )
    assert created["CreationDate"] == created["LastModifiedDate"]
    described = idp.describe_cimd_policy(UserPoolId=pool_id, CIMDPolicyId=policy_id)["CIMDPolicy"]
    assert described == created
    [summary] = idp.list_cimd_policies(UserPoolId=pool_id)["CIMDPolicies"]
    assert summary["CIMDPolicyId"] == policy_id and "URLPatterns" not in summary
    # Update keeps the name and cache duration it is not given, and replaces the patterns.
    other = make_client_id(idp, pool_id)
    updated = idp.update_cimd_policy(
        UserPoolId=pool_id,
        CIMDPolicyId=policy_id,
        ClientId=other,
        URLPatterns=["https://tools.example.com/app"],
    )["CIMDPolicy"]
    assert (updated["PolicyName"], updated["CacheDuration"], updated["ClientId"]) == (
        "partners",
        86400,
        other,
    )
    assert updated["URLPatterns"] == ["https://tools.example.com/app"]
    updated = idp.update_cimd_policy(
        UserPoolId=pool_id,
        CIMDPolicyId=policy_id,
        ClientId=other,
        PolicyName="tools",
        CacheDuration=604800,
        URLPatterns=PATTERNS,
    )["CIMDPolicy"]
    assert (updated["PolicyName"], updated["CacheDuration"]) == ("tools", 604800)
    idp.delete_cimd_policy(UserPoolId=pool_id, CIMDPolicyId=policy_id)
    assert idp.list_cimd_policies(UserPoolId=pool_id)["CIMDPolicies"] == []
    assert code_of(idp.describe_cimd_policy, UserPoolId=pool_id, CIMDPolicyId=policy_id) == (
        "ResourceNotFoundException"
    )


def test_a_policy_outlives_its_app_client_without_a_client_id(idp, pool_id, client_id):
    policy_id = idp.create_cimd_policy(
        UserPoolId=pool_id, ClientId=client_id, PolicyName="p", URLPatterns=PATTERNS
    )["CIMDPolicy"]["CIMDPolicyId"]
    idp.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    described = idp.describe_cimd_policy(UserPoolId=pool_id, CIMDPolicyId=policy_id)["CIMDPolicy"]
    assert "ClientId" not in described
    [summary] = idp.list_cimd_policies(UserPoolId=pool_id)["CIMDPolicies"]
    assert "ClientId" not in summary


def test_list_policies_pages(idp, pool_id, client_id):
    ids = sorted(
        idp.create_cimd_policy(
            UserPoolId=pool_id, ClientId=client_id, PolicyName=f"p{n}", URLPatterns=PATTERNS
        )["CIMDPolicy"]["CIMDPolicyId"]
        for n in range(3)
    )
    first = idp.list_cimd_policies(UserPoolId=pool_id, MaxResults=2)
    second = idp.list_cimd_policies(UserPoolId=pool_id, MaxResults=2, NextToken=first["NextToken"])
    assert [p["CIMDPolicyId"] for p in first["CIMDPolicies"] + second["CIMDPolicies"]] == ids
    assert "NextToken" not in second


def test_metadata_urls(idp, pool_id, client_id):
    policy_id = idp.create_cimd_policy(
        UserPoolId=pool_id, ClientId=client_id, PolicyName="p", URLPatterns=PATTERNS
    )["CIMDPolicy"]["CIMDPolicyId"]
    assert (
        idp.list_client_metadata_urls(UserPoolId=pool_id, CIMDPolicyId=policy_id)["ClientMetadataURLs"] == []
    )
    url = "https://apps.example.com/client.json"
    for action in ("REFRESH", "INVALIDATE"):
        code = code_of(
            idp.update_client_metadata_url_state,
            UserPoolId=pool_id,
            CIMDPolicyId=policy_id,
            URL=url,
            Action=action,
        )
        assert code == "CachedCIMDURLDoesNotExistException"
    assert code_of(idp.list_client_metadata_urls, UserPoolId=pool_id, CIMDPolicyId="nosuchpolicy") == (
        "ResourceNotFoundException"
    )


def test_bad_input(idp, raw, pool_id, client_id):
    assert (
        error_of(
            idp.create_cimd_policy,
            UserPoolId=pool_id,
            ClientId="nosuchclient",
            PolicyName="p",
            URLPatterns=PATTERNS,
        )[0]
        == "ResourceNotFoundException"
    )
    assert (
        code_of(
            idp.create_cimd_policy,
            UserPoolId="us-east-1_nosuchpool",
            ClientId=client_id,
            PolicyName="p",
            URLPatterns=PATTERNS,
        )
        == "ResourceNotFoundException"
    )
    # What the model forbids is refused by the emulator too (botocore's own checks turned off).
    for bad in (
        {"URLPatterns": ["http://apps.example.com/*"]},
        {"URLPatterns": []},
        {"CacheDuration": 60},
        {"PolicyName": ""},
    ):
        request = {
            "UserPoolId": pool_id,
            "ClientId": client_id,
            "PolicyName": "p",
            "URLPatterns": PATTERNS,
            **bad,
        }
        with pytest.raises(ClientError) as caught:
            raw.create_cimd_policy(**request)
        assert code_of(caught) == "InvalidParameterException", bad
