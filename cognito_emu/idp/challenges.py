"""RespondToAuthChallenge and AdminRespondToAuthChallenge: one small function per ChallengeName.

Every answer names its session (``Session``; for PASSWORD_VERIFIER the PASSWORD_CLAIM_SECRET_BLOCK
names it too, since pycognito sends no Session), carries the USERNAME the challenge went to, and a
SECRET_HASH over that USERNAME when the app client has a secret.
"""

from __future__ import annotations

from collections.abc import Callable

from cognito_emu.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    UnsupportedOperationException,
)
from cognito_emu.idp import (
    attributes,
    clients,
    devices,
    directory,
    lockout,
    mfa,
    passwords,
    sessions,
    srp,
    user_auth,
    users,
)
from cognito_emu.idp.auth_flows import (
    INCORRECT,
    NEW_PASSWORD_REQUIRED,
    PASSWORD_VERIFIER,
    AuthContext,
    Outcome,
    after_password,
    authenticated,
    check_can_sign_in,
    password_checked,
    required_attributes_missing,
    user_for_sign_in,
)
from cognito_emu.idp.models import User, UserStatus
from cognito_emu.idp.sessions import AuthSession
from cognito_emu.triggers import custom_auth, token_generation

_ATTRIBUTE_PREFIX = "userAttributes."


def _answering_user(ctx: AuthContext, session: AuthSession) -> User | None:
    """The user the session is for, once the answer's USERNAME and SECRET_HASH agree with it."""
    name = ctx.required("USERNAME")
    clients.check_secret_hash(ctx.client, name, ctx.params.get("SECRET_HASH"))
    if session.username is None:
        return None
    user = ctx.pool.users.get(directory.user_key(ctx.pool, session.username))
    named = user_for_sign_in(ctx.pool, name)
    if user is None or (named is not user and name != session.signed_in_as):
        raise NotAuthorizedException(INCORRECT)
    return user


def password_verifier(ctx: AuthContext, session: AuthSession) -> Outcome:
    """PASSWORD_VERIFIER: PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP, USERNAME."""
    signature = ctx.required("PASSWORD_CLAIM_SIGNATURE")
    secret_block = ctx.required("PASSWORD_CLAIM_SECRET_BLOCK")
    timestamp = ctx.required("TIMESTAMP")
    user = _answering_user(ctx, session)
    if secret_block != session.secret_block or session.srp is None or session.srp_a is None:
        raise NotAuthorizedException(INCORRECT)
    if user is None or user.srp_verifier is None or user.srp_salt is None:
        sessions.finish(session)
        raise NotAuthorizedException(INCORRECT)
    check_can_sign_in(user)
    lockout.check(ctx.env, user)
    correct = srp.verify_password_claim(
        srp.pool_name(ctx.pool.id),
        user.username,
        user.srp_salt,
        user.srp_verifier,
        session.srp_a,
        session.srp,
        secret_block,
        timestamp,
        signature,
    )
    if session.custom_history is not None:
        return custom_auth.password_answered(ctx, user, session, correct)
    if not correct:
        sessions.finish(session)
    password_checked(ctx, user, correct)
    return after_password(ctx, user, session)


def new_password(ctx: AuthContext, session: AuthSession) -> Outcome:
    """NEW_PASSWORD_REQUIRED: NEW_PASSWORD, plus ``userAttributes.<name>`` for the required attributes
    the user lacks (and any other attribute the client may write)."""
    user = _answering_user(ctx, session)
    if user is None:
        raise NotAuthorizedException(INCORRECT)
    set_new_password(ctx, user)
    challenge = mfa.challenge_after_password(ctx, user, session)  # MFA follows a new password too
    if challenge is not None:
        return challenge
    sessions.finish(session)
    return authenticated(ctx, user, trigger_source=token_generation.NEW_PASSWORD_CHALLENGE)


