"""--throttle aws: Cognito's request-rate quotas per category, on the emulator's clock, met by boto3's retries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.config import Config as BotoConfig

from cognito_emu.config import Config
from cognito_emu.emulator import Emulator
from cognito_emu.errors import TooManyRequestsException
from cognito_emu.protocol.model import service
from cognito_emu.testing.mock import mock_cognito
from cognito_emu.throttle import CATEGORY_OF, PER_POOL_RPS, Throttle
from tests.api.support import boto_client, code_of, error_of


@pytest.fixture
def throttled() -> Iterator[Emulator]:
    # Not named "emulator": the suite's autouse reset would unfreeze its clock.
    emu = Emulator(Config(region="us-east-1", throttle="aws"))
    emu.clock.freeze()
    with mock_cognito(emulator=emu):
        yield emu


@pytest.fixture
def idp(throttled: Emulator) -> Any:
    return boto_client(throttled)


def test_a_category_admits_its_quota_per_second_then_rate_exceeded(throttled: Emulator, idp: Any) -> None:
    # UserPoolRead: 15 requests per second, shared by its operations.
    pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    for _ in range(10):
        idp.describe_user_pool(UserPoolId=pool_id)
    for _ in range(5):
        idp.list_user_pools(MaxResults=5)
    assert error_of(idp.describe_user_pool, UserPoolId=pool_id) == (
        "TooManyRequestsException",
        "Rate exceeded",
    )
    # Another category is not affected; the next second admits the quota again.
    idp.list_user_pool_clients(UserPoolId=pool_id)
    throttled.clock.advance(1)
    idp.describe_user_pool(UserPoolId=pool_id)


def test_the_provisioned_limit_is_the_quota(throttled: Emulator, idp: Any) -> None:
    pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    idp.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
    idp.update_provisioned_limit(
        LimitDefinition={"LimitClass": "API_CATEGORY", "Attributes": {"Category": "UserRead"}},
        RequestedLimitValue=125,
    )
    throttled.clock.advance(1)
    for _ in range(125):
        idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert code_of(idp.admin_get_user, UserPoolId=pool_id, Username="alice") == "TooManyRequestsException"


def test_pool_resource_operations_are_limited_per_pool(throttled: Emulator, idp: Any) -> None:
    first = idp.create_user_pool(PoolName="a")["UserPool"]["Id"]
    second = idp.create_user_pool(PoolName="b")["UserPool"]["Id"]
    for _ in range(PER_POOL_RPS):
        idp.list_groups(UserPoolId=first)
    assert code_of(idp.list_groups, UserPoolId=first) == "TooManyRequestsException"
    idp.list_groups(UserPoolId=second)
    # Another operation of the category on the same pool has its own five.
    idp.list_resource_servers(UserPoolId=first, MaxResults=5)


def test_off_by_default() -> None:
    emu = Emulator(Config(region="us-east-1"))
    emu.clock.freeze()
    with mock_cognito(emulator=emu):
        idp = boto_client(emu)
        for _ in range(40):
            idp.list_user_pools(MaxResults=5)


def test_boto3_retries_meet_the_quota(throttled: Emulator) -> None:
    # botocore's standard retry mode backs off on TooManyRequestsException; while it waits, the
    # emulator's clock moves on to the next second (a needs-retry hook), so the retry is admitted.
    client = boto_client(throttled, config=BotoConfig(retries={"mode": "standard", "total_max_attempts": 3}))
    messages: list[str] = []

    def next_second(response: Any = None, **_: Any) -> None:
        if response is not None and response[1].get("Error", {}).get("Code") == "TooManyRequestsException":
            messages.append(response[1]["Error"]["Message"])
            throttled.clock.advance(1)

    client.meta.events.register_first("needs-retry.cognito-idp.ListUserPools", next_second)
    for _ in range(15):
        client.list_user_pools(MaxResults=5)
    answer = client.list_user_pools(MaxResults=5)
    assert answer["ResponseMetadata"]["RetryAttempts"] == 1
    assert messages == ["Rate exceeded"]


def test_boto3_gives_up_when_the_quota_stays_spent(throttled: Emulator) -> None:
    client = boto_client(throttled, config=BotoConfig(retries={"mode": "standard", "total_max_attempts": 2}))
    for _ in range(15):
        client.list_user_pools(MaxResults=5)
    with pytest.raises(client.exceptions.TooManyRequestsException) as caught:
        client.list_user_pools(MaxResults=5)
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 1


def test_challenge_answers_have_three_times_the_quota_then_count_as_authentication() -> None:
    emu = Emulator(Config(region="us-east-1"))
    emu.clock.freeze()
    throttle = Throttle(emu.clock, emu.state)
    for _ in range(3 * 120):
        throttle.admit("RespondToAuthChallenge", "123456789012", "us-east-1", None)
    # Beyond three times the quota, answers draw on UserAuthentication's 120 with InitiateAuth.
    for _ in range(60):
        throttle.admit("AdminRespondToAuthChallenge", "123456789012", "us-east-1", None)
    for _ in range(60):
        throttle.admit("InitiateAuth", "123456789012", "us-east-1", None)
    with pytest.raises(TooManyRequestsException):
        throttle.admit("InitiateAuth", "123456789012", "us-east-1", None)
    # Quotas are per account and region.
    throttle.admit("InitiateAuth", "111122223333", "us-east-1", None)
    throttle.admit("InitiateAuth", "123456789012", "eu-west-1", None)


def test_every_categorized_operation_is_in_the_model() -> None:

    assert set(CATEGORY_OF) <= service("cognito-idp").operations
