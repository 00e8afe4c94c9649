"""Sign-in lockout after failed password attempts, as Cognito documents it.

Developer guide, "Lockout behavior for failed sign-in attempts"
(https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior):
after five failed sign-in attempts with a password, Cognito locks the user out for one second; the
lockout doubles after each further failure, up to about 15 minutes. For a cumulative number of
failures n it lasts 2^(n-5) seconds. Attempts during a lockout answer NotAuthorizedException
"Password attempts exceeded" and do not count. The count goes back to zero when the user signs in
after a lockout has ended, or makes no attempt for 15 minutes.
"""

from __future__ import annotations

from cognito_emu.env import Env
from cognito_emu.errors import NotAuthorizedException
from cognito_emu.idp.models import User

ATTEMPTS_EXCEEDED = "Password attempts exceeded"
FREE_ATTEMPTS = 5
MAX_LOCK_SECONDS = 900.0
# No attempt for this long forgets every earlier failure.
QUIET_RESET_SECONDS = 900.0


def check(env: Env, user: User) -> None:
    """Refuse a password attempt while the user is locked out; forget old failures."""
    now = env.clock.now()
    if user.locked_until is not None and now < user.locked_until:
        raise NotAuthorizedException(ATTEMPTS_EXCEEDED)
    if user.last_failed_sign_in is not None and now - user.last_failed_sign_in >= QUIET_RESET_SECONDS:
        reset(user)


def record_failure(env: Env, user: User) -> None:
    now = env.clock.now()
    user.failed_sign_ins += 1
    user.last_failed_sign_in = now
    excess = user.failed_sign_ins - FREE_ATTEMPTS
    if excess >= 0:
        user.locked_until = now + min(2.0**excess, MAX_LOCK_SECONDS)


def reset(user: User) -> None:
    user.failed_sign_ins = 0
    user.last_failed_sign_in = None
    user.locked_until = None
