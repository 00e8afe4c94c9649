"""User pools: creation and update with Cognito's defaults, lookup, listing, deletion, and the
accessors other modules read a pool's configuration through."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import (
    FeatureUnavailableInTierException,
    InvalidParameterException,
    ResourceNotFoundException,
)
from cognito_emu.idp import key_reserve, keys
from cognito_emu.idp.continuity import PlanPeriod
from cognito_emu.idp.models import UserPool
from cognito_emu.idp.pool import acr_levels, schema
from cognito_emu.pagination import paginate
from cognito_emu.state import Store

# No Policies at all: what CreateUserPool stores and sign-up enforces.
DEFAULT_PASSWORD_POLICY: dict[str, Any] = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}
DEFAULT_SIGN_IN_POLICY: dict[str, Any] = {"AllowedFirstAuthFactors": ["PASSWORD"]}

# Chosen at creation and fixed afterwards: UpdateUserPool has no member for them
# (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-updating.html).
_FIXED_AT_CREATION = ("UsernameAttributes", "AliasAttributes", "UsernameConfiguration")
# The exceptions UpdateUserPool's reference names to "sets it to its default value": a DcrConfiguration
# left out is kept ("If you omit this parameter, Amazon Cognito keeps the existing configuration").
_KEPT_WHEN_OMITTED = ("DcrConfiguration",)

# Legacy top-level message members and the VerificationMessageTemplate members Cognito keeps equal.
_LEGACY_MESSAGES = {
    "EmailVerificationMessage": "EmailMessage",
    "EmailVerificationSubject": "EmailSubject",
    "SmsVerificationMessage": "SmsMessage",
}

# Threat protection "is available in the Plus feature plan" (developer guide; UserPoolAddOnsType: "your user
# pool must be on the Plus tier"); the refusal as Cognito words it for a pool on another plan.
_THREAT_PROTECTION_NEEDS_PLUS = (
    "The following features need to be disabled for the {tier} pricing tier configured: Threat Protection"
)

# DcrConfiguration: "your user pool must be in the Essentials tier or higher", and "to change the feature
# plan of the user pool to Lite, you must also set EnableStatus to Disabled" (UpdateUserPool). Not AWS's
# wording, which is not documented.
_DCR_NEEDS_ESSENTIALS = (
    "Dynamic client registration (DcrConfiguration) needs the Essentials or Plus feature plan: "
    "set its EnableStatus to Disabled on the Lite plan."
)

_SMS_MFA_NEEDS_SMS = (
    "SMS configuration and Auto verification for phone_number are required when MFA is required/optional"
)


def create_user_pool(env: Env, store: Store, params: dict[str, Any]) -> UserPool:
    if params.get("UsernameAttributes") and params.get("AliasAttributes"):
        raise InvalidParameterException(
            "UsernameAttributes and AliasAttributes cannot both be set: choose one way for users to sign in."
        )
    now = env.clock.now()
    settings = _settings(params)
    settings.update({key: params[key] for key in _FIXED_AT_CREATION if key in params})
    settings.setdefault("UserPoolTier", "ESSENTIALS")
    _acr_configuration(settings)
    check_feature_plan(settings)
    pool = UserPool(
        id=env.ids.user_pool_id(store.region),
        name=params["PoolName"],
        account=store.account,
        region=store.region,
        created=now,
        modified=now,
        settings=settings,
        schema=schema.build_schema(params.get("Schema")),
        tags=dict(params.get("UserPoolTags") or {}),
        # Point-in-time recovery's history of the pool begins empty, at its creation.
        user_data_written=now,
        plans=[PlanPeriod(now, settings["UserPoolTier"])],
    )
    check_mfa(pool.settings, pool.mfa_config)
    if settings["MfaConfiguration"] != "OFF":
        pool.mfa_config["SmsMfaConfiguration"] = sms_mfa_configuration(pool)
    env.state.add_pool(pool)
    if env.signing_key is not None:
        keys.use_signing_key(pool, env.signing_key)
    else:
        # The pool's signing keys are made on its first token; have fresh ones ready by then.
        key_reserve.RESERVE.fill()
    return pool


def update_user_pool(env: Env, store: Store, params: dict[str, Any]) -> UserPool:
    """Replace the pool's updatable settings: Cognito resets every member the request leaves out to
    its default (API reference, UpdateUserPool)."""
    pool = get_user_pool(store, params["UserPoolId"])
    settings = _settings(params)
    settings.update({key: pool.settings[key] for key in _FIXED_AT_CREATION if key in pool.settings})
    settings.update(
        {key: pool.settings[key] for key in _KEPT_WHEN_OMITTED if key in pool.settings and key not in params}
    )
    settings.setdefault("UserPoolTier", pool.settings.get("UserPoolTier", "ESSENTIALS"))
    _acr_configuration(settings)
    check_feature_plan(settings)
    check_mfa(settings, pool.mfa_config)
    now = env.clock.now()
    tier = pool.settings.get("UserPoolTier", "ESSENTIALS")
    if settings["UserPoolTier"] != tier:
        if not pool.plans:
            # Data from before plans were kept: the plan until now is the only one known.
            pool.plans.append(PlanPeriod(pool.created, tier))
        pool.plans.append(PlanPeriod(now, settings["UserPoolTier"]))
    pool.settings = settings
    if "SmsMfaConfiguration" in pool.mfa_config or settings["MfaConfiguration"] != "OFF":
        if "SmsConfiguration" in settings:
            pool.mfa_config["SmsMfaConfiguration"] = sms_mfa_configuration(pool)
        else:
            pool.mfa_config.pop("SmsMfaConfiguration", None)
    if "PoolName" in params:
        pool.name = params["PoolName"]
    if "UserPoolTags" in params:
        pool.tags = dict(params["UserPoolTags"])
    pool.modified = now
    return pool


def _acr_configuration(settings: dict[str, Any]) -> None:
    if "AcrConfiguration" in settings:
        settings["AcrConfiguration"] = acr_levels.effective(settings["AcrConfiguration"], settings["UserPoolTier"])


def _settings(params: dict[str, Any]) -> dict[str, Any]:
    """The stored settings of a Create/UpdateUserPool request, with Cognito's defaults filled in."""
    ignored = {"PoolName", "UserPoolId", "Schema", "UserPoolTags", *_FIXED_AT_CREATION}
    settings = {key: copy.deepcopy(value) for key, value in params.items() if key not in ignored}

    policies = settings.setdefault("Policies", {})
    given_policy = policies.get("PasswordPolicy")
    admin = {"AllowAdminCreateUserOnly": False, **settings.get("AdminCreateUserConfig", {})}
    if given_policy is None:
        policy = dict(DEFAULT_PASSWORD_POLICY)
    else:
        # A policy given in part keeps the API's defaults for what it leaves out: booleans are off.
        policy = {
            "MinimumLength": 8,
            "RequireUppercase": False,
            "RequireLowercase": False,
            "RequireNumbers": False,
            "RequireSymbols": False,
            **given_policy,
        }
    validity = _temporary_password_validity((given_policy or {}).get("TemporaryPasswordValidityDays"), admin)
    policy["TemporaryPasswordValidityDays"] = admin["UnusedAccountValidityDays"] = validity
    policies["PasswordPolicy"] = policy
    policies.setdefault("SignInPolicy", copy.deepcopy(DEFAULT_SIGN_IN_POLICY))
    settings["AdminCreateUserConfig"] = admin

    settings.setdefault("DeletionProtection", "INACTIVE")
    settings.setdefault("LambdaConfig", {})
    settings.setdefault("MfaConfiguration", "OFF")
    settings["EmailConfiguration"] = {
        "EmailSendingAccount": "COGNITO_DEFAULT",
        **settings.get("EmailConfiguration", {}),
    }
    template = {"DefaultEmailOption": "CONFIRM_WITH_CODE", **settings.get("VerificationMessageTemplate", {})}
    for legacy, member in _LEGACY_MESSAGES.items():
        if member not in template and legacy in settings:
            template[member] = settings[legacy]
        if member in template:
            settings[legacy] = template[member]
    settings["VerificationMessageTemplate"] = template
    if "DcrConfiguration" in settings:
        # A configuration given replaces the one before whole: "Members that you omit revert to their
        # default values, and an omitted EnableStatus turns dynamic client registration on"; open
        # registration is off by default (DcrConfigurationType).
        settings["DcrConfiguration"] = {
            "EnableStatus": "Enabled",
            "OpenDcrEnabled": False,
            **settings["DcrConfiguration"],
        }
    return settings


