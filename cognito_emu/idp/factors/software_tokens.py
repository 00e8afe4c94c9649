"""Software token (TOTP) MFA: AssociateSoftwareToken, VerifySoftwareToken, AdminDeleteSoftwareToken
(developer guide, "TOTP software token MFA").

Both operations take an access token (a signed-in user adding an authenticator) or, during sign-in,
the Session of an MFA_SETUP challenge, never both. Associating draws a new base32 secret (32 random
bytes: 52 characters, as Cognito's SecretCode); it is pending until VerifySoftwareToken accepts a code
of it (RFC 6238 on the emulator's clock, one 30-second step of drift either way), and an earlier
verified token keeps working until then. With an access token, verifying only registers the token
(SetUserMFAPreference turns it on); with a Session it also turns TOTP on for the user, and each call
answers a new Session: the one from VerifySoftwareToken completes sign-in with RespondToAuthChallenge
MFA_SETUP.

Errors as Cognito words them: a pool without TOTP, SoftwareTokenMFANotFoundException "Software Token
MFA has not been enabled by the userPool."; a wrong code, EnableSoftwareTokenMFAException "Code
mismatch and fail enable Software Token MFA".

A code is good once: Cognito refuses a code of a time step already used (by VerifySoftwareToken or a
SOFTWARE_TOKEN_MFA answer) with ExpiredCodeException "Your software token has already been used once."
(the answer client libraries test for, e.g. amplify-swift's TOTP sign-in tests).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from cognito_emu import totp
from cognito_emu.env import Env
from cognito_emu.errors import (
    EnableSoftwareTokenMFAException,
    ExpiredCodeException,
    InvalidParameterException,
    NotAuthorizedException,
    SoftwareTokenMFANotFoundException,
)
from cognito_emu.idp import tokens
from cognito_emu.idp.factors import mfa
from cognito_emu.idp.models import AppClient, ChallengeSession, User, UserPool, own_mfa
from cognito_emu.idp.pool import pool_settings
from cognito_emu.idp.signin import sessions
from cognito_emu.idp.users import directory

NOT_ENABLED = "Software Token MFA has not been enabled by the userPool."
CODE_MISMATCH = "Code mismatch and fail enable Software Token MFA"
NOT_ASSOCIATED = "User has not set up software token mfa"
TOKEN_OR_SESSION = "Either AccessToken or Session is required, but not both."
CODE_USED = "Your software token has already been used once."
SECRET_BYTES = 32


@dataclass(slots=True)
class Caller:
    """Who is setting up the token: a signed-in user, or a sign-in's MFA_SETUP session."""

    pool: UserPool
    user: User
    client: AppClient
    session: ChallengeSession | None = None


def _caller(env: Env, access_token: str | None, session_id: str | None) -> Caller:
    if bool(access_token) == bool(session_id):
        raise InvalidParameterException(TOKEN_OR_SESSION)
    if access_token:
        principal = tokens.authenticate(env, access_token)
        return Caller(principal.pool, principal.user, principal.client)
    session = sessions.get_session(env, session_id)
    pool = env.state.find_pool(session.pool_id)
    if session.challenge != mfa.MFA_SETUP or pool is None or session.username is None:
        raise NotAuthorizedException(sessions.INVALID)
    client = pool.clients.get(session.client_id)
    user = pool.users.get(directory.user_key(pool, session.username))
    if client is None or user is None:
        raise NotAuthorizedException(sessions.INVALID)
    return Caller(pool, user, client, session)


def new_secret(env: Env) -> str:
    return base64.b32encode(env.ids.token_bytes(SECRET_BYTES)).decode().rstrip("=")


@dataclass(frozen=True, slots=True)
class Association:
    """AssociateSoftwareToken's outcome: the secret, and during a sign-in the Session that
    VerifySoftwareToken takes."""

    secret: str
    session: str | None = None


def associate(env: Env, access_token: str | None, session_id: str | None) -> Association:
    """AssociateSoftwareToken."""
    caller = _caller(env, access_token, session_id)
    if not pool_settings.software_token_mfa_enabled(caller.pool):
        raise SoftwareTokenMFANotFoundException(NOT_ENABLED)
    secret = new_secret(env)
    own_mfa(caller.user).pending_totp_secret = secret
    if caller.session is None:
        return Association(secret)
    following = sessions.next_challenge(env, caller.client, caller.session, mfa.MFA_SETUP)
    following.mfa_secret = secret
    return Association(secret, following.session_id)


def verify(
    env: Env, access_token: str | None, session_id: str | None, user_code: str, device_name: str | None
) -> str | None:
    """VerifySoftwareToken: raises Cognito's errors, or succeeds (Status SUCCESS) and answers the Session
    the sign-in continues with (None outside a sign-in)."""
    caller = _caller(env, access_token, session_id)
    user = caller.user
    secret = caller.session.mfa_secret if caller.session is not None else user.mfa.pending_totp_secret
    if secret is None or secret != user.mfa.pending_totp_secret:
        if caller.session is None and user.mfa.totp_secret is not None:
            secret = user.mfa.totp_secret  # already verified: verifying again only checks the code
        else:
            raise InvalidParameterException(NOT_ASSOCIATED)
    if secret != user.mfa.totp_secret:
        own_mfa(user).totp_last_step = None
    if not redeem_code(env, user, secret, user_code):
        raise EnableSoftwareTokenMFAException(CODE_MISMATCH)
    own_mfa(user).totp_secret = secret
    own_mfa(user).pending_totp_secret = None
    if device_name is not None:
        own_mfa(user).totp_device_name = device_name
    user.modified = env.clock.now()
    if caller.session is None:
        return None
    own_mfa(user).software_token = True
    if user.mfa.preferred is None:
        own_mfa(user).preferred = mfa.SOFTWARE_TOKEN_MFA
    following = sessions.next_challenge(env, caller.client, caller.session, mfa.MFA_SETUP)
    following.mfa_secret = secret
    return following.session_id


def redeem_code(env: Env, user: User, secret: str, code: str) -> bool:
    """Whether ``code`` is a current code of ``secret``; a right code is spent (ExpiredCodeException when
    it, or a later one, was spent already)."""
    step = totp.matching_step(secret, code, env.clock.now())
    if step is None:
        return False
    if user.mfa.totp_last_step is not None and step <= user.mfa.totp_last_step:
        raise ExpiredCodeException(CODE_USED)
    own_mfa(user).totp_last_step = step
    return True


def delete(env: Env, user: User) -> None:
    """AdminDeleteSoftwareToken: the user's TOTP factor is gone (and no longer preferred)."""
    own_mfa(user).totp_secret = None
    own_mfa(user).pending_totp_secret = None
    own_mfa(user).totp_device_name = None
    own_mfa(user).totp_last_step = None
    own_mfa(user).software_token = False
    if user.mfa.preferred == mfa.SOFTWARE_TOKEN_MFA:
        own_mfa(user).preferred = None
    user.modified = env.clock.now()
