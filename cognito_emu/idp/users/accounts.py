"""User lifecycle: creation (shared by AdminCreateUser and SignUp), status changes, attribute writes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cognito_emu.env import Env
from cognito_emu.errors import (
    AliasExistsException,
    InvalidParameterException,
    NotAuthorizedException,
    UnsupportedUserStateException,
    UsernameExistsException,
)
from cognito_emu.idp import tokens
from cognito_emu.idp.factors import passwords
from cognito_emu.idp.models import User, UserAttributes, UserPool, UserStatus
from cognito_emu.idp.pool import pools
from cognito_emu.idp.self_service import codes, messages
from cognito_emu.idp.self_service.messages import CodeDelivery
from cognito_emu.idp.users import attributes, directory
from cognito_emu.idp.users.index import is_true, sign_in_aliases, username_attributes
from cognito_emu.triggers import sign_up as sign_up_triggers
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

_USERNAME_SHOULD_BE = {
    ("email",): "Username should be an email.",
    ("phone_number",): "Username should be a phone number.",
    ("email", "phone_number"): "Username should be either an email or a phone number.",
}
ALIAS_EXISTS = "An account with the given {attribute} already exists."
NO_RECOVERY_CHANNEL = (
    "Cannot reset password for the user as there is no registered/verified email or phone_number"
)

# Resetting the password of a user still holding a temporary one (AdminCreateUser): the answer seen in
# aws-amplify/amplify-js#1340 and #2955.
CANNOT_RESET = "User password cannot be reset in the current state."


@dataclass(slots=True)
class NewUser:
    """What a new user is made of before it is checked and stored."""

    username: str
    attributes: dict[str, str]


def _looks_like(attribute: str, value: str) -> bool:
    if attribute == "email":
        return "@" in value
    return value.startswith("+") and value[1:].isdigit()


def resolve_username(pool: UserPool, username: str, given: dict[str, str], sub: str) -> NewUser:
    """With UsernameAttributes the name typed in is an email or phone number: it becomes that
    attribute, and the internal username is the sub."""
    sign_in = username_attributes(pool)
    if not sign_in:
        return NewUser(username=username, attributes=dict(given))
    for attribute in sign_in:
        if _looks_like(attribute, username):
            return NewUser(username=sub, attributes={**given, attribute: username})
    key = tuple(sorted(sign_in))
    raise InvalidParameterException(_USERNAME_SHOULD_BE.get(key, "Username should be an email."))


def _check_unique(pool: UserPool, new: NewUser, exists_message: str, force_alias: bool) -> list[User]:
    """Raise when the name or a sign-in attribute is taken; return users whose alias moves to ``new``."""
    if directory.user_key(pool, new.username) in pool.users:
        raise UsernameExistsException(exists_message)
    for attribute in username_attributes(pool):
        value = new.attributes.get(attribute)
        if value and directory.alias_owner(pool, attribute, value) is not None:
            raise UsernameExistsException(ALIAS_EXISTS.format(attribute=attribute))
    losers: list[User] = []
    probe = User(
        username=new.username, sub="", created=0, modified=0, attributes=UserAttributes(new.attributes)
    )
    for attribute, value in sign_in_aliases(pool, probe):
        if attribute in username_attributes(pool):
            continue
        owner = directory.alias_owner(pool, attribute, value)
        if owner is None:
            continue
        if not force_alias:
            raise AliasExistsException(ALIAS_EXISTS.format(attribute=attribute))
        losers.append(owner)
    return losers


def take_alias(env: Env, pool: UserPool, losers: list[User], new_attributes: Mapping[str, str]) -> None:
    """ForceAliasCreation: the earlier owner keeps the value but it stops being its alias."""
    for loser in losers:
        with directory.changing(pool, loser):
            for attribute, flag in attributes.VERIFIED_FLAGS.items():
                if loser.attributes.get(attribute) == new_attributes.get(attribute):
                    loser.attributes = loser.attributes.with_values({flag: "false"})
            if (
                "preferred_username" in new_attributes
                and loser.attributes.get("preferred_username", "").lower()
                == new_attributes["preferred_username"].lower()
            ):
                loser.attributes = loser.attributes.without("preferred_username")
        loser.modified = env.clock.now()


def create_user(
    env: Env,
    pool: UserPool,
    username: str,
    given: dict[str, str],
    *,
    status: UserStatus,
    exists_message: str,
    force_alias: bool = False,
) -> User:
    """A new user with a fresh sub, its attributes checked against the schema, indexed."""
    sub = env.ids.uuid()
    new = resolve_username(pool, username, given, sub)
    attributes.check_new_user(pool, new.attributes)
    losers = _check_unique(pool, new, exists_message, force_alias)
    take_alias(env, pool, losers, new.attributes)
    now = env.clock.now()
    user = User(
        username=new.username,
        sub=sub,
        created=now,
        modified=now,
        status=status,
        attributes=UserAttributes({"sub": sub, **new.attributes}),
    )
    directory.add_user(pool, user)
    return user


def send_invitation(
    env: Env,
    pool: UserPool,
    user: User,
    temporary_password: str | None,
    mediums: list[str],
    trigger_input: TriggerInput = NO_INPUT,
) -> None:
    for medium in mediums:
        attribute = "email" if medium == "EMAIL" else "phone_number"
        if user.attributes.get(attribute):
            messages.send_invitation(env, pool, user, attribute, temporary_password, trigger_input=trigger_input)


def admin_create_user(
    env: Env,
    pool: UserPool,
    username: str,
    given: dict[str, str],
    *,
    temporary_password: str | None,
    message_action: str | None,
    mediums: list[str] | None,
    force_alias: bool,
    trigger_input: TriggerInput = NO_INPUT,
) -> User:
    mediums = mediums or ["SMS"]
    policy = passwords.pool_policy(pool)
    # A new user without a TemporaryPassword in a pool with passwordless sign-in gets no password, so
    # nothing to change: CONFIRMED (AdminCreateUser's reference: Cognito "generates one for you unless
    # you have passwordless options active", and "if the user has a password, they will be in the
    # FORCE_CHANGE_PASSWORD state"). A RESEND is for a user who has one: it gets a new one.
    passwordless = message_action != "RESEND" and temporary_password is None and pools.passwordless_sign_in(pool)
    if message_action == "RESEND":
        user = directory.get_user(pool, username)
        if user.status != UserStatus.FORCE_CHANGE_PASSWORD:
            raise UnsupportedUserStateException(
                f"Resend not possible. {user.username} status is not FORCE_CHANGE_PASSWORD."
            )
    else:
        if temporary_password is not None:
            passwords.check_password_policy(policy, temporary_password)
        if directory.user_key(pool, username) in pool.users:
            raise UsernameExistsException("User account already exists")
        # PreSignUp_AdminCreateUser may refuse the user or verify its email / phone (the lock is
        # released while it runs; create_user checks the name again).
        outcome = sign_up_triggers.pre_sign_up(
            env,
            pool,
            "PreSignUp_AdminCreateUser",
            username=username,
            attributes=given,
            client_id=None,
            trigger_input=trigger_input,
        )
        user = create_user(
            env,
            pool,
            username,
            {**given, **sign_up_triggers.verified_flags(outcome, given)},
            status=UserStatus.CONFIRMED if passwordless else UserStatus.FORCE_CHANGE_PASSWORD,
            exists_message="User account already exists",
            force_alias=force_alias,
        )
    password = None if passwordless else temporary_password or passwords.generate_temporary_password(env, policy)
    if password is not None:
        passwords.set_password(env, pool, user, password, temporary=True)
    if message_action != "RESEND":
        # A new user's UserLastModifiedDate is its UserCreateDate: creating it is one change.
        user.modified = user.created
    if message_action != "SUPPRESS":
        send_invitation(env, pool, user, password, mediums, trigger_input)
    return user


def delete_user(pool: UserPool, user: User) -> None:
    directory.remove_user(pool, user)


def set_enabled(env: Env, pool: UserPool, user: User, enabled: bool) -> None:
    with directory.changing(pool, user):
        user.enabled = enabled
    user.modified = env.clock.now()


def disable(env: Env, pool: UserPool, user: User) -> None:
    """AdminDisableUser "deactivates a user profile and revokes all access tokens for the user": the
    sessions issued so far end (their refresh tokens with them, as cognito-local#381 reports of Cognito),
    so enabling the user again brings none of them back."""
    set_enabled(env, pool, user, False)
    tokens.global_sign_out(user)


def set_status(env: Env, pool: UserPool, user: User, status: UserStatus) -> None:
    with directory.changing(pool, user):
        user.status = status
    user.modified = env.clock.now()


def admin_confirm_sign_up(
    env: Env, pool: UserPool, user: User, trigger_input: TriggerInput = NO_INPUT
) -> None:
    if user.status != UserStatus.UNCONFIRMED:
        raise NotAuthorizedException(f"User cannot be confirmed. Current status is {user.status.value}")
    user.codes.pop(codes.SIGN_UP, None)
    set_status(env, pool, user, UserStatus.CONFIRMED)
    sign_up_triggers.post_confirmation(
        env, pool, user, "PostConfirmation_ConfirmSignUp", client_id=None, trigger_input=trigger_input
    )


def admin_set_password(env: Env, pool: UserPool, user: User, password: str, permanent: bool) -> None:
    passwords.check_new_password(pool, user, password)
    passwords.set_password(env, pool, user, password, temporary=not permanent)
    if permanent:
        # A confirmed password also settles a pending reset or a first sign-in (AdminSetUserPassword).
        set_status(env, pool, user, UserStatus.CONFIRMED)
    elif user.status != UserStatus.UNCONFIRMED:
        set_status(env, pool, user, UserStatus.FORCE_CHANGE_PASSWORD)


_RECOVERY_ATTRIBUTE = {"verified_email": "email", "verified_phone_number": "phone_number"}


def recovery_order(pool: UserPool) -> list[str]:
    """The attributes a reset code may go to, in AccountRecoverySetting's order; without that setting,
    Cognito's legacy order: a verified phone number first, then email (CreateUserPool's
    AccountRecoverySetting, "Recovering user accounts" in the developer guide)."""
    setting = pool.settings.get("AccountRecoverySetting") or {}
    mechanisms = sorted(setting.get("RecoveryMechanisms") or [], key=lambda m: m.get("Priority", 0))
    if not mechanisms:
        return ["phone_number", "email"]
    return [_RECOVERY_ATTRIBUTE[m["Name"]] for m in mechanisms if m.get("Name") in _RECOVERY_ATTRIBUTE]


def recovery_channel(pool: UserPool, user: User) -> str | None:
    """The verified attribute a reset code goes to, in ``recovery_order``."""
    for attribute in recovery_order(pool):
        if user.attributes.get(attribute) and is_true(user.attributes.get(f"{attribute}_verified")):
            return attribute
    return None


def send_reset_code(
    env: Env,
    pool: UserPool,
    user: User,
    reason: str,
    client_id: str | None = None,
    trigger_input: TriggerInput = NO_INPUT,
) -> CodeDelivery:
    attribute = recovery_channel(pool, user)
    if attribute is None:
        raise InvalidParameterException(NO_RECOVERY_CHANNEL)
    code = codes.issue(env, user, codes.FORGOT_PASSWORD)
    return messages.send_code(env, pool, user, attribute, code, reason, client_id, trigger_input=trigger_input)


def admin_reset_password(env: Env, pool: UserPool, user: User, trigger_input: TriggerInput = NO_INPUT) -> None:
    """AdminResetUserPassword: refused, as Cognito refuses it, for a disabled user and for one still on a
    temporary password (the answers ForgotPassword gives those users). The code's CustomMessage_ForgotPassword
    gets the call's ClientMetadata (API reference, AdminResetUserPassword ClientMetadata)."""
    directory.refuse_disabled(user)
    if user.status == UserStatus.FORCE_CHANGE_PASSWORD:
        raise NotAuthorizedException(CANNOT_RESET)
    send_reset_code(env, pool, user, "ForgotPassword", trigger_input=trigger_input)
    set_status(env, pool, user, UserStatus.RESET_REQUIRED)


def update_attributes(
    env: Env, pool: UserPool, user: User, updates: dict[str, str], *, force_alias: bool = False
) -> list[str]:
    """Write attributes already checked by ``attributes.check_update``; returns the changed names."""
    after = User(
        username=user.username, sub=user.sub, created=0, modified=0, attributes=UserAttributes(user.attributes)
    )
    attributes.apply(after, updates, 0)
    for attribute, value in sign_in_aliases(pool, after):
        owner = directory.alias_owner(pool, attribute, value)
        if owner is None or owner is user:
            continue
        if attribute in username_attributes(pool) or not force_alias:
            raise AliasExistsException(ALIAS_EXISTS.format(attribute=attribute))
        take_alias(env, pool, [owner], after.attributes)
    with directory.changing(pool, user):
        return attributes.apply(user, updates, env.clock.now())


def delete_attributes(env: Env, pool: UserPool, user: User, names: list[str]) -> None:
    with directory.changing(pool, user):
        attributes.remove(user, names, env.clock.now())
