"""Self-service password recovery (ForgotPassword, ConfirmForgotPassword) and what the unsigned user
operations tell a caller about a user that does not exist.

PreventUserExistenceErrors, per "Managing user existence error responses" in the developer guide
(https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html):

- ENABLED: ForgotPassword answers CodeDeliveryDetails with a simulated delivery medium when the user
  is not found, is disabled, or has no verified channel ("determined by the input username format and
  verification settings of the user pool"); ConfirmForgotPassword answers CodeMismatchException for a
  user that does not exist or is disabled, ExpiredCodeException when no code was requested;
  ResendConfirmationCode answers CodeDeliveryDetails for a disabled or missing user.
- LEGACY: those operations answer UserNotFoundException "Username/client id combination not found."
  A disabled user gets the same generic answer (a Cognito engineer explained the choice in
  aws-amplify/aws-sdk-ios#384: telling a caller the user exists and is disabled would leak it).

A simulated answer is a pure function of the pool and the name typed in, so asking twice gives the
same destination, as it would for a real user.
"""

from __future__ import annotations

import hashlib

from cognito_emu.env import Env
from cognito_emu.errors import (
    CodeMismatchException,
    InvalidParameterException,
    NotAuthorizedException,
    UserNotFoundException,
)
from cognito_emu.idp.factors import passwords
from cognito_emu.idp.models import AppClient, User, UserPool, UserStatus
from cognito_emu.idp.pool import pools
from cognito_emu.idp.self_service import codes, messages
from cognito_emu.idp.self_service.messages import CodeDelivery
from cognito_emu.idp.signin import auth_events, compromised
from cognito_emu.idp.users import accounts, directory
from cognito_emu.triggers import migration
from cognito_emu.triggers import sign_up as sign_up_triggers
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

USER_NOT_FOUND = "Username/client id combination not found."

# Not an AWS wording (none is documented): ForgotPassword where AccountRecoverySetting is admin_only.
ADMIN_ONLY_RECOVERY = (
    "Only an administrator can reset passwords in this user pool (AccountRecoverySetting admin_only)."
)


def prevents_existence_errors(client: AppClient) -> bool:
    return client.settings.get("PreventUserExistenceErrors") == "ENABLED"


def find_user(pool: UserPool, username: str) -> User | None:
    """The user an unsigned operation names (by username, sign-in alias or sub), or None."""
    return directory.find_user(pool, username)


def user_not_found() -> UserNotFoundException:
    return UserNotFoundException(USER_NOT_FOUND)


def _looks_like_email(name: str) -> bool:
    return "@" in name


def _looks_like_phone(name: str) -> bool:
    return name.startswith("+") and name[1:].isdigit()


def simulated_delivery(pool: UserPool, username: str, preference: list[str]) -> CodeDelivery:
    """CodeDeliveryDetails for a user that is not there (or cannot be told apart from one that is not).

    An email address or phone number typed as the username is the destination itself; otherwise the
    first attribute of ``preference`` (the pool's verification or recovery order) names the medium and
    a stable made-up address stands in for the value.
    """
    if _looks_like_email(username):
        return messages.delivery_details("email", username)
    if _looks_like_phone(username):
        return messages.delivery_details("phone_number", username)
    attribute = preference[0] if preference else "email"
    digest = hashlib.sha256(f"{pool.id}\0{username}".encode()).hexdigest()
    if attribute == "email":
        letters = "abcdefghijklmnopqrstuvwxyz"
        value = f"{letters[int(digest[:2], 16) % 26]}@{letters[int(digest[2:4], 16) % 26]}.com"
    else:
        value = "+1" + "".join(str(int(c, 16) % 10) for c in digest[:10])
    return messages.delivery_details(attribute, value)


def admin_only_recovery(pool: UserPool) -> bool:
    setting = pool.settings.get("AccountRecoverySetting") or {}
    return any(m.get("Name") == "admin_only" for m in setting.get("RecoveryMechanisms") or [])


