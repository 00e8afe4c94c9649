"""CustomEmailSender / CustomSMSSender: the handler gets the encrypted code, the user confirms with it."""

from __future__ import annotations

import base64
from typing import Any

import aws_encryption_sdk
import pytest
from aws_encryption_sdk.identifiers import CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.raw import RawMasterKeyProvider
from trigger_support import arn, handler

from cognito_emu.emulator import Emulator
from cognito_emu.triggers import code_encryption, invokers
from cognito_emu.triggers.custom_senders import CodeDecryptionError, decrypt_code
from cognito_emu.triggers.registry import TriggerRegistry

KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
PASSWORD = "Correct-horse-1"


@pytest.fixture
def seen(triggers: TriggerRegistry) -> list[dict[str, Any]]:
    """sender_capture.py wired to both sender ARNs; the (event, decrypted code) pairs it saw."""
    for name in ("sender-email", "sender-sms"):
        triggers.register(arn(name), handler("sender_capture.py"))
    module = triggers.loader.function(invokers.parse_target(handler("sender_capture.py"))).__globals__
    module["SEEN"].clear()
    return module["SEEN"]


def make_pool(idp: Any, other_triggers: dict[str, str] | None = None, **settings: Any) -> tuple[str, str]:
    lambda_config = {
        "CustomEmailSender": {"LambdaVersion": "V1_0", "LambdaArn": arn("sender-email")},
        "CustomSMSSender": {"LambdaVersion": "V1_0", "LambdaArn": arn("sender-sms")},
        "KMSKeyID": KMS_KEY,
        **(other_triggers or {}),
    }
    settings.setdefault("AutoVerifiedAttributes", ["email"])
    pool_id = idp.create_user_pool(PoolName="senders", LambdaConfig=lambda_config, **settings)["UserPool"][
        "Id"
    ]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=[
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_USER_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
        ],
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def test_sign_up_code_goes_to_the_email_sender(
    emulator: Emulator, idp: Any, seen: list[dict[str, Any]]
) -> None:
    pool_id, client_id = make_pool(idp)
    answer = idp.sign_up(
        ClientId=client_id,
        Username="alice",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
    )
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    [item] = seen
    event = item["event"]
    assert event["triggerSource"] == "CustomEmailSender_SignUp"
    assert event["userPoolId"] == pool_id
    assert event["callerContext"]["clientId"] == client_id
    assert event["request"]["type"] == "customEmailSenderRequestV1"
    assert event["request"]["userAttributes"]["email"] == "alice@example.com"
    encrypted = event["request"]["code"]
    assert not encrypted.isdigit()
    code = emulator.decrypt_code(encrypted)
    assert code == item["code"] and code.isdigit()

    [message] = emulator.outbox.messages(user_pool_id=pool_id)
    assert (message.channel, message.destination, message.reason) == ("EMAIL", "alice@example.com", "SignUp")
    assert message.code == code
    assert message.body == f"delivered by CustomEmailSender {arn('sender-email')}"

    idp.confirm_sign_up(ClientId=client_id, Username="alice", ConfirmationCode=code)
    user = idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert user["UserStatus"] == "CONFIRMED"


def test_resend_and_forgot_password(emulator: Emulator, idp: Any, seen: list[dict[str, Any]]) -> None:
    pool_id, client_id = make_pool(idp)
    attributes = [{"Name": "email", "Value": "alice@example.com"}]
    idp.sign_up(ClientId=client_id, Username="alice", Password=PASSWORD, UserAttributes=attributes)
    idp.resend_confirmation_code(ClientId=client_id, Username="alice")
    assert seen[-1]["event"]["triggerSource"] == "CustomEmailSender_ResendCode"
    idp.confirm_sign_up(ClientId=client_id, Username="alice", ConfirmationCode=seen[-1]["code"])
    idp.forgot_password(ClientId=client_id, Username="alice")
    assert seen[-1]["event"]["triggerSource"] == "CustomEmailSender_ForgotPassword"
    idp.confirm_forgot_password(
        ClientId=client_id, Username="alice", ConfirmationCode=seen[-1]["code"], Password="Another-horse-2"
    )
    idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": "Another-horse-2"},
    )


