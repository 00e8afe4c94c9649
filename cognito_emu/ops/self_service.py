"""Operations a signed-in user calls with their access token."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp import tokens
from cognito_emu.idp.self_service import attribute_updates, profile
from cognito_emu.idp.users import attributes
from cognito_emu.ops.presenters import attribute_list, code_delivery_details, user_mfa_fields
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def get_user(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    principal = tokens.authenticate(call.env, params["AccessToken"])
    user = principal.user
    return {
        "Username": user.username,
        "UserAttributes": attribute_list(attributes.readable(principal.pool, user, principal.client)),
        **user_mfa_fields(user),
    }


def change_password(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    principal = tokens.authenticate(call.env, params["AccessToken"])
    profile.change_password(
        call.env,
        principal.pool,
        principal.user,
        principal.client.client_id,
        params.get("PreviousPassword") or "",
        params["ProposedPassword"],
    )
    return {}


def update_user_attributes(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    principal = tokens.authenticate(call.env, params["AccessToken"])
    deliveries = attribute_updates.update(
        call.env,
        principal.pool,
        principal.user,
        attributes.as_dict(params["UserAttributes"]),
        principal.client,
        call.trigger_input(params),
    )
    return {"CodeDeliveryDetailsList": [code_delivery_details(d) for d in deliveries]} if deliveries else {}


def delete_user_attributes(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    principal = tokens.authenticate(call.env, params["AccessToken"])
    attribute_updates.delete(
        call.env, principal.pool, principal.user, params["UserAttributeNames"], principal.client
    )
    return {}


def delete_user(call: Call, params: dict[str, Any]) -> None:
    principal = tokens.authenticate(call.env, params["AccessToken"])
    profile.delete_user(call.env, principal.pool, principal.user)


def get_user_attribute_verification_code(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    principal = tokens.authenticate(call.env, params["AccessToken"])
    details = profile.send_verification_code(
        call.env,
        principal.pool,
        principal.client,
        principal.user,
        params["AttributeName"],
        call.trigger_input(params),
    )
    return {"CodeDeliveryDetails": code_delivery_details(details)}


def verify_user_attribute(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    principal = tokens.authenticate(call.env, params["AccessToken"])
    profile.verify_attribute(
        call.env, principal.pool, principal.user, params["AttributeName"], params["Code"]
    )
    return {}


HANDLERS = {
    "GetUser": get_user,
    "ChangePassword": change_password,
    "UpdateUserAttributes": update_user_attributes,
    "DeleteUserAttributes": delete_user_attributes,
    "DeleteUser": delete_user,
    "GetUserAttributeVerificationCode": get_user_attribute_verification_code,
    "VerifyUserAttribute": verify_user_attribute,
}