def set_new_password(ctx: AuthContext, user: User) -> None:
    """Answer NEW_PASSWORD_REQUIRED for ``user``: the new password and attributes set, the user CONFIRMED.
    Shared with the hosted login's new-password form."""
    password = ctx.required("NEW_PASSWORD")
    given = {
        name.removeprefix(_ATTRIBUTE_PREFIX): value
        for name, value in ctx.params.items()
        if name.startswith(_ATTRIBUTE_PREFIX)
    }
    missing = [name for name in required_attributes_missing(ctx.pool, user) if not given.get(name)]
    if missing:
        raise InvalidParameterException(f"Invalid attributes given, {', '.join(missing)} is missing")
    if given:
        attributes.check_update(ctx.pool, user, given, None if ctx.admin else ctx.client)
    passwords.check_new_password(ctx.pool, user, password)
    if given:
        users.update_attributes(ctx.env, ctx.pool, user, given)
    passwords.set_password(ctx.env, ctx.pool, user, password, temporary=False)
    users.set_status(ctx.env, ctx.pool, user, UserStatus.CONFIRMED)


def mfa_challenge(ctx: AuthContext, session: AuthSession) -> Outcome:
    """SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP, SELECT_MFA_TYPE and MFA_SETUP (cognito_emu.idp.mfa)."""
    return mfa.answer(ctx, session, _answering_user(ctx, session))


def custom_challenge(ctx: AuthContext, session: AuthSession) -> Outcome:
    """CUSTOM_CHALLENGE: ANSWER, judged by the pool's VerifyAuthChallengeResponse trigger."""
    return custom_auth.answer(ctx, session, _answering_user(ctx, session))


def first_factor(ctx: AuthContext, session: AuthSession) -> Outcome:
    """USER_AUTH's SELECT_CHALLENGE, PASSWORD, PASSWORD_SRP, SMS_OTP and EMAIL_OTP (an MFA EMAIL_OTP
    is judged the same way): cognito_emu.idp.user_auth."""
    return user_auth.answer(ctx, session, _answering_user(ctx, session))


Challenge = Callable[[AuthContext, AuthSession], Outcome]

CHALLENGES: dict[str, Challenge] = {
    PASSWORD_VERIFIER: password_verifier,
    NEW_PASSWORD_REQUIRED: new_password,
    custom_auth.CUSTOM_CHALLENGE: custom_challenge,
    devices.DEVICE_SRP_AUTH: devices.device_srp_auth,
    devices.DEVICE_PASSWORD_VERIFIER: devices.device_password_verifier,
    **{name: mfa_challenge for name in mfa.CHALLENGE_NAMES},
    **{name: first_factor for name in (*user_auth.CHALLENGE_NAMES, user_auth.EMAIL_OTP)},
}


def respond(ctx: AuthContext, challenge_name: str, session_id: str | None) -> Outcome:
    """Check the session the answer belongs to, then hand it to the challenge's function."""
    ctx.responding = True
    answer = CHALLENGES.get(challenge_name)
    if answer is None:
        raise UnsupportedOperationException(
            f"cognito-emu does not implement the {challenge_name} challenge yet."
        )
    if not session_id and challenge_name in (PASSWORD_VERIFIER, devices.DEVICE_PASSWORD_VERIFIER):
        session_id = sessions.session_id_of_secret_block(ctx.params.get("PASSWORD_CLAIM_SECRET_BLOCK"))
    if not session_id and challenge_name == devices.DEVICE_SRP_AUTH:
        session_id = devices.pending_session_id(ctx)
    session = sessions.get_session(ctx.env, session_id)
    if session.client_id != ctx.client.client_id or session.pool_id != ctx.pool.id:
        raise NotAuthorizedException(sessions.INVALID)
    if session.challenge != challenge_name:
        raise InvalidParameterException(
            f"Invalid challenge name: expected {session.challenge}, got {challenge_name}."
        )
    devices.recall(ctx, session)
    return devices.carry(ctx, answer(ctx, session))
