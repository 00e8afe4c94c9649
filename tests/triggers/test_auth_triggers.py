"""PreAuthentication, PostAuthentication and UserMigration through boto3."""

from __future__ import annotations

from typing import Any

import pytest
from trigger_support import arn, handler, make_pool

from cognito_emu.emulator import Emulator
from cognito_emu.triggers.registry import TriggerRegistry

PASSWORD = "Passw0rd!"


def _user(idp: Any, pool_id: str, name: str) -> None:
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=name,
        UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username=name, Password=PASSWORD, Permanent=True)


def _sign_in(idp: Any, client_id: str, name: str, password: str = PASSWORD, **extra: Any) -> dict[str, Any]:
    return idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": name, "PASSWORD": password},
        **extra,
    )


def _recorder(seen: list[dict[str, Any]]) -> Any:
    def record(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        return event

    return record


def test_pre_and_post_authentication(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    seen: list[dict[str, Any]] = []
    pool_id, client_id = make_pool(idp, {"PreAuthentication": arn("pre"), "PostAuthentication": arn("post")})
    triggers.register("pre", _recorder(seen))
    triggers.register("post", _recorder(seen))
    _user(idp, pool_id, "alice")
    result = _sign_in(idp, client_id, "alice", ClientMetadata={"app": "web"})
    assert "IdToken" in result["AuthenticationResult"]
    pre, post = seen
    assert pre["triggerSource"] == "PreAuthentication_Authentication"
    assert pre["request"]["validationData"] == {"app": "web"}
    assert pre["request"]["userAttributes"]["email"] == "alice@example.com"
    assert "userNotFound" not in pre["request"]
    assert post["triggerSource"] == "PostAuthentication_Authentication"
    assert post["request"]["newDeviceUsed"] is False
    # The InitiateAuth API reference names PostAuthentication among the triggers it invokes without
    # ClientMetadata (test_post_authentication_after_an_answer_has_its_client_metadata has one).
    assert post["request"]["clientMetadata"] is None
    assert post["callerContext"]["clientId"] == client_id
    # A refresh is not a sign-in: no trigger runs.
    idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": result["AuthenticationResult"]["RefreshToken"]},
    )
    assert len(seen) == 2
    # A wrong password: PreAuthentication ran, PostAuthentication did not.
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        _sign_in(idp, client_id, "alice", "Wr0ng-password")
    assert [e["triggerSource"] for e in seen[2:]] == ["PreAuthentication_Authentication"]


def test_post_authentication_after_an_answer_has_its_client_metadata(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry
) -> None:
    seen: list[dict[str, Any]] = []
    pool_id, client_id = make_pool(idp, {"PostAuthentication": arn("post")})
    triggers.register("post", _recorder(seen))
    idp.admin_create_user(
        UserPoolId=pool_id, Username="alice", TemporaryPassword="Temp-Passw0rd!", MessageAction="SUPPRESS"
    )
    challenge = _sign_in(idp, client_id, "alice", "Temp-Passw0rd!", ClientMetadata={"step": "initiate"})
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED" and seen == []
    idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "NEW_PASSWORD": PASSWORD},
        ClientMetadata={"step": "answer"},
    )
    assert [event["request"]["clientMetadata"] for event in seen] == [{"step": "answer"}]


def test_pre_authentication_for_an_unknown_user(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry
) -> None:
    seen: list[dict[str, Any]] = []
    pool_id, _ = make_pool(idp, {"PreAuthentication": arn("pre")})
    # userNotFound is there for clients that prevent user existence errors (PreAuthentication's guide).
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="prevented",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
        PreventUserExistenceErrors="ENABLED",
    )["UserPoolClient"]["ClientId"]
    triggers.register("pre", _recorder(seen))
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        _sign_in(idp, client_id, "nobody")
    assert seen[0]["request"]["userNotFound"] is True
    assert seen[0]["userName"] == "nobody"


def test_pre_authentication_error_blocks_sign_in(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry
) -> None:
    pool_id, client_id = make_pool(idp, {"PreAuthentication": arn("pre")})
    triggers.register("pre", handler("failures.py", "raises"))
    _user(idp, pool_id, "bob")
    with pytest.raises(idp.exceptions.UserLambdaValidationException) as caught:
        _sign_in(idp, client_id, "bob")
    assert caught.value.response["Error"]["Message"] == (
        "PreAuthentication failed with error no sign-ups from example.org."
    )


