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
from cognito_emu.idp.factors import srp
from cognito_emu.idp.models import ChallengeSession
from cognito_emu.idp.signin import (
    custom_auth,
    device_answers,
    device_challenge,
    lockout,
    mfa_answers,
    new_password,
    sessions,
    step_up,
    user_auth,
)
from cognito_emu.idp.signin.context import (
    INCORRECT,
    AuthContext,
    answering_user,
    check_can_sign_in,
    check_confirmed,
    password_checked,
)
from cognito_emu.idp.signin.finish import after_password
from cognito_emu.idp.signin.result import ChallengeName, Step


def password_verifier(ctx: AuthContext, session: ChallengeSession) -> Step:
    """PASSWORD_VERIFIER: PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP, USERNAME."""
    signature = ctx.required("PASSWORD_CLAIM_SIGNATURE")
    secret_block = ctx.required("PASSWORD_CLAIM_SECRET_BLOCK")
    timestamp = ctx.required("TIMESTAMP")
    user = answering_user(ctx, session)
    if secret_block != session.secret_block or session.srp is None or session.srp_a is None:
        raise NotAuthorizedException(INCORRECT)
    if user is None or user.srp_verifier is None or user.srp_salt is None:
        sessions.finish(session)
        raise NotAuthorizedException(INCORRECT)
    check_can_sign_in(user)
    check_confirmed(user)
    lockout.check(ctx.env, user)
    correct = srp.verify_password_claim(
        srp.pool_name(ctx.pool.id),
        user.username,
        user.srp_salt.hex(),
        user.srp_verifier.hex(),
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


def _mfa(ctx: AuthContext, session: ChallengeSession) -> Step:
    return mfa_answers.answer(ctx, session, answering_user(ctx, session))


def _custom_challenge(ctx: AuthContext, session: ChallengeSession) -> Step:
    return custom_auth.answer(ctx, session, answering_user(ctx, session))


def _first_factor(ctx: AuthContext, session: ChallengeSession) -> Step:
    """USER_AUTH's SELECT_CHALLENGE, PASSWORD, PASSWORD_SRP, SMS_OTP, WEB_AUTHN and EMAIL_OTP (an MFA
    EMAIL_OTP is judged the same way)."""
    return user_auth.answer(ctx, session, answering_user(ctx, session))


Answer = Callable[[AuthContext, ChallengeSession], Step]

CHALLENGES: dict[str, Answer] = {
    ChallengeName.PASSWORD_VERIFIER: password_verifier,
    ChallengeName.NEW_PASSWORD_REQUIRED: new_password.answer,
    ChallengeName.CUSTOM_CHALLENGE: _custom_challenge,
    ChallengeName.DEVICE_SRP_AUTH: device_answers.device_srp_auth,
    ChallengeName.DEVICE_PASSWORD_VERIFIER: device_answers.device_password_verifier,
    **{name: _mfa for name in mfa_answers.CHALLENGE_NAMES},
    **{name: _first_factor for name in (*user_auth.CHALLENGE_NAMES, ChallengeName.EMAIL_OTP)},
}


def respond(ctx: AuthContext, challenge_name: str, session_id: str | None) -> Step:
    """Check the session the answer belongs to, then hand it to the challenge's function."""
    ctx.responding = True
    answer = CHALLENGES.get(challenge_name)
    if answer is None:
        raise UnsupportedOperationException(
            f"cognito-emu does not implement the {challenge_name} challenge yet."
        )
    if not session_id and challenge_name in (
        ChallengeName.PASSWORD_VERIFIER,
        ChallengeName.DEVICE_PASSWORD_VERIFIER,
    ):
        session_id = sessions.session_id_of_secret_block(ctx.params.get("PASSWORD_CLAIM_SECRET_BLOCK"))
    if not session_id and challenge_name == ChallengeName.DEVICE_SRP_AUTH:
        session_id = device_challenge.pending_session_id(ctx)
    session = sessions.get_session(ctx.env, session_id)
    if session.client_id != ctx.client.client_id or session.pool_id != ctx.pool.id:
        raise NotAuthorizedException(sessions.INVALID)
    if session.challenge != challenge_name:
        raise InvalidParameterException(
            f"Invalid challenge name: expected {session.challenge}, got {challenge_name}."
        )
    device_challenge.recall(ctx, session)
    step_up.recall(ctx, session)
    return device_challenge.carry(ctx, step_up.carry(ctx, answer(ctx, session)))
