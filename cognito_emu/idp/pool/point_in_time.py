"""Point-in-time recovery: restore a pool's user data (users with their attributes, passwords, MFA
settings and passkeys; groups and memberships) as it was at an earlier moment of the emulator's clock
(Initiate/Start/Cancel/Describe/ListPointInTimeRecoveries; API reference, InitiatePointInTimeRecovery).

History: before a write reaches a pool, ``before_write`` pickles the pool's users and groups when the
write follows a minute without writes, or when the newest capture is ten minutes old; otherwise a write
costs a few comparisons. (A capture costs about 10 microseconds per user, so a capture per write would
make every write to a big pool slow.) A capture holds the state from the write before it until the
write it was taken for, and a recovery restores the newest capture that began at or before the
recovery point: exactly the state at that point when the writes around it were a minute or more
apart, else a state at most ten minutes older. The captures of the plan's retention window are kept,
at most ``MAX_CAPTURES`` and ``MAX_CAPTURE_BYTES`` per pool, as part of the pool's state: a row each in
``--data-dir``, and in snapshots and GET/PUT /_emu/state, so a restart or a restore keeps the pool's
past; a reset or a deleted pool takes it away.

What counts as a write: every user-data operation (``idp.pool.operation_kinds``) and the sign-ins that
can change a user. A seed creates its pools with their users at the moment it is applied, so the
history of a seeded pool begins with the seeded users (Cognito's own history begins with a pool's
creation; the seed's users are that pool's first state). PUT /_emu/state and a snapshot restore are
not writes: they replace the pools together with the history they carry.
"""

from __future__ import annotations

import builtins
import copyreg
import dataclasses
import hashlib
import io
import pickle
import sys
from collections.abc import Iterable, Mapping
from enum import Enum
from functools import cache
from types import ModuleType
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import (
    ConcurrentModificationException,
    FeatureUnavailableInTierException,
    InvalidParameterException,
    LimitExceededException,
    OperationNotEnabledException,
    ResourceNotFoundException,
)
from cognito_emu.idp import models, tokens
from cognito_emu.idp.continuity import Capture, PlanPeriod, PreviewCount, Restoration, RestoreStatus
from cognito_emu.idp.models import (
    Group,
    ImportJobStatus,
    TokenSessions,
    User,
    UserAttributes,
    UserMfa,
    UserPool,
)
from cognito_emu.idp.pool.operation_kinds import WRITING_CHALLENGES
from cognito_emu.pagination import paginate
from cognito_emu.state import State
from cognito_emu.state.codec import bytes_of_hex

DAY = 86400.0
# How far back each feature plan recovers; LITE has no point-in-time recovery.
RETENTION = {"ESSENTIALS": DAY, "PLUS": 14 * DAY}
# The recovery point must be at least this far in the past.
MIN_AGE = 15 * 60.0
# A preview not started or cancelled within a day expires.
PREVIEW_LIFETIME = DAY
QUIET_SECONDS = 60.0
CAPTURE_INTERVAL = 600.0
MAX_CAPTURES = 32
MAX_CAPTURE_BYTES = 256 * 1024 * 1024
# Per pool: 3 previews a day and 10 in 30 days, one completed recovery a day; per account: 5 active
# recoveries and 10 previews a day.
POOL_PREVIEWS_PER_DAY = 3
POOL_PREVIEWS_PER_30_DAYS = 10
ACCOUNT_ACTIVE = 5
ACCOUNT_PREVIEWS_PER_DAY = 10

# Recoveries that pause the pool's user-data writes. The two failures of a started recovery keep them
# paused until AWS Support resolves the case (API reference, RestorationType): in the emulator, until the
# pool is deleted or the emulator reset.
_ACTIVE = frozenset(
    {
        RestoreStatus.PREVIEW_GENERATING,
        RestoreStatus.PREVIEW_GENERATED,
        RestoreStatus.RESTORING,
        RestoreStatus.TEMPORARY_INTERNAL_ERROR_SEE_SUPPORT_CASE,
        RestoreStatus.AWS_ABORTED,
    }
)
# The failures a test can ask for (``fail_next``), and the step each one befalls.
PREVIEW_FAILURES = frozenset({RestoreStatus.PREVIEW_GENERATION_FAILED})
RESTORE_FAILURES = frozenset(
    {RestoreStatus.TEMPORARY_INTERNAL_ERROR_SEE_SUPPORT_CASE, RestoreStatus.AWS_ABORTED}
)
_IMPORTING = frozenset({ImportJobStatus.PENDING, ImportJobStatus.IN_PROGRESS, ImportJobStatus.STOPPING})
ENTITIES = ("Users", "Groups", "User MFAs", "Passkeys")

