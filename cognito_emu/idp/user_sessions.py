"""User sessions as session management tracks them (developer guide, "Managing user sessions"; API
reference ListUserSessions, AdminListUserSessions, RevokeUserSession, AdminRevokeUserSession).

A pool whose UserSessionTracking is ENABLED keeps a record (``SessionRecord``) of two kinds of session:
- a token session (SessionId ``tkn...``): one sign-in of one app client and the refresh tokens it issued
  (``TokenSession``, owned by ``idp.tokens``); refresh and rotation update its LastActiveDate, a new
  sign-in starts a new one;
- an SSO session (``sso...``): a managed-login sign-in, what the hosted login's cookie stands for
  (``SsoSession``); a token session that came through it names it as its OriginSessionId.
With tracking off nothing is recorded, and sessions begun then are never listed.

Only active sessions are listed: revoked and expired ones are not. MaxPerUser is enforced as
UserPoolTokenSessionConfigType says: at the limit, the next sign-in evicts the user's least recently
used token session first; lowering the limit evicts nothing until then. Revoking a token session ends
its refresh and access tokens; revoking an SSO session ends its cookie. LINKED also revokes the
session's links: a token session's SSO session, or an SSO session's token sessions.

Not documented, so chosen here: the listing and revoking operations answer OperationNotEnabledException
while the pool does not track sessions, ResourceNotFoundException for a SessionId that is not one of
the user's active sessions, and InvalidParameterException for RevokeUserSession on its caller's own
session.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cognito_emu.env import Env
from cognito_emu.errors import (
    InvalidParameterException,
    OperationNotEnabledException,
    ResourceNotFoundException,
)
from cognito_emu.idp.models import SessionRecord, SsoSession, TokenSession, User, UserPool, own_dict
from cognito_emu.idp.pool import session_config
from cognito_emu.pagination import paginate

TOKEN = "TOKEN"
SSO = "SSO"
_PREFIX = {TOKEN: "tkn", SSO: "sso"}
# AdminListUserSessions: "all of a user's sessions in a single page of up to 125 sessions".
PAGE_SIZE = 125

NOT_TRACKING = "User session tracking is not enabled for this user pool."
NO_SUCH_SESSION = "Session not found."
OWN_SESSION = "You can't revoke the session that the access token belongs to."

_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Windows", "Windows"),
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iOS"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


@dataclass(frozen=True, slots=True)
class SessionDescription:
    """One active session as the listings describe it (SessionDescriptionType)."""

    session_type: str
    record: SessionRecord
    is_current: bool


def device_type(user_agent: str) -> str:
    """DeviceType from a User-Agent: "<browser>, <system>" for a browser, an SDK's or app's own product
    name otherwise, "unknown" when there is nothing to go on."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), None)
    system = next((name for token, name in _SYSTEMS if token in user_agent), None)
    if browser and system:
        return f"{browser}, {system}"
    product = re.match(r"[^\s/()]+", user_agent.strip())
    return product.group(0)[:1024] if product else "unknown"


def _record(
    env: Env, kind: str, client_id: str, user_agent: str, ip_address: str | None, origin: str | None = None
) -> SessionRecord:
    now = env.clock.now()
    return SessionRecord(
        session_id=env.ids.user_session_id(_PREFIX[kind]),
        client_id=client_id,
        created=now,
        last_active=now,
        device_type=device_type(user_agent),
        origin_session_id=origin,
        ip_address=ip_address,
    )


# -- token sessions ----------------------------------------------------------------------------


def _active_token_sessions(env: Env, user: User) -> Iterator[TokenSession]:
    now = env.clock.now()
    for session in user.sessions.values():
        if session.tracking is not None and not session.revoked and now <= session.expires:
            yield session


def track_token_session(
    env: Env,
    pool: UserPool,
    user: User,
    session: TokenSession,
    *,
    user_agent: str,
    ip_address: str | None,
    sso_session_id: str | None,
) -> None:
    """A sign-in's new token session gets its record when the pool tracks sessions, after the user's
    least recently used token sessions make room under MaxPerUser."""
    if not session_config.tracking_enabled(pool):
        return
    active = sorted(_active_token_sessions(env, user), key=_last_active)
    for evicted in active[: max(0, len(active) - session_config.max_token_sessions(pool) + 1)]:
        evicted.revoked = True
    live_sso = sso_session_id if sso_session_id in user.sso_sessions else None
    session.tracking = _record(env, TOKEN, session.client_id, user_agent, ip_address, live_sso)


def _last_active(session: TokenSession) -> float:
    assert session.tracking is not None
    return session.tracking.last_active


def touch_token_session(
    env: Env, user: User, session: TokenSession, user_agent: str, ip_address: str | None
) -> None:
    """A refresh or rotation: the session's (and its SSO session's) LastActiveDate, and its DeviceType
    and LastIPAddress (kept when the request names no address)."""
    if session.tracking is None:
        return
    now = env.clock.now()
    _touch(session.tracking, now, user_agent, ip_address)
    sso = user.sso_sessions.get(session.tracking.origin_session_id or "")
    if sso is not None:
        sso.record.last_active = now


