"""Multi-Region replication: Create/List/Update/DeleteUserPoolReplica."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.pool import replicas
from cognito_emu.idp.pool.pools import get_user_pool
from cognito_emu.idp.pool.replicas import ReplicaView
from cognito_emu.protocol.model import IDP
from cognito_emu.protocol.regions import user_pool_regions

SERVICE = IDP


def present_replica(view: ReplicaView) -> dict[str, Any]:
    """UserPoolReplicaType."""
    return {"RegionName": view.region, "Status": view.status, "Role": view.role, "UserPoolArn": view.arn}


def create_user_pool_replica(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    view = replicas.create_replica(
        call.env, pool, params["RegionName"], params.get("UserPoolTags") or {}, user_pool_regions(pool.region)
    )
    return {"UserPoolReplica": present_replica(view)}


def list_user_pool_replicas(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    views, token = replicas.list_replicas(pool, params.get("NextToken"))
    return {"UserPoolReplicas": [present_replica(view) for view in views], "NextToken": token}


def update_user_pool_replica(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    return {
        "UserPoolReplica": present_replica(
            replicas.update_replica(pool, params["RegionName"], params["Status"])
        )
    }


def delete_user_pool_replica(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    return {"UserPoolReplica": present_replica(replicas.delete_replica(call.env, pool, params["RegionName"]))}


HANDLERS = {
    "CreateUserPoolReplica": create_user_pool_replica,
    "ListUserPoolReplicas": list_user_pool_replicas,
    "UpdateUserPoolReplica": update_user_pool_replica,
    "DeleteUserPoolReplica": delete_user_pool_replica,
}
