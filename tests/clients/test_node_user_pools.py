"""User pools through real JavaScript clients: amazon-cognito-identity-js, aws-jwt-verify, AWS SDK v3.

Each test drives a script in ``node/`` (see ``node_harness``); they fail when Node.js or the npm packages
cannot be had.
"""

from __future__ import annotations

from typing import Any

import pytest
from node_harness import NodeRunner, require_node

REGION = "us-east-1"
PASSWORD = "Correct-Horse-1"
NEW_PASSWORD = "Battery-Staple-2"


@pytest.fixture(scope="session")
def node() -> NodeRunner:
    return require_node()


def make_pool_and_client(idp: Any) -> tuple[str, str]:
    pool_id = idp.create_user_pool(PoolName="node-clients", AutoVerifiedAttributes=["email"])["UserPool"][
        "Id"
    ]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def test_sdk_v3_lists_user_pools(node: NodeRunner, emulator: Any, idp: Any) -> None:
    pool_id = idp.create_user_pool(PoolName="node-smoke")["UserPool"]["Id"]
    out = node.run("smoke_list_user_pools.js", {"endpoint": emulator.endpoint_url, "region": REGION})
    assert out["pools"] == [{"id": pool_id, "name": "node-smoke"}]


def test_sign_up_confirm_sign_in_refresh_change_password_sign_out(
    node: NodeRunner, emulator: Any, idp: Any
) -> None:
    pool_id, client_id = make_pool_and_client(idp)
    base = {"endpoint": emulator.endpoint_url, "region": REGION, "poolId": pool_id, "clientId": client_id}
    username, email = "jsuser", "jsuser@example.com"

    signed_up = node.run(
        "signup.js",
        {**base, "username": username, "password": PASSWORD, "attributes": {"email": email}},
    )
    assert "error" not in signed_up, signed_up
    assert signed_up["userConfirmed"] is False
    assert signed_up["codeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    code = emulator.outbox.last_code(username)
    assert code

    out = node.run(
        "user_pool_flow.js",
        {**base, "username": username, "password": PASSWORD, "newPassword": NEW_PASSWORD, "code": code},
    )
    assert out["failedStep"] is None, out
    steps = out["steps"]
    assert steps["confirmRegistration"] == "SUCCESS"

    auth = steps["authenticateUser"]
    assert auth["valid"] is True and auth["hasRefreshToken"] is True
    id_claims, access_claims = auth["idToken"], auth["accessToken"]
    issuer = f"{emulator.endpoint_url}/{pool_id}"
    assert id_claims["iss"] == access_claims["iss"] == issuer
    assert id_claims["sub"] == signed_up["userSub"] == access_claims["sub"]
    assert id_claims["aud"] == client_id
    assert id_claims["cognito:username"] == username
    assert id_claims["email"] == email
    assert id_claims["email_verified"] is True
    assert access_claims["client_id"] == client_id
    assert access_claims["username"] == username
    assert "aws.cognito.signin.user.admin" in access_claims["scope"].split()
    assert access_claims["jti"] and access_claims["origin_jti"]

    # aws-jwt-verify accepted both tokens against the JWKS and returned their payloads.
    assert steps["verifyIdToken"]["sub"] == signed_up["userSub"]
    assert steps["verifyAccessToken"]["client_id"] == client_id
    assert steps["jwks"]["status"] == 200
    assert steps["jwks"]["contentType"].startswith("application/json")

    refreshed = steps["refreshSession"]
    assert refreshed["valid"] is True and refreshed["newAccessToken"] is True
    assert refreshed["accessToken"]["origin_jti"] == access_claims["origin_jti"]
    assert steps["verifyRefreshedIdToken"]["token_use"] == "id"
    assert steps["verifyRefreshedAccessToken"]["token_use"] == "access"

    assert steps["getUserAttributes"]["email"] == email
    assert steps["getUserAttributes"]["sub"] == signed_up["userSub"]
    assert steps["changePassword"] == "SUCCESS"
    assert steps["globalSignOut"] == "SUCCESS"
    assert steps["getUserAfterGlobalSignOut"]["code"] == "NotAuthorizedException"
    assert steps["refreshAfterGlobalSignOut"]["code"] == "NotAuthorizedException"
    assert steps["oldPasswordRejected"]["code"] == "NotAuthorizedException"
    assert steps["authenticateWithNewPassword"]["valid"] is True
    assert steps["authenticateWithNewPassword"]["originJti"]
    assert steps["signOut"] == "SUCCESS"
    # signOut revoked the refresh token through RevokeToken.
    assert steps["refreshAfterSignOut"]["code"] == "NotAuthorizedException"


def test_wrong_password_is_not_authorized(node: NodeRunner, emulator: Any, idp: Any) -> None:
    pool_id, client_id = make_pool_and_client(idp)
    idp.admin_create_user(UserPoolId=pool_id, Username="jsuser", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool_id, Username="jsuser", Password=PASSWORD, Permanent=True)
    base = {"endpoint": emulator.endpoint_url, "region": REGION, "poolId": pool_id, "clientId": client_id}

    ok = node.run("authenticate.js", {**base, "username": "jsuser", "password": PASSWORD})
    assert "error" not in ok, ok
    assert ok["valid"] is True

    bad = node.run("authenticate.js", {**base, "username": "jsuser", "password": "Wrong-Password-9"})
    assert bad["error"]["code"] == "NotAuthorizedException"
    assert bad["error"]["message"] == "Incorrect username or password."
