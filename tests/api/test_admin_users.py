from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.api.support import (
    PASSWORD,
    attrs,
    claims,
    code_of,
    error_of,
    make_client_id,
    make_user,
    password_sign_in,
)


def test_admin_create_and_get_user(idp, pool_id, emulator):
    user = idp.admin_create_user(
        UserPoolId=pool_id,
        Username="alice",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert user["Enabled"] is True
    got = idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    values = attrs(got["UserAttributes"])
    assert values["email"] == "alice@example.com"
    assert len(values["sub"]) == 36
    invite = emulator.outbox.last("alice")
    assert invite is not None and invite.reason == "AdminCreateUser"
    assert invite.temporary_password and invite.temporary_password in invite.body
    assert invite.subject == "Your temporary password"


def test_duplicate_username_is_rejected(idp, pool_id):
    idp.admin_create_user(UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS")
    with pytest.raises(ClientError) as err:
        idp.admin_create_user(UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS")
    assert code_of(err) == "UsernameExistsException"
    assert err.value.response["Error"]["Message"] == "User account already exists"


def test_unknown_attribute_is_rejected(idp, pool_id):
    with pytest.raises(ClientError) as err:
        idp.admin_create_user(
            UserPoolId=pool_id, Username="carol", UserAttributes=[{"Name": "custom:nope", "Value": "x"}]
        )
    assert code_of(err) == "InvalidParameterException"
    assert "custom:nope: Attribute does not exist in the schema." in err.value.response["Error"]["Message"]


def test_username_attributes_make_the_sub_the_username(idp):
    pool = idp.create_user_pool(PoolName="p", UsernameAttributes=["email"])["UserPool"]["Id"]
    user = idp.admin_create_user(UserPoolId=pool, Username="dave@example.com", MessageAction="SUPPRESS")[
        "User"
    ]
    values = attrs(user["Attributes"])
    assert user["Username"] == values["sub"]
    assert values["email"] == "dave@example.com"
    assert idp.admin_get_user(UserPoolId=pool, Username="dave@example.com")["Username"] == user["Username"]
    with pytest.raises(ClientError) as err:
        idp.admin_create_user(UserPoolId=pool, Username="not-an-email", MessageAction="SUPPRESS")
    assert err.value.response["Error"]["Message"] == "Username should be an email."
    with pytest.raises(ClientError) as err:
        idp.admin_create_user(UserPoolId=pool, Username="dave@example.com", MessageAction="SUPPRESS")
    assert code_of(err) == "UsernameExistsException"


def test_alias_conflict_and_force_alias_creation(idp):
    pool = idp.create_user_pool(PoolName="p", AliasAttributes=["email"])["UserPool"]["Id"]
    verified = [{"Name": "email", "Value": "e@example.com"}, {"Name": "email_verified", "Value": "true"}]
    idp.admin_create_user(
        UserPoolId=pool, Username="first", UserAttributes=verified, MessageAction="SUPPRESS"
    )
    with pytest.raises(ClientError) as err:
        idp.admin_create_user(
            UserPoolId=pool, Username="second", UserAttributes=verified, MessageAction="SUPPRESS"
        )
    assert code_of(err) == "AliasExistsException"
    idp.admin_create_user(
        UserPoolId=pool,
        Username="second",
        UserAttributes=verified,
        MessageAction="SUPPRESS",
        ForceAliasCreation=True,
    )
    assert idp.admin_get_user(UserPoolId=pool, Username="e@example.com")["Username"] == "second"
    first = attrs(idp.admin_get_user(UserPoolId=pool, Username="first")["UserAttributes"])
    assert first["email_verified"] == "false"


def test_lifecycle_operations(idp, pool_id):
    idp.admin_create_user(UserPoolId=pool_id, Username="erin", MessageAction="SUPPRESS")
    idp.admin_disable_user(UserPoolId=pool_id, Username="erin")
    assert idp.admin_get_user(UserPoolId=pool_id, Username="erin")["Enabled"] is False
    idp.admin_enable_user(UserPoolId=pool_id, Username="erin")
    idp.admin_set_user_password(UserPoolId=pool_id, Username="erin", Password="Passw0rd!", Permanent=True)
    assert idp.admin_get_user(UserPoolId=pool_id, Username="erin")["UserStatus"] == "CONFIRMED"
    with pytest.raises(ClientError) as err:
        idp.admin_set_user_password(UserPoolId=pool_id, Username="erin", Password="short", Permanent=True)
    assert code_of(err) == "InvalidPasswordException"
    with pytest.raises(ClientError) as err:
        idp.admin_confirm_sign_up(UserPoolId=pool_id, Username="erin")
    assert code_of(err) == "NotAuthorizedException"
    idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username="erin", UserAttributes=[{"Name": "name", "Value": "Erin"}]
    )
    assert attrs(idp.admin_get_user(UserPoolId=pool_id, Username="erin")["UserAttributes"])["name"] == "Erin"
    idp.admin_delete_user_attributes(UserPoolId=pool_id, Username="erin", UserAttributeNames=["name"])
    assert "name" not in attrs(idp.admin_get_user(UserPoolId=pool_id, Username="erin")["UserAttributes"])
    idp.admin_delete_user(UserPoolId=pool_id, Username="erin")
    with pytest.raises(ClientError) as err:
        idp.admin_get_user(UserPoolId=pool_id, Username="erin")
    assert code_of(err) == "UserNotFoundException"
    assert err.value.response["Error"]["Message"] == "User does not exist."


NEW_EMAIL = [{"Name": "email", "Value": "new@example.com"}]
MESSAGE_ARN = "arn:aws:lambda:us-east-1:123456789012:function:admin-update-message"


def _email(idp: Any, pool_id: str, username: str = "alice") -> tuple[str, str]:
    values = attrs(idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserAttributes"])
    return values["email"], values["email_verified"]


def _admin_sets_a_verified_email(emulator: Any, idp: Any, pool_id: str) -> None:
    """With email_verified true in the same request the new email is written at once and no code is sent
    (the test's first update sent the only one)."""
    idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="alice",
        UserAttributes=[
            {"Name": "email", "Value": "other@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    assert _email(idp, pool_id) == ("other@example.com", "true")
    assert len(emulator.outbox.messages(reason="UpdateUserAttribute")) == 1


def test_admin_update_of_an_auto_verified_email_sends_a_code_unless_marked_verified(emulator, idp):
    """Developer guide, "Verifying updates to email addresses and phone numbers": a changed email in
    AutoVerifiedAttributes gets a code. AdminUpdateUserAttributes' reference: with email_verified true in the
    same request "Amazon Cognito doesn't send a verification message"; its response is empty."""
    pool_id = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client_id = make_client_id(idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])
    make_user(idp, pool_id, email="alice@example.com", email_verified="true")
    answer = idp.admin_update_user_attributes(UserPoolId=pool_id, Username="alice", UserAttributes=NEW_EMAIL)
    assert set(answer) == {"ResponseMetadata"}
    assert _email(idp, pool_id) == ("new@example.com", "false")
    message = emulator.outbox.last("alice")
    assert message is not None
    assert (message.reason, message.destination) == ("UpdateUserAttribute", "new@example.com")
    token = password_sign_in(idp, client_id)["AuthenticationResult"]["AccessToken"]
    idp.verify_user_attribute(AccessToken=token, AttributeName="email", Code=message.code)
    assert _email(idp, pool_id) == ("new@example.com", "true")
    _admin_sets_a_verified_email(emulator, idp, pool_id)


def test_admin_update_of_an_email_requiring_verification_before_update(emulator, idp):
    """AdminUpdateUserAttributes' reference (UserAttributes): where the pool requires verification before
    update, "Amazon Cognito doesn't immediately update the value"; the user "can sign in and receive messages
    with the original attribute value until they verify the new value". email_verified true in the same
    request updates it at once, without a message."""
    pool_id = idp.create_user_pool(
        PoolName="held",
        AliasAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
    )["UserPool"]["Id"]
    client_id = make_client_id(idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])
    make_user(idp, pool_id, email="alice@example.com", email_verified="true")
    idp.admin_update_user_attributes(UserPoolId=pool_id, Username="alice", UserAttributes=NEW_EMAIL)
    assert _email(idp, pool_id) == ("alice@example.com", "true")
    message = emulator.outbox.last("alice")
    assert message is not None
    assert (message.reason, message.destination) == ("UpdateUserAttribute", "new@example.com")
    assert error_of(password_sign_in, idp, client_id, "new@example.com")[0] == "UserNotFoundException"
    token = password_sign_in(idp, client_id, "alice@example.com")["AuthenticationResult"]["AccessToken"]
    idp.verify_user_attribute(AccessToken=token, AttributeName="email", Code=message.code)
    assert _email(idp, pool_id) == ("new@example.com", "true")
    assert password_sign_in(idp, client_id, "new@example.com")["AuthenticationResult"]["AccessToken"]
    _admin_sets_a_verified_email(emulator, idp, pool_id)


def test_admin_deleting_an_attribute_drops_its_pending_value_and_code(emulator, idp):
    """A deleted email takes the new value waiting for verification, and its code, with it, whichever
    operation deletes it (DeleteUserAttributes did; AdminDeleteUserAttributes left both behind)."""
    pool_id = idp.create_user_pool(
        PoolName="held",
        AutoVerifiedAttributes=["email"],
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
    )["UserPool"]["Id"]
    client_id = make_client_id(idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])
    make_user(idp, pool_id, email="alice@example.com", email_verified="true")
    idp.admin_update_user_attributes(UserPoolId=pool_id, Username="alice", UserAttributes=NEW_EMAIL)
    code = emulator.outbox.last("alice").code
    idp.admin_delete_user_attributes(UserPoolId=pool_id, Username="alice", UserAttributeNames=["email"])
    token = password_sign_in(idp, client_id)["AuthenticationResult"]["AccessToken"]
    failure = error_of(idp.verify_user_attribute, AccessToken=token, AttributeName="email", Code=code)
    assert failure[0] == "ExpiredCodeException"
    names = {a["Name"] for a in idp.admin_get_user(UserPoolId=pool_id, Username="alice")["UserAttributes"]}
    assert "email" not in names


@pytest.fixture
def message_events(emulator: Any) -> Iterator[list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    def record(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        return event

    emulator.triggers.register(MESSAGE_ARN, record)
    yield seen
    emulator.triggers.unregister(MESSAGE_ARN)


def test_admin_update_hands_its_client_metadata_to_custom_message(emulator, idp, message_events):
    """AdminUpdateUserAttributes' reference (ClientMetadata): "Amazon Cognito invokes the function that is
    assigned to the custom message trigger" with the request's ClientMetadata. No app client is involved:
    callerContext says so as it does for AdminCreateUser's triggers."""
    pool_id = idp.create_user_pool(
        PoolName="p", AutoVerifiedAttributes=["email"], LambdaConfig={"CustomMessage": MESSAGE_ARN}
    )["UserPool"]["Id"]
    make_user(idp, pool_id, email="alice@example.com", email_verified="true")
    idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username="alice", UserAttributes=NEW_EMAIL, ClientMetadata={"by": "support"}
    )
    [event] = message_events
    assert event["triggerSource"] == "CustomMessage_UpdateUserAttribute"
    assert event["request"]["clientMetadata"] == {"by": "support"}
    assert event["request"]["userAttributes"]["email"] == "new@example.com"
    assert event["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE"


def test_admin_reset_needs_a_verified_channel(idp, pool_id, emulator):
    make_user(idp, pool_id, "fay")
    with pytest.raises(ClientError) as err:
        idp.admin_reset_user_password(UserPoolId=pool_id, Username="fay")
    assert code_of(err) == "InvalidParameterException"
    idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="fay",
        UserAttributes=[
            {"Name": "email", "Value": "fay@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    idp.admin_reset_user_password(UserPoolId=pool_id, Username="fay")
    assert idp.admin_get_user(UserPoolId=pool_id, Username="fay")["UserStatus"] == "RESET_REQUIRED"
    assert emulator.outbox.last_code("fay") is not None


@pytest.mark.parametrize(
    ("filter_text", "expected"),
    [
        ('email = "a1@example.com"', ["u1"]),
        ('email ^= "a"', ["u1", "u2"]),
        ('username ^= "u"', ["u1", "u2", "v3"][:2]),
        ('given_name = "Zed"', ["v3"]),
        ('cognito:user_status = "force_change_password"', ["u1", "u2", "v3"]),
        ('status = "Enabled"', ["u1", "u2", "v3"]),
        ("", ["u1", "u2", "v3"]),
    ],
)
def test_list_users_filters(idp, pool_id, filter_text, expected):
    for name, email, given in (
        ("u1", "a1@example.com", "Ann"),
        ("u2", "a2@example.com", "Al"),
        ("v3", "z@example.com", "Zed"),
    ):
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username=name,
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "given_name", "Value": given}],
            MessageAction="SUPPRESS",
        )
    found = idp.list_users(UserPoolId=pool_id, Filter=filter_text)["Users"]
    assert [u["Username"] for u in found] == expected


def test_list_users_paginates_and_projects(idp, pool_id):
    for i in range(7):
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username=f"user{i}",
            UserAttributes=[{"Name": "email", "Value": f"{i}@x.io"}],
            MessageAction="SUPPRESS",
        )
    seen, kwargs = [], {"UserPoolId": pool_id, "Limit": 3, "AttributesToGet": ["email"]}
    while True:
        page = idp.list_users(**kwargs)
        seen += page["Users"]
        if "PaginationToken" not in page:
            break
        kwargs["PaginationToken"] = page["PaginationToken"]
    assert [u["Username"] for u in seen] == [f"user{i}" for i in range(7)]
    assert all([a["Name"] for a in u["Attributes"]] == ["email"] for u in seen)
    with pytest.raises(ClientError) as err:
        idp.list_users(UserPoolId=pool_id, Filter='custom:x = "1"')
    assert code_of(err) == "InvalidParameterException"


def test_boolean_values_in_any_case_and_true_counts_as_verified(idp, emulator):
    pool_id = idp.create_user_pool(
        PoolName="p",
        AliasAttributes=["email"],
        Schema=[{"Name": "vip", "AttributeDataType": "Boolean", "Mutable": True}],
    )["UserPool"]["Id"]
    client_id = make_client_id(idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])
    make_user(
        idp, pool_id, "alice", email="alice@example.com", email_verified="True", **{"custom:vip": "FALSE"}
    )
    values = attrs(idp.admin_get_user(UserPoolId=pool_id, Username="alice")["UserAttributes"])
    assert (values["email_verified"], values["custom:vip"]) == ("True", "FALSE")
    # Verified: the email signs in as an alias, the ID token says so, and a reset code goes there.
    result = password_sign_in(idp, client_id, "alice@example.com")["AuthenticationResult"]
    assert claims(result["IdToken"])["email_verified"] is True
    delivery = idp.forgot_password(ClientId=client_id, Username="alice")["CodeDeliveryDetails"]
    assert delivery["AttributeName"] == "email"
    idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username="alice", UserAttributes=[{"Name": "custom:vip", "Value": "tRuE"}]
    )
    with pytest.raises(ClientError) as err:
        idp.admin_update_user_attributes(
            UserPoolId=pool_id, Username="alice", UserAttributes=[{"Name": "custom:vip", "Value": "yes"}]
        )
    assert code_of(err) == "InvalidParameterException"