def test_admin_create_user_temporary_password(
    emulator: Emulator, idp: Any, seen: list[dict[str, Any]]
) -> None:
    pool_id, client_id = make_pool(idp)
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="bob",
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )
    [item] = seen
    assert item["event"]["triggerSource"] == "CustomEmailSender_AdminCreateUser"
    [message] = emulator.outbox.messages(user_pool_id=pool_id)
    assert message.temporary_password == item["code"]
    challenge = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "bob", "PASSWORD": item["code"]},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_codes_outside_sign_in_carry_the_call_client_metadata(idp: Any, seen: list[dict[str, Any]]) -> None:
    # The API reference of each of these operations (ClientMetadata): every function the action invokes gets
    # "the data that you assigned to the ClientMetadata parameter in your request"; only InitiateAuth's
    # names the custom senders among the triggers invoked without it.
    pool_id, client_id = make_pool(idp)
    email = [{"Name": "email", "Value": "alice@example.com"}]
    idp.sign_up(
        ClientId=client_id, Username="alice", Password=PASSWORD, UserAttributes=email, ClientMetadata={"op": "1"}
    )
    idp.resend_confirmation_code(ClientId=client_id, Username="alice", ClientMetadata={"op": "2"})
    idp.confirm_sign_up(ClientId=client_id, Username="alice", ConfirmationCode=seen[-1]["code"])
    idp.forgot_password(ClientId=client_id, Username="alice", ClientMetadata={"op": "3"})
    access_token = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    idp.get_user_attribute_verification_code(
        AccessToken=access_token, AttributeName="email", ClientMetadata={"op": "4"}
    )
    idp.admin_reset_user_password(UserPoolId=pool_id, Username="alice", ClientMetadata={"op": "5"})
    idp.update_user_attributes(
        AccessToken=access_token,
        UserAttributes=[{"Name": "email", "Value": "alice2@example.com"}],
        ClientMetadata={"op": "6"},
    )
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="bob",
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
        ClientMetadata={"op": "7"},
    )
    assert [(item["event"]["triggerSource"], item["event"]["request"]["clientMetadata"]) for item in seen] == [
        ("CustomEmailSender_SignUp", {"op": "1"}),
        ("CustomEmailSender_ResendCode", {"op": "2"}),
        ("CustomEmailSender_ForgotPassword", {"op": "3"}),
        ("CustomEmailSender_VerifyUserAttribute", {"op": "4"}),
        ("CustomEmailSender_ForgotPassword", {"op": "5"}),
        ("CustomEmailSender_UpdateUserAttribute", {"op": "6"}),
        ("CustomEmailSender_AdminCreateUser", {"op": "7"}),
    ]


def test_sender_event_names_the_callers_sdk_as_the_other_triggers_of_the_call(
    idp: Any, triggers: TriggerRegistry, seen: list[dict[str, Any]]
) -> None:
    # Developer guide, Lambda trigger common parameters: callerContext.awsSdkVersion is "the version of the
    # AWS SDK that generated the request", the same for every trigger the request invokes.
    pre_sign_up: list[dict[str, Any]] = []

    def record(event: dict[str, Any], context: Any) -> dict[str, Any]:
        pre_sign_up.append(event)
        return event

    triggers.register(arn("pre"), record)
    pool_id, client_id = make_pool(idp, {"PreSignUp": arn("pre")})
    idp.sign_up(
        ClientId=client_id,
        Username="alice",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
    )
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="bob",
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )
    sdk = pre_sign_up[0]["callerContext"]["awsSdkVersion"]
    assert sdk.startswith("aws-sdk-boto3-")
    assert [(event["triggerSource"], event["callerContext"]["awsSdkVersion"]) for event in pre_sign_up] == [
        ("PreSignUp_SignUp", sdk),
        ("PreSignUp_AdminCreateUser", sdk),
    ]
    senders = [item["event"] for item in seen]
    assert [(event["triggerSource"], event["callerContext"]["awsSdkVersion"]) for event in senders] == [
        ("CustomEmailSender_SignUp", sdk),
        ("CustomEmailSender_AdminCreateUser", sdk),
    ]


def test_sms_sender(emulator: Emulator, idp: Any, seen: list[dict[str, Any]]) -> None:
    pool_id, client_id = make_pool(idp, AutoVerifiedAttributes=["phone_number"])
    idp.sign_up(
        ClientId=client_id,
        Username="carol",
        Password=PASSWORD,
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}],
    )
    [item] = seen
    assert item["event"]["triggerSource"] == "CustomSMSSender_SignUp"
    assert item["event"]["request"]["type"] == "customSMSSenderRequestV1"
    [message] = emulator.outbox.messages(user_pool_id=pool_id)
    assert (message.channel, message.destination) == ("SMS", "+15555550100")
    assert message.body == f"delivered by CustomSMSSender {arn('sender-sms')}"
    idp.confirm_sign_up(ClientId=client_id, Username="carol", ConfirmationCode=item["code"])


