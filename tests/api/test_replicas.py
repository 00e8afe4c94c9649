"""Multi-Region replication through boto3: Create/List/Update/DeleteUserPoolReplica, and a secondary
replica answering in its own Region with the primary's users and settings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from cognito_emu.seed import SeedError
from tests.api.support import (
    CALLBACK,
    PASSWORD,
    TEMPORARY_PASSWORD,
    HostedPages,
    answer_new_password,
    authorize_query,
    boto_client,
    code_of,
    error_of,
    hosted_client,
    in_process,
    make_client_id,
    make_google_provider,
    make_user,
    message_of,
    password_sign_in,
    register_totp,
)
from tests.oauth.oauth_support import Form

SECONDARY = "eu-west-1"
ACCOUNT = "123456789012"
MULTI_REGION_KEY = {
    "KeyType": "CUSTOMER_MANAGED_KEY",
    "KmsKeyArn": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab",
}


@pytest.fixture
def replicable(idp: Any) -> str:
    """A pool that can have a replica: Essentials, encrypted with a multi-Region KMS key."""
    return idp.create_user_pool(PoolName="global", KeyConfiguration=MULTI_REGION_KEY)["UserPool"]["Id"]


def regional_client(emulator: Any, region: str) -> Any:
    """A client of ``region``. boto3 leaves InitiateAuth, SignUp, GetUser, ... unsigned, so over HTTP such
    a call names its Region only by the Host it is sent to: set it as the Regional endpoint's (in-process,
    the mock is called at that endpoint already)."""
    client = boto_client(emulator, region_name=region)
    if not in_process(emulator):

        def regional_host(request: Any, **_: Any) -> None:
            request.headers["Host"] = f"cognito-idp.{region}.amazonaws.com"

        client.meta.events.register("before-send.cognito-idp", regional_host)
    return client


@pytest.fixture
def secondary(emulator: Any) -> Any:
    """A client of the secondary's Region."""
    return regional_client(emulator, SECONDARY)


def password_client(idp: Any, pool_id: str) -> str:
    return make_client_id(
        idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )


def replicate(idp: Any, pool_id: str, region: str = SECONDARY, **extra: Any) -> dict[str, Any]:
    return idp.create_user_pool_replica(UserPoolId=pool_id, RegionName=region, **extra)["UserPoolReplica"]


def arn(pool_id: str, region: str) -> str:
    return f"arn:aws:cognito-idp:{region}:{ACCOUNT}:userpool/{pool_id}"


def test_create_answers_creating_and_the_list_shows_both_roles(idp, replicable, secondary):
    created = replicate(idp, replicable)
    assert created == {
        "RegionName": SECONDARY,
        "Status": "CREATING",
        "Role": "SECONDARY",
        "UserPoolArn": arn(replicable, SECONDARY),
    }
    expected = [
        {
            "RegionName": "us-east-1",
            "Status": "ACTIVE",
            "Role": "PRIMARY",
            "UserPoolArn": arn(replicable, "us-east-1"),
        },
        {
            "RegionName": SECONDARY,
            "Status": "INACTIVE",
            "Role": "SECONDARY",
            "UserPoolArn": arn(replicable, SECONDARY),
        },
    ]
    assert idp.list_user_pool_replicas(UserPoolId=replicable)["UserPoolReplicas"] == expected
    # Either Region lists them.
    assert secondary.list_user_pool_replicas(UserPoolId=replicable)["UserPoolReplicas"] == expected


def test_the_replica_answers_in_its_region_with_the_primarys_users_and_settings(idp, replicable, secondary):
    replicate(idp, replicable)
    # Written in the primary after the replica was made: replicated.
    make_user(idp, replicable, "alice", email="alice@example.com")
    idp.create_group(UserPoolId=replicable, GroupName="admins")
    idp.admin_add_user_to_group(UserPoolId=replicable, Username="alice", GroupName="admins")
    pool = secondary.describe_user_pool(UserPoolId=replicable)["UserPool"]
    assert pool["Id"] == replicable
    assert pool["Arn"] == arn(replicable, SECONDARY)
    assert pool["Name"] == "global"
    assert pool["EstimatedNumberOfUsers"] == 1
    user = secondary.admin_get_user(UserPoolId=replicable, Username="alice")
    assert {a["Name"]: a["Value"] for a in user["UserAttributes"]}["email"] == "alice@example.com"
    assert [u["Username"] for u in secondary.list_users(UserPoolId=replicable)["Users"]] == ["alice"]
    groups = secondary.admin_list_groups_for_user(UserPoolId=replicable, Username="alice")["Groups"]
    assert [g["GroupName"] for g in groups] == ["admins"]