def test_admin_reset_refuses_a_disabled_user_and_one_on_a_temporary_password(idp, pool_id):
    make_user(idp, pool_id, "gil", email="gil@example.com", email_verified="true")
    idp.admin_disable_user(UserPoolId=pool_id, Username="gil")
    refused = error_of(idp.admin_reset_user_password, UserPoolId=pool_id, Username="gil")
    assert refused == ("NotAuthorizedException", "User is disabled.")
    make_user(idp, pool_id, "hal", password=None, email="hal@example.com", email_verified="true")
    refused = error_of(idp.admin_reset_user_password, UserPoolId=pool_id, Username="hal")
    assert refused == ("NotAuthorizedException", "User password cannot be reset in the current state.")


def test_admin_delete_user_attributes_names_every_unknown_attribute(idp, pool_id):
    make_user(idp, pool_id, "ivy")
    refused = error_of(
        idp.admin_delete_user_attributes,
        UserPoolId=pool_id,
        Username="ivy",
        UserAttributeNames=["custom:a", "nickname", "custom:b"],
    )
    assert refused == (
        "InvalidParameterException",
        "Invalid user attributes: user.custom:a: Attribute does not exist in the schema.\n"
        "user.custom:b: Attribute does not exist in the schema.\n",
    )


def test_list_users_with_an_unknown_attribute_to_get(idp, pool_id):
    refused = error_of(idp.list_users, UserPoolId=pool_id, AttributesToGet=["email", "custom:nope"])
    assert refused == ("InvalidParameterException", "One or more requested attributes do not exist.")


