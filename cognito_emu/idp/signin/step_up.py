"""Step-up authentication: the authentication level a sign-in aims for, and the ``acr`` / ``amr`` claims it
earns (developer guide, "Authentication levels with ACR and AMR claims" and "Step-up authentication with
the USER_AUTH flow").

The four levels and the factors that satisfy each are fixed: 1 a password; 2 one SMS or email one-time
code; 3 a passkey, or a password with an SMS or email code; 4 a password with a TOTP. A sign-in reaches the
highest level its proven methods fully satisfy. ``amr`` lists the methods (pwd, otp, sms, email_otp, swk for
a platform passkey, hwk for a roaming one) and adds ``mfa`` once two distinct factors were proven.

Each proven factor is recorded on the call's AuthContext and carried from challenge to challenge on the
sessions (``carry`` / ``recall``), as the remembered device is. The pool names the levels
(``pool.acr_levels``).

A federated sign-in does not reach a level through that table: its level is the IdP's ``acr`` mapped back
through the provider's AcrMapping, an unmapped (or missing) value resolving to the lowest level (API
reference, AcrMappingType), and its methods are the IdP's ``amr`` values Cognito knows, else ``fed``
("a default placeholder ... when a user federates through an IdP that doesn't support ACR and AMR, or
returns no values that Amazon Cognito recognizes").
"""

from __future__ import annotations

import re

from cognito_emu.errors import FeatureUnavailableInTierException, InvalidParameterException
from cognito_emu.idp.factors import mfa
from cognito_emu.idp.models import ChallengeSession, User, UserPool, WebAuthnCredential
from cognito_emu.idp.pool import acr_levels
from cognito_emu.idp.signin.context import AuthContext
from cognito_emu.idp.signin.result import Challenge, ChallengeName, Step

PASSWORD = "pwd"
TOTP = "otp"
SMS = "sms"
EMAIL = "email_otp"
PLATFORM_KEY = "swk"
ROAMING_KEY = "hwk"
MULTI_FACTOR = "mfa"
FEDERATED = "fed"
# What an access token's amr can credit toward a step-up (mfa is derived, never a factor of its own).
FACTOR_METHODS = (PASSWORD, TOTP, SMS, EMAIL, PLATFORM_KEY, ROAMING_KEY)

# The method each MFA challenge proves (MFA_SETUP verifies a new authenticator app's code).
MFA_METHODS: dict[str, str] = {
    ChallengeName.SMS_MFA: SMS,
    ChallengeName.EMAIL_OTP: EMAIL,
    ChallengeName.SOFTWARE_TOKEN_MFA: TOTP,
    ChallengeName.MFA_SETUP: TOTP,
}
# USER_AUTH's passwordless one-time codes.
FIRST_FACTOR_METHODS: dict[str, str] = {ChallengeName.SMS_OTP: SMS, ChallengeName.EMAIL_OTP: EMAIL}

# MAX_AGE: "An optional integer" of seconds; a negative one cannot be met, so it is refused as bad input.
_MAX_AGE = re.compile(r"[0-9]{1,18}")


def level(methods: list[str]) -> int:
    """The highest level ``methods`` fully satisfy (0: none, a custom challenge for instance)."""
    proven = set(methods)
    if PASSWORD in proven and TOTP in proven:
        return 4
    if proven & {PLATFORM_KEY, ROAMING_KEY} or PASSWORD in proven and proven & {SMS, EMAIL}:
        return 3
    if proven & {SMS, EMAIL}:
        return 2
    return 1 if PASSWORD in proven else 0


def amr(methods: list[str]) -> list[str]:
    return [*methods, MULTI_FACTOR] if len(set(methods)) > 1 else list(methods)


def proved(ctx: AuthContext, method: str) -> None:
    if method not in ctx.methods:
        ctx.methods.append(method)


def passkey_method(credential: WebAuthnCredential) -> str:
    """swk for a platform authenticator, hwk for a roaming one ("cross-platform"); a passkey registered
    without an attachment counts as a platform one."""
    return ROAMING_KEY if credential.authenticator_attachment == "cross-platform" else PLATFORM_KEY