def test_a_region_without_a_replica_does_not_know_the_pool(emulator, idp, replicable):
    replicate(idp, replicable)
    other = regional_client(emulator, "us-west-2")
    code, message = error_of(other.describe_user_pool, UserPoolId=replicable)
    assert (code, message) == ("ResourceNotFoundException", f"User pool {replicable} does not exist.")


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("admin_create_user", {"Username": "bob"}),
        ("create_group", {"GroupName": "g"}),
        ("create_user_pool_client", {"ClientName": "c"}),
        ("add_custom_attributes", {"CustomAttributes": [{"Name": "x", "AttributeDataType": "String"}]}),
        ("delete_user_pool", {}),
        ("create_user_pool_replica", {"RegionName": "us-west-2"}),
        ("delete_user_pool_replica", {"RegionName": SECONDARY}),
    ],
)
def test_a_secondary_refuses_writes_of_users_and_shared_configuration(
    idp, replicable, secondary, operation, params
):
    replicate(idp, replicable)
    code, message = error_of(getattr(secondary, operation), UserPoolId=replicable, **params)
    assert code == "OperationNotEnabledException"
    assert "us-east-1, the primary Region" in message


def test_an_inactive_secondary_takes_no_end_user_requests(idp, replicable, secondary):
    replicate(idp, replicable)
    client_id = password_client(idp, replicable)
    make_user(idp, replicable)
    code, message = error_of(password_sign_in, secondary, client_id)
    assert code == "OperationNotEnabledException"
    assert "INACTIVE" in message
    # Administrator reads go on.
    assert secondary.admin_get_user(UserPoolId=replicable, Username="alice")["Username"] == "alice"


def test_an_active_secondary_signs_users_in_but_changes_no_user(idp, replicable, secondary):
    replicate(idp, replicable)
    client_id = password_client(idp, replicable)
    make_user(idp, replicable)
    activated = secondary.update_user_pool_replica(
        UserPoolId=replicable, RegionName=SECONDARY, Status="ACTIVE"
    )
    assert activated["UserPoolReplica"]["Status"] == "ACTIVE"
    tokens = password_sign_in(secondary, client_id)["AuthenticationResult"]
    assert secondary.get_user(AccessToken=tokens["AccessToken"])["Username"] == "alice"
    refreshed = secondary.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )
    assert "AccessToken" in refreshed["AuthenticationResult"]
    for call, params in (
        (secondary.sign_up, {"ClientId": client_id, "Username": "carol", "Password": PASSWORD}),
        (secondary.forgot_password, {"ClientId": client_id, "Username": "alice"}),
        (
            secondary.change_password,
            {
                "AccessToken": tokens["AccessToken"],
                "PreviousPassword": PASSWORD,
                "ProposedPassword": PASSWORD + "x",
            },
        ),
        (
            secondary.update_user_attributes,
            {"AccessToken": tokens["AccessToken"], "UserAttributes": [{"Name": "name", "Value": "A"}]},
        ),
        (secondary.associate_software_token, {"AccessToken": tokens["AccessToken"]}),
    ):
        assert code_of(call, **params) == "OperationNotEnabledException"
    # The primary still takes them.
    idp.change_password(
        AccessToken=tokens["AccessToken"], PreviousPassword=PASSWORD, ProposedPassword=PASSWORD + "x"
    )


def test_a_new_password_challenge_is_answered_only_in_the_primary(idp, replicable, secondary):
    replicate(idp, replicable)
    secondary.update_user_pool_replica(UserPoolId=replicable, RegionName=SECONDARY, Status="ACTIVE")
    client_id = password_client(idp, replicable)
    make_user(idp, replicable, password=None)
    challenge = password_sign_in(secondary, client_id, password="Temp0rary!")
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert code_of(answer_new_password, secondary, client_id, challenge) == "OperationNotEnabledException"


