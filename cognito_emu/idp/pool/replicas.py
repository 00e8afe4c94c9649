"""Multi-Region replication: secondary replicas of a user pool (Create/List/Update/DeleteUserPoolReplica).

A replica is the same pool (same id, users, app clients and settings, replicated at once rather than
eventually) reached from its own Region, with its own status, tags and Regional settings
(https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-multi-region.html). Which
operations a secondary takes is decided in ``idp.pool.availability``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cognito_emu import tagging
from cognito_emu.env import Env
from cognito_emu.errors import (
    FeatureUnavailableInTierException,
    InvalidParameterException,
    LimitExceededException,
    OperationNotEnabledException,
    ResourceNotFoundException,
)
from cognito_emu.idp.continuity import ReplicaStatus, UserPoolReplica
from cognito_emu.idp.models import UserPool
from cognito_emu.pagination import paginate
from cognito_emu.state import State

# "Each user directory can have at most one secondary replica in another Region" (developer guide).
MAX_SECONDARIES = 1
# What each replica configures for itself and UpdateUserPool sets in a secondary's Region; the rest of
# the pool's settings are the primary's. Tags (UserPoolTags) are the replica's own too.
REGIONAL_SETTINGS = ("EmailConfiguration", "SmsConfiguration", "LambdaConfig")


@dataclass(frozen=True, slots=True)
class ReplicaView:
    """One entry of ListUserPoolReplicas (UserPoolReplicaType)."""

    region: str
    status: str
    role: str
    arn: str


def arn_in(pool: UserPool, region: str) -> str:
    return f"arn:aws:cognito-idp:{region}:{pool.account}:userpool/{pool.id}"


def primary_view(pool: UserPool) -> ReplicaView:
    return ReplicaView(pool.region, ReplicaStatus.ACTIVE, "PRIMARY", pool.arn)


def secondary_view(pool: UserPool, replica: UserPoolReplica, status: str | None = None) -> ReplicaView:
    return ReplicaView(replica.region, status or replica.status, "SECONDARY", arn_in(pool, replica.region))


def create_replica(
    env: Env, pool: UserPool, region: str, tags: dict[str, str], known_regions: Iterable[str]
) -> ReplicaView:
    """Add a secondary in ``region``; it is ready (INACTIVE) at once, and the answer says CREATING as
    Cognito's does while it copies the pool."""
    if pool.settings.get("UserPoolTier") == "LITE":
        raise FeatureUnavailableInTierException(
            "Multi-Region replication is available in the Essentials and Plus feature plans only."
        )
    if region == pool.region:
        raise InvalidParameterException(f"User pool {pool.id} is already in {region}, its primary Region.")
    if region not in known_regions:
        raise InvalidParameterException(f"{region} is not a Region where user pools can be replicated.")
    if region in pool.replicas:
        raise InvalidParameterException(f"User pool {pool.id} already has a replica in {region}.")
    if len(pool.replicas) >= MAX_SECONDARIES:
        raise LimitExceededException(
            f"User pool {pool.id} already has a secondary replica; a user pool can have at most "
            f"{MAX_SECONDARIES}."
        )
    key = pool.settings.get("KeyConfiguration") or {}
    key_id = str(key.get("KmsKeyArn", "")).rpartition("/")[2]
    if key.get("KeyType") != "CUSTOMER_MANAGED_KEY" or not key_id.startswith("mrk-"):
        raise InvalidParameterException(
            "Multi-Region replication needs the user pool encrypted with a multi-Region customer managed "
            "KMS key (KeyConfiguration KeyType CUSTOMER_MANAGED_KEY and a KmsKeyArn of an mrk- key)."
        )
    replica = UserPoolReplica(
        region=region,
        created=env.clock.now(),
        tags=tagging.merged({}, tags, "A user pool"),
        settings={
            name: copy.deepcopy(pool.settings[name]) for name in REGIONAL_SETTINGS if name in pool.settings
        },
    )
    pool.replicas[region] = replica
    env.state.replicated_pools.add(pool.id)
    return secondary_view(pool, replica, ReplicaStatus.CREATING)


def list_replicas(pool: UserPool, token: str | None) -> tuple[list[ReplicaView], str | None]:
    """The primary first, then the secondaries by Region."""
    views = [primary_view(pool)] + [secondary_view(pool, pool.replicas[r]) for r in sorted(pool.replicas)]
    ordered = [(f"{index:04d}", view) for index, view in enumerate(views)]
    page, next_token = paginate(ordered, key=lambda item: item[0], limit=60, token=token)
    return [view for _, view in page], next_token


def _secondary(pool: UserPool, region: str) -> UserPoolReplica:
    replica = pool.replicas.get(region)
    if replica is None:
        if region == pool.region:
            raise InvalidParameterException(
                f"{region} is the primary Region of user pool {pool.id}, not a secondary replica."
            )
        raise ResourceNotFoundException(f"User pool {pool.id} has no replica in {region}.")
    return replica


def update_replica(pool: UserPool, region: str, status: str) -> ReplicaView:
    replica = _secondary(pool, region)
    replica.status = ReplicaStatus(status)
    return secondary_view(pool, replica)


def delete_replica(env: Env, pool: UserPool, region: str) -> ReplicaView:
    """Only an INACTIVE secondary can go (API reference); it is gone at once, answered DELETING."""
    replica = _secondary(pool, region)
    if replica.status != ReplicaStatus.INACTIVE:
        raise InvalidParameterException(
            f"The replica of user pool {pool.id} in {region} is {replica.status}; "
            "only an INACTIVE replica can be deleted."
        )
    del pool.replicas[region]
    if not pool.replicas:
        env.state.replicated_pools.discard(pool.id)
    return secondary_view(pool, replica, ReplicaStatus.DELETING)


def update_regional_settings(replica: UserPoolReplica, params: dict[str, Any]) -> None:
    """UpdateUserPool in a secondary's Region: only the Regional settings, each replaced (left out:
    removed, as UpdateUserPool resets what it is not given)."""
    shared = sorted(set(params) - {"UserPoolId", "UserPoolTags", *REGIONAL_SETTINGS})
    if shared:
        raise OperationNotEnabledException(
            f"{', '.join(shared)} can be updated only in the primary Region; a replica sets only "
            f"{', '.join(REGIONAL_SETTINGS)} and UserPoolTags."
        )
    replica.settings = {name: copy.deepcopy(params[name]) for name in REGIONAL_SETTINGS if name in params}
    if "UserPoolTags" in params:
        replica.tags = tagging.merged({}, params["UserPoolTags"], "A user pool")


def regional_view(pool: UserPool, replica: UserPoolReplica) -> dict[str, Any]:
    """The pool's settings as its replica answers them: the primary's, with the replica's own."""
    settings = {k: v for k, v in pool.settings.items() if k not in REGIONAL_SETTINGS}
    return {**settings, **replica.settings}


def replicated_into(state: State, account: str, region: str) -> list[UserPool]:
    """Pools of ``account`` with a secondary in ``region`` (ListUserPools there lists them too)."""
    found = []
    for pool_id in state.replicated_pools:
        pool = state.find_pool(pool_id)
        if pool is not None and pool.account == account and region in pool.replicas:
            found.append(pool)
    return found
