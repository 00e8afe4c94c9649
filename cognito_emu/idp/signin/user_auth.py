"""USER_AUTH: choice-based sign-in (developer guide, "Authentication flows", choice-based authentication).

InitiateAuth / AdminInitiateAuth with AuthFlow USER_AUTH (the app client allows ALLOW_USER_AUTH) and
AuthParameters USERNAME, optionally PREFERRED_CHALLENGE:

- no PREFERRED_CHALLENGE: a SELECT_CHALLENGE challenge whose AvailableChallenges lists the first factors
  the pool's SignInPolicy.AllowedFirstAuthFactors allows and the user has the means for: PASSWORD and
  PASSWORD_SRP (a password), EMAIL_OTP (a verified email), SMS_OTP (a verified phone number), WEB_AUTHN
  (registered passkeys, ``idp.factors.webauthn.has_passkey``).
  RespondToAuthChallenge SELECT_CHALLENGE with ANSWER=<factor> continues: PASSWORD with PASSWORD,
  PASSWORD_SRP with SRP_A (a PASSWORD_VERIFIER challenge follows), EMAIL_OTP / SMS_OTP send a code.
- PREFERRED_CHALLENGE=<factor>: that factor at once (PASSWORD needs PASSWORD, PASSWORD_SRP needs SRP_A
  in AuthParameters; without them a PASSWORD / PASSWORD_SRP challenge asks for them). A factor the pool
  does not allow: InvalidParameterException; one the pool allows but this user cannot use: the
  SELECT_CHALLENGE answer, as without a preference.

Passwords keep the rest of a password sign-in: PreAuthentication, lockout counting, NEW_PASSWORD_REQUIRED
and MFA (``finish.after_password``). EMAIL_OTP and SMS_OTP are passwordless first factors: the code goes
out with reason "Authentication" (``messages.send_authentication_code``, the pool's MFA message templates),
is answered with EMAIL_OTP_CODE / SMS_OTP_CODE on the challenge's session (expiring with it by the clock;
a wrong code is CodeMismatchException, five at most per session) and leads straight to tokens: no MFA.
As Cognito does, passwordless factors are not offered in a pool whose MFA is required (MfaConfiguration
ON), nor to a user who has MFA turned on.

Unknown users: with PreventUserExistenceErrors ENABLED (the default), SELECT_CHALLENGE offers the pool's
allowed factors and every answer fails as a wrong password or a wrong code would; with LEGACY,
UserNotFoundException. The order of AvailableChallenges is the emulator's.
"""

from __future__ import annotations

from cognito_emu.errors import InvalidParameterException, NotAuthorizedException, UserNotConfirmedException
from cognito_emu.idp import tokens
from cognito_emu.idp.factors import mfa, passwords, srp, webauthn
from cognito_emu.idp.models import ChallengeSession, User, UserStatus
from cognito_emu.idp.pool import client_auth, pools
from cognito_emu.idp.self_service import messages
from cognito_emu.idp.signin import passkey, sessions, step_up
from cognito_emu.idp.signin.context import (
    INCORRECT,
    USER_NOT_CONFIRMED,
    AuthContext,
    answer_trigger_input,
    flow_user,
    pre_authentication,
    unknown_user,
)
from cognito_emu.idp.signin.finish import after_password, authenticated, passwordless
from cognito_emu.idp.signin.mfa_challenge import start_factor
from cognito_emu.idp.signin.password import password_sign_in, password_verifier_challenge, srp_session_user
from cognito_emu.idp.signin.result import Challenge, ChallengeName, Step
from cognito_emu.idp.users.index import is_true

SELECT_CHALLENGE = ChallengeName.SELECT_CHALLENGE
PASSWORD = ChallengeName.PASSWORD
PASSWORD_SRP = ChallengeName.PASSWORD_SRP
EMAIL_OTP = ChallengeName.EMAIL_OTP
SMS_OTP = ChallengeName.SMS_OTP
WEB_AUTHN = ChallengeName.WEB_AUTHN

# The order AvailableChallenges lists them in (the emulator's choice).
FACTORS = (WEB_AUTHN, EMAIL_OTP, SMS_OTP, PASSWORD, PASSWORD_SRP)
PASSWORDLESS = (WEB_AUTHN, EMAIL_OTP, SMS_OTP)
# The challenges whose answer the first factor's module judges (RespondToAuthChallenge).
CHALLENGE_NAMES = (SELECT_CHALLENGE, PASSWORD, PASSWORD_SRP, SMS_OTP, WEB_AUTHN)

