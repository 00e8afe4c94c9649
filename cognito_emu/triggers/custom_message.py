"""CustomMessage (developer guide, "Custom message Lambda trigger").

Every email and SMS Cognito sends goes through it first: CustomMessage_SignUp, _ResendCode,
_ForgotPassword, _UpdateUserAttribute, _VerifyUserAttribute and _AdminCreateUser (the invitation).
CustomMessage_Authentication covers the SMS_MFA and EMAIL_OTP sign-in codes (``idp.factors.mfa``).

Request: ``userAttributes``, ``codeParameter`` "{####}", ``usernameParameter`` ("{username}" for
AdminCreateUser, else null), ``linkParameter`` ("{##Click Here##}" where a confirmation link can be
sent: SignUp and ResendCode, else null) and ``clientMetadata``. Response: ``smsMessage``,
``emailMessage``, ``emailSubject``; a null (or missing) member keeps the pool's own message. The
placeholders are replaced as in the pool's templates, and the outbox records the result.

The message must contain the code placeholder (or, where allowed, a link placeholder), or Cognito
refuses it: InvalidParameterException "1 validation error detected: Value '<message>' at 'emailBody'
failed to satisfy constraint: Member must satisfy regular expression pattern: ..." (as reported in
amazon-archives/amazon-cognito-identity-js#99). A handler that times out leaves the default
message (ibid. #517: "If the lambda takes too long to respond, Cognito will send the default
verification message instead"); other handler failures fail the operation.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from cognito_emu.errors import InvalidParameterException
from cognito_emu.triggers import events, runner
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

if TYPE_CHECKING:
    from cognito_emu.env import Env
    from cognito_emu.idp.models import User, UserPool

log = logging.getLogger("cognito_emu.triggers")

CODE_PARAMETER = "{####}"
USERNAME_PARAMETER = "{username}"
LINK_PARAMETER = "{##Click Here##}"
LINK_SOURCES = ("SignUp", "ResendCode")
_PATTERN = r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*"


def has_link_placeholder(message: str) -> bool:
    """``{##text##}`` (and not only the code placeholder ``{####}``), where no code is in the message."""
    return CODE_PARAMETER not in message and "{##" in message and "##}" in message


def _check_placeholder(message: str, member: str, link_allowed: bool) -> None:
    if CODE_PARAMETER in message or (link_allowed and has_link_placeholder(message)):
        return
    raise InvalidParameterException(
        f"1 validation error detected: Value '{message}' at '{member}' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {_PATTERN}"
    )


def customize(
    env: Env,
    pool: UserPool,
    user: User,
    attribute: str,
    reason: str,
    subject: str | None,
    body: str,
    *,
    client_id: str | None,
    trigger_input: TriggerInput = NO_INPUT,
) -> tuple[str | None, str]:
    """The (subject, body) templates to send: the handler's where it gave them, else the given ones."""
    if runner.trigger_arn(pool, "CustomMessage") is None:
        return subject, body
    link_allowed = reason in LINK_SOURCES
    request: dict[str, Any] = {
        "userAttributes": events.user_attributes(user),
        "codeParameter": CODE_PARAMETER,
        "linkParameter": LINK_PARAMETER if link_allowed else None,
        "usernameParameter": USERNAME_PARAMETER if reason == "AdminCreateUser" else None,
        "clientMetadata": dict(trigger_input.client_metadata) or None,
    }
    event = events.base_event(
        env,
        pool,
        f"CustomMessage_{reason}",
        username=user.username,
        client_id=client_id,
        request=request,
        response={"smsMessage": None, "emailMessage": None, "emailSubject": None},
        user_agent=trigger_input.user_agent,
    )
    try:
        answer = runner.invoke(env, pool, "CustomMessage", event)
    except runner.TriggerTimeout:
        log.warning("CustomMessage timed out: sending the default %s message", reason)
        return subject, body
    response = runner.response_of(answer)
    if attribute == "email":
        message = response.get("emailMessage")
        if isinstance(message, str) and message:
            _check_placeholder(message, "emailBody", link_allowed)
            body = message
        new_subject = response.get("emailSubject")
        if isinstance(new_subject, str) and new_subject:
            subject = new_subject
    else:
        message = response.get("smsMessage")
        if isinstance(message, str) and message:
            _check_placeholder(message, "smsMessage", link_allowed)
            body = message
    return subject, body