def test_without_a_sender_the_built_in_message_goes_out(
    emulator: Emulator, idp: Any, seen: list[dict[str, Any]]
) -> None:
    pool_id = idp.create_user_pool(PoolName="plain", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="app")["UserPoolClient"][
        "ClientId"
    ]
    idp.sign_up(
        ClientId=client_id,
        Username="dave",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "dave@example.com"}],
    )
    assert seen == []
    [message] = emulator.outbox.messages(user_pool_id=pool_id)
    assert message.body.startswith("Your verification code is")


def test_sender_failure_fails_the_operation(idp: Any, triggers: TriggerRegistry) -> None:
    from botocore.exceptions import ClientError

    def broken(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise RuntimeError("mail server down")

    triggers.register(arn("sender-email"), broken)
    _, client_id = make_pool(idp)
    with pytest.raises(ClientError) as excinfo:
        idp.sign_up(
            ClientId=client_id,
            Username="erin",
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": "erin@example.com"}],
        )
    assert excinfo.value.response["Error"]["Code"] == "UserLambdaValidationException"


# -- sign-in codes and ClientMetadata -------------------------------------------------------------------
# API reference, InitiateAuth / AdminInitiateAuth ClientMetadata: the request invokes the custom email and
# SMS senders without it. Developer guide, custom email / SMS sender, request "clientMetadata": pass it
# with the ClientMetadata of AdminRespondToAuthChallenge and RespondToAuthChallenge.


def make_user(idp: Any, pool_id: str) -> None:
    """alice, CONFIRMED with PASSWORD, a verified email and a verified phone number."""
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="alice",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "alice@example.com"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "phone_number", "Value": "+15555550100"},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True)


def mfa_user(idp: Any, pool_id: str, **preference: dict[str, bool]) -> None:
    """alice (make_user) in a pool with optional SMS and email MFA, her MFA set to ``preference``."""
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SmsMfaConfiguration={
            "SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sns", "ExternalId": "ext"}
        },
        EmailMfaConfiguration={"Message": "Your code: {####}", "Subject": "Sign-in code"},
    )
    make_user(idp, pool_id)
    idp.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="alice", **preference)


def initiate(idp: Any, pool_id: str, client_id: str, admin: bool, metadata: dict[str, str]) -> dict[str, Any]:
    parameters = {"USERNAME": "alice", "PASSWORD": PASSWORD}
    if admin:
        return idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters=parameters,
            ClientMetadata=metadata,
        )
    return idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=parameters, ClientMetadata=metadata
    )


def respond(
    idp: Any,
    pool_id: str,
    client_id: str,
    admin: bool,
    challenge: dict[str, Any],
    metadata: dict[str, str],
    **answers: str,
) -> dict[str, Any]:
    request = {
        "ClientId": client_id,
        "ChallengeName": challenge["ChallengeName"],
        "Session": challenge["Session"],
        "ChallengeResponses": {"USERNAME": "alice", **answers},
        "ClientMetadata": metadata,
    }
    if admin:
        return idp.admin_respond_to_auth_challenge(UserPoolId=pool_id, **request)
    return idp.respond_to_auth_challenge(**request)


