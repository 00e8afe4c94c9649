"""PreSignUp and PostConfirmation.

PreSignUp (developer guide, "Pre sign-up Lambda trigger"): triggerSource PreSignUp_SignUp (SignUp) or
PreSignUp_AdminCreateUser (AdminCreateUser); request ``userAttributes``, ``validationData``,
``clientMetadata``; response ``autoConfirmUser``, ``autoVerifyEmail``, ``autoVerifyPhone``. An
auto-confirmed user gets no confirmation code; ``autoVerify*`` marks the attribute verified when the
user has it. PreSignUp_ExternalProvider fires
before a federated user's first sign-in (``idp.users.federated``).

PostConfirmation ("Post confirmation Lambda trigger"): PostConfirmation_ConfirmSignUp after
ConfirmSignUp / AdminConfirmSignUp, and at SignUp itself when PreSignUp auto-confirmed the user (as
Cognito does, with SignUp's ClientMetadata), PostConfirmation_ConfirmForgotPassword after
ConfirmForgotPassword; request ``userAttributes`` (with ``cognito:user_status``) and
``clientMetadata``. The user stays confirmed when the handler fails; the caller sees its error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cognito_emu.triggers import events, runner
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

if TYPE_CHECKING:
    from cognito_emu.env import Env
    from cognito_emu.idp.models import User, UserPool


@dataclass(slots=True)
class PreSignUpOutcome:
    auto_confirm: bool = False
    auto_verify_email: bool = False
    auto_verify_phone: bool = False


def pre_sign_up(
    env: Env,
    pool: UserPool,
    source: str,
    *,
    username: str,
    attributes: dict[str, str],
    client_id: str | None,
    trigger_input: TriggerInput = NO_INPUT,
) -> PreSignUpOutcome:
    event = events.base_event(
        env,
        pool,
        source,
        username=username,
        client_id=client_id,
        request={
            "userAttributes": dict(attributes),
            "validationData": dict(trigger_input.validation_data) or None,
            "clientMetadata": dict(trigger_input.client_metadata) or None,
        },
        response={"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
        user_agent=trigger_input.user_agent,
    )
    response = runner.response_of(runner.invoke(env, pool, "PreSignUp", event))
    return PreSignUpOutcome(
        auto_confirm=response.get("autoConfirmUser") is True,
        auto_verify_email=response.get("autoVerifyEmail") is True,
        auto_verify_phone=response.get("autoVerifyPhone") is True,
    )


def verified_flags(outcome: PreSignUpOutcome, attributes: dict[str, str]) -> dict[str, str]:
    """The ``*_verified`` attributes PreSignUp's autoVerify answers set (for values the user has)."""
    flags: dict[str, str] = {}
    if outcome.auto_verify_email and attributes.get("email"):
        flags["email_verified"] = "true"
    if outcome.auto_verify_phone and attributes.get("phone_number"):
        flags["phone_number_verified"] = "true"
    return flags


def post_confirmation(
    env: Env,
    pool: UserPool,
    user: User,
    source: str,
    *,
    client_id: str | None,
    trigger_input: TriggerInput = NO_INPUT,
) -> None:
    event = events.base_event(
        env,
        pool,
        source,
        username=user.username,
        client_id=client_id,
        request={
            "userAttributes": events.user_attributes(user),
            "clientMetadata": dict(trigger_input.client_metadata) or None,
        },
        user_agent=trigger_input.user_agent,
    )
    runner.invoke(env, pool, "PostConfirmation", event)
