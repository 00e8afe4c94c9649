"""Rendering the pool's message templates and handing the result to the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from cognito_emu.delivery.outbox import Message
from cognito_emu.env import Env
from cognito_emu.idp.models import User, UserPool
from cognito_emu.triggers import custom_message, custom_senders
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

# Where a template takes the code (or an invitation's temporary password).
CODE_PLACEHOLDER = "{####}"
# Cognito's defaults when a pool sets no template (DescribeUserPool of a fresh pool shows none).
DEFAULT_VERIFICATION_EMAIL = "Your verification code is {####}. "
DEFAULT_VERIFICATION_SUBJECT = "Your verification code"
DEFAULT_VERIFICATION_SMS = "Your verification code is {####}. "
DEFAULT_LINK_EMAIL = "Please click the link below to verify your email address. {##Verify Email##} "
DEFAULT_LINK_SUBJECT = "Your verification link"
DEFAULT_INVITE_EMAIL = "Your username is {username} and temporary password is {####}. "
DEFAULT_INVITE_SUBJECT = "Your temporary password"
DEFAULT_INVITE_SMS = "Your username is {username} and temporary password is {####}. "
DEFAULT_AUTHENTICATION_SMS = "Your authentication code is {####}. "
DEFAULT_AUTHENTICATION_EMAIL = "Your authentication code is {####}. "
DEFAULT_AUTHENTICATION_SUBJECT = "Your authentication code"

CHANNEL_OF_ATTRIBUTE = {"email": "EMAIL", "phone_number": "SMS"}


def mask(attribute: str, value: str) -> str:
    """How CodeDeliveryDetails.Destination hides an address: ``a***@e***``, ``+*******1234``."""
    if attribute == "email" and "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain[:1]}***"
    return "+" + "*" * max(len(value) - 5, 0) + value[-4:]


@dataclass(frozen=True, slots=True)
class CodeDelivery:
    """Where a code went (CodeDeliveryDetails): the attribute and its address, masked."""

    attribute: str
    destination: str

    @property
    def medium(self) -> str:
        """EMAIL or SMS."""
        return CHANNEL_OF_ATTRIBUTE[self.attribute]


def delivery_details(attribute: str, value: str) -> CodeDelivery:
    return CodeDelivery(attribute, mask(attribute, value))


def record(
    env: Env,
    pool: UserPool,
    user: User,
    attribute: str,
    reason: str,
    subject: str | None,
    body: str,
    **extra: Any,
) -> None:
    """Put one message to the user's ``attribute`` (email or phone_number) in the outbox, as sent now."""
    env.outbox.record(
        Message(
            id=env.ids.uuid(),
            time=env.clock.now(),
            account=pool.account,
            region=pool.region,
            user_pool_id=pool.id,
            username=user.username,
            channel=CHANNEL_OF_ATTRIBUTE[attribute],
            destination=user.attributes[attribute],
            subject=subject if attribute == "email" else None,
            body=body,
            reason=reason,
            **extra,
        )
    )


def _fill(template: str, code: str, username: str) -> str:
    return template.replace(CODE_PLACEHOLDER, code).replace("{username}", username)


def send_code(
    env: Env,
    pool: UserPool,
    user: User,
    attribute: str,
    code: str,
    reason: str,
    client_id: str | None = None,
    *,
    trigger_input: TriggerInput = NO_INPUT,
) -> CodeDelivery:
    """A verification-style code (sign-up, resend, attribute verification, password reset).

    The custom sender gets the call's ClientMetadata, as the custom message trigger does: the API reference
    of each operation that sends such a code (SignUp, ForgotPassword, UpdateUserAttributes, ...) says every
    function the action invokes gets "the data that you assigned to the ClientMetadata parameter in your
    request". The custom sender pages name only (Admin)RespondToAuthChallenge as a way to pass it; where
    the two differ, the operation's reference decides (only InitiateAuth's excludes the senders)."""
    if custom_senders.deliver(
        env, pool, user, attribute, reason, code, client_id=client_id, trigger_input=trigger_input
    ):
        return delivery_details(attribute, user.attributes[attribute])
    settings = pool.settings
    template = settings.get("VerificationMessageTemplate") or {}
    link: str | None = None
    if attribute == "email":
        by_link = template.get("DefaultEmailOption") == "CONFIRM_WITH_LINK" and reason in ("SignUp", "ResendCode")
        if by_link:
            link = _confirmation_link(pool, user, code, client_id)
            body = (template.get("EmailMessageByLink") or DEFAULT_LINK_EMAIL)
            body = _replace_link(body, link)
            subject = template.get("EmailSubjectByLink") or DEFAULT_LINK_SUBJECT
        else:
            body = template.get("EmailMessage") or settings.get("EmailVerificationMessage") or DEFAULT_VERIFICATION_EMAIL
            subject = (
                template.get("EmailSubject") or settings.get("EmailVerificationSubject") or DEFAULT_VERIFICATION_SUBJECT
            )
    else:
        body = template.get("SmsMessage") or settings.get("SmsVerificationMessage") or DEFAULT_VERIFICATION_SMS
        subject = None
    # The CustomMessage trigger may replace the subject and message (cognito_emu.triggers.custom_message).
    subject, body = custom_message.customize(
        env, pool, user, attribute, reason, subject, body, client_id=client_id, trigger_input=trigger_input
    )
    if custom_message.has_link_placeholder(body) and reason in custom_message.LINK_SOURCES:
        link = link or _confirmation_link(pool, user, code, client_id)
        body = _replace_link(body, link)
    record(env, pool, user, attribute, reason, subject, _fill(body, code, user.username), code=code, link=link)
    return delivery_details(attribute, user.attributes[attribute])


