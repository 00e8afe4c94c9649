"""Token exchange (RFC 8693): GetDerivedToken and the token endpoint's token-exchange grant trade a
user's token (the subject token) for a narrower one bound to one downstream service (developer guide,
"Exchanging tokens for downstream services"; API reference, GetDerivedToken).

- The requesting app client needs ALLOW_TOKEN_EXCHANGE_IMPERSONATION in its ExplicitAuthFlows, or
  ALLOW_TOKEN_EXCHANGE_DELEGATION when an actor token comes along; the pool needs the Essentials or
  Plus feature plan; a client with a secret must present it.
- The subject token is an access or ID token this pool issued to a user (signature, expiry, and the
  sign-in session behind it not revoked). The issued token speaks for that user, keeps the subject's
  auth_time and origin_jti (so GlobalSignOut and revoking the refresh token end it too), and comes with
  no refresh token.
- An actor token (the intermediary: a user's or an M2M client's token of the pool) adds the ``act``
  claim ``{"sub": ..., "client_id": ...}``, nesting the subject's own ``act`` when it had one.
- Scopes: the intersection of those asked for (default: the subject token's), the subject token's and
  the client's AllowedOAuthScopes. Audiences or Resources (a resource server identifier of the pool),
  not both and one at most, set the ``aud`` claim.

Chosen here, where the reference names no error: InvalidParameterException for a flow the client may
not use, both or several targets, an unknown resource server, no scope left; OperationNotEnabledException
for a Lite pool; NotAuthorizedException for a subject or actor token that does not check out. SAML2 and
third-party (ProviderName) tokens are not accepted, and the PreTokenGeneration trigger does not run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    OperationNotEnabledException,
    UserNotFoundException,
)
from cognito_emu.idp import claims, keys
from cognito_emu.idp.models import AppClient, User, UserPool
from cognito_emu.idp.pool import clients, resource_servers
from cognito_emu.idp.users import directory

ACCESS_TOKEN = "ACCESS_TOKEN"
ID_TOKEN = "ID_TOKEN"
SAML2 = "SAML2"
IMPERSONATION = "ALLOW_TOKEN_EXCHANGE_IMPERSONATION"
DELEGATION = "ALLOW_TOKEN_EXCHANGE_DELEGATION"
FLOWS = (IMPERSONATION, DELEGATION)
_TOKEN_USE = {ACCESS_TOKEN: "access", ID_TOKEN: "id"}

LITE_POOL = "Token exchange is available in the Essentials and Plus feature plans only."
FLOW_NOT_ENABLED = "{flow} is not enabled for this client."
ONLY_OWN_TOKENS = (
    "cognito-emu exchanges only ID and access tokens of this user pool, not SAML2 or third-party tokens."
)
ACTOR_TYPE_MISSING = "ActorTokenType is required with ActorToken."
BOTH_TARGETS = "You can't request both Audiences and Resources."
ONE_TARGET = "Request one audience or one resource."
UNKNOWN_RESOURCE = "Resource {resource} is not a resource server of this user pool."
TARGET_ERRORS = frozenset({BOTH_TARGETS, ONE_TARGET})
NO_SCOPE = "None of the requested scopes is allowed."
INVALID_TOKEN = "Invalid {role} token"
EXPIRED_TOKEN = "{role} token has expired"
REVOKED_TOKEN = "{role} token has been revoked"


@dataclass(frozen=True, slots=True)
class ExchangeRequest:
    """GetDerivedToken's parameters (the token endpoint's, translated)."""

    subject_token: str
    subject_token_type: str
    actor_token: str | None = None
    actor_token_type: str | None = None
    # None: the subject token's scopes.
    scopes: list[str] | None = None
    audiences: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    requested_token_type: str = ACCESS_TOKEN
    third_party: bool = False


@dataclass(frozen=True, slots=True)
class DerivedToken:
    token: str
    token_type: str
    expires_in: int
    # The access token's granted scopes; None for an ID token.
    scopes: list[str] | None


def derive(
    env: Env, pool: UserPool, client: AppClient, request: ExchangeRequest, *, issuer: str
) -> DerivedToken:
    """The issued token of one exchange, or Cognito's error (the client's secret already checked)."""
    if pool.settings.get("UserPoolTier") == "LITE":
        raise OperationNotEnabledException(LITE_POOL)
    flow = DELEGATION if request.actor_token else IMPERSONATION
    if flow not in clients.allowed_auth_flows(client):
        raise InvalidParameterException(FLOW_NOT_ENABLED.format(flow=flow))
    if request.third_party or SAML2 in (request.subject_token_type, request.actor_token_type):
        raise InvalidParameterException(ONLY_OWN_TOKENS)
    if request.actor_token and not request.actor_token_type:
        raise InvalidParameterException(ACTOR_TYPE_MISSING)
    audience = _audience(pool, request)
    user, subject = _subject(env, pool, request.subject_token, request.subject_token_type)
    act = None
    if request.actor_token and request.actor_token_type:
        act = _actor(env, pool, request.actor_token, request.actor_token_type)
        if isinstance(subject.get("act"), dict):
            act["act"] = subject["act"]
    elif isinstance(subject.get("act"), dict):
        act = subject["act"]
    now = int(env.clock.now())
    validity = clients.token_validity_seconds(client)
    auth_time = int(subject.get("auth_time", now))
    origin_jti = str(subject.get("origin_jti") or env.ids.uuid())
    event_id = str(subject.get("event_id") or env.ids.uuid())
    granted = None
    if request.requested_token_type == ID_TOKEN:
        issued = claims.id_token_claims(
            pool,
            client,
            user,
            issuer=issuer,
            issued=now,
            expires=now + validity["id"],
            auth_time=auth_time,
            jti=env.ids.uuid(),
            origin_jti=origin_jti,
            event_id=event_id,
        )
    else:
        granted = _scopes(pool, client, subject, request.scopes)
        issued = claims.access_token_claims(
            pool,
            client,
            user,
            issuer=issuer,
            issued=now,
            expires=now + validity["access"],
            auth_time=auth_time,
            jti=env.ids.uuid(),
            origin_jti=origin_jti,
            event_id=event_id,
            scope=" ".join(granted),
        )
    if audience is not None:
        issued["aud"] = audience
    if act is not None:
        issued["act"] = act
    kind = request.requested_token_type
    return DerivedToken(keys.sign(pool, issued), kind, validity[_TOKEN_USE[kind]], granted)


def _audience(pool: UserPool, request: ExchangeRequest) -> str | None:
    if request.audiences and request.resources:
        raise InvalidParameterException(BOTH_TARGETS)
    targets = request.audiences or request.resources
    if len(targets) > 1:
        raise InvalidParameterException(ONE_TARGET)
    if request.resources and request.resources[0] not in pool.resource_servers:
        raise InvalidParameterException(UNKNOWN_RESOURCE.format(resource=request.resources[0]))
    return targets[0] if targets else None


def _checked(env: Env, pool: UserPool, token: str, kind: str, role: str) -> dict[str, Any]:
    """A token of this pool of the given kind, its signature and expiry checked."""
    try:
        unverified = keys.unverified_claims(token)
        if not str(unverified.get("iss", "")).endswith(f"/{pool.id}"):
            raise keys.InvalidToken(role)
        verified = keys.verify(pool, token, now=env.clock.now())
    except keys.ExpiredToken:
        raise NotAuthorizedException(EXPIRED_TOKEN.format(role=role.capitalize())) from None
    except keys.InvalidToken:
        raise NotAuthorizedException(INVALID_TOKEN.format(role=role.capitalize())) from None
    if verified.get("token_use") != _TOKEN_USE[kind]:
        raise NotAuthorizedException(INVALID_TOKEN.format(role=role.capitalize()))
    return verified


def _subject(env: Env, pool: UserPool, token: str, kind: str) -> tuple[User, dict[str, Any]]:
    verified = _checked(env, pool, token, kind, "subject")
    username = verified.get("username" if kind == ACCESS_TOKEN else "cognito:username")
    if not isinstance(username, str):
        raise NotAuthorizedException(INVALID_TOKEN.format(role="Subject"))
    user = pool.users.get(directory.user_key(pool, username))
    if user is None or user.sub != verified.get("sub"):
        raise UserNotFoundException(directory.USER_NOT_FOUND)
    session = user.sessions.get(str(verified.get("origin_jti")))
    if session is None or session.revoked:
        raise NotAuthorizedException(REVOKED_TOKEN.format(role="Subject"))
    directory.refuse_disabled(user)
    return user, verified


def _actor(env: Env, pool: UserPool, token: str, kind: str) -> dict[str, Any]:
    verified = _checked(env, pool, token, kind, "actor")
    act: dict[str, Any] = {"sub": verified.get("sub")}
    client_id = verified.get("client_id") or verified.get("aud")
    if isinstance(client_id, str):
        act["client_id"] = client_id
    return act


def _scopes(
    pool: UserPool, client: AppClient, subject: dict[str, Any], requested: list[str] | None
) -> list[str]:
    allowed = set(client.settings.get("AllowedOAuthScopes") or [])
    allowed = {s for s in allowed if s in clients.STANDARD_SCOPES or resource_servers.find_scope(pool, s)}
    held = str(subject.get("scope") or "").split() if "scope" in subject else None
    wanted = list(dict.fromkeys(requested if requested else held or sorted(allowed)))
    granted = [s for s in wanted if s in allowed and (held is None or s in held)]
    if not granted:
        raise InvalidParameterException(NO_SCOPE)
    return granted