# The policy's AllowedFirstAuthFactors value that allows each factor.
_POLICY_VALUE: dict[str, str] = {
    PASSWORD: "PASSWORD",
    PASSWORD_SRP: "PASSWORD",
    EMAIL_OTP: "EMAIL_OTP",
    SMS_OTP: "SMS_OTP",
    WEB_AUTHN: "WEB_AUTHN",
}
_OTP_ATTRIBUTE: dict[str, str] = {EMAIL_OTP: "email", SMS_OTP: "phone_number"}
_OTP_CODE_MEMBER: dict[str, str] = {EMAIL_OTP: "EMAIL_OTP_CODE", SMS_OTP: "SMS_OTP_CODE"}
_DECOY_DELIVERY: dict[str, tuple[str, str]] = {EMAIL_OTP: ("EMAIL", "***@***"), SMS_OTP: ("SMS", "+*******0000")}


# -- what is offered ----------------------------------------------------------------------------------


def pool_allows(ctx: AuthContext, factor: str) -> bool:
    return _POLICY_VALUE[factor] in pools.allowed_first_auth_factors(ctx.pool)


def _passwordless_possible(ctx: AuthContext, user: User | None) -> bool:
    if pools.mfa_configuration(ctx.pool) == "ON":
        return False
    return user is None or not mfa.enabled_factors(user)


def user_can_use(ctx: AuthContext, user: User, factor: str) -> bool:
    if factor in PASSWORDLESS and not _passwordless_possible(ctx, user):
        return False
    if factor == PASSWORD:
        return passwords.has_password(user)
    if factor == PASSWORD_SRP:
        return bool(user.srp_verifier and user.srp_salt)
    if factor == EMAIL_OTP:
        return bool(user.attributes.get("email")) and is_true(user.attributes.get("email_verified"))
    if factor == SMS_OTP:
        return (
            bool(user.attributes.get("phone_number"))
            and is_true(user.attributes.get("phone_number_verified"))
        )
    return webauthn.has_passkey(ctx.pool, user)


def available_challenges(ctx: AuthContext, user: User | None) -> list[str]:
    """The factors SELECT_CHALLENGE offers ``user`` (None: a decoy for an unknown user); with a step-up
    target, only those that lead to it."""
    offered: list[str] = []
    for factor in FACTORS:
        if not pool_allows(ctx, factor):
            continue
        if user is not None and ctx.target_level is not None and not _leads_to(ctx, user, factor, ctx.target_level):
            continue
        if user is None:
            if factor != WEB_AUTHN and (factor not in PASSWORDLESS or _passwordless_possible(ctx, None)):
                offered.append(factor)
        elif user_can_use(ctx, user, factor):
            offered.append(factor)
    return offered


# -- step-up (idp.signin.step_up) ----------------------------------------------------------------------


def _leads_to(ctx: AuthContext, user: User, factor: str, target: int) -> bool:
    """Whether signing in with first factor ``factor`` can reach level ``target``: a password by itself
    (level 1) or with the MFA factor the level needs, a one-time code for level 2, a passkey for level 3."""
    if factor in (PASSWORD, PASSWORD_SRP):
        return target == 1 or step_up.step_up_factor(ctx.pool, user, target) is not None
    if factor == WEB_AUTHN:
        return target == 3
    return target == 2


def reachable_target(ctx: AuthContext, user: User, targets: list[int]) -> int | None:
    """The first of ``targets`` some first factor of the user's leads to (None: none does)."""
    return next(
        (
            target
            for target in targets
            if any(
                pool_allows(ctx, f) and user_can_use(ctx, user, f) and _leads_to(ctx, user, f, target) for f in FACTORS
            )
        ),
        None,
    )


