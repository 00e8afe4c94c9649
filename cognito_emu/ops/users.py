"""Admin user operations and ListUsers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.models import User, UserPool
from cognito_emu.idp.pool.pools import get_user_pool
from cognito_emu.idp.self_service import attribute_updates
from cognito_emu.idp.users import accounts, attributes, directory, listing
from cognito_emu.ops.presenters import attribute_list, user_mfa_fields
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def present_user(user: User, attribute_names: list[str] | None = None) -> dict[str, Any]:
    """UserType (AdminCreateUser, ListUsers, ListUsersInGroup)."""
    values: Mapping[str, str] = user.attributes
    if attribute_names is not None:
        values = {name: value for name, value in values.items() if name in attribute_names}
    return {
        "Username": user.username,
        "Attributes": attribute_list(values),
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status.value,
    }


def present_admin_get_user(user: User) -> dict[str, Any]:
    return {
        "Username": user.username,
        "UserAttributes": attribute_list(user.attributes),
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status.value,
        **user_mfa_fields(user),
    }


def _pool_and_user(call: Call, params: dict[str, Any]) -> tuple[UserPool, User]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    return pool, directory.get_user(pool, params["Username"])


def admin_create_user(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    user = accounts.admin_create_user(
        call.env,
        pool,
        params["Username"],
        attributes.as_dict(params.get("UserAttributes")),
        temporary_password=params.get("TemporaryPassword"),
        message_action=params.get("MessageAction"),
        mediums=params.get("DesiredDeliveryMediums"),
        force_alias=bool(params.get("ForceAliasCreation")),
        trigger_input=call.trigger_input(params),
    )
    return {"User": present_user(user)}


def admin_get_user(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return present_admin_get_user(_pool_and_user(call, params)[1])


def admin_delete_user(call: Call, params: dict[str, Any]) -> None:
    accounts.delete_user(*_pool_and_user(call, params))


def admin_enable_user(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    accounts.set_enabled(call.env, *_pool_and_user(call, params), True)
    return {}


def admin_disable_user(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    accounts.disable(call.env, *_pool_and_user(call, params))
    return {}


def admin_confirm_sign_up(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    accounts.admin_confirm_sign_up(call.env, *_pool_and_user(call, params), call.trigger_input(params))
    return {}


def admin_set_user_password(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, user = _pool_and_user(call, params)
    accounts.admin_set_password(call.env, pool, user, params["Password"], bool(params.get("Permanent")))
    return {}


def admin_reset_user_password(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    accounts.admin_reset_password(call.env, *_pool_and_user(call, params), call.trigger_input(params))
    return {}


def admin_update_user_attributes(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, user = _pool_and_user(call, params)
    updates = attributes.as_dict(params["UserAttributes"])
    # AdminUpdateUserAttributesResponse has no members: where codes went is not told, unlike UpdateUserAttributes.
    attribute_updates.update(call.env, pool, user, updates, None, call.trigger_input(params))
    return {}


def admin_delete_user_attributes(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, user = _pool_and_user(call, params)
    attribute_updates.delete(call.env, pool, user, params["UserAttributeNames"], None)
    return {}


def list_users(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    wanted = params.get("AttributesToGet")
    found, token = listing.list_users(
        pool, params.get("Filter"), wanted, params.get("Limit") or 60, params.get("PaginationToken")
    )
    return {"Users": [present_user(user, wanted) for user in found], "PaginationToken": token}


HANDLERS = {
    "AdminCreateUser": admin_create_user,
    "AdminGetUser": admin_get_user,
    "AdminDeleteUser": admin_delete_user,
    "AdminEnableUser": admin_enable_user,
    "AdminDisableUser": admin_disable_user,
    "AdminConfirmSignUp": admin_confirm_sign_up,
    "AdminSetUserPassword": admin_set_user_password,
    "AdminResetUserPassword": admin_reset_user_password,
    "AdminUpdateUserAttributes": admin_update_user_attributes,
    "AdminDeleteUserAttributes": admin_delete_user_attributes,
    "ListUsers": list_users,
}
