"""USER_SRP_AUTH through boto3, with pycognito's AWSSRP doing the client-side arithmetic: the
PASSWORD_VERIFIER challenge's shape, answers with and without Session, the admin endpoint, expiry,
tampering, aliases, lockout."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP, long_to_hex

from tests.api.support import PASSWORD, TEMPORARY_PASSWORD, answer_new_password, error_of, make_user

FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"]


@pytest.fixture
def client(idp: Any, pool_id: str) -> dict[str, Any]:
    return idp.create_user_pool_client(UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=FLOWS)[
        "UserPoolClient"
    ]


class Exchange:
    """One SRP sign-in driven by hand."""

    def __init__(self, idp: Any, pool_id: str, client_id: str, username: str, password: str = PASSWORD):
        self.idp, self.pool_id, self.client_id = idp, pool_id, client_id
        self.srp = AWSSRP(
            username=username, password=password, pool_id=pool_id, client_id=client_id, client=idp
        )
        self.username = username

    def start(self, admin: bool = False) -> dict[str, Any]:
        params = {"USERNAME": self.username, "SRP_A": long_to_hex(self.srp.large_a_value)}
        if admin:
            return self.idp.admin_initiate_auth(
                UserPoolId=self.pool_id,
                ClientId=self.client_id,
                AuthFlow="USER_SRP_AUTH",
                AuthParameters=params,
            )
        return self.idp.initiate_auth(
            ClientId=self.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=params
        )

    def answer(self, challenge: dict[str, Any]) -> dict[str, str]:
        return self.srp.process_challenge(challenge["ChallengeParameters"], {"USERNAME": self.username})

    def respond(self, responses: dict[str, str], session: str | None = None, admin: bool = False):
        extra = {"Session": session} if session else {}
        if admin:
            return self.idp.admin_respond_to_auth_challenge(
                UserPoolId=self.pool_id,
                ClientId=self.client_id,
                ChallengeName="PASSWORD_VERIFIER",
                ChallengeResponses=responses,
                **extra,
            )
        return self.idp.respond_to_auth_challenge(
            ClientId=self.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=responses, **extra
        )


def test_challenge_parameters(idp, pool_id, client):
    make_user(idp, pool_id)
    challenge = Exchange(idp, pool_id, client["ClientId"], "alice").start()
    assert challenge["ChallengeName"] == "PASSWORD_VERIFIER"
    parameters = challenge["ChallengeParameters"]
    assert set(parameters) == {"SALT", "SRP_B", "SECRET_BLOCK", "USERNAME", "USER_ID_FOR_SRP"}
    assert parameters["USERNAME"] == parameters["USER_ID_FOR_SRP"] == "alice"
    int(parameters["SRP_B"], 16)
    int(parameters["SALT"], 16)
    base64.b64decode(parameters["SECRET_BLOCK"], validate=True)
    assert len(challenge["Session"]) >= 20


def test_answer_with_session(idp, pool_id, client):
    make_user(idp, pool_id)
    exchange = Exchange(idp, pool_id, client["ClientId"], "alice")
    challenge = exchange.start()
    result = exchange.respond(exchange.answer(challenge), session=challenge["Session"])
    assert result["AuthenticationResult"]["RefreshToken"]


def test_admin_srp(idp, pool_id, client):
    make_user(idp, pool_id)
    exchange = Exchange(idp, pool_id, client["ClientId"], "alice")
    challenge = exchange.start(admin=True)
    result = exchange.respond(exchange.answer(challenge), session=challenge["Session"], admin=True)
    assert "AuthenticationResult" in result


def test_user_id_for_srp_is_the_internal_username(idp):
    pool_id = idp.create_user_pool(PoolName="p", AliasAttributes=["preferred_username"])["UserPool"]["Id"]
    client = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=FLOWS)
    client_id = client["UserPoolClient"]["ClientId"]
    make_user(idp, pool_id, "alice", preferred_username="ally")
    exchange = Exchange(idp, pool_id, client_id, "ally")
    challenge = exchange.start()
    assert challenge["ChallengeParameters"]["USER_ID_FOR_SRP"] == "alice"
    assert "AuthenticationResult" in exchange.respond(exchange.answer(challenge))


def test_answer_is_one_use(idp, pool_id, client):
    make_user(idp, pool_id)
    exchange = Exchange(idp, pool_id, client["ClientId"], "alice")
    challenge = exchange.start()
    responses = exchange.answer(challenge)
    exchange.respond(responses)
    with pytest.raises(ClientError) as excinfo:
        exchange.respond(responses)
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    )


def test_tampered_secret_block(idp, pool_id, client):
    make_user(idp, pool_id)
    exchange = Exchange(idp, pool_id, client["ClientId"], "alice")
    challenge = exchange.start()
    responses = exchange.answer(challenge)
    raw = base64.b64decode(responses["PASSWORD_CLAIM_SECRET_BLOCK"])
    responses["PASSWORD_CLAIM_SECRET_BLOCK"] = base64.b64encode(raw[:-1] + bytes([raw[-1] ^ 1])).decode()
    with pytest.raises(ClientError) as excinfo:
        exchange.respond(responses, session=challenge["Session"])
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    with pytest.raises(ClientError) as excinfo:
        exchange.respond({**responses, "PASSWORD_CLAIM_SECRET_BLOCK": "bm90LWEtYmxvY2s="})
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid session for the user.")


def test_bad_timestamp_and_signature(idp, pool_id, client):
    make_user(idp, pool_id)
    exchange = Exchange(idp, pool_id, client["ClientId"], "alice")
    challenge = exchange.start()
    responses = exchange.answer(challenge)
    with pytest.raises(ClientError) as excinfo:
        exchange.respond({**responses, "PASSWORD_CLAIM_SIGNATURE": base64.b64encode(b"x" * 32).decode()})
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_missing_challenge_responses(idp, pool_id, client):
    make_user(idp, pool_id)
    exchange = Exchange(idp, pool_id, client["ClientId"], "alice")
    challenge = exchange.start()
    responses = exchange.answer(challenge)
    del responses["TIMESTAMP"]
    with pytest.raises(ClientError) as excinfo:
        exchange.respond(responses, session=challenge["Session"])
    assert error_of(excinfo) == ("InvalidParameterException", "Missing required parameter TIMESTAMP")


def test_challenge_expires(idp, pool_id, client, emulator):
    make_user(idp, pool_id)
    exchange = Exchange(idp, pool_id, client["ClientId"], "alice")
    challenge = exchange.start()
    emulator.clock.advance(181)
    with pytest.raises(ClientError) as excinfo:
        exchange.respond(exchange.answer(challenge))
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    )


def test_wrong_challenge_name(idp, pool_id, client):
    make_user(idp, pool_id)
    challenge = Exchange(idp, pool_id, client["ClientId"], "alice").start()
    with pytest.raises(ClientError) as excinfo:
        answer_new_password(idp, client["ClientId"], challenge, "alice", "N3wPassw0rd!")
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_unknown_user(idp, pool_id):
    # Hidden with PreventUserExistenceErrors ENABLED: a decoy challenge whose answer fails like a wrong
    # password.
    prevented = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="prevented",
        ExplicitAuthFlows=FLOWS,
        PreventUserExistenceErrors="ENABLED",
    )["UserPoolClient"]
    exchange = Exchange(idp, pool_id, prevented["ClientId"], "nobody")
    challenge = exchange.start()
    assert challenge["ChallengeParameters"]["USER_ID_FOR_SRP"] == "nobody"
    with pytest.raises(ClientError) as excinfo:
        exchange.respond(exchange.answer(challenge))
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    legacy = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="legacy", ExplicitAuthFlows=FLOWS, PreventUserExistenceErrors="LEGACY"
    )["UserPoolClient"]
    with pytest.raises(ClientError) as excinfo:
        Exchange(idp, pool_id, legacy["ClientId"], "nobody").start()
    assert error_of(excinfo) == ("UserNotFoundException", "User does not exist.")


def test_disabled_user(idp, pool_id, client):
    make_user(idp, pool_id)
    idp.admin_disable_user(UserPoolId=pool_id, Username="alice")
    with pytest.raises(ClientError) as excinfo:
        Exchange(idp, pool_id, client["ClientId"], "alice").start()
    assert error_of(excinfo) == ("NotAuthorizedException", "User is disabled.")


def test_invalid_srp_a(idp, pool_id, client):
    make_user(idp, pool_id)
    with pytest.raises(ClientError) as excinfo:
        idp.initiate_auth(
            ClientId=client["ClientId"],
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": "alice", "SRP_A": "0"},
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_new_password_required_after_srp(idp, pool_id, client):
    make_user(idp, pool_id, password=None)
    exchange = Exchange(idp, pool_id, client["ClientId"], "alice", password=TEMPORARY_PASSWORD)
    challenge = exchange.start()
    answer = exchange.respond(exchange.answer(challenge), session=challenge["Session"])
    assert answer["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert answer["Session"] != challenge["Session"]
    result = answer_new_password(idp, client["ClientId"], answer, "alice", "N3wPassw0rd!")
    assert "AuthenticationResult" in result


def test_lockout_counts_srp_failures(idp, pool_id, client, emulator):
    make_user(idp, pool_id)
    emulator.clock.freeze()
    for _ in range(5):
        exchange = Exchange(idp, pool_id, client["ClientId"], "alice", password="Wr0ngPassword!")
        with pytest.raises(ClientError):
            exchange.respond(exchange.answer(exchange.start()))
    exchange = Exchange(idp, pool_id, client["ClientId"], "alice")
    challenge = exchange.start()
    with pytest.raises(ClientError) as excinfo:
        exchange.respond(exchange.answer(challenge))
    assert error_of(excinfo) == ("NotAuthorizedException", "Password attempts exceeded")
    emulator.clock.advance(1)
    exchange = Exchange(idp, pool_id, client["ClientId"], "alice")
    assert "AuthenticationResult" in exchange.respond(exchange.answer(exchange.start()))


def test_unconfirmed_user_hears_so_even_with_a_wrong_password(idp, pool_id, client):
    idp.sign_up(ClientId=client["ClientId"], Username="bob", Password=PASSWORD)
    for password in (PASSWORD, "Wr0ng-pass!"):
        srp = AWSSRP(
            username="bob", password=password, pool_id=pool_id, client_id=client["ClientId"], client=idp
        )
        assert error_of(srp.authenticate_user) == ("UserNotConfirmedException", "User is not confirmed.")
