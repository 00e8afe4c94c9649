"""Device operations: ConfirmDevice, Get/List/UpdateStatus/Forget with an access token, and their Admin* forms."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.errors import InvalidParameterException
from cognito_emu.idp import tokens
from cognito_emu.idp.factors import devices
from cognito_emu.idp.models import Device, User
from cognito_emu.idp.pool.pools import get_user_pool
from cognito_emu.idp.users import directory
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def present_device(device: Device) -> dict[str, Any]:
    """DeviceType."""
    attributes = [{"Name": "device_status", "Value": "valid"}]
    if device.name:
        attributes.append({"Name": "device_name", "Value": device.name})
    if device.remembered_status:
        attributes.append({"Name": "dev:device_remembered_status", "Value": device.remembered_status})
    return {
        "DeviceKey": device.key,
        "DeviceAttributes": attributes,
        "DeviceCreateDate": device.created,
        "DeviceLastModifiedDate": device.modified,
        "DeviceLastAuthenticatedDate": device.last_authenticated or device.created,
    }


def _signed_in(call: Call, params: dict[str, Any]) -> tokens.Principal:
    access_token = params.get("AccessToken")
    if not access_token:
        raise InvalidParameterException("Missing required parameter AccessToken")
    return tokens.authenticate(call.env, access_token)


def _admin_user(call: Call, params: dict[str, Any]) -> User:
    pool = get_user_pool(call.store, params["UserPoolId"])
    return directory.get_user(pool, params["Username"])


def _page(user: User, params: dict[str, Any]) -> dict[str, Any]:
    page, token = devices.listing(user, params.get("Limit"), params.get("PaginationToken"))
    out: dict[str, Any] = {"Devices": [present_device(device) for device in page]}
    if token:
        out["PaginationToken"] = token
    return out


def confirm_device(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    principal = _signed_in(call, params)
    necessary = devices.confirm(
        call.env,
        principal.pool,
        principal.user,
        params["DeviceKey"],
        params.get("DeviceSecretVerifierConfig"),
        params.get("DeviceName"),
    )
    return {"UserConfirmationNecessary": necessary}


def get_device(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    user = _signed_in(call, params).user
    return {"Device": present_device(devices.tracked(user, params["DeviceKey"]))}


def list_devices(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return _page(_signed_in(call, params).user, params)


def update_device_status(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    user = _signed_in(call, params).user
    devices.set_status(call.env, user, params["DeviceKey"], params.get("DeviceRememberedStatus"))
    return {}


def forget_device(call: Call, params: dict[str, Any]) -> None:
    devices.forget(_signed_in(call, params).user, params["DeviceKey"])


def admin_get_device(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    user = _admin_user(call, params)
    return {"Device": present_device(devices.tracked(user, params["DeviceKey"]))}


def admin_list_devices(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return _page(_admin_user(call, params), params)


def admin_update_device_status(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    user = _admin_user(call, params)
    devices.set_status(call.env, user, params["DeviceKey"], params.get("DeviceRememberedStatus"))
    return {}


def admin_forget_device(call: Call, params: dict[str, Any]) -> None:
    devices.forget(_admin_user(call, params), params["DeviceKey"])


HANDLERS = {
    "ConfirmDevice": confirm_device,
    "GetDevice": get_device,
    "ListDevices": list_devices,
    "UpdateDeviceStatus": update_device_status,
    "ForgetDevice": forget_device,
    "AdminGetDevice": admin_get_device,
    "AdminListDevices": admin_list_devices,
    "AdminUpdateDeviceStatus": admin_update_device_status,
    "AdminForgetDevice": admin_forget_device,
}
