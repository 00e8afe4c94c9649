"""Step-up authentication through boto3 (developer guide, "Authentication levels with ACR and AMR claims" and
"Step-up authentication with the USER_AUTH flow"): AcrConfiguration's effective names and checks,
USER_AUTH's TARGET_ACR_VALUES (the first level the user can reach, the factor it takes), the acr / amr
claims and their refresh, an ACCESS_TOKEN stepped up by one MFA factor, MAX_AGE, and the errors."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.api.support import PASSWORD, answer_challenge, claims, code_of, start_user_auth

EMAIL = "alice@example.com"
SMS = {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sns", "ExternalId": "ext"}}
LOA = {level: f"urn:cognito:loa:{level}" for level in (1, 2, 3, 4)}


def make_pool(idp: Any, *, tier: str = "ESSENTIALS", **settings: Any) -> tuple[str, str]:
    pool_id = idp.create_user_pool(
        PoolName="step-up",
        UserPoolTier=tier,
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
        **SMS,
        **settings,
    )["UserPool"]["Id"]
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
        EmailMfaConfiguration={"Message": "Your code: {####}", "Subject": "Sign-in code"},
    )
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="alice",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": EMAIL}, {"Name": "email_verified", "Value": "true"}],
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True)
    return pool_id, client_id


def password_tokens(idp: Any, client_id: str) -> dict[str, Any]:
    return idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]


def add_totp(emulator: Any, idp: Any, client_id: str) -> str:
    """A verified authenticator app for alice, who keeps MFA off (so only a step-up asks for it)."""
    token = password_tokens(idp, client_id)["AccessToken"]
    secret = idp.associate_software_token(AccessToken=token)["SecretCode"]
    idp.verify_software_token(AccessToken=token, UserCode=emulator.totp_code(secret))
    idp.set_user_mfa_preference(AccessToken=token, SoftwareTokenMfaSettings={"Enabled": False})
    # Each code is good once: later answers use the next 30-second step's.
    emulator.clock.advance(30)
    return secret


def acr_amr(result: dict[str, Any]) -> list[tuple[Any, Any]]:
    tokens = result["AuthenticationResult"]
    return [(claims(tokens[k]).get("acr"), claims(tokens[k]).get("amr")) for k in ("IdToken", "AccessToken")]


def raised(call: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call()
    return code_of(excinfo), excinfo.value.response["Error"]["Message"]


# -- AcrConfiguration -----------------------------------------------------------------------------------


def test_acr_configuration_is_returned_with_the_default_names_merged_in(idp):
    pool_id, _ = make_pool(idp, AcrConfiguration={"Level2": {"AcrValue": "urn:bank:2"}})
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["AcrConfiguration"] == {
        "Level1": {"AcrValue": LOA[1]},
        "Level2": {"AcrValue": "urn:bank:2"},
        "Level3": {"AcrValue": LOA[3]},
        "Level4": {"AcrValue": LOA[4]},
    }
    # UpdateUserPool resets what it leaves out.
    idp.update_user_pool(UserPoolId=pool_id)
    assert "AcrConfiguration" not in idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]


def test_acr_names_must_be_unique_including_the_defaults(idp):
    code, message = raised(
        lambda: idp.create_user_pool(PoolName="p", AcrConfiguration={"Level2": {"AcrValue": LOA[3]}})
    )
    assert code == "InvalidParameterException"
    assert LOA[3] in message


def test_acr_configuration_needs_essentials_or_plus(idp):
    code, _ = raised(
        lambda: idp.create_user_pool(
            PoolName="p", UserPoolTier="LITE", AcrConfiguration={"Level1": {"AcrValue": "urn:x:1"}}
        )
    )
    assert code == "FeatureUnavailableInTierException"


# -- TARGET_ACR_VALUES ------------------------------------------------------------------------------------


def test_no_target_no_acr_or_amr_claims(idp):
    _, client_id = make_pool(idp)
    result = start_user_auth(idp, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert acr_amr(result) == [(None, None), (None, None)]


def test_password_reaches_level_one(idp):
    _, client_id = make_pool(idp)
    result = start_user_auth(
        idp, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD, TARGET_ACR_VALUES=LOA[1]
    )
    assert acr_amr(result) == [(LOA[1], ["pwd"])] * 2


def test_level_four_asks_for_the_authenticator_app_and_refresh_keeps_the_claims(idp, emulator):
    _, client_id = make_pool(idp)
    secret = add_totp(emulator, idp, client_id)
    challenge = start_user_auth(idp, client_id, TARGET_ACR_VALUES=f"{LOA[4]} {LOA[1]}")
    # Only the first factors that can lead to level 4.
    assert challenge["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    totp = answer_challenge(idp, client_id, challenge, ANSWER="PASSWORD", PASSWORD=PASSWORD)
    assert totp["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    result = answer_challenge(idp, client_id, totp, SOFTWARE_TOKEN_MFA_CODE=emulator.totp_code(secret))
    assert acr_amr(result) == [(LOA[4], ["pwd", "otp", "mfa"])] * 2
    refreshed = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": result["AuthenticationResult"]["RefreshToken"]},
    )
    assert acr_amr(refreshed) == [(LOA[4], ["pwd", "otp", "mfa"])] * 2


def test_level_three_by_password_and_email_code(idp, emulator):
    _, client_id = make_pool(idp)
    challenge = start_user_auth(
        idp, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD, TARGET_ACR_VALUES=LOA[3]
    )
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    result = answer_challenge(idp, client_id, challenge, EMAIL_OTP_CODE=emulator.outbox.last_code("alice"))
    assert acr_amr(result) == [(LOA[3], ["pwd", "email_otp", "mfa"])] * 2


def test_level_two_by_a_one_time_code(idp, emulator):
    _, client_id = make_pool(idp)
    challenge = start_user_auth(idp, client_id, PREFERRED_CHALLENGE="EMAIL_OTP", TARGET_ACR_VALUES=LOA[2])
    result = answer_challenge(idp, client_id, challenge, EMAIL_OTP_CODE=emulator.outbox.last_code("alice"))
    assert acr_amr(result) == [(LOA[2], ["email_otp"])] * 2


def test_falls_back_to_a_level_the_user_can_reach(idp):
    _, client_id = make_pool(idp)
    # No authenticator app: level 4 is out of reach, level 1 is next in the list.
    result = start_user_auth(
        idp,
        client_id,
        PREFERRED_CHALLENGE="PASSWORD",
        PASSWORD=PASSWORD,
        TARGET_ACR_VALUES=f"{LOA[4]} {LOA[1]}",
    )
    assert acr_amr(result)[0] == (LOA[1], ["pwd"])


def test_custom_level_names(idp):
    _, client_id = make_pool(idp, AcrConfiguration={"Level1": {"AcrValue": "urn:bank:low"}})
    result = start_user_auth(
        idp, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD, TARGET_ACR_VALUES="urn:bank:low"
    )
    assert acr_amr(result)[0] == ("urn:bank:low", ["pwd"])
    # The default name of a renamed level names nothing any more.
    assert (
        raised(lambda: start_user_auth(idp, client_id, TARGET_ACR_VALUES=LOA[1]))[0]
        == "InvalidParameterException"
    )


@pytest.mark.parametrize(
    "params",
    [
        {"TARGET_ACR_VALUES": "urn:unknown urn:other"},
        {"TARGET_ACR_VALUES": LOA[4]},  # alice has no authenticator app
        {"ACCESS_TOKEN": "token-without-a-target"},
        {"TARGET_ACR_VALUES": LOA[1], "MAX_AGE": "-1"},
    ],
)
def test_bad_step_up_requests(idp, params):
    _, client_id = make_pool(idp)
    assert raised(lambda: start_user_auth(idp, client_id, **params))[0] == "InvalidParameterException"


def test_step_up_needs_essentials_or_plus(idp):
    _, client_id = make_pool(idp, tier="LITE")
    assert (
        raised(lambda: start_user_auth(idp, client_id, TARGET_ACR_VALUES=LOA[1]))[0]
        == "FeatureUnavailableInTierException"
    )


# -- ACCESS_TOKEN ----------------------------------------------------------------------------------------


def test_access_token_is_stepped_up_by_the_missing_factor_only(idp, emulator):
    _, client_id = make_pool(idp)
    secret = add_totp(emulator, idp, client_id)
    token = password_tokens(idp, client_id)["AccessToken"]
    challenge = start_user_auth(idp, client_id, ACCESS_TOKEN=token, TARGET_ACR_VALUES=LOA[4], MAX_AGE="300")
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    result = answer_challenge(idp, client_id, challenge, SOFTWARE_TOKEN_MFA_CODE=emulator.totp_code(secret))
    assert acr_amr(result) == [(LOA[4], ["pwd", "otp", "mfa"])] * 2
    assert result["AuthenticationResult"]["RefreshToken"]
    # A token that already meets the level is refused rather than refreshed.
    stepped = result["AuthenticationResult"]["AccessToken"]
    assert raised(lambda: start_user_auth(idp, client_id, ACCESS_TOKEN=stepped, TARGET_ACR_VALUES=LOA[4]))[
        0
    ] == ("InvalidParameterException")


def test_access_token_older_than_max_age_signs_in_from_scratch(idp, emulator):
    _, client_id = make_pool(idp)
    add_totp(emulator, idp, client_id)
    token = password_tokens(idp, client_id)["AccessToken"]
    emulator.clock.advance(120)
    challenge = start_user_auth(idp, client_id, ACCESS_TOKEN=token, TARGET_ACR_VALUES=LOA[4], MAX_AGE="60")
    assert challenge["ChallengeName"] == "SELECT_CHALLENGE"


def test_access_token_of_another_user_is_refused(idp):
    pool_id, client_id = make_pool(idp)
    idp.admin_create_user(UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool_id, Username="bob", Password=PASSWORD, Permanent=True)
    bob = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "bob", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    assert raised(lambda: start_user_auth(idp, client_id, ACCESS_TOKEN=bob, TARGET_ACR_VALUES=LOA[3]))[0] == (
        "NotAuthorizedException"
    )


def test_mfa_setup_keeps_the_step_up_through_the_software_token_calls(idp, emulator):
    """MFA is a floor: a pool that requires it sets up an authenticator app even for level 1, and the
    Session of AssociateSoftwareToken / VerifySoftwareToken carries the sign-in's target to its tokens."""
    pool_id, client_id = make_pool(idp)
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    setup = start_user_auth(
        idp, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD, TARGET_ACR_VALUES=LOA[1]
    )
    assert setup["ChallengeName"] == "MFA_SETUP"
    associated = idp.associate_software_token(Session=setup["Session"])
    verified = idp.verify_software_token(
        Session=associated["Session"], UserCode=emulator.totp_code(associated["SecretCode"])
    )
    result = answer_challenge(idp, client_id, {"ChallengeName": "MFA_SETUP", "Session": verified["Session"]})
    assert acr_amr(result) == [(LOA[4], ["pwd", "otp", "mfa"])] * 2
