"""Amplify JS v6 (aws-amplify) in Node, as a server-side or CLI app uses it: sign-up with the code from the
outbox, SRP sign-in, identity-pool credentials through fetchAuthSession (its identity-pool calls routed
to the emulator through the fetch it uses), global sign-out. Fails when Node.js or the packages are
missing."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from node_harness import require_node

from cognito_emu.emulator import Emulator

AUTH_ROLE = "arn:aws:iam::123456789012:role/authenticated"


def test_amplify_v6_sign_up_sign_in_credentials_sign_out(emulator: Emulator, idp: Any, identity: Any) -> None:
    pool_id = idp.create_user_pool(PoolName="amplify", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="amplify", ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    identity_pool_id = identity.create_identity_pool(
        IdentityPoolName="amplify",
        AllowUnauthenticatedIdentities=False,
        CognitoIdentityProviders=[
            {"ProviderName": f"cognito-idp.us-east-1.amazonaws.com/{pool_id}", "ClientId": client_id}
        ],
    )["IdentityPoolId"]
    identity.set_identity_pool_roles(IdentityPoolId=identity_pool_id, Roles={"authenticated": AUTH_ROLE})
    result = require_node().run(
        "amplify_flow.js",
        {
            "endpoint": emulator.endpoint_url.rstrip("/"),
            "userPoolId": pool_id,
            "clientId": client_id,
            "identityPoolId": identity_pool_id,
            "username": "erin",
            "password": "Correct-horse-1",
            "email": "erin@example.com",
        },
    )
    assert result["signUpStep"] == "CONFIRM_SIGN_UP"
    assert result["confirmed"] is True
    assert result["signInStep"] == "DONE"
    assert result["username"] == result["idTokenUsername"] == "erin"
    assert result["identityId"].startswith("us-east-1:")
    assert result["refreshedIdentityId"] == result["identityId"]
    assert result["accessKeyId"] and result["hasSessionToken"]
    assert result["afterSignOut"] == "UserUnAuthenticatedException"
    # signOut({global: true}) called GlobalSignOut: the access token it held no longer works.
    with pytest.raises(ClientError) as error:
        idp.get_user(AccessToken=result["accessToken"])
    assert error.value.response["Error"]["Code"] == "NotAuthorizedException"