def _simulated_recovery_order(pool: UserPool) -> list[str]:
    """The recovery order a made-up answer follows: the guide says it "is determined by the input
    username format and verification settings of the user pool", so auto-verified attributes first."""
    order = accounts.recovery_order(pool)
    auto = pools.auto_verified_attributes(pool)
    return [attribute for attribute in order if attribute in auto] or order


def verification_preference(pool: UserPool) -> list[str]:
    """Attributes a confirmation code goes to, in Cognito's order: with both auto-verified, the phone."""
    auto = pools.auto_verified_attributes(pool)
    return [attribute for attribute in ("phone_number", "email") if attribute in auto]


def forgot_password(
    env: Env, pool: UserPool, client: AppClient, username: str, trigger_input: TriggerInput = NO_INPUT
) -> CodeDelivery:
    """Send a reset code to the user's verified channel; the user's status does not change.

    For a name nobody has, a UserMigration trigger may bring the user in first (RESET_REQUIRED). A pool
    whose recovery is admin_only refuses before it looks anyone up: the answer tells nothing of the user."""
    if admin_only_recovery(pool):
        raise NotAuthorizedException(ADMIN_ONLY_RECOVERY)
    prevent = prevents_existence_errors(client)
    user = find_user(pool, username)
    if user is None:
        user = _migrate_for_reset(env, pool, client, username, trigger_input)
    if user is None or not user.enabled:
        if prevent:
            return simulated_delivery(pool, username, _simulated_recovery_order(pool))
        raise user_not_found()
    if user.status == UserStatus.FORCE_CHANGE_PASSWORD:
        raise NotAuthorizedException(accounts.CANNOT_RESET)
    if accounts.recovery_channel(pool, user) is None:
        if prevent:
            return simulated_delivery(pool, username, _simulated_recovery_order(pool))
        raise InvalidParameterException(accounts.NO_RECOVERY_CHANNEL)
    delivery = accounts.send_reset_code(env, pool, user, "ForgotPassword", client.client_id, trigger_input)
    auth_events.record(env, pool, user, "ForgotPassword", "Pass")
    return delivery


def _migrate_for_reset(
    env: Env, pool: UserPool, client: AppClient, username: str, trigger_input: TriggerInput
) -> User | None:
    """UserMigration_ForgotPassword: the user the handler describes, created RESET_REQUIRED, or None."""
    migrated = migration.migrate_user(
        env,
        pool,
        "UserMigration_ForgotPassword",
        username=username,
        password=None,
        client_id=client.client_id,
        trigger_input=trigger_input,
    )
    if migrated is None:
        return None
    # The lock was released while the handler ran: someone may have created the user meanwhile.
    existing = find_user(pool, username)
    if existing is not None:
        return existing
    return accounts.create_user(
        env,
        pool,
        username,
        migrated.attributes,
        status=UserStatus.RESET_REQUIRED,
        exists_message="User already exists",
        force_alias=migrated.force_alias,
    )


def confirm_forgot_password(
    env: Env,
    pool: UserPool,
    client: AppClient,
    username: str,
    code: str,
    password: str,
    trigger_input: TriggerInput = NO_INPUT,
) -> User:
    """Check the new password (policy and history), redeem the code, set the password for good.

    The user ends CONFIRMED: a pending reset (RESET_REQUIRED) is settled, and a code that reached a
    verified channel proves as much as a confirmation code would.
    """
    user = find_user(pool, username)
    if user is None or not user.enabled:
        if prevents_existence_errors(client):
            raise CodeMismatchException(codes.CODE_MISMATCH)
        raise user_not_found()
    passwords.check_new_password(pool, user, password)
    compromised.check_new_password(pool, client.client_id, password, compromised.PASSWORD_CHANGE)
    codes.redeem(env, user, codes.FORGOT_PASSWORD, code)
    passwords.set_password(env, pool, user, password, temporary=False)
    accounts.set_status(env, pool, user, UserStatus.CONFIRMED)
    sign_up_triggers.post_confirmation(
        env,
        pool,
        user,
        "PostConfirmation_ConfirmForgotPassword",
        client_id=client.client_id,
        trigger_input=trigger_input,
    )
    return user
