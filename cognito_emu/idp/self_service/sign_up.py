"""Self-service sign-up: SignUp, ConfirmSignUp and ResendConfirmationCode.

Where the confirmation code goes: the pool's AutoVerifiedAttributes that the user has a value for; with
both email and phone_number auto-verified Cognito verifies (and messages) only the phone number (the
AutoVerifiedAttrs note of the CDK reference, after the developer guide's "Verifying contact information
at sign-up"). With none, no code is sent and SignUp answers without CodeDeliveryDetails; an
administrator (AdminConfirmSignUp) or a trigger confirms such users.

Confirming also verifies the attribute the code went to. In a pool with that attribute as an alias,
another user may already own the value: the guide's example answers AliasExistsException "An account
with the email already exists." unless ForceAliasCreation moves the alias to the new user.
"""

from __future__ import annotations

from dataclasses import dataclass

from cognito_emu.env import Env
from cognito_emu.errors import (
    AliasExistsException,
    CodeMismatchException,
    InvalidParameterException,
    NotAuthorizedException,
    UsernameExistsException,
)
from cognito_emu.idp.factors import passwords
from cognito_emu.idp.models import AppClient, User, UserPool, UserStatus, own_dict
from cognito_emu.idp.pool import pools
from cognito_emu.idp.self_service import codes, messages, recovery
from cognito_emu.idp.self_service.messages import CodeDelivery
from cognito_emu.idp.signin import auth_events, compromised
from cognito_emu.idp.users import accounts, attributes, directory
from cognito_emu.idp.users.index import alias_attributes
from cognito_emu.triggers import sign_up as sign_up_triggers
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

SIGN_UP_NOT_PERMITTED = "SignUp is not permitted for this user pool"
USERNAME_EXISTS = "User already exists"
ALREADY_CONFIRMED = "User is already confirmed."
ALIAS_TAKEN = "An account with the {attribute} already exists."
NO_AUTO_VERIFICATION = "Auto verification not turned on."
# Not an AWS wording (none is documented): SignUp without a password where no one-time code signs in.
PASSWORD_REQUIRED = "A password is required: this user pool allows no passwordless sign-in."


@dataclass(slots=True)
class SignUpResult:
    user: User
    # Where the confirmation code went, or None when no code was sent.
    delivery: CodeDelivery | None


def confirmation_channel(pool: UserPool, user: User) -> str | None:
    """The attribute a confirmation code goes to, or None when the pool auto-verifies nothing the user has."""
    for attribute in recovery.verification_preference(pool):
        if user.attributes.get(attribute):
            return attribute
    return None


def send_confirmation_code(
    env: Env, pool: UserPool, user: User, reason: str, client_id: str, trigger_input: TriggerInput = NO_INPUT
) -> CodeDelivery | None:
    """Issue a new SIGN_UP code (replacing any earlier one) and send it; None when there is no channel."""
    attribute = confirmation_channel(pool, user)
    if attribute is None:
        return None
    code = codes.issue(env, user, codes.SIGN_UP)
    return messages.send_code(env, pool, user, attribute, code, reason, client_id, trigger_input=trigger_input)


