"""User-pool configuration operations."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.continuity import UserPoolReplica
from cognito_emu.idp.models import UserPool
from cognito_emu.idp.pool import pools, replicas
from cognito_emu.protocol.model import IDP
from cognito_emu.shared_presenters import schema_attribute

SERVICE = IDP


def present_user_pool(pool: UserPool, replica: UserPoolReplica | None = None) -> dict[str, Any]:
    """UserPoolType, as the primary or a secondary ``replica`` answers it."""
    return {
        **(pool.settings if replica is None else replicas.regional_view(pool, replica)),
        "Id": pool.id,
        "Name": pool.name,
        "Arn": pool.arn if replica is None else replicas.arn_in(pool, replica.region),
        "CreationDate": pool.created,
        "LastModifiedDate": pool.modified,
        "SchemaAttributes": [schema_attribute(a) for a in pool.schema.values()],
        "EstimatedNumberOfUsers": len(pool.users),
        "UserPoolTags": pool.tags if replica is None else replica.tags,
        "Domain": pool.domain,
        "CustomDomain": pool.custom_domain,
    }


def present_user_pool_description(pool: UserPool, region: str) -> dict[str, Any]:
    """UserPoolDescriptionType (ListUserPools in ``region``)."""
    replica = pool.replicas.get(region)
    settings = pool.settings if replica is None else replicas.regional_view(pool, replica)
    return {
        "Id": pool.id,
        "Name": pool.name,
        "LambdaConfig": settings.get("LambdaConfig", {}),
        "CreationDate": pool.created,
        "LastModifiedDate": pool.modified,
        "ReplicaRegions": sorted(pool.replicas) or None,
    }


def create_user_pool(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {"UserPool": present_user_pool(pools.create_user_pool(call.env, call.store, params))}


def describe_user_pool(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = pools.get_user_pool(call.store, params["UserPoolId"])
    return {"UserPool": present_user_pool(pool, call.replica)}


def list_user_pools(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    region = call.caller.region
    secondaries = replicas.replicated_into(call.env.state, call.account, region)
    page, token = pools.list_user_pools(
        call.store, params["MaxResults"], params.get("NextToken"), secondaries
    )
    return {"UserPools": [present_user_pool_description(p, region) for p in page], "NextToken": token}


def update_user_pool(call: Call, params: dict[str, Any]) -> None:
    if call.replica is not None:
        replicas.update_regional_settings(call.replica, params)
    else:
        pools.update_user_pool(call.env, call.store, params)


def delete_user_pool(call: Call, params: dict[str, Any]) -> None:
    pools.delete_user_pool(call.env, call.store, params["UserPoolId"])


def add_custom_attributes(call: Call, params: dict[str, Any]) -> None:
    pools.add_custom_attributes(call.env, call.store, params["UserPoolId"], params["CustomAttributes"])


def get_csv_header(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    return {"UserPoolId": pool_id, "CSVHeader": pools.csv_header(call.store, pool_id)}


HANDLERS = {
    "CreateUserPool": create_user_pool,
    "DescribeUserPool": describe_user_pool,
    "ListUserPools": list_user_pools,
    "UpdateUserPool": update_user_pool,
    "DeleteUserPool": delete_user_pool,
    "AddCustomAttributes": add_custom_attributes,
    "GetCSVHeader": get_csv_header,
}