UserData = tuple[dict[str, User], dict[str, Group]]


# -- history -------------------------------------------------------------------------------------


def before_write(env: Env, pool: UserPool, user_data: bool, challenge: Any) -> None:
    """A write is about to reach ``pool``: refuse it while a recovery runs, else keep the history."""
    now = env.clock.now()
    running = active(pool, now)
    if running is not None and (user_data or challenge in WRITING_CHALLENGES):
        raise OperationNotEnabledException(
            f"User pool {pool.id} takes no user data changes while point-in-time recovery "
            f"{running.restore_id} is {status_at(running, now)}."
        )
    captures = pool.captures
    last_write = pool.user_data_written
    newest = max(dict.keys(captures), default=None)
    if pool.settings.get("UserPoolTier", "ESSENTIALS") not in RETENTION:
        if captures:
            captures.clear()
    elif (
        newest is None
        or last_write is None
        or now - last_write >= QUIET_SECONDS
        or now - dict.__getitem__(captures, newest).valid_until >= CAPTURE_INTERVAL
    ):
        since = last_write if last_write is not None else now
        sequence = int(newest) + 1 if newest is not None else 1
        data = _capture_bytes(_user_data(pool))
        captures[f"{sequence:010d}"] = Capture(since, now, data, _layout())
        _prune(captures, now)
    pool.user_data_written = now


def _ordered(captures: dict[str, Capture]) -> list[tuple[str, Capture]]:
    # Keys are zero-padded sequence numbers; a data dir may hand the rows back in any order.
    return sorted(dict.items(captures))


def _user_data(pool: UserPool) -> UserData:
    # dict.items, not the mapping's own: a TrackedDict would count every key as touched.
    return dict(dict.items(pool.users)), dict(dict.items(pool.groups))


