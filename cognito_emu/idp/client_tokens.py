"""Machine-to-machine (M2M) access tokens: GetClientToken, and the token endpoint's client_credentials
grant (``oauth.token``), which issue the same token: ``sub`` and ``client_id`` are the app client, the
scope holds custom scopes only, no ID or refresh token; a V3_0 PreTokenGeneration trigger sees it as
TokenGeneration_ClientCredentials.

GetClientToken (API reference; developer guide "Scopes, M2M, and resource servers", "Obtaining M2M
access tokens with GetClientToken"): the client needs a secret and ALLOW_CLIENT_TOKEN_AUTH, which must be
its only authentication flow (``idp.pool.clients`` enforces that); without Scopes it gets every custom
scope the client is allowed. Chosen here, where the reference names no message: NotAuthorizedException
for a wrong or missing secret, InvalidParameterException for the missing flow and for a scope the
client may not have.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import InvalidParameterException, NotAuthorizedException
from cognito_emu.idp import keys
from cognito_emu.idp.models import AppClient, UserPool
from cognito_emu.idp.pool import client_auth, clients, resource_servers
from cognito_emu.triggers import token_generation
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

FLOW_NOT_ENABLED = f"{clients.CLIENT_TOKEN_AUTH} is not enabled for this client."
SCOPE_NOT_ALLOWED = "Scope {scope} is not allowed for client {client_id}."
NO_CUSTOM_SCOPES = "The client has no custom scopes."


@dataclass(frozen=True, slots=True)
class ClientToken:
    """ClientAuthenticationResultType (and the client_credentials grant's answer)."""

    access_token: str
    expires_in: int


def issue(
    env: Env,
    pool: UserPool,
    client: AppClient,
    scopes: list[str],
    *,
    issuer: str,
    trigger_input: TriggerInput = NO_INPUT,
) -> ClientToken:
    """The M2M access token for ``scopes`` (already checked); ``trigger_input`` goes to PreTokenGeneration."""
    now = int(env.clock.now())
    validity = clients.token_validity_seconds(client)["access"]
    claims: dict[str, Any] = {
        "sub": client.client_id,
        "token_use": "access",
        "scope": " ".join(scopes),
        "auth_time": now,
        "iss": issuer,
        "exp": now + validity,
        "iat": now,
        "version": 2,
        "jti": env.ids.uuid(),
        "client_id": client.client_id,
    }
    token_generation.customize_client_credentials(env, pool, client, claims, trigger_input=trigger_input)
    return ClientToken(keys.sign(pool, claims), validity)


def get_client_token(
    env: Env,
    pool: UserPool,
    client: AppClient,
    secret: str,
    requested: list[str] | None,
    *,
    issuer: str,
    trigger_input: TriggerInput = NO_INPUT,
) -> ClientToken:
    """GetClientToken: the client authenticates with one of its secrets and gets an M2M access token."""
    if not client_auth.secret_matches(client, secret):
        raise NotAuthorizedException(f"Unable to verify secret for client {client.client_id}")
    if clients.CLIENT_TOKEN_AUTH not in clients.allowed_auth_flows(client):
        raise InvalidParameterException(FLOW_NOT_ENABLED)
    allowed = [
        scope
        for scope in client.settings.get("AllowedOAuthScopes") or []
        if resource_servers.find_scope(pool, scope) is not None
    ]
    for scope in requested or []:
        if scope not in allowed:
            raise InvalidParameterException(SCOPE_NOT_ALLOWED.format(scope=scope, client_id=client.client_id))
    granted = list(dict.fromkeys(requested or allowed))
    if not granted:
        raise InvalidParameterException(NO_CUSTOM_SCOPES)
    return issue(env, pool, client, granted, issuer=issuer, trigger_input=trigger_input)
