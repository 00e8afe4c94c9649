"""Multi-factor authentication: a user's factors and preference, and which of them a sign-in asks for
(developer guide, "Adding MFA to a user pool"). The challenges themselves are
``idp.signin.mfa_challenge`` (opened after a right password) and ``idp.signin.mfa_answers``.

Factors: SMS_MFA (a code to ``phone_number``), SOFTWARE_TOKEN_MFA (TOTP from an authenticator app,
``idp.factors.software_tokens``) and EMAIL_OTP (a code to ``email``). The pool's MfaConfiguration decides:

- OFF: no MFA at sign-in, whatever the users turned on.
- OPTIONAL: the factors the user turned on (SetUserMFAPreference, AdminSetUserMFAPreference, the legacy
  SetUserSettings MFAOptions for SMS) and can still use are asked for; none: tokens.
- ON: as OPTIONAL; a user with none turned on is asked for the factors they have the means for (a
  phone number, a verified software token, an email address); a user with no means gets MFA_SETUP
  (MFAS_CAN_SETUP), answered by AssociateSoftwareToken and VerifySoftwareToken with the Session, then
  RespondToAuthChallenge MFA_SETUP.

With one factor it is challenged; with several, the preferred one, else SELECT_MFA_TYPE
(MFAS_CAN_CHOOSE, answered with ANSWER). SMS_MFA and EMAIL_OTP send a fresh code with the challenge
(reason "Authentication": CustomMessage_Authentication, the custom senders); the code lives as long as
the challenge's session (the app client's AuthSessionValidity, 3 minutes by default), so a late answer
gets "Invalid session for the user, session is expired.". A wrong code is CodeMismatchException
"Invalid code or auth state for the user." and may be retried on the same session, five times at most.
A pool that stops offering software tokens keeps accepting the ones users verified (TOTP page of the
developer guide).
"""

from __future__ import annotations

from typing import Any

from cognito_emu import totp
from cognito_emu.env import Env
from cognito_emu.errors import InvalidParameterException
from cognito_emu.idp.factors import passwords
from cognito_emu.idp.models import User, UserPool, own_mfa
from cognito_emu.idp.pool import pool_settings, pools
from cognito_emu.idp.users.index import is_true

SMS_MFA = "SMS_MFA"
SOFTWARE_TOKEN_MFA = "SOFTWARE_TOKEN_MFA"
EMAIL_OTP = "EMAIL_OTP"
SELECT_MFA_TYPE = "SELECT_MFA_TYPE"
MFA_SETUP = "MFA_SETUP"
FACTORS = (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP)
CHALLENGE_NAMES = (*FACTORS, SELECT_MFA_TYPE, MFA_SETUP)

NOT_VERIFIED = "User has not verified software token mfa"
NO_SOFTWARE_TOKEN = "Software Token MFA does not exist for the user."

# The attribute a code-sending factor delivers to, and the answer's member holding the code.
DELIVERY_ATTRIBUTE = {SMS_MFA: "phone_number", EMAIL_OTP: "email"}
CODE_MEMBER = {
    SMS_MFA: "SMS_MFA_CODE",
    SOFTWARE_TOKEN_MFA: "SOFTWARE_TOKEN_MFA_CODE",
    EMAIL_OTP: "EMAIL_OTP_CODE",
}


# -- what the pool offers and what the user has ------------------------------------------------------


def pool_factors(pool: UserPool) -> list[str]:
    """The factors the pool's MFA configuration offers, in Cognito's order."""
    offered = {
        SMS_MFA: pool_settings.sms_mfa_enabled(pool),
        SOFTWARE_TOKEN_MFA: pool_settings.software_token_mfa_enabled(pool),
        EMAIL_OTP: pool_settings.email_mfa_enabled(pool),
    }
    return [factor for factor in FACTORS if offered[factor]]