def _temporary_password_validity(policy_days: int | None, admin: dict[str, Any]) -> int:
    """TemporaryPasswordValidityDays replaced AdminCreateUserConfig's UnusedAccountValidityDays; Cognito
    keeps the two equal and refuses a request that sets them differently. A TemporaryPasswordValidityDays
    of 0 is "a null value" and gets the default (PasswordPolicyType)."""
    policy_days = policy_days or None
    unused_days = admin.get("UnusedAccountValidityDays")
    if policy_days is not None and unused_days is not None and policy_days != unused_days:
        raise InvalidParameterException(
            "Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays"
        )
    return next((d for d in (policy_days, unused_days) if d is not None), 7)


def check_feature_plan(settings: dict[str, Any]) -> None:
    """Threat protection (AdvancedSecurityMode AUDIT or ENFORCED) only on the Plus plan; dynamic client
    registration turned on (an omitted DcrConfiguration is kept by an update) not on the Lite plan."""
    tier = settings["UserPoolTier"]
    if tier != "PLUS" and (settings.get("UserPoolAddOns") or {}).get("AdvancedSecurityMode", "OFF") != "OFF":
        raise FeatureUnavailableInTierException(_THREAT_PROTECTION_NEEDS_PLUS.format(tier=tier))
    if tier == "LITE" and (settings.get("DcrConfiguration") or {}).get("EnableStatus") == "Enabled":
        raise FeatureUnavailableInTierException(_DCR_NEEDS_ESSENTIALS)