def test_regional_settings_and_tags_are_the_replicas_own(idp, replicable, secondary):
    idp.update_user_pool(
        UserPoolId=replicable,
        LambdaConfig={"PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:a"},
        KeyConfiguration=MULTI_REGION_KEY,
    )
    replicate(idp, replicable, UserPoolTags={"site": "dublin"})
    # Copied from the primary when the replica was made.
    described = secondary.describe_user_pool(UserPoolId=replicable)["UserPool"]
    assert described["LambdaConfig"] == {"PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:a"}
    assert described["UserPoolTags"] == {"site": "dublin"}
    regional_lambda = {"PreSignUp": f"arn:aws:lambda:{SECONDARY}:123456789012:function:b"}
    secondary.update_user_pool(
        UserPoolId=replicable,
        LambdaConfig=regional_lambda,
        EmailConfiguration={"EmailSendingAccount": "COGNITO_DEFAULT"},
    )
    assert secondary.describe_user_pool(UserPoolId=replicable)["UserPool"]["LambdaConfig"] == regional_lambda
    primary = idp.describe_user_pool(UserPoolId=replicable)["UserPool"]
    assert primary["LambdaConfig"]["PreSignUp"].endswith(":function:a")
    assert primary["UserPoolTags"] == {}
    # Shared settings change only in the primary.
    code, message = error_of(secondary.update_user_pool, UserPoolId=replicable, MfaConfiguration="OFF")
    assert code == "OperationNotEnabledException"
    assert "MfaConfiguration" in message
    # Tags by the replica's ARN, in its Region.
    secondary.tag_resource(ResourceArn=arn(replicable, SECONDARY), Tags={"team": "eu"})
    assert secondary.list_tags_for_resource(ResourceArn=arn(replicable, SECONDARY))["Tags"] == {
        "site": "dublin",
        "team": "eu",
    }
    secondary.untag_resource(ResourceArn=arn(replicable, SECONDARY), TagKeys=["site"])
    assert secondary.list_tags_for_resource(ResourceArn=arn(replicable, SECONDARY))["Tags"] == {"team": "eu"}
    assert idp.list_tags_for_resource(ResourceArn=arn(replicable, "us-east-1"))["Tags"] == {}
    assert (
        code_of(secondary.list_tags_for_resource, ResourceArn=arn(replicable, "us-east-1"))
        == "ResourceNotFoundException"
    )


PRIMARY_TRIGGER = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:primary-post-authentication"
SECONDARY_TRIGGER = f"arn:aws:lambda:{SECONDARY}:{ACCOUNT}:function:secondary-pre-authentication"


@pytest.fixture
def regional_triggers(emulator: Any) -> Iterator[list[tuple[str, str, str]]]:
    """(function ARN, trigger source, event Region) of each trigger invocation."""
    seen: list[tuple[str, str, str]] = []

    def recording(arn: str) -> Any:
        def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
            seen.append((arn, event["triggerSource"], event["region"]))
            return event

        return handler

    for arn in (PRIMARY_TRIGGER, SECONDARY_TRIGGER):
        emulator.triggers.register(arn, recording(arn))
    yield seen
    for arn in (PRIMARY_TRIGGER, SECONDARY_TRIGGER):
        emulator.triggers.unregister(arn)


def test_a_sign_in_runs_the_triggers_of_the_region_serving_it(idp, replicable, secondary, regional_triggers):
    idp.update_user_pool(
        UserPoolId=replicable,
        LambdaConfig={"PostAuthentication": PRIMARY_TRIGGER},
        KeyConfiguration=MULTI_REGION_KEY,
    )
    replicate(idp, replicable)
    secondary.update_user_pool(UserPoolId=replicable, LambdaConfig={"PreAuthentication": SECONDARY_TRIGGER})
    secondary.update_user_pool_replica(UserPoolId=replicable, RegionName=SECONDARY, Status="ACTIVE")
    client_id = password_client(idp, replicable)
    make_user(idp, replicable)
    assert "AuthenticationResult" in password_sign_in(secondary, client_id)
    assert regional_triggers == [(SECONDARY_TRIGGER, "PreAuthentication_Authentication", SECONDARY)]
    regional_triggers.clear()
    assert "AuthenticationResult" in password_sign_in(idp, client_id)
    assert regional_triggers == [(PRIMARY_TRIGGER, "PostAuthentication_Authentication", "us-east-1")]


