"""Pool settings with operations of their own: MFA, hosted-UI customization, risk, log delivery."""

from __future__ import annotations

import base64
from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.pool import pool_settings
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def get_user_pool_mfa_config(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return pool_settings.get_mfa_config(call.store, params["UserPoolId"])


def set_user_pool_mfa_config(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return pool_settings.set_mfa_config(call.env, call.store, params["UserPoolId"], params)


def set_ui_customization(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    image = base64.b64decode(params["ImageFile"]) if "ImageFile" in params else None
    customization = pool_settings.set_ui_customization(
        call.env, call.store, params["UserPoolId"], params.get("ClientId"), params.get("CSS"), image
    )
    return {"UICustomization": customization}


def get_ui_customization(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    customization = pool_settings.get_ui_customization(
        call.store, params["UserPoolId"], params.get("ClientId")
    )
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
    return {"RiskConfiguration": configuration}


def set_log_delivery_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    configuration = pool_settings.set_log_delivery(
        call.env, call.store, params["UserPoolId"], params["LogConfigurations"]
    )
    return {"LogDeliveryConfiguration": configuration}


def get_log_delivery_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {"LogDeliveryConfiguration": pool_settings.get_log_delivery(call.store, params["UserPoolId"])}


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
