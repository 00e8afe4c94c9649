"""A prepared pool the fuzzer draws real ids and tokens from, and the one call helper it sends through."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cognito_emu.emulator import Emulator
from cognito_emu.testing.wsgi_client import call_wsgi
from tests.fuzz.strategies import MAP_VALUE

IDP = "AWSCognitoIdentityProviderService"
IDENTITY = "AWSCognitoIdentityService"
TARGETS = {"cognito-idp": IDP, "cognito-identity": IDENTITY}
PASSWORD = "Passw0rd!"
SIGNED = (
    "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/cognito-idp/aws4_request, "
    "SignedHeaders=host;x-amz-date;x-amz-target, Signature=00"
)


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def send(
    emulator: Emulator,
    target: str,
    body: bytes | dict[str, Any],
    content_type: str = "application/x-amz-json-1.1",
) -> Reply:
    """One call to the in-process app, as a signed client makes it (no socket: fuzzing wants volume)."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"X-Amz-Target": target, "Content-Type": content_type, "Authorization": SIGNED}
    response = call_wsgi(emulator.app, "POST", "http://127.0.0.1/", headers, raw)
    return Reply(response.status, response.body)


def _ok(emulator: Emulator, op: str, body: dict[str, Any], prefix: str = IDP) -> Any:
    reply = send(emulator, f"{prefix}.{op}", body)
    assert reply.status == 200, (op, reply.body)
    return reply.json


def prepare(emulator: Emulator) -> dict[str, tuple[str, ...]]:
    """A pool with a client, a confirmed signed-in user, a group, a domain, a resource server and an
    identity pool; answers member name -> real values for the strategies."""
    pool_id = _ok(emulator, "CreateUserPool", {"PoolName": "fuzz", "AliasAttributes": ["email"]})["UserPool"][
        "Id"
    ]
    flows = [
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_SRP_AUTH",
    ]
    client = _ok(
        emulator,
        "CreateUserPoolClient",
        {"UserPoolId": pool_id, "ClientName": "app", "ExplicitAuthFlows": flows},
    )["UserPoolClient"]
    secret_client = _ok(
        emulator,
        "CreateUserPoolClient",
        {"UserPoolId": pool_id, "ClientName": "secret", "GenerateSecret": True, "ExplicitAuthFlows": flows},
    )["UserPoolClient"]
    _ok(
        emulator,
        "AdminCreateUser",
        {
            "UserPoolId": pool_id,
            "Username": "alice",
            "MessageAction": "SUPPRESS",
            "UserAttributes": [
                {"Name": "email", "Value": "alice@example.com"},
                {"Name": "email_verified", "Value": "true"},
            ],
        },
    )
    _ok(
        emulator,
        "AdminSetUserPassword",
        {"UserPoolId": pool_id, "Username": "alice", "Password": PASSWORD, "Permanent": True},
    )
    signed_in = _ok(
        emulator,
        "InitiateAuth",
        {
            "ClientId": client["ClientId"],
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD},
        },
    )["AuthenticationResult"]
    _ok(emulator, "CreateGroup", {"UserPoolId": pool_id, "GroupName": "admins"})
    _ok(emulator, "CreateUserPoolDomain", {"UserPoolId": pool_id, "Domain": "fuzz-domain"})
    _ok(emulator, "CreateResourceServer", {"UserPoolId": pool_id, "Identifier": "api", "Name": "api"})
    provider = f"cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    identity_pool = _ok(
        emulator,
        "CreateIdentityPool",
        {
            "IdentityPoolName": "fuzz",
            "AllowUnauthenticatedIdentities": True,
            "CognitoIdentityProviders": [{"ProviderName": provider, "ClientId": client["ClientId"]}],
        },
        IDENTITY,
    )
    identity_id = _ok(emulator, "GetId", {"IdentityPoolId": identity_pool["IdentityPoolId"]}, IDENTITY)[
        "IdentityId"
    ]
    pool_arn = f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{pool_id}"
    real = {
        "UserPoolId": (pool_id,),
        "ClientId": (client["ClientId"], secret_client["ClientId"]),
        "ClientSecret": (secret_client["ClientSecret"],),
        "Username": ("alice", "alice@example.com"),
        "USERNAME": ("alice",),
        "AccessToken": (signed_in["AccessToken"],),
        "RefreshToken": (signed_in["RefreshToken"],),
        "Token": (signed_in["RefreshToken"],),
        "IdToken": (signed_in["IdToken"],),
        "GroupName": ("admins",),
        "Password": (PASSWORD,),
        "PreviousPassword": (PASSWORD,),
        "ProposedPassword": ("N3w-Passw0rd!",),
        "IdentityPoolId": (identity_pool["IdentityPoolId"],),
        "IdentityId": (identity_id,),
        "Domain": ("fuzz-domain",),
        "Identifier": ("api",),
        "ProviderName": (provider, "Google"),
        "ResourceArn": (pool_arn,),
    }
    real[MAP_VALUE] = tuple(sorted({value for values in real.values() for value in values}))
    return real
