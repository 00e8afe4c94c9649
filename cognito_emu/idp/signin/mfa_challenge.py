"""The MFA challenge a right password leads to (``idp.factors.mfa`` decides which factors a sign-in asks for).

With one factor it is challenged; with several, the preferred one, else SELECT_MFA_TYPE
(MFAS_CAN_CHOOSE). A user with no factor in a pool whose MFA is required gets MFA_SETUP
(MFAS_CAN_SETUP). SMS_MFA and EMAIL_OTP send a fresh code with the challenge (reason
"Authentication": CustomMessage_Authentication, the custom senders); the code lives as long as the
challenge's session.
"""

from __future__ import annotations

import json

from cognito_emu.idp.factors import mfa
from cognito_emu.idp.models import ChallengeSession, User
from cognito_emu.idp.pool import pools
from cognito_emu.idp.self_service import messages
from cognito_emu.idp.signin import device_challenge, sessions
from cognito_emu.idp.signin.context import AuthContext, answer_trigger_input
from cognito_emu.idp.signin.result import Challenge, ChallengeName


def _json_list(values: list[str]) -> str:
    return json.dumps(values, separators=(",", ":"))


def _session(ctx: AuthContext, user: User, previous: ChallengeSession | None, challenge: str) -> ChallengeSession:
    return sessions.following(
        ctx.env, ctx.client, previous, user.username, challenge, signed_in_as=ctx.params.get("USERNAME")
    )


def challenge_after_password(
    ctx: AuthContext, user: User, previous: ChallengeSession | None = None
) -> Challenge | None:
    """The MFA challenge a right password leads to, or None when the user goes straight to tokens."""
    factors = mfa.sign_in_factors(ctx.pool, user)
    if not factors:
        if pools.mfa_configuration(ctx.pool) != "ON":
            return None
        session = _session(ctx, user, previous, ChallengeName.MFA_SETUP)
        parameters = {"MFAS_CAN_SETUP": _json_list(mfa.pool_factors(ctx.pool))}
        return Challenge(ChallengeName.MFA_SETUP, session.session_id, parameters)
    if device_challenge.remembered(ctx, user):
        return None  # ChallengeRequiredOnNewDevice: the remembered device's DEVICE_SRP_AUTH stands in for MFA
    preferred = user.mfa.preferred if user.mfa.preferred in factors else None
    if preferred is None and len(factors) > 1:
        session = _session(ctx, user, previous, ChallengeName.SELECT_MFA_TYPE)
        parameters = {"MFAS_CAN_CHOOSE": _json_list(factors)}
        return Challenge(ChallengeName.SELECT_MFA_TYPE, session.session_id, parameters)
    return start_factor(ctx, user, previous, preferred or factors[0])


def start_factor(ctx: AuthContext, user: User, previous: ChallengeSession | None, factor: str) -> Challenge:
    """Challenge ``factor``; SMS_MFA and EMAIL_OTP send their code now."""
    session = _session(ctx, user, previous, factor)
    if factor == mfa.SOFTWARE_TOKEN_MFA:
        return Challenge(factor, session.session_id, {})
    session.mfa_code = ctx.env.ids.digits(6)
    details = messages.send_authentication_code(
        ctx.env,
        ctx.pool,
        user,
        mfa.DELIVERY_ATTRIBUTE[factor],
        session.mfa_code,
        ctx.client.client_id,
        trigger_input=answer_trigger_input(ctx),
    )
    return Challenge(
        factor,
        session.session_id,
        {
            "CODE_DELIVERY_DELIVERY_MEDIUM": details.medium,
            "CODE_DELIVERY_DESTINATION": details.destination,
        },
    )