def test_log_export_is_the_replicas_own(idp, replicable, secondary):
    replicate(idp, replicable)
    configuration = {
        "EventSource": "userNotification",
        "LogLevel": "ERROR",
        "CloudWatchLogsConfiguration": {"LogGroupArn": f"arn:aws:logs:{SECONDARY}:{ACCOUNT}:log-group:eu"},
    }
    secondary.set_log_delivery_configuration(UserPoolId=replicable, LogConfigurations=[configuration])
    regional = secondary.get_log_delivery_configuration(UserPoolId=replicable)["LogDeliveryConfiguration"]
    assert regional["LogConfigurations"] == [configuration]
    primary = idp.get_log_delivery_configuration(UserPoolId=replicable)["LogDeliveryConfiguration"]
    assert primary["LogConfigurations"] == []


def test_list_user_pools_names_the_replica_regions_in_both(idp, replicable, secondary):
    replicate(idp, replicable)
    listed = {p["Id"]: p for p in idp.list_user_pools(MaxResults=60)["UserPools"]}
    assert listed[replicable]["ReplicaRegions"] == [SECONDARY]
    there = secondary.list_user_pools(MaxResults=60)["UserPools"]
    assert [(p["Id"], p["ReplicaRegions"]) for p in there] == [(replicable, [SECONDARY])]


def test_a_pool_without_replicas_lists_no_replica_regions(idp, pool_id):
    listed = idp.list_user_pools(MaxResults=60)["UserPools"]
    assert "ReplicaRegions" not in listed[0]


def test_delete_takes_an_inactive_replica_and_the_region_forgets_the_pool(idp, replicable, secondary):
    replicate(idp, replicable)
    secondary.update_user_pool_replica(UserPoolId=replicable, RegionName=SECONDARY, Status="ACTIVE")
    code, message = error_of(idp.delete_user_pool_replica, UserPoolId=replicable, RegionName=SECONDARY)
    assert code == "InvalidParameterException"
    assert "only an INACTIVE replica can be deleted" in message
    idp.update_user_pool_replica(UserPoolId=replicable, RegionName=SECONDARY, Status="INACTIVE")
    deleted = idp.delete_user_pool_replica(UserPoolId=replicable, RegionName=SECONDARY)["UserPoolReplica"]
    assert (deleted["Status"], deleted["Role"]) == ("DELETING", "SECONDARY")
    assert code_of(secondary.describe_user_pool, UserPoolId=replicable) == "ResourceNotFoundException"
    assert len(idp.list_user_pool_replicas(UserPoolId=replicable)["UserPoolReplicas"]) == 1
    # Replicas gone, the pool itself can go.
    idp.delete_user_pool(UserPoolId=replicable)


def test_a_pool_with_a_replica_cannot_be_deleted(idp, replicable):
    replicate(idp, replicable)
    code, message = error_of(idp.delete_user_pool, UserPoolId=replicable)
    assert code == "InvalidParameterException"
    assert SECONDARY in message


def test_create_errors(idp, replicable, pool_id):
    cases = [
        ({"UserPoolId": "us-east-1_missing", "RegionName": SECONDARY}, "ResourceNotFoundException"),
        ({"UserPoolId": replicable, "RegionName": "us-east-1"}, "InvalidParameterException"),
        ({"UserPoolId": replicable, "RegionName": "xx-nowhere-1"}, "InvalidParameterException"),
        ({"UserPoolId": replicable, "RegionName": "cn-north-1"}, "InvalidParameterException"),
        # No multi-Region KMS key.
        ({"UserPoolId": pool_id, "RegionName": SECONDARY}, "InvalidParameterException"),
    ]
    for params, expected in cases:
        assert code_of(idp.create_user_pool_replica, **params) == expected, params
    replicate(idp, replicable)
    assert (
        code_of(idp.create_user_pool_replica, UserPoolId=replicable, RegionName=SECONDARY)
        == "InvalidParameterException"
    )
    code, message = error_of(idp.create_user_pool_replica, UserPoolId=replicable, RegionName="ap-south-1")
    assert code == "LimitExceededException"
    assert "at most 1" in message


