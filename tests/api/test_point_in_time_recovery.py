"""Point-in-time recovery through boto3: Initiate/Start/Cancel/Describe/ListPointInTimeRecoveries
restoring a pool's users and groups from the emulator's own history, on the emulator's clock."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import types
from typing import Any

import pytest

from cognito_emu.idp import models
from cognito_emu.idp.models import ImportJobStatus, UserAttributes
from cognito_emu.idp.pool import point_in_time
from tests.api.support import (
    CALLBACK,
    NEW_PASSWORD,
    PASSWORD,
    TEMPORARY_PASSWORD,
    HostedPages,
    answer_new_password,
    attrs,
    authorize_query,
    boto_client,
    code_of,
    error_of,
    hosted_client,
    make_client_id,
    make_google_provider,
    make_user,
    password_sign_in,
    register_totp,
    send,
)
from tests.oauth.oauth_support import Form

MINUTE = 60.0
DAY = 86400.0


@pytest.fixture
def client_id(idp: Any, pool_id: str) -> str:
    return make_client_id(
        idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )


def usernames(idp: Any, pool_id: str) -> list[str]:
    return sorted(u["Username"] for u in idp.list_users(UserPoolId=pool_id)["Users"])


def preview_of(restoration: dict[str, Any]) -> dict[str, tuple[int, int, int]]:
    return {
        p["Entity"]: (p["CreateCount"], p["UpdateCount"], p["DeleteCount"])
        for p in restoration["RestorePreview"]
    }


def initiate(idp: Any, pool_id: str, moment: float) -> dict[str, Any]:
    return idp.initiate_point_in_time_recovery(UserPoolId=pool_id, RestoreTimestamp=moment)["Restoration"]


def recoverable_moment(emulator: Any, idp: Any, pool_id: str) -> float:
    """A pool with a user, and a recovery point old enough to initiate a recovery to."""
    make_user(idp, pool_id, "alice")
    emulator.clock.advance(20 * MINUTE)
    return float(emulator.clock.now() - 16 * MINUTE)


def preview_and_cancel(idp: Any, pool_id: str, moment: float) -> str:
    restore_id: str = initiate(idp, pool_id, moment)["RestoreId"]
    idp.cancel_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)
    return restore_id


def test_a_recovery_brings_users_and_groups_back_as_they_were(emulator, idp, pool_id, client_id):
    make_user(idp, pool_id, "alice", email="alice@example.com")
    make_user(idp, pool_id, "bob")
    idp.create_group(UserPoolId=pool_id, GroupName="admins")
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName="admins")
    emulator.clock.advance(MINUTE)
    recovery_point = emulator.clock.now()
    emulator.clock.advance(MINUTE)
    # The accident, after the recovery point.
    idp.admin_delete_user(UserPoolId=pool_id, Username="bob")
    idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="alice",
        UserAttributes=[{"Name": "email", "Value": "mallory@example.com"}],
    )
    make_user(idp, pool_id, "carol")
    idp.delete_group(UserPoolId=pool_id, GroupName="admins")
    emulator.clock.advance(20 * MINUTE)
    initiated_at = emulator.clock.now()

    started = initiate(idp, pool_id, recovery_point)
    assert started["RestoreStatus"] == "PREVIEW_GENERATING"
    assert started["RestoreTimestamp"].timestamp() == pytest.approx(recovery_point)
    assert started["TriggerTimestamp"].timestamp() == pytest.approx(initiated_at)
    assert "RestorePreview" not in started
    restore_id = started["RestoreId"]
    described = idp.describe_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)["Restoration"]
    assert described["RestoreStatus"] == "PREVIEW_GENERATED"
    assert preview_of(described) == {
        "Users": (1, 1, 1),
        "Groups": (1, 0, 0),
        "User MFAs": (0, 0, 0),
        "Passkeys": (0, 0, 0),
    }
    # Nothing changed yet, and user data writes wait; sign-in and reads go on.
    assert usernames(idp, pool_id) == ["alice", "carol"]
    code, message = error_of(idp.admin_create_user, UserPoolId=pool_id, Username="dave")
    assert code == "OperationNotEnabledException"
    assert restore_id in message
    assert (
        code_of(idp.sign_up, ClientId=client_id, Username="erin", Password=PASSWORD)
        == "OperationNotEnabledException"
    )
    assert "AuthenticationResult" in password_sign_in(idp, client_id, "alice")
    # Configuration is not paused.
    make_client_id(idp, pool_id)

    applied = idp.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)["Restoration"]
    assert applied["RestoreStatus"] == "RESTORING"
    assert preview_of(applied)["Users"] == (1, 1, 1)
    done = idp.describe_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)["Restoration"]
    assert done["RestoreStatus"] == "RESTORE_COMPLETED"
    assert usernames(idp, pool_id) == ["alice", "bob"]
    alice = idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert attrs(alice["UserAttributes"])["email"] == "alice@example.com"
    members = idp.list_users_in_group(UserPoolId=pool_id, GroupName="admins")["Users"]
    assert [u["Username"] for u in members] == ["alice"]
    # The recreated user signs in with the password it had; writes are back.
    assert "AuthenticationResult" in password_sign_in(idp, client_id, "bob")
    idp.admin_create_user(UserPoolId=pool_id, Username="dave", MessageAction="SUPPRESS")


def test_a_password_changed_after_the_recovery_point_is_kept(emulator, idp, pool_id, client_id):
    make_user(idp, pool_id, "alice")
    emulator.clock.advance(MINUTE)
    recovery_point = emulator.clock.now()
    emulator.clock.advance(MINUTE)
    idp.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=NEW_PASSWORD, Permanent=True)
    idp.admin_disable_user(UserPoolId=pool_id, Username="alice")
    emulator.clock.advance(20 * MINUTE)
    restore_id = initiate(idp, pool_id, recovery_point)["RestoreId"]
    idp.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)
    assert idp.admin_get_user(UserPoolId=pool_id, Username="alice")["Enabled"] is True
    assert "AuthenticationResult" in password_sign_in(idp, client_id, "alice", NEW_PASSWORD)
    assert code_of(password_sign_in, idp, client_id, "alice", PASSWORD) == "NotAuthorizedException"


def test_a_recovery_point_after_the_last_write_changes_nothing(emulator, idp, pool_id):
    make_user(idp, pool_id, "alice")
    emulator.clock.advance(30 * MINUTE)
    restore_id = initiate(idp, pool_id, emulator.clock.now() - 20 * MINUTE)["RestoreId"]
    described = idp.describe_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)["Restoration"]
    assert set(preview_of(described).values()) == {(0, 0, 0)}


def test_cancel_discards_the_preview_and_resumes_writes(emulator, idp, pool_id):
    make_user(idp, pool_id, "alice")
    emulator.clock.advance(MINUTE)
    recovery_point = emulator.clock.now()
    emulator.clock.advance(MINUTE)
    idp.admin_delete_user(UserPoolId=pool_id, Username="alice")
    emulator.clock.advance(20 * MINUTE)
    restore_id = initiate(idp, pool_id, recovery_point)["RestoreId"]
    cancelled = idp.cancel_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)["Restoration"]
    assert cancelled["RestoreStatus"] == "PREVIEW_CANCELLED"
    assert usernames(idp, pool_id) == []
    make_user(idp, pool_id, "bob")
    code, message = error_of(idp.start_point_in_time_recovery, UserPoolId=pool_id, RestoreId=restore_id)
    assert code == "InvalidParameterException"
    assert "PREVIEW_CANCELLED" in message
    assert code_of(idp.cancel_point_in_time_recovery, UserPoolId=pool_id, RestoreId=restore_id) == (
        "InvalidParameterException"
    )


def test_a_preview_expires_after_a_day(emulator, idp, pool_id):
    restore_id = initiate(idp, pool_id, recoverable_moment(emulator, idp, pool_id))["RestoreId"]
    emulator.clock.advance(DAY)
    described = idp.describe_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)["Restoration"]
    assert described["RestoreStatus"] == "PREVIEW_EXPIRED"
    make_user(idp, pool_id, "bob")
    assert code_of(idp.start_point_in_time_recovery, UserPoolId=pool_id, RestoreId=restore_id) == (
        "InvalidParameterException"
    )


def test_the_new_password_challenge_waits_for_the_recovery(emulator, idp, pool_id, client_id):
    make_user(idp, pool_id, "alice", password=None)
    emulator.clock.advance(20 * MINUTE)
    initiate(idp, pool_id, emulator.clock.now() - 16 * MINUTE)
    challenge = password_sign_in(idp, client_id, "alice", "Temp0rary!")
    assert code_of(answer_new_password, idp, client_id, challenge) == "OperationNotEnabledException"


def test_recovery_point_errors(emulator, idp, pool_id):
    now = emulator.clock.now()
    code, message = error_of(initiate, idp, pool_id, now - 5 * MINUTE)
    assert (code, message) == (
        "InvalidParameterException",
        "The recovery point must be at least 15 minutes in the past.",
    )
    emulator.clock.advance(2 * DAY)
    code, message = error_of(initiate, idp, pool_id, now - MINUTE)
    assert code == "InvalidParameterException"
    assert "creation of the user pool" in message
    code, message = error_of(initiate, idp, pool_id, now + MINUTE)
    assert code == "InvalidParameterException"
    assert "within the last 1 day with the ESSENTIALS feature plan" in message
    assert code_of(initiate, idp, "us-east-1_missing", now) == "ResourceNotFoundException"


def test_plus_recovers_two_weeks_and_lite_none(emulator, idp):
    plus = idp.create_user_pool(PoolName="plus", UserPoolTier="PLUS")["UserPool"]["Id"]
    lite = idp.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    created = emulator.clock.now()
    make_user(idp, plus, "alice")
    emulator.clock.advance(10 * DAY)
    assert initiate(idp, plus, created + MINUTE)["RestoreStatus"] == "PREVIEW_GENERATING"
    code, message = error_of(initiate, idp, lite, created + MINUTE)
    assert code == "FeatureUnavailableInTierException"
    assert "Essentials and Plus" in message


def set_tier(idp: Any, pool_id: str, tier: str) -> None:
    idp.update_user_pool(UserPoolId=pool_id, UserPoolTier=tier)


def test_the_pool_must_have_been_on_the_needed_plan_since_the_recovery_point(emulator, idp):
    pool_id = idp.create_user_pool(PoolName="upgraded")["UserPool"]["Id"]
    make_user(idp, pool_id, "alice")
    emulator.clock.advance(3 * DAY)
    set_tier(idp, pool_id, "PLUS")
    emulator.clock.advance(DAY / 2)
    # Plus now, but on Essentials two days ago: Essentials recovers one day back, not two.
    code, message = error_of(initiate, idp, pool_id, emulator.clock.now() - 2 * DAY)
    assert code == "InvalidParameterException"
    assert "was on the ESSENTIALS feature plan after the recovery point" in message
    assert "needs the PLUS feature plan" in message
    # Twenty hours back both plans recover.
    recovery = initiate(idp, pool_id, emulator.clock.now() - 20 * 3600)
    idp.cancel_point_in_time_recovery(UserPoolId=pool_id, RestoreId=recovery["RestoreId"])


def test_a_lite_spell_after_the_recovery_point_refuses_it(emulator, idp):
    pool_id = idp.create_user_pool(PoolName="downgraded", UserPoolTier="PLUS")["UserPool"]["Id"]
    make_user(idp, pool_id, "alice")
    emulator.clock.advance(DAY)
    before = emulator.clock.now()
    set_tier(idp, pool_id, "LITE")
    emulator.clock.advance(DAY)
    set_tier(idp, pool_id, "PLUS")
    emulator.clock.advance(DAY)
    code, message = error_of(initiate, idp, pool_id, before - MINUTE)
    assert code == "InvalidParameterException"
    assert "was on the LITE feature plan after the recovery point" in message


def fail_next(emulator: Any, pool_id: str, status: str | None) -> Any:
    body = json.dumps({"userPoolId": pool_id, "status": status}).encode()
    return send(emulator, "POST", "/_emu/point-in-time-recovery-failure", body)


def test_a_preview_that_fails_to_generate_changes_nothing(emulator, idp, pool_id):
    moment = recoverable_moment(emulator, idp, pool_id)
    answer = fail_next(emulator, pool_id, "PREVIEW_GENERATION_FAILED")
    assert json.loads(answer.body)["nextRecoveryFailure"] == "PREVIEW_GENERATION_FAILED"
    failed = initiate(idp, pool_id, moment)
    assert failed["RestoreStatus"] == "PREVIEW_GENERATING"
    described = idp.describe_point_in_time_recovery(UserPoolId=pool_id, RestoreId=failed["RestoreId"])
    assert described["Restoration"]["RestoreStatus"] == "PREVIEW_GENERATION_FAILED"
    assert "RestorePreview" not in described["Restoration"]
    # Writes go on, the failed recovery can be neither started nor cancelled, and a new one may begin.
    idp.admin_create_user(UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS")
    for operation in (idp.start_point_in_time_recovery, idp.cancel_point_in_time_recovery):
        assert code_of(operation, UserPoolId=pool_id, RestoreId=failed["RestoreId"]) == (
            "InvalidParameterException"
        )
    again = initiate(idp, pool_id, moment)["RestoreId"]
    listed = idp.list_point_in_time_recoveries(UserPoolId=pool_id)["Restorations"]
    assert [(r["RestoreId"], r["RestoreStatus"]) for r in listed] == [
        (again, "PREVIEW_GENERATED"),
        (failed["RestoreId"], "PREVIEW_GENERATION_FAILED"),
    ]


@pytest.mark.parametrize("failure", ["TEMPORARY_INTERNAL_ERROR_SEE_SUPPORT_CASE", "AWS_ABORTED"])
def test_a_recovery_that_fails_once_started_keeps_writes_paused(emulator, idp, pool_id, failure):
    moment = recoverable_moment(emulator, idp, pool_id)
    idp.admin_delete_user(UserPoolId=pool_id, Username="alice")
    emulator.clock.advance(20 * MINUTE)
    emulator.fail_next_point_in_time_recovery(pool_id, failure)
    restore_id = initiate(idp, pool_id, moment)["RestoreId"]
    started = idp.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)["Restoration"]
    assert started["RestoreStatus"] == "RESTORING"
    described = idp.describe_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)["Restoration"]
    assert described["RestoreStatus"] == failure
    assert preview_of(described)["Users"] == (1, 0, 0)
    # Nothing was restored, nothing can be written, and the recovery can be neither cancelled nor retried.
    assert usernames(idp, pool_id) == []
    code, message = error_of(idp.admin_create_user, UserPoolId=pool_id, Username="bob")
    assert code == "OperationNotEnabledException"
    assert failure in message
    for operation in (idp.start_point_in_time_recovery, idp.cancel_point_in_time_recovery):
        assert code_of(operation, UserPoolId=pool_id, RestoreId=restore_id) == "InvalidParameterException"
    assert code_of(initiate, idp, pool_id, moment) == "ConcurrentModificationException"
    emulator.clock.advance(2 * DAY)
    assert (
        code_of(idp.admin_create_user, UserPoolId=pool_id, Username="bob") == "OperationNotEnabledException"
    )


def test_asking_for_a_failure_that_is_not_one(emulator, idp, pool_id):
    answer = fail_next(emulator, pool_id, "RESTORE_COMPLETED")
    assert answer.status == 400
    assert json.loads(answer.body)["error"] == "InvalidParameterException"
    assert fail_next(emulator, "us-east-1_missing", "AWS_ABORTED").status == 404
    # Cleared, the next recovery succeeds.
    fail_next(emulator, pool_id, "AWS_ABORTED")
    assert json.loads(fail_next(emulator, pool_id, None).body)["nextRecoveryFailure"] is None
    moment = recoverable_moment(emulator, idp, pool_id)
    restore_id = initiate(idp, pool_id, moment)["RestoreId"]
    idp.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)
    described = idp.describe_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)
    assert described["Restoration"]["RestoreStatus"] == "RESTORE_COMPLETED"


def test_one_active_recovery_and_the_daily_limits(emulator, idp, pool_id):
    moment = recoverable_moment(emulator, idp, pool_id)
    first = initiate(idp, pool_id, moment)["RestoreId"]
    assert code_of(initiate, idp, pool_id, moment) == "ConcurrentModificationException"
    idp.cancel_point_in_time_recovery(UserPoolId=pool_id, RestoreId=first)
    preview_and_cancel(idp, pool_id, moment)
    third = initiate(idp, pool_id, moment)["RestoreId"]
    idp.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=third)
    code, message = error_of(initiate, idp, pool_id, moment)
    assert code == "LimitExceededException"
    assert "completed a point-in-time recovery in the last 24 hours" in message
    emulator.clock.advance(DAY)
    # A day later the pool may recover again, but not to a point older than its window.
    assert code_of(initiate, idp, pool_id, moment) == "InvalidParameterException"


def test_three_previews_a_day(emulator, idp, pool_id):
    moment = recoverable_moment(emulator, idp, pool_id)
    for _ in range(3):
        preview_and_cancel(idp, pool_id, moment)
    code, message = error_of(initiate, idp, pool_id, moment)
    assert code == "LimitExceededException"
    assert "3 recovery previews in the last 24 hours" in message


def test_list_most_recent_first_with_pages(emulator, idp, pool_id):
    moment = recoverable_moment(emulator, idp, pool_id)
    ids = [preview_and_cancel(idp, pool_id, moment) for _ in range(2)]
    listed = idp.list_point_in_time_recoveries(UserPoolId=pool_id)["Restorations"]
    assert [(r["RestoreId"], r["RestoreStatus"]) for r in listed] == [
        (ids[1], "PREVIEW_CANCELLED"),
        (ids[0], "PREVIEW_CANCELLED"),
    ]
    assert "RestorePreview" not in listed[0]
    page = idp.list_point_in_time_recoveries(UserPoolId=pool_id, MaxResults=1)
    assert [r["RestoreId"] for r in page["Restorations"]] == [ids[1]]
    rest = idp.list_point_in_time_recoveries(UserPoolId=pool_id, MaxResults=1, NextToken=page["NextToken"])
    assert [r["RestoreId"] for r in rest["Restorations"]] == [ids[0]]
    assert "NextToken" not in rest
    assert (
        idp.list_point_in_time_recoveries(UserPoolId=idp.create_user_pool(PoolName="x")["UserPool"]["Id"])[
            "Restorations"
        ]
        == []
    )


def test_unknown_recoveries_and_pools(idp, pool_id):
    unknown = "00000000-0000-4000-8000-000000000000"
    for operation in ("describe", "start", "cancel"):
        call = getattr(idp, f"{operation}_point_in_time_recovery")
        code, message = error_of(call, UserPoolId=pool_id, RestoreId=unknown)
        assert (code, message) == (
            "ResourceNotFoundException",
            f"Point-in-time recovery {unknown} does not exist.",
        )
    assert (
        code_of(idp.list_point_in_time_recoveries, UserPoolId="us-east-1_missing")
        == "ResourceNotFoundException"
    )


def test_bad_input_is_a_validation_error(raw, pool_id):
    for operation, params in (
        ("describe_point_in_time_recovery", {"UserPoolId": pool_id, "RestoreId": "not-a-uuid"}),
        ("start_point_in_time_recovery", {"UserPoolId": pool_id, "RestoreId": "A" * 36}),
        (
            "cancel_point_in_time_recovery",
            {"UserPoolId": "bad", "RestoreId": "00000000-0000-4000-8000-000000000000"},
        ),
        ("list_point_in_time_recoveries", {"UserPoolId": pool_id, "MaxResults": 0}),
        ("list_point_in_time_recoveries", {"UserPoolId": pool_id, "MaxResults": 61}),
    ):
        code, message = error_of(getattr(raw, operation), **params)
        assert code == "InvalidParameterException", (operation, params)
        assert "validation error" in message and "detected: Value " in message, message
    code, message = error_of(raw.list_point_in_time_recoveries, UserPoolId=pool_id, NextToken="garbage")
    assert (code, message) == ("InvalidParameterException", "Invalid pagination token.")


def test_a_secondary_replica_cannot_initiate(emulator, idp):
    key = {
        "KeyType": "CUSTOMER_MANAGED_KEY",
        "KmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
    }
    pool_id = idp.create_user_pool(PoolName="global", KeyConfiguration=key)["UserPool"]["Id"]
    idp.create_user_pool_replica(UserPoolId=pool_id, RegionName="eu-west-1")
    emulator.clock.advance(20 * MINUTE)
    secondary = boto_client(emulator, region_name="eu-west-1")
    code = code_of(initiate, secondary, pool_id, emulator.clock.now() - 16 * MINUTE)
    assert code == "OperationNotEnabledException"
    assert secondary.list_point_in_time_recoveries(UserPoolId=pool_id)["Restorations"] == []


def test_five_active_recoveries_an_account(emulator, idp):
    pools = [idp.create_user_pool(PoolName=f"p{i}")["UserPool"]["Id"] for i in range(6)]
    emulator.clock.advance(20 * MINUTE)
    moment = emulator.clock.now() - 16 * MINUTE
    for pool_id in pools[:5]:
        initiate(idp, pool_id, moment)
    code, message = error_of(initiate, idp, pools[5], moment)
    assert (code, message) == ("LimitExceededException", "The account has 5 active point-in-time recoveries.")


def test_ten_previews_a_day_an_account(emulator, idp):
    pools = [idp.create_user_pool(PoolName=f"p{i}")["UserPool"]["Id"] for i in range(4)]
    emulator.clock.advance(20 * MINUTE)
    moment = emulator.clock.now() - 16 * MINUTE
    for index in range(10):
        preview_and_cancel(idp, pools[index // 3], moment)
    code, message = error_of(initiate, idp, pools[3], moment)
    assert (code, message) == (
        "LimitExceededException",
        "The account made 10 recovery previews in the last 24 hours.",
    )


def test_ten_previews_in_thirty_days_a_pool(emulator, idp, pool_id):
    for _ in range(10):
        emulator.clock.advance(DAY / 2)
        preview_and_cancel(idp, pool_id, emulator.clock.now() - 16 * MINUTE)
    emulator.clock.advance(DAY)
    code, message = error_of(initiate, idp, pool_id, emulator.clock.now() - 16 * MINUTE)
    assert (code, message) == (
        "LimitExceededException",
        f"User pool {pool_id} made 10 recovery previews in the last 30 days.",
    )


def test_no_recovery_while_an_import_job_runs(emulator, idp, pool_id):
    job = idp.create_user_import_job(
        UserPoolId=pool_id, JobName="import", CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/import"
    )["UserImportJob"]
    with emulator.state.lock:
        found = emulator.state.find_pool(pool_id)
        assert found is not None
        # Jobs run to the end within StartUserImportJob; put one in the middle of its run.
        found.import_jobs[job["JobId"]].status = ImportJobStatus.IN_PROGRESS
    emulator.clock.advance(20 * MINUTE)
    code, message = error_of(initiate, idp, pool_id, emulator.clock.now() - 16 * MINUTE)
    assert code == "InvalidParameterException"
    assert "import job is in progress" in message


def test_a_burst_of_writes_costs_one_copy_of_the_pool(emulator, idp, pool_id):
    emulator.clock.freeze()
    for index in range(20):
        idp.admin_create_user(UserPoolId=pool_id, Username=f"user{index}", MessageAction="SUPPRESS")
    captures = emulator.state.find_pool(pool_id).captures
    assert len(captures) == 1
    # After a quiet minute, the next write keeps the state before it.
    emulator.clock.advance(point_in_time.QUIET_SECONDS)
    idp.admin_delete_user(UserPoolId=pool_id, Username="user0")
    assert len(captures) == 2
    # However long the pool is written to, the history stays bounded.
    for index in range(40):
        emulator.clock.advance(point_in_time.QUIET_SECONDS)
        idp.create_group(UserPoolId=pool_id, GroupName=f"g{index}")
    assert len(captures) == point_in_time.MAX_CAPTURES


def deleted_after_a_minute(emulator: Any, idp: Any, pool_id: str) -> float:
    """alice is made, then deleted a minute later; a recovery point between the two, once old enough."""
    make_user(idp, pool_id, "alice")
    emulator.clock.advance(MINUTE)
    idp.admin_delete_user(UserPoolId=pool_id, Username="alice")
    moment = float(emulator.clock.now() - MINUTE / 2)
    emulator.clock.advance(20 * MINUTE)
    return moment


def recover(idp: Any, pool_id: str, moment: float) -> dict[str, tuple[int, int, int]]:
    """Recover ``pool_id`` to ``moment``; the preview it applied."""
    restore_id = initiate(idp, pool_id, moment)["RestoreId"]
    described = idp.describe_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)["Restoration"]
    idp.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)
    return preview_of(described)


def test_a_restored_snapshot_keeps_the_history(emulator, idp, pool_id):
    moment = deleted_after_a_minute(emulator, idp, pool_id)
    emulator.restore(json.loads(json.dumps(emulator.snapshot())))
    assert recover(idp, pool_id, moment)["Users"] == (1, 0, 0)
    assert usernames(idp, pool_id) == ["alice"]


def test_a_state_export_carries_the_history(emulator, idp, pool_id):
    moment = deleted_after_a_minute(emulator, idp, pool_id)
    exported = send(emulator, "GET", "/_emu/state").body
    # PUT /_emu/state is not a write of its own: the pools come back with the history they had.
    assert send(emulator, "PUT", "/_emu/state", exported).status == 200
    assert recover(idp, pool_id, moment)["Users"] == (1, 0, 0)
    assert usernames(idp, pool_id) == ["alice"]


class _Call:
    """Pickles as a call of a function: what a hostile capture would hold."""

    def __reduce__(self) -> Any:
        return (os.getpid, ())


def test_a_capture_that_would_call_a_function_is_refused(emulator, idp, pool_id):
    moment = deleted_after_a_minute(emulator, idp, pool_id)
    document = json.loads(send(emulator, "GET", "/_emu/state").body)
    hostile = pickle.dumps(({"alice": _Call()}, {}))
    for store in document["stores"]:
        for pool in store["user_pools"].values():
            for capture in pool["captures"].values():
                capture["data"] = hostile.hex()
    assert send(emulator, "PUT", "/_emu/state", json.dumps(document).encode()).status == 200
    code, message = error_of(initiate, idp, pool_id, moment)
    assert code == "InvalidParameterException"
    assert "history of this user pool is damaged" in message
    assert "posix.getpid" in message


def test_a_capture_of_other_record_classes_is_not_read(emulator, idp, pool_id):
    """A data dir or export from an emulator version whose user records have other fields: its
    pickles would restore values into the wrong fields, so the recovery finds no history instead."""
    moment = deleted_after_a_minute(emulator, idp, pool_id)
    document = json.loads(send(emulator, "GET", "/_emu/state").body)
    for store in document["stores"]:
        for pool in store["user_pools"].values():
            for capture in pool["captures"].values():
                assert capture["layout"] == point_in_time.record_layout(models)
                capture["layout"] = "another-version"
    assert send(emulator, "PUT", "/_emu/state", json.dumps(document).encode()).status == 200
    code, message = error_of(initiate, idp, pool_id, moment)
    assert code == "InvalidParameterException"
    assert "kept no history" in message
    assert usernames(idp, pool_id) == []


def test_the_record_layout_changes_with_a_field_of_a_record_class():
    def module_with(*fields: str) -> types.ModuleType:
        module = types.ModuleType("records")
        module.Record = dataclasses.make_dataclass("Record", fields, slots=True)  # type: ignore[attr-defined]
        module.Record.__module__ = module.__name__  # type: ignore[attr-defined]
        return module

    layout = point_in_time.record_layout
    assert layout(module_with("a", "b")) == layout(module_with("a", "b"))
    assert layout(module_with("a", "b")) != layout(module_with("a", "c", "b"))
    assert layout(module_with("a", "b")) != layout(module_with("b", "a"))


def test_a_seeded_pool_recovers_to_its_seeded_users(emulator, idp):
    emulator.load_seed({"userPools": [{"PoolName": "seeded-history", "users": [{"Username": "alice"}]}]})
    (pool,) = [p for p in idp.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == "seeded-history"]
    seeded_at = emulator.clock.now()
    emulator.clock.advance(MINUTE)
    idp.admin_delete_user(UserPoolId=pool["Id"], Username="alice")
    emulator.clock.advance(20 * MINUTE)
    assert recover(idp, pool["Id"], seeded_at + MINUTE / 2)["Users"] == (1, 0, 0)
    assert usernames(idp, pool["Id"]) == ["alice"]


def test_the_hosted_sign_up_is_kept_in_the_history_and_waits_for_a_recovery(emulator, idp, pool_id):
    make_google_provider(idp, pool_id)
    client_id = hosted_client(idp, pool_id, ("COGNITO", "Google"))
    emulator.clock.advance(MINUTE)
    before_sign_up = emulator.clock.now()
    emulator.clock.advance(MINUTE)
    pages = HostedPages(emulator, "us-east-1")
    page = pages.request("GET", f"/signup?{authorize_query(client_id)}")
    fields = {**Form(page.body.decode()).fields, "username": "erin", "password": PASSWORD}
    assert pages.request("POST", f"/signup?{authorize_query(client_id)}", fields).status == 302
    assert usernames(idp, pool_id) == ["erin"]
    emulator.clock.advance(20 * MINUTE)

    restore_id = initiate(idp, pool_id, before_sign_up)["RestoreId"]
    described = idp.describe_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)["Restoration"]
    assert preview_of(described)["Users"] == (0, 0, 1)
    paused = pages.request("GET", f"/signup?{authorize_query(client_id)}")
    assert paused.status == 400
    assert restore_id.encode() in paused.body
    # A federated user's first sign-in would create a user: it waits too.
    assertion = json.dumps({"sub": "g-1", "email": "gail@example.com"})
    query = authorize_query(client_id, identity_provider="Google", emu_assertion=assertion)
    federated = pages.follow(pages.request("GET", f"/oauth2/authorize?{query}"))
    assert "error=invalid_request" in federated.headers["Location"]
    assert "takes+no+new+users" in federated.headers["Location"]
    idp.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)
    assert usernames(idp, pool_id) == []


def test_a_known_federated_user_signs_in_during_a_recovery_unless_its_attributes_changed(
    emulator, idp, pool_id
):
    make_google_provider(idp, pool_id)
    client_id = hosted_client(idp, pool_id, ("COGNITO", "Google"))
    pages = HostedPages(emulator, "us-east-1")

    def federate(email: str) -> str:
        assertion = json.dumps({"sub": "g-1", "email": email})
        query = authorize_query(client_id, identity_provider="Google", emu_assertion=assertion)
        location: str = pages.follow(pages.request("GET", f"/oauth2/authorize?{query}")).headers["Location"]
        return location

    assert federate("gail@example.com").startswith(f"{CALLBACK}?code=")
    emulator.clock.advance(20 * MINUTE)
    initiate(idp, pool_id, emulator.clock.now() - 16 * MINUTE)
    assert federate("gail@example.com").startswith(f"{CALLBACK}?code=")
    changed = federate("gail@new.example.com")
    assert "error=invalid_request" in changed
    assert "changed+this+user" in changed


def test_the_hosted_new_password_and_mfa_forms_wait_for_a_recovery(emulator, idp, pool_id, client_id):
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    hosted = hosted_client(idp, pool_id)
    make_user(idp, pool_id, "alice", password=None)
    make_user(idp, pool_id, "bob")
    make_user(idp, pool_id, "carol")
    carol_token = password_sign_in(idp, client_id, "carol")["AuthenticationResult"]["AccessToken"]
    secret = register_totp(emulator, idp, carol_token)
    # MFA required: bob, who has no factor, would set up an authenticator app at sign-in.
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    emulator.clock.advance(20 * MINUTE)
    pages = HostedPages(emulator, "us-east-1")
    login = f"/login?{authorize_query(hosted)}"
    new_password_form = Form(pages.sign_in(hosted, "alice", TEMPORARY_PASSWORD).body.decode())
    assert "new_password" in new_password_form.fields
    code_form = Form(pages.sign_in(hosted, "carol").body.decode())
    assert "code" in code_form.fields

    restore_id = initiate(idp, pool_id, emulator.clock.now() - 16 * MINUTE)["RestoreId"]
    # Forms shown before the recovery began are refused when answered, back at the sign-in form.
    answers = (
        {**new_password_form.fields, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        {**code_form.fields, "code": emulator.totp_code(secret)},
    )
    for answer in answers:
        refused = Form(pages.request("POST", login, answer).body.decode())
        assert restore_id in refused.error
        assert "password" in refused.fields
    assert idp.admin_get_user(UserPoolId=pool_id, Username="alice")["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    # While it runs, a right password leads to none of the three forms.
    for username, password in (("alice", TEMPORARY_PASSWORD), ("bob", PASSWORD), ("carol", PASSWORD)):
        page = pages.sign_in(hosted, username, password)
        assert page.status == 200
        paused = Form(page.body.decode())
        assert restore_id in paused.error
        assert {"new_password", "code"}.isdisjoint(paused.fields)
        assert b"totpSecret" not in page.body
    assert "SOFTWARE_TOKEN_MFA" not in idp.admin_get_user(UserPoolId=pool_id, Username="bob").get(
        "UserMFASettingList", []
    )

    idp.cancel_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)
    assert "new_password" in Form(pages.sign_in(hosted, "alice", TEMPORARY_PASSWORD).body.decode()).fields


def test_a_capture_taken_before_the_compact_user_records_recovers_into_them(emulator, idp, pool_id):
    """Attributes as a plain dict and the SRP salt as hex text, as captures held them before."""
    client_id = make_client_id(
        idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )
    moment = deleted_after_a_minute(emulator, idp, pool_id)
    for capture in emulator.state.find_pool(pool_id).captures.values():
        users, groups = pickle.loads(capture.data)
        for user in users.values():
            user.attributes = dict(user.attributes)
            user.srp_salt = user.srp_salt.hex()
        capture.data = pickle.dumps((users, groups))
    assert recover(idp, pool_id, moment)["Users"] == (1, 0, 0)
    alice = next(iter(emulator.state.find_pool(pool_id).users.values()))
    assert isinstance(alice.attributes, UserAttributes)
    assert isinstance(alice.srp_salt, bytes)
    assert password_sign_in(idp, client_id, "alice")["AuthenticationResult"]["AccessToken"]


def test_a_capture_leaves_out_token_sessions_and_a_recovery_keeps_them(emulator, idp, pool_id, client_id):
    # A recovery keeps the sessions users hold now, so a capture has no use for their refresh tokens.
    make_user(idp, pool_id, "alice")
    moment_before_sign_in = float(emulator.clock.now())
    emulator.clock.advance(MINUTE)
    refresh_token = password_sign_in(idp, client_id)["AuthenticationResult"]["RefreshToken"]
    emulator.clock.advance(point_in_time.QUIET_SECONDS)
    idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username="alice", UserAttributes=[{"Name": "name", "Value": "Alice"}]
    )
    captures = emulator.state.find_pool(pool_id).captures
    newest = dict.__getitem__(captures, max(dict.keys(captures)))
    assert b"alice" in newest.data
    assert refresh_token.encode() not in newest.data
    emulator.clock.advance(20 * MINUTE)
    recover(idp, pool_id, moment_before_sign_in + MINUTE)
    assert "name" not in attrs(idp.admin_get_user(UserPoolId=pool_id, Username="alice")["UserAttributes"])
    refreshed = idp.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh_token}
    )
    assert refreshed["AuthenticationResult"]["AccessToken"]