def check_mfa(settings: dict[str, Any], mfa_config: dict[str, Any]) -> None:
    """MFA ON or OPTIONAL needs a factor: SMS (an SmsConfiguration), TOTP or email MFA."""
    if settings.get("MfaConfiguration", "OFF") == "OFF":
        return
    totp = mfa_config.get("SoftwareTokenMfaConfiguration", {}).get("Enabled", False)
    if "SmsConfiguration" not in settings and not totp and "EmailMfaConfiguration" not in mfa_config:
        raise InvalidParameterException(_SMS_MFA_NEEDS_SMS)


def get_user_pool(store: Store, pool_id: str) -> UserPool:
    pool = store.user_pools.get(pool_id)
    if pool is None:
        raise ResourceNotFoundException(f"User pool {pool_id} does not exist.")
    return pool


def list_user_pools(
    store: Store, max_results: int, token: str | None, secondaries: Iterable[UserPool] = ()
) -> tuple[list[UserPool], str | None]:
    """The Region's pools, with the pools of other Regions replicated into it (``secondaries``)."""
    pools = sorted([*store.user_pools.values(), *secondaries], key=lambda p: p.id)
    return paginate(pools, key=lambda p: p.id, limit=max_results, token=token)


def delete_user_pool(env: Env, store: Store, pool_id: str) -> None:
    pool = get_user_pool(store, pool_id)
    if pool.replicas:
        raise InvalidParameterException(
            f"User pool {pool.id} has replicas in {', '.join(sorted(pool.replicas))}; delete them first."
        )
    if pool.settings.get("DeletionProtection") == "ACTIVE":
        raise InvalidParameterException(
            "The user pool cannot be deleted because deletion protection is activated. "
            "Deletion protection must be inactivated first."
        )
    if pool.domains:
        raise InvalidParameterException(
            "User pool cannot be deleted. It has a domain configured that should be deleted first."
        )
    env.state.remove_pool(pool)


def add_custom_attributes(env: Env, store: Store, pool_id: str, attributes: list[dict[str, Any]]) -> None:
    pool = get_user_pool(store, pool_id)
    schema.add_custom_attributes(pool.schema, attributes)
    pool.modified = env.clock.now()


def csv_header(store: Store, pool_id: str) -> list[str]:
    return schema.csv_header(get_user_pool(store, pool_id).schema)


# Accessors: how the rest of the emulator reads a pool's configuration.


def allowed_first_auth_factors(pool: UserPool) -> list[str]:
    policy = pool.settings.get("Policies", {}).get("SignInPolicy", DEFAULT_SIGN_IN_POLICY)
    return list(policy.get("AllowedFirstAuthFactors", ["PASSWORD"]))


def passwordless_sign_in(pool: UserPool) -> bool:
    """Whether users may have no password: the sign-in policy allows an email or SMS one-time code as a
    first factor (SignUp's Password and AdminCreateUser's TemporaryPassword references: "when your user
    pool supports passwordless sign-in with email or SMS OTPs"). A passkey alone is no way in for a user
    who has never signed in."""
    return bool({"EMAIL_OTP", "SMS_OTP"} & set(allowed_first_auth_factors(pool)))


def auto_verified_attributes(pool: UserPool) -> list[str]:
    return list(pool.settings.get("AutoVerifiedAttributes", []))


def mfa_configuration(pool: UserPool) -> str:
    """OFF, ON or OPTIONAL."""
    return str(pool.settings.get("MfaConfiguration", "OFF"))


def sms_mfa_configuration(pool: UserPool) -> dict[str, Any]:
    return {
        "SmsAuthenticationMessage": pool.settings.get("SmsAuthenticationMessage"),
        "SmsConfiguration": pool.settings.get("SmsConfiguration"),
    }


def admin_create_user_only(pool: UserPool) -> bool:
    return bool(pool.settings.get("AdminCreateUserConfig", {}).get("AllowAdminCreateUserOnly", False))
