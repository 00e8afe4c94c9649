"""ID, access and refresh tokens as Cognito issues them, and the checks every token-taking operation runs.

ID and access tokens carry the claims of ``idp.claims`` and are RS256 JWTs signed with the pool key
(``idp.keys``); the refresh token is opaque, shaped like Cognito's five-part JWE, and stands for a
``TokenSession`` kept on the user.

One sign-in makes one session; every token issued from it (and from refreshing it) carries the
session's ``origin_jti``. Revoking the session (RevokeToken, GlobalSignOut) revokes them all:
"When you revoke a refresh token, all access tokens that were previously issued by that refresh
token become invalid" (developer guide, "Revoking tokens"). Sessions live on the user, so deleting a
user ends them, and state export/import carries them; ``State.refresh_tokens`` finds a session from
its refresh token without scanning.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import (
    NotAuthorizedException,
    RefreshTokenReuseException,
    UnsupportedOperationException,
    UnsupportedTokenTypeException,
    UserNotFoundException,
)
from cognito_emu.idp import claims, keys, user_sessions
from cognito_emu.idp.models import AppClient, TokenSession, TokenSessions, User, UserPool
from cognito_emu.idp.pool import clients
from cognito_emu.idp.users import directory
from cognito_emu.triggers import token_generation
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

INVALID_ACCESS_TOKEN = "Invalid Access Token"
EXPIRED_ACCESS_TOKEN = "Access Token has expired"
REVOKED_ACCESS_TOKEN = "Access Token has been revoked"
INVALID_REFRESH_TOKEN = "Invalid Refresh Token"
REVOKED_REFRESH_TOKEN = "Refresh Token has been revoked"
EXPIRED_REFRESH_TOKEN = "Refresh Token has expired"
REFRESH_TOKEN_REUSED = "Refresh token has been reused."

# An access token lives at most a day: a session is kept that long past its refresh token's expiry,
# so "revoked" stays distinguishable from "expired" for every token it issued.
_MAX_ACCESS_VALIDITY = 86400

_REFRESH_HEADER = base64.urlsafe_b64encode(
    json.dumps({"cty": "JWT", "enc": "A256GCM", "alg": "RSA-OAEP"}, separators=(",", ":")).encode()
).rstrip(b"=")

@dataclass(frozen=True, slots=True)
class IssuedTokens:
    """The tokens one sign-in or refresh hands out (AuthenticationResultType, the token endpoint's
    answer); a refresh without rotation issues no refresh token."""

    access_token: str
    id_token: str
    expires_in: int
    refresh_token: str | None = None


@dataclass(slots=True)
class Principal:
    """Who an access token speaks for, once every check has passed."""

    pool: UserPool
    client: AppClient
    user: User
    session: TokenSession
    claims: dict[str, Any]


# The issuer_base setting that issues AWS's own form, https://cognito-idp.<region>.amazonaws.com/<poolId>.
AWS_ISSUER = "aws"


def issuer(env: Env, base_url: str, pool: UserPool) -> str:
    """``<issuer_base or the URL the client called>/<poolId>``; with issuer_base ``aws``, AWS's per-region
    form for code that checks the issuer literally."""
    base = env.config.issuer_base or base_url
    if base == AWS_ISSUER:
        base = f"https://cognito-idp.{pool.region}.amazonaws.com"
    return f"{base.rstrip('/')}/{pool.id}"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def new_refresh_token(env: Env) -> str:
    """An opaque token shaped like Cognito's: a JWE compact serialization of five base64url parts."""
    parts = [
        env.ids.token_bytes(256),
        env.ids.token_bytes(12),
        env.ids.token_bytes(512),
        env.ids.token_bytes(16),
    ]
    return ".".join([_REFRESH_HEADER.decode(), *(_b64url(p) for p in parts)])


# -- issuing -----------------------------------------------------------------------------------


def _token_sessions(user: User) -> TokenSessions:
    """The user's sessions as a TokenSessions of its own: a new one in place of the shared vacant dict,
    or of the plain dict an import or ``--data-dir`` gave back (its heap is built once, here)."""
    sessions = user.sessions
    if not isinstance(sessions, TokenSessions):
        sessions = user.sessions = TokenSessions(sessions)
    return sessions