def test_a_new_user_was_last_modified_when_created(idp, pool_id, client_id):
    created = idp.admin_create_user(UserPoolId=pool_id, Username="jo", MessageAction="SUPPRESS")["User"]
    assert created["UserCreateDate"] == created["UserLastModifiedDate"]
    idp.sign_up(ClientId=client_id, Username="kim", Password=PASSWORD)
    signed_up = idp.admin_get_user(UserPoolId=pool_id, Username="kim")
    assert signed_up["UserCreateDate"] == signed_up["UserLastModifiedDate"]


def test_list_users_by_status_sub_and_case_folded_names(idp):
    """Status filters are answered by a scan (the index keeps no set of every user's key for them), a
    user is found by its sub, and a case-insensitive pool pages its mixed-case usernames in order."""
    pool_id = idp.create_user_pool(PoolName="folded", UsernameConfiguration={"CaseSensitive": False})["UserPool"][
        "Id"
    ]
    for name in ("Carol", "alice", "Bob", "dave"):
        idp.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool_id, Username="bob", Password=PASSWORD, Permanent=True)
    idp.admin_disable_user(UserPoolId=pool_id, Username="DAVE")

    def listed(**kwargs):
        return [user["Username"] for user in idp.list_users(UserPoolId=pool_id, **kwargs)["Users"]]

    assert listed(Filter='status = "Disabled"') == ["dave"]
    assert listed(Filter='status = "Enabled"') == ["Bob", "Carol", "alice"]
    assert listed(Filter='cognito:user_status = "confirmed"') == ["Bob"]
    assert listed(Filter='cognito:user_status ^= "FORCE"') == ["Carol", "alice", "dave"]
    first = idp.list_users(UserPoolId=pool_id, Limit=2)
    assert [user["Username"] for user in first["Users"]] == ["Bob", "Carol"]
    assert listed(Limit=2, PaginationToken=first["PaginationToken"]) == ["alice", "dave"]
    sub = attrs(idp.admin_get_user(UserPoolId=pool_id, Username="carol")["UserAttributes"])["sub"]
    assert idp.admin_get_user(UserPoolId=pool_id, Username=sub)["Username"] == "Carol"
    assert listed(Filter=f'sub = "{sub}"') == ["Carol"]
    idp.admin_delete_user(UserPoolId=pool_id, Username="carol")
    assert listed() == ["Bob", "alice", "dave"]
    assert listed(Filter='status = "Enabled"') == ["Bob", "alice"]


