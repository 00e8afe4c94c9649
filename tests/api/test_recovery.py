"""ForgotPassword and ConfirmForgotPassword through boto3."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_emu.idp.factors import passwords
from cognito_emu.idp.pool.client_auth import secret_hash
from tests.api.support import NEW_PASSWORD, PASSWORD, code_of, make_client_id, make_user, message_of


def status_of(idp: Any, pool: str, username: str) -> str:
    return idp.admin_get_user(UserPoolId=pool, Username=username)["UserStatus"]


def confirmed_user(
    idp: Any, pool: str, username: str, *, email: str | None = None, phone: str | None = None
) -> None:
    """A CONFIRMED user with the given verified channels and PASSWORD as its password."""
    attributes = []
    if email:
        attributes += [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
    if phone:
        attributes += [
            {"Name": "phone_number", "Value": phone},
            {"Name": "phone_number_verified", "Value": "true"},
        ]
    idp.admin_create_user(
        UserPoolId=pool, Username=username, UserAttributes=attributes, MessageAction="SUPPRESS"
    )
    idp.admin_set_user_password(UserPoolId=pool, Username=username, Password=PASSWORD, Permanent=True)


@pytest.fixture
def pool(idp: Any) -> str:
    return idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]


@pytest.fixture
def client_id(idp: Any, pool: str) -> str:
    return make_client_id(idp, pool)


@pytest.fixture
def legacy_client(idp: Any, pool: str) -> str:
    return make_client_id(idp, pool, PreventUserExistenceErrors="LEGACY")


@pytest.fixture
def prevented_client(idp: Any, pool: str) -> str:
    return make_client_id(idp, pool, PreventUserExistenceErrors="ENABLED")


def test_forgot_password_sends_a_code_and_confirm_sets_the_password(idp, pool, client_id, emulator):
    confirmed_user(idp, pool, "alice", email="alice@example.com")
    out = idp.forgot_password(ClientId=client_id, Username="alice", ClientMetadata={"k": "v"})
    assert out["CodeDeliveryDetails"] == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    message = emulator.outbox.last("alice")
    assert message.reason == "ForgotPassword" and message.code in message.body
    assert status_of(idp, pool, "alice") == "CONFIRMED"
    idp.confirm_forgot_password(
        ClientId=client_id, Username="alice", ConfirmationCode=message.code, Password=NEW_PASSWORD
    )
    assert status_of(idp, pool, "alice") == "CONFIRMED"
    user_pool = emulator.state.find_pool(pool)
    assert passwords.check_password(user_pool, user_pool.users["alice"], NEW_PASSWORD)
    user = user_pool.users["alice"]
    assert user.temporary_password_expires is None
    # The code is spent.
    with pytest.raises(ClientError) as err:
        idp.confirm_forgot_password(
            ClientId=client_id, Username="alice", ConfirmationCode=message.code, Password=NEW_PASSWORD
        )
    assert code_of(err) == "ExpiredCodeException"


def test_forgot_password_by_email_alias(idp):
    pool = idp.create_user_pool(PoolName="p", AliasAttributes=["email"])["UserPool"]["Id"]
    client = make_client_id(idp, pool)
    confirmed_user(idp, pool, "bob", email="bob@example.com")
    out = idp.forgot_password(ClientId=client, Username="bob@example.com")
    assert out["CodeDeliveryDetails"]["Destination"] == "b***@e***"


def test_recovery_setting_chooses_the_channel(idp, emulator):
    pool = idp.create_user_pool(
        PoolName="p",
        AccountRecoverySetting={
            "RecoveryMechanisms": [
                {"Name": "verified_phone_number", "Priority": 1},
                {"Name": "verified_email", "Priority": 2},
            ]
        },
    )["UserPool"]["Id"]
    client = make_client_id(idp, pool)
    confirmed_user(idp, pool, "carol", email="c@example.com", phone="+15550009876")
    out = idp.forgot_password(ClientId=client, Username="carol")
    assert out["CodeDeliveryDetails"]["DeliveryMedium"] == "SMS"
    assert out["CodeDeliveryDetails"]["AttributeName"] == "phone_number"
    assert emulator.outbox.last("carol").channel == "SMS"
    confirmed_user(idp, pool, "dan", email="d@example.com")
    assert (
        idp.forgot_password(ClientId=client, Username="dan")["CodeDeliveryDetails"]["DeliveryMedium"]
        == "EMAIL"
    )


def test_admin_reset_then_self_service_reset(idp, pool, client_id, emulator):
    confirmed_user(idp, pool, "erin", email="erin@example.com")
    idp.admin_reset_user_password(UserPoolId=pool, Username="erin")
    assert status_of(idp, pool, "erin") == "RESET_REQUIRED"
    code = emulator.outbox.last_code("erin")
    idp.confirm_forgot_password(
        ClientId=client_id, Username="erin", ConfirmationCode=code, Password=NEW_PASSWORD
    )
    assert status_of(idp, pool, "erin") == "CONFIRMED"


def test_no_verified_channel(idp, pool, prevented_client, legacy_client, emulator):
    idp.admin_create_user(
        UserPoolId=pool,
        Username="fay",
        UserAttributes=[{"Name": "email", "Value": "fay@example.com"}],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(UserPoolId=pool, Username="fay", Password=PASSWORD, Permanent=True)
    with pytest.raises(ClientError) as err:
        idp.forgot_password(ClientId=legacy_client, Username="fay")
    assert code_of(err) == "InvalidParameterException"
    assert message_of(err) == (
        "Cannot reset password for the user as there is no registered/verified email or phone_number"
    )
    # With existence errors prevented the answer looks like any other, and nothing is sent.
    out = idp.forgot_password(ClientId=prevented_client, Username="fay")
    assert out["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert emulator.outbox.messages(user_pool_id=pool) == []


def test_force_change_password_user_cannot_reset(idp, pool, client_id):
    idp.admin_create_user(
        UserPoolId=pool,
        Username="gus",
        UserAttributes=[
            {"Name": "email", "Value": "g@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    with pytest.raises(ClientError) as err:
        idp.forgot_password(ClientId=client_id, Username="gus")
    assert code_of(err) == "NotAuthorizedException"
    assert message_of(err) == "User password cannot be reset in the current state."


def test_new_password_policy_and_history(idp, emulator):
    pool = idp.create_user_pool(
        PoolName="p",
        Policies={"PasswordPolicy": {"MinimumLength": 8, "RequireNumbers": True, "PasswordHistorySize": 2}},
    )["UserPool"]["Id"]
    client = make_client_id(idp, pool)
    confirmed_user(idp, pool, "hal", email="hal@example.com")
    idp.forgot_password(ClientId=client, Username="hal")
    code = emulator.outbox.last_code("hal")
    with pytest.raises(ClientError) as err:
        idp.confirm_forgot_password(
            ClientId=client, Username="hal", ConfirmationCode=code, Password="nonumbers"
        )
    assert code_of(err) == "InvalidPasswordException"
    assert message_of(err) == "Password did not conform with policy: Password must have numeric characters"
    with pytest.raises(ClientError) as err:
        idp.confirm_forgot_password(ClientId=client, Username="hal", ConfirmationCode=code, Password=PASSWORD)
    assert code_of(err) == "PasswordHistoryPolicyViolationException"
    # Neither failure spent the code.
    idp.confirm_forgot_password(ClientId=client, Username="hal", ConfirmationCode=code, Password=NEW_PASSWORD)


def test_codes(idp, pool, client_id, emulator):
    confirmed_user(idp, pool, "ida", email="ida@example.com")
    # No code requested yet.
    with pytest.raises(ClientError) as err:
        idp.confirm_forgot_password(
            ClientId=client_id, Username="ida", ConfirmationCode="123456", Password=NEW_PASSWORD
        )
    assert code_of(err) == "ExpiredCodeException"
    idp.forgot_password(ClientId=client_id, Username="ida")
    first = emulator.outbox.last_code("ida")
    wrong = "000000" if first != "000000" else "111111"
    with pytest.raises(ClientError) as err:
        idp.confirm_forgot_password(
            ClientId=client_id, Username="ida", ConfirmationCode=wrong, Password=NEW_PASSWORD
        )
    assert code_of(err) == "CodeMismatchException"
    # A new request replaces the code.
    idp.forgot_password(ClientId=client_id, Username="ida")
    second = emulator.outbox.last_code("ida")
    if second != first:
        with pytest.raises(ClientError) as err:
            idp.confirm_forgot_password(
                ClientId=client_id, Username="ida", ConfirmationCode=first, Password=NEW_PASSWORD
            )
        assert code_of(err) == "CodeMismatchException"
    # Reset codes last an hour.
    emulator.clock.advance(3601)
    with pytest.raises(ClientError) as err:
        idp.confirm_forgot_password(
            ClientId=client_id, Username="ida", ConfirmationCode=second, Password=NEW_PASSWORD
        )
    assert code_of(err) == "ExpiredCodeException"
    # Five wrong tries exhaust a code.
    idp.forgot_password(ClientId=client_id, Username="ida")
    third = emulator.outbox.last_code("ida")
    wrong = "000000" if third != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ClientError):
            idp.confirm_forgot_password(
                ClientId=client_id, Username="ida", ConfirmationCode=wrong, Password=NEW_PASSWORD
            )
    with pytest.raises(ClientError) as err:
        idp.confirm_forgot_password(
            ClientId=client_id, Username="ida", ConfirmationCode=third, Password=NEW_PASSWORD
        )
    assert code_of(err) == "LimitExceededException"


def test_secret_hash(idp, pool, emulator):
    created = idp.create_user_pool_client(UserPoolId=pool, ClientName="s", GenerateSecret=True)[
        "UserPoolClient"
    ]
    client, secret = created["ClientId"], created["ClientSecret"]
    confirmed_user(idp, pool, "jo", email="jo@example.com")
    with pytest.raises(ClientError) as err:
        idp.forgot_password(ClientId=client, Username="jo")
    assert code_of(err) == "NotAuthorizedException"
    good = secret_hash(secret, "jo", client)
    idp.forgot_password(ClientId=client, Username="jo", SecretHash=good)
    code = emulator.outbox.last_code("jo")
    with pytest.raises(ClientError) as err:
        idp.confirm_forgot_password(
            ClientId=client, Username="jo", ConfirmationCode=code, Password=NEW_PASSWORD
        )
    assert code_of(err) == "NotAuthorizedException"
    idp.confirm_forgot_password(
        ClientId=client, Username="jo", ConfirmationCode=code, Password=NEW_PASSWORD, SecretHash=good
    )


# -- PreventUserExistenceErrors ------------------------------------------------------------------


def test_unknown_and_disabled_users_when_prevented(idp, pool, prevented_client, emulator):
    out = idp.forgot_password(ClientId=prevented_client, Username="ghost")
    details = out["CodeDeliveryDetails"]
    assert details["DeliveryMedium"] == "EMAIL" and details["AttributeName"] == "email"
    assert idp.forgot_password(ClientId=prevented_client, Username="ghost")["CodeDeliveryDetails"] == details
    by_email = idp.forgot_password(ClientId=prevented_client, Username="ghost@example.com")["CodeDeliveryDetails"]
    assert by_email["Destination"] == "g***@e***"
    by_phone = idp.forgot_password(ClientId=prevented_client, Username="+15551234567")["CodeDeliveryDetails"]
    assert by_phone["DeliveryMedium"] == "SMS" and by_phone["Destination"].endswith("4567")
    with pytest.raises(ClientError) as err:
        idp.confirm_forgot_password(
            ClientId=prevented_client, Username="ghost", ConfirmationCode="123456", Password=NEW_PASSWORD
        )
    assert code_of(err) == "CodeMismatchException"

    confirmed_user(idp, pool, "kay", email="kay@example.com")
    idp.forgot_password(ClientId=prevented_client, Username="kay")
    code = emulator.outbox.last_code("kay")
    idp.admin_disable_user(UserPoolId=pool, Username="kay")
    sent = len(emulator.outbox)
    assert (
        idp.forgot_password(ClientId=prevented_client, Username="kay")["CodeDeliveryDetails"]["DeliveryMedium"]
        == "EMAIL"
    )
    assert len(emulator.outbox) == sent
    with pytest.raises(ClientError) as err:
        idp.confirm_forgot_password(
            ClientId=prevented_client, Username="kay", ConfirmationCode=code, Password=NEW_PASSWORD
        )
    assert code_of(err) == "CodeMismatchException"


def test_unknown_and_disabled_users_when_legacy(idp, pool, legacy_client):
    confirmed_user(idp, pool, "lou", email="lou@example.com")
    idp.admin_disable_user(UserPoolId=pool, Username="lou")
    for name in ("ghost", "lou"):
        for call in (
            lambda name=name: idp.forgot_password(ClientId=legacy_client, Username=name),
            lambda name=name: idp.confirm_forgot_password(
                ClientId=legacy_client, Username=name, ConfirmationCode="123456", Password=NEW_PASSWORD
            ),
        ):
            with pytest.raises(ClientError) as err:
                call()
            assert code_of(err) == "UserNotFoundException"
            assert message_of(err) == "Username/client id combination not found."


def test_existence_setting_follows_client_updates(idp, pool, client_id):
    with pytest.raises(ClientError):
        idp.forgot_password(
            ClientId=make_client_id(idp, pool, PreventUserExistenceErrors="LEGACY"), Username="x"
        )
    idp.update_user_pool_client(UserPoolId=pool, ClientId=client_id, PreventUserExistenceErrors="LEGACY")
    with pytest.raises(ClientError) as err:
        idp.forgot_password(ClientId=client_id, Username="ghost")
    assert code_of(err) == "UserNotFoundException"


def test_admin_only_recovery_refuses_forgot_password_before_the_user_lookup(idp):
    pool_id = idp.create_user_pool(
        PoolName="admin-only",
        AccountRecoverySetting={"RecoveryMechanisms": [{"Name": "admin_only", "Priority": 1}]},
    )["UserPool"]["Id"]
    for prevent in ("ENABLED", "LEGACY"):
        client_id = make_client_id(idp, pool_id, PreventUserExistenceErrors=prevent)
        make_user(idp, pool_id, f"alice-{prevent}", email="alice@example.com", email_verified="true")
        for username in (f"alice-{prevent}", "nobody"):
            with pytest.raises(ClientError) as err:
                idp.forgot_password(ClientId=client_id, Username=username)
            assert code_of(err) == "NotAuthorizedException"


def test_without_account_recovery_setting_a_verified_phone_comes_first(idp, pool, client_id):
    confirmed_user(idp, pool, "gus", email="gus@example.com", phone="+15550001234")
    delivery = idp.forgot_password(ClientId=client_id, Username="gus")["CodeDeliveryDetails"]
    assert (delivery["AttributeName"], delivery["DeliveryMedium"]) == ("phone_number", "SMS")