def test_a_lite_pool_has_no_replicas(idp):
    pool_id = idp.create_user_pool(PoolName="lite", UserPoolTier="LITE", KeyConfiguration=MULTI_REGION_KEY)[
        "UserPool"
    ]["Id"]
    code = code_of(idp.create_user_pool_replica, UserPoolId=pool_id, RegionName=SECONDARY)
    assert code == "FeatureUnavailableInTierException"


def test_a_single_region_key_is_not_enough(idp):
    key = {
        **MULTI_REGION_KEY,
        "KmsKeyArn": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    }
    pool_id = idp.create_user_pool(PoolName="single", KeyConfiguration=key)["UserPool"]["Id"]
    code, message = error_of(idp.create_user_pool_replica, UserPoolId=pool_id, RegionName=SECONDARY)
    assert code == "InvalidParameterException"
    assert "multi-Region" in message


def test_update_and_delete_errors(idp, replicable, secondary):
    replicate(idp, replicable)
    assert code_of(
        idp.update_user_pool_replica, UserPoolId=replicable, RegionName="ap-south-1", Status="ACTIVE"
    ) == ("ResourceNotFoundException")
    assert code_of(
        idp.update_user_pool_replica, UserPoolId=replicable, RegionName="us-east-1", Status="INACTIVE"
    ) == ("InvalidParameterException")
    assert code_of(idp.delete_user_pool_replica, UserPoolId=replicable, RegionName="ap-south-1") == (
        "ResourceNotFoundException"
    )
    assert code_of(idp.list_user_pool_replicas, UserPoolId="us-east-1_missing") == "ResourceNotFoundException"


def test_bad_input_is_a_validation_error(raw, replicable):
    for operation, params in (
        ("create_user_pool_replica", {"UserPoolId": replicable, "RegionName": "eu"}),
        ("create_user_pool_replica", {"UserPoolId": "no-underscore", "RegionName": SECONDARY}),
        (
            "update_user_pool_replica",
            {"UserPoolId": replicable, "RegionName": SECONDARY, "Status": "DELETING"},
        ),
        ("delete_user_pool_replica", {"UserPoolId": replicable, "RegionName": "x" * 33}),
        ("list_user_pool_replicas", {"UserPoolId": replicable, "NextToken": ""}),
    ):
        code, message = error_of(getattr(raw, operation), **params)
        assert code == "InvalidParameterException", (operation, params)
        assert " validation error" in message and "detected: Value " in message, message
    code, message = error_of(raw.list_user_pool_replicas, UserPoolId=replicable, NextToken="garbage")
    assert (code, message) == ("InvalidParameterException", "Invalid pagination token.")


def test_a_replica_survives_a_snapshot_and_restore(emulator, idp, replicable, secondary):
    replicate(idp, replicable)
    snapshot = emulator.snapshot()
    emulator.restore(snapshot)
    assert secondary.describe_user_pool(UserPoolId=replicable)["UserPool"]["Arn"] == arn(
        replicable, SECONDARY
    )


def test_failed_sign_ins_lock_a_user_out_in_one_region_only(idp, replicable, secondary):
    replicate(idp, replicable)
    secondary.update_user_pool_replica(UserPoolId=replicable, RegionName=SECONDARY, Status="ACTIVE")
    client_id = password_client(idp, replicable)
    make_user(idp, replicable)
    for _ in range(5):
        assert (
            code_of(password_sign_in, idp, client_id, password="Wrong-Passw0rd!") == "NotAuthorizedException"
        )
    code, message = error_of(password_sign_in, idp, client_id)
    assert (code, message) == ("NotAuthorizedException", "Password attempts exceeded")
    # Each replica keeps its own count (developer guide, multi-Region replication).
    assert "AuthenticationResult" in password_sign_in(secondary, client_id)
    for _ in range(5):
        assert code_of(password_sign_in, secondary, client_id, password="Wrong-Passw0rd!") == (
            "NotAuthorizedException"
        )
    assert message_of(password_sign_in, secondary, client_id) == "Password attempts exceeded"


MIGRATION_TRIGGER = f"arn:aws:lambda:{SECONDARY}:{ACCOUNT}:function:secondary-migration"


