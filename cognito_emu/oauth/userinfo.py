"""``GET/POST /oauth2/userInfo``: the signed-in user's attributes for a Bearer access token.

Developer guide, "UserInfo endpoint": a missing token answers 400 ``invalid_request`` ("Bad OAuth2
request at UserInfo Endpoint"); an expired, revoked or unknown one 401 ``invalid_token``, each also as
a ``WWW-Authenticate`` header. What comes back depends on the token's scopes (developer guide, "Scopes"):
``sub`` and ``username`` always, ``email`` -> email and email_verified, ``phone`` -> phone_number and
phone_number_verified, ``profile`` or ``aws.cognito.signin.user.admin`` -> every attribute the app
client may read. Values are the stored strings.
"""

from __future__ import annotations

from cognito_emu.env import Env
from cognito_emu.errors import NotAuthorizedException, UserNotFoundException
from cognito_emu.idp import claims, tokens
from cognito_emu.idp.users import attributes
from cognito_emu.oauth.wire import OAuthRequest, Reply, json_reply

BAD_REQUEST = "Bad OAuth2 request at UserInfo Endpoint"
INVALID_TOKEN = "Access token is expired, disabled, or deleted, or the user has globally signed out."

_BY_SCOPE = {
    "email": ("email", "email_verified"),
    "phone": ("phone_number", "phone_number_verified"),
}
_ALL_READABLE = frozenset({"profile", claims.ADMIN_SCOPE})


def _error(error: str, description: str, status: int) -> Reply:
    header = f'error="{error}", error_description="{description}"'
    return json_reply(
        {"error": error, "error_description": description}, status, headers={"WWW-Authenticate": header}
    )


def userinfo(env: Env, request: OAuthRequest) -> Reply:
    scheme, _, token = (request.authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _error("invalid_request", BAD_REQUEST, 400)
    try:
        principal = tokens.authenticate(env, token.strip())
    except (NotAuthorizedException, UserNotFoundException):
        return _error("invalid_token", INVALID_TOKEN, 401)
    if request.pool is not None and principal.pool.id != request.pool.id:
        return _error("invalid_token", INVALID_TOKEN, 401)
    granted = set(str(principal.claims.get("scope", "")).split())
    readable = attributes.readable(principal.pool, principal.user, principal.client)
    if granted & _ALL_READABLE:
        shown = dict(readable)
    else:
        names = {name for scope in granted for name in _BY_SCOPE.get(scope, ())}
        shown = {name: value for name, value in readable.items() if name in names}
    shown["sub"] = principal.user.sub
    shown["username"] = principal.user.username
    return json_reply(shown)
