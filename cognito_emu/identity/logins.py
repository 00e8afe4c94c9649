"""Validating a ``Logins`` map: provider name -> token, to the user each token stands for.

Rules by provider name (GetId's ``Logins``):

- ``cognito-idp.<region>.amazonaws.com/<userPoolId>``: an ID token of a user pool of THIS emulator.
  The provider must be one of the pool's ``CognitoIdentityProviders``; the token must carry the user
  pool's signature, ``token_use`` ``id``, an ``exp`` in the future by the emulator's clock, an ``iss``
  ending in ``/<userPoolId>`` (the emulator's URL or the AWS form) and an ``aud`` that is a
  ``ClientId`` configured for that provider. With ``ServerSideTokenCheck`` the user must still exist
  and be enabled and the token's sign-in session must not be revoked. The user is the token's ``sub``.
- ``cognito-identity.amazonaws.com``: an OpenID token this emulator's identity service signed for the
  pool (the developer-authenticated flow); it stands for the identity in its ``sub``.
- The social providers (``graph.facebook.com``, ``accounts.google.com``, ``www.amazon.com``,
  ``appleid.apple.com``, ``api.twitter.com``, ``www.digits.com``): accepted when the pool lists the
  provider in ``SupportedLoginProviders``. The emulator cannot ask those services who a token
  belongs to, so a token is an opaque user id: the ``sub`` claim when the token is a JWT, otherwise
  the token string itself.
- A SAML provider ARN listed in ``SamlProviderARNs``: the user is the assertion's ``NameID`` (the
  whole assertion when none can be read). Signatures are not checked.
- Any other name is an OpenID Connect issuer host, accepted when the pool lists
  ``arn:aws:iam::<account>:oidc-provider/<host>`` in ``OpenIdConnectProviderARNs``. The token's
  ``iss`` (without ``https://``) must equal the host and its ``exp`` lie in the future; the user is
  its ``sub``. The emulator cannot reach external JWKS endpoints, so the signature is NOT checked and
  ``aud`` is not compared with the IAM provider's client ids (IAM is not emulated).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import NotAuthorizedException
from cognito_emu.identity import openid
from cognito_emu.identity.models import IdentityPool
from cognito_emu.idp import keys
from cognito_emu.idp.users import directory

SOCIAL_PROVIDERS = frozenset(
    {
        "graph.facebook.com",
        "accounts.google.com",
        "www.amazon.com",
        "appleid.apple.com",
        "api.twitter.com",
        "www.digits.com",
    }
)
COGNITO_IDENTITY = "cognito-identity.amazonaws.com"

NOT_SUPPORTED = "Token is not from a supported provider of this identity pool."
INVALID = "Invalid login token. Not a valid OpenId Connect identity token."
BAD_SIGNATURE = "Invalid login token. Couldn't verify signed token."
WRONG_ISSUER = "Invalid login token. Issuer doesn't match providerName"
WRONG_AUDIENCE = "Invalid login token. Incorrect token audience."
REVOKED = "Invalid login token. Token has been revoked."

_NAME_ID = re.compile(r"<(?:\w+:)?NameID\b[^>]*>([^<]+)</(?:\w+:)?NameID>")


@dataclass(slots=True)
class Login:
    """One validated login."""

    provider: str
    user: str
    claims: dict[str, Any] = field(default_factory=dict)
    # The RoleMappings key that applies: "<provider>:<client id>" for user pools, else the provider.
    mapping_key: str = ""
    # True for an identity-service OpenID token: it names an identity rather than a user.
    identity_token: bool = False


def expired(now: float, exp: Any) -> NotAuthorizedException:
    return NotAuthorizedException(f"Invalid login token. Token expired: {int(now)} >= {exp}")


def validate(env: Env, pool: IdentityPool, logins: dict[str, str]) -> list[Login]:
    """Every login of the map, checked; the first bad one raises NotAuthorizedException."""
    return [validate_one(env, pool, provider, token) for provider, token in logins.items()]


def validate_one(env: Env, pool: IdentityPool, provider: str, token: str) -> Login:
    if provider.startswith("cognito-idp.") and "/" in provider:
        return _user_pool_login(env, pool, provider, token)
    local_pool_id = _local_user_pool(env, provider)
    if local_pool_id is not None:
        region = local_pool_id.split("_", 1)[0]
        return _user_pool_login(
            env, pool, f"cognito-idp.{region}.amazonaws.com/{local_pool_id}", token, issuer=provider
        )
    if provider == COGNITO_IDENTITY:
        return _identity_login(env, pool, token)
    if provider in SOCIAL_PROVIDERS:
        if provider not in (pool.settings.get("SupportedLoginProviders") or {}):
            raise NotAuthorizedException(NOT_SUPPORTED)
        return _opaque_login(provider, token)
    if provider in (pool.settings.get("SamlProviderARNs") or []):
        return Login(provider, _saml_user(token), mapping_key=provider)
    if provider == pool.developer_provider:
        # Developer users sign in through GetOpenIdTokenForDeveloperIdentity, never with GetId.
        raise NotAuthorizedException(NOT_SUPPORTED)
    return _oidc_login(env, pool, provider, token)


def _local_user_pool(env: Env, provider: str) -> str | None:
    """The user pool of this emulator that ``provider`` names by its issuer, as Amplify names it.

    Amplify (and other clients) build the Logins key from the ID token's ``iss`` without its scheme. On
    AWS that is the provider name ``cognito-idp.<region>.amazonaws.com/<poolId>``; the emulator's issuer
    is its own URL, so the key arrives as ``127.0.0.1:9229/<poolId>`` and stands for that provider.
    """
    host, _, pool_id = provider.rpartition("/")
    if not host:
        return None
    return pool_id if env.state.find_pool(pool_id) is not None else None


def _user_pool_login(
    env: Env, pool: IdentityPool, provider: str, token: str, issuer: str | None = None
) -> Login:
    """``issuer``: the provider named by the tokens' issuer (without the scheme) instead of its name."""
    configured = [
        p for p in pool.settings.get("CognitoIdentityProviders") or [] if p["ProviderName"] == provider
    ]
    if not configured:
        raise NotAuthorizedException(NOT_SUPPORTED)
    user_pool_id = provider.rsplit("/", 1)[1]
    user_pool = env.state.find_pool(user_pool_id)
    if user_pool is None:
        raise NotAuthorizedException(BAD_SIGNATURE)
    try:
        claims = keys.verify(user_pool, token)
    except keys.InvalidToken:
        raise NotAuthorizedException(BAD_SIGNATURE) from None
    if claims.get("token_use") != "id":
        raise NotAuthorizedException(INVALID)
    now = env.clock.now()
    exp = claims.get("exp")
    if not isinstance(exp, (int, float)) or now >= exp:
        raise expired(now, exp)
    iss = str(claims.get("iss", ""))
    if not iss.endswith(f"/{user_pool_id}") or (issuer is not None and iss.split("://", 1)[-1] != issuer):
        raise NotAuthorizedException(WRONG_ISSUER)
    audience = claims.get("aud")
    matching = [p for p in configured if p.get("ClientId") in (None, audience)]
    if not matching:
        raise NotAuthorizedException(WRONG_AUDIENCE)
    if any(p.get("ServerSideTokenCheck") for p in matching) and _revoked(user_pool, claims):
        raise NotAuthorizedException(REVOKED)
    return Login(provider, str(claims.get("sub")), claims, mapping_key=f"{provider}:{audience}")


