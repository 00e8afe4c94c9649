"""CUSTOM_AUTH driven by DefineAuthChallenge / CreateAuthChallenge / VerifyAuthChallengeResponse (boto3)."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP, long_to_hex
from trigger_support import arn, handler

from cognito_emu.triggers import invokers
from cognito_emu.triggers.registry import TriggerRegistry

PASSWORD = "Correct-horse-1"
FLOWS = ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
LAMBDA_CONFIG = {
    "DefineAuthChallenge": arn("auth-define"),
    "CreateAuthChallenge": arn("auth-create"),
    "VerifyAuthChallengeResponse": arn("auth-verify"),
}


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def otp(triggers: TriggerRegistry) -> list[dict[str, Any]]:
    """The OTP handlers wired to the three ARNs; the list of events they saw (emptied first)."""
    for function in ("define", "create", "verify"):
        triggers.register(arn(f"auth-{function}"), handler("auth_otp.py", function))
    module = triggers.loader.function(invokers.parse_target(handler("auth_otp.py", "define"))).__globals__
    module["SEEN"].clear()
    return module["SEEN"]


def setup(idp: Any, flows: list[str] = FLOWS, **client: Any) -> tuple[str, str]:
    pool_id = idp.create_user_pool(PoolName="custom", LambdaConfig=LAMBDA_CONFIG)["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=flows, **client
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="alice",
        TemporaryPassword=PASSWORD,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True)
    return pool_id, client_id


def answer(idp: Any, client_id: str, challenge: dict[str, Any], text: str, **extra: Any) -> dict[str, Any]:
    return idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "ANSWER": text},
        **extra,
    )


def start(idp: Any, client_id: str, **params: str) -> dict[str, Any]:
    return idp.initiate_auth(
        ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "alice", **params}
    )


def test_otp_end_to_end(idp: Any, otp: list[dict[str, Any]]) -> None:
    pool_id, client_id = setup(idp)
    challenge = start(idp, client_id)
    assert challenge["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert challenge["ChallengeParameters"] == {
        "hint": "the code we sent",
        "attempt": "1",
        "USERNAME": "alice",
    }
    assert "answer" not in str(challenge)  # private parameters stay on the server

    define, create = otp[0], otp[1]
    assert define["triggerSource"] == "DefineAuthChallenge_Authentication"
    assert define["request"]["session"] == []
    assert define["request"]["userAttributes"]["email"] == "alice@example.com"
    # userNotFound goes only to clients that prevent user existence errors; this one is LEGACY.
    assert "userNotFound" not in define["request"]
    assert "clientMetadata" not in define["request"]
    assert create["triggerSource"] == "CreateAuthChallenge_Authentication"
    assert create["request"]["challengeName"] == "CUSTOM_CHALLENGE"

    result = answer(idp, client_id, challenge, "123456", ClientMetadata={"device": "phone"})
    tokens = result["AuthenticationResult"]
    assert jwt.decode(tokens["AccessToken"], options={"verify_signature": False})["username"] == "alice"
    assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "alice"

    verify, define_again = otp[2], otp[3]
    assert verify["triggerSource"] == "VerifyAuthChallengeResponse_Authentication"
    assert verify["request"]["privateChallengeParameters"] == {"answer": "123456"}
    assert verify["request"]["challengeAnswer"] == "123456"
    assert verify["request"]["clientMetadata"] == {"device": "phone"}
    assert define_again["request"]["session"] == [
        {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": True, "challengeMetadata": "OTP-1"}
    ]
    # Every event of the sign-in names the SDK of the calls (boto3's), as the other triggers do.
    assert all(event["callerContext"]["awsSdkVersion"].startswith("aws-sdk-boto3-") for event in otp)
    # The answered session is spent.
    with pytest.raises(ClientError) as excinfo:
        answer(idp, client_id, challenge, "123456")
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_wrong_answers_then_fail_after_three(idp: Any, otp: list[dict[str, Any]]) -> None:
    _, client_id = setup(idp)
    challenge = start(idp, client_id)
    for attempt in (2, 3):
        challenge = answer(idp, client_id, challenge, "000000")
        assert challenge["ChallengeName"] == "CUSTOM_CHALLENGE"
        assert challenge["ChallengeParameters"]["attempt"] == str(attempt)
    with pytest.raises(ClientError) as excinfo:
        answer(idp, client_id, challenge, "000000")
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    last_define = [e for e in otp if e["triggerSource"].startswith("Define")][-1]
    assert [item["challengeResult"] for item in last_define["request"]["session"]] == [False, False, False]
    assert [item["challengeMetadata"] for item in last_define["request"]["session"]] == [
        "OTP-1",
        "OTP-2",
        "OTP-3",
    ]


def test_right_answer_on_second_attempt(idp: Any, otp: list[dict[str, Any]]) -> None:
    _, client_id = setup(idp)
    challenge = answer(idp, client_id, start(idp, client_id), "nope")
    result = answer(idp, client_id, challenge, "123457")  # the second attempt's code
    assert "AccessToken" in result["AuthenticationResult"]


def test_srp_then_custom_challenge(idp: Any, otp: list[dict[str, Any]]) -> None:
    pool_id, client_id = setup(idp)
    srp = AWSSRP(username="alice", password=PASSWORD, pool_id=pool_id, client_id=client_id, client=idp)
    challenge = start(idp, client_id, CHALLENGE_NAME="SRP_A", SRP_A=long_to_hex(srp.large_a_value))
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    assert otp[0]["request"]["session"] == [{"challengeName": "SRP_A", "challengeResult": True}]
    responses = srp.process_challenge(challenge["ChallengeParameters"], {"USERNAME": "alice"})
    custom = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="PASSWORD_VERIFIER",
        Session=challenge["Session"],
        ChallengeResponses=responses,
    )
    assert custom["ChallengeName"] == "CUSTOM_CHALLENGE"
    defines = [e for e in otp if e["triggerSource"].startswith("Define")]
    assert defines[-1]["request"]["session"] == [
        {"challengeName": "SRP_A", "challengeResult": True},
        {"challengeName": "PASSWORD_VERIFIER", "challengeResult": True},
    ]
    result = answer(idp, client_id, custom, "123456")
    assert "IdToken" in result["AuthenticationResult"]


def test_srp_then_custom_with_wrong_password(idp: Any, otp: list[dict[str, Any]]) -> None:
    pool_id, client_id = setup(idp)
    srp = AWSSRP(username="alice", password="Wrong-horse-9", pool_id=pool_id, client_id=client_id, client=idp)
    challenge = start(idp, client_id, CHALLENGE_NAME="SRP_A", SRP_A=long_to_hex(srp.large_a_value))
    responses = srp.process_challenge(challenge["ChallengeParameters"], {"USERNAME": "alice"})
    with pytest.raises(ClientError) as excinfo:
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="PASSWORD_VERIFIER",
            Session=challenge["Session"],
            ChallengeResponses=responses,
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    defines = [e for e in otp if e["triggerSource"].startswith("Define")]
    assert defines[-1]["request"]["session"][-1] == {
        "challengeName": "PASSWORD_VERIFIER",
        "challengeResult": False,
    }


def test_admin_initiate_and_respond(idp: Any, otp: list[dict[str, Any]]) -> None:
    pool_id, client_id = setup(idp)
    challenge = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="CUSTOM_AUTH",
        AuthParameters={"USERNAME": "alice"},
    )
    result = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client_id,
        ChallengeName="CUSTOM_CHALLENGE",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "ANSWER": "123456"},
    )
    assert "AccessToken" in result["AuthenticationResult"]


def test_unknown_user_gets_triggers_but_no_tokens(idp: Any, otp: list[dict[str, Any]]) -> None:
    _, client_id = setup(idp, PreventUserExistenceErrors="ENABLED")
    challenge = idp.initiate_auth(
        ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "nobody"}
    )
    assert challenge["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert otp[0]["request"]["userNotFound"] is True
    assert otp[0]["request"]["userAttributes"] == {}
    with pytest.raises(ClientError) as excinfo:
        idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="CUSTOM_CHALLENGE",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": "nobody", "ANSWER": "123456"},
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_client_must_allow_custom_auth(idp: Any, otp: list[dict[str, Any]]) -> None:
    _, client_id = setup(idp, flows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    with pytest.raises(ClientError) as excinfo:
        start(idp, client_id)
    assert error_of(excinfo) == ("InvalidParameterException", "CUSTOM_AUTH flow not enabled for this client")
    assert otp == []


def test_define_that_never_ends_is_stopped(idp: Any, triggers: TriggerRegistry) -> None:
    def define(event: dict[str, Any], context: Any) -> dict[str, Any]:
        event["response"] = {
            "challengeName": "CUSTOM_CHALLENGE",
            "issueTokens": False,
            "failAuthentication": False,
        }
        return event

    def create(event: dict[str, Any], context: Any) -> dict[str, Any]:
        event["response"] = {"publicChallengeParameters": {}, "privateChallengeParameters": {}}
        return event

    def verify(event: dict[str, Any], context: Any) -> dict[str, Any]:
        event["response"] = {"answerCorrect": True}
        return event

    for name, target in (("define", define), ("create", create), ("verify", verify)):
        triggers.register(arn(f"auth-{name}"), target)
    _, client_id = setup(idp)
    challenge = start(idp, client_id)
    with pytest.raises(ClientError) as excinfo:
        for _ in range(20):
            challenge = answer(idp, client_id, challenge, "x")
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_define_failure_is_user_lambda_validation(idp: Any, triggers: TriggerRegistry) -> None:
    def define(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise ValueError("blocked")

    triggers.register(arn("auth-define"), define)
    _, client_id = setup(idp)
    with pytest.raises(ClientError) as excinfo:
        start(idp, client_id)
    code, message = error_of(excinfo)
    assert code == "UserLambdaValidationException"
    assert "blocked" in message
