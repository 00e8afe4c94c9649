"""Pool settings with their own operations: MFA, classic hosted-UI customization, risk configuration
(threat protection) and log delivery. Cognito stores and echoes them; the MFA accessors here are what
sign-in reads."""

from __future__ import annotations

import base64
import time
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import (
    InvalidParameterException,
    ResourceNotFoundException,
    UserPoolAddOnNotEnabledException,
)
from cognito_emu.idp.continuity import UserPoolReplica
from cognito_emu.idp.models import UserPool
from cognito_emu.idp.pool import pools
from cognito_emu.state import Store

# Cognito's words for SetUserPoolMfaConfig's two contradictions (quoted in sst#5177 and
# terraform-aws-cognito-user-pool#74).
MFA_NEEDS_A_FACTOR = (
    "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration."
)
MFA_OFF_WITH_A_FACTOR = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
ALL_CLIENTS = "ALL"
# SetUICustomization: "Your user pool must have a domain"; Cognito's words as quoted in
# amazon-connect/voicemail-for-amazon-connect#5.
NO_DOMAIN = "A domain must be associated with this user pool."
_POOL_WIDE_RISK = ""

# MFA


def set_mfa_config(env: Env, store: Store, pool_id: str, params: dict[str, Any]) -> UserPool:
    """SetUserPoolMfaConfig replaces the set of MFA factors: one left out is turned off."""
    pool = pools.get_user_pool(store, pool_id)
    mode = params.get("MfaConfiguration", pools.mfa_configuration(pool))
    settings = dict(pool.settings)
    config: dict[str, Any] = {}
    sms = params.get("SmsMfaConfiguration")
    if sms is not None:
        settings.update(
            {key: sms[key] for key in ("SmsConfiguration", "SmsAuthenticationMessage") if key in sms}
        )
        if "SmsConfiguration" not in settings:
            raise InvalidParameterException("SMS configuration is required to turn on SMS MFA.")
    for member in ("SoftwareTokenMfaConfiguration", "EmailMfaConfiguration"):
        if member in params:
            config[member] = params[member]
    webauthn = params.get("WebAuthnConfiguration", pool.mfa_config.get("WebAuthnConfiguration"))
    if webauthn is not None:
        config["WebAuthnConfiguration"] = webauthn
    totp = config.get("SoftwareTokenMfaConfiguration", {}).get("Enabled", False)
    configures_a_factor = sms is not None or totp or "EmailMfaConfiguration" in config
    if mode != "OFF" and not configures_a_factor:
        raise InvalidParameterException(MFA_NEEDS_A_FACTOR)
    # Asked for OFF in the same request, that is; left out, the factors are kept for a later ON.
    if params.get("MfaConfiguration") == "OFF" and configures_a_factor:
        raise InvalidParameterException(MFA_OFF_WITH_A_FACTOR)
    settings["MfaConfiguration"] = mode
    pool.settings = settings
    if sms is not None:
        config["SmsMfaConfiguration"] = pools.sms_mfa_configuration(pool)
    pool.mfa_config = config
    pool.modified = env.clock.now()
    return pool


def sms_mfa_enabled(pool: UserPool) -> bool:
    return "SmsMfaConfiguration" in pool.mfa_config


def software_token_mfa_enabled(pool: UserPool) -> bool:
    return bool(pool.mfa_config.get("SoftwareTokenMfaConfiguration", {}).get("Enabled", False))


def email_mfa_enabled(pool: UserPool) -> bool:
    return "EmailMfaConfiguration" in pool.mfa_config


# Classic hosted-UI customization


def set_ui_customization(
    env: Env, store: Store, pool_id: str, client_id: str | None, css: str | None, image: bytes | None
) -> dict[str, Any]:
    """UICustomizationType for one app client, or for every client without its own (``ALL``).

    The logo comes back as a data: URL, so a page can show it without the emulator hosting assets.
    """
    pool = pools.get_user_pool(store, pool_id)
    if not pool.domains:
        raise InvalidParameterException(NO_DOMAIN)
    key = _ui_key(pool, client_id)
    now = env.clock.now()
    previous = pool.ui_customizations.get(key, {})
    customization: dict[str, Any] = {
        "UserPoolId": pool.id,
        "ClientId": key,
        "CSS": css,
        "CSSVersion": time.strftime("%Y%m%d%H%M%S", time.gmtime(now)) if css is not None else None,
        "ImageUrl": _data_url(image) if image else None,
        "CreationDate": previous.get("CreationDate", now),
        "LastModifiedDate": now,
    }
    pool.ui_customizations[key] = customization
    return customization


