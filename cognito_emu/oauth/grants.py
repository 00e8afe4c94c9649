"""Authorization codes and hosted-login sessions, kept in the global indexes ``State.oauth_codes`` and
``State.hosted_sessions`` (persisted with --data-dir, like challenge sessions; not exported).

- A code is good once, for five minutes by the emulator's clock ("The response returns a one time use
  code that is valid for five minutes", developer guide, "Authorize endpoint"). Redeeming consumes it
  whatever the outcome, so a retry answers ``invalid_grant``.
- A hosted session is what the ``cognito`` cookie names: the user signed in to the domain, so a later
  authorize request (any app client of the pool) skips the form. It lasts an hour, as Cognito's does.
"""

from __future__ import annotations

from dataclasses import dataclass

from cognito_emu.env import Env
from cognito_emu.idp import directory
from cognito_emu.idp.models import AppClient, User, UserPool

CODE_SECONDS = 300.0
SESSION_SECONDS = 3600.0


@dataclass(slots=True)
class AuthorizationCode:
    code: str
    pool_id: str
    client_id: str
    username: str
    sub: str
    redirect_uri: str
    scopes: list[str]
    auth_time: float
    expires: float
    nonce: str | None = None
    code_challenge: str | None = None
    code_challenge_method: str | None = None


@dataclass(slots=True)
class HostedSession:
    session_id: str
    pool_id: str
    username: str
    sub: str
    auth_time: float
    expires: float


def _prune(env: Env) -> None:
    now = env.clock.now()
    state = env.state
    for code in [c for c, grant in state.oauth_codes.items() if grant.expires < now]:
        del state.oauth_codes[code]
    for sid in [s for s, session in state.hosted_sessions.items() if session.expires < now]:
        del state.hosted_sessions[sid]


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


def start_session(env: Env, pool: UserPool, user: User, auth_time: float) -> HostedSession:
    _prune(env)
    session = HostedSession(
        session_id=env.ids.uuid(),
        pool_id=pool.id,
        username=user.username,
        sub=user.sub,
        auth_time=auth_time,
        expires=env.clock.now() + SESSION_SECONDS,
    )
    env.state.hosted_sessions[session.session_id] = session
    return session


def signed_in_user(env: Env, pool: UserPool, session_id: str | None) -> tuple[User, HostedSession] | None:
    """The enabled user a live session cookie of this pool stands for, else None."""
    session = env.state.hosted_sessions.get(session_id or "")
    if session is None or session.pool_id != pool.id or env.clock.now() > session.expires:
        return None
    user = user_of(pool, session.username, session.sub)
    if user is None or not user.enabled:
        return None
    return user, session


def end_session(env: Env, session_id: str | None) -> None:
    env.state.hosted_sessions.pop(session_id or "", None)