def test_a_secondary_migrates_no_user(emulator, idp, replicable, secondary):
    migrated: list[str] = []

    def migrate(event: dict[str, Any], context: Any) -> dict[str, Any]:
        migrated.append(event["region"])
        event["response"]["userAttributes"] = {"email": "mia@example.com"}
        return event

    emulator.triggers.register(MIGRATION_TRIGGER, migrate)
    try:
        idp.update_user_pool(
            UserPoolId=replicable,
            LambdaConfig={"UserMigration": MIGRATION_TRIGGER},
            KeyConfiguration=MULTI_REGION_KEY,
        )
        replicate(idp, replicable)
        secondary.update_user_pool_replica(UserPoolId=replicable, RegionName=SECONDARY, Status="ACTIVE")
        client_id = password_client(idp, replicable)
        # Secondaries create no users: an unknown name is unknown there, and the trigger does not run.
        assert code_of(password_sign_in, secondary, client_id, "mia") == "UserNotFoundException"
        assert migrated == []
        assert "AuthenticationResult" in password_sign_in(idp, client_id, "mia")
        assert migrated == ["us-east-1"]
    finally:
        emulator.triggers.unregister(MIGRATION_TRIGGER)


def test_the_hosted_login_in_a_secondarys_region_runs_that_replicas_triggers(
    emulator, idp, replicable, secondary, regional_triggers
):
    idp.update_user_pool(
        UserPoolId=replicable,
        LambdaConfig={"PostAuthentication": PRIMARY_TRIGGER},
        KeyConfiguration=MULTI_REGION_KEY,
    )
    client_id = hosted_client(idp, replicable)
    replicate(idp, replicable)
    secondary.update_user_pool(UserPoolId=replicable, LambdaConfig={"PreAuthentication": SECONDARY_TRIGGER})
    secondary.update_user_pool_replica(UserPoolId=replicable, RegionName=SECONDARY, Status="ACTIVE")
    make_user(idp, replicable)
    signed_in = HostedPages(emulator, SECONDARY).sign_in(client_id)
    assert signed_in.status == 302
    assert signed_in.headers["Location"].startswith(f"{CALLBACK}?code=")
    assert regional_triggers == [(SECONDARY_TRIGGER, "PreAuthentication_Authentication", SECONDARY)]
    regional_triggers.clear()
    assert HostedPages(emulator, "us-east-1").sign_in(client_id).status == 302
    assert regional_triggers == [(PRIMARY_TRIGGER, "PostAuthentication_Authentication", "us-east-1")]


def test_a_secondarys_hosted_pages_refuse_sign_up_and_password_reset(emulator, idp, replicable, secondary):
    client_id = hosted_client(idp, replicable)
    replicate(idp, replicable)
    make_user(idp, replicable)
    query = authorize_query(client_id)
    pages = HostedPages(emulator, SECONDARY)
    inactive = pages.request("GET", f"/login?{query}")
    assert inactive.status == 400
    assert b"INACTIVE" in inactive.body
    secondary.update_user_pool_replica(UserPoolId=replicable, RegionName=SECONDARY, Status="ACTIVE")
    assert pages.request("GET", f"/login?{query}").status == 200
    for path in ("/signup", "/forgotPassword"):
        refused = pages.request("GET", f"{path}?{query}")
        assert refused.status == 400
        assert b"not available in a secondary replica" in refused.body
    # The primary's domain still offers them.
    assert HostedPages(emulator, "us-east-1").request("GET", f"/signup?{query}").status == 200


