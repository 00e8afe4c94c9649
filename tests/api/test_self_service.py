"""Operations a signed-in user calls with their own access token."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError

from tests.api.support import PASSWORD, attrs, error_of, make_client_id, make_user, minted_tokens


@pytest.fixture
def verified_pool(idp: Any) -> str:
    return idp.create_user_pool(PoolName="verified", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]


def test_get_user_after_a_real_sign_in(emulator, idp, pool_id):
    client_id = make_client_id(
        idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )
    make_user(idp, pool_id, email="alice@example.com")
    result = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    got = idp.get_user(AccessToken=result["AccessToken"])
    assert got["Username"] == "alice"
    assert attrs(got["UserAttributes"])["email"] == "alice@example.com"
    refreshed = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": result["RefreshToken"]},
    )["AuthenticationResult"]
    assert "RefreshToken" not in refreshed
    assert idp.get_user(AccessToken=refreshed["AccessToken"])["Username"] == "alice"


def test_get_user_respects_read_attributes(emulator, idp, pool_id):
    client_id = make_client_id(idp, pool_id, ReadAttributes=["email"])
    make_user(idp, pool_id, email="alice@example.com", name="Alice")
    result = minted_tokens(emulator, pool_id, client_id, "alice")
    values = attrs(idp.get_user(AccessToken=result["AccessToken"])["UserAttributes"])
    assert set(values) == {"sub", "email"}
    claims = jwt.decode(result["IdToken"], options={"verify_signature": False})
    assert "name" not in claims and claims["email"] == "alice@example.com"


def test_change_password(emulator, idp, pool_id):
    client_id = make_client_id(
        idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )
    make_user(idp, pool_id)
    token = minted_tokens(emulator, pool_id, client_id, "alice")["AccessToken"]
    with pytest.raises(ClientError) as err:
        idp.change_password(AccessToken=token, PreviousPassword="Wrong0ne!", ProposedPassword="N3w-Password")
    assert error_of(err) == ("NotAuthorizedException", "Incorrect username or password.")
    with pytest.raises(ClientError) as err:
        idp.change_password(AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword="short")
    assert error_of(err)[0] == "InvalidPasswordException"
    idp.change_password(AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword="N3w-Password")
    result = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": "N3w-Password"},
    )
    assert result["AuthenticationResult"]["AccessToken"]


def test_change_password_history(emulator, idp):
    pool_id = idp.create_user_pool(
        PoolName="history",
        Policies={"PasswordPolicy": {"MinimumLength": 8, "PasswordHistorySize": 2}},
    )["UserPool"]["Id"]
    client_id = make_client_id(idp, pool_id)
    make_user(idp, pool_id)
    token = minted_tokens(emulator, pool_id, client_id, "alice")["AccessToken"]
    with pytest.raises(ClientError) as err:
        idp.change_password(AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword=PASSWORD)
    assert error_of(err)[0] == "PasswordHistoryPolicyViolationException"


def test_update_attributes_without_verification(emulator, idp, pool_id):
    client_id = make_client_id(idp, pool_id)
    make_user(idp, pool_id, email="alice@example.com")
    token = minted_tokens(emulator, pool_id, client_id, "alice")["AccessToken"]
    answer = idp.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "name", "Value": "Alice"}]
    )
    assert "CodeDeliveryDetailsList" not in answer
    values = attrs(idp.get_user(AccessToken=token)["UserAttributes"])
    assert values["name"] == "Alice"


def test_update_email_with_auto_verification(emulator, idp, verified_pool):
    client_id = make_client_id(idp, verified_pool)
    make_user(idp, verified_pool, email="alice@example.com", email_verified="true")
    token = minted_tokens(emulator, verified_pool, client_id, "alice")["AccessToken"]
    answer = idp.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "email", "Value": "new@example.com"}]
    )
    assert answer["CodeDeliveryDetailsList"] == [
        {"Destination": "n***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    ]
    values = attrs(idp.get_user(AccessToken=token)["UserAttributes"])
    assert values["email"] == "new@example.com" and values["email_verified"] == "false"
    message = emulator.outbox.last("alice")
    assert message.reason == "UpdateUserAttribute" and message.destination == "new@example.com"
    with pytest.raises(ClientError) as err:
        idp.verify_user_attribute(
            AccessToken=token, AttributeName="email", Code="000000" if message.code != "000000" else "111111"
        )
    assert error_of(err)[0] == "CodeMismatchException"
    idp.verify_user_attribute(AccessToken=token, AttributeName="email", Code=message.code)
    assert attrs(idp.get_user(AccessToken=token)["UserAttributes"])["email_verified"] == "true"


def test_setting_an_email_to_its_own_value_sends_no_code(emulator, idp, verified_pool):
    """Users report Cognito sending no new code when an email or phone number is set to the value it
    already has, verified or not (amazon-cognito-identity-js #350, amplify-cli #13833), whichever
    operation sets it."""
    client_id = make_client_id(idp, verified_pool)
    make_user(idp, verified_pool, email="alice@example.com", email_verified="true")
    token = minted_tokens(emulator, verified_pool, client_id, "alice")["AccessToken"]
    same = [{"Name": "email", "Value": "alice@example.com"}]
    assert "CodeDeliveryDetailsList" not in idp.update_user_attributes(AccessToken=token, UserAttributes=same)
    idp.admin_update_user_attributes(UserPoolId=verified_pool, Username="alice", UserAttributes=same)
    new = [{"Name": "email", "Value": "new@example.com"}]
    idp.update_user_attributes(AccessToken=token, UserAttributes=new)
    assert len(emulator.outbox.messages(reason="UpdateUserAttribute")) == 1
    # Still unverified, the same value again sends nothing more.
    assert "CodeDeliveryDetailsList" not in idp.update_user_attributes(AccessToken=token, UserAttributes=new)
    idp.admin_update_user_attributes(UserPoolId=verified_pool, Username="alice", UserAttributes=new)
    assert len(emulator.outbox.messages(reason="UpdateUserAttribute")) == 1
    values = attrs(idp.get_user(AccessToken=token)["UserAttributes"])
    assert (values["email"], values["email_verified"]) == ("new@example.com", "false")


def test_update_email_requiring_verification_before_update(emulator, idp):
    pool_id = idp.create_user_pool(
        PoolName="held",
        AutoVerifiedAttributes=["email"],
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
    )["UserPool"]["Id"]
    client_id = make_client_id(idp, pool_id)
    make_user(idp, pool_id, email="alice@example.com", email_verified="true")
    token = minted_tokens(emulator, pool_id, client_id, "alice")["AccessToken"]
    answer = idp.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "email", "Value": "new@example.com"}]
    )
    assert answer["CodeDeliveryDetailsList"][0]["AttributeName"] == "email"
    values = attrs(idp.get_user(AccessToken=token)["UserAttributes"])
    assert values["email"] == "alice@example.com" and values["email_verified"] == "true"
    message = emulator.outbox.last("alice")
    assert message.destination == "new@example.com"
    idp.verify_user_attribute(AccessToken=token, AttributeName="email", Code=message.code)
    values = attrs(idp.get_user(AccessToken=token)["UserAttributes"])
    assert values["email"] == "new@example.com" and values["email_verified"] == "true"


def test_write_attributes_of_the_client(emulator, idp, pool_id):
    client_id = make_client_id(idp, pool_id, WriteAttributes=["name"])
    make_user(idp, pool_id)
    token = minted_tokens(emulator, pool_id, client_id, "alice")["AccessToken"]
    with pytest.raises(ClientError) as err:
        idp.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "family_name", "Value": "X"}])
    assert error_of(err) == ("NotAuthorizedException", "A client attempted to write unauthorized attribute")


def test_verification_code_on_request(emulator, idp, pool_id):
    client_id = make_client_id(idp, pool_id)
    make_user(idp, pool_id, email="alice@example.com")
    token = minted_tokens(emulator, pool_id, client_id, "alice")["AccessToken"]
    details = idp.get_user_attribute_verification_code(AccessToken=token, AttributeName="email")[
        "CodeDeliveryDetails"
    ]
    assert details == {"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    message = emulator.outbox.last("alice")
    assert message.reason == "VerifyUserAttribute"
    emulator.clock.advance(24 * 3600 + 1)
    new_token = minted_tokens(emulator, pool_id, client_id, "alice")["AccessToken"]
    with pytest.raises(ClientError) as err:
        idp.verify_user_attribute(AccessToken=new_token, AttributeName="email", Code=message.code)
    assert error_of(err)[0] == "ExpiredCodeException"
    with pytest.raises(ClientError) as err:
        idp.get_user_attribute_verification_code(AccessToken=new_token, AttributeName="phone_number")
    assert error_of(err)[0] == "InvalidParameterException"


def test_delete_user_attributes(emulator, idp, pool_id):
    client_id = make_client_id(idp, pool_id)
    make_user(idp, pool_id, name="Alice", email="alice@example.com")
    token = minted_tokens(emulator, pool_id, client_id, "alice")["AccessToken"]
    idp.delete_user_attributes(AccessToken=token, UserAttributeNames=["name"])
    assert "name" not in attrs(idp.get_user(AccessToken=token)["UserAttributes"])
    with pytest.raises(ClientError) as err:
        idp.delete_user_attributes(AccessToken=token, UserAttributeNames=["sub"])
    assert error_of(err)[0] == "InvalidParameterException"


def test_delete_user(emulator, idp, pool_id):
    client_id = make_client_id(idp, pool_id)
    make_user(idp, pool_id)
    result = minted_tokens(emulator, pool_id, client_id, "alice")
    idp.delete_user(AccessToken=result["AccessToken"])
    with pytest.raises(ClientError) as err:
        idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert error_of(err)[0] == "UserNotFoundException"
    with pytest.raises(ClientError) as err:
        idp.get_user(AccessToken=result["AccessToken"])
    assert error_of(err)[0] == "UserNotFoundException"
    with pytest.raises(ClientError) as err:
        idp.get_tokens_from_refresh_token(RefreshToken=result["RefreshToken"], ClientId=client_id)
    assert error_of(err) == ("NotAuthorizedException", "Invalid Refresh Token")


def test_every_self_service_operation_checks_the_token(idp):
    calls = [
        lambda t: idp.get_user(AccessToken=t),
        lambda t: idp.global_sign_out(AccessToken=t),
        lambda t: idp.delete_user(AccessToken=t),
        lambda t: idp.change_password(
            AccessToken=t, PreviousPassword="Passw0rd!", ProposedPassword="Passw0rd!2"
        ),
        lambda t: idp.update_user_attributes(AccessToken=t, UserAttributes=[{"Name": "name", "Value": "x"}]),
        lambda t: idp.delete_user_attributes(AccessToken=t, UserAttributeNames=["name"]),
        lambda t: idp.get_user_attribute_verification_code(AccessToken=t, AttributeName="email"),
        lambda t: idp.verify_user_attribute(AccessToken=t, AttributeName="email", Code="123456"),
    ]
    for call in calls:
        with pytest.raises(ClientError) as err:
            call("not-a-token")
        assert error_of(err) == ("NotAuthorizedException", "Invalid Access Token")


def test_a_passwordless_user_sets_a_password_without_a_previous_one(emulator, idp):
    """ChangePassword's reference: "If the user has no password and only signs in with passwordless
    authentication options, you can omit" PreviousPassword."""
    pool_id = idp.create_user_pool(
        PoolName="passwordless",
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
    )["UserPool"]["Id"]
    client_id = make_client_id(
        idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH"]
    )
    idp.sign_up(
        ClientId=client_id, Username="alice", UserAttributes=[{"Name": "email", "Value": "alice@example.com"}]
    )
    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username="alice")
    token = minted_tokens(emulator, pool_id, client_id, "alice")["AccessToken"]
    idp.change_password(AccessToken=token, ProposedPassword=PASSWORD)
    result = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )
    assert result["AuthenticationResult"]["AccessToken"]


def test_a_user_with_a_password_must_give_the_previous_one(emulator, idp, pool_id):
    """Only a user without a password may leave PreviousPassword out: anyone else is refused."""
    client_id = make_client_id(idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])
    make_user(idp, pool_id)
    token = minted_tokens(emulator, pool_id, client_id, "alice")["AccessToken"]
    refused = error_of(idp.change_password, AccessToken=token, ProposedPassword="N3w-Passw0rd!")
    assert refused[0] == "NotAuthorizedException"
    result = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )
    assert result["AuthenticationResult"]["AccessToken"]
