"""User pool group operations."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.models import Group
from cognito_emu.idp.users import groups
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def present_group(group: Group) -> dict[str, Any]:
    """GroupType."""
    return {
        "GroupName": group.name,
        "UserPoolId": group.user_pool_id,
        "Description": group.description,
        "RoleArn": group.role_arn,
        "Precedence": group.precedence,
        "LastModifiedDate": group.modified,
        "CreationDate": group.created,
    }


def create_group(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    group = groups.create_group(
        call.env,
        call.store,
        params["UserPoolId"],
        params["GroupName"],
        description=params.get("Description"),
        role_arn=params.get("RoleArn"),
        precedence=params.get("Precedence"),
    )
    return {"Group": present_group(group)}


def get_group(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {
        "Group": present_group(groups.describe_group(call.store, params["UserPoolId"], params["GroupName"]))
    }


def list_groups(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    page, token = groups.list_groups(
        call.store, params["UserPoolId"], params.get("Limit"), params.get("NextToken")
    )
    return {"Groups": [present_group(g) for g in page], "NextToken": token}


def update_group(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    group = groups.update_group(
        call.env,
        call.store,
        params["UserPoolId"],
        params["GroupName"],
        description=params.get("Description"),
        role_arn=params.get("RoleArn"),
        precedence=params.get("Precedence"),
    )
    return {"Group": present_group(group)}


def delete_group(call: Call, params: dict[str, Any]) -> None:
    groups.delete_group(call.store, params["UserPoolId"], params["GroupName"])


HANDLERS = {
    "CreateGroup": create_group,
    "GetGroup": get_group,
    "ListGroups": list_groups,
    "UpdateGroup": update_group,
    "DeleteGroup": delete_group,
}
