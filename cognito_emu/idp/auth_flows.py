"""InitiateAuth and AdminInitiateAuth: one small function per AuthFlow (house rule 6).

Each flow returns an ``Outcome``: a challenge (ChallengeName, ChallengeParameters, Session) or an
AuthenticationResult. The steps every password check ends with (status checks, NEW_PASSWORD_REQUIRED,
tokens) live here too, for the challenges module to share.

Wording, as Cognito answers (API reference InitiateAuth/AdminInitiateAuth, and measured by clients):
- a flow the endpoint does not take (ADMIN_USER_PASSWORD_AUTH on InitiateAuth, USER_PASSWORD_AUTH on
  AdminInitiateAuth): InvalidParameterException "Initiate Auth method not supported."
- a flow the app client does not allow: InvalidParameterException, "USER_PASSWORD_AUTH flow not
  enabled for this client", "USER_SRP_AUTH is not enabled for the client.", "Auth flow not enabled
  for this client" (the admin password flows), "<FLOW> flow not enabled for this client" otherwise;
- an unknown user: NotAuthorizedException "Incorrect username or password." when the client's
  PreventUserExistenceErrors is ENABLED (the default), UserNotFoundException "User does not exist."
  when it is LEGACY. With ENABLED, USER_SRP_AUTH answers a decoy PASSWORD_VERIFIER challenge whose
  answer fails like a wrong password, so the flow does not reveal who exists.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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
from cognito_emu.idp import (
    auth_events,
    clients,
    devices,
    directory,
    lockout,
    passwords,
    sessions,
    srp,
    tokens,
)
from cognito_emu.idp.models import AppClient, User, UserPool, UserStatus
from cognito_emu.triggers import authentication as authentication_triggers
from cognito_emu.triggers import custom_auth as triggers_custom_auth
from cognito_emu.triggers import migration
from cognito_emu.triggers.events import TriggerInput

Outcome = dict[str, Any]

INCORRECT = "Incorrect username or password."
USER_DISABLED = "User is disabled."
USER_NOT_CONFIRMED = "User is not confirmed."
RESET_REQUIRED = "Password reset required for the user"
METHOD_NOT_SUPPORTED = "Initiate Auth method not supported."

PASSWORD_VERIFIER = "PASSWORD_VERIFIER"
NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED"

_NOT_ENABLED = {
    "USER_PASSWORD_AUTH": "USER_PASSWORD_AUTH flow not enabled for this client",
    "USER_SRP_AUTH": "USER_SRP_AUTH is not enabled for the client.",
    "ADMIN_USER_PASSWORD_AUTH": "Auth flow not enabled for this client",
    "ADMIN_NO_SRP_AUTH": "Auth flow not enabled for this client",
}


@dataclass(slots=True)
class AuthContext:
    """One InitiateAuth / RespondToAuthChallenge call, as the flows and challenges see it."""

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
    # PreTokenGeneration and the custom challenge triggers (API reference, InitiateAuth ClientMetadata).
    responding: bool = False

    def trigger_metadata(self) -> dict[str, str] | None:
        """The ClientMetadata the sign-in's later triggers get: the answer's, none for InitiateAuth."""
        return self.client_metadata if self.responding else None

    def required(self, name: str) -> str:
        value = self.params.get(name)
        if not value:
            raise InvalidParameterException(f"Missing required parameter {name}")
        return value


def trigger_input(ctx: AuthContext) -> TriggerInput:
    """What the sign-in hands its Lambda triggers: ClientMetadata (PreAuthentication's validationData)."""
    return TriggerInput(client_metadata=dict(ctx.client_metadata), user_agent=ctx.user_agent)


def clean(params: dict[str, Any] | None) -> dict[str, str]:
    return {name: value for name, value in (params or {}).items() if value is not None}


# -- users ---------------------------------------------------------------------------------------


def user_for_sign_in(pool: UserPool, name: str) -> User | None:
    """The user ``name`` signs in: its username, or a sign-in alias (UsernameAttributes always,
    AliasAttributes once verified, preferred_username without verification); never the sub."""
    user = pool.users.get(directory.user_key(pool, name))
    if user is not None:
        return user
    for attribute in (*directory.username_attributes(pool), *directory.alias_attributes(pool)):
        owner = directory.alias_owner(pool, attribute, name)
        if owner is not None:
            return owner
    return None


def unknown_user(ctx: AuthContext) -> Exception:
    if ctx.client.settings.get("PreventUserExistenceErrors") == "LEGACY":
        return UserNotFoundException(directory.USER_NOT_FOUND)
    return NotAuthorizedException(INCORRECT)


def prevents_existence_errors(client: AppClient) -> bool:
    return client.settings.get("PreventUserExistenceErrors") != "LEGACY"


def check_can_sign_in(user: User) -> None:
    """What refuses a sign-in before any password is looked at."""
    if not user.enabled:
        raise NotAuthorizedException(USER_DISABLED)
    if user.status == UserStatus.RESET_REQUIRED:
        raise PasswordResetRequiredException(RESET_REQUIRED)


def password_checked(ctx: AuthContext, user: User, correct: bool) -> None:
    """Count a password attempt for the lockout; raise on a wrong one."""
    if not correct:
        lockout.record_failure(ctx.env, user)
        auth_events.record(ctx.env, ctx.pool, user, "SignIn", "Fail", auth_events.PASSWORD_FAILED)
        raise NotAuthorizedException(INCORRECT)
    lockout.reset(user)


# -- what follows a right password -----------------------------------------------------------------


def after_password(ctx: AuthContext, user: User, previous: sessions.AuthSession | None = None) -> Outcome:
    """The user proved its password: a confirmed user gets tokens, others a challenge or an error."""
    if user.status == UserStatus.UNCONFIRMED:
        raise UserNotConfirmedException(USER_NOT_CONFIRMED)
    if user.status == UserStatus.FORCE_CHANGE_PASSWORD:
        if passwords.temporary_password_expired(ctx.env, user):
            raise NotAuthorizedException(passwords.TEMPORARY_PASSWORD_EXPIRED_MESSAGE)
        return new_password_required(ctx, user, previous)
    from cognito_emu.idp import mfa  # MFA: SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP, SELECT_MFA_TYPE, MFA_SETUP

    challenge = mfa.challenge_after_password(ctx, user, previous)
    if challenge is not None:
        return challenge
    if previous is not None:
        sessions.finish(previous)
    return authenticated(ctx, user)


def authenticated(
    ctx: AuthContext,
    user: User,
    *,
    auth_time: float | None = None,
    refresh_token: str | None = None,
    trigger_source: str | None = None,
    device_key: str | None = None,
) -> Outcome:
    # A sign-in naming a remembered device proves it first (DEVICE_SRP_AUTH); ``device_key`` is the proven one.
    if refresh_token is None and device_key is None:
        device_challenge = devices.challenge(ctx, user)
        if device_challenge is not None:
            return device_challenge
    if refresh_token is None:
        # PostAuthentication_Authentication after every sign-in (not a refresh); its error fails it.
        authentication_triggers.post_authentication(
            ctx.env, ctx.pool, user, client_id=ctx.client.client_id, trigger_input=trigger_input(ctx)
        )
        auth_events.record(ctx.env, ctx.pool, user, "SignIn", "Pass", auth_events.PASSWORD_PASSED)
    new_device = None
    if device_key is None:
        device_key, new_device = devices.for_tokens(ctx, user, refreshing=refresh_token is not None)
    result = tokens.authentication_result(
        ctx.env,
        ctx.pool,
        ctx.client,
        user,
        issuer=ctx.issuer,
        auth_time=auth_time,
        refresh_token=refresh_token,
        trigger_source=trigger_source,
        client_metadata=ctx.trigger_metadata(),
        device_key=device_key,
    )
    if new_device is not None:
        result["NewDeviceMetadata"] = new_device
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


def required_attributes_missing(pool: UserPool, user: User) -> list[str]:
    """Required schema attributes the user has no value for (``sub`` excepted)."""
    return [
        name
        for name, attribute in pool.schema.items()
        if attribute.required and name != "sub" and not user.attributes.get(name)
    ]


def new_password_required(
    ctx: AuthContext, user: User, previous: sessions.AuthSession | None = None
) -> Outcome:
    """NEW_PASSWORD_REQUIRED: userAttributes (JSON, without sub) and requiredAttributes (JSON list of
    ``userAttributes.<name>`` the answer must supply)."""
    if previous is not None:
        session = sessions.next_challenge(ctx.env, ctx.client, previous, NEW_PASSWORD_REQUIRED)
    else:
        session = sessions.open_session(ctx.env, ctx.client, user.username, NEW_PASSWORD_REQUIRED)
    shown = {name: value for name, value in user.attributes.items() if name != "sub"}
    required = [f"userAttributes.{name}" for name in required_attributes_missing(ctx.pool, user)]
    return {
        "ChallengeName": NEW_PASSWORD_REQUIRED,
        "Session": session.session_id,
        "ChallengeParameters": {
            "USER_ID_FOR_SRP": user.username,
            "requiredAttributes": json.dumps(required),
            "userAttributes": json.dumps(shown),
        },
    }


# -- flows -----------------------------------------------------------------------------------------


def password_auth(ctx: AuthContext) -> Outcome:
    """USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and ADMIN_NO_SRP_AUTH: USERNAME and PASSWORD."""
    name = ctx.required("USERNAME")
    password = ctx.required("PASSWORD")
    clients.check_secret_hash(ctx.client, name, ctx.params.get("SECRET_HASH"))
    return after_password(ctx, password_sign_in(ctx, name, password))


def password_sign_in(ctx: AuthContext, name: str, password: str) -> User:
    """The user ``name`` with ``password`` proven (migrated by UserMigration when unknown), or Cognito's
    error; PreAuthentication, status checks and the lockout included. Shared with the hosted login form."""
    user = user_for_sign_in(ctx.pool, name)
    if user is None:
        migrated = migrate_at_sign_in(ctx, name, password)
        if migrated is not None:
            return migrated
        user = user_for_sign_in(ctx.pool, name)
    if user is None:
        if prevents_existence_errors(ctx.client):
            pre_authentication(ctx, name, None)
        raise unknown_user(ctx)
    user = pre_authentication(ctx, name, user)
    check_can_sign_in(user)
    lockout.check(ctx.env, user)
    password_checked(ctx, user, passwords.check_password(ctx.env, user, password))
    return user


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


def migrate_at_sign_in(ctx: AuthContext, name: str, password: str) -> User | None:
    """UserMigration_Authentication for a name nobody has: the migrated user, created with this
    password (PasswordResetRequiredException when the handler answers RESET_REQUIRED), or None."""
    from cognito_emu.idp import users

    migrated = migration.migrate_user(
        ctx.env,
        ctx.pool,
        "UserMigration_Authentication",
        username=name,
        password=password,
        client_id=ctx.client.client_id,
        trigger_input=trigger_input(ctx),
    )
    if migrated is None or user_for_sign_in(ctx.pool, name) is not None:
        # No trigger, or someone created the user while the trigger ran: sign in as usual.
        return None
    status = UserStatus.RESET_REQUIRED if migrated.final_status == "RESET_REQUIRED" else UserStatus.CONFIRMED
    user = users.create_user(
        ctx.env,
        ctx.pool,
        name,
        migrated.attributes,
        status=status,
        exists_message="User already exists",
        force_alias=migrated.force_alias,
    )
    passwords.set_password(ctx.env, ctx.pool, user, password, temporary=False)
    if status == UserStatus.RESET_REQUIRED:
        raise PasswordResetRequiredException(RESET_REQUIRED)
    return user


def srp_auth(ctx: AuthContext) -> Outcome:
    """USER_SRP_AUTH: USERNAME and SRP_A; answers a PASSWORD_VERIFIER challenge."""
    name = ctx.required("USERNAME")
    a_hex = ctx.required("SRP_A")
    clients.check_secret_hash(ctx.client, name, ctx.params.get("SECRET_HASH"))
    srp.parse_public_a(a_hex)
    user = user_for_sign_in(ctx.pool, name)
    if user is None and not prevents_existence_errors(ctx.client):
        raise unknown_user(ctx)
    if user is not None:
        check_can_sign_in(user)
    if user is not None or prevents_existence_errors(ctx.client):
        try:
            user = pre_authentication(ctx, name, user)
        except (NotAuthorizedException, UserNotFoundException):
            user = None  # no such user (or gone meanwhile): the decoy answers
    if user is None or not user.srp_verifier or not user.srp_salt:
        # A decoy: the same shape as a real challenge, answered by "Incorrect username or password.".
        username, salt, verifier = None, srp.new_salt(ctx.env), srp.new_salt(ctx.env)
        user_id = name
    else:
        username, salt, verifier, user_id = user.username, user.srp_salt, user.srp_verifier, user.username
    session = sessions.open_session(ctx.env, ctx.client, username, PASSWORD_VERIFIER, signed_in_as=name)
    return password_verifier_challenge(ctx, session, a_hex, salt, verifier, user_id)


def password_verifier_challenge(
    ctx: AuthContext, session: sessions.AuthSession, a_hex: str, salt: str, verifier: str, user_id: str
) -> Outcome:
    """The PASSWORD_VERIFIER challenge of ``session`` (USER_SRP_AUTH, or CUSTOM_AUTH after SRP_A)."""
    session.srp = srp.server_challenge(verifier, ctx.env.ids.token_bytes(32))
    session.srp_a = a_hex
    return {
        "ChallengeName": PASSWORD_VERIFIER,
        "Session": session.session_id,
        "ChallengeParameters": {
            "SALT": salt,
            "SRP_B": session.srp.big_b,
            "SECRET_BLOCK": sessions.new_secret_block(ctx.env, session),
            "USERNAME": user_id,
            "USER_ID_FOR_SRP": user_id,
        },
    }


def refresh_auth(ctx: AuthContext) -> Outcome:
    """REFRESH_TOKEN_AUTH / REFRESH_TOKEN: new access and ID tokens, the refresh token unchanged.

    With a client secret, SECRET_HASH is computed over the user's internal username (for a pool
    that signs in by email or phone, that is the sub), not over the alias typed at sign-in.
    """
    refresh_token = ctx.required("REFRESH_TOKEN")
    if tokens.rotation(ctx.client):
        # "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh token rotation
        # enabled" (developer guide, "Refresh tokens"); the wording of the error is the emulator's.
        raise InvalidParameterException(
            "Refresh token rotation is enabled for this app client: refresh tokens with GetTokensFromRefreshToken."
        )
    user, auth_time = tokens.user_from_refresh_token(ctx.env, ctx.pool, ctx.client, refresh_token)
    if ctx.client.secrets:
        _check_refresh_secret_hash(ctx, user)
    if not user.enabled:
        raise NotAuthorizedException(USER_DISABLED)
    return authenticated(ctx, user, auth_time=auth_time, refresh_token=refresh_token)


def _check_refresh_secret_hash(ctx: AuthContext, user: User) -> None:
    received = ctx.params.get("SECRET_HASH")
    names = [user.username, user.sub]
    given = ctx.params.get("USERNAME")
    if given and given not in names and user_for_sign_in(ctx.pool, given) is user:
        names.append(given)
    failure: NotAuthorizedException | None = None
    for name in names:
        try:
            clients.check_secret_hash(ctx.client, name, received)
            return
        except NotAuthorizedException as error:
            failure = error
    assert failure is not None
    raise failure


def custom_auth(ctx: AuthContext) -> Outcome:
    """CUSTOM_AUTH: USERNAME (and CHALLENGE_NAME=SRP_A with SRP_A to verify a password first); the
    pool's DefineAuthChallenge / CreateAuthChallenge triggers decide the challenges."""
    return triggers_custom_auth.start(ctx)


def user_auth(ctx: AuthContext) -> Outcome:
    """USER_AUTH (choice-based sign-in): cognito_emu.idp.user_auth."""
    from cognito_emu.idp import user_auth

    return user_auth.start(ctx)


Flow = Callable[[AuthContext], Outcome]

USER_FLOWS: dict[str, Flow] = {
    "USER_PASSWORD_AUTH": password_auth,
    "USER_SRP_AUTH": srp_auth,
    "REFRESH_TOKEN_AUTH": refresh_auth,
    "REFRESH_TOKEN": refresh_auth,
    "CUSTOM_AUTH": custom_auth,
    "USER_AUTH": user_auth,
}

ADMIN_FLOWS: dict[str, Flow] = {
    "ADMIN_USER_PASSWORD_AUTH": password_auth,
    "ADMIN_NO_SRP_AUTH": password_auth,
    "USER_SRP_AUTH": srp_auth,
    "REFRESH_TOKEN_AUTH": refresh_auth,
    "REFRESH_TOKEN": refresh_auth,
    "CUSTOM_AUTH": custom_auth,
    "USER_AUTH": user_auth,
}


def initiate_auth(ctx: AuthContext, auth_flow: str) -> Outcome:
    """Run ``auth_flow`` once the endpoint and the app client allow it."""
    flow = (ADMIN_FLOWS if ctx.admin else USER_FLOWS).get(auth_flow)
    if flow is None:
        raise InvalidParameterException(METHOD_NOT_SUPPORTED)
    if not clients.auth_flow_allowed(ctx.client, auth_flow):
        raise InvalidParameterException(
            _NOT_ENABLED.get(auth_flow, f"{auth_flow} flow not enabled for this client")
        )
    return devices.carry(ctx, flow(ctx))