def _aim(ctx: AuthContext, name: str, user: User | None, targets: list[int]) -> Step | None:
    """Set the sign-in's target: the first level asked for that the user has the factors for (an error
    when none). With a fresh ACCESS_TOKEN of the same user whose methods a single MFA factor lifts to the
    target, that factor's challenge at once (the step-up); otherwise None, and the user signs in from
    scratch toward the target. Error texts are the emulator's (the guide says only "returns an error")."""
    if user is None:
        ctx.target_level = targets[0]
        return None
    ctx.target_level = reachable_target(ctx, user, targets)
    if ctx.target_level is None:
        raise InvalidParameterException("The user has no authentication factors for the requested TARGET_ACR_VALUES.")
    access_token = ctx.params.get("ACCESS_TOKEN")
    if not access_token:
        return None
    principal = tokens.authenticate(ctx.env, access_token)
    if principal.pool is not ctx.pool or principal.user is not user:
        raise NotAuthorizedException("The ACCESS_TOKEN was not issued to this USERNAME.")
    max_age = step_up.max_age(ctx)
    if max_age is not None and ctx.env.clock.now() - principal.session.auth_time > max_age:
        return None
    credited = [method for method in principal.session.amr or [] if method in step_up.FACTOR_METHODS]
    if step_up.level(credited) >= ctx.target_level:
        raise InvalidParameterException("The ACCESS_TOKEN already meets the requested authentication level.")
    factor = step_up.step_up_factor(ctx.pool, user, ctx.target_level)
    if step_up.PASSWORD not in credited or factor is None:
        return None
    ctx.methods = credited
    user = pre_authentication(ctx, name, user)
    return start_factor(ctx, user, None, factor)


def _check_factor_name(factor: str) -> None:
    if factor not in FACTORS:
        raise InvalidParameterException(f"Invalid challenge {factor!r}: choose one of {', '.join(FACTORS)}.")


def _not_allowed(factor: str) -> InvalidParameterException:
    return InvalidParameterException(
        f"{factor} is not an allowed first authentication factor for this user pool."
    )


# -- InitiateAuth ---------------------------------------------------------------------------------------


def start(ctx: AuthContext) -> Step:
    """USER_AUTH: USERNAME, optionally PREFERRED_CHALLENGE (and PASSWORD or SRP_A for the password factors)."""
    name = ctx.required("USERNAME")
    client_auth.check_secret_hash(ctx.client, name, ctx.params.get("SECRET_HASH"))
    preferred = ctx.params.get("PREFERRED_CHALLENGE")
    if preferred:
        _check_factor_name(preferred)
        if not pool_allows(ctx, preferred):
            raise _not_allowed(preferred)
    user = flow_user(ctx, name)
    targets = step_up.requested_levels(ctx)
    if targets is not None:
        stepped = _aim(ctx, name, user, targets)
        if stepped is not None:
            return stepped
    offered = available_challenges(ctx, user)
    if preferred and (preferred in offered or preferred in (PASSWORD, PASSWORD_SRP) and user is None):
        return _start_factor(ctx, name, user, None, preferred)
    if not offered:
        # Nothing this user can sign in with (no password, no verified address the pool allows).
        raise NotAuthorizedException(INCORRECT)
    session = sessions.open_session(
        ctx.env, ctx.client, user.username if user else None, SELECT_CHALLENGE, signed_in_as=name
    )
    return Challenge(SELECT_CHALLENGE, session.session_id, {}, available=tuple(offered))


def _start_factor(
    ctx: AuthContext, name: str, user: User | None, previous: ChallengeSession | None, factor: str
) -> Step:
    """Begin ``factor``; ``ctx.params`` are the AuthParameters or the SELECT_CHALLENGE answer."""
    if factor == PASSWORD:
        if not ctx.params.get("PASSWORD"):
            return _ask(ctx, name, user, previous, PASSWORD)
        return _password(ctx, name, user, previous)
    if factor == PASSWORD_SRP:
        if not ctx.params.get("SRP_A"):
            return _ask(ctx, name, user, previous, PASSWORD_SRP)
        return _password_srp(ctx, name, user, previous)
    if factor == WEB_AUTHN:
        assert user is not None
        return passkey.sign_in_challenge(ctx, user, previous)
    return _send_otp(ctx, name, user, previous, factor)


def _open(
    ctx: AuthContext, name: str, user: User | None, previous: ChallengeSession | None, challenge: str
) -> ChallengeSession:
    username = user.username if user else None
    return sessions.following(ctx.env, ctx.client, previous, username, challenge, signed_in_as=name)


def _ask(
    ctx: AuthContext, name: str, user: User | None, previous: ChallengeSession | None, factor: str
) -> Step:
    """A PASSWORD / PASSWORD_SRP challenge: the chosen factor's secret still to come."""
    session = _open(ctx, name, user, previous, factor)
    return Challenge(factor, session.session_id, {})


