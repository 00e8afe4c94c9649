"""PreSignUp and PostConfirmation through boto3, and a handler that calls the emulator back."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig
from trigger_support import HANDLERS, arn, handler, http_target, make_pool

from cognito_emu.emulator import Emulator
from cognito_emu.triggers.registry import TriggerRegistry


def _attrs(idp: Any, pool_id: str, username: str) -> dict[str, str]:
    user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]} | {"status": user["UserStatus"]}


def _recorder(seen: list[dict[str, Any]]) -> Any:
    def record(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        return event

    return record


def test_pre_sign_up_auto_confirms_and_verifies(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry
) -> None:
    pool_id, client_id = make_pool(idp, {"PreSignUp": arn("pre")})
    triggers.register(arn("pre"), handler("pre_sign_up.py", "auto_confirm"))
    answer = idp.sign_up(
        ClientId=client_id,
        Username="alice",
        Password="Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
    )
    assert answer["UserConfirmed"] is True
    assert "CodeDeliveryDetails" not in answer
    assert emulator.outbox.messages(user_pool_id=pool_id) == []
    attrs = _attrs(idp, pool_id, "alice")
    assert (attrs["status"], attrs["email_verified"]) == ("CONFIRMED", "true")
    tokens = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": "Passw0rd!"},
    )
    assert "AccessToken" in tokens["AuthenticationResult"]


def test_pre_sign_up_event_carries_metadata_and_validation_data(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry
) -> None:
    seen: list[dict[str, Any]] = []
    pool_id, client_id = make_pool(idp, {"PreSignUp": arn("pre")})
    triggers.register(arn("pre"), _recorder(seen))
    idp.sign_up(
        ClientId=client_id,
        Username="bob",
        Password="Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
        ValidationData=[{"Name": "captcha", "Value": "ok"}],
        ClientMetadata={"campaign": "spring"},
    )
    [event] = seen
    assert event["triggerSource"] == "PreSignUp_SignUp"
    assert event["userName"] == "bob"
    assert event["callerContext"]["clientId"] == client_id
    assert event["callerContext"]["awsSdkVersion"].startswith("aws-sdk-boto3-")
    assert event["request"] == {
        "userAttributes": {"email": "bob@example.com"},
        "validationData": {"captcha": "ok"},
        "clientMetadata": {"campaign": "spring"},
    }
    assert event["response"] == {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False}
    assert _attrs(idp, pool_id, "bob")["status"] == "UNCONFIRMED"


def test_pre_sign_up_error_blocks_sign_up(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, {"PreSignUp": arn("pre")})
    triggers.register(arn("pre"), handler("pre_sign_up.py", "refuse"))
    with pytest.raises(idp.exceptions.UserLambdaValidationException) as caught:
        idp.sign_up(ClientId=client_id, Username="carol", Password="Passw0rd!", UserAttributes=[])
    assert caught.value.response["Error"]["Message"] == "PreSignUp failed with error no sign-ups today."
    assert idp.list_users(UserPoolId=pool_id)["Users"] == []
    with pytest.raises(idp.exceptions.UserLambdaValidationException):
        idp.admin_create_user(UserPoolId=pool_id, Username="carol")


def test_pre_sign_up_admin_create_user(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    seen: list[dict[str, Any]] = []

    def verify(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        event["response"]["autoVerifyEmail"] = True
        return event

    pool_id, _ = make_pool(idp, {"PreSignUp": arn("pre")})
    triggers.register(arn("pre"), verify)
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="dave",
        UserAttributes=[{"Name": "email", "Value": "dave@example.com"}],
        ValidationData=[{"Name": "source", "Value": "import"}],
        ClientMetadata={"k": "v"},
        MessageAction="SUPPRESS",
    )
    [event] = seen
    assert event["triggerSource"] == "PreSignUp_AdminCreateUser"
    assert event["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE"
    assert event["request"]["validationData"] == {"source": "import"}
    assert event["request"]["clientMetadata"] == {"k": "v"}
    attrs = _attrs(idp, pool_id, "dave")
    assert (attrs["status"], attrs["email_verified"]) == ("FORCE_CHANGE_PASSWORD", "true")


def test_post_confirmation_sources(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    seen: list[dict[str, Any]] = []
    pool_id, client_id = make_pool(idp, {"PostConfirmation": arn("post")})
    triggers.register(arn("post"), _recorder(seen))
    for name in ("erin", "frank"):
        idp.sign_up(
            ClientId=client_id,
            Username=name,
            Password="Passw0rd!",
            UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
        )
    idp.confirm_sign_up(
        ClientId=client_id,
        Username="erin",
        ConfirmationCode=emulator.outbox.last_code("erin"),
        ClientMetadata={"from": "confirm"},
    )
    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username="frank")
    idp.forgot_password(ClientId=client_id, Username="erin")
    idp.confirm_forgot_password(
        ClientId=client_id,
        Username="erin",
        ConfirmationCode=emulator.outbox.last_code("erin", reason="ForgotPassword"),
        Password="N3w-Passw0rd!",
    )
    assert [(e["triggerSource"], e["userName"]) for e in seen] == [
        ("PostConfirmation_ConfirmSignUp", "erin"),
        ("PostConfirmation_ConfirmSignUp", "frank"),
        ("PostConfirmation_ConfirmForgotPassword", "erin"),
    ]
    first = seen[0]
    assert first["request"]["clientMetadata"] == {"from": "confirm"}
    assert first["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"
    assert first["request"]["userAttributes"]["email_verified"] == "true"
    assert seen[1]["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE"


def test_post_confirmation_runs_at_sign_up_when_pre_sign_up_auto_confirms(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry
) -> None:
    seen: list[dict[str, Any]] = []
    pool_id, client_id = make_pool(idp, {"PreSignUp": arn("pre"), "PostConfirmation": arn("post")})
    triggers.register(arn("pre"), handler("pre_sign_up.py", "auto_confirm"))
    triggers.register(arn("post"), _recorder(seen))
    idp.sign_up(
        ClientId=client_id,
        Username="hana",
        Password="Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "hana@example.com"}],
        ClientMetadata={"from": "sign-up"},
    )
    [event] = seen
    assert (event["triggerSource"], event["userName"]) == ("PostConfirmation_ConfirmSignUp", "hana")
    assert event["callerContext"]["clientId"] == client_id
    assert event["request"]["clientMetadata"] == {"from": "sign-up"}
    assert event["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"
    assert event["request"]["userAttributes"]["email_verified"] == "true"


def test_post_confirmation_error_reaches_the_caller_user_stays_confirmed(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry
) -> None:
    pool_id, client_id = make_pool(idp, {"PostConfirmation": arn("post")})
    triggers.register(arn("post"), handler("failures.py", "raises"))
    idp.sign_up(
        ClientId=client_id,
        Username="gina",
        Password="Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "gina@example.com"}],
    )
    with pytest.raises(
        idp.exceptions.UserLambdaValidationException, match="PostConfirmation failed with error"
    ):
        idp.confirm_sign_up(
            ClientId=client_id, Username="gina", ConfirmationCode=emulator.outbox.last_code("gina")
        )
    assert _attrs(idp, pool_id, "gina")["status"] == "CONFIRMED"


def _callback_client(emulator: Emulator) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=emulator.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=BotoConfig(retries={"total_max_attempts": 1}, read_timeout=10),
    )


def test_handler_calling_back_does_not_deadlock(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry
) -> None:
    """A PostConfirmation handler (here an HTTP target on its own server thread) that calls
    AdminUpdateUserAttributes on the emulator while the ConfirmSignUp that fired it is in flight."""
    pool_id, client_id = make_pool(
        idp,
        {"PostConfirmation": arn("post")},
        Schema=[{"Name": "tier", "AttributeDataType": "String", "Mutable": True}],
    )
    callback = _callback_client(emulator)

    def answer(event: dict[str, Any]) -> tuple[int, Any]:
        callback.admin_update_user_attributes(
            UserPoolId=event["userPoolId"],
            Username=event["userName"],
            UserAttributes=[{"Name": "custom:tier", "Value": "gold"}],
        )
        return 200, event

    with http_target(answer) as (url, seen):
        triggers.register(arn("post"), url)
        idp.sign_up(
            ClientId=client_id,
            Username="hank",
            Password="Passw0rd!",
            UserAttributes=[{"Name": "email", "Value": "hank@example.com"}],
        )
        idp.confirm_sign_up(
            ClientId=client_id, Username="hank", ConfirmationCode=emulator.outbox.last_code("hank")
        )
        assert len(seen) == 1
    attrs = _attrs(idp, pool_id, "hank")
    assert (attrs["status"], attrs["custom:tier"]) == ("CONFIRMED", "gold")
    # The same from an in-process Python handler, which runs on a thread of its own.
    triggers.register(arn("post"), lambda event, context: answer(event)[1])
    idp.sign_up(ClientId=client_id, Username="ivy", Password="Passw0rd!", UserAttributes=[])
    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username="ivy")
    assert _attrs(idp, pool_id, "ivy")["custom:tier"] == "gold"


def test_failures_through_boto3(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, {"PreSignUp": arn("f")})
    triggers.register(arn("f"), handler("failures.py", "returns_list"))
    with pytest.raises(idp.exceptions.InvalidLambdaResponseException):
        idp.sign_up(ClientId=client_id, Username="bob", Password="Passw0rd!", UserAttributes=[])


def test_command_target_node(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, {"PreSignUp": arn("node")})
    runner_js = HANDLERS / "handler-runner.js"
    triggers.register(arn("node"), f"cmd:node {runner_js} {HANDLERS / 'pre_sign_up.js'}")
    answer = idp.sign_up(
        ClientId=client_id,
        Username="nina",
        Password="Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "nina@example.com"}],
    )
    assert answer["UserConfirmed"] is True
    with pytest.raises(idp.exceptions.UserLambdaValidationException) as caught:
        idp.sign_up(
            ClientId=client_id,
            Username="otto",
            Password="Passw0rd!",
            UserAttributes=[{"Name": "email", "Value": "otto@example.org"}],
        )
    assert caught.value.response["Error"]["Message"] == (
        "PreSignUp failed with error otto@example.org may not sign up."
    )
