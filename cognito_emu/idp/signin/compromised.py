"""Compromised-credentials detection beyond sign-in: a new password at sign-up and at a password change
(developer guide, "Working with compromised-credentials detection": "Amazon Cognito can check for
compromised credentials during sign-in, sign-up, and password changes"; API reference,
CompromisedCredentialsRiskConfigurationType).

A password is compromised when it is on the emulator's bundled breach list (``idp.factors.breached``).
With threat protection on (AUDIT or ENFORCED) the user's event records it (EventRisk
CompromisedCredentialsDetected). Only ENFORCED acts, and only where the risk configuration of the app
client (else the pool) has CompromisedCredentialsRiskConfiguration EventAction BLOCK and its EventFilter
names the event (no EventFilter: every event):
- SIGN_UP: SignUp;
- PASSWORD_CHANGE: ChangePassword, ConfirmForgotPassword and the answer to NEW_PASSWORD_REQUIRED (the
  API's and the hosted login's);
- SIGN_IN: the password sign-ins (``idp.signin.risk``).

Chosen here, where the documentation names no error: a blocked new password answers
InvalidPasswordException "Provided password cannot be used for security reasons." and changes nothing
(no user is created, the password stays as it was); a blocked ChangePassword records its PasswordChange
event as Fail with RiskDecision Block. The administrator's operations (AdminCreateUser,
AdminSetUserPassword) are not user events and are not checked.
"""

from __future__ import annotations

from typing import Any

from cognito_emu.errors import InvalidPasswordException
from cognito_emu.idp.factors import breached
from cognito_emu.idp.models import UserPool
from cognito_emu.idp.pool import pool_settings
from cognito_emu.idp.signin import auth_events

SIGN_IN, PASSWORD_CHANGE, SIGN_UP = "SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"
ALL_EVENTS = (SIGN_IN, PASSWORD_CHANGE, SIGN_UP)
BLOCKED_PASSWORD = "Provided password cannot be used for security reasons."


def blocks(configuration: dict[str, Any], event: str) -> bool:
    """Whether a risk configuration blocks compromised credentials at ``event``."""
    compromised = configuration.get("CompromisedCredentialsRiskConfiguration") or {}
    # EventFilter "defaults to all events" (CompromisedCredentialsRiskConfigurationType).
    events = compromised.get("EventFilter") or ALL_EVENTS
    return (compromised.get("Actions") or {}).get("EventAction") == "BLOCK" and event in events


def detected(pool: UserPool, password: str) -> bool:
    """Whether threat protection is on and sees ``password`` as compromised."""
    return auth_events.enabled(pool) and breached.is_breached(password)


def blocked(pool: UserPool, client_id: str | None, password: str, event: str) -> bool:
    """Whether ENFORCED threat protection refuses ``password`` as the new password of ``event``."""
    if not auth_events.enforced(pool) or not detected(pool, password):
        return False
    return blocks(pool_settings.risk_configuration_for(pool, client_id or ""), event)


def check_new_password(pool: UserPool, client_id: str | None, password: str, event: str) -> bool:
    """Screen a new password: raise when it is blocked; else whether it is compromised (for the event)."""
    if blocked(pool, client_id, password, event):
        raise InvalidPasswordException(BLOCKED_PASSWORD)
    return detected(pool, password)
