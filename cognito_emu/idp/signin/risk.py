"""Threat protection's risk assessment of a sign-in, and what ENFORCED mode does with it.

Developer guide, "Working with adaptive authentication" and "Working with compromised-credentials
detection"; API reference, SetRiskConfiguration, AccountTakeoverActionType, EventRiskType.

What an emulator can know scores a sign-in (a proven first factor: a password, as USER_PASSWORD_AUTH,
the SRP flows, USER_AUTH's PASSWORD and the hosted login form prove it; a passkey or an SMS / email
one-time code of USER_AUTH; a CUSTOM_AUTH sign-in once DefineAuthChallenge issues tokens):
- a risk level a test set for the user's next sign-in (``set_next_sign_in_risk``: the control API's
  ``POST /_emu/risk``, ``Emulator.set_next_sign_in_risk``) wins, once;
- otherwise one point each for an IP address (UserContextData / ContextData IpAddress, else
  X-Forwarded-For) and a device fingerprint (their EncodedData) that earlier successful sign-ins of the
  user never had, one for three or more failed password attempts before this one, two for five or
  more: 1 point is Low, 2 Medium, 3 or more High, none is no risk at all;
- compromised credentials: the password is on the bundled list (``idp.factors.breached``); like
  Cognito, only flows that send the password can tell (not SRP).

Every SignIn event records the outcome (EventRisk). AUDIT stops there. ENFORCED (for CUSTOM_AUTH:
UserPoolAddOns AdvancedSecurityAdditionalFlows CustomAuthMode ENFORCED; AUDIT when left out) applies
the risk configuration of the client (else the pool): RiskExceptionConfiguration's BlockedIPRangeList refuses
("Request not allowed due to security reasons."), SkippedIPRangeList skips the assessment;
CompromisedCredentialsRiskConfiguration BLOCK (for EventFilter SIGN_IN, or no filter) sets the user
RESET_REQUIRED and refuses; AccountTakeoverRiskConfiguration's action for the level: BLOCK refuses
("Unable to login because of security reasons."), MFA_IF_CONFIGURED and MFA_REQUIRED ask for an MFA
code with a factor the user can receive (MFA_REQUIRED refuses without one), NO_ACTION lets the user
in (a passkey or one-time-code sign-in has no MFA step to add: MFA_IF_CONFIGURED lets the user in,
MFA_REQUIRED refuses); with Notify the user gets the NotifyConfiguration's BlockEmail, MfaEmail or
NoActionEmail in the outbox (reason "AccountTakeoverNotification"). No risk detected takes no action at all.
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    PasswordResetRequiredException,
    ResourceNotFoundException,
)
from cognito_emu.idp.factors import mfa
from cognito_emu.idp.models import AuthEvent, User, UserPool, UserStatus, own_list
from cognito_emu.idp.pool import pool_settings
from cognito_emu.idp.self_service import messages
from cognito_emu.idp.signin import auth_events, compromised, lockout
from cognito_emu.idp.signin.context import RESET_REQUIRED, AuthContext, RiskVerdict
from cognito_emu.idp.users import directory

LOW, MEDIUM, HIGH = "Low", "Medium", "High"
LEVELS = (LOW, MEDIUM, HIGH)
ACCOUNT_TAKEOVER = "AccountTakeover"
BLOCKED = "Unable to login because of security reasons."
IP_BLOCKED = "Request not allowed due to security reasons."
NOTIFICATION = "AccountTakeoverNotification"
# IP addresses and device fingerprints remembered per user, newest.
MAX_KNOWN = 20
# Failed password attempts before a sign-in that make it riskier (one point; the lockout's five, two).
BURST_ATTEMPTS = 3
_DEFAULT_EMAILS = {
    "BlockEmail": (
        "Blocked sign-in attempt",
        "We blocked an unrecognized sign-in to your account {username} from {ip-address} at {login-time}.",
    ),
    "MfaEmail": (
        "New sign-in attempt",
        "We asked for a second factor at a sign-in to your account {username} from {ip-address} at "
        "{login-time}.",
    ),
    "NoActionEmail": (
        "New sign-in",
        "We noticed a sign-in to your account {username} from {ip-address} at {login-time}.",
    ),
}


def set_next_sign_in_risk(env: Env, pool_id: str, username: str, level: str | None) -> str | None:
    """Make the next sign-in of ``username`` assess as ``level`` (LOW, MEDIUM or HIGH, any case; None
    clears it); the level as stored."""
    pool = env.state.find_pool(pool_id)
    if pool is None:
        raise ResourceNotFoundException(f"User pool {pool_id} does not exist.")
    user = directory.get_user(pool, username)
    canonical = None
    if level is not None:
        canonical = next((known for known in LEVELS if known.lower() == str(level).lower()), None)
        if canonical is None:
            raise InvalidParameterException(f"The risk level must be LOW, MEDIUM or HIGH, not {level!r}.")
    user.next_sign_in_risk = canonical
    return canonical


def assess(ctx: AuthContext, user: User) -> str | None:
    """The risk level of this sign-in (None: no risk detected); a level set by a test is used once."""
    if user.next_sign_in_risk is not None:
        level, user.next_sign_in_risk = user.next_sign_in_risk, None
        return level
    points = 0
    if ctx.ip_address and user.known_ips and ctx.ip_address not in user.known_ips:
        points += 1
    if ctx.device and user.known_devices and ctx.device not in user.known_devices:
        points += 1
    if ctx.failed_attempts >= lockout.FREE_ATTEMPTS:
        points += 2
    elif ctx.failed_attempts >= BURST_ATTEMPTS:
        points += 1
    return (None, LOW, MEDIUM, HIGH)[min(points, 3)]


def judge(ctx: AuthContext, user: User, mfa_step: bool = True) -> RiskVerdict | None:
    """Assess a sign-in whose first factor was proven and apply the ENFORCED response; None when the
    pool's threat protection is off. A blocked sign-in is recorded (Fail) and raises. Without an
    ``mfa_step`` (a passwordless first factor) no MFA can be asked for: MFA_IF_CONFIGURED lets the user
    in and MFA_REQUIRED refuses."""
    if not auth_events.enabled(ctx.pool):
        return None
    level = assess(ctx, user)
    verdict = RiskVerdict(level=level, compromised=ctx.compromised)
    if not auth_events.enforced(ctx.pool, ctx.custom_auth):
        return verdict
    configuration = pool_settings.risk_configuration_for(ctx.pool, ctx.client.client_id)
    exceptions = configuration.get("RiskExceptionConfiguration") or {}
    if _in_ranges(ctx.ip_address, exceptions.get("BlockedIPRangeList")):
        _refuse(ctx, user, verdict, NotAuthorizedException(IP_BLOCKED))
    if _in_ranges(ctx.ip_address, exceptions.get("SkippedIPRangeList")):
        return RiskVerdict(level=None, compromised=ctx.compromised)
    if ctx.compromised and compromised.blocks(configuration, compromised.SIGN_IN):
        # Cognito sets the user RESET_REQUIRED: the password must be reset before the next sign-in.
        user.status = UserStatus.RESET_REQUIRED
        _refuse(ctx, user, verdict, PasswordResetRequiredException(RESET_REQUIRED))
    if level is None:
        return verdict
    takeover = configuration.get("AccountTakeoverRiskConfiguration") or {}
    action = (takeover.get("Actions") or {}).get(f"{level}Action")
    if not action:
        return verdict
    event_action, notify = action.get("EventAction"), bool(action.get("Notify"))
    if event_action in ("MFA_IF_CONFIGURED", "MFA_REQUIRED"):
        factors = risk_factors(ctx.pool, user) if mfa_step else []
        if factors:
            if notify:
                _notify(ctx, user, takeover, "MfaEmail")
            return RiskVerdict(
                level=level, compromised=ctx.compromised, decision=ACCOUNT_TAKEOVER, mfa=factors[0]
            )
        if event_action == "MFA_IF_CONFIGURED":
            if notify:
                _notify(ctx, user, takeover, "NoActionEmail")
            return verdict
    if event_action in ("BLOCK", "MFA_REQUIRED"):
        if notify:
            _notify(ctx, user, takeover, "BlockEmail")
        _refuse(ctx, user, verdict, NotAuthorizedException(BLOCKED))
    if notify:
        _notify(ctx, user, takeover, "NoActionEmail")
    return verdict


def risk_factors(pool: UserPool, user: User) -> list[str]:
    """The MFA factors a risky sign-in can ask for: the user's own, else what the pool offers that the
    user can receive (a phone number for SMS, an email address for email, a TOTP for software tokens)."""
    return mfa.sign_in_factors(pool, user) or [
        factor for factor in mfa.pool_factors(pool) if mfa.has_means(user, factor)
    ]


def _in_ranges(address: str | None, ranges: list[str] | None) -> bool:
    if not address or not ranges:
        return False
    try:
        ip = ipaddress.ip_address(address)
        return any(ip in ipaddress.ip_network(cidr, strict=False) for cidr in ranges)
    except ValueError:
        return False


def _refuse(ctx: AuthContext, user: User, verdict: RiskVerdict, error: Exception) -> None:
    record(ctx, user, "Fail", RiskVerdict(verdict.level, verdict.compromised, decision=auth_events.BLOCK))
    raise error


def record(ctx: AuthContext, user: User, response: str, verdict: RiskVerdict | None) -> AuthEvent | None:
    """The SignIn event of this sign-in, with its risk (InProgress while an MFA answer is awaited)."""
    event = auth_events.record(
        ctx.env, ctx.pool, user, "SignIn", response, auth_events.PASSWORD_PASSED, context=event_context(ctx)
    )
    if event is not None and verdict is not None:
        event.risk_decision = verdict.decision
        event.risk_level = verdict.level or LOW
        event.compromised_credentials = verdict.compromised
    return event


def event_context(ctx: AuthContext) -> dict[str, str]:
    """EventContextData: what the emulator knows of the caller (no geolocation)."""
    return {"IpAddress": ctx.ip_address} if ctx.ip_address else {}


def signed_in(ctx: AuthContext, user: User) -> None:
    """A sign-in got its tokens: its SignIn event passes (the one waiting for an MFA answer, else a new
    one), and its IP address and device join the user's known ones."""
    pending = next((e for e in user.auth_events if e.event_id == user.pending_sign_in_event), None)
    user.pending_sign_in_event = None
    if pending is not None and ctx.responding:
        pending.response = "Pass"
        pending.challenges.append({"ChallengeName": "Mfa", "ChallengeResponse": "Success"})
    else:
        record(ctx, user, "Pass", ctx.risk)
    user.known_ips = _remember(user.known_ips, ctx.ip_address)
    user.known_devices = _remember(user.known_devices, ctx.device)