def _touch(record: SessionRecord, now: float, user_agent: str, ip_address: str | None) -> None:
    """Activity on a session: SessionDescriptionType's LastActiveDate, and DeviceType and LastIPAddress,
    which Cognito "overwrites" with the most recent activity's (the address is kept when the request
    names none)."""
    record.last_active = now
    record.device_type = device_type(user_agent)
    record.ip_address = ip_address or record.ip_address


# -- SSO sessions ------------------------------------------------------------------------------


def start_sso_session(
    env: Env,
    pool: UserPool,
    user: User,
    *,
    client_id: str,
    auth_time: float,
    user_agent: str,
    ip_address: str | None,
) -> str | None:
    """A managed-login sign-in's SSO session record, when the pool tracks sessions: its SessionId."""
    if not session_config.tracking_enabled(pool):
        return None
    _forget_expired_sso_sessions(env, pool, user)
    record = _record(env, SSO, client_id, user_agent, ip_address)
    user.sso_sessions = own_dict(user.sso_sessions)
    user.sso_sessions[record.session_id] = SsoSession(record=record, auth_time=auth_time)
    return record.session_id


def _sso_alive(env: Env, pool: UserPool, sso: SsoSession) -> bool:
    return env.clock.now() <= sso.auth_time + session_config.sso_session_seconds(pool)


def _forget_expired_sso_sessions(env: Env, pool: UserPool, user: User) -> None:
    for sso_id in [i for i, sso in user.sso_sessions.items() if not _sso_alive(env, pool, sso)]:
        del user.sso_sessions[sso_id]


def reusable_sso_session(
    env: Env,
    pool: UserPool,
    user: User,
    sso_session_id: str,
    client_id: str,
    *,
    user_agent: str,
    ip_address: str | None,
) -> bool:
    """Whether a cookie's SSO session still stands (not revoked, not expired) and ``client_id`` may
    silently sign the user in with it: within the client's SSOSession MaxValidityMinutes of the user's
    last fresh authentication (0: never). Reusing it is activity by the browser that holds the cookie:
    LastActiveDate, DeviceType and LastIPAddress follow it."""
    sso = user.sso_sessions.get(sso_session_id)
    if sso is None or not _sso_alive(env, pool, sso):
        return False
    now = env.clock.now()
    reuse = session_config.sso_reuse_seconds(pool, client_id)
    if reuse == 0 or now - sso.auth_time > reuse:
        return False
    _touch(sso.record, now, user_agent, ip_address)
    return True


def end_sso_session(user: User, sso_session_id: str) -> None:
    """The logout endpoint: the cookie's SSO session ends with it."""
    user.sso_sessions.pop(sso_session_id, None)


# -- listing and revoking ----------------------------------------------------------------------


def _require_tracking(pool: UserPool) -> None:
    if not session_config.tracking_enabled(pool):
        raise OperationNotEnabledException(NOT_TRACKING)


def list_sessions(
    env: Env, pool: UserPool, user: User, next_token: str | None, current: TokenSession | None = None
) -> tuple[list[SessionDescription], str | None]:
    """The user's active token and SSO sessions, oldest first; ``current`` is the caller's own token
    session (ListUserSessions), None for AdminListUserSessions."""
    _require_tracking(pool)
    described = [
        SessionDescription(TOKEN, session.tracking, session is current)
        for session in _active_token_sessions(env, user)
        if session.tracking is not None
    ]
    described += [
        SessionDescription(SSO, sso.record, False)
        for sso in user.sso_sessions.values()
        if _sso_alive(env, pool, sso)
    ]
    described.sort(key=_position)
    return paginate(described, _position, PAGE_SIZE, next_token)


def _position(description: SessionDescription) -> str:
    return f"{description.record.created:020.6f}:{description.record.session_id}"


def revoke_session(
    env: Env,
    pool: UserPool,
    user: User,
    session_id: str,
    *,
    linked: bool,
    current: TokenSession | None = None,
) -> None:
    """End one of the user's active sessions, and with ``linked`` the sessions linked to it; ``current``
    (RevokeUserSession's caller) may not be the one named."""
    _require_tracking(pool)
    token_sessions = {s.tracking.session_id: s for s in _active_token_sessions(env, user) if s.tracking}
    target = token_sessions.get(session_id)
    if target is not None:
        if target is current:
            raise InvalidParameterException(OWN_SESSION)
        target.revoked = True
        if linked and target.tracking is not None:
            user.sso_sessions.pop(target.tracking.origin_session_id or "", None)
        return
    sso = user.sso_sessions.get(session_id)
    if sso is None or not _sso_alive(env, pool, sso):
        raise ResourceNotFoundException(NO_SUCH_SESSION)
    del user.sso_sessions[session_id]
    if linked:
        for session in token_sessions.values():
            if session.tracking is not None and session.tracking.origin_session_id == session_id:
                session.revoked = True
