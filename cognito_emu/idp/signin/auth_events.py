"""Threat-protection user auth events: AdminListUserAuthEvents, AdminUpdateAuthEventFeedback and
UpdateAuthEventFeedback (API reference, "AdminListUserAuthEvents" and "AuthEventType").

Cognito logs a user's activity only when the pool's threat protection is on (UserPoolAddOns
AdvancedSecurityMode AUDIT or ENFORCED); the operations answer UserPoolAddOnNotEnabledException
otherwise, and ``record`` costs a pool with threat protection off one dict lookup.

What is recorded, one event per action, on the user (``User.auth_events``, oldest first):
- SignIn: Fail with ChallengeResponses Password/Failure at a wrong password (USER_PASSWORD_AUTH, the
  admin password flows, SRP's PASSWORD_VERIFIER, the hosted login form); Pass with Password/Success
  when InitiateAuth / RespondToAuthChallenge or the hosted login form issue tokens (not for a refresh),
  whatever the first factor (password, passkey, one-time code, custom challenge).
- SignUp (Pass), ResendCode (Pass), ForgotPassword (Pass, once the code went out), PasswordChange
  (Pass, or Fail with Password/Failure for a wrong previous password, or Fail with RiskDecision Block for
  a compromised new password that ENFORCED mode blocks); SignUp and PasswordChange carry
  CompromisedCredentialsDetected for a new password on the breach list (``idp.signin.compromised``).

SignIn events carry the risk ``idp.signin.risk`` assessed (and, in ENFORCED mode, what it did about
it); the other events, and sign-ins that prove no password, show EventRisk {RiskDecision NoRisk,
RiskLevel Low, CompromisedCredentialsDetected false}.

At most ``MAX_EVENTS`` are kept per user; the oldest go first. Each event gets a FeedbackToken, the
value Cognito puts in its notification emails for UpdateAuthEventFeedback; it is found in the state
export (``GET /_emu/state``: the user's ``auth_events[].feedback_token``).
"""

from __future__ import annotations

import base64
import hmac

from cognito_emu import pagination
from cognito_emu.env import Env
from cognito_emu.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    ResourceNotFoundException,
    UserPoolAddOnNotEnabledException,
)
from cognito_emu.idp.models import AuthEvent, User, UserPool, own_list

# Events kept per user, newest; older ones are dropped as new ones arrive.
MAX_EVENTS = 100
# AdminListUserAuthEvents' page when MaxResults is 0 or left out (API reference).
DEFAULT_PAGE = 60

NO_RISK, BLOCK = "NoRisk", "Block"
ENABLED_MODES = frozenset({"AUDIT", "ENFORCED"})
PASSWORD_FAILED = (("Password", "Failure"),)
PASSWORD_PASSED = (("Password", "Success"),)


def enabled(pool: UserPool) -> bool:
    """True when the pool's threat protection (AdvancedSecurityMode) is AUDIT or ENFORCED."""
    add_ons = pool.settings.get("UserPoolAddOns")
    return isinstance(add_ons, dict) and add_ons.get("AdvancedSecurityMode") in ENABLED_MODES


def enforced(pool: UserPool, custom_auth: bool = False) -> bool:
    """True when the pool's threat protection takes action: AdvancedSecurityMode ENFORCED, or for a
    CUSTOM_AUTH sign-in AdvancedSecurityAdditionalFlows CustomAuthMode ENFORCED (with threat protection
    on; the mode is AUDIT when left out, whatever AdvancedSecurityMode says)."""
    add_ons = pool.settings.get("UserPoolAddOns")
    if not isinstance(add_ons, dict):
        return False
    if custom_auth:
        flows = add_ons.get("AdvancedSecurityAdditionalFlows") or {}
        return enabled(pool) and flows.get("CustomAuthMode") == "ENFORCED"
    return add_ons.get("AdvancedSecurityMode") == "ENFORCED"


def require_enabled(pool: UserPool) -> None:
    if not enabled(pool):
        raise UserPoolAddOnNotEnabledException(
            "Threat protection (UserPoolAddOns AdvancedSecurityMode AUDIT or ENFORCED) is not enabled for "
            f"user pool {pool.id}."
        )


def record(
    env: Env,
    pool: UserPool,
    user: User,
    event_type: str,
    response: str,
    challenges: tuple[tuple[str, str], ...] = (),
    context: dict[str, str] | None = None,
    *,
    compromised: bool = False,
    decision: str = NO_RISK,
) -> AuthEvent | None:
    """Log one event for ``user`` when the pool's threat protection is on (None otherwise); ``compromised``
    and ``decision`` are its EventRisk's CompromisedCredentialsDetected and RiskDecision."""
    if not enabled(pool):
        return None
    event = AuthEvent(
        event_id=env.ids.uuid(),
        event_type=event_type,
        created=env.clock.now(),
        response=response,
        challenges=[{"ChallengeName": name, "ChallengeResponse": result} for name, result in challenges],
        context=dict(context or {}),
        feedback_token=base64.urlsafe_b64encode(env.ids.token_bytes(32)).decode(),
        risk_decision=decision,
        compromised_credentials=compromised,
    )
    user.auth_events = own_list(user.auth_events)
    user.auth_events.append(event)
    del user.auth_events[:-MAX_EVENTS]
    return event


def list_events(
    pool: UserPool, user: User, max_results: int | None, token: str | None
) -> tuple[list[AuthEvent], str | None]:
    """One page of the user's events, newest first, and the token of the next page."""
    require_enabled(pool)
    newest_first = user.auth_events[::-1]
    start = 0
    if token:
        after = pagination.decode(token)
        ids = [event.event_id for event in newest_first]
        if after not in ids:
            raise InvalidParameterException("Invalid pagination token.")
        start = ids.index(after) + 1
    limit = max_results or DEFAULT_PAGE
    page = newest_first[start : start + limit]
    more = start + limit < len(newest_first)
    return page, (pagination.encode(page[-1].event_id) if more and page else None)


def find_event(user: User, event_id: str) -> AuthEvent:
    for event in user.auth_events:
        if event.event_id == event_id:
            return event
    raise ResourceNotFoundException(f"Auth event {event_id} does not exist.")


def admin_feedback(env: Env, pool: UserPool, user: User, event_id: str, value: str) -> None:
    """AdminUpdateAuthEventFeedback: the event's feedback, from Provider "Admin"."""
    require_enabled(pool)
    _give_feedback(env, find_event(user, event_id), value, "Admin")


def user_feedback(env: Env, pool: UserPool, user: User, event_id: str, token: str, value: str) -> None:
    """UpdateAuthEventFeedback: the event's feedback, if ``token`` is the event's FeedbackToken.

    The Provider a user's feedback shows is not documented; the emulator says "User"."""
    require_enabled(pool)
    event = find_event(user, event_id)
    if not hmac.compare_digest(event.feedback_token.encode(), token.encode()):
        raise NotAuthorizedException("Invalid feedback token.")
    _give_feedback(env, event, value, "User")


def _give_feedback(env: Env, event: AuthEvent, value: str, provider: str) -> None:
    event.feedback = {"FeedbackValue": value, "Provider": provider, "FeedbackDate": env.clock.now()}