def test_post_authentication_error_fails_sign_in(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry
) -> None:
    pool_id, client_id = make_pool(idp, {"PostAuthentication": arn("post")})
    triggers.register("post", handler("failures.py", "raises"))
    _user(idp, pool_id, "carol")
    with pytest.raises(idp.exceptions.UserLambdaValidationException, match="PostAuthentication failed"):
        idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD},
        )


def test_user_migration_at_sign_in(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, {"UserMigration": arn("migrate"), "PostAuthentication": arn("post")})
    seen: list[dict[str, Any]] = []
    triggers.register("migrate", handler("migrate_user.py"))
    triggers.register("post", _recorder(seen))
    result = _sign_in(idp, client_id, "legacy", "Legacy-Passw0rd")
    assert "AccessToken" in result["AuthenticationResult"]
    user = idp.admin_get_user(UserPoolId=pool_id, Username="legacy")
    attrs = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert user["UserStatus"] == "CONFIRMED"
    assert attrs["email"] == "legacy@legacy.example.com"
    assert [e["triggerSource"] for e in seen] == ["PostAuthentication_Authentication"]
    # Migrated once: the next sign-in checks the stored password.
    _sign_in(idp, client_id, "legacy", "Legacy-Passw0rd")
    [entry] = [e for e in triggers.log() if e.trigger == "UserMigration"]
    assert entry.triggerSource == "UserMigration_Authentication"
    # The handler refusing (a wrong legacy password) fails the sign-in; no user is created.
    with pytest.raises(
        idp.exceptions.UserLambdaValidationException, match="UserMigration failed with error Bad"
    ):
        _sign_in(idp, client_id, "stranger", "whatever1A!")
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(UserPoolId=pool_id, Username="stranger")


@pytest.mark.parametrize("admin", [False, True], ids=["InitiateAuth", "AdminInitiateAuth"])
def test_user_migration_at_sign_in_gets_the_client_metadata_as_validation_data(
    idp: Any, triggers: TriggerRegistry, admin: bool
) -> None:
    # API reference, (Admin)InitiateAuth ClientMetadata: User migration's payload "contains a validationData
    # attribute" with it. Migrate user page: clientMetadata comes from AdminRespondToAuthChallenge and
    # ForgotPassword, validationData from InitiateAuth and AdminInitiateAuth.
    pool_id, client_id = make_pool(idp, {"UserMigration": arn("migrate")})
    seen: list[dict[str, Any]] = []

    def migrate(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        event["response"]["userAttributes"] = {"email": "legacy@legacy.example.com", "email_verified": "true"}
        event["response"]["finalUserStatus"] = "CONFIRMED"
        return event

    triggers.register("migrate", migrate)
    parameters = {"USERNAME": "legacy", "PASSWORD": PASSWORD}
    if admin:
        idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters=parameters,
            ClientMetadata={"app": "web"},
        )
    else:
        _sign_in(idp, client_id, "legacy", ClientMetadata={"app": "web"})
    [event] = seen
    assert event["triggerSource"] == "UserMigration_Authentication"
    assert event["request"]["validationData"] == {"app": "web"}
    assert event["request"]["clientMetadata"] is None


def test_user_migration_reset_required(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, {"UserMigration": arn("migrate")})
    triggers.register("migrate", handler("migrate_user.py"))
    with pytest.raises(idp.exceptions.PasswordResetRequiredException):
        _sign_in(idp, client_id, "resetme", "Legacy-Passw0rd")
    assert idp.admin_get_user(UserPoolId=pool_id, Username="resetme")["UserStatus"] == "RESET_REQUIRED"


def test_user_migration_at_forgot_password(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, client_id = make_pool(idp, {"UserMigration": arn("migrate"), "PostConfirmation": arn("post")})
    seen: list[dict[str, Any]] = []
    triggers.register("migrate", handler("migrate_user.py"))
    triggers.register("post", _recorder(seen))
    delivery = idp.forgot_password(ClientId=client_id, Username="legacy", ClientMetadata={"k": "v"})
    assert delivery["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    [entry] = triggers.log(trigger="UserMigration")
    assert entry.triggerSource == "UserMigration_ForgotPassword"
    assert idp.admin_get_user(UserPoolId=pool_id, Username="legacy")["UserStatus"] == "RESET_REQUIRED"
    idp.confirm_forgot_password(
        ClientId=client_id,
        Username="legacy",
        ConfirmationCode=emulator.outbox.last_code("legacy", reason="ForgotPassword"),
        Password="N3w-Passw0rd!",
    )
    assert [e["triggerSource"] for e in seen] == ["PostConfirmation_ConfirmForgotPassword"]
    _sign_in(idp, client_id, "legacy", "N3w-Passw0rd!")