def _prune_sessions(env: Env, user: User) -> None:
    """Forget the user's sessions that expired more than a day ago, and their refresh tokens. Each sign-in
    does it, looking only at the sessions it drops: none at all while nothing has expired."""
    if not user.sessions:
        return
    for session in _token_sessions(user).pop_expired(env.clock.now(), _MAX_ACCESS_VALIDITY):
        for token in session.refresh_tokens:
            env.state.refresh_tokens.pop(token, None)


def _start_session(
    env: Env,
    pool: UserPool,
    client: AppClient,
    user: User,
    auth_time: float,
    scope: str,
    *,
    user_agent: str,
    ip_address: str | None,
    sso_session_id: str | None,
) -> TokenSession:
    _prune_sessions(env, user)
    token = new_refresh_token(env)
    session = TokenSession(
        origin_jti=env.ids.uuid(),
        client_id=client.client_id,
        auth_time=auth_time,
        expires=env.clock.now() + clients.token_validity_seconds(client)["refresh"],
        refresh_tokens={token: None},
        scope=scope,
    )
    user_sessions.track_token_session(
        env, pool, user, session, user_agent=user_agent, ip_address=ip_address, sso_session_id=sso_session_id
    )
    _token_sessions(user).add(session)
    env.state.refresh_tokens[token] = (pool.id, directory.user_key(pool, user.username), session.origin_jti)
    return session


def session_of(env: Env, pool: UserPool, refresh_token: str) -> TokenSession | None:
    """The sign-in session a refresh token of this pool belongs to, or None."""
    address = env.state.refresh_tokens.get(refresh_token)
    if address is None or address[0] != pool.id:
        return None
    user = pool.users.get(address[1])
    return user.sessions.get(address[2]) if user is not None else None


def authentication_result(
    env: Env,
    pool: UserPool,
    client: AppClient,
    user: User,
    *,
    issuer: str,
    auth_time: float | None = None,
    refresh_token: str | None = None,
    scope: str = claims.ADMIN_SCOPE,
    device_key: str | None = None,
    trigger_source: str | None = None,
    trigger_input: TriggerInput = NO_INPUT,
    nonce: str | None = None,
    user_agent: str = "",
    ip_address: str | None = None,
    sso_session_id: str | None = None,
    oauth_endpoint: bool = False,
    acr: str | None = None,
    amr: list[str] | None = None,
) -> IssuedTokens:
    """The tokens of a sign-in, or for a refresh when ``refresh_token`` is given.

    A sign-in starts a session and returns a new RefreshToken. A refresh (the caller has run
    ``user_from_refresh_token``) returns none, and its tokens keep the session's origin_jti, auth_time and
    scope. ``nonce`` (the OAuth authorize request's) goes into the ID token. ``user_agent``, ``ip_address``
    and ``sso_session_id`` (the managed-login SSO session it came through) feed the session's record when
    the pool tracks user sessions (``idp.user_sessions``).
    The pool's PreTokenGeneration trigger sees ``trigger_source`` (TokenGeneration_RefreshTokens for a
    refresh, TokenGeneration_Authentication for a sign-in when not given) and ``trigger_input`` (the
    ClientMetadata and User-Agent of an API call; the OAuth endpoints hand none, and their browser's
    ``user_agent`` goes to the session record only).
    Tokens for the OAuth endpoints (``oauth_endpoint``: the authorization code and implicit grants, a
    refresh at /oauth2/token) are as Cognito's hosted login issues them: the access token carries
    ``"version": 2`` and the ID token ``at_hash``.
    The sign-in's ``amr`` methods are kept on its session (a later step-up credits them); a sign-in that
    asked for an authentication level (``acr``) puts both claims in its tokens and every refresh of them
    (developer guide, "ACR and AMR token claims"), where PreTokenGeneration cannot change them.
    """
    now = env.clock.now()
    session: TokenSession | None = None
    if refresh_token is not None:
        session = session_of(env, pool, refresh_token)
        if session is None:
            raise NotAuthorizedException(INVALID_REFRESH_TOKEN)
        scope = session.scope or scope
        user_sessions.touch_token_session(env, user, session, user_agent, ip_address)
    else:
        session = _start_session(
            env,
            pool,
            client,
            user,
            now if auth_time is None else auth_time,
            scope,
            user_agent=user_agent,
            ip_address=ip_address,
            sso_session_id=sso_session_id,
        )
        session.acr, session.amr = acr, amr
        session.oauth = oauth_endpoint
    validity = clients.token_validity_seconds(client)
    issued = int(now)
    auth = int(session.auth_time)
    event_id = env.ids.uuid()
    access = claims.access_token_claims(
        pool,
        client,
        user,
        issuer=issuer,
        issued=issued,
        expires=issued + validity["access"],
        auth_time=auth,
        jti=env.ids.uuid(),
        origin_jti=session.origin_jti,
        event_id=event_id,
        scope=scope,
        device_key=device_key,
    )
    id_claims = claims.id_token_claims(
        pool,
        client,
        user,
        issuer=issuer,
        issued=issued,
        expires=issued + validity["id"],
        auth_time=auth,
        jti=env.ids.uuid(),
        origin_jti=session.origin_jti,
        event_id=event_id,
    )
    if nonce:
        id_claims["nonce"] = nonce
    if oauth_endpoint:
        access["version"] = 2
    if trigger_source is None:
        refreshing = refresh_token is not None
        trigger_source = token_generation.REFRESH_TOKENS if refreshing else token_generation.AUTHENTICATION
    token_generation.customize(
        env,
        pool,
        client,
        user,
        id_claims,
        access,
        trigger_source=trigger_source,
        trigger_input=trigger_input,
    )
    if session.acr is not None:
        for token_claims in (access, id_claims):
            token_claims["acr"], token_claims["amr"] = session.acr, list(session.amr or [])
    access_token = keys.sign(pool, access)
    if oauth_endpoint:
        id_claims["at_hash"] = claims.at_hash(access_token)
    return IssuedTokens(
        access_token=access_token,
        id_token=keys.sign(pool, id_claims),
        expires_in=validity["access"],
        refresh_token=next(iter(session.refresh_tokens)) if refresh_token is None else None,
    )


