"""Sign-in lockout after failed password attempts, as Cognito documents it.

Developer guide, "Lockout behavior for failed sign-in attempts"
(https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior):
after five failed sign-in attempts with a password, Cognito locks the user out for one second; the
lockout doubles after each further failure, up to about 15 minutes. For a cumulative number of
failures n it lasts 2^(n-5) seconds. Attempts during a lockout answer NotAuthorizedException
"Password attempts exceeded" and do not count. The count goes back to zero when the user signs in
after a lockout has ended, or makes no attempt for 15 minutes.

Each Region counts for itself: a sign-in served by a secondary replica counts in that replica's
``lockouts`` (by the user's sub), one served by the primary in the user's own counts (developer guide,
multi-Region replication: failed attempts before lockout are not synchronized across Regions).
"""

from __future__ import annotations

from typing import Protocol

from cognito_emu.env import Env
from cognito_emu.errors import NotAuthorizedException
from cognito_emu.idp.continuity import ReplicaLockout, current_replica
from cognito_emu.idp.models import User

ATTEMPTS_EXCEEDED = "Password attempts exceeded"
FREE_ATTEMPTS = 5
MAX_LOCK_SECONDS = 900.0
# No attempt for this long forgets every earlier failure.
QUIET_RESET_SECONDS = 900.0


class Counts(Protocol):
    failed_sign_ins: int
    last_failed_sign_in: float | None
    locked_until: float | None


def _counts(user: User) -> Counts | None:
    """The counts of the Region serving the sign-in (None: a replica's, with no failure yet)."""
    replica = current_replica()
    return user if replica is None else replica.lockouts.get(user.sub)


def _counts_to_change(user: User) -> Counts:
    replica = current_replica()
    if replica is None:
        return user
    return replica.lockouts.setdefault(user.sub, ReplicaLockout())


def failed_attempts(user: User) -> int:
    counts = _counts(user)
    return 0 if counts is None else counts.failed_sign_ins


def check(env: Env, user: User) -> None:
    """Refuse a password attempt while the user is locked out; forget old failures."""
    counts = _counts(user)
    if counts is None:
        return
    now = env.clock.now()
    if counts.locked_until is not None and now < counts.locked_until:
        raise NotAuthorizedException(ATTEMPTS_EXCEEDED)
    if counts.last_failed_sign_in is not None and now - counts.last_failed_sign_in >= QUIET_RESET_SECONDS:
        reset(user)


def record_failure(env: Env, user: User) -> None:
    counts = _counts_to_change(user)
    now = env.clock.now()
    counts.failed_sign_ins += 1
    counts.last_failed_sign_in = now
    excess = counts.failed_sign_ins - FREE_ATTEMPTS
    if excess >= 0:
        counts.locked_until = now + min(2.0**excess, MAX_LOCK_SECONDS)


def reset(user: User) -> None:
    replica = current_replica()
    if replica is not None:
        replica.lockouts.pop(user.sub, None)
        return
    user.failed_sign_ins = 0
    user.last_failed_sign_in = None
    user.locked_until = None
