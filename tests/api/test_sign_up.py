"""SignUp, ConfirmSignUp and ResendConfirmationCode through boto3."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_emu.idp.pool.client_auth import secret_hash
from tests.api.support import PASSWORD, attrs, boto_client, code_of, make_client_id, message_of


def make_pool(idp: Any, **settings: Any) -> str:
    settings.setdefault("AutoVerifiedAttributes", ["email"])
    return idp.create_user_pool(PoolName="p", **settings)["UserPool"]["Id"]


def email(value: str) -> list[dict[str, str]]:
    return [{"Name": "email", "Value": value}]


@pytest.fixture
def pool(idp: Any) -> str:
    return make_pool(idp)


@pytest.fixture
def client_id(idp: Any, pool: str) -> str:
    return make_client_id(idp, pool)


def test_sign_up_creates_an_unconfirmed_user_and_sends_a_code(idp, pool, client_id, emulator):
    out = idp.sign_up(
        ClientId=client_id,
        Username="alice",
        Password=PASSWORD,
        UserAttributes=email("alice@example.com"),
        ClientMetadata={"k": "v"},
        ValidationData=[{"Name": "v", "Value": "1"}],
    )
    assert out["UserConfirmed"] is False
    assert len(out["UserSub"]) == 36
    assert out["CodeDeliveryDetails"] == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    user = idp.admin_get_user(UserPoolId=pool, Username="alice")
    assert user["UserStatus"] == "UNCONFIRMED"
    assert attrs(user["UserAttributes"])["sub"] == out["UserSub"]
    message = emulator.outbox.last("alice")
    assert message.reason == "SignUp" and message.channel == "EMAIL"
    assert message.destination == "alice@example.com"
    assert message.code and message.code in message.body


def test_confirm_sign_up_confirms_and_verifies_the_email(idp, pool, client_id, emulator):
    idp.sign_up(ClientId=client_id, Username="bob", Password=PASSWORD, UserAttributes=email("b@example.com"))
    code = emulator.outbox.last_code("bob")
    idp.confirm_sign_up(ClientId=client_id, Username="bob", ConfirmationCode=code)
    user = idp.admin_get_user(UserPoolId=pool, Username="bob")
    assert user["UserStatus"] == "CONFIRMED"
    assert attrs(user["UserAttributes"])["email_verified"] == "true"
    with pytest.raises(ClientError) as err:
        idp.confirm_sign_up(ClientId=client_id, Username="bob", ConfirmationCode=code)
    assert code_of(err) == "NotAuthorizedException"
    assert message_of(err) == "User cannot be confirmed. Current status is CONFIRMED"


def test_no_auto_verified_attribute_sends_nothing(idp, emulator):
    pool = make_pool(idp, AutoVerifiedAttributes=[])
    client = make_client_id(idp, pool)
    out = idp.sign_up(ClientId=client, Username="carl", Password=PASSWORD, UserAttributes=email("c@e.com"))
    assert "CodeDeliveryDetails" not in out
    assert emulator.outbox.messages(user_pool_id=pool) == []
    with pytest.raises(ClientError) as err:
        idp.resend_confirmation_code(ClientId=client, Username="carl")
    assert code_of(err) == "InvalidParameterException"


def test_both_auto_verified_sends_to_the_phone(idp, emulator):
    pool = make_pool(idp, AutoVerifiedAttributes=["email", "phone_number"])
    client = make_client_id(idp, pool)
    out = idp.sign_up(
        ClientId=client,
        Username="dora",
        Password=PASSWORD,
        UserAttributes=[*email("d@example.com"), {"Name": "phone_number", "Value": "+15550001234"}],
    )
    assert out["CodeDeliveryDetails"]["DeliveryMedium"] == "SMS"
    assert out["CodeDeliveryDetails"]["AttributeName"] == "phone_number"
    assert out["CodeDeliveryDetails"]["Destination"].endswith("1234")
    assert emulator.outbox.last("dora").channel == "SMS"
    idp.confirm_sign_up(ClientId=client, Username="dora", ConfirmationCode=emulator.outbox.last_code("dora"))
    values = attrs(idp.admin_get_user(UserPoolId=pool, Username="dora")["UserAttributes"])
    assert values["phone_number_verified"] == "true"
    assert values.get("email_verified") != "true"
    # Without a phone number the code goes by email.
    out = idp.sign_up(ClientId=client, Username="eve", Password=PASSWORD, UserAttributes=email("e@e.com"))
    assert out["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"


def test_duplicate_username(idp, pool, client_id):
    idp.sign_up(ClientId=client_id, Username="frank", Password=PASSWORD)
    with pytest.raises(ClientError) as err:
        idp.sign_up(ClientId=client_id, Username="frank", Password=PASSWORD)
    assert code_of(err) == "UsernameExistsException"
    assert message_of(err) == "User already exists"


def test_email_as_username(idp, emulator):
    pool = make_pool(idp, UsernameAttributes=["email"])
    client = make_client_id(idp, pool)
    out = idp.sign_up(ClientId=client, Username="gina@example.com", Password=PASSWORD)
    user = idp.admin_get_user(UserPoolId=pool, Username="gina@example.com")
    assert user["Username"] == out["UserSub"]
    assert out["CodeDeliveryDetails"]["Destination"] == "g***@e***"
    with pytest.raises(ClientError) as err:
        idp.sign_up(ClientId=client, Username="gina@example.com", Password=PASSWORD)
    assert code_of(err) == "UsernameExistsException"
    assert message_of(err) == "An account with the given email already exists."
    with pytest.raises(ClientError) as err:
        idp.sign_up(ClientId=client, Username="not-an-email", Password=PASSWORD)
    assert message_of(err) == "Username should be an email."
    code = emulator.outbox.last_code("gina@example.com")
    idp.confirm_sign_up(ClientId=client, Username="gina@example.com", ConfirmationCode=code)
    assert idp.admin_get_user(UserPoolId=pool, Username="gina@example.com")["UserStatus"] == "CONFIRMED"


def test_password_policy(idp, pool, client_id):
    with pytest.raises(ClientError) as err:
        idp.sign_up(ClientId=client_id, Username="hank", Password="Sh0rt!a")
    assert code_of(err) == "InvalidPasswordException"
    assert message_of(err) == "Password did not conform with policy: Password not long enough"
    with pytest.raises(ClientError) as err:
        idp.sign_up(ClientId=client_id, Username="hank", Password="alllowercase1!")
    assert message_of(err) == "Password did not conform with policy: Password must have uppercase characters"
    with pytest.raises(ClientError) as err:
        idp.admin_get_user(UserPoolId=pool, Username="hank")
    assert code_of(err) == "UserNotFoundException"


def test_password_is_required_when_only_passwords_sign_in(idp, client_id):
    with pytest.raises(ClientError) as err:
        idp.sign_up(ClientId=client_id, Username="ivy")
    assert code_of(err) == "InvalidParameterException"


def test_schema_and_required_attributes(idp):
    pool = idp.create_user_pool(
        PoolName="p",
        Schema=[{"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True}],
    )["UserPool"]["Id"]
    client = make_client_id(idp, pool)
    with pytest.raises(ClientError) as err:
        idp.sign_up(ClientId=client, Username="jay", Password=PASSWORD)
    assert code_of(err) == "InvalidParameterException"
    assert "email: The attribute is required" in message_of(err)
    with pytest.raises(ClientError) as err:
        idp.sign_up(
            ClientId=client,
            Username="jay",
            Password=PASSWORD,
            UserAttributes=[*email("j@e.com"), {"Name": "custom:nope", "Value": "x"}],
        )
    assert "custom:nope: Attribute does not exist in the schema." in message_of(err)


def test_client_write_attributes_apply(idp, pool):
    client = make_client_id(idp, pool, WriteAttributes=["email"])
    idp.sign_up(ClientId=client, Username="kim", Password=PASSWORD, UserAttributes=email("k@e.com"))
    with pytest.raises(ClientError) as err:
        idp.sign_up(
            ClientId=client,
            Username="lee",
            Password=PASSWORD,
            UserAttributes=[*email("l@e.com"), {"Name": "name", "Value": "Lee"}],
        )
    assert code_of(err) == "NotAuthorizedException"
    assert message_of(err) == "A client attempted to write unauthorized attribute"


def test_admin_create_user_only_pool_refuses_sign_up(idp):
    pool = make_pool(idp, AdminCreateUserConfig={"AllowAdminCreateUserOnly": True})
    client = make_client_id(idp, pool)
    with pytest.raises(ClientError) as err:
        idp.sign_up(ClientId=client, Username="mo", Password=PASSWORD)
    assert code_of(err) == "NotAuthorizedException"
    assert message_of(err) == "SignUp is not permitted for this user pool"


def test_unknown_client(idp):
    with pytest.raises(ClientError) as err:
        idp.sign_up(ClientId="nosuchclient1234567890", Username="x", Password=PASSWORD)
    assert code_of(err) == "ResourceNotFoundException"


def test_secret_hash(idp, pool, emulator):
    created = idp.create_user_pool_client(UserPoolId=pool, ClientName="s", GenerateSecret=True)
    client, secret = created["UserPoolClient"]["ClientId"], created["UserPoolClient"]["ClientSecret"]
    with pytest.raises(ClientError) as err:
        idp.sign_up(ClientId=client, Username="nia", Password=PASSWORD)
    assert code_of(err) == "NotAuthorizedException"
    assert message_of(err) == f"Client {client} is configured with secret but SECRET_HASH was not received"
    with pytest.raises(ClientError) as err:
        idp.sign_up(
            ClientId=client, Username="nia", Password=PASSWORD, SecretHash=secret_hash(secret, "x", client)
        )
    assert message_of(err) == f"Unable to verify secret hash for client {client}"
    good = secret_hash(secret, "nia", client)
    idp.sign_up(
        ClientId=client, Username="nia", Password=PASSWORD, SecretHash=good, UserAttributes=email("n@e.com")
    )
    idp.resend_confirmation_code(ClientId=client, Username="nia", SecretHash=good)
    with pytest.raises(ClientError) as err:
        idp.confirm_sign_up(ClientId=client, Username="nia", ConfirmationCode="123456")
    assert code_of(err) == "NotAuthorizedException"
    idp.confirm_sign_up(
        ClientId=client, Username="nia", ConfirmationCode=emulator.outbox.last_code("nia"), SecretHash=good
    )


# -- codes ---------------------------------------------------------------------------------------


def _signed_up(idp: Any, client_id: str, name: str) -> None:
    idp.sign_up(ClientId=client_id, Username=name, Password=PASSWORD, UserAttributes=email(f"{name}@e.com"))


def test_wrong_code(idp, pool, client_id, emulator):
    _signed_up(idp, client_id, "olga")
    code = emulator.outbox.last_code("olga")
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ClientError) as err:
        idp.confirm_sign_up(ClientId=client_id, Username="olga", ConfirmationCode=wrong)
    assert code_of(err) == "CodeMismatchException"
    assert message_of(err) == "Invalid verification code provided, please try again."
    idp.confirm_sign_up(ClientId=client_id, Username="olga", ConfirmationCode=code)


def test_expired_code(idp, pool, client_id, emulator):
    _signed_up(idp, client_id, "pia")
    code = emulator.outbox.last_code("pia")
    emulator.clock.advance(24 * 3600 + 1)
    with pytest.raises(ClientError) as err:
        idp.confirm_sign_up(ClientId=client_id, Username="pia", ConfirmationCode=code)
    assert code_of(err) == "ExpiredCodeException"
    assert message_of(err) == "Invalid code provided, please request a code again."


def test_too_many_attempts(idp, pool, client_id, emulator):
    _signed_up(idp, client_id, "quin")
    code = emulator.outbox.last_code("quin")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ClientError) as err:
            idp.confirm_sign_up(ClientId=client_id, Username="quin", ConfirmationCode=wrong)
        assert code_of(err) == "CodeMismatchException"
    with pytest.raises(ClientError) as err:
        idp.confirm_sign_up(ClientId=client_id, Username="quin", ConfirmationCode=code)
    assert code_of(err) == "LimitExceededException"
    assert message_of(err) == "Attempt limit exceeded, please try after some time."
    # A new code starts afresh.
    idp.resend_confirmation_code(ClientId=client_id, Username="quin")
    idp.confirm_sign_up(
        ClientId=client_id, Username="quin", ConfirmationCode=emulator.outbox.last_code("quin")
    )


def test_resend_replaces_the_code(idp, pool, client_id, emulator):
    _signed_up(idp, client_id, "rita")
    first = emulator.outbox.last_code("rita")
    out = idp.resend_confirmation_code(ClientId=client_id, Username="rita", ClientMetadata={"a": "b"})
    assert out["CodeDeliveryDetails"] == {
        "Destination": "r***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    message = emulator.outbox.last("rita")
    assert message.reason == "ResendCode"
    second = message.code
    if first != second:
        with pytest.raises(ClientError) as err:
            idp.confirm_sign_up(ClientId=client_id, Username="rita", ConfirmationCode=first)
        assert code_of(err) == "CodeMismatchException"
    idp.confirm_sign_up(ClientId=client_id, Username="rita", ConfirmationCode=second)
    with pytest.raises(ClientError) as err:
        idp.resend_confirmation_code(ClientId=client_id, Username="rita")
    assert code_of(err) == "InvalidParameterException"
    assert message_of(err) == "User is already confirmed."


def test_confirm_link_template(idp, emulator):
    pool = make_pool(idp, VerificationMessageTemplate={"DefaultEmailOption": "CONFIRM_WITH_LINK"})
    client = make_client_id(idp, pool)
    _signed_up(idp, client, "sam")
    message = emulator.outbox.last("sam")
    assert message.link and "confirmation_code=" in message.link and message.link in message.body


def test_disabled_user_cannot_confirm(idp, pool, client_id, emulator):
    _signed_up(idp, client_id, "tess")
    idp.admin_disable_user(UserPoolId=pool, Username="tess")
    with pytest.raises(ClientError) as err:
        idp.confirm_sign_up(
            ClientId=client_id, Username="tess", ConfirmationCode=emulator.outbox.last_code("tess")
        )
    assert code_of(err) == "NotAuthorizedException"


# -- aliases -------------------------------------------------------------------------------------


def test_alias_email_conflict_on_confirm_and_force_alias_creation(idp, emulator):
    pool = make_pool(idp, AliasAttributes=["email"])
    client = make_client_id(idp, pool)
    _ = idp.sign_up(
        ClientId=client, Username="jie", Password=PASSWORD, UserAttributes=email("jie@example.com")
    )
    idp.confirm_sign_up(ClientId=client, Username="jie", ConfirmationCode=emulator.outbox.last_code("jie"))
    # The same email signs up again without an error: SignUp must not reveal who owns an address.
    out = idp.sign_up(
        ClientId=client, Username="shirley", Password=PASSWORD, UserAttributes=email("jie@example.com")
    )
    assert out["CodeDeliveryDetails"]["Destination"] == "j***@e***"
    code = emulator.outbox.last_code("shirley")
    with pytest.raises(ClientError) as err:
        idp.confirm_sign_up(ClientId=client, Username="shirley", ConfirmationCode=code)
    assert code_of(err) == "AliasExistsException"
    assert message_of(err) == "An account with the email already exists."
    assert idp.admin_get_user(UserPoolId=pool, Username="shirley")["UserStatus"] == "UNCONFIRMED"
    idp.confirm_sign_up(ClientId=client, Username="shirley", ConfirmationCode=code, ForceAliasCreation=True)
    assert idp.admin_get_user(UserPoolId=pool, Username="jie@example.com")["Username"] == "shirley"
    jie = attrs(idp.admin_get_user(UserPoolId=pool, Username="jie")["UserAttributes"])
    assert jie["email_verified"] == "false"


# -- PreventUserExistenceErrors ------------------------------------------------------------------


def test_unknown_user_with_existence_errors_prevented(idp, pool, emulator):
    client_id = make_client_id(idp, pool, PreventUserExistenceErrors="ENABLED")
    out = idp.resend_confirmation_code(ClientId=client_id, Username="ghost")
    assert out["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert out == idp.resend_confirmation_code(ClientId=client_id, Username="ghost") | {
        "ResponseMetadata": out["ResponseMetadata"]
    }
    out = idp.resend_confirmation_code(ClientId=client_id, Username="ghost@example.com")
    assert out["CodeDeliveryDetails"]["Destination"] == "g***@e***"
    with pytest.raises(ClientError) as err:
        idp.confirm_sign_up(ClientId=client_id, Username="ghost", ConfirmationCode="123456")
    assert code_of(err) == "CodeMismatchException"
    assert emulator.outbox.messages(user_pool_id=pool) == []


def test_unknown_user_with_legacy_errors(idp, pool):
    client = make_client_id(idp, pool, PreventUserExistenceErrors="LEGACY")
    for call in (
        lambda: idp.resend_confirmation_code(ClientId=client, Username="ghost"),
        lambda: idp.confirm_sign_up(ClientId=client, Username="ghost", ConfirmationCode="123456"),
    ):
        with pytest.raises(ClientError) as err:
            call()
        assert code_of(err) == "UserNotFoundException"
        assert message_of(err) == "Username/client id combination not found."


# -- concurrency ---------------------------------------------------------------------------------


def test_concurrent_sign_ups_with_colliding_usernames(idp, pool, client_id, emulator):
    names = [f"user{i}" for i in range(10)]
    attempts = [name for name in names for _ in range(4)]
    outcomes: list[tuple[str, str]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(attempts))
    clients = [boto_client(emulator) for _ in attempts]

    def attempt(client: Any, name: str) -> None:
        barrier.wait()
        try:
            client.sign_up(
                ClientId=client_id, Username=name, Password=PASSWORD, UserAttributes=email(f"{name}@e.com")
            )
            result = "ok"
        except ClientError as exc:
            result = exc.response["Error"]["Code"]
        with lock:
            outcomes.append((name, result))

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, attempts, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == len(attempts)
    wins = Counter(name for name, result in outcomes if result == "ok")
    assert wins == Counter(dict.fromkeys(names, 1))
    assert {result for _, result in outcomes if result != "ok"} == {"UsernameExistsException"}
    listed = idp.list_users(UserPoolId=pool)["Users"]
    assert sorted(u["Username"] for u in listed) == sorted(names)
    assert len(emulator.outbox.messages(user_pool_id=pool, reason="SignUp")) == len(names)
