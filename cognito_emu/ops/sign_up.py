"""Unsigned self-service operations: sign-up, confirmation and password recovery.

Each finds its pool through the app client id and checks SECRET_HASH (for clients with a secret)
against the Username as sent. ClientMetadata, ValidationData, AnalyticsMetadata and UserContextData
are accepted; they matter to triggers and threat protection, not to the outcome here.
"""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.models import AppClient, UserPool
from cognito_emu.idp.pool import client_auth, clients
from cognito_emu.idp.self_service import recovery, sign_up
from cognito_emu.idp.users import attributes
from cognito_emu.ops.presenters import code_delivery_details
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def _client(call: Call, params: dict[str, Any]) -> tuple[UserPool, AppClient]:
    pool, client = clients.find_client(call.env.state, params["ClientId"])
    client_auth.check_secret_hash(client, params["Username"], params.get("SecretHash"))
    return pool, client


def sign_up_handler(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, client = _client(call, params)
    result = sign_up.sign_up(
        call.env,
        pool,
        client,
        params["Username"],
        params.get("Password"),
        attributes.as_dict(params.get("UserAttributes")),
        call.trigger_input(params),
    )
    return {
        # A PreSignUp trigger may confirm the user at once (autoConfirmUser).
        "UserConfirmed": result.user.status.value == "CONFIRMED",
        "UserSub": result.user.sub,
        "CodeDeliveryDetails": code_delivery_details(result.delivery) if result.delivery else None,
    }


def confirm_sign_up(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, client = _client(call, params)
    sign_up.confirm_sign_up(
        call.env,
        pool,
        client,
        params["Username"],
        params["ConfirmationCode"],
        bool(params.get("ForceAliasCreation")),
        call.trigger_input(params),
    )
    return {}


def resend_confirmation_code(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, client = _client(call, params)
    delivery = sign_up.resend_confirmation_code(
        call.env, pool, client, params["Username"], call.trigger_input(params)
    )
    return {"CodeDeliveryDetails": code_delivery_details(delivery)}


def forgot_password(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, client = _client(call, params)
    delivery = recovery.forgot_password(call.env, pool, client, params["Username"], call.trigger_input(params))
    return {"CodeDeliveryDetails": code_delivery_details(delivery)}


def confirm_forgot_password(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, client = _client(call, params)
    recovery.confirm_forgot_password(
        call.env,
        pool,
        client,
        params["Username"],
        params["ConfirmationCode"],
        params["Password"],
        call.trigger_input(params),
    )
    return {}


HANDLERS = {
    "SignUp": sign_up_handler,
    "ConfirmSignUp": confirm_sign_up,
    "ResendConfirmationCode": resend_confirmation_code,
    "ForgotPassword": forgot_password,
    "ConfirmForgotPassword": confirm_forgot_password,
}