def requested_levels(ctx: AuthContext) -> list[int] | None:
    """USER_AUTH's TARGET_ACR_VALUES as levels, in the order asked (None: no step-up asked for).

    Values the pool does not name are ignored; Cognito "returns an error" when none is valid and when
    ACCESS_TOKEN comes without TARGET_ACR_VALUES, and a LITE pool answers FeatureUnavailableInTierException
    (API reference, InitiateAuth AuthParameters). Those errors' texts are the emulator's.
    """
    wanted = ctx.params.get("TARGET_ACR_VALUES")
    max_age(ctx)
    if not wanted:
        if ctx.params.get("ACCESS_TOKEN"):
            raise InvalidParameterException("ACCESS_TOKEN requires TARGET_ACR_VALUES.")
        return None
    if ctx.pool.settings.get("UserPoolTier") == "LITE":
        raise FeatureUnavailableInTierException(
            "Step-up authentication (TARGET_ACR_VALUES) needs the Essentials or Plus feature plan."
        )
    levels = [acr_levels.level_named(ctx.pool, name) for name in wanted.split()]
    known = [found for found in levels if found is not None]
    if not known:
        raise InvalidParameterException("TARGET_ACR_VALUES names no authentication level of this user pool.")
    return known


def max_age(ctx: AuthContext) -> int | None:
    given = ctx.params.get("MAX_AGE")
    if given is None:
        return None
    if not _MAX_AGE.fullmatch(given):
        raise InvalidParameterException("MAX_AGE must be a non-negative integer.")
    return int(given)


def step_up_factor(pool: UserPool, user: User, target: int) -> str | None:
    """The MFA challenge that lifts a password sign-in to ``target`` (None: none the user has): a TOTP for
    level 4; for level 3 an SMS or email code (the user's preferred one first)."""
    if target == 4:
        return ChallengeName.SOFTWARE_TOKEN_MFA if mfa.has_means(user, mfa.SOFTWARE_TOKEN_MFA) else None
    if target != 3:
        return None
    offered = [
        factor for factor in (mfa.SMS_MFA, mfa.EMAIL_OTP) if factor in mfa.pool_factors(pool) and mfa.has_means(user, factor)
    ]
    if user.mfa.preferred in offered:
        return user.mfa.preferred
    return offered[0] if offered else None


def missing_factor(ctx: AuthContext, user: User) -> str | None:
    """The MFA challenge the sign-in still needs for its target level after a password (None: none)."""
    if ctx.target_level is None or level(ctx.methods) >= ctx.target_level:
        return None
    return step_up_factor(ctx.pool, user, ctx.target_level)


def federated(ctx: AuthContext, acr_mapping: dict[str, str], asserted: dict[str, object]) -> None:
    """Record what an IdP asserted (its ``acr`` and ``amr`` claims) as the federated sign-in's level and methods."""
    asserted_acr = asserted.get("acr")
    mapped = [found for found in acr_levels.LEVELS if asserted_acr and acr_mapping.get(f"Level{found}") == asserted_acr]
    ctx.federated_level = mapped[0] if mapped else acr_levels.LEVELS[0]
    given = asserted.get("amr")
    known = [method for method in given if method in FACTOR_METHODS] if isinstance(given, list) else []
    ctx.methods = list(dict.fromkeys(known)) or [FEDERATED]


def token_claims(ctx: AuthContext) -> tuple[str | None, list[str]]:
    """The acr (None unless the sign-in asked for a level) and the amr methods its tokens record."""
    if ctx.target_level is None:
        return None, amr(ctx.methods)
    reached = level(ctx.methods) if ctx.federated_level is None else ctx.federated_level
    return (acr_levels.names(ctx.pool)[reached] if reached else None), amr(ctx.methods)


def carry(ctx: AuthContext, step: Step) -> Step:
    """Record the sign-in's target level and proven methods on the session a challenge opened."""
    if isinstance(step, Challenge):
        session = ctx.env.state.sessions.get(step.session)
        if session is not None:
            remember(ctx, session)
    return step


def remember(ctx: AuthContext, session: ChallengeSession) -> None:
    session.target_level = ctx.target_level
    session.methods = list(ctx.methods)


def recall(ctx: AuthContext, session: ChallengeSession) -> None:
    """An answer continues the target and the methods its session recorded."""
    ctx.target_level = session.target_level
    ctx.methods = list(session.methods)
