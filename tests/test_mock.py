"""The in-process ``mock_cognito``: decorator, context manager, class decorator, beside moto."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import unittest
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.cognitoidp.models import cognitoidp_backends

from cognito_emu.config import Config
from cognito_emu.emulator import Emulator
from cognito_emu.testing import active_emulator, mock_cognito

REGION = "us-east-1"
ACCOUNT = "123456789012"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def idp_client(**kwargs: Any) -> Any:
    kwargs.setdefault("region_name", REGION)
    return boto3.client("cognito-idp", config=BotoConfig(retries={"total_max_attempts": 1}), **kwargs)


def pool_names(client: Any) -> list[str]:
    return sorted(p["Name"] for p in client.list_user_pools(MaxResults=60)["UserPools"])


def moto_pool_ids() -> list[str]:
    return list(cognitoidp_backends[ACCOUNT][REGION].user_pools)


def pool_ids_in(emulator: Emulator) -> list[str]:
    """Ask the emulator itself (in-process, bypassing botocore) which pools it holds."""
    with mock_cognito(emulator=emulator):
        return [p["Id"] for p in idp_client(**CREDENTIALS).list_user_pools(MaxResults=60)["UserPools"]]


# -- decorator, context manager -----------------------------------------------------------------


@mock_cognito
def test_bare_decorator_answers_cognito_in_process():
    emu = active_emulator()
    assert emu is not None
    created = idp_client().create_user_pool(PoolName="alpha")["UserPool"]
    assert created["Id"].startswith(f"{REGION}_")
    assert created["Arn"] == f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{created['Id']}"
    assert idp_client().describe_user_pool(UserPoolId=created["Id"])["UserPool"]["Name"] == "alpha"


@mock_cognito(deterministic=3)
def test_decorator_with_settings():
    emu = active_emulator()
    assert emu is not None and emu.config.deterministic == 3
    idp_client().create_user_pool(PoolName="beta")
    assert pool_names(idp_client()) == ["beta"]


def test_context_manager_yields_its_emulator():
    assert active_emulator() is None
    with mock_cognito() as emu:
        assert active_emulator() is emu
        pool_id = idp_client().create_user_pool(PoolName="gamma")["UserPool"]["Id"]
    assert active_emulator() is None
    assert pool_ids_in(emu) == [pool_id]


def test_async_function_decorator():
    @mock_cognito
    async def create() -> str:
        return idp_client().create_user_pool(PoolName="async")["UserPool"]["Id"]

    assert asyncio.run(create()).startswith(f"{REGION}_")


def test_start_and_stop():
    mock = mock_cognito()
    emu = mock.start()
    try:
        assert mock.emulator is emu
        idp_client().create_user_pool(PoolName="started")
    finally:
        mock.stop()
    with pytest.raises(RuntimeError):
        mock.stop()
    assert active_emulator() is None


# -- fresh state; shared emulator; nesting ------------------------------------------------------


def test_state_is_fresh_per_decorated_call():
    @mock_cognito
    def create_and_count() -> int:
        idp_client().create_user_pool(PoolName="once")
        return len(idp_client().list_user_pools(MaxResults=60)["UserPools"])

    assert create_and_count() == 1
    assert create_and_count() == 1


@mock_cognito
def test_no_leak_first():
    assert pool_names(idp_client()) == []
    idp_client().create_user_pool(PoolName="leak-check")


@mock_cognito
def test_no_leak_second():
    assert pool_names(idp_client()) == []
    idp_client().create_user_pool(PoolName="leak-check")


def test_shared_emulator_keeps_state():
    emu = Emulator(Config(region=REGION))
    with mock_cognito(emulator=emu) as active:
        assert active is emu
        idp_client().create_user_pool(PoolName="kept")
    with mock_cognito(emulator=emu):
        assert pool_names(idp_client()) == ["kept"]


def test_nested_mocks_innermost_wins():
    with mock_cognito() as outer:
        idp_client().create_user_pool(PoolName="outer")
        with mock_cognito() as inner:
            assert active_emulator() is inner
            assert pool_names(idp_client()) == []
            idp_client().create_user_pool(PoolName="inner")
        assert active_emulator() is outer
        assert pool_names(idp_client()) == ["outer"]


def test_identity_service_is_routed_too():
    with mock_cognito():
        identity = boto3.client("cognito-identity", region_name=REGION)
        try:
            identity.list_identity_pools(MaxResults=10)
        except ClientError as err:
            # Whatever the identity handlers answer today, the answer is the emulator's, not AWS's.
            assert err.response["ResponseMetadata"]["HTTPStatusCode"] in (400, 500)


# -- clients created before activation; custom endpoints ----------------------------------------


def test_client_created_before_activation_is_intercepted():
    client = idp_client(**CREDENTIALS)
    with mock_cognito() as emu:
        pool_id = client.create_user_pool(PoolName="early")["UserPool"]["Id"]
    assert pool_ids_in(emu) == [pool_id]


def test_client_with_explicit_endpoint_passes_through_to_that_endpoint():
    with Emulator(Config(port=0, region=REGION)) as server:
        remote = boto3.client(
            "cognito-idp", endpoint_url=server.endpoint_url, region_name=REGION, **CREDENTIALS
        )
        with mock_cognito() as local:
            remote.create_user_pool(PoolName="on-the-server")
            idp_client().create_user_pool(PoolName="in-process")
        assert pool_names(remote) == ["on-the-server"]
        assert len(pool_ids_in(local)) == 1


# -- errors ------------------------------------------------------------------------------------


@mock_cognito
def test_errors_surface_as_client_errors():
    client = idp_client()
    with pytest.raises(ClientError) as err:
        client.describe_user_pool(UserPoolId=f"{REGION}_missing12")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert err.value.response["Error"]["Message"] == f"User pool {REGION}_missing12 does not exist."
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert isinstance(err.value, client.exceptions.ResourceNotFoundException)

    with pytest.raises(ClientError) as err:
        client.create_user_pool(PoolName="not/allowed")
    assert err.value.response["Error"]["Code"] == "InvalidParameterException"
    assert "validation error" in err.value.response["Error"]["Message"]


# -- credentials --------------------------------------------------------------------------------


def test_fake_credentials_only_while_active_and_only_when_unset(monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    with mock_cognito():
        assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
        idp_client().create_user_pool(PoolName="signed")
    assert "AWS_ACCESS_KEY_ID" not in os.environ
    assert "AWS_SECRET_ACCESS_KEY" not in os.environ

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUSERSOWN")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "users-own-secret")
    with mock_cognito():
        assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAUSERSOWN"
    assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAUSERSOWN"


def test_account_from_a_twelve_digit_access_key():
    with mock_cognito():
        client = idp_client(aws_access_key_id="111122223333", aws_secret_access_key="x")
        arn = client.create_user_pool(PoolName="other-account")["UserPool"]["Arn"]
    assert ":111122223333:userpool/" in arn


# -- beside moto's mock_aws, both nesting orders ------------------------------------------------


def test_moto_outside_cognito_inside():
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="outer-bucket")
        with mock_cognito() as emu:
            pool_id = idp_client().create_user_pool(PoolName="ours")["UserPool"]["Id"]
            s3.create_bucket(Bucket="inner-bucket")
            assert moto_pool_ids() == []  # moto's stubber stood aside
            assert sorted(b["Name"] for b in s3.list_buckets()["Buckets"]) == ["inner-bucket", "outer-bucket"]
        assert pool_ids_in(emu) == [pool_id]
        # Once ours has ended, moto's own Cognito mock answers again.
        moto_id = idp_client().create_user_pool(PoolName="moto's")["UserPool"]["Id"]
        assert moto_pool_ids() == [moto_id]


def test_cognito_outside_moto_inside():
    with mock_cognito() as emu:
        pool_id = idp_client().create_user_pool(PoolName="ours")["UserPool"]["Id"]
        with mock_aws():
            s3 = boto3.client("s3", region_name=REGION)
            s3.create_bucket(Bucket="a-bucket")
            assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["a-bucket"]
            client = idp_client()
            assert pool_names(client) == ["ours"]
            second = client.create_user_pool(PoolName="also-ours")["UserPool"]["Id"]
            assert moto_pool_ids() == []
        assert sorted(pool_ids_in(emu)) == sorted([pool_id, second])


@mock_aws
@mock_cognito
def test_stacked_decorators():
    boto3.client("dynamodb", region_name=REGION).create_table(
        TableName="t",
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    idp_client().create_user_pool(PoolName="ours")
    assert boto3.client("dynamodb", region_name=REGION).list_tables()["TableNames"] == ["t"]
    assert moto_pool_ids() == []
    assert pool_names(idp_client()) == ["ours"]


def test_moto_stubber_is_restored_after_last_mock():
    from moto.core.botocore_stubber import BotocoreStubber

    original = BotocoreStubber.__call__
    with mock_cognito(), mock_cognito():
        assert BotocoreStubber.__call__ is not original
    assert BotocoreStubber.__call__ is original


# -- class decorator ------------------------------------------------------------------------------


@mock_cognito
class TestPytestStyleClass:
    def setup_method(self):
        self.pool_id = idp_client().create_user_pool(PoolName="from-setup")["UserPool"]["Id"]

    def test_sees_pool_from_setup(self):
        assert pool_names(idp_client()) == ["from-setup"]
        idp_client().create_user_pool(PoolName="extra")

    def test_fresh_for_each_test(self):
        assert pool_names(idp_client()) == ["from-setup"]

    def helper_is_not_mocked(self):
        return active_emulator()

    def test_helpers_run_under_the_test_mock(self):
        assert self.helper_is_not_mocked() is not None


@mock_cognito
class TestUnittestStyleClass(unittest.TestCase):
    def setUp(self):
        idp_client().create_user_pool(PoolName="unittest-setup")

    def test_one(self):
        self.assertEqual(pool_names(idp_client()), ["unittest-setup"])
        idp_client().create_user_pool(PoolName="more")

    def test_two(self):
        self.assertEqual(pool_names(idp_client()), ["unittest-setup"])


@pytest.mark.usefixtures("cognito_mock")
class TestUnittestWithThePluginsFixture(unittest.TestCase):
    """A unittest.TestCase cannot take fixtures as arguments: it names the plugin's cognito_mock and asks
    active_emulator() for the Emulator (the README's recipe)."""

    def setUp(self):
        emu = active_emulator()
        assert emu is not None
        self.emu = emu
        self.pool_id = idp_client().create_user_pool(PoolName="usefixtures")["UserPool"]["Id"]

    def test_the_emulator_is_the_one_answering(self):
        self.assertIs(active_emulator(), self.emu)
        self.assertEqual(pool_names(idp_client()), ["usefixtures"])
        self.assertEqual(len(self.emu.jwks(self.pool_id)["keys"]), 2)

    def test_fresh_for_each_test(self):
        self.assertEqual(pool_names(idp_client()), ["usefixtures"])


def test_class_decorator_leaves_helpers_alone():
    @mock_cognito
    class Suite:
        def test_a(self):
            return active_emulator()

        def helper(self):
            return active_emulator()

    assert Suite().test_a() is not None
    assert Suite().helper() is None


# -- the hook itself --------------------------------------------------------------------------------


def test_other_services_and_custom_endpoints_are_not_answered():
    from botocore.awsrequest import AWSPreparedRequest

    from cognito_emu.testing.mock import _before_send

    def request(url: str) -> AWSPreparedRequest:
        return AWSPreparedRequest("POST", url, {}, b"{}", False)

    idp_url = f"https://cognito-idp.{REGION}.amazonaws.com/"
    with mock_cognito():
        assert (
            _before_send(request(f"https://s3.{REGION}.amazonaws.com/b"), "before-send.s3.PutObject") is None
        )
        assert (
            _before_send(request("http://127.0.0.1:9229/"), "before-send.cognito-identity-provider.X") is None
        )
        answered = _before_send(request(idp_url), "before-send.cognito-identity-provider.ListUserPools")
        assert answered is not None and answered.status_code == 400  # no X-Amz-Target: the app's error
    assert _before_send(request(idp_url), "before-send.cognito-identity-provider.ListUserPools") is None


def test_default_session_created_before_import_is_hooked(tmp_path):
    script = tmp_path / "early.py"
    script.write_text(
        "import boto3\n"
        "boto3.client('sts', region_name='us-east-1')  # creates boto3.DEFAULT_SESSION first\n"
        "from cognito_emu.testing import mock_cognito\n"
        "client = boto3.client('cognito-idp', region_name='us-east-1',\n"
        "                      aws_access_key_id='a', aws_secret_access_key='b')\n"
        "with mock_cognito() as emu:\n"
        "    pool = client.create_user_pool(PoolName='late')['UserPool']\n"
        "print(pool['Id'])\n"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(f"{REGION}_")
