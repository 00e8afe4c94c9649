"""CustomMessage for every triggerSource that sends something, through boto3."""

from __future__ import annotations

from typing import Any

import pytest
from trigger_support import arn, handler, make_pool

from cognito_emu.emulator import Emulator
from cognito_emu.triggers.registry import TriggerRegistry
from tests.api import support


def _setup(idp: Any, triggers: TriggerRegistry, function: str = "handler") -> tuple[str, str]:
    pool_id, client_id = make_pool(idp, {"CustomMessage": arn("msg")})
    triggers.register("msg", handler("custom_message.py", function))
    return pool_id, client_id


def test_every_code_message_goes_through_the_handler(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry
) -> None:
    pool_id, client_id = _setup(idp, triggers)
    idp.sign_up(
        ClientId=client_id,
        Username="alice",
        Password="Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
        ClientMetadata={"lang": "en"},
    )
    idp.resend_confirmation_code(ClientId=client_id, Username="alice")
    idp.confirm_sign_up(
        ClientId=client_id, Username="alice", ConfirmationCode=emulator.outbox.last_code("alice")
    )
    idp.forgot_password(ClientId=client_id, Username="alice")
    tokens = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": "Passw0rd!"},
    )["AuthenticationResult"]
    idp.update_user_attributes(
        AccessToken=tokens["AccessToken"], UserAttributes=[{"Name": "email", "Value": "alice2@example.com"}]
    )
    idp.get_user_attribute_verification_code(AccessToken=tokens["AccessToken"], AttributeName="email")
    messages = emulator.outbox.messages(user_pool_id=pool_id)
    sources = ["SignUp", "ResendCode", "ForgotPassword", "UpdateUserAttribute", "VerifyUserAttribute"]
    assert [m.reason for m in messages] == sources
    for message, source in zip(messages, sources, strict=True):
        assert message.subject == f"[CustomMessage_{source}]"
        assert message.body == f"CustomMessage_{source}: your code is {message.code}"
    logged = [e.triggerSource for e in triggers.log(trigger="CustomMessage")]
    assert logged == [f"CustomMessage_{s}" for s in sources]


def test_admin_create_user_invitation(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, _ = _setup(idp, triggers)
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="bob",
        TemporaryPassword="Temp-Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )
    message = emulator.outbox.last("bob")
    assert message is not None
    assert (message.reason, message.subject) == ("AdminCreateUser", "Welcome aboard")
    assert message.body == "Hi bob, your temporary password is Temp-Passw0rd!"


def test_sms_message(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(
        idp, {"CustomMessage": arn("msg")}, AutoVerifiedAttributes=["phone_number"]
    )
    triggers.register("msg", handler("custom_message.py"))
    idp.sign_up(
        ClientId=client_id,
        Username="carol",
        Password="Passw0rd!",
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}],
    )
    message = emulator.outbox.last("carol")
    assert message is not None
    assert message.channel == "SMS"
    assert message.body == f"CustomMessage_SignUp code {message.code}"


def test_event_shape(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    seen: list[dict[str, Any]] = []
    pool_id, client_id = make_pool(idp, {"CustomMessage": arn("msg")})

    def record(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        return event  # null response members: the pool's own message

    triggers.register("msg", record)
    idp.sign_up(
        ClientId=client_id,
        Username="dave",
        Password="Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "dave@example.com"}],
        ClientMetadata={"lang": "de"},
    )
    [event] = seen
    assert event["triggerSource"] == "CustomMessage_SignUp"
    assert event["request"]["codeParameter"] == "{####}"
    assert event["request"]["usernameParameter"] is None
    assert event["request"]["linkParameter"] == "{##Click Here##}"
    assert event["request"]["clientMetadata"] == {"lang": "de"}
    assert event["request"]["userAttributes"]["cognito:user_status"] == "UNCONFIRMED"
    assert event["response"] == {"smsMessage": None, "emailMessage": None, "emailSubject": None}
    message = emulator.outbox.last("dave")
    assert message is not None and message.body == f"Your verification code is {message.code}. "


def test_admin_reset_user_password_passes_its_client_metadata(idp: Any, triggers: TriggerRegistry) -> None:
    # API reference, AdminResetUserPassword ClientMetadata: the custom message trigger's payload "contains a
    # clientMetadata attribute, which provides the data that you assigned to the ClientMetadata parameter".
    seen: list[dict[str, Any]] = []
    pool_id, _ = make_pool(idp, {"CustomMessage": arn("msg")})
    support.make_user(idp, pool_id, "erin", email="erin@example.com", email_verified="true")

    def record(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        return event

    triggers.register("msg", record)
    idp.admin_reset_user_password(UserPoolId=pool_id, Username="erin", ClientMetadata={"reason": "audit"})
    [event] = seen
    assert event["triggerSource"] == "CustomMessage_ForgotPassword"
    assert event["request"]["clientMetadata"] == {"reason": "audit"}


def test_a_message_without_the_code_is_refused(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry
) -> None:
    _, client_id = _setup(idp, triggers, "forgets_the_code")
    with pytest.raises(idp.exceptions.InvalidParameterException) as caught:
        idp.sign_up(
            ClientId=client_id,
            Username="erin",
            Password="Passw0rd!",
            UserAttributes=[{"Name": "email", "Value": "erin@example.com"}],
        )
    assert "at 'emailBody' failed to satisfy constraint" in caught.value.response["Error"]["Message"]


def test_a_slow_handler_leaves_the_default_message(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry
) -> None:
    pool_id, client_id = make_pool(idp, {"CustomMessage": arn("msg")})
    triggers.register("msg", handler("failures.py", "slow"))
    triggers.timeout = 0.3
    idp.sign_up(
        ClientId=client_id,
        Username="fred",
        Password="Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "fred@example.com"}],
    )
    message = emulator.outbox.last("fred")
    assert message is not None and message.body.startswith("Your verification code is")
    assert triggers.log()[-1].outcome == "timeout"
