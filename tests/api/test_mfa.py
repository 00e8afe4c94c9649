"""MFA through boto3: preferences (SetUserMFAPreference and its admin twin), the legacy MFAOptions,
GetUserAuthFactors, GetUser/AdminGetUser's MFA members, and the sign-in challenges SMS_MFA, EMAIL_OTP,
SELECT_MFA_TYPE under the pool's MfaConfiguration (OFF, OPTIONAL, ON), codes from the outbox, expiry
by the clock, SECRET_HASH, and CustomMessage_Authentication."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP
from pycognito.exceptions import SMSMFAChallengeException

from tests.api.support import PASSWORD, error_of, make_user, secret_hash

FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]
SMS = {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sns", "ExternalId": "ext"}}
PHONE = "+15555550123"
EMAIL = "alice@example.com"
MESSAGE_ARN = "arn:aws:lambda:us-east-1:123456789012:function:mfa-message"


def make_pool(
    idp: Any,
    mode: str = "OPTIONAL",
    *,
    sms: bool = True,
    totp: bool = True,
    email: bool = True,
    secret: bool = False,
    **settings: Any,
) -> tuple[str, dict[str, Any]]:
    pool_id = idp.create_user_pool(PoolName="mfa", **settings)["UserPool"]["Id"]
    params: dict[str, Any] = {"MfaConfiguration": mode}
    if sms:
        params["SmsMfaConfiguration"] = {**SMS, "SmsAuthenticationMessage": "Sign-in code {####}"}
    if totp:
        params["SoftwareTokenMfaConfiguration"] = {"Enabled": True}
    if email:
        params["EmailMfaConfiguration"] = {"Message": "Your code: {####}", "Subject": "Sign-in code"}
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, **params)
    client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=FLOWS, GenerateSecret=secret
    )["UserPoolClient"]
    return pool_id, client


def sign_in(idp: Any, client: dict[str, Any], username: str = "alice", **extra: str) -> dict[str, Any]:
    return idp.initiate_auth(
        ClientId=client["ClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD, **extra},
    )


def respond(idp: Any, client: dict[str, Any], challenge: dict[str, Any], **answers: str) -> dict[str, Any]:
    return idp.respond_to_auth_challenge(
        ClientId=client["ClientId"],
        ChallengeName=challenge["ChallengeName"],
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", **answers},
    )


def prefer(idp: Any, pool_id: str, **settings: dict[str, bool]) -> None:
    idp.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="alice", **settings)


def add_totp(emulator: Any, idp: Any, pool_id: str) -> str:
    """A verified software token for alice (signed in while MFA asks nothing of her yet)."""
    pool_mode = idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert pool_mode["MfaConfiguration"] != "ON"
    client = idp.describe_user_pool_client(
        UserPoolId=pool_id,
        ClientId=idp.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"][0]["ClientId"],
    )["UserPoolClient"]
    token = sign_in(idp, client)["AuthenticationResult"]["AccessToken"]
    secret = idp.associate_software_token(AccessToken=token)["SecretCode"]
    idp.verify_software_token(AccessToken=token, UserCode=emulator.totp_code(secret))
    # Each code is good once: what follows answers with the code of the next 30-second step.
    emulator.clock.advance(30)
    return secret


# -- preferences and what GetUser shows -----------------------------------------------------------------


def test_preferences_show_in_admin_get_user_and_get_user(idp):
    pool_id, client = make_pool(idp)
    make_user(idp, pool_id, phone_number=PHONE, email=EMAIL)
    token = sign_in(idp, client)["AuthenticationResult"]["AccessToken"]
    user = idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert {"MFAOptions", "PreferredMfaSetting", "UserMFASettingList"}.isdisjoint(user)
    prefer(
        idp,
        pool_id,
        SMSMfaSettings={"Enabled": True, "PreferredMfa": False},
        EmailMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    user = idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert user["UserMFASettingList"] == ["SMS_MFA", "EMAIL_OTP"]
    assert user["PreferredMfaSetting"] == "EMAIL_OTP"
    assert user["MFAOptions"] == [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    own = idp.get_user(AccessToken=token)
    assert own["UserMFASettingList"] == ["SMS_MFA", "EMAIL_OTP"]
    assert own["PreferredMfaSetting"] == "EMAIL_OTP"
    # Turning the preferred factor off drops the preference.
    idp.set_user_mfa_preference(AccessToken=token, EmailMfaSettings={"Enabled": False})
    own = idp.get_user(AccessToken=token)
    assert own["UserMFASettingList"] == ["SMS_MFA"]
    assert "PreferredMfaSetting" not in own


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"SoftwareTokenMfaSettings": {"Enabled": True}},
            "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA",
        ),
        ({"SMSMfaSettings": {"Enabled": True}}, "User does not have delivery config set to turn on SMS_MFA"),
        (
            {"SMSMfaSettings": {"Enabled": True, "PreferredMfa": True}},
            "User does not have delivery config set to turn on SMS_MFA",
        ),
        (
            {
                "EmailMfaSettings": {"Enabled": True, "PreferredMfa": True},
                "SMSMfaSettings": {"Enabled": True, "PreferredMfa": True},
            },
            "Only one MFA method can be set as preferred.",
        ),
    ],
)
def test_preference_errors(idp, settings, message):
    pool_id, _ = make_pool(idp)
    make_user(idp, pool_id, email=EMAIL)
    with pytest.raises(ClientError) as excinfo:
        prefer(idp, pool_id, **settings)
    assert error_of(excinfo) == ("InvalidParameterException", message)


def test_a_factor_the_pool_does_not_offer(idp):
    pool_id, _ = make_pool(idp, sms=False, email=False)
    make_user(idp, pool_id, phone_number=PHONE)
    with pytest.raises(ClientError) as excinfo:
        prefer(idp, pool_id, SMSMfaSettings={"Enabled": True})
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "SMS_MFA is not enabled in the user pool's MFA configuration.",
    )


def test_unknown_user(idp):
    pool_id, _ = make_pool(idp)
    with pytest.raises(ClientError) as excinfo:
        prefer(idp, pool_id, SMSMfaSettings={"Enabled": True})
    assert error_of(excinfo)[0] == "UserNotFoundException"


def test_legacy_mfa_options(idp):
    pool_id, client = make_pool(idp)
    make_user(idp, pool_id, phone_number=PHONE)
    token = sign_in(idp, client)["AuthenticationResult"]["AccessToken"]
    idp.set_user_settings(
        AccessToken=token, MFAOptions=[{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    )
    user = idp.get_user(AccessToken=token)
    assert user["MFAOptions"] == [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    assert user["UserMFASettingList"] == ["SMS_MFA"]
    assert sign_in(idp, client)["ChallengeName"] == "SMS_MFA"
    idp.admin_set_user_settings(UserPoolId=pool_id, Username="alice", MFAOptions=[])
    assert "MFAOptions" not in idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    with pytest.raises(ClientError) as excinfo:
        idp.admin_set_user_settings(
            UserPoolId=pool_id,
            Username="alice",
            MFAOptions=[{"DeliveryMedium": "EMAIL", "AttributeName": "email"}],
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_user_auth_factors(emulator, idp):
    pool_id, client = make_pool(idp)
    make_user(idp, pool_id, email=EMAIL, email_verified="true")
    token = sign_in(idp, client)["AuthenticationResult"]["AccessToken"]
    assert idp.get_user_auth_factors(AccessToken=token)["ConfiguredUserAuthFactors"] == ["PASSWORD"]
    add_totp(emulator, idp, pool_id)
    prefer(idp, pool_id, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    factors = idp.admin_get_user_auth_factors(UserPoolId=pool_id, Username="alice")
    assert factors["Username"] == "alice"
    assert factors["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    assert factors["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert factors["ConfiguredUserAuthFactors"] == ["PASSWORD"]


# -- SMS_MFA -------------------------------------------------------------------------------------------


def test_sms_mfa_sign_in(emulator, idp):
    pool_id, client = make_pool(idp)
    make_user(idp, pool_id, phone_number=PHONE)
    prefer(idp, pool_id, SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    challenge = sign_in(idp, client)
    assert challenge["ChallengeName"] == "SMS_MFA"
    assert challenge["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
        "CODE_DELIVERY_DESTINATION": "+*******0123",
    }
    message = emulator.outbox.last("alice")
    assert (message.channel, message.destination, message.reason) == ("SMS", PHONE, "Authentication")
    assert message.body == f"Sign-in code {message.code}"
    with pytest.raises(ClientError) as excinfo:
        respond(idp, client, challenge, SMS_MFA_CODE="000000" if message.code != "000000" else "111111")
    assert error_of(excinfo) == ("CodeMismatchException", "Invalid code or auth state for the user.")
    # A wrong code may be retried on the same session.
    result = respond(idp, client, challenge, SMS_MFA_CODE=message.code)
    assert result["AuthenticationResult"]["AccessToken"]
    with pytest.raises(ClientError) as excinfo:
        respond(idp, client, challenge, SMS_MFA_CODE=message.code)
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    )


def test_sms_code_expires_with_the_session(emulator, idp):
    pool_id, client = make_pool(idp)
    make_user(idp, pool_id, phone_number=PHONE)
    prefer(idp, pool_id, SMSMfaSettings={"Enabled": True})
    challenge = sign_in(idp, client)
    emulator.clock.advance(3 * 60 + 1)
    with pytest.raises(ClientError) as excinfo:
        respond(idp, client, challenge, SMS_MFA_CODE=emulator.outbox.last_code("alice"))
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    )


def test_five_wrong_codes_end_the_session(emulator, idp):
    pool_id, client = make_pool(idp)
    make_user(idp, pool_id, phone_number=PHONE)
    prefer(idp, pool_id, SMSMfaSettings={"Enabled": True})
    challenge = sign_in(idp, client)
    code = emulator.outbox.last_code("alice")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ClientError):
            respond(idp, client, challenge, SMS_MFA_CODE=wrong)
    with pytest.raises(ClientError) as excinfo:
        respond(idp, client, challenge, SMS_MFA_CODE=code)
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_sms_mfa_through_the_admin_endpoint_with_a_secret(emulator, idp):
    pool_id, client = make_pool(idp, secret=True)
    make_user(idp, pool_id, phone_number=PHONE)
    prefer(idp, pool_id, SMSMfaSettings={"Enabled": True})
    challenge = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client["ClientId"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": "alice",
            "PASSWORD": PASSWORD,
            "SECRET_HASH": secret_hash(client, "alice"),
        },
    )
    assert challenge["ChallengeName"] == "SMS_MFA"
    answer = {"USERNAME": "alice", "SMS_MFA_CODE": emulator.outbox.last_code("alice")}
    with pytest.raises(ClientError) as excinfo:
        idp.admin_respond_to_auth_challenge(
            UserPoolId=pool_id,
            ClientId=client["ClientId"],
            ChallengeName="SMS_MFA",
            Session=challenge["Session"],
            ChallengeResponses=answer,
        )
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    result = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client["ClientId"],
        ChallengeName="SMS_MFA",
        Session=challenge["Session"],
        ChallengeResponses={**answer, "SECRET_HASH": secret_hash(client, "alice")},
    )
    assert "AuthenticationResult" in result


# -- EMAIL_OTP -----------------------------------------------------------------------------------------


def test_email_otp_sign_in(emulator, idp):
    pool_id, client = make_pool(idp)
    make_user(idp, pool_id, email=EMAIL)
    prefer(idp, pool_id, EmailMfaSettings={"Enabled": True})
    challenge = sign_in(idp, client)
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    assert challenge["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
        "CODE_DELIVERY_DESTINATION": "a***@e***",
    }
    message = emulator.outbox.last("alice")
    assert (message.channel, message.subject, message.reason) == ("EMAIL", "Sign-in code", "Authentication")
    assert message.body == f"Your code: {message.code}"
    result = respond(idp, client, challenge, EMAIL_OTP_CODE=message.code)
    assert "AuthenticationResult" in result


# -- choosing, requiring, turning off ------------------------------------------------------------------


def test_select_mfa_type(emulator, idp):
    pool_id, client = make_pool(idp)
    make_user(idp, pool_id, phone_number=PHONE)
    secret = add_totp(emulator, idp, pool_id)
    prefer(idp, pool_id, SMSMfaSettings={"Enabled": True}, SoftwareTokenMfaSettings={"Enabled": True})
    challenge = sign_in(idp, client)
    assert challenge["ChallengeName"] == "SELECT_MFA_TYPE"
    assert json.loads(challenge["ChallengeParameters"]["MFAS_CAN_CHOOSE"]) == [
        "SMS_MFA",
        "SOFTWARE_TOKEN_MFA",
    ]
    with pytest.raises(ClientError) as excinfo:
        respond(idp, client, challenge, ANSWER="EMAIL_OTP")
    assert error_of(excinfo)[0] == "InvalidParameterException"
    totp_challenge = respond(idp, client, challenge, ANSWER="SOFTWARE_TOKEN_MFA")
    assert totp_challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    result = respond(idp, client, totp_challenge, SOFTWARE_TOKEN_MFA_CODE=emulator.totp_code(secret))
    assert "AuthenticationResult" in result
    # Choosing SMS sends the code then.
    sent = len(emulator.outbox.messages(reason="Authentication"))
    sms_challenge = respond(idp, client, sign_in(idp, client), ANSWER="SMS_MFA")
    assert sms_challenge["ChallengeName"] == "SMS_MFA"
    assert len(emulator.outbox.messages(reason="Authentication")) == sent + 1
    result = respond(idp, client, sms_challenge, SMS_MFA_CODE=emulator.outbox.last_code("alice"))
    assert "AuthenticationResult" in result


def test_the_preferred_factor_skips_the_choice(emulator, idp):
    pool_id, client = make_pool(idp)
    make_user(idp, pool_id, phone_number=PHONE)
    add_totp(emulator, idp, pool_id)
    prefer(
        idp,
        pool_id,
        SMSMfaSettings={"Enabled": True},
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    assert sign_in(idp, client)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_required_mfa_uses_the_phone_number(emulator, idp):
    pool_id, client = make_pool(idp, mode="ON", totp=False, email=False)
    make_user(idp, pool_id, phone_number=PHONE)
    challenge = sign_in(idp, client)
    assert challenge["ChallengeName"] == "SMS_MFA"
    assert "AuthenticationResult" in respond(
        idp, client, challenge, SMS_MFA_CODE=emulator.outbox.last_code("alice")
    )


def test_required_mfa_without_means_asks_for_setup(idp):
    pool_id, client = make_pool(idp, mode="ON", email=False)
    make_user(idp, pool_id)
    challenge = sign_in(idp, client)
    assert challenge["ChallengeName"] == "MFA_SETUP"
    assert json.loads(challenge["ChallengeParameters"]["MFAS_CAN_SETUP"]) == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]


def test_optional_mfa_without_factors_signs_in(idp):
    pool_id, client = make_pool(idp)
    make_user(idp, pool_id, phone_number=PHONE, email=EMAIL)
    assert "AuthenticationResult" in sign_in(idp, client)


def test_mfa_off_ignores_the_users_factors(idp):
    pool_id, client = make_pool(idp)
    make_user(idp, pool_id, phone_number=PHONE)
    prefer(idp, pool_id, SMSMfaSettings={"Enabled": True})
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OFF")
    assert "AuthenticationResult" in sign_in(idp, client)


def test_srp_sign_in_then_sms_mfa(emulator, idp):
    pool_id, client = make_pool(idp)
    make_user(idp, pool_id, phone_number=PHONE)
    prefer(idp, pool_id, SMSMfaSettings={"Enabled": True})
    srp = AWSSRP(
        username="alice", password=PASSWORD, pool_id=pool_id, client_id=client["ClientId"], client=idp
    )
    with pytest.raises(SMSMFAChallengeException) as excinfo:
        srp.authenticate_user()
    challenge = excinfo.value.get_tokens()
    result = respond(idp, client, challenge, SMS_MFA_CODE=emulator.outbox.last_code("alice"))
    assert "AuthenticationResult" in result


# -- CustomMessage_Authentication ------------------------------------------------------------------------


@pytest.fixture
def message_trigger(emulator: Any) -> Iterator[list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        event["response"]["smsMessage"] = (
            f"Hello {event['request']['userAttributes']['phone_number']}: {{####}}"
        )
        return event

    emulator.triggers.register(MESSAGE_ARN, handler)
    yield seen
    emulator.triggers.unregister(MESSAGE_ARN)


def test_custom_message_authentication(emulator, idp, message_trigger):
    pool_id, client = make_pool(idp, LambdaConfig={"CustomMessage": MESSAGE_ARN})
    make_user(idp, pool_id, phone_number=PHONE)
    prefer(idp, pool_id, SMSMfaSettings={"Enabled": True})
    challenge = idp.initiate_auth(
        ClientId=client["ClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
        ClientMetadata={"app": "web"},
    )
    assert [event["triggerSource"] for event in message_trigger] == ["CustomMessage_Authentication"]
    event = message_trigger[0]
    assert event["request"]["codeParameter"] == "{####}"
    # The InitiateAuth API reference names CustomMessage among the triggers it invokes without ClientMetadata.
    assert event["request"]["clientMetadata"] is None
    assert event["callerContext"]["clientId"] == client["ClientId"]
    message = emulator.outbox.last("alice")
    assert message.body == f"Hello {PHONE}: {message.code}"
    assert "AuthenticationResult" in respond(idp, client, challenge, SMS_MFA_CODE=message.code)


def test_custom_message_authentication_for_a_code_an_answer_sent_has_its_client_metadata(
    emulator, idp, message_trigger
):
    pool_id, client = make_pool(idp, LambdaConfig={"CustomMessage": MESSAGE_ARN})
    make_user(idp, pool_id, phone_number=PHONE)
    add_totp(emulator, idp, pool_id)
    prefer(idp, pool_id, SMSMfaSettings={"Enabled": True}, SoftwareTokenMfaSettings={"Enabled": True})
    challenge = sign_in(idp, client)
    assert challenge["ChallengeName"] == "SELECT_MFA_TYPE"
    idp.respond_to_auth_challenge(
        ClientId=client["ClientId"],
        ChallengeName="SELECT_MFA_TYPE",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "ANSWER": "SMS_MFA"},
        ClientMetadata={"app": "web"},
    )
    assert [event["triggerSource"] for event in message_trigger] == ["CustomMessage_Authentication"]
    assert message_trigger[0]["request"]["clientMetadata"] == {"app": "web"}


# -- seeds -------------------------------------------------------------------------------------------------


def test_seeded_software_token(emulator, idp):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    emulator.load_seed(
        {
            "userPools": [
                {
                    "PoolName": "seeded",
                    "Id": "us-east-1_SeedMfa1",
                    "MfaConfiguration": "OPTIONAL",
                    "mfaConfig": {"SoftwareTokenMfaConfiguration": {"Enabled": True}},
                    "clients": [
                        {"ClientName": "web", "ClientId": "seedmfaclient", "ExplicitAuthFlows": FLOWS}
                    ],
                    "users": [
                        {
                            "Username": "alice",
                            "password": PASSWORD,
                            "mfa": {
                                "totpSecret": secret,
                                "softwareToken": True,
                                "preferred": "SOFTWARE_TOKEN_MFA",
                            },
                        }
                    ],
                }
            ]
        }
    )
    client = {"ClientId": "seedmfaclient"}
    challenge = sign_in(idp, client)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert "AuthenticationResult" in respond(
        idp, client, challenge, SOFTWARE_TOKEN_MFA_CODE=emulator.totp_code(secret)
    )
    exported = emulator.export_seed()
    users = [u for p in exported["userPools"] if p["Id"] == "us-east-1_SeedMfa1" for u in p["users"]]
    assert users[0]["mfa"] == {"totpSecret": secret, "softwareToken": True, "preferred": "SOFTWARE_TOKEN_MFA"}


@pytest.mark.parametrize(
    ("mfa", "message"),
    [
        ({"sms": True}, "sms: the user has no phone_number to use for SMS_MFA"),
        ({"preferred": "SMS_MFA"}, "preferred: 'SMS_MFA' is not one of the factors turned on"),
        ({"colour": "blue"}, "unknown key 'colour'"),
    ],
)
def test_seed_mfa_errors(emulator, mfa, message):
    from cognito_emu.seed import SeedError

    seed = {
        "userPools": [{"PoolName": "p", "users": [{"Username": "alice", "password": PASSWORD, "mfa": mfa}]}]
    }
    with pytest.raises(SeedError) as excinfo:
        emulator.load_seed(seed)
    assert message in str(excinfo.value)
    assert "userPools[0].users[0].mfa" in str(excinfo.value)