def sign_up(
    env: Env,
    pool: UserPool,
    client: AppClient,
    username: str,
    password: str | None,
    given: dict[str, str],
    trigger_input: TriggerInput = NO_INPUT,
) -> SignUpResult:
    """A new UNCONFIRMED user with a permanent password, and its confirmation code on its way.

    A PreSignUp trigger may refuse the user, confirm it or verify its email / phone. An auto-confirmed
    user gets no code; PostConfirmation (PostConfirmation_ConfirmSignUp, with SignUp's ClientMetadata)
    runs right away, as it does in Cognito."""
    if pools.admin_create_user_only(pool):
        raise NotAuthorizedException(SIGN_UP_NOT_PERMITTED)
    attributes.check_client_may_write(pool, client, given)
    if password is None:
        if not pools.passwordless_sign_in(pool):
            raise InvalidParameterException(PASSWORD_REQUIRED)
    else:
        passwords.check_password_policy(passwords.pool_policy(pool), password)
    flagged = password is not None and compromised.check_new_password(
        pool, client.client_id, password, compromised.SIGN_UP
    )
    if directory.user_key(pool, username) in pool.users:
        raise UsernameExistsException(USERNAME_EXISTS)
    # The state lock is released while the trigger runs: create_user checks the name again after it.
    outcome = sign_up_triggers.pre_sign_up(
        env,
        pool,
        "PreSignUp_SignUp",
        username=username,
        attributes=given,
        client_id=client.client_id,
        trigger_input=trigger_input,
    )
    status = UserStatus.CONFIRMED if outcome.auto_confirm else UserStatus.UNCONFIRMED
    user = accounts.create_user(
        env,
        pool,
        username,
        {**given, **sign_up_triggers.verified_flags(outcome, given)},
        status=status,
        exists_message=USERNAME_EXISTS,
    )
    if password is not None:
        passwords.set_password(env, pool, user, password, temporary=False)
        # A new user's UserLastModifiedDate is its UserCreateDate: creating it is one change.
        user.modified = user.created
    auth_events.record(env, pool, user, "SignUp", "Pass", compromised=flagged)
    if outcome.auto_confirm:
        sign_up_triggers.post_confirmation(
            env,
            pool,
            user,
            "PostConfirmation_ConfirmSignUp",
            client_id=client.client_id,
            trigger_input=trigger_input,
        )
        return SignUpResult(user=user, delivery=None)
    delivery = send_confirmation_code(env, pool, user, "SignUp", client.client_id, trigger_input)
    return SignUpResult(user=user, delivery=delivery)


def _verify_channel(env: Env, pool: UserPool, user: User, attribute: str, force_alias: bool) -> None:
    owner = directory.alias_owner(pool, attribute, user.attributes[attribute])
    if (
        owner is not None
        and owner is not user
        and attribute in alias_attributes(pool)
        and not force_alias
    ):
        raise AliasExistsException(ALIAS_TAKEN.format(attribute=attribute))
    accounts.update_attributes(
        env, pool, user, {attributes.VERIFIED_FLAGS[attribute]: "true"}, force_alias=force_alias
    )


def confirm_sign_up(
    env: Env,
    pool: UserPool,
    client: AppClient,
    username: str,
    code: str,
    force_alias: bool,
    trigger_input: TriggerInput = NO_INPUT,
) -> User:
    """Redeem the SIGN_UP code: the user becomes CONFIRMED and the attribute the code reached verified."""
    user = recovery.find_user(pool, username)
    if user is None:
        if recovery.prevents_existence_errors(client):
            raise CodeMismatchException(codes.CODE_MISMATCH)
        raise recovery.user_not_found()
    directory.refuse_disabled(user)
    if user.status != UserStatus.UNCONFIRMED:
        raise NotAuthorizedException(f"User cannot be confirmed. Current status is {user.status.value}")
    pending = user.codes.get(codes.SIGN_UP)
    codes.redeem(env, user, codes.SIGN_UP, code)
    attribute = confirmation_channel(pool, user)
    if attribute is not None:
        try:
            _verify_channel(env, pool, user, attribute, force_alias)
        except AliasExistsException:
            # The code proved ownership but the alias is taken: keep the code for a ForceAliasCreation retry.
            if pending is not None:
                user.codes = own_dict(user.codes)
                user.codes[codes.SIGN_UP] = pending
            raise
    accounts.set_status(env, pool, user, UserStatus.CONFIRMED)
    sign_up_triggers.post_confirmation(
        env,
        pool,
        user,
        "PostConfirmation_ConfirmSignUp",
        client_id=client.client_id,
        trigger_input=trigger_input,
    )
    return user


def resend_confirmation_code(
    env: Env, pool: UserPool, client: AppClient, username: str, trigger_input: TriggerInput = NO_INPUT
) -> CodeDelivery:
    """A new confirmation code for an UNCONFIRMED user; the earlier code stops working."""
    user = recovery.find_user(pool, username)
    if user is None or not user.enabled:
        if recovery.prevents_existence_errors(client):
            return recovery.simulated_delivery(pool, username, recovery.verification_preference(pool))
        raise recovery.user_not_found()
    if user.status != UserStatus.UNCONFIRMED:
        raise InvalidParameterException(ALREADY_CONFIRMED)
    delivery = send_confirmation_code(env, pool, user, "ResendCode", client.client_id, trigger_input)
    if delivery is None:
        raise InvalidParameterException(NO_AUTO_VERIFICATION)
    auth_events.record(env, pool, user, "ResendCode", "Pass")
    return delivery
