"""InitiateAuth / AdminInitiateAuth / (Admin)RespondToAuthChallenge through boto3: every flow, the
NEW_PASSWORD_REQUIRED challenge, sessions, lockout and Cognito's errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.api.support import (
    NEW_PASSWORD,
    PASSWORD,
    TEMPORARY_PASSWORD,
    answer_new_password,
    claims,
    error_of,
    make_user,
    password_sign_in,
    secret_hash,
)

ALL_FLOWS = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
]


def make_client(idp: Any, pool_id: str, **settings: Any) -> dict[str, Any]:
    settings.setdefault("ExplicitAuthFlows", ALL_FLOWS)
    return idp.create_user_pool_client(UserPoolId=pool_id, ClientName="app", **settings)["UserPoolClient"]


@pytest.fixture
def client(idp: Any, pool_id: str) -> dict[str, Any]:
    return make_client(idp, pool_id)


# -- password flows --------------------------------------------------------------------------------


def test_user_password_auth_returns_tokens(idp, pool_id, client):
    make_user(idp, pool_id, email="alice@example.com")
    answer = password_sign_in(idp, client["ClientId"], ClientMetadata="x")
    result = answer["AuthenticationResult"]
    assert result["TokenType"] == "Bearer"
    assert result["ExpiresIn"] == 3600
    assert result["RefreshToken"]
    assert "ChallengeName" not in answer
    assert claims(result["AccessToken"])["username"] == "alice"
    assert claims(result["IdToken"])["cognito:username"] == "alice"


def test_client_metadata_is_accepted(idp, pool_id, client):
    make_user(idp, pool_id)
    answer = idp.initiate_auth(
        ClientId=client["ClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
        ClientMetadata={"source": "test"},
    )
    assert "AuthenticationResult" in answer


@pytest.mark.parametrize("flow", ["ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"])
def test_admin_password_flows(idp, pool_id, client, flow):
    make_user(idp, pool_id)
    answer = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client["ClientId"],
        AuthFlow=flow,
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )
    assert answer["AuthenticationResult"]["AccessToken"]


def test_wrong_password(idp, pool_id, client):
    make_user(idp, pool_id)
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, client["ClientId"], password="Wr0ngPassword!")
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_unknown_user_hidden_when_existence_errors_are_prevented(idp, pool_id):
    prevented = make_client(idp, pool_id, PreventUserExistenceErrors="ENABLED")
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, prevented["ClientId"], username="nobody")
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_unknown_user_reported_by_default(idp, pool_id, client):
    """A client made through the API is LEGACY unless told otherwise (CreateUserPoolClient reference)."""
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, client["ClientId"], username="nobody")
    assert error_of(excinfo) == ("UserNotFoundException", "User does not exist.")


def test_disabled_user(idp, pool_id, client):
    make_user(idp, pool_id)
    idp.admin_disable_user(UserPoolId=pool_id, Username="alice")
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, client["ClientId"])
    assert error_of(excinfo) == ("NotAuthorizedException", "User is disabled.")


def test_unconfirmed_user_after_sign_up(idp, pool_id, client):
    idp.sign_up(ClientId=client["ClientId"], Username="bob", Password=PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, client["ClientId"], username="bob")
    assert error_of(excinfo) == ("UserNotConfirmedException", "User is not confirmed.")
    # Even with a wrong password, as Cognito answers (so an app can send the user on to confirm).
    unconfirmed = ("UserNotConfirmedException", "User is not confirmed.")
    assert (
        error_of(password_sign_in, idp, client["ClientId"], username="bob", password="Wr0ng-pass!")
        == unconfirmed
    )


def test_reset_required(idp, pool_id, client):
    make_user(idp, pool_id, email="alice@example.com", email_verified="true")
    idp.admin_reset_user_password(UserPoolId=pool_id, Username="alice")
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, client["ClientId"])
    assert error_of(excinfo) == ("PasswordResetRequiredException", "Password reset required for the user")


def test_missing_parameters(idp, pool_id, client):
    with pytest.raises(ClientError) as excinfo:
        idp.initiate_auth(
            ClientId=client["ClientId"], AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"PASSWORD": "x"}
        )
    assert error_of(excinfo) == ("InvalidParameterException", "Missing required parameter USERNAME")
    with pytest.raises(ClientError) as excinfo:
        idp.initiate_auth(
            ClientId=client["ClientId"], AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "alice"}
        )
    assert error_of(excinfo) == ("InvalidParameterException", "Missing required parameter PASSWORD")
    with pytest.raises(ClientError) as excinfo:
        idp.initiate_auth(
            ClientId=client["ClientId"], AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "a"}
        )
    assert error_of(excinfo) == ("InvalidParameterException", "Missing required parameter SRP_A")
    with pytest.raises(ClientError) as excinfo:
        idp.initiate_auth(ClientId=client["ClientId"], AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={})
    assert error_of(excinfo) == ("InvalidParameterException", "Missing required parameter REFRESH_TOKEN")


def test_unknown_client(idp):
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, "nosuchclient000000000000000")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


# -- which flows a client and an endpoint allow ----------------------------------------------------


def test_flows_not_enabled(idp, pool_id):
    srp_only = make_client(
        idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, srp_only["ClientId"])
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "USER_PASSWORD_AUTH flow not enabled for this client",
    )
    with pytest.raises(ClientError) as excinfo:
        idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=srp_only["ClientId"],
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
        )
    assert error_of(excinfo) == ("InvalidParameterException", "Auth flow not enabled for this client")
    password_only = make_client(
        idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )
    with pytest.raises(ClientError) as excinfo:
        idp.initiate_auth(
            ClientId=password_only["ClientId"],
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": "alice", "SRP_A": "abc"},
        )
    assert error_of(excinfo) == ("InvalidParameterException", "USER_SRP_AUTH is not enabled for the client.")


def test_legacy_explicit_auth_flows(idp, pool_id):
    legacy = make_client(idp, pool_id, ExplicitAuthFlows=["USER_PASSWORD_AUTH"])
    make_user(idp, pool_id)
    assert "AuthenticationResult" in password_sign_in(idp, legacy["ClientId"])


def test_flows_of_the_other_endpoint(idp, pool_id, client):
    make_user(idp, pool_id)
    with pytest.raises(ClientError) as excinfo:
        idp.initiate_auth(
            ClientId=client["ClientId"],
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
        )
    assert error_of(excinfo) == ("InvalidParameterException", "Initiate Auth method not supported.")
    with pytest.raises(ClientError) as excinfo:
        idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client["ClientId"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
        )
    assert error_of(excinfo) == ("InvalidParameterException", "Initiate Auth method not supported.")


def test_custom_auth_needs_a_define_auth_challenge_trigger(idp, pool_id):
    # CUSTOM_AUTH itself is tested in tests/triggers/test_custom_auth.py.
    custom = make_client(idp, pool_id, ExplicitAuthFlows=["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    with pytest.raises(ClientError) as excinfo:
        idp.initiate_auth(
            ClientId=custom["ClientId"], AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "a"}
        )
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "Custom auth lambda trigger is not configured for the user pool.",
    )


# -- client secrets --------------------------------------------------------------------------------


def test_secret_hash_required_and_checked(idp, pool_id):
    secret = make_client(idp, pool_id, GenerateSecret=True)
    make_user(idp, pool_id)
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, secret["ClientId"])
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        f"Client {secret['ClientId']} is configured with secret but SECRET_HASH was not received",
    )
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, secret["ClientId"], SECRET_HASH=secret_hash(secret, "bob"))
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        f"Unable to verify secret hash for client {secret['ClientId']}",
    )
    answer = password_sign_in(idp, secret["ClientId"], SECRET_HASH=secret_hash(secret, "alice"))
    assert "AuthenticationResult" in answer


def test_refresh_with_secret_uses_the_internal_username(idp):
    pool_id = idp.create_user_pool(PoolName="p", UsernameAttributes=["email"])["UserPool"]["Id"]
    secret = make_client(idp, pool_id, GenerateSecret=True)
    make_user(idp, pool_id, "carol@example.com")
    sub = idp.admin_get_user(UserPoolId=pool_id, Username="carol@example.com")["Username"]
    signed_in = password_sign_in(
        idp, secret["ClientId"], "carol@example.com", SECRET_HASH=secret_hash(secret, "carol@example.com")
    )
    refresh_token = signed_in["AuthenticationResult"]["RefreshToken"]
    with pytest.raises(ClientError) as excinfo:
        idp.initiate_auth(
            ClientId=secret["ClientId"],
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    answer = idp.initiate_auth(
        ClientId=secret["ClientId"],
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token, "SECRET_HASH": secret_hash(secret, sub)},
    )
    assert "RefreshToken" not in answer["AuthenticationResult"]
    assert claims(answer["AuthenticationResult"]["AccessToken"])["username"] == sub


# -- refresh ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("flow", ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"])
def test_refresh_token_auth(idp, pool_id, client, emulator, flow):
    make_user(idp, pool_id)
    first = password_sign_in(idp, client["ClientId"])["AuthenticationResult"]
    emulator.clock.advance(60)
    answer = idp.initiate_auth(
        ClientId=client["ClientId"],
        AuthFlow=flow,
        AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
    )
    result = answer["AuthenticationResult"]
    assert "RefreshToken" not in result
    assert result["AccessToken"] != first["AccessToken"]
    assert claims(result["AccessToken"])["auth_time"] == claims(first["AccessToken"])["auth_time"]


def test_admin_refresh(idp, pool_id, client):
    make_user(idp, pool_id)
    first = password_sign_in(idp, client["ClientId"])["AuthenticationResult"]
    answer = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client["ClientId"],
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
    )
    assert answer["AuthenticationResult"]["IdToken"]


def test_invalid_refresh_token(idp, pool_id, client):
    with pytest.raises(ClientError) as excinfo:
        idp.initiate_auth(
            ClientId=client["ClientId"],
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": "nope"},
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid Refresh Token")


# -- sign-in names ---------------------------------------------------------------------------------


def test_sign_in_with_email_as_username(idp):
    pool_id = idp.create_user_pool(PoolName="p", UsernameAttributes=["email"])["UserPool"]["Id"]
    client = make_client(idp, pool_id)
    make_user(idp, pool_id, "dave@example.com")
    result = password_sign_in(idp, client["ClientId"], "dave@example.com")["AuthenticationResult"]
    assert claims(result["IdToken"])["email"] == "dave@example.com"


def test_sign_in_with_verified_alias_only(idp):
    pool_id = idp.create_user_pool(PoolName="p", AliasAttributes=["email", "preferred_username"])["UserPool"][
        "Id"
    ]
    client = make_client(idp, pool_id, PreventUserExistenceErrors="ENABLED")
    make_user(idp, pool_id, "erin", email="erin@example.com", preferred_username="rin")
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, client["ClientId"], "erin@example.com")
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    assert "AuthenticationResult" in password_sign_in(idp, client["ClientId"], "rin")
    idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username="erin", UserAttributes=[{"Name": "email_verified", "Value": "true"}]
    )
    result = password_sign_in(idp, client["ClientId"], "erin@example.com")["AuthenticationResult"]
    assert claims(result["AccessToken"])["username"] == "erin"


def test_sub_is_not_a_sign_in_name(idp, pool_id, client):
    make_user(idp, pool_id)
    sub = claims(password_sign_in(idp, client["ClientId"])["AuthenticationResult"]["IdToken"])["sub"]
    with pytest.raises(ClientError):
        password_sign_in(idp, client["ClientId"], sub)


# -- NEW_PASSWORD_REQUIRED -------------------------------------------------------------------------


def test_new_password_required(idp, pool_id, client):
    make_user(idp, pool_id, password=None, email="alice@example.com")
    answer = password_sign_in(idp, client["ClientId"], password=TEMPORARY_PASSWORD)
    assert answer["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    parameters = answer["ChallengeParameters"]
    assert parameters["USER_ID_FOR_SRP"] == "alice"
    assert json.loads(parameters["requiredAttributes"]) == []
    assert json.loads(parameters["userAttributes"]) == {"email": "alice@example.com"}
    assert len(answer["Session"]) >= 20
    result = answer_new_password(idp, client["ClientId"], answer, "alice", NEW_PASSWORD)
    assert result["AuthenticationResult"]["AccessToken"]
    user = idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert user["UserStatus"] == "CONFIRMED"
    assert "AuthenticationResult" in password_sign_in(idp, client["ClientId"], password=NEW_PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        answer_new_password(idp, client["ClientId"], answer, "alice", NEW_PASSWORD)
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    )


def test_new_password_required_with_required_attributes(idp):
    pool_id = idp.create_user_pool(
        PoolName="p",
        Schema=[{"Name": "name", "AttributeDataType": "String", "Required": True, "Mutable": True}],
    )["UserPool"]["Id"]
    client = make_client(idp, pool_id)
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="frank",
        TemporaryPassword=TEMPORARY_PASSWORD,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "name", "Value": "Frank"}],
    )
    # Required attributes the user lacks appear only when missing; Frank has his name.
    answer = password_sign_in(idp, client["ClientId"], "frank", TEMPORARY_PASSWORD)
    assert json.loads(answer["ChallengeParameters"]["requiredAttributes"]) == []
    result = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool_id,
        ClientId=client["ClientId"],
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=answer["Session"],
        ChallengeResponses={
            "USERNAME": "frank",
            "NEW_PASSWORD": NEW_PASSWORD,
            "userAttributes.name": "Franky",
        },
    )
    assert "AuthenticationResult" in result
    user = idp.admin_get_user(UserPoolId=pool_id, Username="frank")
    assert {"Name": "name", "Value": "Franky"} in user["UserAttributes"]


def test_new_password_must_follow_policy(idp, pool_id, client):
    make_user(idp, pool_id, password=None)
    answer = password_sign_in(idp, client["ClientId"], password=TEMPORARY_PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        answer_new_password(idp, client["ClientId"], answer, "alice", "short")
    assert error_of(excinfo) == (
        "InvalidPasswordException",
        "Password did not conform with policy: Password not long enough",
    )
    with pytest.raises(ClientError) as excinfo:
        idp.respond_to_auth_challenge(
            ClientId=client["ClientId"],
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=answer["Session"],
            ChallengeResponses={"USERNAME": "alice"},
        )
    assert error_of(excinfo) == ("InvalidParameterException", "Missing required parameter NEW_PASSWORD")
    # The session survives a refused password.
    result = answer_new_password(idp, client["ClientId"], answer, "alice", NEW_PASSWORD)
    assert "AuthenticationResult" in result


def test_temporary_password_expired(idp, pool_id, client, emulator):
    make_user(idp, pool_id, password=None)
    emulator.clock.advance(8 * 86400)
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, client["ClientId"], password=TEMPORARY_PASSWORD)
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Temporary password has expired and must be reset by an administrator.",
    )


def test_new_password_with_secret(idp, pool_id):
    secret = make_client(idp, pool_id, GenerateSecret=True)
    make_user(idp, pool_id, password=None)
    answer = password_sign_in(
        idp, secret["ClientId"], password=TEMPORARY_PASSWORD, SECRET_HASH=secret_hash(secret, "alice")
    )
    with pytest.raises(ClientError) as excinfo:
        answer_new_password(idp, secret["ClientId"], answer, "alice", NEW_PASSWORD)
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    result = idp.respond_to_auth_challenge(
        ClientId=secret["ClientId"],
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=answer["Session"],
        ChallengeResponses={
            "USERNAME": "alice",
            "NEW_PASSWORD": NEW_PASSWORD,
            "SECRET_HASH": secret_hash(secret, "alice"),
        },
    )
    assert "AuthenticationResult" in result


# -- sessions --------------------------------------------------------------------------------------


def test_session_expires(idp, pool_id, client, emulator):
    make_user(idp, pool_id, password=None)
    answer = password_sign_in(idp, client["ClientId"], password=TEMPORARY_PASSWORD)
    emulator.clock.advance(3 * 60 + 1)
    with pytest.raises(ClientError) as excinfo:
        answer_new_password(idp, client["ClientId"], answer, "alice", NEW_PASSWORD)
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    )


def test_session_validity_follows_the_client(idp, pool_id, emulator):
    client = make_client(idp, pool_id, AuthSessionValidity=10)
    make_user(idp, pool_id, password=None)
    answer = password_sign_in(idp, client["ClientId"], password=TEMPORARY_PASSWORD)
    emulator.clock.advance(9 * 60)
    result = answer_new_password(idp, client["ClientId"], answer, "alice", NEW_PASSWORD)
    assert "AuthenticationResult" in result


def test_unknown_session_and_wrong_client(idp, pool_id, client):
    make_user(idp, pool_id, password=None)
    with pytest.raises(ClientError) as excinfo:
        idp.respond_to_auth_challenge(
            ClientId=client["ClientId"],
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session="x" * 40,
            ChallengeResponses={"USERNAME": "alice", "NEW_PASSWORD": NEW_PASSWORD},
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid session for the user.")
    answer = password_sign_in(idp, client["ClientId"], password=TEMPORARY_PASSWORD)
    other = make_client(idp, pool_id)
    with pytest.raises(ClientError) as excinfo:
        answer_new_password(idp, other["ClientId"], answer, "alice", NEW_PASSWORD)
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid session for the user.")


def test_session_of_another_user(idp, pool_id, client):
    make_user(idp, pool_id, password=None)
    make_user(idp, pool_id, "bob")
    answer = password_sign_in(idp, client["ClientId"], password=TEMPORARY_PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        answer_new_password(idp, client["ClientId"], answer, "bob", NEW_PASSWORD)
    assert error_of(excinfo)[0] == "NotAuthorizedException"


# -- lockout ---------------------------------------------------------------------------------------


def test_lockout_after_five_failures(idp, pool_id, client, emulator):
    make_user(idp, pool_id)
    emulator.clock.freeze()
    for _ in range(5):
        with pytest.raises(ClientError) as excinfo:
            password_sign_in(idp, client["ClientId"], password="Wr0ngPassword!")
        assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    # Locked for 1 s: even the right password is refused.
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, client["ClientId"])
    assert error_of(excinfo) == ("NotAuthorizedException", "Password attempts exceeded")
    emulator.clock.advance(1)
    # The sixth failure locks for 2 s.
    with pytest.raises(ClientError):
        password_sign_in(idp, client["ClientId"], password="Wr0ngPassword!")
    emulator.clock.advance(1.5)
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, client["ClientId"])
    assert error_of(excinfo) == ("NotAuthorizedException", "Password attempts exceeded")
    emulator.clock.advance(0.5)
    assert "AuthenticationResult" in password_sign_in(idp, client["ClientId"])
    # A success resets the count: five more failures are needed for the next lock.
    for _ in range(4):
        with pytest.raises(ClientError):
            password_sign_in(idp, client["ClientId"], password="Wr0ngPassword!")
    assert "AuthenticationResult" in password_sign_in(idp, client["ClientId"])


def test_lockout_doubles_up_to_fifteen_minutes(idp, pool_id, client, emulator):
    make_user(idp, pool_id)
    emulator.clock.freeze()
    for failure in range(1, 16):
        with pytest.raises(ClientError) as excinfo:
            password_sign_in(idp, client["ClientId"], password="Wr0ngPassword!")
        assert error_of(excinfo)[1] == "Incorrect username or password."
        if failure < 15:
            # Locked for 2^(n-5) s after the fifth failure; step exactly past it.
            emulator.clock.advance(2 ** (failure - 5) if failure >= 5 else 0)
    # 2^10 s would be 17 minutes: the lock stops at 15.
    emulator.clock.advance(899)
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, client["ClientId"])
    assert error_of(excinfo)[1] == "Password attempts exceeded"
    emulator.clock.advance(1)
    assert "AuthenticationResult" in password_sign_in(idp, client["ClientId"])


def test_failures_are_forgotten_after_fifteen_quiet_minutes(idp, pool_id, client, emulator):
    make_user(idp, pool_id)
    emulator.clock.freeze()
    for _ in range(5):
        with pytest.raises(ClientError):
            password_sign_in(idp, client["ClientId"], password="Wr0ngPassword!")
    emulator.clock.advance(15 * 60)
    # Had the count survived, this sixth failure would lock the user for 2 s.
    with pytest.raises(ClientError) as excinfo:
        password_sign_in(idp, client["ClientId"], password="Wr0ngPassword!")
    assert error_of(excinfo)[1] == "Incorrect username or password."
    assert "AuthenticationResult" in password_sign_in(idp, client["ClientId"])
