"""Pool settings with operations of their own: MFA, hosted-UI customization, risk, log delivery."""

from __future__ import annotations

import base64
from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.models import UserPool
from cognito_emu.idp.pool import pool_settings, pools
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def present_mfa_config(pool: UserPool) -> dict[str, Any]:
    """Get/SetUserPoolMfaConfig's members: the factors as set, and the pool's MfaConfiguration."""
    return {**pool.mfa_config, "MfaConfiguration": pools.mfa_configuration(pool)}


def present_log_delivery(pool_id: str, configurations: list[dict[str, Any]]) -> dict[str, Any]:
    """LogDeliveryConfigurationType."""
    return {"UserPoolId": pool_id, "LogConfigurations": configurations}


def get_user_pool_mfa_config(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return present_mfa_config(pools.get_user_pool(call.store, params["UserPoolId"]))


def set_user_pool_mfa_config(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return present_mfa_config(
        pool_settings.set_mfa_config(call.env, call.store, params["UserPoolId"], params)
    )


def set_ui_customization(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    image = base64.b64decode(params["ImageFile"]) if "ImageFile" in params else None
    customization = pool_settings.set_ui_customization(
        call.env, call.store, params["UserPoolId"], params.get("ClientId"), params.get("CSS"), image
    )
    return {"UICustomization": customization}


def get_ui_customization(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    key, customization = pool_settings.get_ui_customization(
        call.store, params["UserPoolId"], params.get("ClientId")
    )
    if customization is None:
        # Nothing customized for the client nor the pool: Cognito answers just the ids.
        customization = {"UserPoolId": params["UserPoolId"], "ClientId": key}
    return {"UICustomization": customization}


def set_risk_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    configuration = pool_settings.set_risk_configuration(
        call.env, call.store, params["UserPoolId"], params.get("ClientId"), params
    )
    return {"RiskConfiguration": configuration}


def describe_risk_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    configuration = pool_settings.describe_risk_configuration(
        call.store, params["UserPoolId"], params.get("ClientId")
    )
    if configuration is None:
        # Nothing configured for the client nor the pool: Cognito answers just the ids.
        configuration = {"UserPoolId": params["UserPoolId"], "ClientId": params.get("ClientId")}
    return {"RiskConfiguration": configuration}


def set_log_delivery_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    configurations = pool_settings.set_log_delivery(
        call.env, call.store, pool_id, params["LogConfigurations"], call.replica
    )
    return {"LogDeliveryConfiguration": present_log_delivery(pool_id, configurations)}


def get_log_delivery_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    configurations = pool_settings.get_log_delivery(call.store, pool_id, call.replica)
    return {"LogDeliveryConfiguration": present_log_delivery(pool_id, configurations)}


HANDLERS = {
    "GetUserPoolMfaConfig": get_user_pool_mfa_config,
    "SetUserPoolMfaConfig": set_user_pool_mfa_config,
    "SetUICustomization": set_ui_customization,
    "GetUICustomization": get_ui_customization,
    "SetRiskConfiguration": set_risk_configuration,
    "DescribeRiskConfiguration": describe_risk_configuration,
    "SetLogDeliveryConfiguration": set_log_delivery_configuration,
    "GetLogDeliveryConfiguration": get_log_delivery_configuration,
}
