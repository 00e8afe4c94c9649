"""The MFA challenges' answers: SMS_MFA (SMS_MFA_CODE), EMAIL_OTP (EMAIL_OTP_CODE), SOFTWARE_TOKEN_MFA
(SOFTWARE_TOKEN_MFA_CODE, the code of the current 30-second step or one either side), SELECT_MFA_TYPE
(ANSWER names one of MFAS_CAN_CHOOSE; its challenge follows) and MFA_SETUP (with the Session
VerifySoftwareToken returned). A wrong code is CodeMismatchException, five at most per session
(``sessions.check_code``); a software-token code already used is ExpiredCodeException. A pool that
stops offering software tokens keeps accepting the ones users verified (TOTP page of the developer
guide).
"""

from __future__ import annotations

from collections.abc import Callable

from cognito_emu.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    SoftwareTokenMFANotFoundException,
)
from cognito_emu.idp.factors import mfa, software_tokens
from cognito_emu.idp.models import ChallengeSession, User
from cognito_emu.idp.signin import sessions, step_up
from cognito_emu.idp.signin.context import AuthContext
from cognito_emu.idp.signin.finish import authenticated
from cognito_emu.idp.signin.mfa_challenge import start_factor
from cognito_emu.idp.signin.result import Challenge, ChallengeName, Step

# The challenges this module judges (EMAIL_OTP is judged by user_auth, which shares sessions.check_code).
CHALLENGE_NAMES = (
    ChallengeName.SMS_MFA,
    ChallengeName.SOFTWARE_TOKEN_MFA,
    ChallengeName.SELECT_MFA_TYPE,
    ChallengeName.MFA_SETUP,
)


def _check_code(ctx: AuthContext, session: ChallengeSession, user: User) -> None:
    """SMS_MFA and EMAIL_OTP: the code this session sent."""
    sessions.check_code(session, ctx.required(mfa.CODE_MEMBER[session.challenge]))


def _check_software_token(ctx: AuthContext, session: ChallengeSession, user: User) -> None:
    code = ctx.required("SOFTWARE_TOKEN_MFA_CODE")
    if user.mfa.totp_secret is None:
        raise SoftwareTokenMFANotFoundException(mfa.NO_SOFTWARE_TOKEN)
    if not software_tokens.redeem_code(ctx.env, user, user.mfa.totp_secret, code):
        raise sessions.wrong_code(session)


def _check_setup(ctx: AuthContext, session: ChallengeSession, user: User) -> None:
    if session.mfa_secret is None or session.mfa_secret != user.mfa.totp_secret:
        raise InvalidParameterException(mfa.NOT_VERIFIED)


def _select_answer(ctx: AuthContext, session: ChallengeSession, user: User) -> Challenge:
    choice = ctx.required("ANSWER")
    factors = mfa.sign_in_factors(ctx.pool, user)
    if choice not in factors:
        raise InvalidParameterException(f"Invalid ANSWER {choice!r}: choose one of {', '.join(factors)}.")
    return start_factor(ctx, user, session, choice)


Check = Callable[[AuthContext, ChallengeSession, User], None]

CHECKS: dict[str, Check] = {
    ChallengeName.SMS_MFA: _check_code,
    ChallengeName.EMAIL_OTP: _check_code,
    ChallengeName.SOFTWARE_TOKEN_MFA: _check_software_token,
    ChallengeName.MFA_SETUP: _check_setup,
}


def check_answer(ctx: AuthContext, session: ChallengeSession, user: User) -> Challenge | None:
    """Judge the answer (``ctx.params``) to the session's MFA challenge: the challenge that follows
    (SELECT_MFA_TYPE leads to the chosen factor's), or None once the user passed MFA (the session is
    then finished). Raises Cognito's error for a wrong answer. Shared with the hosted login."""
    if session.challenge == ChallengeName.SELECT_MFA_TYPE:
        return _select_answer(ctx, session, user)
    CHECKS[session.challenge](ctx, session, user)
    step_up.proved(ctx, step_up.MFA_METHODS[session.challenge])
    sessions.finish(session)
    return None


def answer(ctx: AuthContext, session: ChallengeSession, user: User | None) -> Step:
    """RespondToAuthChallenge for one of the MFA challenges (the session names which)."""
    if user is None:
        raise NotAuthorizedException(sessions.INVALID)
    following = check_answer(ctx, session, user)
    if following is not None:
        return following
    return authenticated(ctx, user)
