"""USER_AUTH (choice-based sign-in) through boto3: SELECT_CHALLENGE and its AvailableChallenges, PASSWORD,
PASSWORD_SRP (pycognito's AWSSRP for the client arithmetic), EMAIL_OTP and SMS_OTP first factors with codes
from the outbox, PREFERRED_CHALLENGE, factors the pool does not allow, wrong and expired codes, MFA after
a password (none after a one-time password), unknown users, lockout."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP, long_to_hex

from tests.api.support import PASSWORD, answer_challenge, error_of, secret_hash, start_user_auth

EMAIL = "alice@example.com"
PHONE = "+15555550123"
SMS = {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sns", "ExternalId": "ext"}}
ALL_FACTORS = ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]


def make_pool(
    idp: Any, factors: list[str] | None = None, *, flows: list[str] | None = None, **client_settings: Any
) -> tuple[str, str]:
    pool_id = idp.create_user_pool(
        PoolName="choice",
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": factors or ALL_FACTORS}},
        **SMS,
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=flows or ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        **client_settings,
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def make_user(idp: Any, pool_id: str, username: str = "alice", *, password: bool = True) -> None:
    """A confirmed user with a verified email and phone number; without ``password``, signed up without
    one (possible once the pool allows a passwordless first factor)."""
    attributes = [
        {"Name": "email", "Value": EMAIL},
        {"Name": "email_verified", "Value": "true"},
        {"Name": "phone_number", "Value": PHONE},
        {"Name": "phone_number_verified", "Value": "true"},
    ]
    if password:
        idp.admin_create_user(
            UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS", UserAttributes=attributes
        )
        idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True)
        return
    client_id = idp.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"][0]["ClientId"]
    idp.sign_up(ClientId=client_id, Username=username, UserAttributes=attributes[::2])
    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
    idp.admin_update_user_attributes(UserPoolId=pool_id, Username=username, UserAttributes=attributes)


def test_select_challenge_lists_the_users_factors(idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    challenge = start_user_auth(idp, client_id)
    assert challenge["ChallengeName"] == "SELECT_CHALLENGE"
    assert challenge["Session"]
    assert challenge["AvailableChallenges"] == ["EMAIL_OTP", "SMS_OTP", "PASSWORD", "PASSWORD_SRP"]


def test_select_challenge_follows_the_pool_and_the_user(idp):
    pool_id, client_id = make_pool(idp, ["PASSWORD", "EMAIL_OTP"])
    make_user(idp, pool_id)
    make_user(idp, pool_id, "bob", password=False)
    assert start_user_auth(idp, client_id)["AvailableChallenges"] == ["EMAIL_OTP", "PASSWORD", "PASSWORD_SRP"]
    assert start_user_auth(idp, client_id, "bob")["AvailableChallenges"] == ["EMAIL_OTP"]


def test_client_must_allow_user_auth(idp):
    pool_id, client_id = make_pool(idp, flows=["ALLOW_USER_PASSWORD_AUTH"])
    make_user(idp, pool_id)
    with pytest.raises(ClientError) as excinfo:
        start_user_auth(idp, client_id)
    assert error_of(excinfo) == ("InvalidParameterException", "USER_AUTH flow not enabled for this client")


def test_select_password(idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    challenge = start_user_auth(idp, client_id)
    result = answer_challenge(idp, client_id, challenge, ANSWER="PASSWORD", PASSWORD=PASSWORD)
    assert result["AuthenticationResult"]["AccessToken"]
    # The session was answered once.
    with pytest.raises(ClientError) as excinfo:
        answer_challenge(idp, client_id, challenge, ANSWER="PASSWORD", PASSWORD=PASSWORD)
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_preferred_password(idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    result = start_user_auth(idp, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert result["AuthenticationResult"]["IdToken"]
    with pytest.raises(ClientError) as excinfo:
        start_user_auth(idp, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Wr0ng!pass")
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_admin_initiate_auth_preferred_password(idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    result = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD},
    )
    assert result["AuthenticationResult"]["AccessToken"]


def test_preferred_password_without_password_asks_for_it(idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    challenge = start_user_auth(idp, client_id, PREFERRED_CHALLENGE="PASSWORD")
    assert challenge["ChallengeName"] == "PASSWORD"
    result = answer_challenge(idp, client_id, challenge, PASSWORD=PASSWORD)
    assert result["AuthenticationResult"]["AccessToken"]


def test_password_keeps_mfa(idp, emulator):
    pool_id, client_id = make_pool(idp)
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        EmailMfaConfiguration={"Message": "Code {####}", "Subject": "Code"},
    )
    make_user(idp, pool_id)
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="alice", EmailMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    # A user with MFA on is not offered passwordless factors.
    assert start_user_auth(idp, client_id)["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    challenge = start_user_auth(idp, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    result = answer_challenge(idp, client_id, challenge, EMAIL_OTP_CODE=emulator.outbox.last_code("alice"))
    assert result["AuthenticationResult"]["AccessToken"]


def test_select_password_srp(idp, pool_id):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    aws_srp = AWSSRP(username="alice", password=PASSWORD, pool_id=pool_id, client_id=client_id, client=idp)
    challenge = start_user_auth(idp, client_id)
    verifier = answer_challenge(
        idp, client_id, challenge, ANSWER="PASSWORD_SRP", SRP_A=long_to_hex(aws_srp.large_a_value)
    )
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"
    answers = aws_srp.process_challenge(verifier["ChallengeParameters"], {"USERNAME": "alice"})
    result = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="PASSWORD_VERIFIER",
        Session=verifier["Session"],
        ChallengeResponses=answers,
    )
    assert result["AuthenticationResult"]["AccessToken"]


def test_preferred_password_srp(idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    aws_srp = AWSSRP(username="alice", password=PASSWORD, pool_id=pool_id, client_id=client_id, client=idp)
    verifier = start_user_auth(
        idp, client_id, PREFERRED_CHALLENGE="PASSWORD_SRP", SRP_A=long_to_hex(aws_srp.large_a_value)
    )
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"
    answers = aws_srp.process_challenge(verifier["ChallengeParameters"], {"USERNAME": "alice"})
    result = idp.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answers
    )
    assert result["AuthenticationResult"]["AccessToken"]


def test_select_email_otp(idp, emulator):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    challenge = answer_challenge(idp, client_id, start_user_auth(idp, client_id), ANSWER="EMAIL_OTP")
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    message = emulator.outbox.last("alice")
    assert message.reason == "Authentication"
    assert message.destination == EMAIL
    result = answer_challenge(idp, client_id, challenge, EMAIL_OTP_CODE=message.code)
    assert result["AuthenticationResult"]["AccessToken"]


def test_preferred_sms_otp(idp, emulator):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    challenge = start_user_auth(idp, client_id, PREFERRED_CHALLENGE="SMS_OTP")
    assert challenge["ChallengeName"] == "SMS_OTP"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"
    message = emulator.outbox.last("alice", reason="Authentication")
    assert message.destination == PHONE
    result = answer_challenge(idp, client_id, challenge, SMS_OTP_CODE=message.code)
    assert result["AuthenticationResult"]["RefreshToken"]


def test_wrong_code_then_right_code(idp, emulator):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    challenge = start_user_auth(idp, client_id, PREFERRED_CHALLENGE="EMAIL_OTP")
    with pytest.raises(ClientError) as excinfo:
        answer_challenge(idp, client_id, challenge, EMAIL_OTP_CODE="not-it")
    assert error_of(excinfo) == ("CodeMismatchException", "Invalid code or auth state for the user.")
    result = answer_challenge(idp, client_id, challenge, EMAIL_OTP_CODE=emulator.outbox.last_code("alice"))
    assert result["AuthenticationResult"]["AccessToken"]


def test_expired_code(idp, emulator):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    challenge = start_user_auth(idp, client_id, PREFERRED_CHALLENGE="SMS_OTP")
    emulator.clock.advance(3 * 60 + 1)
    with pytest.raises(ClientError) as excinfo:
        answer_challenge(idp, client_id, challenge, SMS_OTP_CODE=emulator.outbox.last_code("alice"))
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    )


def test_factor_not_allowed(idp):
    pool_id, client_id = make_pool(idp, ["PASSWORD"])
    make_user(idp, pool_id)
    with pytest.raises(ClientError) as excinfo:
        start_user_auth(idp, client_id, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert error_of(excinfo)[0] == "InvalidParameterException"
    challenge = start_user_auth(idp, client_id)
    assert challenge["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    with pytest.raises(ClientError) as excinfo:
        answer_challenge(idp, client_id, challenge, ANSWER="SMS_OTP")
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_preferred_factor_the_user_lacks_falls_back_to_select(idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id, password=False)
    challenge = start_user_auth(idp, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert challenge["ChallengeName"] == "SELECT_CHALLENGE"
    assert challenge["AvailableChallenges"] == ["EMAIL_OTP", "SMS_OTP"]


def test_passwordless_not_offered_when_mfa_is_required(idp):
    pool_id, client_id = make_pool(idp)
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    make_user(idp, pool_id)
    assert start_user_auth(idp, client_id)["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]


def test_unknown_user_gets_a_decoy(idp):
    pool_id, client_id = make_pool(idp, PreventUserExistenceErrors="ENABLED")
    challenge = start_user_auth(idp, client_id, "nobody")
    assert challenge["ChallengeName"] == "SELECT_CHALLENGE"
    assert challenge["AvailableChallenges"] == ["EMAIL_OTP", "SMS_OTP", "PASSWORD", "PASSWORD_SRP"]
    with pytest.raises(ClientError) as excinfo:
        answer_challenge(idp, client_id, challenge, USERNAME="nobody", ANSWER="PASSWORD", PASSWORD=PASSWORD)
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    otp = answer_challenge(
        idp, client_id, start_user_auth(idp, client_id, "nobody"), USERNAME="nobody", ANSWER="EMAIL_OTP"
    )
    assert otp["ChallengeName"] == "EMAIL_OTP"
    with pytest.raises(ClientError) as excinfo:
        answer_challenge(idp, client_id, otp, USERNAME="nobody", EMAIL_OTP_CODE="123456")
    assert error_of(excinfo)[0] == "CodeMismatchException"


def test_unknown_user_legacy(idp):
    pool_id, client_id = make_pool(idp, PreventUserExistenceErrors="LEGACY")
    with pytest.raises(ClientError) as excinfo:
        start_user_auth(idp, client_id, "nobody")
    assert error_of(excinfo) == ("UserNotFoundException", "User does not exist.")


def test_wrong_passwords_lock_the_user_out(idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    codes = set()
    for _ in range(6):
        with pytest.raises(ClientError) as excinfo:
            start_user_auth(idp, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Wr0ng!pass")
        codes.add(error_of(excinfo))
    assert ("NotAuthorizedException", "Password attempts exceeded") in codes


def test_secret_hash_on_every_step(idp, emulator):
    pool_id, client_id = make_pool(idp, GenerateSecret=True)
    make_user(idp, pool_id)
    client = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    alice_hash = secret_hash(client, "alice")
    with pytest.raises(ClientError) as excinfo:
        start_user_auth(idp, client_id)
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    challenge = start_user_auth(idp, client_id, SECRET_HASH=alice_hash)
    otp = answer_challenge(idp, client_id, challenge, ANSWER="EMAIL_OTP", SECRET_HASH=alice_hash)
    code = emulator.outbox.last_code("alice")
    with pytest.raises(ClientError) as excinfo:
        answer_challenge(idp, client_id, otp, EMAIL_OTP_CODE=code)
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    result = answer_challenge(idp, client_id, otp, EMAIL_OTP_CODE=code, SECRET_HASH=alice_hash)
    assert result["AuthenticationResult"]["AccessToken"]


def test_five_wrong_codes_end_the_session(idp, emulator):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    challenge = start_user_auth(idp, client_id, PREFERRED_CHALLENGE="SMS_OTP")
    for _ in range(5):
        with pytest.raises(ClientError) as excinfo:
            answer_challenge(idp, client_id, challenge, SMS_OTP_CODE="not-it")
        assert error_of(excinfo)[0] == "CodeMismatchException"
    with pytest.raises(ClientError) as excinfo:
        answer_challenge(idp, client_id, challenge, SMS_OTP_CODE=emulator.outbox.last_code("alice"))
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    )


def test_admin_select_challenge_and_sms_otp(idp, emulator):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    challenge = idp.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "alice"}
    )
    assert challenge["ChallengeName"] == "SELECT_CHALLENGE"
    otp = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="SELECT_CHALLENGE",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "ANSWER": "SMS_OTP"},
    )
    assert otp["ChallengeName"] == "SMS_OTP"
    result = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="SMS_OTP",
        Session=otp["Session"],
        ChallengeResponses={"USERNAME": "alice", "SMS_OTP_CODE": emulator.outbox.last_code("alice")},
    )
    assert result["AuthenticationResult"]["AccessToken"]


def test_unconfirmed_user_gets_no_code(idp, emulator):
    pool_id, client_id = make_pool(idp)
    idp.sign_up(ClientId=client_id, Username="carol", UserAttributes=[{"Name": "email", "Value": EMAIL}])
    idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username="carol", UserAttributes=[{"Name": "email_verified", "Value": "true"}]
    )
    sent = len(emulator.outbox.messages(reason="Authentication"))
    with pytest.raises(ClientError) as excinfo:
        start_user_auth(idp, client_id, "carol", PREFERRED_CHALLENGE="EMAIL_OTP")
    assert error_of(excinfo) == ("UserNotConfirmedException", "User is not confirmed.")
    assert len(emulator.outbox.messages(reason="Authentication")) == sent


def test_admin_create_user_without_a_password_where_codes_sign_in(idp, emulator):
    """AdminCreateUser's reference: without TemporaryPassword Cognito "generates one for you unless you
    have passwordless options active", and only a user with a password waits in FORCE_CHANGE_PASSWORD.
    The user is CONFIRMED, signs in with a one-time code and has no password to sign in with; the
    invitation goes out without one; RESEND (for users on a temporary password) is refused."""
    pool_id, client_id = make_pool(
        idp, ["PASSWORD", "EMAIL_OTP"], flows=["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH"]
    )
    attributes = [{"Name": "email", "Value": EMAIL}, {"Name": "email_verified", "Value": "true"}]
    user = idp.admin_create_user(
        UserPoolId=pool_id, Username="alice", UserAttributes=attributes, DesiredDeliveryMediums=["EMAIL"]
    )["User"]
    assert user["UserStatus"] == "CONFIRMED"
    invitation = emulator.outbox.last("alice", reason="AdminCreateUser")
    assert invitation.temporary_password is None
    assert "{####}" not in invitation.body
    challenge = start_user_auth(idp, client_id, PREFERRED_CHALLENGE="EMAIL_OTP")
    result = answer_challenge(idp, client_id, challenge, EMAIL_OTP_CODE=emulator.outbox.last_code("alice"))
    assert result["AuthenticationResult"]["AccessToken"]
    refused = error_of(
        idp.initiate_auth,
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )
    assert refused[0] == "NotAuthorizedException"
    resend = error_of(idp.admin_create_user, UserPoolId=pool_id, Username="alice", MessageAction="RESEND")
    assert resend[0] == "UnsupportedUserStateException"


def test_admin_create_user_generates_a_password_where_only_passwords_and_passkeys_sign_in(idp):
    """A passkey is no first sign-in: a pool allowing PASSWORD and WEB_AUTHN still generates a temporary
    password, and SignUp there needs a password."""
    pool_id, client_id = make_pool(idp, ["PASSWORD", "WEB_AUTHN"])
    user = idp.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")["User"]
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    code, _ = error_of(idp.sign_up, ClientId=client_id, Username="bob")
    assert code == "InvalidParameterException"