def challenged(ctx: AuthContext, user: User) -> None:
    """A sign-in now waits for a challenge answer: its SignIn event is InProgress until then."""
    event = record(ctx, user, "InProgress", ctx.risk)
    user.pending_sign_in_event = event.event_id if event is not None else None


def _remember(known: list[str], value: str | None) -> list[str]:
    if value is None:
        return known
    known = own_list(known)
    if value in known:
        known.remove(value)
    known.append(value)
    del known[:-MAX_KNOWN]
    return known


def _notify(ctx: AuthContext, user: User, takeover: dict[str, Any], template: str) -> None:
    """The NotifyConfiguration's email for this response, to the user's email address (if any)."""
    if not user.attributes.get("email"):
        return
    configured = (takeover.get("NotifyConfiguration") or {}).get(template) or {}
    default_subject, default_body = _DEFAULT_EMAILS[template]
    body = configured.get("TextBody") or configured.get("HtmlBody") or default_body
    values = {
        "{username}": user.username,
        "{ip-address}": ctx.ip_address or "",
        "{login-time}": datetime.fromtimestamp(ctx.env.clock.now(), UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "{device-name}": "",
        "{city}": "",
        "{country}": "",
    }
    for placeholder, value in values.items():
        body = body.replace(placeholder, value)
    messages.record(
        ctx.env, ctx.pool, user, "email", NOTIFICATION, configured.get("Subject") or default_subject, body
    )
