"""Faults on demand (/_emu/faults and Emulator.faults), and boto3's retries meeting them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

from cognito_emu.emulator import Emulator
from tests.api.support import boto_client, code_of, error_of, send


def faults(emulator: Emulator, method: str = "GET", body: Any = None, path: str = "/_emu/faults") -> Any:
    raw = b"" if body is None else json.dumps(body).encode()
    answer = send(emulator, method, path, raw, {"Content-Type": "application/json"})
    return answer.status, json.loads(answer.body)


@pytest.fixture
def idp(emulator: Emulator) -> Any:
    return boto_client(emulator)


def test_next_calls_fail_with_the_chosen_error(emulator, idp):
    status, fault = faults(
        emulator, "POST", {"operation": "ListUserPools", "error": "TooManyRequestsException", "count": 2}
    )
    assert status == 200
    assert fault["count"] == 2
    assert error_of(idp.list_user_pools, MaxResults=5) == ("TooManyRequestsException", "Rate exceeded")
    assert code_of(idp.list_user_pools, MaxResults=5) == "TooManyRequestsException"
    assert idp.list_user_pools(MaxResults=5)["UserPools"] == []
    # A spent fault is gone; other operations were never affected.
    assert faults(emulator)[1] == {"faults": []}


@pytest.mark.parametrize(
    ("error", "code", "status"),
    [
        ("InternalErrorException", "InternalErrorException", 500),
        ("LimitExceededException", "LimitExceededException", 400),
        ("TriggerTimeout", "UnexpectedLambdaException", 400),
    ],
)
def test_each_kind_of_error(emulator, idp, error, code, status):
    emulator.faults.add("CreateUserPool", error, count=1, trigger="PreAuthentication")
    with pytest.raises(ClientError) as caught:
        idp.create_user_pool(PoolName="p")
    response = caught.value.response
    assert response["Error"]["Code"] == code
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    if error == "TriggerTimeout":
        assert response["Error"]["Message"] == (
            "PreAuthentication invocation failed due to error Socket timeout while invoking Lambda function."
        )


def test_a_fraction_of_calls_fails_exactly_and_repeatably(emulator, idp):
    emulator.faults.add("ListUserPools", "InternalErrorException", rate=0.25)
    outcomes = []
    for _ in range(8):
        try:
            idp.list_user_pools(MaxResults=5)
            outcomes.append("ok")
        except idp.exceptions.InternalErrorException:
            outcomes.append("fail")
    assert outcomes == ["ok", "ok", "ok", "fail"] * 2
    (listed,) = emulator.faults.list()
    assert (listed.calls, listed.fired) == (8, 2)


def test_boto3_standard_retries_ride_out_throttling(emulator):
    # Two throttled answers, then success: botocore's standard mode retries TooManyRequestsException
    # (a throttling code) and the caller never sees it.
    emulator.faults.add("ListUserPools", "TooManyRequestsException", count=2)
    client = boto_client(emulator, config=BotoConfig(retries={"mode": "standard", "total_max_attempts": 3}))
    answer = client.list_user_pools(MaxResults=5)
    assert answer["ResponseMetadata"]["RetryAttempts"] == 2
    assert emulator.faults.list() == []


def test_boto3_gives_up_after_its_attempts(emulator):
    emulator.faults.add("ListUserPools", "TooManyRequestsException", count=5)
    client = boto_client(emulator, config=BotoConfig(retries={"mode": "standard", "total_max_attempts": 2}))
    with pytest.raises(client.exceptions.TooManyRequestsException) as caught:
        client.list_user_pools(MaxResults=5)
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 1
    (left,) = emulator.faults.list()
    assert left.fired == 2


def test_boto3_retries_internal_errors(emulator):
    emulator.faults.add("ListUserPools", "InternalErrorException", count=1)
    client = boto_client(emulator, config=BotoConfig(retries={"mode": "standard", "total_max_attempts": 2}))
    assert client.list_user_pools(MaxResults=5)["ResponseMetadata"]["RetryAttempts"] == 1


def test_delay_only_fault_answers_normally(emulator, idp):
    _, fault = faults(
        emulator, "POST", {"operation": "ListUserPools", "error": None, "delay": 0.01, "count": 1}
    )
    assert fault["error"] is None
    assert idp.list_user_pools(MaxResults=5)["UserPools"] == []
    assert faults(emulator)[1]["faults"] == []


def test_list_remove_clear_and_reset(emulator):
    _, first = faults(emulator, "POST", {"operation": "SignUp"})
    faults(emulator, "POST", {"operation": "GetId", "error": "InternalErrorException", "rate": 0.5})
    assert [f["operation"] for f in faults(emulator)[1]["faults"]] == ["SignUp", "GetId"]
    assert faults(emulator, "DELETE", path=f"/_emu/faults/{first['id']}") == (200, {"cleared": 1})
    assert faults(emulator, "DELETE", path=f"/_emu/faults/{first['id']}")[0] == 404
    assert faults(emulator, "DELETE") == (200, {"cleared": 1})
    emulator.faults.add("SignUp", count=3)
    emulator.reset()
    assert emulator.faults.list() == []


@pytest.mark.parametrize(
    "body",
    [
        {"operation": "NoSuchOperation"},
        {"operation": "SignUp", "error": "NoSuchException"},
        {"operation": "SignUp", "count": 0},
        {"operation": "SignUp", "rate": 1.5},
        {"operation": "SignUp", "count": 1, "rate": 0.5},
        {"operation": "SignUp", "error": None},
        {"operation": "SignUp", "delay": "slow"},
        {"error": "TooManyRequestsException"},
    ],
)
def test_malformed_faults_are_refused(emulator, body):
    status, answer = faults(emulator, "POST", body)
    assert status == 400, answer
    assert faults(emulator)[1] == {"faults": []}
