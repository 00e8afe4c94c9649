"""One-time codes: issued to a user for a purpose, checked once, expiring on the clock."""

from __future__ import annotations

import hmac

from cognito_emu.env import Env
from cognito_emu.errors import CodeMismatchException, ExpiredCodeException, LimitExceededException
from cognito_emu.idp.models import PendingCode, User, own_dict

SIGN_UP = "signup"
FORGOT_PASSWORD = "forgot_password"

# Sign-up and attribute-verification codes last 24 hours, password-reset codes one hour (Cognito's
# developer guide, "Confirming user accounts" and ForgotPassword).
LIFETIMES = {SIGN_UP: 24 * 3600, FORGOT_PASSWORD: 3600}
VERIFY_LIFETIME = 24 * 3600
MAX_FAILED_ATTEMPTS = 5

CODE_MISMATCH = "Invalid verification code provided, please try again."
CODE_EXPIRED = "Invalid code provided, please request a code again."
ATTEMPTS_EXCEEDED = "Attempt limit exceeded, please try after some time."


def verify_purpose(attribute: str) -> str:
    return f"verify:{attribute}"


def issue(env: Env, user: User, purpose: str) -> str:
    """A new code for ``purpose``; it replaces any earlier one."""
    code = env.ids.digits(6)
    lifetime = LIFETIMES.get(purpose, VERIFY_LIFETIME)
    user.codes = own_dict(user.codes)
    user.codes[purpose] = PendingCode(code=code, expires=env.clock.now() + lifetime)
    return code


def redeem(env: Env, user: User, purpose: str, code: str) -> None:
    """Accept ``code`` once, or raise the error Cognito answers for a wrong, stale or overused code."""
    pending = user.codes.get(purpose)
    if pending is None:
        raise ExpiredCodeException(CODE_EXPIRED)
    if pending.failed_attempts >= MAX_FAILED_ATTEMPTS:
        raise LimitExceededException(ATTEMPTS_EXCEEDED)
    if env.clock.now() > pending.expires:
        del user.codes[purpose]
        raise ExpiredCodeException(CODE_EXPIRED)
    if not hmac.compare_digest(code.encode(), pending.code.encode()):
        pending.failed_attempts += 1
        raise CodeMismatchException(CODE_MISMATCH)
    del user.codes[purpose]
