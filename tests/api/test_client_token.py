"""GetClientToken: M2M access tokens for a confidential client whose only flow is
ALLOW_CLIENT_TOKEN_AUTH (a value AWS documents beyond botocore's model), with its custom scopes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import claims, code_of, error_of, make_resource_server

API = "https://api.example.com"


@pytest.fixture
def m2m(idp: Any, pool_id: str) -> dict[str, Any]:
    make_resource_server(idp, pool_id, API)
    client: dict[str, Any] = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="m2m",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH"],
        AllowedOAuthScopes=[f"{API}/read", f"{API}/write"],
    )["UserPoolClient"]
    return client


def test_client_token_with_the_clients_scopes(idp, m2m):
    result = idp.get_client_token(ClientId=m2m["ClientId"], Secret=m2m["ClientSecret"])[
        "ClientAuthenticationResult"
    ]
    assert result["TokenType"] == "Bearer"
    assert result["ExpiresIn"] == 3600
    token = claims(result["AccessToken"])
    assert token["sub"] == token["client_id"] == m2m["ClientId"]
    assert token["token_use"] == "access"
    assert token["scope"] == f"{API}/read {API}/write"
    assert "username" not in token
    narrowed = idp.get_client_token(
        ClientId=m2m["ClientId"], Secret=m2m["ClientSecret"], Scopes=[f"{API}/read"]
    )
    assert claims(narrowed["ClientAuthenticationResult"]["AccessToken"])["scope"] == f"{API}/read"


def test_client_token_errors(idp, pool_id, m2m):
    assert error_of(idp.get_client_token, ClientId=m2m["ClientId"], Secret="x" * 30) == (
        "NotAuthorizedException",
        f"Unable to verify secret for client {m2m['ClientId']}",
    )
    assert error_of(
        idp.get_client_token, ClientId=m2m["ClientId"], Secret=m2m["ClientSecret"], Scopes=["openid"]
    ) == ("InvalidParameterException", f"Scope openid is not allowed for client {m2m['ClientId']}.")
    assert (
        code_of(idp.get_client_token, ClientId="nosuchclient", Secret="x" * 30) == "ResourceNotFoundException"
    )
    user_client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", GenerateSecret=True, AllowedOAuthScopes=[f"{API}/read"]
    )["UserPoolClient"]
    assert error_of(
        idp.get_client_token, ClientId=user_client["ClientId"], Secret=user_client["ClientSecret"]
    ) == (
        "InvalidParameterException",
        "ALLOW_CLIENT_TOKEN_AUTH is not enabled for this client.",
    )


def test_client_token_auth_is_the_only_flow(idp, pool_id):
    assert error_of(
        idp.create_user_pool_client,
        UserPoolId=pool_id,
        ClientName="mixed",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
    ) == (
        "InvalidParameterException",
        "ALLOW_CLIENT_TOKEN_AUTH must be the only authentication flow of the app client.",
    )
    assert (
        code_of(
            idp.create_user_pool_client,
            UserPoolId=pool_id,
            ClientName="bad",
            ExplicitAuthFlows=["ALLOW_NOTHING"],
        )
        == "InvalidParameterException"
    )


def test_client_without_custom_scopes(idp, pool_id):
    client = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="bare",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH"],
    )["UserPoolClient"]
    assert error_of(idp.get_client_token, ClientId=client["ClientId"], Secret=client["ClientSecret"]) == (
        "InvalidParameterException",
        "The client has no custom scopes.",
    )
