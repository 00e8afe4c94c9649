"""CustomEmailSender and CustomSMSSender: the pool's own function delivers codes and temporary passwords.

Developer guide, "Custom sender Lambda triggers" (custom email sender / custom SMS sender pages):
with ``LambdaConfig.CustomEmailSender`` (or ``CustomSMSSender``) ``{LambdaVersion: V1_0, LambdaArn}``
and ``LambdaConfig.KMSKeyID``, Cognito sends no message itself; it invokes the function with

    triggerSource  CustomEmailSender_<reason> / CustomSMSSender_<reason>  (SignUp, ResendCode,
                   ForgotPassword, UpdateUserAttribute, VerifyUserAttribute, AdminCreateUser, ...)
    request        {type: customEmailSenderRequestV1 | customSMSSenderRequestV1,
                    code: <the code or temporary password, encrypted under KMSKeyID, base64>,
                    clientMetadata, userAttributes}

See ``code_encryption`` for how the code is encrypted here, and ``decrypt_code`` to read it in a test
or a handler. The outbox still records the delivery (channel, destination, reason, the plain code for
tests) with a body saying which function it was handed to, so ``emu.outbox`` keeps working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cognito_emu.delivery.outbox import Message
from cognito_emu.triggers import code_encryption, events, runner
from cognito_emu.triggers.code_encryption import CodeDecryptionError
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

if TYPE_CHECKING:
    from cognito_emu.env import Env
    from cognito_emu.idp.models import User, UserPool

__all__ = ["CodeDecryptionError", "decrypt_code", "deliver"]

TRIGGER_OF_CHANNEL = {"EMAIL": "CustomEmailSender", "SMS": "CustomSMSSender"}
REQUEST_TYPE = {"EMAIL": "customEmailSenderRequestV1", "SMS": "customSMSSenderRequestV1"}
_CHANNEL_OF_ATTRIBUTE = {"email": "EMAIL", "phone_number": "SMS"}
INVITATION = "AdminCreateUser"


def decrypt_code(encrypted: str) -> str:
    """The plain code (or temporary password) behind a custom sender event's ``request.code``."""
    return code_encryption.decrypt_code(encrypted)


def deliver(
    env: Env,
    pool: UserPool,
    user: User,
    attribute: str,
    reason: str,
    code: str,
    *,
    client_id: str | None = None,
    trigger_input: TriggerInput = NO_INPUT,
) -> bool:
    """Hand a code to the pool's custom sender for this channel; False when there is none.

    ``reason`` is the message's reason (SignUp, ForgotPassword, ..., AdminCreateUser, where ``code``
    is the temporary password); ``trigger_input`` is what the call that sends it brings (its ClientMetadata
    and User-Agent, as the other triggers of that call get them)."""
    channel = _CHANNEL_OF_ATTRIBUTE[attribute]
    trigger = TRIGGER_OF_CHANNEL[channel]
    arn = runner.trigger_arn(pool, trigger)
    if arn is None:
        return False
    request = {
        "type": REQUEST_TYPE[channel],
        "code": code_encryption.encrypt_code(env, pool.id, pool.lambda_config().get("KMSKeyID"), code),
        "clientMetadata": dict(trigger_input.client_metadata),
        "userAttributes": events.user_attributes(user),
    }
    event = events.base_event(
        env,
        pool,
        f"{trigger}_{reason}",
        username=user.username,
        client_id=client_id,
        request=request,
        user_agent=trigger_input.user_agent,
    )
    answer = runner.invoke(env, pool, trigger, event)
    if answer is None and env.triggers.lookup(arn) is None:
        return False  # unmapped, and --unmapped-triggers skip: the built-in message goes out instead
    invitation = reason == INVITATION
    env.outbox.record(
        Message(
            id=env.ids.uuid(),
            time=env.clock.now(),
            account=pool.account,
            region=pool.region,
            user_pool_id=pool.id,
            username=user.username,
            channel=channel,
            destination=user.attributes.get(attribute, ""),
            subject=None,
            body=f"delivered by {trigger} {arn}",
            reason=reason,
            code=None if invitation else code,
            temporary_password=(code or None) if invitation else None,
        )
    )
    return True