def has_means(user: User, factor: str) -> bool:
    """Whether the user could receive or produce a code for ``factor``."""
    if factor == SOFTWARE_TOKEN_MFA:
        return user.mfa.totp_secret is not None
    return bool(user.attributes.get(DELIVERY_ATTRIBUTE[factor]))


def enabled_factors(user: User) -> list[str]:
    """UserMFASettingList: the factors the user turned on."""
    flags = {SMS_MFA: user.mfa.sms, SOFTWARE_TOKEN_MFA: user.mfa.software_token, EMAIL_OTP: user.mfa.email}
    return [factor for factor in FACTORS if flags[factor]]


def _usable(pool: UserPool, user: User, factor: str) -> bool:
    if not has_means(user, factor):
        return False
    # A verified software token keeps working after the pool stops offering TOTP.
    return factor == SOFTWARE_TOKEN_MFA or factor in pool_factors(pool)


def sign_in_factors(pool: UserPool, user: User) -> list[str]:
    """The factors a sign-in may ask this user for (empty: no MFA, or MFA_SETUP when it is required)."""
    mode = pools.mfa_configuration(pool)
    if mode == "OFF":
        return []
    chosen = [factor for factor in enabled_factors(user) if _usable(pool, user, factor)]
    if not chosen and mode == "ON":
        chosen = [factor for factor in pool_factors(pool) if has_means(user, factor)]
    return chosen


def configured_first_factors(pool: UserPool, user: User) -> list[str]:
    """GetUserAuthFactors' ConfiguredUserAuthFactors: the USER_AUTH first factors the user can use
    (PASSWORD with a password; EMAIL_OTP / SMS_OTP with a verified address when the pool's
    sign-in policy allows them; WEB_AUTHN with a registered passkey)."""
    allowed = pools.allowed_first_auth_factors(pool)
    configured = []
    if "PASSWORD" in allowed and passwords.has_password(user):
        configured.append("PASSWORD")
    if "EMAIL_OTP" in allowed and is_true(user.attributes.get("email_verified")):
        configured.append("EMAIL_OTP")
    if "SMS_OTP" in allowed and is_true(user.attributes.get("phone_number_verified")):
        configured.append("SMS_OTP")
    if "WEB_AUTHN" in allowed and user.webauthn_credentials:
        configured.append("WEB_AUTHN")
    return configured


# -- settings -------------------------------------------------------------------------------------------


def _check_can_enable(pool: UserPool, user: User, factor: str) -> None:
    if factor == SOFTWARE_TOKEN_MFA:
        if user.mfa.totp_secret is None:
            if user.mfa.pending_totp_secret is not None:
                raise InvalidParameterException(NOT_VERIFIED)
            raise InvalidParameterException(f"User does not have delivery config set to turn on {factor}")
        return
    if factor not in pool_factors(pool):
        raise InvalidParameterException(f"{factor} is not enabled in the user pool's MFA configuration.")
    if not has_means(user, factor):
        raise InvalidParameterException(f"User does not have delivery config set to turn on {factor}")


def set_preference(env: Env, pool: UserPool, user: User, settings: dict[str, dict[str, Any] | None]) -> None:
    """SetUserMFAPreference / AdminSetUserMFAPreference. ``settings`` maps a factor to its
    ``{Enabled, PreferredMfa}`` (None or absent: unchanged). One factor at most is preferred; turning
    the preferred factor off (or PreferredMfa false) drops the preference."""
    given = {factor: value for factor, value in settings.items() if value is not None}
    preferred = [factor for factor, value in given.items() if value.get("PreferredMfa")]
    if len(preferred) > 1:
        raise InvalidParameterException("Only one MFA method can be set as preferred.")
    for factor, value in given.items():
        if value.get("PreferredMfa") and value.get("Enabled") is False:
            raise InvalidParameterException(f"{factor} cannot be preferred while it is not enabled.")
        if value.get("Enabled") or value.get("PreferredMfa"):
            _check_can_enable(pool, user, factor)
    for factor, value in given.items():
        enabled = bool(value.get("Enabled") or value.get("PreferredMfa"))
        _set_enabled(user, factor, enabled)
        if value.get("PreferredMfa"):
            own_mfa(user).preferred = factor
        elif user.mfa.preferred == factor and ("PreferredMfa" in value or not enabled):
            own_mfa(user).preferred = None
    user.modified = env.clock.now()


