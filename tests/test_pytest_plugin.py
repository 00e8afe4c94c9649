"""The pytest plugin's fixtures, run through ``pytester`` (in-process, and with xdist in subprocesses)."""

from __future__ import annotations

import importlib.metadata
import json

import pytest

pytest_plugins = ["pytester"]

PLUGIN = "cognito_emu.testing.pytest_plugin"


def plugin_args() -> list[str]:
    """``-p`` the plugin, unless the installed ``pytest11`` entry point already loads it."""
    for entry_point in importlib.metadata.entry_points(group="pytest11"):
        if entry_point.value == PLUGIN:
            return []
    return ["-p", PLUGIN]


FIXTURE_SUITE = """
import time

import boto3
import pytest
from botocore.exceptions import ClientError

from cognito_emu.testing import active_emulator


def test_server_on_a_free_port(cognito_emulator):
    assert cognito_emulator.endpoint_url.startswith("http://127.0.0.1:")
    assert cognito_emulator.config.port == 0


def test_idp_client_first(cognito_idp, cognito_emulator):
    assert cognito_idp.meta.endpoint_url == cognito_emulator.endpoint_url
    assert cognito_idp.meta.region_name == cognito_emulator.config.region
    cognito_idp.create_user_pool(PoolName="one")
    assert len(cognito_idp.list_user_pools(MaxResults=10)["UserPools"]) == 1


def test_idp_client_second_sees_reset_state(cognito_idp):
    assert cognito_idp.list_user_pools(MaxResults=10)["UserPools"] == []


def test_same_server_across_tests(cognito_emulator_session, cognito_emulator):
    assert cognito_emulator is cognito_emulator_session


def test_identity_client(cognito_identity, cognito_emulator):
    assert cognito_identity.meta.service_model.service_name == "cognito-identity"
    assert cognito_identity.meta.endpoint_url == cognito_emulator.endpoint_url


def test_errors_are_client_errors(cognito_idp):
    with pytest.raises(ClientError) as err:
        cognito_idp.describe_user_pool(UserPoolId="us-east-1_missing12")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_clock_moves(cognito_clock, cognito_emulator):
    assert cognito_clock is cognito_emulator.clock
    cognito_clock.advance(3600)
    assert cognito_clock.now() > time.time() + 3500


def test_clock_is_reset_for_the_next_test(cognito_clock):
    assert abs(cognito_clock.now() - time.time()) < 60


def test_outbox_sees_the_invitation(cognito_idp, cognito_outbox):
    pool_id = cognito_idp.create_user_pool(PoolName="mail")["UserPool"]["Id"]
    cognito_idp.admin_create_user(
        UserPoolId=pool_id,
        Username="alice",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )
    assert cognito_outbox.last("alice").destination == "alice@example.com"


def test_outbox_is_empty_for_the_next_test(cognito_outbox):
    assert len(cognito_outbox) == 0


def test_mock_in_process(cognito_mock):
    assert active_emulator() is cognito_mock
    client = boto3.client("cognito-idp", region_name="us-east-1")
    pool_id = client.create_user_pool(PoolName="in-process")["UserPool"]["Id"]
    assert [p["Id"] for p in client.list_user_pools(MaxResults=10)["UserPools"]] == [pool_id]


def test_mock_is_fresh_and_gone_after(cognito_mock):
    client = boto3.client("cognito-idp", region_name="us-east-1")
    assert client.list_user_pools(MaxResults=10)["UserPools"] == []
"""


def test_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_fixtures=FIXTURE_SUITE)
    result = pytester.runpytest(*plugin_args(), "-p", "no:randomly")
    result.assert_outcomes(passed=12)


def test_mock_fixture_ends_with_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_after="""
        from cognito_emu.testing import active_emulator

        def test_uses_mock(cognito_mock):
            assert active_emulator() is cognito_mock

        def test_after():
            assert active_emulator() is None
        """
    )
    result = pytester.runpytest(*plugin_args(), "-p", "no:randomly")
    result.assert_outcomes(passed=2)


def test_region_follows_emulator_config(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COGNITO_EMU_REGION", "eu-west-2")
    pytester.makepyfile(
        test_region="""
        def test_region(cognito_idp, cognito_emulator):
            assert cognito_emulator.config.region == "eu-west-2"
            assert cognito_idp.meta.region_name == "eu-west-2"
            pool = cognito_idp.create_user_pool(PoolName="regional")["UserPool"]
            assert pool["Id"].startswith("eu-west-2_")
        """
    )
    result = pytester.runpytest(*plugin_args())
    result.assert_outcomes(passed=1)


XDIST_SUITE = """
import json
import os

import pytest


@pytest.mark.parametrize("n", range(8))
def test_each_worker_has_its_own_server(n, cognito_idp, cognito_emulator, tmp_path_factory):
    # Fresh state per test even though the server is shared by the worker's tests.
    assert cognito_idp.list_user_pools(MaxResults=10)["UserPools"] == []
    cognito_idp.create_user_pool(PoolName=f"pool-{n}")
    record = {"worker": os.environ["PYTEST_XDIST_WORKER"], "url": cognito_emulator.endpoint_url}
    out = tmp_path_factory.getbasetemp().parent.parent / "records"
    out.mkdir(exist_ok=True)
    (out / f"{n}.json").write_text(json.dumps(record))
"""


def test_xdist_gives_each_worker_its_own_emulator(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_xdist=XDIST_SUITE)
    result = pytester.runpytest_subprocess(
        *plugin_args(), "-n", "2", "-p", "no:randomly", "--basetemp", str(pytester.path / "basetemp")
    )
    result.assert_outcomes(passed=8)
    records = [json.loads(p.read_text()) for p in (pytester.path / "records").glob("*.json")]
    assert len(records) == 8
    urls_by_worker: dict[str, set[str]] = {}
    for record in records:
        urls_by_worker.setdefault(record["worker"], set()).add(record["url"])
    assert len(urls_by_worker) == 2, urls_by_worker
    # One server per worker, kept for the worker's whole session; and the two differ.
    assert all(len(urls) == 1 for urls in urls_by_worker.values())
    assert len(set.union(*urls_by_worker.values())) == 2
