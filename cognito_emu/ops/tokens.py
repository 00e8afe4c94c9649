"""Token operations: GetTokensFromRefreshToken, RevokeToken, GlobalSignOut, AdminUserGlobalSignOut."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.errors import (
    NotAuthorizedException,
    UnauthorizedException,
)
from cognito_emu.idp import tokens
from cognito_emu.idp.pool import client_auth, clients
from cognito_emu.idp.pool.pools import get_user_pool
from cognito_emu.idp.users import directory
from cognito_emu.ops.presenters import authentication_result
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def get_tokens_from_refresh_token(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, client = clients.find_client(call.env.state, params["ClientId"])
    if client.secrets and not client_auth.secret_matches(client, params.get("ClientSecret")):
        raise NotAuthorizedException(f"Unable to verify secret for client {client.client_id}")
    issued = tokens.refresh(
        call.env,
        pool,
        client,
        params["RefreshToken"],
        issuer=tokens.issuer(call.env, call.base_url, pool),
        device_key=params.get("DeviceKey"),
        user_agent=call.user_agent,
        ip_address=call.source_ip,
        trigger_input=call.trigger_input(params),
    )
    return {"AuthenticationResult": authentication_result(issued)}


def revoke_token(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, client = clients.find_client(call.env.state, params["ClientId"])
    if client.secrets and not client_auth.secret_matches(client, params.get("ClientSecret")):
        raise UnauthorizedException("Client authentication failed.")
    tokens.revoke(call.env, pool, client, params["Token"])
    return {}


def global_sign_out(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    principal = tokens.authenticate(call.env, params["AccessToken"])
    tokens.global_sign_out(principal.user)
    return {}


def admin_user_global_sign_out(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    tokens.global_sign_out(directory.get_user(pool, params["Username"]))
    return {}


HANDLERS = {
    "GetTokensFromRefreshToken": get_tokens_from_refresh_token,
    "RevokeToken": revoke_token,
    "GlobalSignOut": global_sign_out,
    "AdminUserGlobalSignOut": admin_user_global_sign_out,
}