@pytest.mark.parametrize("admin", [False, True], ids=["InitiateAuth", "AdminInitiateAuth"])
def test_code_sent_by_initiate_auth_comes_without_its_client_metadata(
    idp: Any, seen: list[dict[str, Any]], admin: bool
) -> None:
    pool_id, client_id = make_pool(idp)
    mfa_user(idp, pool_id, SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    challenge = initiate(idp, pool_id, client_id, admin, {"app": "web"})
    assert challenge["ChallengeName"] == "SMS_MFA"
    [item] = seen
    assert item["event"]["triggerSource"] == "CustomSMSSender_Authentication"
    assert item["event"]["request"]["clientMetadata"] == {}
    result = respond(
        idp, pool_id, client_id, admin, challenge, {"app": "web"}, SMS_MFA_CODE=item["code"]
    )
    assert "AuthenticationResult" in result


@pytest.mark.parametrize("admin", [False, True], ids=["RespondToAuthChallenge", "AdminRespondToAuthChallenge"])
@pytest.mark.parametrize(
    ("factor", "trigger", "code_name"),
    [
        ("SMS_MFA", "CustomSMSSender_Authentication", "SMS_MFA_CODE"),
        ("EMAIL_OTP", "CustomEmailSender_Authentication", "EMAIL_OTP_CODE"),
    ],
)
def test_code_sent_by_respond_to_auth_challenge_carries_its_client_metadata(
    idp: Any, seen: list[dict[str, Any]], admin: bool, factor: str, trigger: str, code_name: str
) -> None:
    pool_id, client_id = make_pool(idp)
    mfa_user(idp, pool_id, SMSMfaSettings={"Enabled": True}, EmailMfaSettings={"Enabled": True})
    select = initiate(idp, pool_id, client_id, admin, {"step": "initiate"})
    assert select["ChallengeName"] == "SELECT_MFA_TYPE"
    assert seen == []
    challenge = respond(idp, pool_id, client_id, admin, select, {"step": "select"}, ANSWER=factor)
    assert challenge["ChallengeName"] == factor
    [item] = seen
    assert item["event"]["triggerSource"] == trigger
    assert item["event"]["request"]["clientMetadata"] == {"step": "select"}
    assert item["event"]["callerContext"]["awsSdkVersion"].startswith("aws-sdk-boto3-")
    result = respond(idp, pool_id, client_id, admin, challenge, {}, **{code_name: item["code"]})
    assert "AuthenticationResult" in result


def test_user_auth_one_time_password_follows_the_call_that_sends_it(
    idp: Any, seen: list[dict[str, Any]]
) -> None:
    pool_id, client_id = make_pool(
        idp, Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}
    )
    make_user(idp, pool_id)
    preferred = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"},
        ClientMetadata={"step": "initiate"},
    )
    assert preferred["ChallengeName"] == "EMAIL_OTP"
    [item] = seen
    assert item["event"]["triggerSource"] == "CustomEmailSender_Authentication"
    assert item["event"]["request"]["clientMetadata"] == {}

    select = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "alice"},
        ClientMetadata={"step": "initiate"},
    )
    assert select["ChallengeName"] == "SELECT_CHALLENGE"
    challenge = respond(idp, pool_id, client_id, False, select, {"step": "select"}, ANSWER="EMAIL_OTP")
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    item = seen[-1]
    assert item["event"]["request"]["clientMetadata"] == {"step": "select"}
    result = respond(idp, pool_id, client_id, False, challenge, {}, EMAIL_OTP_CODE=item["code"])
    assert "AuthenticationResult" in result


# -- the encryption ------------------------------------------------------------------------------------


def test_encryption_sdk_message_readable_with_a_raw_aes_key(emulator: Emulator) -> None:
    encrypted = code_encryption.encrypt_code(emulator.env, "us-east-1_pool", KMS_KEY, "424242")

    class Keys(RawMasterKeyProvider):  # what a handler would write with the Encryption SDK
        provider_id = code_encryption.PROVIDER_ID

        def _get_raw_key(self, key_id: bytes) -> WrappingKey:
            return WrappingKey(
                wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
                wrapping_key=code_encryption.wrapping_key(key_id.decode()),
                wrapping_key_type=EncryptionKeyType.SYMMETRIC,
            )

    keys = Keys()
    keys.add_master_key(KMS_KEY.encode())
    sdk = aws_encryption_sdk.EncryptionSDKClient(
        commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
    )
    plaintext, header = sdk.decrypt(source=base64.b64decode(encrypted), key_provider=keys)
    assert plaintext == b"424242"
    assert header.encryption_context["userpool-id"] == "us-east-1_pool"
    assert decrypt_code(encrypted) == "424242"


def test_envelope_without_the_sdk(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(code_encryption, "sdk_available", lambda: False)
    encrypted = code_encryption.encrypt_code(emulator.env, "us-east-1_pool", KMS_KEY, "135790")
    assert base64.b64decode(encrypted).startswith(b"CEMU1")
    assert decrypt_code(encrypted) == "135790"
    envelope = base64.b64decode(encrypted)
    # Flipping a bit always changes the byte; overwriting it with a constant was a no-op 1 time in 256.
    tampered = base64.b64encode(envelope[:-1] + bytes([envelope[-1] ^ 0x01])).decode()
    with pytest.raises(CodeDecryptionError):
        decrypt_code(tampered)
    with pytest.raises(CodeDecryptionError):
        decrypt_code("not base64!")
