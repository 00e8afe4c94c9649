"""OAuth entities kept in the global indexes ``State.oauth_codes`` and ``State.hosted_sessions``
(persisted with --data-dir, like challenge sessions; not exported)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class AuthorizationCode:
    """An authorization code not yet redeemed, and what the token endpoint checks it against."""

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
    # The SSO session (idp.user_sessions) the code came through, when the pool tracks user sessions.
    sso_session_id: str | None = None
    # The acr and amr claims of a sign-in that asked for an authentication level (idp.signin.step_up).
    acr: str | None = None
    amr: list[str] | None = None


@dataclass(slots=True)
class HostedSession:
    """What the hosted login's ``cognito`` cookie names: a user signed in to the pool's domain."""

    session_id: str
    pool_id: str
    username: str
    sub: str
    auth_time: float
    expires: float
    # Its SSO session record on the user (idp.user_sessions) when the pool tracks user sessions.
    sso_session_id: str | None = None
    # The amr methods the sign-in proved (idp.signin.step_up): an acr_values request checks them.
    methods: list[str] = field(default_factory=list)
