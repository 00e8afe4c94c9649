"""Helpers for the identity-pool tests: a user pool with a signed-in user, and tokens of other kinds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError

from cognito_emu.emulator import Emulator
from cognito_emu.idp import keys

PASSWORD = "Passw0rd!"
AUTH_ROLE = "arn:aws:iam::123456789012:role/authenticated"
UNAUTH_ROLE = "arn:aws:iam::123456789012:role/unauthenticated"


def error_of(err: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    return err.value.response["Error"]["Code"], err.value.response["Error"]["Message"]


@dataclass
class UserPoolSetup:
    pool_id: str
    client_id: str
    provider: str


def make_user_pool(idp: Any, name: str = "users") -> UserPoolSetup:
    pool_id = idp.create_user_pool(PoolName=name)["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    region = pool_id.split("_")[0]
    return UserPoolSetup(pool_id, client_id, f"cognito-idp.{region}.amazonaws.com/{pool_id}")


def make_user(
    idp: Any, pool_id: str, username: str = "alice", groups: tuple[str, ...] = (), **attrs: str
) -> None:
    attributes = [{"Name": k, "Value": v} for k, v in attrs.items()]
    idp.admin_create_user(
        UserPoolId=pool_id, Username=username, UserAttributes=attributes, MessageAction="SUPPRESS"
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True)
    for group in groups:
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)


def sign_in(idp: Any, setup: UserPoolSetup, username: str = "alice") -> str:
    """The user's ID token, through AdminInitiateAuth."""
    result = idp.admin_initiate_auth(
        UserPoolId=setup.pool_id,
        ClientId=setup.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )
    return result["AuthenticationResult"]["IdToken"]


def mint_id_token(emulator: Emulator, setup: UserPoolSetup, **claims: Any) -> str:
    """An ID token signed with the user pool's key, with the claims the test chooses."""
    now = int(emulator.clock.now())
    base = {
        "sub": "11111111-2222-3333-4444-555555555555",
        "aud": setup.client_id,
        "token_use": "id",
        "iss": f"{emulator.endpoint_url}/{setup.pool_id}",
        "iat": now,
        "exp": now + 3600,
        "cognito:username": "minted",
    }
    base.update(claims)
    with emulator.state.lock:
        pool = emulator.state.find_pool(setup.pool_id)
        assert pool is not None
        return keys.sign(pool, {k: v for k, v in base.items() if v is not None})


def unsigned_jwt(**claims: Any) -> str:
    """A JWT from an outside issuer: signed with a throwaway secret the emulator never sees."""
    return jwt.encode(claims, "not-a-real-key-but-long-enough-for-hs256", algorithm="HS256")


def make_identity_pool(identity: Any, setup: UserPoolSetup | None = None, **settings: Any) -> str:
    settings.setdefault("AllowUnauthenticatedIdentities", True)
    if setup is not None:
        settings.setdefault(
            "CognitoIdentityProviders",
            [{"ProviderName": setup.provider, "ClientId": setup.client_id, "ServerSideTokenCheck": False}],
        )
    return identity.create_identity_pool(IdentityPoolName="ids", **settings)["IdentityPoolId"]


def set_roles(identity: Any, pool_id: str, **kwargs: Any) -> None:
    identity.set_identity_pool_roles(
        IdentityPoolId=pool_id, Roles={"authenticated": AUTH_ROLE, "unauthenticated": UNAUTH_ROLE}, **kwargs
    )


def credentials_record(emulator: Emulator, access_key: str) -> dict[str, Any]:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{emulator.endpoint_url}/_emu/credentials/{access_key}") as response:
        return json.loads(response.read())
