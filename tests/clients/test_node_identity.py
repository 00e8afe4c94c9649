"""Identity pools through real JavaScript clients: @aws-sdk/client-cognito-identity and
@aws-sdk/credential-provider-cognito-identity (fromCognitoIdentityPool), unauthenticated and with a user
pool ID token from amazon-cognito-identity-js in Logins. Skipped when Node.js or the packages are missing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from node_harness import NodeRunner, require_node

REGION = "us-east-1"
ACCOUNT = "123456789012"
PASSWORD = "Correct-Horse-1"
IDENTITY_ID = re.compile(r"^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
UNAUTH_ROLE = f"arn:aws:iam::{ACCOUNT}:role/unauthenticated"
AUTH_ROLE = f"arn:aws:iam::{ACCOUNT}:role/authenticated"


@pytest.fixture(scope="session")
def node() -> NodeRunner:
    return require_node()


def assert_credentials(creds: dict[str, Any], identity_id: str) -> None:
    assert creds["identityId"] == identity_id
    assert creds["accessKeyId"]
    assert creds["hasSecretKey"] is True and creds["hasSessionToken"] is True
    assert creds["expiresInSeconds"] > 60, creds


def test_unauthenticated_identity(node: NodeRunner, emulator: Any, identity: Any) -> None:
    pool = identity.create_identity_pool(IdentityPoolName="node_guests", AllowUnauthenticatedIdentities=True)
    identity.set_identity_pool_roles(
        IdentityPoolId=pool["IdentityPoolId"],
        Roles={"unauthenticated": UNAUTH_ROLE, "authenticated": AUTH_ROLE},
    )

    out = node.run(
        "identity_flow.js",
        {
            "endpoint": emulator.endpoint_url,
            "region": REGION,
            "identityPoolId": pool["IdentityPoolId"],
            "accountId": ACCOUNT,
        },
    )
    assert out["failedStep"] is None, out
    steps = out["steps"]
    # Without Logins every GetId makes a new guest identity.
    signed_id, unsigned_id = steps["getIdSigned"]["identityId"], steps["getIdUnsigned"]["identityId"]
    assert IDENTITY_ID.match(signed_id) and IDENTITY_ID.match(unsigned_id)
    assert all("authorization" not in headers for headers in out["unsignedHeaders"])
    assert_credentials(steps["credentialsSigned"], signed_id)
    assert_credentials(steps["credentialsUnsigned"], unsigned_id)
    assert IDENTITY_ID.match(steps["fromCognitoIdentityPool"]["identityId"])
    assert steps["fromCognitoIdentityPool"]["expiresInSeconds"] > 60

    listed = identity.list_identities(IdentityPoolId=pool["IdentityPoolId"], MaxResults=60)["Identities"]
    assert {signed_id, unsigned_id} <= {i["IdentityId"] for i in listed}


def test_user_pool_id_token_in_logins(node: NodeRunner, emulator: Any, idp: Any, identity: Any) -> None:
    user_pool_id = idp.create_user_pool(PoolName="node-identity")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=user_pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=user_pool_id, Username="jsuser", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=user_pool_id, Username="jsuser", Password=PASSWORD, Permanent=True)
    provider = f"cognito-idp.{REGION}.amazonaws.com/{user_pool_id}"
    pool = identity.create_identity_pool(
        IdentityPoolName="node_members",
        AllowUnauthenticatedIdentities=False,
        CognitoIdentityProviders=[{"ProviderName": provider, "ClientId": client_id}],
    )
    identity.set_identity_pool_roles(
        IdentityPoolId=pool["IdentityPoolId"], Roles={"authenticated": AUTH_ROLE}
    )

    out = node.run(
        "identity_flow.js",
        {
            "endpoint": emulator.endpoint_url,
            "region": REGION,
            "identityPoolId": pool["IdentityPoolId"],
            "accountId": ACCOUNT,
            "user": {
                "poolId": user_pool_id,
                "clientId": client_id,
                "username": "jsuser",
                "password": PASSWORD,
            },
        },
    )
    assert out["failedStep"] is None, out
    steps = out["steps"]
    identity_id = steps["getIdSigned"]["identityId"]
    assert IDENTITY_ID.match(identity_id)
    # The same user gets the same identity on every GetId, signed or not, and through the provider.
    assert steps["getIdUnsigned"]["identityId"] == identity_id
    assert steps["fromCognitoIdentityPool"]["identityId"] == identity_id
    assert_credentials(steps["credentialsSigned"], identity_id)
    assert_credentials(steps["credentialsUnsigned"], identity_id)

    described = identity.describe_identity(IdentityId=identity_id)
    assert described["Logins"] == [provider]