def _password(ctx: AuthContext, name: str, user: User | None, previous: ChallengeSession | None) -> Step:
    """PASSWORD: the user's password, as USER_PASSWORD_AUTH checks it; MFA follows as usual."""
    password = ctx.required("PASSWORD")
    if user is None and previous is not None:
        raise unknown_user(ctx)
    signed_in = password_sign_in(ctx, name, password)
    return after_password(ctx, signed_in, previous)


def _password_srp(ctx: AuthContext, name: str, user: User | None, previous: ChallengeSession | None) -> Step:
    """PASSWORD_SRP: SRP_A; a PASSWORD_VERIFIER challenge follows (a decoy for an unknown user)."""
    a_hex = ctx.required("SRP_A")
    srp.parse_public_a(a_hex)
    if user is not None:
        user = pre_authentication(ctx, name, user)
    if previous is not None:
        sessions.finish(previous)
    session = sessions.open_session(
        ctx.env, ctx.client, srp_session_user(user), ChallengeName.PASSWORD_VERIFIER, signed_in_as=name
    )
    return password_verifier_challenge(ctx, session, a_hex, user, name)


def _send_otp(
    ctx: AuthContext, name: str, user: User | None, previous: ChallengeSession | None, factor: str
) -> Step:
    """EMAIL_OTP / SMS_OTP: a fresh code to the user's email / phone number, reason "Authentication"."""
    if user is not None:
        user = pre_authentication(ctx, name, user)
        if user.status == UserStatus.UNCONFIRMED:
            raise UserNotConfirmedException(USER_NOT_CONFIRMED)
    session = _open(ctx, name, user, previous, factor)
    if user is None:
        medium, destination = _DECOY_DELIVERY[factor]
    else:
        session.mfa_code = ctx.env.ids.digits(6)
        session.first_factor = True
        details = messages.send_authentication_code(
            ctx.env,
            ctx.pool,
            user,
            _OTP_ATTRIBUTE[factor],
            session.mfa_code,
            ctx.client.client_id,
            trigger_input=answer_trigger_input(ctx),
        )
        medium, destination = details.medium, details.destination
    return Challenge(
        factor,
        session.session_id,
        {"CODE_DELIVERY_DELIVERY_MEDIUM": medium, "CODE_DELIVERY_DESTINATION": destination},
    )


# -- RespondToAuthChallenge -------------------------------------------------------------------------------


def answer(ctx: AuthContext, session: ChallengeSession, user: User | None) -> Step:
    """SELECT_CHALLENGE (ANSWER), PASSWORD (PASSWORD), PASSWORD_SRP (SRP_A), SMS_OTP and EMAIL_OTP
    first factors (the code). ``user`` is the session's user (None: a decoy session)."""
    name = ctx.required("USERNAME")
    if session.challenge == SELECT_CHALLENGE:
        choice = ctx.required("ANSWER")
        _check_factor_name(choice)
        offered = available_challenges(ctx, user)
        if choice not in offered:
            if not pool_allows(ctx, choice):
                raise _not_allowed(choice)
            raise InvalidParameterException(f"Invalid ANSWER {choice!r}: choose one of {', '.join(offered)}.")
        return _start_factor(ctx, name, user, session, choice)
    if session.challenge in (PASSWORD, PASSWORD_SRP):
        return _start_factor(ctx, name, user, session, session.challenge)
    if session.challenge == WEB_AUTHN:
        if user is None:
            raise NotAuthorizedException(sessions.INVALID)
        return passkey.answer(ctx, session, user)
    return answer_otp(ctx, session, user)


def answer_otp(ctx: AuthContext, session: ChallengeSession, user: User | None) -> Step:
    """EMAIL_OTP / SMS_OTP: the code this session sent. An EMAIL_OTP session opened by MFA (after a
    password) is the same challenge: ``mfa`` judges it the same way."""
    code = ctx.required(_OTP_CODE_MEMBER[session.challenge])
    if user is None:
        raise sessions.wrong_code(session)
    sessions.check_code(session, code)
    sessions.finish(session)
    if session.first_factor:
        step_up.proved(ctx, step_up.FIRST_FACTOR_METHODS[session.challenge])
        return passwordless(ctx, user)
    step_up.proved(ctx, step_up.MFA_METHODS[session.challenge])
    return authenticated(ctx, user)
