"""Session configuration of a user pool and of its app clients."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.pool import session_config
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def present_pool_configuration(pool_id: str, configuration: dict[str, Any]) -> dict[str, Any]:
    """Get/SetUserPoolSessionConfiguration's members."""
    return {"UserPoolId": pool_id, **configuration}


def present_client_configuration(pool_id: str, client_id: str, sso_session: dict[str, Any]) -> dict[str, Any]:
    """Get/SetUserPoolClientSessionConfiguration's members."""
    return {"UserPoolId": pool_id, "ClientId": client_id, "SSOSession": sso_session}


def get_user_pool_session_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    return present_pool_configuration(pool_id, session_config.get_pool_configuration(call.store, pool_id))


def set_user_pool_session_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    return present_pool_configuration(
        pool_id, session_config.set_pool_configuration(call.store, pool_id, params)
    )


def get_user_pool_client_session_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id, client_id = params["UserPoolId"], params["ClientId"]
    sso = session_config.get_client_configuration(call.store, pool_id, client_id)
    return present_client_configuration(pool_id, client_id, sso)


def set_user_pool_client_session_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id, client_id = params["UserPoolId"], params["ClientId"]
    sso = session_config.set_client_configuration(call.store, pool_id, client_id, params["SSOSession"])
    return present_client_configuration(pool_id, client_id, sso)


HANDLERS = {
    "GetUserPoolSessionConfiguration": get_user_pool_session_configuration,
    "SetUserPoolSessionConfiguration": set_user_pool_session_configuration,
    "GetUserPoolClientSessionConfiguration": get_user_pool_client_session_configuration,
    "SetUserPoolClientSessionConfiguration": set_user_pool_client_session_configuration,
}
