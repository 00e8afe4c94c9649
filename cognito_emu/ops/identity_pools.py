"""cognito-identity: identity pool configuration, roles, principal tag maps and tags."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.identity import pools
from cognito_emu.identity.models import IdentityPool, PrincipalTagMap
from cognito_emu.protocol.model import IDENTITY

SERVICE = IDENTITY


def present_identity_pool(pool: IdentityPool) -> dict[str, Any]:
    """IdentityPool (Create/Describe/UpdateIdentityPool). AllowClassicFlow reads false when it was never
    set, though such a pool still serves the classic flow (``identities.get_open_id_token``)."""
    return {
        "AllowClassicFlow": False,
        **pool.settings,
        "IdentityPoolId": pool.id,
        "IdentityPoolName": pool.name,
        "IdentityPoolTags": pool.tags,
    }


def create_identity_pool(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return present_identity_pool(pools.create_identity_pool(call.env, call.store, params))


def describe_identity_pool(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return present_identity_pool(pools.get_identity_pool(call.store, params["IdentityPoolId"]))


def update_identity_pool(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return present_identity_pool(pools.update_identity_pool(call.env, call.store, params))


def delete_identity_pool(call: Call, params: dict[str, Any]) -> None:
    pools.delete_identity_pool(call.env, call.store, params["IdentityPoolId"])


def list_identity_pools(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    page, token = pools.list_identity_pools(call.store, params["MaxResults"], params.get("NextToken"))
    return {
        "IdentityPools": [{"IdentityPoolId": p.id, "IdentityPoolName": p.name} for p in page],
        "NextToken": token,
    }


def get_identity_pool_roles(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = pools.get_identity_pool(call.store, params["IdentityPoolId"])
    return {"IdentityPoolId": pool.id, "Roles": pool.roles, "RoleMappings": pool.role_mappings or None}


def set_identity_pool_roles(call: Call, params: dict[str, Any]) -> None:
    pools.set_roles(call.store, params["IdentityPoolId"], params["Roles"], params.get("RoleMappings"))


def _present_tag_map(pool_id: str, provider: str, mapping: PrincipalTagMap) -> dict[str, Any]:
    return {
        "IdentityPoolId": pool_id,
        "IdentityProviderName": provider,
        "UseDefaults": mapping.use_defaults,
        "PrincipalTags": mapping.tags,
    }


def get_principal_tag_attribute_map(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id, provider = params["IdentityPoolId"], params["IdentityProviderName"]
    return _present_tag_map(pool_id, provider, pools.principal_tag_map(call.store, pool_id, provider))


def set_principal_tag_attribute_map(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id, provider = params["IdentityPoolId"], params["IdentityProviderName"]
    mapping = pools.set_principal_tag_map(
        call.store, pool_id, provider, params.get("UseDefaults"), params.get("PrincipalTags")
    )
    return _present_tag_map(pool_id, provider, mapping)


def tag_resource(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pools.tag_resource(call.store, params["ResourceArn"], params["Tags"])
    return {}


def untag_resource(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pools.untag_resource(call.store, params["ResourceArn"], params["TagKeys"])
    return {}


def list_tags_for_resource(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {"Tags": pools.list_tags(call.store, params["ResourceArn"])}


HANDLERS = {
    "CreateIdentityPool": create_identity_pool,
    "DescribeIdentityPool": describe_identity_pool,
    "UpdateIdentityPool": update_identity_pool,
    "DeleteIdentityPool": delete_identity_pool,
    "ListIdentityPools": list_identity_pools,
    "GetIdentityPoolRoles": get_identity_pool_roles,
    "SetIdentityPoolRoles": set_identity_pool_roles,
    "GetPrincipalTagAttributeMap": get_principal_tag_attribute_map,
    "SetPrincipalTagAttributeMap": set_principal_tag_attribute_map,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
}