def _revoked(user_pool: Any, claims: dict[str, Any]) -> bool:
    sub = claims.get("sub")
    user = directory.user_by_sub(user_pool, sub) if isinstance(sub, str) else None
    if user is None or not user.enabled:
        return True
    session = user.sessions.get(claims.get("origin_jti", "")) if hasattr(user, "sessions") else None
    return bool(session is not None and session.revoked)


def _identity_login(env: Env, pool: IdentityPool, token: str) -> Login:
    try:
        claims = openid.verify(env, pool, token)
    except openid.InvalidOpenIdToken:
        raise NotAuthorizedException(BAD_SIGNATURE) from None
    now = env.clock.now()
    if now >= claims["exp"]:
        raise expired(now, claims["exp"])
    if claims.get("aud") != pool.id:
        raise NotAuthorizedException(WRONG_AUDIENCE)
    return Login(
        COGNITO_IDENTITY, str(claims["sub"]), claims, mapping_key=COGNITO_IDENTITY, identity_token=True
    )


def _opaque_login(provider: str, token: str) -> Login:
    try:
        claims = keys.unverified_claims(token)
    except keys.InvalidToken:
        claims = {}
    user = claims.get("sub") if isinstance(claims.get("sub"), str) else None
    return Login(provider, user or token, claims, mapping_key=provider)


def _saml_user(assertion: str) -> str:
    try:
        text = base64.b64decode(assertion, validate=False).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        text = assertion
    match = _NAME_ID.search(text)
    return match.group(1).strip() if match else assertion


def _oidc_login(env: Env, pool: IdentityPool, provider: str, token: str) -> Login:
    arns = pool.settings.get("OpenIdConnectProviderARNs") or []
    if not any(arn.endswith(f":oidc-provider/{provider}") for arn in arns):
        raise NotAuthorizedException(NOT_SUPPORTED)
    try:
        claims = keys.unverified_claims(token)
    except keys.InvalidToken:
        raise NotAuthorizedException(INVALID) from None
    issuer = str(claims.get("iss", ""))
    if issuer.removeprefix("https://").rstrip("/") != provider.rstrip("/"):
        raise NotAuthorizedException(WRONG_ISSUER)
    now = env.clock.now()
    exp = claims.get("exp")
    if not isinstance(exp, (int, float)) or now >= exp:
        raise expired(now, exp)
    if not claims.get("sub"):
        raise NotAuthorizedException(INVALID)
    return Login(provider, str(claims["sub"]), claims, mapping_key=provider)
