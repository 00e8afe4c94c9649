"""What a signed-in user may do with their own access token: password, attributes, verification, deletion.

The access token has been checked by ``tokens.authenticate`` before any of these run. Attribute
changes follow the developer guide, "Verifying updates to email addresses and phone numbers": with
the attribute in AutoVerifiedAttributes a changed email or phone number gets a code (CustomMessage
source ``UpdateUserAttribute``); with it also in AttributesRequireVerificationBeforeUpdate the old
value stays, and stays verified, until the new one is confirmed with VerifyUserAttribute.
"""

from __future__ import annotations

from dataclasses import replace

from cognito_emu.env import Env
from cognito_emu.errors import InvalidParameterException, InvalidPasswordException, NotAuthorizedException
from cognito_emu.idp import tokens
from cognito_emu.idp.factors import passwords
from cognito_emu.idp.models import AppClient, User, UserAttributes, UserPool, own_dict
from cognito_emu.idp.pool import pools
from cognito_emu.idp.self_service import codes, messages
from cognito_emu.idp.self_service.messages import CodeDelivery
from cognito_emu.idp.signin import auth_events, compromised
from cognito_emu.idp.users import accounts, attributes
from cognito_emu.idp.users.index import is_true
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

INCORRECT_PASSWORD = "Incorrect username or password."
UPDATE_REASON = "UpdateUserAttribute"
VERIFY_REASON = "VerifyUserAttribute"


def change_password(
    env: Env, pool: UserPool, user: User, client_id: str, previous: str, proposed: str
) -> None:
    """ChangePassword; threat protection screens the proposed password (``idp.signin.compromised``). A
    user without a password (passwordless sign-in only) may leave PreviousPassword out (API reference)."""
    if (passwords.has_password(user) or previous) and not passwords.check_password(pool, user, previous):
        auth_events.record(env, pool, user, "PasswordChange", "Fail", auth_events.PASSWORD_FAILED)
        raise NotAuthorizedException(INCORRECT_PASSWORD)
    passwords.check_new_password(pool, user, proposed)
    try:
        flagged = compromised.check_new_password(pool, client_id, proposed, compromised.PASSWORD_CHANGE)
    except InvalidPasswordException:
        auth_events.record(
            env,
            pool,
            user,
            "PasswordChange",
            "Fail",
            auth_events.PASSWORD_PASSED,
            compromised=True,
            decision=auth_events.BLOCK,
        )
        raise
    passwords.set_password(env, pool, user, proposed, temporary=False)
    auth_events.record(
        env, pool, user, "PasswordChange", "Pass", auth_events.PASSWORD_PASSED, compromised=flagged
    )


def _verify_before_update(pool: UserPool) -> list[str]:
    settings = pool.settings.get("UserAttributeUpdateSettings") or {}
    return list(settings.get("AttributesRequireVerificationBeforeUpdate") or [])


def _send_code(
    env: Env,
    pool: UserPool,
    user: User,
    attribute: str,
    value: str,
    reason: str,
    client: AppClient,
    trigger_input: TriggerInput = NO_INPUT,
) -> CodeDelivery:
    """A verification code for ``attribute`` sent to ``value`` (a pending value is not on the user yet)."""
    code = codes.issue(env, user, codes.verify_purpose(attribute))
    recipient = (
        user
        if user.attributes.get(attribute) == value
        else replace(user, attributes=UserAttributes({**user.attributes, attribute: value}))
    )
    return messages.send_code(
        env, pool, recipient, attribute, code, reason, client.client_id, trigger_input=trigger_input
    )


def update_attributes(
    env: Env,
    pool: UserPool,
    client: AppClient,
    user: User,
    updates: dict[str, str],
    trigger_input: TriggerInput = NO_INPUT,
) -> list[CodeDelivery]:
    """UpdateUserAttributes; returns CodeDeliveryDetailsList."""
    attributes.check_update(pool, user, updates, client)
    auto_verified = pools.auto_verified_attributes(pool)
    held = _verify_before_update(pool)
    pending: dict[str, str] = {}
    direct: dict[str, str] = {}
    for name, value in updates.items():
        changes = user.attributes.get(name) != value
        if name in held and name in auto_verified and changes and user.attributes.get(name):
            pending[name] = value
        else:
            direct[name] = value
            user.pending_attributes.pop(name, None)
    accounts.update_attributes(env, pool, user, direct)
    deliveries: list[CodeDelivery] = []
    for name, value in pending.items():
        user.pending_attributes = own_dict(user.pending_attributes)
        user.pending_attributes[name] = value
        deliveries.append(_send_code(env, pool, user, name, value, UPDATE_REASON, client, trigger_input))
    for name in attributes.VERIFIED_FLAGS:
        given = direct.get(name)
        verified_given = is_true(direct.get(attributes.VERIFIED_FLAGS[name]))
        if given and name in auto_verified and not verified_given:
            deliveries.append(_send_code(env, pool, user, name, given, UPDATE_REASON, client, trigger_input))
    return deliveries


def delete_attributes(env: Env, pool: UserPool, client: AppClient, user: User, names: list[str]) -> None:
    attributes.check_deletion(pool, names, client)
    accounts.delete_attributes(env, pool, user, names)
    for name in names:
        user.pending_attributes.pop(name, None)
        user.codes.pop(codes.verify_purpose(name), None)


def delete_user(env: Env, pool: UserPool, user: User) -> None:
    tokens.forget_user(env, user)
    accounts.delete_user(pool, user)


def _verifiable(attribute: str) -> None:
    if attribute not in attributes.VERIFIED_FLAGS:
        raise InvalidParameterException(f"Invalid attribute name: {attribute} cannot be verified.")


def send_verification_code(
    env: Env, pool: UserPool, client: AppClient, user: User, attribute: str, trigger_input: TriggerInput = NO_INPUT
) -> CodeDelivery:
    """GetUserAttributeVerificationCode: to the pending value when one waits, else the current one."""
    _verifiable(attribute)
    value = user.pending_attributes.get(attribute) or user.attributes.get(attribute)
    if not value:
        raise InvalidParameterException(f"The user has no {attribute} to verify.")
    return _send_code(env, pool, user, attribute, value, VERIFY_REASON, client, trigger_input)


def verify_attribute(env: Env, pool: UserPool, user: User, attribute: str, code: str) -> None:
    """VerifyUserAttribute: the attribute becomes verified, a pending value replacing the old one."""
    _verifiable(attribute)
    codes.redeem(env, user, codes.verify_purpose(attribute), code)
    flag = attributes.VERIFIED_FLAGS[attribute]
    value = user.pending_attributes.get(attribute) or user.attributes.get(attribute)
    if not value:
        raise InvalidParameterException(f"The user has no {attribute} to verify.")
    accounts.update_attributes(env, pool, user, {attribute: value, flag: "true"})
    user.pending_attributes.pop(attribute, None)
