"""Tokens for services rather than sign-ins: GetDerivedToken (token exchange, ``idp.token_exchange``) and
GetClientToken (machine-to-machine, ``idp.client_tokens``)."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.errors import NotAuthorizedException
from cognito_emu.idp import client_tokens, token_exchange, tokens
from cognito_emu.idp.pool import client_auth, clients
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def present_derived_token(derived: token_exchange.DerivedToken) -> dict[str, Any]:
    """GetDerivedToken's members: TokenType Bearer for an access token, N_A for an ID token (RFC 8693)."""
    out: dict[str, Any] = {
        "IssuedToken": derived.token,
        "IssuedTokenType": derived.token_type,
        "TokenType": "Bearer" if derived.token_type == token_exchange.ACCESS_TOKEN else "N_A",
        "ExpiresIn": derived.expires_in,
    }
    if derived.scopes is not None:
        out["Scopes"] = derived.scopes
    return out


def get_derived_token(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, client = clients.find_client(call.env.state, params["ClientId"])
    if client.secrets and not client_auth.secret_matches(client, params.get("ClientSecret")):
        raise NotAuthorizedException(f"Unable to verify secret for client {client.client_id}")
    request = token_exchange.ExchangeRequest(
        subject_token=params["SubjectToken"],
        subject_token_type=params["SubjectTokenType"],
        actor_token=params.get("ActorToken") or None,
        actor_token_type=params.get("ActorTokenType"),
        scopes=params.get("Scopes") or None,
        audiences=list(params.get("Audiences") or []),
        resources=list(params.get("Resources") or []),
        requested_token_type=params.get("RequestedTokenType") or token_exchange.ACCESS_TOKEN,
        third_party=bool(params.get("SubjectTokenProviderName") or params.get("ActorTokenProviderName")),
    )
    derived = token_exchange.derive(
        call.env, pool, client, request, issuer=tokens.issuer(call.env, call.base_url, pool)
    )
    return present_derived_token(derived)


def get_client_token(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, client = clients.find_client(call.env.state, params["ClientId"])
    issued = client_tokens.get_client_token(
        call.env,
        pool,
        client,
        params["Secret"],
        params.get("Scopes") or None,
        issuer=tokens.issuer(call.env, call.base_url, pool),
        trigger_input=call.trigger_input(params),
    )
    return {
        "ClientAuthenticationResult": {
            "AccessToken": issued.access_token,
            "ExpiresIn": issued.expires_in,
            "TokenType": "Bearer",
        }
    }


HANDLERS = {
    "GetDerivedToken": get_derived_token,
    "GetClientToken": get_client_token,
}
