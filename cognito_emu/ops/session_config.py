"""Session configuration of a user pool and of its app clients."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.pool import session_config
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def get_user_pool_session_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return session_config.get_pool_configuration(call.store, params["UserPoolId"])


def set_user_pool_session_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return session_config.set_pool_configuration(call.store, params["UserPoolId"], params)


def get_user_pool_client_session_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return session_config.get_client_configuration(call.store, params["UserPoolId"], params["ClientId"])


def set_user_pool_client_session_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return session_config.set_client_configuration(
        call.store, params["UserPoolId"], params["ClientId"], params["SSOSession"]
    )


HANDLERS = {
    "GetUserPoolSessionConfiguration": get_user_pool_session_configuration,
    "SetUserPoolSessionConfiguration": set_user_pool_session_configuration,
    "GetUserPoolClientSessionConfiguration": get_user_pool_client_session_configuration,
    "SetUserPoolClientSessionConfiguration": set_user_pool_client_session_configuration,
}
