"""Many clients at once: every call answered, ids unique, nothing lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
from botocore.config import Config as BotoConfig

pytestmark = pytest.mark.server_only("many threads calling one server over sockets")

THREADS = 16
PER_THREAD = 25


def test_parallel_create_user_pool(emulator, idp):
    barrier = threading.Barrier(THREADS)

    def worker(index: int) -> list[str]:
        client = boto3.session.Session().client(
            "cognito-idp",
            region_name="us-east-1",
            endpoint_url=emulator.endpoint_url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=BotoConfig(retries={"total_max_attempts": 1}, max_pool_connections=2),
        )
        barrier.wait(timeout=30)
        return [
            client.create_user_pool(PoolName=f"t{index}-{n}")["UserPool"]["Id"] for n in range(PER_THREAD)
        ]

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(worker, range(THREADS), timeout=120))
    created = [pool_id for chunk in results for pool_id in chunk]
    assert len(created) == THREADS * PER_THREAD
    assert len(set(created)) == len(created)

    listed: list[str] = []
    kwargs: dict[str, object] = {"MaxResults": 60}
    while True:
        page = idp.list_user_pools(**kwargs)
        listed += [p["Id"] for p in page["UserPools"]]
        if not page.get("NextToken"):
            break
        kwargs["NextToken"] = page["NextToken"]
    assert sorted(listed) == sorted(created)


def test_parallel_reads_and_writes_mix(emulator, idp):
    pool_id = idp.create_user_pool(PoolName="shared")["UserPool"]["Id"]
    errors: list[BaseException] = []

    def reader() -> None:
        client = boto3.session.Session().client(
            "cognito-idp",
            region_name="us-east-1",
            endpoint_url=emulator.endpoint_url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=BotoConfig(retries={"total_max_attempts": 1}),
        )
        try:
            for _ in range(20):
                assert client.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Name"] == "shared"
                client.list_user_pools(MaxResults=60)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    for n in range(40):
        idp.create_user_pool(PoolName=f"w{n}")
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
