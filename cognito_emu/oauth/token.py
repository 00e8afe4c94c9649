"""``POST /oauth2/token``: one function per grant_type (house rule 6).

Developer guide, "Token endpoint": form-encoded body; the client authenticates with
client_secret_basic or client_secret_post (``client_auth``), a public client names itself with
``client_id``. Answers ``{access_token, id_token, refresh_token, token_type: "Bearer", expires_in}``
(the authorization code grant), ``{access_token, id_token, ...}`` for ``refresh_token`` (a new
refresh token only with RefreshTokenRotation), ``{access_token, token_type, expires_in}`` for
``client_credentials``. An ID token only when the grant's scopes include ``openid``.

Errors are JSON ``{"error": ...}``: ``invalid_request`` (a missing parameter, not a form body),
``invalid_client`` (HTTP 401), ``invalid_grant`` (a code unknown, used, expired or for another client, a
PKCE verifier that does not match; a refresh token revoked, expired or unknown), ``unauthorized_client``
(the client may not use the grant; a redirect_uri other than the authorize request's, as Cognito answers it), ``unsupported_grant_type``, ``invalid_scope``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import (
    CognitoError,
    NotAuthorizedException,
    OperationNotEnabledException,
    RefreshTokenReuseException,
    UserNotFoundException,
)
from cognito_emu.idp import client_tokens, token_exchange, tokens
from cognito_emu.idp.models import AppClient, UserPool
from cognito_emu.oauth import authorization_codes, client_auth, pkce, scopes
from cognito_emu.oauth.errors import OAuthError
from cognito_emu.oauth.wire import OAuthRequest, Reply, json_reply
from cognito_emu.triggers import token_generation
from cognito_emu.triggers.events import TriggerInput

FORM = "application/x-www-form-urlencoded"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

Grant = Callable[[Env, OAuthRequest, UserPool, AppClient], dict[str, Any]]


def _required(request: OAuthRequest, name: str) -> str:
    value = request.form.get(name)
    if not value:
        raise OAuthError("invalid_request", f"missing {name}")
    return value


def _allowed(client: AppClient, flow: str) -> None:
    if not client.settings.get("AllowedOAuthFlowsUserPoolClient") or flow not in (
        client.settings.get("AllowedOAuthFlows") or []
    ):
        raise OAuthError("unauthorized_client", f"the client may not use the {flow} flow")


def _tokens_body(issued: tokens.IssuedTokens, with_id_token: bool) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if with_id_token:
        body["id_token"] = issued.id_token
    body["access_token"] = issued.access_token
    if issued.refresh_token:
        body["refresh_token"] = issued.refresh_token
    body["expires_in"] = issued.expires_in
    body["token_type"] = "Bearer"
    return body


def authorization_code(env: Env, request: OAuthRequest, pool: UserPool, client: AppClient) -> dict[str, Any]:
    _allowed(client, "code")
    code = _required(request, "code")
    redirect_uri = _required(request, "redirect_uri")
    grant = authorization_codes.redeem_code(env, code)
    if grant is None or grant.pool_id != pool.id or grant.client_id != client.client_id:
        raise OAuthError("invalid_grant", "the code is unknown, used, expired or another client's")
    if grant.redirect_uri != redirect_uri:
        raise OAuthError("unauthorized_client", "redirect_uri differs from the authorize request's")
    if grant.code_challenge is not None:
        verifier = request.form.get("code_verifier")
        if not verifier:
            raise OAuthError("invalid_request", "missing code_verifier (the code was issued with PKCE)")
        if not pkce.verify(grant.code_challenge, grant.code_challenge_method or "", verifier):
            raise OAuthError("invalid_grant", "code_verifier does not match code_challenge")
    user = authorization_codes.user_of(pool, grant.username, grant.sub)
    if user is None or not user.enabled:
        raise OAuthError("invalid_grant", "the user is gone or disabled")
    issued = tokens.authentication_result(
        env,
        pool,
        client,
        user,
        issuer=tokens.issuer(env, request.base_url, pool),
        auth_time=grant.auth_time,
        scope=" ".join(grant.scopes),
        trigger_source=token_generation.HOSTED_AUTH,
        nonce=grant.nonce,
        user_agent=request.user_agent,
        ip_address=request.source_ip,
        oauth_endpoint=True,
        sso_session_id=grant.sso_session_id,
        acr=grant.acr,
        amr=grant.amr,
    )
    return _tokens_body(issued, scopes.OPENID in grant.scopes)


def refresh_token(env: Env, request: OAuthRequest, pool: UserPool, client: AppClient) -> dict[str, Any]:
    token = _required(request, "refresh_token")
    session = tokens.session_of(env, pool, token)
    # An API sign-in's session always had an ID token; an OAuth grant's only with openid, and so do its
    # refreshes ("Because openid scope was not requested, Amazon Cognito doesn't return an ID token").
    with_id_token = not (session and session.oauth) or scopes.OPENID in (session.scope or "").split()
    try:
        issued = tokens.refresh(
            env,
            pool,
            client,
            token,
            issuer=tokens.issuer(env, request.base_url, pool),
            user_agent=request.user_agent,
            ip_address=request.source_ip,
            oauth_endpoint=True,
        )
    except (NotAuthorizedException, UserNotFoundException, RefreshTokenReuseException) as error:
        raise OAuthError("invalid_grant", error.message) from None
    return _tokens_body(issued, with_id_token)


def client_credentials(env: Env, request: OAuthRequest, pool: UserPool, client: AppClient) -> dict[str, Any]:
    """An M2M access token: custom scopes only, ``sub`` is the client id, no ID or refresh token."""
    if not client.secrets:
        raise OAuthError("unauthorized_client", "client_credentials needs a client with a secret")
    _allowed(client, "client_credentials")
    try:
        granted = scopes.granted(pool, client, request.form.get("scope"), custom_only=True)
    except scopes.ScopeError as error:
        raise OAuthError("invalid_scope", str(error)) from None
    if not granted:
        raise OAuthError("invalid_scope", "the client has no custom scopes")
    issued = client_tokens.issue(
        env,
        pool,
        client,
        granted,
        issuer=tokens.issuer(env, request.base_url, pool),
        trigger_input=TriggerInput(client_metadata=_client_metadata(request)),
    )
    return {"access_token": issued.access_token, "expires_in": issued.expires_in, "token_type": "Bearer"}


def _client_metadata(request: OAuthRequest) -> dict[str, str]:
    """``aws_client_metadata``: a JSON object the V3_0 trigger gets as ``request.clientMetadata``."""
    raw = request.form.get("aws_client_metadata")
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise OAuthError("invalid_request", "aws_client_metadata must be a JSON object")
    return {str(k): str(v) for k, v in data.items()}


TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
# RFC 8693 token type identifiers <-> GetDerivedToken's token types.
TOKEN_TYPES = {
    "urn:ietf:params:oauth:token-type:access_token": token_exchange.ACCESS_TOKEN,
    "urn:ietf:params:oauth:token-type:id_token": token_exchange.ID_TOKEN,
    "urn:ietf:params:oauth:token-type:saml2": token_exchange.SAML2,
}
TOKEN_TYPE_URNS = {kind: urn for urn, kind in TOKEN_TYPES.items()}


def _token_type(request: OAuthRequest, name: str) -> str | None:
    urn = request.form.get(name)
    if urn is None:
        return None
    if urn not in TOKEN_TYPES:
        raise OAuthError("invalid_request", f"unsupported {name} {urn}")
    return TOKEN_TYPES[urn]


def token_exchange_grant(
    env: Env, request: OAuthRequest, pool: UserPool, client: AppClient
) -> dict[str, Any]:
    """RFC 8693: the GetDerivedToken exchange with the endpoint's parameters; the issued token (an ID
    token too) comes as ``access_token``, with ``issued_token_type`` and no refresh token."""
    subject_token = _required(request, "subject_token")
    subject_type = _token_type(request, "subject_token_type")
    if subject_type is None:
        raise OAuthError("invalid_request", "missing subject_token_type")
    form = request.form
    exchange = token_exchange.ExchangeRequest(
        subject_token=subject_token,
        subject_token_type=subject_type,
        actor_token=form.get("actor_token") or None,
        actor_token_type=_token_type(request, "actor_token_type"),
        scopes=(form.get("scope") or "").split() or None,
        audiences=[form["audience"]] if form.get("audience") else [],
        resources=[form["resource"]] if form.get("resource") else [],
        requested_token_type=_token_type(request, "requested_token_type") or token_exchange.ACCESS_TOKEN,
    )
    try:
        derived = token_exchange.derive(
            env, pool, client, exchange, issuer=tokens.issuer(env, request.base_url, pool)
        )
    except CognitoError as error:
        raise OAuthError(_exchange_error(error), error.message) from None
    body: dict[str, Any] = {
        "access_token": derived.token,
        "issued_token_type": TOKEN_TYPE_URNS[derived.token_type],
        "token_type": "Bearer" if derived.token_type == token_exchange.ACCESS_TOKEN else "N_A",
        "expires_in": derived.expires_in,
    }
    if derived.scopes is not None:
        body["scope"] = " ".join(derived.scopes)
    return body


def _exchange_error(error: CognitoError) -> str:
    """RFC 8693's error code for a refused exchange."""
    refused_flows = {token_exchange.FLOW_NOT_ENABLED.format(flow=f) for f in token_exchange.FLOWS}
    if isinstance(error, (NotAuthorizedException, UserNotFoundException)):
        return "invalid_grant"
    if isinstance(error, OperationNotEnabledException) or error.message in refused_flows:
        return "unauthorized_client"
    if error.message == token_exchange.NO_SCOPE:
        return "invalid_scope"
    if error.message in token_exchange.TARGET_ERRORS or error.message.startswith(
        token_exchange.UNKNOWN_RESOURCE.partition("{")[0]
    ):
        return "invalid_target"
    return "invalid_request"


GRANTS: dict[str, Grant] = {
    "authorization_code": authorization_code,
    "refresh_token": refresh_token,
    "client_credentials": client_credentials,
    TOKEN_EXCHANGE: token_exchange_grant,
}


def check_form(request: OAuthRequest) -> None:
    if request.method != "POST" or not request.content_type.lower().startswith(FORM):
        raise OAuthError("invalid_request", f"the body must be {FORM}")


def token(env: Env, request: OAuthRequest) -> Reply:
    check_form(request)
    grant_type = request.form.get("grant_type")
    if not grant_type:
        raise OAuthError("invalid_request", "missing grant_type")
    pool, client = client_auth.authenticate(request, env.state.find_pool_by_client)
    grant = GRANTS.get(grant_type)
    if grant is None:
        raise OAuthError("unsupported_grant_type", f"unknown grant_type {grant_type}")
    return json_reply(grant(env, request, pool, client), headers=dict(NO_STORE))
