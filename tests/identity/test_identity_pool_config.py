"""Identity pools through boto3: create/describe/update/delete/list, roles, principal tag maps, tags."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from identity_support import AUTH_ROLE, UNAUTH_ROLE, error_of

OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/issuer.example.com"
SAML_ARN = "arn:aws:iam::123456789012:saml-provider/corp"


def test_create_echoes_every_setting(identity):
    created = identity.create_identity_pool(
        IdentityPoolName="everything",
        AllowUnauthenticatedIdentities=False,
        AllowClassicFlow=True,
        SupportedLoginProviders={"graph.facebook.com": "1234", "accounts.google.com": "client.apps"},
        DeveloperProviderName="login.example",
        OpenIdConnectProviderARNs=[OIDC_ARN],
        CognitoIdentityProviders=[
            {"ProviderName": "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", "ClientId": "client1"},
            {
                "ProviderName": "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
                "ClientId": "client2",
                "ServerSideTokenCheck": True,
            },
        ],
        SamlProviderARNs=[SAML_ARN],
        IdentityPoolTags={"team": "a"},
    )
    pool_id = created["IdentityPoolId"]
    region, _, guid = pool_id.partition(":")
    assert region == "us-east-1" and len(guid) == 36
    described = identity.describe_identity_pool(IdentityPoolId=pool_id)
    for result in (created, described):
        assert result["IdentityPoolName"] == "everything"
        assert result["AllowUnauthenticatedIdentities"] is False
        assert result["AllowClassicFlow"] is True
        assert result["SupportedLoginProviders"] == {
            "graph.facebook.com": "1234",
            "accounts.google.com": "client.apps",
        }
        assert result["DeveloperProviderName"] == "login.example"
        assert result["OpenIdConnectProviderARNs"] == [OIDC_ARN]
        assert [p["ServerSideTokenCheck"] for p in result["CognitoIdentityProviders"]] == [False, True]
        assert result["SamlProviderARNs"] == [SAML_ARN]
        assert result["IdentityPoolTags"] == {"team": "a"}


def test_update_replaces_settings_and_keeps_developer_provider(identity):
    pool_id = identity.create_identity_pool(
        IdentityPoolName="p",
        AllowUnauthenticatedIdentities=True,
        SupportedLoginProviders={"graph.facebook.com": "1"},
        DeveloperProviderName="dev.example",
    )["IdentityPoolId"]
    updated = identity.update_identity_pool(
        IdentityPoolId=pool_id, IdentityPoolName="renamed", AllowUnauthenticatedIdentities=False
    )
    assert updated["IdentityPoolName"] == "renamed"
    assert updated["AllowUnauthenticatedIdentities"] is False
    assert "SupportedLoginProviders" not in updated
    assert updated["DeveloperProviderName"] == "dev.example"
    with pytest.raises(ClientError) as err:
        identity.update_identity_pool(
            IdentityPoolId=pool_id,
            IdentityPoolName="renamed",
            AllowUnauthenticatedIdentities=False,
            DeveloperProviderName="other.example",
        )
    assert error_of(err)[0] == "InvalidParameterException"


def test_not_found_and_delete(identity):
    missing = "us-east-1:00000000-0000-0000-0000-000000000000"
    for call in (
        identity.describe_identity_pool,
        identity.delete_identity_pool,
        identity.get_identity_pool_roles,
    ):
        with pytest.raises(ClientError) as err:
            call(IdentityPoolId=missing)
        assert error_of(err) == ("ResourceNotFoundException", f"IdentityPool '{missing}' not found.")
    pool_id = identity.create_identity_pool(IdentityPoolName="p", AllowUnauthenticatedIdentities=True)[
        "IdentityPoolId"
    ]
    identity.delete_identity_pool(IdentityPoolId=pool_id)
    with pytest.raises(ClientError) as err:
        identity.describe_identity_pool(IdentityPoolId=pool_id)
    assert error_of(err)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as err:
        identity.get_id(IdentityPoolId=pool_id)
    assert error_of(err)[0] == "ResourceNotFoundException"


def test_validation_happens_before_the_handler(identity):
    with pytest.raises(ClientError) as err:
        identity.describe_identity_pool(IdentityPoolId="not a pool id")
    assert error_of(err)[0] == "ValidationException"


def test_list_identity_pools_pages(identity):
    ids = sorted(
        identity.create_identity_pool(IdentityPoolName=f"p{i}", AllowUnauthenticatedIdentities=False)[
            "IdentityPoolId"
        ]
        for i in range(5)
    )
    first = identity.list_identity_pools(MaxResults=2)
    assert [p["IdentityPoolId"] for p in first["IdentityPools"]] == ids[:2]
    seen = [p["IdentityPoolId"] for p in first["IdentityPools"]]
    token = first["NextToken"]
    while token:
        page = identity.list_identity_pools(MaxResults=2, NextToken=token)
        seen += [p["IdentityPoolId"] for p in page["IdentityPools"]]
        token = page.get("NextToken")
    assert seen == ids
    assert {p["IdentityPoolName"] for p in first["IdentityPools"]} <= {f"p{i}" for i in range(5)}


def test_pools_are_per_account_and_region(emulator, identity):
    pool_id = identity.create_identity_pool(IdentityPoolName="p", AllowUnauthenticatedIdentities=True)[
        "IdentityPoolId"
    ]
    other = emulator.client("cognito-identity", aws_access_key_id="111122223333")
    assert other.list_identity_pools(MaxResults=10)["IdentityPools"] == []
    with pytest.raises(ClientError):
        other.describe_identity_pool(IdentityPoolId=pool_id)


def test_roles_and_role_mappings(identity):
    pool_id = identity.create_identity_pool(IdentityPoolName="p", AllowUnauthenticatedIdentities=True)[
        "IdentityPoolId"
    ]
    assert identity.get_identity_pool_roles(IdentityPoolId=pool_id)["Roles"] == {}
    mappings = {
        "graph.facebook.com": {"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"},
        "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc:client": {
            "Type": "Rules",
            "AmbiguousRoleResolution": "Deny",
            "RulesConfiguration": {
                "Rules": [
                    {
                        "Claim": "cognito:groups",
                        "MatchType": "Contains",
                        "Value": "admins",
                        "RoleARN": AUTH_ROLE,
                    }
                ]
            },
        },
    }
    identity.set_identity_pool_roles(
        IdentityPoolId=pool_id,
        Roles={"authenticated": AUTH_ROLE, "unauthenticated": UNAUTH_ROLE},
        RoleMappings=mappings,
    )
    roles = identity.get_identity_pool_roles(IdentityPoolId=pool_id)
    assert roles["IdentityPoolId"] == pool_id
    assert roles["Roles"] == {"authenticated": AUTH_ROLE, "unauthenticated": UNAUTH_ROLE}
    assert roles["RoleMappings"] == mappings


@pytest.mark.parametrize(
    "roles, mappings, code",
    [
        # The model's key pattern for Roles: rejected before the handler.
        ({"admin": AUTH_ROLE}, None, "ValidationException"),
        (
            {"authenticated": AUTH_ROLE},
            {"graph.facebook.com": {"Type": "Rules", "AmbiguousRoleResolution": "Deny"}},
            "InvalidParameterException",
        ),
        (
            {"authenticated": AUTH_ROLE},
            {"graph.facebook.com": {"Type": "Token"}},
            "InvalidParameterException",
        ),
    ],
)
def test_set_roles_rejects_bad_configuration(identity, roles, mappings, code):
    pool_id = identity.create_identity_pool(IdentityPoolName="p", AllowUnauthenticatedIdentities=True)[
        "IdentityPoolId"
    ]
    kwargs = {"RoleMappings": mappings} if mappings else {}
    with pytest.raises(ClientError) as err:
        identity.set_identity_pool_roles(IdentityPoolId=pool_id, Roles=roles, **kwargs)
    assert error_of(err)[0] == code


def test_principal_tag_attribute_map(identity):
    pool_id = identity.create_identity_pool(IdentityPoolName="p", AllowUnauthenticatedIdentities=True)[
        "IdentityPoolId"
    ]
    provider = "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"
    empty = identity.get_principal_tag_attribute_map(IdentityPoolId=pool_id, IdentityProviderName=provider)
    assert empty["UseDefaults"] is False and empty.get("PrincipalTags", {}) == {}
    custom = identity.set_principal_tag_attribute_map(
        IdentityPoolId=pool_id, IdentityProviderName=provider, PrincipalTags={"dept": "custom:dept"}
    )
    assert custom["PrincipalTags"] == {"dept": "custom:dept"} and custom["UseDefaults"] is False
    defaults = identity.set_principal_tag_attribute_map(
        IdentityPoolId=pool_id, IdentityProviderName=provider, UseDefaults=True
    )
    assert defaults["UseDefaults"] is True
    assert defaults["PrincipalTags"] == {"username": "sub", "client": "aud"}
    got = identity.get_principal_tag_attribute_map(IdentityPoolId=pool_id, IdentityProviderName=provider)
    assert got["UseDefaults"] is True and got["IdentityProviderName"] == provider


def test_tags_on_the_pool_arn(identity):
    pool_id = identity.create_identity_pool(
        IdentityPoolName="p", AllowUnauthenticatedIdentities=True, IdentityPoolTags={"a": "1"}
    )["IdentityPoolId"]
    arn = f"arn:aws:cognito-identity:us-east-1:123456789012:identitypool/{pool_id}"
    identity.tag_resource(ResourceArn=arn, Tags={"b": "2"})
    assert identity.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"a": "1", "b": "2"}
    identity.untag_resource(ResourceArn=arn, TagKeys=["a"])
    assert identity.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"b": "2"}
    assert identity.describe_identity_pool(IdentityPoolId=pool_id)["IdentityPoolTags"] == {"b": "2"}
    with pytest.raises(ClientError) as err:
        identity.list_tags_for_resource(ResourceArn=arn.replace("us-east-1:1234", "us-east-1:9999"))
    assert error_of(err)[0] == "ResourceNotFoundException"


def test_state_export_and_import_keep_identity_pools(emulator, identity):
    import json
    import urllib.request

    pool_id = identity.create_identity_pool(
        IdentityPoolName="p", AllowUnauthenticatedIdentities=True, AllowClassicFlow=True
    )["IdentityPoolId"]
    identity_id = identity.get_id(IdentityPoolId=pool_id)["IdentityId"]
    identity.get_open_id_token(IdentityId=identity_id)
    with urllib.request.urlopen(f"{emulator.endpoint_url}/_emu/state") as response:
        exported = response.read()
    emulator.reset()
    with pytest.raises(ClientError):
        identity.describe_identity(IdentityId=identity_id)
    request = urllib.request.Request(f"{emulator.endpoint_url}/_emu/state", data=exported, method="PUT")
    with urllib.request.urlopen(request) as response:
        assert json.loads(response.read())["imported"] is True
    assert identity.describe_identity_pool(IdentityPoolId=pool_id)["IdentityPoolName"] == "p"
    # Unsigned lookups find the identity through the rebuilt index.
    assert identity.get_credentials_for_identity  # the client is unchanged
    assert identity.describe_identity(IdentityId=identity_id)["IdentityId"] == identity_id
