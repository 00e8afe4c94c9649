"""The shared tail of every sign-in: what follows a proven first factor.

A confirmed user gets the MFA challenge its pool and factors call for, then the device challenge of a
remembered device, then tokens (PostAuthentication first; its error fails the sign-in). An unconfirmed
user gets UserNotConfirmedException; one on a temporary password gets NEW_PASSWORD_REQUIRED.
"""

from __future__ import annotations

import json

from cognito_emu.errors import NotAuthorizedException, UserNotConfirmedException
from cognito_emu.idp import tokens
from cognito_emu.idp.factors import passwords
from cognito_emu.idp.models import ChallengeSession, User, UserPool, UserStatus
from cognito_emu.idp.signin import device_challenge, risk, sessions, step_up
from cognito_emu.idp.signin.context import USER_NOT_CONFIRMED, AuthContext, answer_trigger_input
from cognito_emu.idp.signin.mfa_challenge import challenge_after_password, start_factor
from cognito_emu.idp.signin.result import Authenticated, Challenge, ChallengeName, Step
from cognito_emu.triggers import authentication as authentication_triggers


def after_password(ctx: AuthContext, user: User, previous: ChallengeSession | None = None) -> Step:
    """The user proved its password: a confirmed user gets tokens, others a challenge or an error."""
    step_up.proved(ctx, step_up.PASSWORD)
    if user.status == UserStatus.UNCONFIRMED:
        raise UserNotConfirmedException(USER_NOT_CONFIRMED)
    if user.status == UserStatus.FORCE_CHANGE_PASSWORD:
        if passwords.temporary_password_expired(ctx.env, user):
            raise NotAuthorizedException(passwords.TEMPORARY_PASSWORD_EXPIRED_MESSAGE)
        return new_password_required(ctx, user, previous)
    challenge = judged_challenge(ctx, user, previous)
    if challenge is not None:
        return challenge
    if previous is not None:
        sessions.finish(previous)
    return authenticated(ctx, user)


def judged_challenge(ctx: AuthContext, user: User, previous: ChallengeSession | None) -> Challenge | None:
    """Threat protection judges a sign-in whose password was proven, then the MFA challenge that the
    pool, or an ENFORCED risk response, asks for (None: tokens may follow). Shared with the hosted login."""
    # A new sign-in: whatever an earlier one left waiting for an MFA answer is abandoned.
    user.pending_sign_in_event = None
    ctx.risk = risk.judge(ctx, user)
    # A step-up target asks for the factor that reaches it, whichever MFA the pool would have chosen.
    missing = step_up.missing_factor(ctx, user)
    if missing is not None:
        challenge: Challenge | None = start_factor(ctx, user, previous, missing)
    else:
        challenge = challenge_after_password(ctx, user, previous)
    if challenge is None and ctx.risk is not None and ctx.risk.mfa is not None:
        # ENFORCED adaptive authentication asks for a code even where the pool's MFA would not.
        challenge = start_factor(ctx, user, previous, ctx.risk.mfa)
    if challenge is not None:
        risk.challenged(ctx, user)
    return challenge


def passwordless(ctx: AuthContext, user: User) -> Step:
    """A first factor other than a password (a passkey, an SMS or email one-time code) was proven:
    ``judge_passwordless``, then tokens."""
    judge_passwordless(ctx, user)
    return authenticated(ctx, user)


def judge_passwordless(ctx: AuthContext, user: User) -> None:
    """Threat protection judges a passwordless sign-in as it judges a password's, with no MFA step to add
    (Cognito's passwordless sign-in and MFA exclude each other); shared with the managed login pages."""
    user.pending_sign_in_event = None
    ctx.risk = risk.judge(ctx, user, mfa_step=False)


def authenticated(
    ctx: AuthContext,
    user: User,
    *,
    auth_time: float | None = None,
    refresh_token: str | None = None,
    trigger_source: str | None = None,
    device_key: str | None = None,
) -> Step:
    """Tokens for ``user`` (or first the DEVICE_SRP_AUTH challenge of a remembered device); a refresh
    passes its ``refresh_token``, a device sign-in the proven ``device_key``."""
    if refresh_token is None and device_key is None:
        device_step = device_challenge.challenge(ctx, user)
        if device_step is not None:
            return device_step
    if refresh_token is None:
        # PostAuthentication_Authentication after every sign-in (not a refresh); its error fails it.
        authentication_triggers.post_authentication(
            ctx.env, ctx.pool, user, client_id=ctx.client.client_id, trigger_input=answer_trigger_input(ctx)
        )
        risk.signed_in(ctx, user)
    new_device = None
    if device_key is None:
        device_key, new_device = device_challenge.for_tokens(ctx, user, refreshing=refresh_token is not None)
    acr, amr = step_up.token_claims(ctx)
    issued = tokens.authentication_result(
        ctx.env,
        ctx.pool,
        ctx.client,
        user,
        issuer=ctx.issuer,
        auth_time=auth_time,
        refresh_token=refresh_token,
        trigger_source=trigger_source,
        trigger_input=answer_trigger_input(ctx),
        device_key=device_key,
        user_agent=ctx.user_agent,
        ip_address=ctx.ip_address,
        acr=acr,
        amr=amr,
    )
    return Authenticated(issued, new_device)


def required_attributes_missing(pool: UserPool, user: User) -> list[str]:
    """Required schema attributes the user has no value for (``sub`` excepted)."""
    return [
        name
        for name, attribute in pool.schema.items()
        if attribute.required and name != "sub" and not user.attributes.get(name)
    ]


def new_password_required(ctx: AuthContext, user: User, previous: ChallengeSession | None = None) -> Challenge:
    """NEW_PASSWORD_REQUIRED: userAttributes (JSON, without sub) and requiredAttributes (JSON list of
    ``userAttributes.<name>`` the answer must supply)."""
    session = sessions.following(
        ctx.env, ctx.client, previous, user.username, ChallengeName.NEW_PASSWORD_REQUIRED, signed_in_as=None
    )
    shown = {name: value for name, value in user.attributes.items() if name != "sub"}
    required = [f"userAttributes.{name}" for name in required_attributes_missing(ctx.pool, user)]
    return Challenge(
        ChallengeName.NEW_PASSWORD_REQUIRED,
        session.session_id,
        {
            "USER_ID_FOR_SRP": user.username,
            "requiredAttributes": json.dumps(required),
            "userAttributes": json.dumps(shown),
        },
    )
