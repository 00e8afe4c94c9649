"""Challenge sessions: the opaque ``Session`` string that links a sign-in challenge to its answer.

A session is random (drawn from ``env.ids``), recorded in the global index ``State.sessions`` (so the
unsigned RespondToAuthChallenge finds its pool without scanning), valid for the app client's
AuthSessionValidity minutes (3 when unset) by the emulator's clock, and good for one successful
answer. Cognito's messages, as clients see them:

- an unknown session: NotAuthorizedException "Invalid session for the user."
- an expired one: NotAuthorizedException "Invalid session for the user, session is expired."
- one already answered: NotAuthorizedException "Invalid session for the user, session can only be used once."

A PASSWORD_VERIFIER challenge also carries a SECRET_BLOCK. pycognito answers without the Session, so
the block names its session: it is base64 of the session id, a separator and random bytes, and an
answer is only accepted when the whole block matches the one issued.

A challenge that sent a code (SMS_MFA, EMAIL_OTP, SMS_OTP) keeps it on its session; a wrong code is
CodeMismatchException "Invalid code or auth state for the user." and may be retried on the same
session, five times at most.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from cognito_emu.env import Env
from cognito_emu.errors import CodeMismatchException, NotAuthorizedException
from cognito_emu.idp.models import AppClient, ChallengeSession

INVALID = "Invalid session for the user."
EXPIRED = "Invalid session for the user, session is expired."
USED = "Invalid session for the user, session can only be used once."
CODE_MISMATCH = "Invalid code or auth state for the user."
MAX_WRONG_CODES = 5

DEFAULT_VALIDITY_MINUTES = 3
# Expired sessions are kept this long (to answer "expired" rather than "invalid"), then forgotten.
_KEEP_AFTER_EXPIRY = 3600.0
_SEPARATOR = b"|"


def validity_seconds(client: AppClient) -> float:
    minutes = client.settings.get("AuthSessionValidity") or DEFAULT_VALIDITY_MINUTES
    return float(minutes) * 60.0


def _new_id(env: Env) -> str:
    # Cognito's sessions are long base64 blobs; 96 random bytes make 128 characters.
    return base64.b64encode(env.ids.token_bytes(96)).decode()


def open_session(
    env: Env,
    client: AppClient,
    username: str | None,
    challenge: str,
    *,
    signed_in_as: str | None = None,
    auth_time: float | None = None,
) -> ChallengeSession:
    """A new session for ``challenge``, recorded in the global index."""
    now = env.clock.now()
    _forget_stale(env, now)
    session = ChallengeSession(
        session_id=_new_id(env),
        pool_id=client.user_pool_id,
        client_id=client.client_id,
        username=username,
        challenge=challenge,
        expires=now + validity_seconds(client),
        auth_time=auth_time,
        signed_in_as=signed_in_as,
    )
    env.state.sessions[session.session_id] = session
    return session


def next_challenge(env: Env, client: AppClient, previous: ChallengeSession, challenge: str) -> ChallengeSession:
    """Close ``previous`` and open a fresh session for the challenge that follows it (keeping the sign-in's
    step-up target and proven methods, for the steps that continue it outside a sign-in call: MFA_SETUP's
    AssociateSoftwareToken and VerifySoftwareToken)."""
    finish(previous)
    following = open_session(
        env,
        client,
        previous.username,
        challenge,
        signed_in_as=previous.signed_in_as,
        auth_time=previous.auth_time,
    )
    following.target_level = previous.target_level
    following.methods = list(previous.methods)
    return following


def following(
    env: Env,
    client: AppClient,
    previous: ChallengeSession | None,
    username: str | None,
    challenge: str,
    *,
    signed_in_as: str | None,
) -> ChallengeSession:
    """The session of a challenge: the one that follows ``previous`` (closed now), or a first one."""
    if previous is not None:
        return next_challenge(env, client, previous, challenge)
    return open_session(env, client, username, challenge, signed_in_as=signed_in_as)


def new_secret_block(env: Env, session: ChallengeSession) -> str:
    """A SECRET_BLOCK that names ``session``; kept on it for the answer's check."""
    raw = session.session_id.encode() + _SEPARATOR + env.ids.token_bytes(64)
    session.secret_block = base64.b64encode(raw).decode()
    return session.secret_block


def session_id_of_secret_block(secret_block: str | None) -> str | None:
    if not isinstance(secret_block, str):
        return None
    try:
        raw = base64.b64decode(secret_block, validate=True)
    except (binascii.Error, ValueError):
        return None
    session_id, separator, _ = raw.partition(_SEPARATOR)
    return session_id.decode("ascii", "replace") if separator else None


def get_session(env: Env, session_id: str | None) -> ChallengeSession:
    """The live session ``session_id`` names, or Cognito's NotAuthorizedException."""
    session = env.state.sessions.get(session_id) if session_id else None
    if session is None:
        raise NotAuthorizedException(INVALID)
    if session.used:
        raise NotAuthorizedException(USED)
    if env.clock.now() >= session.expires:
        raise NotAuthorizedException(EXPIRED)
    return session


def finish(session: ChallengeSession) -> None:
    """The session has been answered: it may not be used again."""
    session.used = True
    session.srp = None


def wrong_code(session: ChallengeSession) -> CodeMismatchException:
    """Count a wrong code on the session (the fifth ends it); the error to raise."""
    session.mfa_failures += 1
    if session.mfa_failures >= MAX_WRONG_CODES:
        finish(session)
    return CodeMismatchException(CODE_MISMATCH)


def check_code(session: ChallengeSession, given: str) -> None:
    """The answer's code against the one this session sent."""
    if session.mfa_code is None or not hmac.compare_digest(given, session.mfa_code):
        raise wrong_code(session)


def _forget_stale(env: Env, now: float) -> None:
    """Drop sessions long past their expiry, oldest first (the index keeps insertion order)."""
    sessions = env.state.sessions
    while sessions:
        oldest = next(iter(sessions.values()))
        if now < oldest.expires + _KEEP_AFTER_EXPIRY:
            break
        del sessions[oldest.session_id]
