"""Entities of Cognito's two disaster-recovery features, kept on their user pool: replicas of the pool
in other Regions (multi-Region replication, ``idp.pool.replicas``) and point-in-time recoveries with
the history of user data they restore from (``idp.pool.point_in_time``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ReplicaStatus(StrEnum):
    CREATING = "CREATING"
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    DELETING = "DELETING"


@dataclass(slots=True)
class ReplicaLockout:
    """A user's failed password attempts in one secondary replica's Region: each replica counts its own
    (developer guide, multi-Region replication: lockout attempts are not synchronized across Regions)."""

    failed_sign_ins: int = 0
    last_failed_sign_in: float | None = None
    locked_until: float | None = None


@dataclass(slots=True)
class UserPoolReplica:
    """A secondary replica of a user pool in another Region: same pool id, the primary's users and
    settings, and its own status, tags and Regional settings."""

    region: str
    created: float
    # A new secondary starts INACTIVE (developer guide, multi-Region replication).
    status: ReplicaStatus = ReplicaStatus.INACTIVE
    tags: dict[str, str] = field(default_factory=dict)
    # The settings each replica keeps for itself (EmailConfiguration, SmsConfiguration, LambdaConfig),
    # copied from the primary at creation and changed by UpdateUserPool in the replica's Region.
    settings: dict[str, Any] = field(default_factory=dict)
    log_delivery: list[dict[str, Any]] = field(default_factory=list)
    # Failed sign-ins counted in this Region, by the user's sub (idp.signin.lockout); the primary's
    # are the user's own.
    lockouts: dict[str, ReplicaLockout] = field(default_factory=dict)


# The secondary replica serving the operation being handled (None: the primary). Triggers and messages
# are deep below the operation and see only the pool, so they read its Regional settings through
# ``UserPool.regional``, which consults this; the dispatcher sets it around each operation.
_serving_replica: ContextVar[UserPoolReplica | None] = ContextVar("serving_replica", default=None)


@contextmanager
def served_by(replica: UserPoolReplica | None) -> Iterator[None]:
    token = _serving_replica.set(replica)
    try:
        yield
    finally:
        _serving_replica.reset(token)


def current_replica() -> UserPoolReplica | None:
    return _serving_replica.get()


class RestoreStatus(StrEnum):
    PREVIEW_GENERATING = "PREVIEW_GENERATING"
    PREVIEW_GENERATED = "PREVIEW_GENERATED"
    PREVIEW_CANCELLED = "PREVIEW_CANCELLED"
    PREVIEW_GENERATION_FAILED = "PREVIEW_GENERATION_FAILED"
    PREVIEW_EXPIRED = "PREVIEW_EXPIRED"
    RESTORING = "RESTORING"
    RESTORE_COMPLETED = "RESTORE_COMPLETED"
    TEMPORARY_INTERNAL_ERROR_SEE_SUPPORT_CASE = "TEMPORARY_INTERNAL_ERROR_SEE_SUPPORT_CASE"
    AWS_ABORTED = "AWS_ABORTED"


@dataclass(slots=True)
class PreviewCount:
    """RestorePreviewType: what a recovery does to one kind of entity."""

    entity: str
    created: int = 0
    updated: int = 0
    deleted: int = 0


@dataclass(slots=True)
class Restoration:
    """A point-in-time recovery of a user pool (InitiatePointInTimeRecovery)."""

    restore_id: str
    # The recovery point, and when the recovery was initiated (the end of the changes it reverts).
    restore_timestamp: float
    trigger_timestamp: float
    status: RestoreStatus
    preview: list[PreviewCount] = field(default_factory=list)
    completed: float | None = None


@dataclass(slots=True)
class PlanPeriod:
    """The feature plan (UserPoolTier) a pool was on from ``since`` until the next period began."""

    since: float
    tier: str


@dataclass(slots=True)
class Capture:
    """The pool's users and groups as they were from ``valid_from`` until the write at ``valid_until``,
    pickled (``idp.pool.point_in_time`` reads it back through a restricted unpickler: a
    capture travels in data dirs, snapshots and state imports). ``layout`` names the field order of the
    record classes it was pickled with; a capture of another layout is not read back."""

    valid_from: float
    valid_until: float
    data: bytes
    layout: str = ""
