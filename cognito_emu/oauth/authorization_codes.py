"""Authorization codes of the hosted login (``State.oauth_codes``).

A code is good once, for five minutes by the emulator's clock ("The response returns a one time use
code that is valid for five minutes", developer guide, "Authorize endpoint"). Redeeming consumes it
whatever the outcome, so a retry answers ``invalid_grant``.
"""

from __future__ import annotations

from cognito_emu.env import Env
from cognito_emu.idp.models import AppClient, User, UserPool
from cognito_emu.idp.users import directory
from cognito_emu.oauth.models import AuthorizationCode

CODE_SECONDS = 300.0


def _prune(env: Env) -> None:
    now = env.clock.now()
    codes = env.state.oauth_codes
    for code in [c for c, grant in codes.items() if grant.expires < now]:
        del codes[code]


def issue_code(
    env: Env,
    pool: UserPool,
    client: AppClient,
    user: User,
    *,
    redirect_uri: str,
    scopes: list[str],
    auth_time: float,
    nonce: str | None,
    code_challenge: str | None,
    code_challenge_method: str | None,
    sso_session_id: str | None = None,
    acr: str | None = None,
    amr: list[str] | None = None,
) -> str:
    _prune(env)
    code = env.ids.uuid()
    env.state.oauth_codes[code] = AuthorizationCode(
        code=code,
        pool_id=pool.id,
        client_id=client.client_id,
        username=user.username,
        sub=user.sub,
        redirect_uri=redirect_uri,
        scopes=list(scopes),
        auth_time=auth_time,
        expires=env.clock.now() + CODE_SECONDS,
        nonce=nonce,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
        sso_session_id=sso_session_id,
        acr=acr,
        amr=amr,
    )
    return code


def redeem_code(env: Env, code: str) -> AuthorizationCode | None:
    """The grant behind ``code``, consumed; None when it is unknown, used already or expired."""
    grant = env.state.oauth_codes.pop(code, None)
    if grant is None or env.clock.now() > grant.expires:
        return None
    return grant


def user_of(pool: UserPool, username: str, sub: str) -> User | None:
    """The user a code or session was made for, unless it was deleted (or its name reused) meanwhile."""
    user = pool.users.get(directory.user_key(pool, username))
    return user if user is not None and user.sub == sub else None