def _capture_bytes(data: UserData) -> bytes:
    """``data`` pickled, leaving out the users' token sessions: a recovery keeps the sessions users hold
    now (``_apply``), so a capture never needs them, and each one carries refresh tokens of about 1.1
    KB (a user signed in a hundred times made every capture of the pool 150 KB larger). They come back
    as an empty TokenSessions."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    # Only for this class: pickle asks the table about no other object (plain dicts are its own).
    pickler.dispatch_table = {**copyreg.dispatch_table, TokenSessions: _no_sessions}
    pickler.dump(data)
    return buffer.getvalue()


def _no_sessions(_: TokenSessions) -> tuple[type[TokenSessions], tuple[()]]:
    return TokenSessions, ()


def _prune(captures: dict[str, Capture], now: float) -> None:
    """Drop the oldest captures past the bounds, and those no recovery point in the window needs."""
    oldest_needed = now - RETENTION["PLUS"]
    ordered = _ordered(captures)
    size = sum(len(capture.data) for _, capture in ordered)
    while len(ordered) > 1 and (
        len(ordered) > MAX_CAPTURES or size > MAX_CAPTURE_BYTES or ordered[1][1].valid_from <= oldest_needed
    ):
        key, capture = ordered.pop(0)
        size -= len(capture.data)
        del captures[key]


class _CaptureUnpickler(pickle.Unpickler):
    """Reads a capture back making only the entity classes a capture holds (dataclasses, enums and
    containers of the emulator's loaded modules, such as UserAttributes, and sets): a capture arrives
    with PUT /_emu/state and snapshots, and unpickling must never call anything else."""

    def find_class(self, module: str, name: str) -> Any:
        found = getattr(sys.modules.get(module), name, None) if module.startswith("cognito_emu.") else None
        if module == "builtins" and name in ("set", "frozenset"):
            found = getattr(builtins, name)
        elif not (
            isinstance(found, type)
            and (dataclasses.is_dataclass(found) or issubclass(found, (Enum, dict, list, Mapping)))
        ):
            raise pickle.UnpicklingError(f"a capture of user data holds no {module}.{name}")
        return found


def record_layout(module: ModuleType) -> str:
    """A digest of the field order of every dataclass ``module`` defines. Pickles of slotted dataclasses
    restore fields by position, so a capture taken by an emulator version whose records have other
    fields would unpickle values into the wrong fields; the digest tells such a capture apart."""
    digest = hashlib.sha256()
    for name, value in sorted(vars(module).items()):
        if (
            isinstance(value, type)
            and dataclasses.is_dataclass(value)
            and value.__module__ == module.__name__
        ):
            fields = ",".join(f.name for f in dataclasses.fields(value))
            digest.update(f"{name}({fields})".encode())
    return digest.hexdigest()[:16]


@cache
def _layout() -> str:
    return record_layout(models)


def _read(capture: Capture) -> UserData:
    try:
        data: UserData = _CaptureUnpickler(io.BytesIO(capture.data)).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError) as exc:
        raise InvalidParameterException(f"The history of this user pool is damaged: {exc}") from None
    for user in data[0].values():
        # A capture taken before UserAttributes holds each user's attributes as a plain dict, and
        # before the salt was bytes, its hex.
        if not isinstance(user.attributes, UserAttributes):
            user.attributes = UserAttributes(user.attributes)
        if isinstance(user.srp_salt, str):
            user.srp_salt = bytes_of_hex(user.srp_salt)
    return data


def _state_at(pool: UserPool, moment: float) -> UserData | None:
    """The pool's users and groups at ``moment``; None when the emulator kept nothing that old."""
    if pool.user_data_written is None:
        # Loaded from data that kept no history, not written since: nothing is known of its past.
        return None
    if moment >= pool.user_data_written:
        return _user_data(pool)
    chosen = None
    for _, capture in _ordered(pool.captures):
        if capture.valid_from <= moment:
            chosen = capture
    # A capture of other record classes (another emulator version's data dir or export) cannot be read.
    return None if chosen is None or chosen.layout != _layout() else _read(chosen)


# -- recoveries ----------------------------------------------------------------------------------


def status_at(restoration: Restoration, now: float) -> RestoreStatus:
    """The status now: a preview neither started nor cancelled within a day has expired."""
    if (
        restoration.status in (RestoreStatus.PREVIEW_GENERATING, RestoreStatus.PREVIEW_GENERATED)
        and now >= restoration.trigger_timestamp + PREVIEW_LIFETIME
    ):
        return RestoreStatus.PREVIEW_EXPIRED
    return restoration.status


def active(pool: UserPool, now: float) -> Restoration | None:
    for restoration in pool.restorations.values():
        if status_at(restoration, now) in _ACTIVE:
            return restoration
    return None


def initiate(env: Env, pool: UserPool, moment: float) -> Restoration:
    """Check the recovery point and the limits, and make the preview; the answer says
    PREVIEW_GENERATING (Cognito makes the preview later), every later read PREVIEW_GENERATED."""
    now = env.clock.now()
    retention = RETENTION.get(pool.settings.get("UserPoolTier", "ESSENTIALS"))
    if retention is None:
        raise FeatureUnavailableInTierException(
            "Point-in-time recovery is available in the Essentials and Plus feature plans only."
        )
    if moment > now - MIN_AGE:
        raise InvalidParameterException("The recovery point must be at least 15 minutes in the past.")
    if moment < pool.created:
        raise InvalidParameterException(
            "The recovery point can't be earlier than the creation of the user pool."
        )
    if moment < now - retention:
        days = int(retention // DAY)
        raise InvalidParameterException(
            f"The recovery point must be within the last {days} day{'s' if days > 1 else ''} "
            f"with the {pool.settings.get('UserPoolTier', 'ESSENTIALS')} feature plan."
        )
    _check_plans(pool, moment, now)
    _check_limits(env.state, pool, now)
    then = _state_at(pool, moment)
    if then is None:
        raise InvalidParameterException(
            f"The emulator kept no history of user pool {pool.id} as far back as the recovery point."
        )
    restoration = Restoration(
        restore_id=env.ids.uuid(),
        restore_timestamp=moment,
        trigger_timestamp=now,
        status=RestoreStatus.PREVIEW_GENERATED,
        preview=preview(then, _user_data(pool)),
    )
    if pool.next_recovery_failure in PREVIEW_FAILURES:
        # No preview, and writes go on: the status says the pool's data did not change.
        restoration.status, restoration.preview = pool.next_recovery_failure, []
        pool.next_recovery_failure = None
    pool.restorations[restoration.restore_id] = restoration
    return restoration


def _check_plans(pool: UserPool, moment: float, now: float) -> None:
    """The pool must have been on a plan that recovers this far back from the recovery point until now
    (API reference: "to recover to a point in time 14 days ago, your user pool must have been on the
    Plus feature plan for the past 14 days")."""
    periods = pool.plans or [PlanPeriod(pool.created, pool.settings.get("UserPoolTier", "ESSENTIALS"))]
    age = now - moment
    for index, period in enumerate(periods):
        ends = periods[index + 1].since if index + 1 < len(periods) else None
        if ends is not None and ends <= moment:
            continue
        if RETENTION.get(period.tier, 0.0) < age:
            needed = "PLUS" if age > RETENTION["ESSENTIALS"] else "ESSENTIALS or PLUS"
            raise InvalidParameterException(
                f"User pool {pool.id} was on the {period.tier} feature plan after the recovery point; "
                f"recovering to it needs the {needed} feature plan from the recovery point until now."
            )


def fail_next(env: Env, pool_id: str, status: str | None) -> RestoreStatus | None:
    """The next recovery of the pool fails with ``status`` (None: no failure): PREVIEW_GENERATION_FAILED
    at its InitiatePointInTimeRecovery, TEMPORARY_INTERNAL_ERROR_SEE_SUPPORT_CASE or AWS_ABORTED at its
    StartPointInTimeRecovery. Failures are AWS's own doing, so only a test can ask for one."""
    pool = env.state.find_pool(pool_id)
    if pool is None:
        raise ResourceNotFoundException(f"User pool {pool_id} does not exist.")
    failures = PREVIEW_FAILURES | RESTORE_FAILURES
    if status is not None and status not in failures:
        raise InvalidParameterException(
            f"A point-in-time recovery fails with one of {', '.join(sorted(failures))}, not {status!r}."
        )
    pool.next_recovery_failure = None if status is None else RestoreStatus(status)
    return pool.next_recovery_failure


def _check_limits(state: State, pool: UserPool, now: float) -> None:
    running = active(pool, now)
    if running is not None:
        raise ConcurrentModificationException(
            f"User pool {pool.id} already has an active point-in-time recovery, {running.restore_id}."
        )
    if any(job.status in _IMPORTING for job in pool.import_jobs.values()):
        raise InvalidParameterException(
            f"A user import job is in progress in user pool {pool.id}; wait for it or stop it first."
        )
    own = list(pool.restorations.values())
    if sum(1 for r in own if r.completed is not None and r.completed > now - DAY):
        raise LimitExceededException(
            f"User pool {pool.id} completed a point-in-time recovery in the last 24 hours."
        )
    if _since(own, now - DAY) >= POOL_PREVIEWS_PER_DAY:
        raise LimitExceededException(
            f"User pool {pool.id} made {POOL_PREVIEWS_PER_DAY} recovery previews in the last 24 hours."
        )
    if _since(own, now - 30 * DAY) >= POOL_PREVIEWS_PER_30_DAYS:
        raise LimitExceededException(
            f"User pool {pool.id} made {POOL_PREVIEWS_PER_30_DAYS} recovery previews in the last 30 days."
        )
    account = [
        r
        for store in state.stores.values()
        if store.account == pool.account
        for other in store.user_pools.values()
        for r in other.restorations.values()
    ]
    if sum(1 for r in account if status_at(r, now) in _ACTIVE) >= ACCOUNT_ACTIVE:
        raise LimitExceededException(f"The account has {ACCOUNT_ACTIVE} active point-in-time recoveries.")
    if _since(account, now - DAY) >= ACCOUNT_PREVIEWS_PER_DAY:
        raise LimitExceededException(
            f"The account made {ACCOUNT_PREVIEWS_PER_DAY} recovery previews in the last 24 hours."
        )


def _since(restorations: Iterable[Restoration], moment: float) -> int:
    return sum(1 for r in restorations if r.trigger_timestamp > moment)


def get(pool: UserPool, restore_id: str) -> Restoration:
    restoration = pool.restorations.get(restore_id)
    if restoration is None:
        raise ResourceNotFoundException(f"Point-in-time recovery {restore_id} does not exist.")
    return restoration


def start(env: Env, pool: UserPool, restore_id: str) -> Restoration:
    """Apply the recovery at once; the answer says RESTORING, every later read RESTORE_COMPLETED."""
    restoration = get(pool, restore_id)
    now = env.clock.now()
    status = status_at(restoration, now)
    if status != RestoreStatus.PREVIEW_GENERATED:
        raise InvalidParameterException(
            f"Point-in-time recovery {restore_id} is {status}; only a PREVIEW_GENERATED recovery can start."
        )
    then = _state_at(pool, restoration.restore_timestamp)
    if then is None:
        raise InvalidParameterException(
            f"The emulator no longer keeps the history of user pool {pool.id} back to the recovery point."
        )
    if pool.next_recovery_failure in RESTORE_FAILURES:
        # Stopped before it changed anything; the pool's writes stay paused.
        restoration.status = pool.next_recovery_failure
        pool.next_recovery_failure = None
        return restoration
    _apply(env, pool, then, restoration.restore_timestamp)
    restoration.status = RestoreStatus.RESTORE_COMPLETED
    restoration.completed = now
    return restoration


def cancel(env: Env, pool: UserPool, restore_id: str) -> Restoration:
    restoration = get(pool, restore_id)
    status = status_at(restoration, env.clock.now())
    if status not in (RestoreStatus.PREVIEW_GENERATING, RestoreStatus.PREVIEW_GENERATED):
        raise InvalidParameterException(
            f"Point-in-time recovery {restore_id} is {status}; only a recovery in preview can be cancelled."
        )
    restoration.status = RestoreStatus.PREVIEW_CANCELLED
    return restoration


def list_restorations(
    pool: UserPool, max_results: int, token: str | None
) -> tuple[list[Restoration], str | None]:
    """The most recent first."""
    ordered = list(reversed(pool.restorations.values()))
    indexed = [(f"{index:06d}", r) for index, r in enumerate(ordered)]
    page, next_token = paginate(indexed, key=lambda item: item[0], limit=max_results, token=token)
    return [r for _, r in page], next_token


# -- what a recovery changes ---------------------------------------------------------------------


def _profile(user: User) -> tuple[Any, ...]:
    return (
        user.username,
        user.status,
        user.enabled,
        user.attributes,
        user.pending_attributes,
        user.srp_verifier,
        user.temporary_password_expires,
    )


def _counted(then: dict[Any, Any], now: dict[Any, Any], entity: str) -> PreviewCount:
    return PreviewCount(
        entity=entity,
        created=len(then.keys() - now.keys()),
        updated=sum(1 for key in then.keys() & now.keys() if then[key] != now[key]),
        deleted=len(now.keys() - then.keys()),
    )


def preview(then: UserData, now: UserData) -> list[PreviewCount]:
    """RestorePreview: what returning from ``now`` to ``then`` creates, reverts and deletes."""
    (users_then, groups_then), (users_now, groups_now) = then, now

    def mfas(users: dict[str, User]) -> dict[str, UserMfa]:
        return {key: user.mfa for key, user in users.items() if user.mfa != UserMfa()}

    def passkeys(users: dict[str, User]) -> dict[tuple[str, str], Any]:
        return {
            (key, credential_id): credential
            for key, user in users.items()
            for credential_id, credential in user.webauthn_credentials.items()
        }

    return [
        _counted(
            {k: _profile(u) for k, u in users_then.items()},
            {k: _profile(u) for k, u in users_now.items()},
            "Users",
        ),
        _counted(groups_then, groups_now, "Groups"),
        _counted(mfas(users_then), mfas(users_now), "User MFAs"),
        _counted(passkeys(users_then), passkeys(users_now), "Passkeys"),
    ]


def _apply(env: Env, pool: UserPool, then: UserData, moment: float) -> None:
    """Return the pool's users and groups to ``then``. Sign-in state (sessions, devices, events,
    lockout) stays as it is now; users who changed their password after ``moment`` keep it."""
    users_then, groups_then = then
    users_now = dict(dict.items(pool.users))
    for key in users_now.keys() - users_then.keys():
        tokens.forget_user(env, users_now[key])
        del pool.users[key]
    for key, old in users_then.items():
        current = users_now.get(key)
        if current is None:
            old.sessions, old.sso_sessions, old.codes = {}, {}, {}
            old.webauthn_registration = None
            old.pending_sign_in_event = None
            pool.users[key] = old
            continue
        user = pool.users[key]
        user.username, user.sub, user.created, user.modified = (
            old.username,
            old.sub,
            old.created,
            old.modified,
        )
        user.status, user.enabled = old.status, old.enabled
        user.attributes, user.pending_attributes = old.attributes, old.pending_attributes
        user.mfa, user.webauthn_credentials = old.mfa, old.webauthn_credentials
        if (current.password_changed or 0.0) <= moment:
            user.password_hash, user.srp_salt, user.srp_verifier = (
                old.password_hash,
                old.srp_salt,
                old.srp_verifier,
            )
            user.password_changed = old.password_changed
            user.temporary_password_expires = old.temporary_password_expires
            user.password_history = old.password_history
    for name in dict(dict.items(pool.groups)).keys() - groups_then.keys():
        del pool.groups[name]
    for name, group in groups_then.items():
        pool.groups[name] = group
    pool.rebuild_index()
