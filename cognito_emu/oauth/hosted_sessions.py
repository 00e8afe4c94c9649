"""Hosted-login sessions (``State.hosted_sessions``): what the ``cognito`` cookie names. The user is
signed in to the domain, so a later authorize request (any app client of the pool) skips the form.
It lasts an hour, as Cognito's does.
"""

from __future__ import annotations

from cognito_emu.env import Env
from cognito_emu.idp.models import User, UserPool
from cognito_emu.oauth.authorization_codes import user_of
from cognito_emu.oauth.models import HostedSession

SESSION_SECONDS = 3600.0


def _prune(env: Env) -> None:
    now = env.clock.now()
    sessions = env.state.hosted_sessions
    for sid in [s for s, session in sessions.items() if session.expires < now]:
        del sessions[sid]


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
