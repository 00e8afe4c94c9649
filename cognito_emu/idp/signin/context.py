"""What every sign-in step shares: the call (AuthContext), Cognito's wording, who signs in, and the
checks that come before any secret is looked at.

Wording, as Cognito answers (API reference InitiateAuth/AdminInitiateAuth, and measured by clients):
- an unknown user: NotAuthorizedException "Incorrect username or password." when the client's
  PreventUserExistenceErrors is ENABLED (the default), UserNotFoundException "User does not exist."
  when it is LEGACY;
- a disabled user: NotAuthorizedException "User is disabled."; a user whose password must be reset:
  PasswordResetRequiredException.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    PasswordResetRequiredException,
    UserNotConfirmedException,
    UserNotFoundException,
)
from cognito_emu.idp.models import AppClient, ChallengeSession, User, UserPool, UserStatus
from cognito_emu.idp.pool import client_auth
from cognito_emu.idp.signin import auth_events, lockout
from cognito_emu.idp.users import directory, index
from cognito_emu.triggers import authentication as authentication_triggers
from cognito_emu.triggers.events import TriggerInput

INCORRECT = "Incorrect username or password."
USER_NOT_CONFIRMED = "User is not confirmed."
RESET_REQUIRED = "Password reset required for the user"


@dataclass(frozen=True, slots=True)
class RiskVerdict:
    """Threat protection's judgement of one sign-in (idp.signin.risk): EventRiskType's members, and the
    MFA factor an ENFORCED response asks for."""

    # Low, Medium or High; None when no risk was detected.
    level: str | None
    compromised: bool
    # NoRisk, AccountTakeover or Block.
    decision: str = "NoRisk"
    mfa: str | None = None


@dataclass(slots=True)
class AuthContext:
    """One InitiateAuth / RespondToAuthChallenge call (or hosted-login form), as the sign-in sees it."""

    env: Env
    pool: UserPool
    client: AppClient
    # The token issuer (``tokens.issuer``), computed by the handler from the URL the client called.
    issuer: str
    admin: bool
    # The caller's User-Agent (the triggers' callerContext.awsSdkVersion).
    user_agent: str = ""
    # AuthParameters or ChallengeResponses, null values dropped (amazon-cognito-identity-js sends them).
    params: dict[str, str] = field(default_factory=dict)
    client_metadata: dict[str, str] = field(default_factory=dict)
    # True for RespondToAuthChallenge / AdminRespondToAuthChallenge: only they pass ClientMetadata to
    # PreTokenGeneration, the custom challenge triggers and the custom senders (API reference, InitiateAuth
    # ClientMetadata, which names all of them; the custom sender pages' clientMetadata says to pass it with
    # (Admin)RespondToAuthChallenge, which the RespondToAuthChallenge reference's list of triggers omits).
    responding: bool = False
    # Threat protection's view of the call (idp.signin.risk): the caller's IP address (UserContextData /
    # ContextData IpAddress, else X-Forwarded-For), its device fingerprint (their EncodedData), whether
    # the password given is a known breached one (only flows that send the password can tell), and
    # the failed password attempts that came before this one.
    ip_address: str | None = None
    device: str | None = None
    compromised: bool = False
    failed_attempts: int = 0
    # The sign-in's risk once its first factor was proven (None: threat protection is off, or not yet).
    risk: RiskVerdict | None = None
    # A CUSTOM_AUTH sign-in: threat protection acts on it as AdvancedSecurityAdditionalFlows says.
    custom_auth: bool = False
    # Step-up (idp.signin.step_up): the authentication level asked for (None: none) and the amr methods
    # the sign-in has proven, carried from challenge to challenge on its sessions.
    target_level: int | None = None
    methods: list[str] = field(default_factory=list)
    # A federated sign-in's level, from its IdP's acr through the provider's AcrMapping (None: not federated).
    federated_level: int | None = None

    def trigger_metadata(self) -> dict[str, str] | None:
        """The ClientMetadata the sign-in's later triggers get: the answer's, none for InitiateAuth."""
        return self.client_metadata if self.responding else None

    def required(self, name: str) -> str:
        value = self.params.get(name)
        if not value:
            raise InvalidParameterException(f"Missing required parameter {name}")
        return value


def trigger_input(ctx: AuthContext) -> TriggerInput:
    """What the sign-in hands the triggers that may run before the user is known to have signed in
    (PreAuthentication's validationData, PreSignUp): the call's ClientMetadata."""
    return TriggerInput(client_metadata=dict(ctx.client_metadata), user_agent=ctx.user_agent)


def migration_trigger_input(ctx: AuthContext) -> TriggerInput:
    """What the sign-in hands UserMigration_Authentication: the call's ClientMetadata as validationData (API
    reference, InitiateAuth ClientMetadata: the User migration payload "contains a validationData attribute"
    with it), and as clientMetadata only an (Admin)RespondToAuthChallenge's (the migrate user page names
    AdminRespondToAuthChallenge and ForgotPassword for clientMetadata, InitiateAuth for validationData)."""
    return TriggerInput(
        client_metadata=dict(ctx.trigger_metadata() or {}),
        validation_data=dict(ctx.client_metadata),
        user_agent=ctx.user_agent,
    )


def answer_trigger_input(ctx: AuthContext) -> TriggerInput:
    """What the sign-in hands PostAuthentication, CustomMessage_Authentication, the custom senders and
    PreTokenGeneration: the ClientMetadata of an (Admin)RespondToAuthChallenge, none of an
    (Admin)InitiateAuth, whose API reference names them among the triggers it invokes without
    ClientMetadata."""
    return TriggerInput(client_metadata=dict(ctx.trigger_metadata() or {}), user_agent=ctx.user_agent)


def clean(params: dict[str, Any] | None) -> dict[str, str]:
    return {name: value for name, value in (params or {}).items() if value is not None}


def user_for_sign_in(pool: UserPool, name: str) -> User | None:
    """The user ``name`` signs in: its username, or a sign-in alias (UsernameAttributes always,
    AliasAttributes once verified, preferred_username without verification); never the sub."""
    user = pool.users.get(directory.user_key(pool, name))
    if user is not None:
        return user
    for attribute in (*index.username_attributes(pool), *index.alias_attributes(pool)):
        owner = directory.alias_owner(pool, attribute, name)
        if owner is not None:
            return owner
    return None


def flow_user(ctx: AuthContext, name: str) -> User | None:
    """The user a flow that starts with a challenge (USER_SRP_AUTH, USER_AUTH, CUSTOM_AUTH) signs in, once
    it may: None for an unknown name when the client prevents user existence errors (a decoy follows)."""
    user = user_for_sign_in(ctx.pool, name)
    if user is None and not prevents_existence_errors(ctx.client):
        raise unknown_user(ctx)
    if user is not None:
        check_can_sign_in(user)
    return user


def unknown_user(ctx: AuthContext) -> Exception:
    if ctx.client.settings.get("PreventUserExistenceErrors") == "LEGACY":
        return UserNotFoundException(directory.USER_NOT_FOUND)
    return NotAuthorizedException(INCORRECT)


def prevents_existence_errors(client: AppClient) -> bool:
    return client.settings.get("PreventUserExistenceErrors") != "LEGACY"


def check_can_sign_in(user: User) -> None:
    """What refuses a sign-in before any password is looked at."""
    directory.refuse_disabled(user)
    if user.status == UserStatus.RESET_REQUIRED:
        raise PasswordResetRequiredException(RESET_REQUIRED)


def check_confirmed(user: User) -> None:
    """An unconfirmed user hears UserNotConfirmedException before its password is judged, right or
    wrong: Cognito answers so on purpose, so that an app can send the user on to confirm
    (amazon-cognito-identity-js#288; aws-sdk-js#4608 for USER_PASSWORD_AUTH, aws-sdk-android#1688 for SRP)."""
    if user.status == UserStatus.UNCONFIRMED:
        raise UserNotConfirmedException(USER_NOT_CONFIRMED)


def password_checked(ctx: AuthContext, user: User, correct: bool) -> None:
    """Count a password attempt for the lockout; raise on a wrong one."""
    if not correct:
        lockout.record_failure(ctx.env, user)
        auth_events.record(ctx.env, ctx.pool, user, "SignIn", "Fail", auth_events.PASSWORD_FAILED)
        raise NotAuthorizedException(INCORRECT)
    ctx.failed_attempts = lockout.failed_attempts(user)
    lockout.reset(user)


def pre_authentication(ctx: AuthContext, name: str, user: User | None) -> User:
    """Run the PreAuthentication trigger (its error blocks the sign-in); the user, looked up again
    since the state lock was released while the trigger ran (gone meanwhile: an unknown user)."""
    authentication_triggers.pre_authentication(
        ctx.env,
        ctx.pool,
        username=name,
        user=user,
        client_id=ctx.client.client_id,
        trigger_input=trigger_input(ctx),
    )
    found = user_for_sign_in(ctx.pool, name) if user is not None else None
    if found is None:
        raise unknown_user(ctx)
    return found


def answering_user(ctx: AuthContext, session: ChallengeSession) -> User | None:
    """The user a challenge session is for, once the answer's USERNAME and SECRET_HASH agree with it
    (None: the decoy session of an unknown user)."""
    name = ctx.required("USERNAME")
    client_auth.check_secret_hash(ctx.client, name, ctx.params.get("SECRET_HASH"))
    if session.username is None:
        return None
    user = ctx.pool.users.get(directory.user_key(ctx.pool, session.username))
    if user is None or (user_for_sign_in(ctx.pool, name) is not user and name != session.signed_in_as):
        raise NotAuthorizedException(INCORRECT)
    return user
