"""Hosted-login sessions (``State.hosted_sessions``): what the ``cognito`` cookie names. The user is
signed in to the domain, so a later authorize request (any app client of the pool) skips the form.
It lasts an hour, as Cognito's does.

When the pool tracks user sessions, the cookie also stands for an SSO session record on the user
(``idp.user_sessions``): it lasts as long as the pool's clients reuse SSO sessions (at least the hour),
each client reuses it only within its own SSOSession MaxValidityMinutes, and revoking the SSO session
(RevokeUserSession, AdminRevokeUserSession) ends the cookie's sign-in.
"""

from __future__ import annotations

from cognito_emu.env import Env
from cognito_emu.idp import user_sessions
from cognito_emu.idp.models import User, UserPool
from cognito_emu.idp.pool import session_config
from cognito_emu.oauth.authorization_codes import user_of
from cognito_emu.oauth.models import HostedSession

SESSION_SECONDS = 3600.0


def _prune(env: Env) -> None:
    now = env.clock.now()
    sessions = env.state.hosted_sessions
    for sid in [s for s, session in sessions.items() if session.expires < now]:
        del sessions[sid]


def start_session(
    env: Env,
    pool: UserPool,
    user: User,
    auth_time: float,
    *,
    client_id: str,
    user_agent: str,
    ip_address: str | None,
    methods: list[str],
) -> HostedSession:
    _prune(env)
    sso_session_id = user_sessions.start_sso_session(
        env,
        pool,
        user,
        client_id=client_id,
        auth_time=auth_time,
        user_agent=user_agent,
        ip_address=ip_address,
    )
    lifetime = SESSION_SECONDS if sso_session_id is None else session_config.sso_session_seconds(pool)
    session = HostedSession(
        session_id=env.ids.uuid(),
        pool_id=pool.id,
        username=user.username,
        sub=user.sub,
        auth_time=auth_time,
        expires=env.clock.now() + lifetime,
        sso_session_id=sso_session_id,
        methods=list(methods),
    )
    env.state.hosted_sessions[session.session_id] = session
    return session


def signed_in_user(
    env: Env,
    pool: UserPool,
    session_id: str | None,
    client_id: str,
    *,
    user_agent: str,
    ip_address: str | None,
) -> tuple[User, HostedSession] | None:
    """The enabled user a live session cookie of this pool stands for, when ``client_id`` may reuse it
    (from the browser of ``user_agent`` at ``ip_address``); else None."""
    session = env.state.hosted_sessions.get(session_id or "")
    if session is None or session.pool_id != pool.id or env.clock.now() > session.expires:
        return None
    user = user_of(pool, session.username, session.sub)
    if user is None or not user.enabled:
        return None
    if session.sso_session_id is not None and not user_sessions.reusable_sso_session(
        env, pool, user, session.sso_session_id, client_id, user_agent=user_agent, ip_address=ip_address
    ):
        return None
    return user, session


def end_session(env: Env, session_id: str | None) -> None:
    """The logout endpoint: the cookie's sign-in, and its SSO session record, end."""
    session = env.state.hosted_sessions.pop(session_id or "", None)
    pool = env.state.find_pool(session.pool_id) if session is not None else None
    if session is None or pool is None or session.sso_session_id is None:
        return
    user = user_of(pool, session.username, session.sub)
    if user is not None:
        user_sessions.end_sso_session(user, session.sso_session_id)
