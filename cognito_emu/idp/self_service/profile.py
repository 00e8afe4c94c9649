"""What a signed-in user may do with their own access token: password, attributes, verification, deletion.

The access token has been checked by ``tokens.authenticate`` before any of these run. Attribute
changes, shared with AdminUpdateUserAttributes, are ``attribute_updates``: a changed email or
phone number may wait as a pending value, which VerifyUserAttribute here confirms.
"""

from __future__ import annotations

from cognito_emu.env import Env
from cognito_emu.errors import InvalidParameterException, InvalidPasswordException, NotAuthorizedException
from cognito_emu.idp import tokens
from cognito_emu.idp.factors import passwords
from cognito_emu.idp.models import AppClient, User, UserPool
from cognito_emu.idp.self_service import attribute_updates, codes
from cognito_emu.idp.self_service.messages import CodeDelivery
from cognito_emu.idp.signin import auth_events, compromised
from cognito_emu.idp.users import accounts, attributes
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

INCORRECT_PASSWORD = "Incorrect username or password."
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
    return attribute_updates.send_code(
        env, pool, user, attribute, value, VERIFY_REASON, client.client_id, trigger_input
    )


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
