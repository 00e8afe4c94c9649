"""pycognito, a real SRP client, against the emulator: AWSSRP and the Cognito facade.

pycognito answers PASSWORD_VERIFIER without a Session (the SECRET_BLOCK names it), computes
SECRET_HASH over the internal username, and verifies tokens against ``<endpoint>/<pool>/.well-known/jwks.json``.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.aws_srp import AWSSRP, ForceChangePasswordException

PASSWORD = "Passw0rd!"
FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"]


def make_client(idp: Any, pool_id: str, **settings: Any) -> dict[str, Any]:
    return idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=FLOWS, **settings
    )["UserPoolClient"]


def make_user(idp: Any, pool_id: str, username: str = "alice", *, permanent: bool = True) -> None:
    idp.admin_create_user(
        UserPoolId=pool_id, Username=username, TemporaryPassword="Temp0rary!", MessageAction="SUPPRESS"
    )
    if permanent:
        idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True)


def srp(idp: Any, pool_id: str, client: dict[str, Any], username: str = "alice", password: str = PASSWORD):
    return AWSSRP(
        username=username,
        password=password,
        pool_id=pool_id,
        client_id=client["ClientId"],
        client=idp,
        client_secret=client.get("ClientSecret"),
    )


def test_right_password(idp, pool_id):
    client = make_client(idp, pool_id)
    make_user(idp, pool_id)
    tokens = srp(idp, pool_id, client).authenticate_user()
    result = tokens["AuthenticationResult"]
    assert result["AccessToken"] and result["IdToken"] and result["RefreshToken"]


def test_wrong_password(idp, pool_id):
    client = make_client(idp, pool_id)
    make_user(idp, pool_id)
    with pytest.raises(ClientError) as excinfo:
        srp(idp, pool_id, client, password="Wr0ngPassword!").authenticate_user()
    error = excinfo.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("NotAuthorizedException", "Incorrect username or password.")


def test_unknown_user_fails_like_a_wrong_password(idp, pool_id):
    client = make_client(idp, pool_id, PreventUserExistenceErrors="ENABLED")
    with pytest.raises(ClientError) as excinfo:
        srp(idp, pool_id, client, username="nobody").authenticate_user()
    error = excinfo.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("NotAuthorizedException", "Incorrect username or password.")


def test_client_with_secret(idp, pool_id):
    client = make_client(idp, pool_id, GenerateSecret=True)
    make_user(idp, pool_id)
    tokens = srp(idp, pool_id, client).authenticate_user()
    assert "AuthenticationResult" in tokens
    wrong = dict(client, ClientSecret="x" * 51)
    with pytest.raises(ClientError) as excinfo:
        srp(idp, pool_id, wrong).authenticate_user()
    assert excinfo.value.response["Error"]["Code"] == "NotAuthorizedException"


def test_email_username_pool(idp):
    pool_id = idp.create_user_pool(PoolName="p", UsernameAttributes=["email"])["UserPool"]["Id"]
    client = make_client(idp, pool_id)
    make_user(idp, pool_id, "alice@example.com")
    tokens = srp(idp, pool_id, client, username="alice@example.com").authenticate_user()
    assert "AuthenticationResult" in tokens


def test_new_password_challenge(idp, pool_id):
    client = make_client(idp, pool_id)
    make_user(idp, pool_id, permanent=False)
    aws = srp(idp, pool_id, client, password="Temp0rary!")
    with pytest.raises(ForceChangePasswordException):
        aws.authenticate_user()
    tokens = srp(idp, pool_id, client, password="Temp0rary!").set_new_password_challenge("N3wPassw0rd!")
    assert "AuthenticationResult" in tokens
    assert idp.admin_get_user(UserPoolId=pool_id, Username="alice")["UserStatus"] == "CONFIRMED"
    assert "AuthenticationResult" in srp(idp, pool_id, client, password="N3wPassw0rd!").authenticate_user()


def test_cognito_facade_authenticates_verifies_and_renews(idp, pool_id, emulator):
    client = make_client(idp, pool_id)
    make_user(idp, pool_id)
    user = Cognito(
        pool_id,
        client["ClientId"],
        username="alice",
        boto3_client_kwargs={
            "endpoint_url": emulator.endpoint_url,
            "aws_access_key_id": "testing",
            "aws_secret_access_key": "testing",
        },
    )
    # pycognito verifies both tokens against <endpoint_url>/<poolId>/.well-known/jwks.json.
    user.authenticate(password=PASSWORD)
    user.verify_tokens()
    assert user.access_claims["username"] == "alice"
    first = user.access_token
    emulator.clock.advance(5)
    user.renew_access_token()
    assert user.access_token != first
