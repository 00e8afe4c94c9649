"""MFA operations: software tokens, MFA preferences, the legacy MFAOptions, auth factors."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp import tokens
from cognito_emu.idp.factors import mfa, software_tokens
from cognito_emu.idp.models import User, UserPool
from cognito_emu.idp.pool.pools import get_user_pool
from cognito_emu.idp.users import directory
from cognito_emu.ops.presenters import user_mfa_fields
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def _admin_user(call: Call, params: dict[str, Any]) -> tuple[UserPool, User]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    return pool, directory.get_user(pool, params["Username"])


def _token_user(call: Call, params: dict[str, Any]) -> tuple[UserPool, User]:
    principal = tokens.authenticate(call.env, params["AccessToken"])
    return principal.pool, principal.user


def _preferences(params: dict[str, Any]) -> dict[str, dict[str, Any] | None]:
    return {
        mfa.SMS_MFA: params.get("SMSMfaSettings"),
        mfa.SOFTWARE_TOKEN_MFA: params.get("SoftwareTokenMfaSettings"),
        mfa.EMAIL_OTP: params.get("EmailMfaSettings"),
    }


def _present_auth_factors(pool: UserPool, user: User) -> dict[str, Any]:
    """Get/AdminGetUserAuthFactors: the user's MFA members but MFAOptions, and the first factors."""
    fields = user_mfa_fields(user)
    fields.pop("MFAOptions", None)
    return {
        "Username": user.username,
        **fields,
        "ConfiguredUserAuthFactors": mfa.configured_first_factors(pool, user),
    }


def associate_software_token(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    association = software_tokens.associate(call.env, params.get("AccessToken"), params.get("Session"))
    if association.session is None:
        return {"SecretCode": association.secret}
    return {"SecretCode": association.secret, "Session": association.session}


def verify_software_token(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    following = software_tokens.verify(
        call.env,
        params.get("AccessToken"),
        params.get("Session"),
        params["UserCode"],
        params.get("FriendlyDeviceName"),
    )
    if following is None:
        return {"Status": "SUCCESS"}
    return {"Status": "SUCCESS", "Session": following}


def admin_delete_software_token(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    software_tokens.delete(call.env, _admin_user(call, params)[1])
    return {}


def set_user_mfa_preference(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, user = _token_user(call, params)
    mfa.set_preference(call.env, pool, user, _preferences(params))
    return {}


def admin_set_user_mfa_preference(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, user = _admin_user(call, params)
    mfa.set_preference(call.env, pool, user, _preferences(params))
    return {}


def set_user_settings(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, user = _token_user(call, params)
    mfa.set_mfa_options(call.env, pool, user, params["MFAOptions"])
    return {}


def admin_set_user_settings(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, user = _admin_user(call, params)
    mfa.set_mfa_options(call.env, pool, user, params["MFAOptions"])
    return {}


def get_user_auth_factors(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return _present_auth_factors(*_token_user(call, params))


def admin_get_user_auth_factors(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return _present_auth_factors(*_admin_user(call, params))


HANDLERS = {
    "AssociateSoftwareToken": associate_software_token,
    "VerifySoftwareToken": verify_software_token,
    "AdminDeleteSoftwareToken": admin_delete_software_token,
    "SetUserMFAPreference": set_user_mfa_preference,
    "AdminSetUserMFAPreference": admin_set_user_mfa_preference,
    "SetUserSettings": set_user_settings,
    "AdminSetUserSettings": admin_set_user_settings,
    "GetUserAuthFactors": get_user_auth_factors,
    "AdminGetUserAuthFactors": admin_get_user_auth_factors,
}
