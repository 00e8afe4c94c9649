"""The password first factor every flow shares: USER_PASSWORD_AUTH and the admin password flows,
USER_AUTH's PASSWORD and PASSWORD_SRP, CUSTOM_AUTH's SRP_A, and the hosted login's form.

An unknown name first goes to the UserMigration trigger (UserMigration_Authentication), which may
create the user with the password given. With PreventUserExistenceErrors ENABLED, the SRP flows answer
an unknown user (or one without an SRP verifier) with a decoy PASSWORD_VERIFIER challenge whose answer
fails like a wrong password, so the flow does not reveal who exists.
"""

from __future__ import annotations

from cognito_emu.errors import PasswordResetRequiredException
from cognito_emu.idp.factors import breached, passwords, srp
from cognito_emu.idp.models import ChallengeSession, User, UserStatus
from cognito_emu.idp.signin import lockout, sessions
from cognito_emu.idp.signin.context import (
    RESET_REQUIRED,
    AuthContext,
    check_can_sign_in,
    check_confirmed,
    migration_trigger_input,
    password_checked,
    pre_authentication,
    prevents_existence_errors,
    unknown_user,
    user_for_sign_in,
)
from cognito_emu.idp.signin.result import Challenge, ChallengeName
from cognito_emu.idp.users import accounts
from cognito_emu.triggers import migration


def password_sign_in(ctx: AuthContext, name: str, password: str) -> User:
    """The user ``name`` with ``password`` proven (migrated by UserMigration when unknown), or Cognito's
    error; PreAuthentication, status checks and the lockout included."""
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
    check_confirmed(user)
    lockout.check(ctx.env, user)
    password_checked(ctx, user, passwords.check_password(ctx.pool, user, password))
    ctx.compromised = breached.is_breached(password)
    return user


def migrate_at_sign_in(ctx: AuthContext, name: str, password: str) -> User | None:
    """UserMigration_Authentication for a name nobody has: the migrated user, created with this
    password (PasswordResetRequiredException when the handler answers RESET_REQUIRED), or None."""
    migrated = migration.migrate_user(
        ctx.env,
        ctx.pool,
        "UserMigration_Authentication",
        username=name,
        password=password,
        client_id=ctx.client.client_id,
        trigger_input=migration_trigger_input(ctx),
    )
    if migrated is None or user_for_sign_in(ctx.pool, name) is not None:
        # No trigger, or someone created the user while the trigger ran: sign in as usual.
        return None
    status = UserStatus.RESET_REQUIRED if migrated.final_status == "RESET_REQUIRED" else UserStatus.CONFIRMED
    user = accounts.create_user(
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


def srp_session_user(user: User | None) -> str | None:
    """The username a PASSWORD_VERIFIER session is for: None (a decoy) when ``user`` cannot answer SRP."""
    return user.username if user is not None and user.srp_verifier and user.srp_salt else None


def password_verifier_challenge(
    ctx: AuthContext, session: ChallengeSession, a_hex: str, user: User | None, name: str
) -> Challenge:
    """The PASSWORD_VERIFIER challenge of ``session`` for SRP_A ``a_hex``: ``user``'s salt and verifier,
    or a decoy of the same shape for an unknown user (or one without a verifier) signing in as ``name``."""
    if user is None or not user.srp_verifier or not user.srp_salt:
        salt, verifier, user_id = srp.new_salt(ctx.env), srp.new_salt(ctx.env), name
    else:
        salt, verifier, user_id = user.srp_salt.hex(), user.srp_verifier.hex(), user.username
    session.srp = srp.server_challenge(verifier, ctx.env.ids.token_bytes(32))
    session.srp_a = a_hex
    return Challenge(
        ChallengeName.PASSWORD_VERIFIER,
        session.session_id,
        {
            "SALT": salt,
            "SRP_B": session.srp.big_b,
            "SECRET_BLOCK": sessions.new_secret_block(ctx.env, session),
            "USERNAME": user_id,
            "USER_ID_FOR_SRP": user_id,
        },
    )