def test_an_invitation_template_without_the_password_placeholder_is_not_delivered(idp, emulator):
    """AdminCreateUser: "Your invitation message template must have the {####} password placeholder if
    your users have passwords. If your template doesn't have this placeholder, Amazon Cognito doesn't
    deliver the invitation message"; the user is created all the same, and a RESEND once the template
    has the placeholder delivers it."""
    pool_id = idp.create_user_pool(
        PoolName="invites",
        AdminCreateUserConfig={"InviteMessageTemplate": {"EmailMessage": "Welcome, {username}!"}},
    )["UserPool"]["Id"]
    email = [{"Name": "email", "Value": "alice@example.com"}]
    user = idp.admin_create_user(
        UserPoolId=pool_id, Username="alice", UserAttributes=email, DesiredDeliveryMediums=["EMAIL"]
    )["User"]
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert emulator.outbox.messages(reason="AdminCreateUser") == []
    template = {"EmailMessage": "Welcome, {username}: {####}", "EmailSubject": "Hello"}
    idp.update_user_pool(UserPoolId=pool_id, AdminCreateUserConfig={"InviteMessageTemplate": template})
    idp.admin_create_user(
        UserPoolId=pool_id, Username="alice", MessageAction="RESEND", DesiredDeliveryMediums=["EMAIL"]
    )
    invite = emulator.outbox.last("alice", reason="AdminCreateUser")
    assert invite.body == f"Welcome, alice: {invite.temporary_password}"
