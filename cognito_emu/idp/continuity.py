"""Entities of Cognito's disaster-recovery features, kept on their user pool: replicas of the pool in
other Regions (multi-Region replication, ``idp.pool.replicas``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ReplicaStatus(StrEnum):
    CREATING = "CREATING"
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    DELETING = "DELETING"


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
