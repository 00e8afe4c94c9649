"""Turning answered calls into usage: which user of which pool an operation concerned, and how.

Called at the edge with what the call asked and answered (the AWS endpoint and ``/oauth2/token``), under
the state lock, so the domain needs no bookkeeping of its own. Only successful calls count.
"""

from __future__ import annotations

import json
from typing import Any

from cognito_emu import jws
from cognito_emu.env import Env
from cognito_emu.idp.keys import InvalidToken, unverified_claims
from cognito_emu.idp.models import UserPool
from cognito_emu.idp.users.directory import find_user
from cognito_emu.usage import log
from cognito_emu.usage.log import Activity

REFRESH_FLOWS = frozenset({"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"})

# Operations on a named user (UserPoolId + Username) that Cognito counts: admin create and update,
# password changes, attribute updates and queries.
ADMIN_USER_OPERATIONS = frozenset(
    {
        "AdminCreateUser",
        "AdminGetUser",
        "AdminUpdateUserAttributes",
        "AdminDeleteUserAttributes",
        "AdminSetUserPassword",
        "AdminResetUserPassword",
        "AdminConfirmSignUp",
    }
)
# Operations a signed-in user makes with their access token.
ACCESS_TOKEN_OPERATIONS = frozenset(
    {
        "GetUser",
        "UpdateUserAttributes",
        "DeleteUserAttributes",
        "ChangePassword",
        "VerifyUserAttribute",
        "GetUserAttributeVerificationCode",
        "SetUserMFAPreference",
        "SetUserSettings",
    }
)
# The token endpoint's user grants (a token exchange, for one, is other activity).
GRANT_ACTIVITY = {"authorization_code": Activity.SIGN_IN, "refresh_token": Activity.REFRESH}
# Unsigned operations naming the user by ClientId + Username.
CLIENT_USER_OPERATIONS = {"ConfirmSignUp": Activity.SIGN_UP, "ConfirmForgotPassword": Activity.OTHER}


def _token_user(env: Env, token: Any, activity: Activity) -> None:
    """Record the user (or, for a client-credentials token, the client) a token was issued to."""
    if not isinstance(token, str):
        return
    try:
        # The payload as it is: only two claims are read, so no cached copy is copied again.
        claims = jws.claims(token)
    except jws.MalformedToken:
        return
    pool = env.state.find_pool(str(claims.get("iss", "")).rsplit("/", 1)[-1])
    sub = claims.get("sub")
    if pool is None or not isinstance(sub, str):
        return
    log.record_user(pool.usage, sub, activity, env.clock.now())


def _named_user(env: Env, pool_id: Any, username: Any, activity: Activity) -> None:
    pool = env.state.find_pool(pool_id) if isinstance(pool_id, str) else None
    if pool is None or not isinstance(username, str):
        return
    user = find_user(pool, username)
    if user is not None:
        log.record_user(pool.usage, user.sub, activity, env.clock.now())


def operation(env: Env, name: str, params: dict[str, Any], result: dict[str, Any] | None) -> None:
    """Count a successful cognito-idp operation (``result`` is None for those that answer nothing)."""
    result = result or {}
    tokens = result.get("AuthenticationResult")
    if isinstance(tokens, dict):
        refreshing = name == "GetTokensFromRefreshToken" or params.get("AuthFlow") in REFRESH_FLOWS
        _token_user(env, tokens.get("AccessToken"), Activity.REFRESH if refreshing else Activity.SIGN_IN)
    elif name == "SignUp":
        pool = env.state.find_pool_by_client(params.get("ClientId", ""))
        sub = result.get("UserSub")
        if pool is not None and isinstance(sub, str):
            log.record_user(pool.usage, sub, Activity.SIGN_UP, env.clock.now())
    elif name in ADMIN_USER_OPERATIONS:
        _named_user(env, params.get("UserPoolId"), params.get("Username"), Activity.OTHER)
    elif name in ACCESS_TOKEN_OPERATIONS:
        _token_user(env, params.get("AccessToken"), Activity.OTHER)
    elif name == "GetClientToken":
        # The API's client-credentials grant: M2M, like the token endpoint's.
        pool = env.state.find_pool_by_client(params.get("ClientId", ""))
        if pool is not None:
            log.record_m2m(pool.usage, params["ClientId"], env.clock.now())
    elif name in CLIENT_USER_OPERATIONS:
        pool = env.state.find_pool_by_client(params.get("ClientId", ""))
        if pool is not None:
            _named_user(env, pool.id, params.get("Username"), CLIENT_USER_OPERATIONS[name])


def token_endpoint(env: Env, grant_type: str | None, status: int, body: str) -> None:
    """Count a ``POST /oauth2/token`` answer: client credentials apart, the other grants per user."""
    if status != 200:
        return
    try:
        answer = json.loads(body)
        claims = unverified_claims(answer["access_token"])
    except (ValueError, KeyError, TypeError, InvalidToken):
        return
    if grant_type == "client_credentials":
        pool = env.state.find_pool(str(claims.get("iss", "")).rsplit("/", 1)[-1])
        client_id = claims.get("client_id")
        if pool is not None and isinstance(client_id, str):
            log.record_m2m(pool.usage, client_id, env.clock.now())
        return
    _token_user(env, answer["access_token"], GRANT_ACTIVITY.get(grant_type or "", Activity.OTHER))


def hosted_page(env: Env, pool: UserPool, sub: str, activity: Activity) -> None:
    """Count what a user did through the hosted pages (a sign-in, a sign-up, a password reset): they call
    the domain directly, so no answered operation reaches ``operation``."""
    log.record_user(pool.usage, sub, activity, env.clock.now())