def send_authentication_code(
    env: Env,
    pool: UserPool,
    user: User,
    attribute: str,
    code: str,
    client_id: str | None = None,
    *,
    trigger_input: TriggerInput = NO_INPUT,
) -> CodeDelivery:
    """An MFA sign-in code (SMS_MFA to phone_number, EMAIL_OTP to email), reason "Authentication": the
    pool's SmsAuthenticationMessage or EmailMfaConfiguration Message/Subject, through the custom sender
    or the CustomMessage_Authentication trigger like every other code."""
    reason = "Authentication"
    if custom_senders.deliver(
        env, pool, user, attribute, reason, code, client_id=client_id, trigger_input=trigger_input
    ):
        return delivery_details(attribute, user.attributes[attribute])
    if attribute == "email":
        email = pool.mfa_config.get("EmailMfaConfiguration") or {}
        body = email.get("Message") or DEFAULT_AUTHENTICATION_EMAIL
        subject: str | None = email.get("Subject") or DEFAULT_AUTHENTICATION_SUBJECT
    else:
        body = pool.settings.get("SmsAuthenticationMessage") or DEFAULT_AUTHENTICATION_SMS
        subject = None
    subject, body = custom_message.customize(
        env, pool, user, attribute, reason, subject, body, client_id=client_id, trigger_input=trigger_input
    )
    record(env, pool, user, attribute, reason, subject, _fill(body, code, user.username), code=code)
    return delivery_details(attribute, user.attributes[attribute])


def send_invitation(
    env: Env,
    pool: UserPool,
    user: User,
    attribute: str,
    temporary_password: str | None,
    *,
    trigger_input: TriggerInput = NO_INPUT,
) -> None:
    """The invitation; a user created without a password (passwordless sign-in) gets it with an empty
    {####} (templates for such users may leave the placeholder out) and a custom sender gets an empty code.
    For a user with a password, a template without {####} sends nothing: "If your template doesn't have
    this placeholder, Amazon Cognito doesn't deliver the invitation message" (AdminCreateUser)."""
    secret = temporary_password or ""
    if custom_senders.deliver(
        env, pool, user, attribute, "AdminCreateUser", secret, trigger_input=trigger_input
    ):
        return
    template = (pool.settings.get("AdminCreateUserConfig") or {}).get("InviteMessageTemplate") or {}
    if attribute == "email":
        body = template.get("EmailMessage") or DEFAULT_INVITE_EMAIL
        subject: str | None = template.get("EmailSubject") or DEFAULT_INVITE_SUBJECT
    else:
        body = template.get("SMSMessage") or DEFAULT_INVITE_SMS
        subject = None
    if temporary_password is not None and CODE_PLACEHOLDER not in body:
        return
    subject, body = custom_message.customize(
        env, pool, user, attribute, "AdminCreateUser", subject, body, client_id=None, trigger_input=trigger_input
    )
    record(
        env,
        pool,
        user,
        attribute,
        "AdminCreateUser",
        subject,
        _fill(body, secret, user.username),
        temporary_password=temporary_password,
    )


def _replace_link(body: str, link: str) -> str:
    # The placeholder is {##<link text>##}; the text becomes the anchor of the link.
    start = body.find("{##")
    end = body.find("##}", start)
    if start == -1 or end == -1:
        return body
    text = body[start + 3 : end]
    return f'{body[:start]}<a href="{link}">{text}</a>{body[end + 3:]}'


def _confirmation_link(pool: UserPool, user: User, code: str, client_id: str | None) -> str:
    host = f"https://{pool.domain}.auth.{pool.region}.amazoncognito.com" if pool.domain else ""
    query = urlencode({"client_id": client_id or "", "user_name": user.username, "confirmation_code": code})
    return f"{host}/confirmUser?{query}"
