"""Attribute updates that verify a changed email address or phone number.

UpdateUserAttributes (a user, with an app client) and AdminUpdateUserAttributes (an administrator, with
none) both follow the developer guide, "Verifying updates to email addresses and phone numbers": with the
attribute in AutoVerifiedAttributes a changed email or phone number gets a code (CustomMessage source
``UpdateUserAttribute``, or the custom sender); with it also in AttributesRequireVerificationBeforeUpdate
the old value stays, and stays verified, while the new one waits as a pending value until VerifyUserAttribute
confirms it. Where AdminUpdateUserAttributes' reference is silent (which values get a code, when one is
held back), an administrator's update follows a user's: the guide describes the pool's settings, not one
flow per operation, and its reference points at the same settings ("If your user pool requires verification
before Amazon Cognito updates an attribute value").
"""

from __future__ import annotations

from dataclasses import replace

from cognito_emu.env import Env
from cognito_emu.idp.models import AppClient, User, UserAttributes, UserPool, own_dict
from cognito_emu.idp.pool import pools
from cognito_emu.idp.self_service import codes, messages
from cognito_emu.idp.self_service.messages import CodeDelivery
from cognito_emu.idp.users import accounts, attributes
from cognito_emu.idp.users.index import is_true
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

UPDATE_REASON = "UpdateUserAttribute"


def verify_before_update(pool: UserPool) -> list[str]:
    settings = pool.settings.get("UserAttributeUpdateSettings") or {}
    return list(settings.get("AttributesRequireVerificationBeforeUpdate") or [])


def send_code(
    env: Env,
    pool: UserPool,
    user: User,
    attribute: str,
    value: str,
    reason: str,
    client_id: str | None,
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
        env, pool, recipient, attribute, code, reason, client_id, trigger_input=trigger_input
    )


def update(
    env: Env,
    pool: UserPool,
    user: User,
    updates: dict[str, str],
    client: AppClient | None,
    trigger_input: TriggerInput = NO_INPUT,
) -> list[CodeDelivery]:
    """Check and write ``updates`` by the user's app client, or by an administrator when ``client`` is
    None; returns where codes went (UpdateUserAttributes' CodeDeliveryDetailsList)."""
    attributes.check_update(pool, user, updates, client)
    auto_verified = pools.auto_verified_attributes(pool)
    held = verify_before_update(pool)
    client_id = client.client_id if client is not None else None
    pending: dict[str, str] = {}
    direct: dict[str, str] = {}
    for name, value in updates.items():
        changes = user.attributes.get(name) != value
        # AdminUpdateUserAttributes' reference (UserAttributes): with email_verified or phone_number_verified
        # true in the same request the value is updated at once and "Amazon Cognito doesn't send a
        # verification message". UpdateUserAttributes' reference names no such way round the hold.
        flag = attributes.VERIFIED_FLAGS.get(name)
        confirmed_by_admin = client is None and flag is not None and is_true(updates.get(flag))
        held_back = name in held and name in auto_verified and changes and bool(user.attributes.get(name))
        if held_back and not confirmed_by_admin:
            pending[name] = value
        else:
            direct[name] = value
            user.pending_attributes.pop(name, None)
    changed = accounts.update_attributes(env, pool, user, direct)
    deliveries: list[CodeDelivery] = []
    for name, value in pending.items():
        user.pending_attributes = own_dict(user.pending_attributes)
        user.pending_attributes[name] = value
        deliveries.append(send_code(env, pool, user, name, value, UPDATE_REASON, client_id, trigger_input))
    for name in attributes.VERIFIED_FLAGS:
        given = direct.get(name)
        verified_given = is_true(direct.get(attributes.VERIFIED_FLAGS[name]))
        # A value set to what it already is sends nothing, verified or not: users report Cognito sending no
        # new code then (amazon-cognito-identity-js #350, amplify-cli #13833).
        if given and name in changed and name in auto_verified and not verified_given:
            deliveries.append(send_code(env, pool, user, name, given, UPDATE_REASON, client_id, trigger_input))
    return deliveries


def delete(env: Env, pool: UserPool, user: User, names: list[str], client: AppClient | None) -> None:
    """Check and delete attributes by the user's app client, or by an administrator when ``client`` is
    None; a deleted email or phone number takes its pending new value and its verification code with it."""
    attributes.check_deletion(pool, names, client)
    accounts.delete_attributes(env, pool, user, names)
    for name in names:
        user.pending_attributes.pop(name, None)
        user.codes.pop(codes.verify_purpose(name), None)
