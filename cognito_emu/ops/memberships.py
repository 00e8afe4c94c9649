"""Group membership operations."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.pool.pools import get_user_pool
from cognito_emu.idp.users import directory, memberships
from cognito_emu.ops.groups import present_group
from cognito_emu.ops.users import present_user
from cognito_emu.protocol.model import IDP

SERVICE = IDP
# ListUsersInGroup / AdminListGroupsForUser without Limit answer as many as the largest Limit allows.
DEFAULT_LIMIT = 60


def admin_add_user_to_group(call: Call, params: dict[str, Any]) -> None:
    pool = get_user_pool(call.store, params["UserPoolId"])
    memberships.add(pool, directory.get_user(pool, params["Username"]), params["GroupName"])


def admin_remove_user_from_group(call: Call, params: dict[str, Any]) -> None:
    pool = get_user_pool(call.store, params["UserPoolId"])
    memberships.remove(pool, directory.get_user(pool, params["Username"]), params["GroupName"])


def admin_list_groups_for_user(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    user = directory.get_user(pool, params["Username"])
    groups, token = memberships.list_groups_for_user(
        pool, user, params.get("Limit") or DEFAULT_LIMIT, params.get("NextToken")
    )
    return {"Groups": [present_group(group) for group in groups], "NextToken": token}


def list_users_in_group(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    found, token = memberships.list_users_in_group(
        pool, params["GroupName"], params.get("Limit") or DEFAULT_LIMIT, params.get("NextToken")
    )
    return {"Users": [present_user(user) for user in found], "NextToken": token}


HANDLERS = {
    "AdminAddUserToGroup": admin_add_user_to_group,
    "AdminRemoveUserFromGroup": admin_remove_user_from_group,
    "AdminListGroupsForUser": admin_list_groups_for_user,
    "ListUsersInGroup": list_users_in_group,
}