# -- refresh tokens ----------------------------------------------------------------------------


def rotation(client: AppClient) -> dict[str, Any] | None:
    """The client's RefreshTokenRotation when it is ENABLED, else None."""
    setting = client.settings.get("RefreshTokenRotation") or {}
    return setting if setting.get("Feature") == "ENABLED" else None


def user_from_refresh_token(
    env: Env, pool: UserPool, client: AppClient, refresh_token: str
) -> tuple[User, float]:
    """The user a refresh token was issued to and the auth_time of its sign-in, or Cognito's error."""
    address = env.state.refresh_tokens.get(refresh_token)
    if address is None or address[0] != pool.id:
        raise NotAuthorizedException(INVALID_REFRESH_TOKEN)
    user = pool.users.get(address[1])
    if user is None:
        raise UserNotFoundException(directory.USER_NOT_FOUND)
    session = user.sessions.get(address[2])
    if session is None or session.client_id != client.client_id:
        raise NotAuthorizedException(INVALID_REFRESH_TOKEN)
    directory.refuse_disabled(user)
    if session.revoked:
        raise NotAuthorizedException(REVOKED_REFRESH_TOKEN)
    now = env.clock.now()
    if now > session.expires:
        raise NotAuthorizedException(EXPIRED_REFRESH_TOKEN)
    rotated_at = session.refresh_tokens.get(refresh_token)
    if rotated_at is not None:
        grace = int((rotation(client) or {}).get("RetryGracePeriodSeconds") or 0)
        if now > rotated_at + grace:
            raise RefreshTokenReuseException(REFRESH_TOKEN_REUSED)
    return user, session.auth_time


def refresh(
    env: Env,
    pool: UserPool,
    client: AppClient,
    refresh_token: str,
    *,
    issuer: str,
    device_key: str | None = None,
    user_agent: str = "",
    ip_address: str | None = None,
    oauth_endpoint: bool = False,
    trigger_input: TriggerInput = NO_INPUT,
) -> IssuedTokens:
    """GetTokensFromRefreshToken: new ID and access tokens, and with RefreshTokenRotation a new refresh token.

    With rotation the submitted token stays usable for RetryGracePeriodSeconds, then answers
    RefreshTokenReuseException (RefreshTokenRotationType); the new token gets a full lifetime.
    ``trigger_input`` carries GetTokensFromRefreshToken's ClientMetadata and User-Agent to PreTokenGeneration
    (its API reference: the action "invokes the Lambda function the pre token generation trigger"); a refresh
    through the token endpoint brings none (InitiateAuth's REFRESH_TOKEN_AUTH goes through the sign-in, whose
    reference names Pre token generation among the triggers it invokes without ClientMetadata).
    """
    user, _ = user_from_refresh_token(env, pool, client, refresh_token)
    if rotation(client) is None:
        return authentication_result(
            env,
            pool,
            client,
            user,
            issuer=issuer,
            refresh_token=refresh_token,
            device_key=device_key,
            user_agent=user_agent,
            ip_address=ip_address,
            oauth_endpoint=oauth_endpoint,
            trigger_input=trigger_input,
        )
    session = session_of(env, pool, refresh_token)
    assert session is not None
    now = env.clock.now()
    if session.refresh_tokens.get(refresh_token) is None:
        session.refresh_tokens[refresh_token] = now
    new_token = new_refresh_token(env)
    session.refresh_tokens[new_token] = None
    _token_sessions(user).reschedule(session, now + clients.token_validity_seconds(client)["refresh"])
    env.state.refresh_tokens[new_token] = env.state.refresh_tokens[refresh_token]
    issued = authentication_result(
        env,
        pool,
        client,
        user,
        issuer=issuer,
        refresh_token=new_token,
        device_key=device_key,
        user_agent=user_agent,
        ip_address=ip_address,
        oauth_endpoint=oauth_endpoint,
        trigger_input=trigger_input,
    )
    return dataclasses.replace(issued, refresh_token=new_token)


