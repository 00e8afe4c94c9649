"""Software token (TOTP) MFA through boto3: AssociateSoftwareToken and VerifySoftwareToken with an access
token and with an MFA_SETUP Session, AdminDeleteSoftwareToken, the SOFTWARE_TOKEN_MFA challenge, and
pycognito's SRP sign-in followed by it."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP
from pycognito.exceptions import SoftwareTokenMFAChallengeException

from tests.api.support import (
    PASSWORD,
    TEMPORARY_PASSWORD,
    answer_new_password,
    error_of,
    make_user,
    register_totp,
)

FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]


def make_pool(idp: Any, mode: str = "OPTIONAL", totp: bool = True) -> tuple[str, str]:
    pool_id = idp.create_user_pool(PoolName="totp")["UserPool"]["Id"]
    if mode != "OFF" or totp:
        idp.set_user_pool_mfa_config(
            UserPoolId=pool_id, MfaConfiguration=mode, SoftwareTokenMfaConfiguration={"Enabled": totp}
        )
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=FLOWS)[
        "UserPoolClient"
    ]["ClientId"]
    return pool_id, client_id


def sign_in(idp: Any, client_id: str, username: str = "alice", password: str = PASSWORD) -> dict[str, Any]:
    return idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )


def access_token(idp: Any, client_id: str) -> str:
    return sign_in(idp, client_id)["AuthenticationResult"]["AccessToken"]


# -- associate and verify with an access token ----------------------------------------------------


def test_associate_returns_a_base32_secret(idp, pool_id):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    result = idp.associate_software_token(AccessToken=access_token(idp, client_id))
    secret = result["SecretCode"]
    assert "Session" not in result
    assert len(secret) == 52
    assert len(base64.b32decode(secret + "====")) == 32


def test_verify_registers_the_token_and_the_preference_turns_it_on(emulator, idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    token = access_token(idp, client_id)
    register_totp(emulator, idp, token, enable=False)
    # Verified, not yet turned on: sign-in goes straight to tokens in an OPTIONAL pool.
    assert "UserMFASettingList" not in idp.get_user(AccessToken=token)
    assert "AuthenticationResult" in sign_in(idp, client_id)
    idp.set_user_mfa_preference(
        AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    user = idp.get_user(AccessToken=token)
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    assert "MFAOptions" not in user
    assert sign_in(idp, client_id)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_wrong_code_fails_to_enable(idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    token = access_token(idp, client_id)
    idp.associate_software_token(AccessToken=token)
    with pytest.raises(ClientError) as excinfo:
        idp.verify_software_token(AccessToken=token, UserCode="000000")
    assert error_of(excinfo) == (
        "EnableSoftwareTokenMFAException",
        "Code mismatch and fail enable Software Token MFA",
    )
    with pytest.raises(ClientError) as excinfo:
        idp.set_user_mfa_preference(AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True})
    assert error_of(excinfo) == ("InvalidParameterException", "User has not verified software token mfa")


def test_codes_one_step_either_side_are_accepted(emulator, idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    token = access_token(idp, client_id)
    now = emulator.clock.freeze()
    secret = idp.associate_software_token(AccessToken=token)["SecretCode"]
    for stale in (now - 60, now + 60):
        code = emulator.totp_code(secret, at=stale)
        if code in {emulator.totp_code(secret, at=now + d) for d in (-30, 0, 30)}:
            continue  # a coincidence of six digits: nothing to learn from this one
        with pytest.raises(ClientError) as excinfo:
            idp.verify_software_token(AccessToken=token, UserCode=code)
        assert error_of(excinfo)[0] == "EnableSoftwareTokenMFAException"
    result = idp.verify_software_token(AccessToken=token, UserCode=emulator.totp_code(secret, at=now - 30))
    assert result["Status"] == "SUCCESS"


def test_pool_without_totp(idp):
    pool_id, client_id = make_pool(idp, mode="OFF", totp=False)
    make_user(idp, pool_id)
    with pytest.raises(ClientError) as excinfo:
        idp.associate_software_token(AccessToken=access_token(idp, client_id))
    assert error_of(excinfo) == (
        "SoftwareTokenMFANotFoundException",
        "Software Token MFA has not been enabled by the userPool.",
    )


def test_token_or_session_not_both(idp):
    with pytest.raises(ClientError) as excinfo:
        idp.associate_software_token()
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_verify_without_associate(idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    with pytest.raises(ClientError) as excinfo:
        idp.verify_software_token(AccessToken=access_token(idp, client_id), UserCode="123456")
    assert error_of(excinfo) == ("InvalidParameterException", "User has not set up software token mfa")


def test_a_new_association_keeps_the_old_token_until_verified(emulator, idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    token = access_token(idp, client_id)
    old = register_totp(emulator, idp, token)
    new = idp.associate_software_token(AccessToken=token)["SecretCode"]
    challenge = sign_in(idp, client_id)
    result = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": emulator.totp_code(old)},
    )
    assert "AuthenticationResult" in result
    idp.verify_software_token(AccessToken=token, UserCode=emulator.totp_code(new))
    emulator.clock.advance(30)
    challenge = sign_in(idp, client_id)
    result = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": emulator.totp_code(new)},
    )
    assert "AuthenticationResult" in result


def test_admin_delete_software_token(emulator, idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    register_totp(emulator, idp, access_token(idp, client_id))
    idp.admin_delete_software_token(UserPoolId=pool_id, Username="alice")
    user = idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert "UserMFASettingList" not in user and "PreferredMfaSetting" not in user
    assert "AuthenticationResult" in sign_in(idp, client_id)


# -- the SOFTWARE_TOKEN_MFA challenge ----------------------------------------------------------------


def test_software_token_challenge(emulator, idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    secret = register_totp(emulator, idp, access_token(idp, client_id))
    challenge = sign_in(idp, client_id)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert challenge["ChallengeParameters"] == {}
    with pytest.raises(ClientError) as excinfo:
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": "12345x"},
        )
    assert error_of(excinfo) == ("CodeMismatchException", "Invalid code or auth state for the user.")
    result = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": emulator.totp_code(secret)},
    )
    assert result["AuthenticationResult"]["AccessToken"]


def test_software_token_challenge_through_the_admin_endpoint(emulator, idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    secret = register_totp(emulator, idp, access_token(idp, client_id))
    challenge = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    result = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": emulator.totp_code(secret)},
    )
    assert "AuthenticationResult" in result


def test_code_moves_with_the_clock(emulator, idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    secret = register_totp(emulator, idp, access_token(idp, client_id))
    emulator.clock.freeze()
    old_code = emulator.totp_code(secret)
    emulator.clock.advance(120)
    challenge = sign_in(idp, client_id)
    if old_code not in {emulator.totp_code(secret, at=emulator.clock.now() + d) for d in (-30, 0, 30)}:
        with pytest.raises(ClientError) as excinfo:
            idp.respond_to_auth_challenge(
                ClientId=client_id,
                ChallengeName="SOFTWARE_TOKEN_MFA",
                Session=challenge["Session"],
                ChallengeResponses={"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": old_code},
            )
        assert error_of(excinfo)[0] == "CodeMismatchException"
    result = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": emulator.totp_code(secret)},
    )
    assert "AuthenticationResult" in result


def test_pycognito_srp_then_software_token(emulator, idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    secret = register_totp(emulator, idp, access_token(idp, client_id))
    srp = AWSSRP(username="alice", password=PASSWORD, pool_id=pool_id, client_id=client_id, client=idp)
    with pytest.raises(SoftwareTokenMFAChallengeException) as excinfo:
        srp.authenticate_user()
    challenge = excinfo.value.get_tokens()
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    result = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": emulator.totp_code(secret)},
    )
    assert result["AuthenticationResult"]["IdToken"]


# -- MFA_SETUP: required MFA, set up during sign-in ----------------------------------------------------


def test_mfa_setup_during_sign_in(emulator, idp):
    pool_id, client_id = make_pool(idp, mode="ON")
    make_user(idp, pool_id)
    challenge = sign_in(idp, client_id)
    assert challenge["ChallengeName"] == "MFA_SETUP"
    assert challenge["ChallengeParameters"] == {"MFAS_CAN_SETUP": '["SOFTWARE_TOKEN_MFA"]'}
    associated = idp.associate_software_token(Session=challenge["Session"])
    secret = associated["SecretCode"]
    # Answering before the token is verified is refused.
    with pytest.raises(ClientError) as excinfo:
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="MFA_SETUP",
            Session=associated["Session"],
            ChallengeResponses={"USERNAME": "alice"},
        )
    assert error_of(excinfo) == ("InvalidParameterException", "User has not verified software token mfa")
    verified = idp.verify_software_token(
        Session=associated["Session"], UserCode=emulator.totp_code(secret), FriendlyDeviceName="phone"
    )
    assert verified["Status"] == "SUCCESS"
    assert verified["Session"] not in (challenge["Session"], associated["Session"])
    result = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="MFA_SETUP",
        Session=verified["Session"],
        ChallengeResponses={"USERNAME": "alice"},
    )
    assert result["AuthenticationResult"]["AccessToken"]
    user = idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    # The next sign-in asks for the token (and the code of a later step: each is good once).
    emulator.clock.advance(30)
    challenge = sign_in(idp, client_id)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    result = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": emulator.totp_code(secret)},
    )
    assert "AuthenticationResult" in result


def test_mfa_setup_sessions_are_one_use_and_expire(emulator, idp):
    pool_id, client_id = make_pool(idp, mode="ON")
    make_user(idp, pool_id)
    challenge = sign_in(idp, client_id)
    associated = idp.associate_software_token(Session=challenge["Session"])
    with pytest.raises(ClientError) as excinfo:
        idp.associate_software_token(Session=challenge["Session"])
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    )
    emulator.clock.advance(181)
    with pytest.raises(ClientError) as excinfo:
        idp.verify_software_token(
            Session=associated["Session"], UserCode=emulator.totp_code(associated["SecretCode"])
        )
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    )


def test_only_an_mfa_setup_session_can_associate(idp):
    pool_id, client_id = make_pool(idp, mode="ON")
    make_user(idp, pool_id, password=None)
    challenge = sign_in(idp, client_id, password=TEMPORARY_PASSWORD)
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    with pytest.raises(ClientError) as excinfo:
        idp.associate_software_token(Session=challenge["Session"])
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid session for the user.")


def test_new_password_then_mfa_setup(emulator, idp):
    pool_id, client_id = make_pool(idp, mode="ON")
    make_user(idp, pool_id, password=None)
    challenge = sign_in(idp, client_id, password=TEMPORARY_PASSWORD)
    setup = answer_new_password(idp, client_id, challenge, "alice", "N3wPassw0rd!")
    assert setup["ChallengeName"] == "MFA_SETUP"
    associated = idp.associate_software_token(Session=setup["Session"])
    verified = idp.verify_software_token(
        Session=associated["Session"], UserCode=emulator.totp_code(associated["SecretCode"])
    )
    result = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="MFA_SETUP",
        Session=verified["Session"],
        ChallengeResponses={"USERNAME": "alice"},
    )
    assert "AuthenticationResult" in result
    assert idp.admin_get_user(UserPoolId=pool_id, Username="alice")["UserStatus"] == "CONFIRMED"


def test_a_code_is_good_once(emulator, idp):
    pool_id, client_id = make_pool(idp)
    make_user(idp, pool_id)
    token = access_token(idp, client_id)
    secret = idp.associate_software_token(AccessToken=token)["SecretCode"]
    used = emulator.totp_code(secret)
    idp.verify_software_token(AccessToken=token, UserCode=used)
    idp.set_user_mfa_preference(AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True})

    def answer(code: str) -> dict[str, Any]:
        return idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=sign_in(idp, client_id)["Session"],
            ChallengeResponses={"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": code},
        )

    # The code VerifySoftwareToken took cannot sign in, nor can a sign-in's code sign in again.
    expected = ("ExpiredCodeException", "Your software token has already been used once.")
    assert error_of(answer, used) == expected
    emulator.clock.advance(30)
    fresh = emulator.totp_code(secret)
    assert "AuthenticationResult" in answer(fresh)
    assert error_of(answer, fresh) == expected