def get_ui_customization(
    store: Store, pool_id: str, client_id: str | None
) -> tuple[str, dict[str, Any] | None]:
    """The key asked for (the client id, or ``ALL``) and the customization that applies to it: the
    client's own, else the pool-wide one, else None."""
    pool = pools.get_user_pool(store, pool_id)
    key = _ui_key(pool, client_id)
    return key, pool.ui_customizations.get(key) or pool.ui_customizations.get(ALL_CLIENTS)


def _ui_key(pool: UserPool, client_id: str | None) -> str:
    if client_id is None or client_id == ALL_CLIENTS:
        return ALL_CLIENTS
    _require_client(pool, client_id)
    return client_id


_IMAGE_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def _data_url(image: bytes) -> str:
    kind = next((mime for magic, mime in _IMAGE_TYPES if image.startswith(magic)), None)
    if kind is None and b"<svg" in image[:1024]:
        kind = "image/svg+xml"
    if kind is None:
        raise InvalidParameterException("The image file must be a PNG, JPEG or SVG image.")
    return f"data:{kind};base64,{base64.b64encode(image).decode()}"


# Risk configuration (threat protection)

_RISK_MEMBERS = (
    "CompromisedCredentialsRiskConfiguration",
    "AccountTakeoverRiskConfiguration",
    "RiskExceptionConfiguration",
)


def set_risk_configuration(
    env: Env, store: Store, pool_id: str, client_id: str | None, params: dict[str, Any]
) -> dict[str, Any]:
    pool = pools.get_user_pool(store, pool_id)
    mode = pool.settings.get("UserPoolAddOns", {}).get("AdvancedSecurityMode", "OFF")
    if mode == "OFF":
        raise UserPoolAddOnNotEnabledException(
            "Threat protection (UserPoolAddOns AdvancedSecurityMode AUDIT or ENFORCED) is not enabled for "
            f"user pool {pool.id}."
        )
    key = _risk_key(pool, client_id)
    configuration: dict[str, Any] = {"UserPoolId": pool.id, "ClientId": client_id}
    configuration.update({member: params[member] for member in _RISK_MEMBERS if member in params})
    configuration["LastModifiedDate"] = env.clock.now()
    pool.risk_configurations[key] = configuration
    return configuration


def describe_risk_configuration(store: Store, pool_id: str, client_id: str | None) -> dict[str, Any] | None:
    """The client's risk configuration, else the pool's, else None."""
    pool = pools.get_user_pool(store, pool_id)
    key = _risk_key(pool, client_id)
    return pool.risk_configurations.get(key) or pool.risk_configurations.get(_POOL_WIDE_RISK)


def risk_configuration_for(pool: UserPool, client_id: str) -> dict[str, Any]:
    """What a sign-in through ``client_id`` applies: the client's risk configuration, else the pool's."""
    return pool.risk_configurations.get(client_id) or pool.risk_configurations.get(_POOL_WIDE_RISK) or {}


def _risk_key(pool: UserPool, client_id: str | None) -> str:
    if client_id is None:
        return _POOL_WIDE_RISK
    _require_client(pool, client_id)
    return client_id


# Log delivery


def set_log_delivery(
    env: Env,
    store: Store,
    pool_id: str,
    configurations: list[dict[str, Any]],
    replica: UserPoolReplica | None = None,
) -> list[dict[str, Any]]:
    """The pool's log export, or the secondary ``replica``'s, which keeps its own."""
    pool = pools.get_user_pool(store, pool_id)
    sources: set[str] = set()
    for configuration in configurations:
        destinations = [
            key
            for key in ("CloudWatchLogsConfiguration", "S3Configuration", "FirehoseConfiguration")
            if key in configuration
        ]
        if len(destinations) != 1:
            raise InvalidParameterException(
                "Each log configuration needs exactly one destination: CloudWatch Logs, S3 or Firehose."
            )
        if configuration["EventSource"] in sources:
            raise InvalidParameterException(
                f"Only one log configuration per event source; {configuration['EventSource']} is repeated."
            )
        sources.add(configuration["EventSource"])
    if replica is not None:
        replica.log_delivery = list(configurations)
        return replica.log_delivery
    pool.log_delivery = list(configurations)
    pool.modified = env.clock.now()
    return pool.log_delivery


def get_log_delivery(
    store: Store, pool_id: str, replica: UserPoolReplica | None = None
) -> list[dict[str, Any]]:
    """The LogConfigurations as set for the pool, or for the secondary ``replica``."""
    pool = pools.get_user_pool(store, pool_id)
    return pool.log_delivery if replica is None else replica.log_delivery


def _require_client(pool: UserPool, client_id: str) -> None:
    if client_id not in pool.clients:
        raise ResourceNotFoundException(f"User pool client {client_id} does not exist.")