def _set_enabled(user: User, factor: str, enabled: bool) -> None:
    if factor == SMS_MFA:
        own_mfa(user).sms = enabled
    elif factor == SOFTWARE_TOKEN_MFA:
        own_mfa(user).software_token = enabled
    else:
        own_mfa(user).email = enabled
    if not enabled and user.mfa.preferred == factor:
        own_mfa(user).preferred = None


def set_mfa_options(env: Env, pool: UserPool, user: User, options: list[dict[str, Any]]) -> None:
    """SetUserSettings / AdminSetUserSettings: the legacy MFAOptions, which only turn SMS MFA on (an
    SMS option for phone_number) or off (an empty list)."""
    for option in options:
        if (
            option.get("DeliveryMedium") != "SMS"
            or option.get("AttributeName", "phone_number") != "phone_number"
        ):
            raise InvalidParameterException("Only SMS delivery to phone_number is supported in MFAOptions.")
    if options:
        _check_can_enable(pool, user, SMS_MFA)
    _set_enabled(user, SMS_MFA, bool(options))
    user.modified = env.clock.now()


def apply_seed(user: User, entry: dict[str, Any]) -> None:
    """A seed's per-user ``mfa``: ``totpSecret`` (a verified base32 secret), ``totpDeviceName``,
    ``sms`` / ``softwareToken`` / ``email`` (turned on) and ``preferred`` (a factor name).
    Raises ValueError naming the member that is wrong."""
    known = {"totpSecret", "totpDeviceName", "sms", "softwareToken", "email", "preferred"}
    for key in entry:
        if key not in known:
            raise ValueError(f"unknown key {key!r} (allowed: {', '.join(sorted(known))})")
    secret = entry.get("totpSecret")
    if secret is not None:
        try:
            totp.decode_secret(secret)
        except (ValueError, AttributeError) as error:
            raise ValueError(f"totpSecret: {error}") from None
        own_mfa(user).totp_secret = secret
        own_mfa(user).totp_device_name = entry.get("totpDeviceName")
    for key, factor in (("sms", SMS_MFA), ("softwareToken", SOFTWARE_TOKEN_MFA), ("email", EMAIL_OTP)):
        value = entry.get(key)
        if value is None:
            continue
        if not isinstance(value, bool):
            raise ValueError(f"{key}: expected true or false")
        if value and not has_means(user, factor):
            raise ValueError(
                f"{key}: the user has no {DELIVERY_ATTRIBUTE.get(factor, 'totpSecret')} to use for {factor}"
            )
        _set_enabled(user, factor, value)
    preferred = entry.get("preferred")
    if preferred is not None:
        if preferred not in enabled_factors(user):
            raise ValueError(f"preferred: {preferred!r} is not one of the factors turned on")
        own_mfa(user).preferred = preferred


def export_seed(user: User) -> dict[str, Any]:
    """The seed's ``mfa`` for ``user`` (empty when the user has no MFA state)."""
    entry: dict[str, Any] = {}
    if user.mfa.totp_secret is not None:
        entry["totpSecret"] = user.mfa.totp_secret
        if user.mfa.totp_device_name is not None:
            entry["totpDeviceName"] = user.mfa.totp_device_name
    for key, enabled in (
        ("sms", user.mfa.sms),
        ("softwareToken", user.mfa.software_token),
        ("email", user.mfa.email),
    ):
        if enabled:
            entry[key] = True
    if user.mfa.preferred is not None:
        entry["preferred"] = user.mfa.preferred
    return entry