def test_a_secondarys_hosted_login_sets_no_password_or_mfa_and_asks_no_totp(
    emulator, idp, replicable, secondary
):
    idp.set_user_pool_mfa_config(
        UserPoolId=replicable, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    client_id = hosted_client(idp, replicable)
    make_user(idp, replicable, "alice", password=None)
    make_user(idp, replicable, "bob")
    make_user(idp, replicable, "carol")
    carol_token = password_sign_in(idp, password_client(idp, replicable), "carol")["AuthenticationResult"]
    register_totp(emulator, idp, carol_token["AccessToken"])
    # MFA required: bob, who has no factor, would set up an authenticator app at sign-in.
    idp.set_user_pool_mfa_config(
        UserPoolId=replicable, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    replicate(idp, replicable)
    secondary.update_user_pool_replica(UserPoolId=replicable, RegionName=SECONDARY, Status="ACTIVE")
    signers = (("alice", TEMPORARY_PASSWORD), ("bob", PASSWORD), ("carol", PASSWORD))
    in_secondary = HostedPages(emulator, SECONDARY)
    for (username, password), challenge in zip(
        signers, ("NEW_PASSWORD_REQUIRED", "MFA_SETUP", "SOFTWARE_TOKEN_MFA"), strict=True
    ):
        page = in_secondary.sign_in(client_id, username, password)
        assert page.status == 200
        refused = Form(page.body.decode())
        assert refused.error.startswith(f"The {challenge} challenge can be answered only in us-east-1")
        assert {"new_password", "code"}.isdisjoint(refused.fields)
    # The primary's domain shows each form.
    in_primary = HostedPages(emulator, "us-east-1")
    for (username, password), field in zip(signers, ("new_password", "code", "code"), strict=True):
        assert field in Form(in_primary.sign_in(client_id, username, password).body.decode()).fields


def test_a_federated_user_signs_in_to_a_secondary_only_after_the_primary(
    emulator, idp, replicable, secondary
):
    make_google_provider(idp, replicable)
    client_id = hosted_client(idp, replicable, ("COGNITO", "Google"))
    replicate(idp, replicable)
    secondary.update_user_pool_replica(UserPoolId=replicable, RegionName=SECONDARY, Status="ACTIVE")
    assertion = json.dumps({"sub": "g-1", "email": "gail@example.com"})
    query = authorize_query(client_id, identity_provider="Google", emu_assertion=assertion)

    in_secondary = HostedPages(emulator, SECONDARY)
    refused = in_secondary.follow(in_secondary.request("GET", f"/oauth2/authorize?{query}"))
    assert refused.status == 302
    assert "error=invalid_request" in refused.headers["Location"]
    assert "has+not+signed+in" in refused.headers["Location"]
    assert idp.list_users(UserPoolId=replicable)["Users"] == []

    in_primary = HostedPages(emulator, "us-east-1")
    first = in_primary.follow(in_primary.request("GET", f"/oauth2/authorize?{query}"))
    assert first.headers["Location"].startswith(f"{CALLBACK}?code=")
    again = in_secondary.follow(in_secondary.request("GET", f"/oauth2/authorize?{query}"))
    assert again.headers["Location"].startswith(f"{CALLBACK}?code=")


def test_a_seed_declares_replicas_and_exports_them(emulator, idp, secondary):
    pool_entry = {
        "PoolName": "seeded-global",
        "KeyConfiguration": MULTI_REGION_KEY,
        "users": [{"Username": "alice", "password": PASSWORD}],
        "clients": [{"ClientName": "app", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}],
        "replicas": [
            {
                "RegionName": SECONDARY,
                "Status": "ACTIVE",
                "UserPoolTags": {"team": "dublin"},
                "LambdaConfig": {"PreAuthentication": SECONDARY_TRIGGER},
            }
        ],
    }
    emulator.load_seed({"userPools": [pool_entry]})
    (pool,) = [p for p in idp.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == "seeded-global"]
    (replica,) = [
        r
        for r in secondary.list_user_pool_replicas(UserPoolId=pool["Id"])["UserPoolReplicas"]
        if r["Role"] == "SECONDARY"
    ]
    assert (replica["RegionName"], replica["Status"]) == (SECONDARY, "ACTIVE")
    described = secondary.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert described["LambdaConfig"] == {"PreAuthentication": SECONDARY_TRIGGER}
    assert secondary.list_tags_for_resource(ResourceArn=arn(pool["Id"], SECONDARY))["Tags"] == {
        "team": "dublin"
    }
    (exported,) = [p for p in emulator.export_seed()["userPools"] if p["Id"] == pool["Id"]]
    assert exported["replicas"] == [
        {
            "RegionName": SECONDARY,
            "Status": "ACTIVE",
            "UserPoolTags": {"team": "dublin"},
            "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
            "LambdaConfig": {"PreAuthentication": SECONDARY_TRIGGER},
        }
    ]


def test_a_seeds_replica_follows_the_apis_rules(emulator):
    with pytest.raises(SeedError) as raised:
        emulator.load_seed({"userPools": [{"PoolName": "local", "replicas": [{"RegionName": SECONDARY}]}]})
    assert "userPools[0].replicas[0]" in str(raised.value)
    assert "multi-Region customer managed" in str(raised.value)
