"""``GET/POST /oauth2/userInfo``: the signed-in user's attributes for a Bearer access token.

Developer guide, "The user attributes endpoint": a missing token answers 400 ``invalid_request`` ("Bad
OAuth2 request at UserInfo Endpoint"); an expired, revoked or unknown one 401 ``invalid_token``, each also
as a ``WWW-Authenticate`` header. "The openid scope must be one of the access token claims": API tokens
(InitiateAuth's, whose only scope is aws.cognito.signin.user.admin) and M2M tokens are refused as
``invalid_token``, with the description Cognito sends ("Access token does not contain openid scope").

What comes back depends on the token's scopes, by the guide's table: ``openid`` alone gives every attribute
the app client may read; ``profile`` the OIDC profile claims and the custom attributes, ``email`` email and
email_verified, ``phone`` phone_number and phone_number_verified (each within what the client may read);
``sub`` and ``username`` always. aws.cognito.signin.user.admin and custom scopes change nothing. Values are
the stored strings (the guide: email_verified and phone_number_verified come back as strings), and the
body is ``application/json;charset=UTF-8`` as in the guide's example.
"""

from __future__ import annotations

from cognito_emu.env import Env
from cognito_emu.errors import NotAuthorizedException, UserNotFoundException
from cognito_emu.idp import tokens
from cognito_emu.idp.users import attributes
from cognito_emu.oauth import scopes
from cognito_emu.oauth.wire import OAuthRequest, Reply, json_reply

BAD_REQUEST = "Bad OAuth2 request at UserInfo Endpoint"
INVALID_TOKEN = "Access token is expired, disabled, or deleted, or the user has globally signed out."
NO_OPENID = "Access token does not contain openid scope"
CONTENT_TYPE = "application/json;charset=UTF-8"

PROFILE_CLAIMS = frozenset(
    {
        "name",
        "family_name",
        "given_name",
        "middle_name",
        "nickname",
        "preferred_username",
        "profile",
        "picture",
        "website",
        "gender",
        "birthdate",
        "zoneinfo",
        "locale",
        "updated_at",
    }
)
_BY_SCOPE = {
    "email": frozenset({"email", "email_verified"}),
    "phone": frozenset({"phone_number", "phone_number_verified"}),
}


def _error(error: str, description: str, status: int) -> Reply:
    header = f'error="{error}", error_description="{description}"'
    return json_reply(
        {"error": error, "error_description": description}, status, headers={"WWW-Authenticate": header}
    )


def _in_scope(name: str, granted: set[str]) -> bool:
    if "profile" in granted and (name in PROFILE_CLAIMS or name.startswith("custom:")):
        return True
    return any(name in _BY_SCOPE.get(scope, ()) for scope in granted)


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
    if scopes.OPENID not in granted:
        return _error("invalid_token", NO_OPENID, 401)
    readable = attributes.readable(principal.pool, principal.user, principal.client)
    if granted & scopes.NEEDS_OPENID:
        shown = {name: value for name, value in readable.items() if _in_scope(name, granted)}
    else:
        shown = dict(readable)
    shown["sub"] = principal.user.sub
    shown["username"] = principal.user.username
    return json_reply(shown, content_type=CONTENT_TYPE)
