"""The claims of the ID and access tokens Cognito issues.

Claims follow the developer guide: "Understanding the identity (ID) token"
(https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html)
and "Understanding the access token" (...-using-the-access-token.html). ``idp.tokens`` signs them.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cognito_emu.idp.models import AppClient, User, UserPool
from cognito_emu.idp.users import attributes, memberships
from cognito_emu.idp.users.index import is_true

ADMIN_SCOPE = "aws.cognito.signin.user.admin"

_BOOLEAN_CLAIMS = frozenset({"email_verified", "phone_number_verified"})


def group_claims(pool: UserPool, user: User) -> dict[str, Any]:
    """``cognito:groups`` and, from groups with a RoleArn, ``cognito:roles`` and ``cognito:preferred_role``.

    The preferred role is the one of the group with the lowest Precedence; when groups share that
    precedence with different roles, no role is preferred (developer guide, "Adding groups to a user
    pool": "If the two groups have different role ARNs, the cognito:preferred_role claim isn't set").
    """
    groups = memberships.groups_of(pool, user)
    if not groups:
        return {}
    out: dict[str, Any] = {"cognito:groups": [group.name for group in groups]}
    with_roles = [group for group in groups if group.role_arn]
    if with_roles:
        roles: list[str] = []
        for group in with_roles:
            if group.role_arn not in roles:
                roles.append(group.role_arn)  # type: ignore[arg-type]
        out["cognito:roles"] = roles
        best = with_roles[0].precedence
        preferred = {group.role_arn for group in with_roles if group.precedence == best}
        if len(preferred) == 1:
            out["cognito:preferred_role"] = preferred.pop()
    return out


def _identities_claim(value: str) -> Any:
    """The ``identities`` attribute as the ID token carries it: a list whose ``primary`` and
    ``dateCreated`` are strings ("true", "1642699117273"), where the attribute has a boolean and a number
    (developer guide, "Understanding the identity (ID) token")."""
    try:
        entries = json.loads(value)
    except ValueError:
        return value
    if not isinstance(entries, list):
        return entries
    return [
        {
            k: (("true" if v else "false") if isinstance(v, bool) else str(v)) if k in _STRING_KEYS else v
            for k, v in entry.items()
        }
        if isinstance(entry, dict)
        else entry
        for entry in entries
    ]


_STRING_KEYS = ("primary", "dateCreated")


def attribute_claims(pool: UserPool, user: User, client: AppClient | None) -> dict[str, Any]:
    """The user's attributes as ID-token claims: verified flags as booleans, numbers for Number types."""
    out: dict[str, Any] = {}
    for name, value in attributes.readable(pool, user, client).items():
        if name in _BOOLEAN_CLAIMS:
            out[name] = is_true(value)
        elif name == "identities":
            out[name] = _identities_claim(value)
        elif name == "updated_at" and value.isdigit():
            out[name] = int(value)
        else:
            # Custom attributes are strings in the token whatever their schema type.
            out[name] = value
    return out


def at_hash(access_token: str) -> str:
    """The ID token's ``at_hash`` for ``access_token`` (OpenID Connect Core 3.1.3.6, RS256): the left half
    of its SHA-256, base64url without padding."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


def id_token_claims(
    pool: UserPool,
    client: AppClient,
    user: User,
    *,
    issuer: str,
    issued: int,
    expires: int,
    auth_time: int,
    jti: str,
    origin_jti: str,
    event_id: str,
) -> dict[str, Any]:
    claims: dict[str, Any] = {"sub": user.sub}
    claims.update(group_claims(pool, user))
    claims.update(attribute_claims(pool, user, client))
    claims.update(
        {
            "sub": user.sub,
            "iss": issuer,
            "cognito:username": user.username,
            "origin_jti": origin_jti,
            "aud": client.client_id,
            "event_id": event_id,
            "token_use": "id",
            "auth_time": auth_time,
            "exp": expires,
            "iat": issued,
            "jti": jti,
        }
    )
    return claims


def access_token_claims(
    pool: UserPool,
    client: AppClient,
    user: User,
    *,
    issuer: str,
    issued: int,
    expires: int,
    auth_time: int,
    jti: str,
    origin_jti: str,
    event_id: str,
    scope: str = ADMIN_SCOPE,
    device_key: str | None = None,
) -> dict[str, Any]:
    claims: dict[str, Any] = {"sub": user.sub}
    groups = group_claims(pool, user).get("cognito:groups")
    if groups:
        claims["cognito:groups"] = groups
    if device_key:
        claims["device_key"] = device_key
    claims.update(
        {
            "iss": issuer,
            "client_id": client.client_id,
            "origin_jti": origin_jti,
            "event_id": event_id,
            "token_use": "access",
            "scope": scope,
            "auth_time": auth_time,
            "exp": expires,
            "iat": issued,
            "jti": jti,
            "username": user.username,
        }
    )
    return claims