REVOCATION_DISABLED = "Token revocation is not enabled for this app client."
ONLY_REFRESH_TOKENS = "Unsupported token type: only refresh tokens can be revoked."


def revoke(env: Env, pool: UserPool, client: AppClient, token: str) -> None:
    """RevokeToken and the revocation endpoint: end the session behind one of the client's refresh
    tokens, and with it every access token issued from it. A token the server does not know (or
    another client's) is answered with success, as RFC 7009 asks; an ID or access token is refused."""
    if client.settings.get("EnableTokenRevocation") is False:
        raise UnsupportedOperationException(REVOCATION_DISABLED)
    if token.count(".") == 2:
        raise UnsupportedTokenTypeException(ONLY_REFRESH_TOKENS)
    revoke_refresh_token(env, pool, client, token)


def revoke_refresh_token(env: Env, pool: UserPool, client: AppClient, refresh_token: str) -> bool:
    """RevokeToken: end the session behind a refresh token of this client. False when it is not one."""
    session = session_of(env, pool, refresh_token)
    if session is None or session.client_id != client.client_id:
        return False
    session.revoked = True
    return True


def global_sign_out(user: User) -> None:
    """GlobalSignOut / AdminUserGlobalSignOut: every token issued to the user so far stops working."""
    for session in user.sessions.values():
        session.revoked = True


def forget_user(env: Env, user: User) -> None:
    """Drop the index entries of a user's refresh tokens (the user is being deleted)."""
    for session in user.sessions.values():
        for token in session.refresh_tokens:
            env.state.refresh_tokens.pop(token, None)


# -- access tokens -----------------------------------------------------------------------------


def authenticate(env: Env, access_token: str) -> Principal:
    """Check an access token as every operation that takes one does; the pool comes from its client_id."""
    try:
        unverified = keys.unverified_claims(access_token)
    except keys.InvalidToken:
        raise NotAuthorizedException(INVALID_ACCESS_TOKEN) from None
    client_id = unverified.get("client_id")
    pool = env.state.find_pool_by_client(client_id) if isinstance(client_id, str) else None
    if pool is None or not str(unverified.get("iss", "")).endswith(f"/{pool.id}"):
        raise NotAuthorizedException(INVALID_ACCESS_TOKEN)
    try:
        claims = keys.verify(pool, access_token, now=env.clock.now())
    except keys.ExpiredToken:
        raise NotAuthorizedException(EXPIRED_ACCESS_TOKEN) from None
    except keys.InvalidToken:
        raise NotAuthorizedException(INVALID_ACCESS_TOKEN) from None
    if claims.get("token_use") != "access" or not isinstance(claims.get("username"), str):
        raise NotAuthorizedException(INVALID_ACCESS_TOKEN)
    client = pool.clients[client_id]  # type: ignore[index]
    user = pool.users.get(directory.user_key(pool, claims["username"]))
    if user is None or user.sub != claims.get("sub"):
        raise UserNotFoundException(directory.USER_NOT_FOUND)
    # A disabled user's tokens are revoked too (AdminDisableUser); while it stays disabled, that is the answer.
    directory.refuse_disabled(user)
    session = user.sessions.get(str(claims.get("origin_jti")))
    if session is None or session.revoked:
        raise NotAuthorizedException(REVOKED_ACCESS_TOKEN)
    return Principal(pool=pool, client=client, user=user, session=session, claims=claims)
