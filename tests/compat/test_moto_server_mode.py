"""A suite written for moto's server mode (TEST_SERVER_MODE) runs unchanged against the emulator.

moto's ``mock_aws`` in server mode points boto3 at TEST_SERVER_MODE_ENDPOINT and calls
``POST /moto-api/reset`` when each decorated test starts; the emulator answers that route, and hands
the suite's other services (IAM, SNS, S3) to moto in its own process, so it replaces moto_server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

MOTO_SUITE = textwrap.dedent(
    """
    import boto3
    from moto import mock_aws


    @mock_aws
    def test_first_creates_a_user():
        idp = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = idp.create_user_pool(PoolName="moto-style")["UserPool"]["Id"]
        idp.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
        users = idp.list_users(UserPoolId=pool_id)["Users"]
        assert [u["Username"] for u in users] == ["alice"]
        # Only the emulator issues the FORCE_CHANGE_PASSWORD status with a generated sub.
        assert users[0]["UserStatus"] == "FORCE_CHANGE_PASSWORD"


    @mock_aws
    def test_second_starts_from_a_reset_emulator():
        idp = boto3.client("cognito-idp", region_name="us-east-1")
        assert idp.list_user_pools(MaxResults=10)["UserPools"] == []


    @mock_aws
    def test_identity_pools_too():
        identity = boto3.client("cognito-identity", region_name="us-east-1")
        pool = identity.create_identity_pool(IdentityPoolName="ids", AllowUnauthenticatedIdentities=True)
        assert identity.get_id(IdentityPoolId=pool["IdentityPoolId"])["IdentityId"].startswith("us-east-1:")


    @mock_aws
    def test_other_services_beside_cognito():
        iam = boto3.client("iam", region_name="us-east-1")
        role = iam.create_role(RoleName="sms", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        boto3.client("sns", region_name="us-east-1").create_topic(Name="sign-ups")
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="avatars")
        idp = boto3.client("cognito-idp", region_name="us-east-1")
        idp.create_user_pool(PoolName="p", SmsConfiguration={"SnsCallerArn": role})


    @mock_aws
    def test_and_the_reset_between_tests_resets_them_too():
        assert boto3.client("sns", region_name="us-east-1").list_topics()["Topics"] == []
        assert boto3.client("s3", region_name="us-east-1").list_buckets()["Buckets"] == []
        assert boto3.client("iam", region_name="us-east-1").list_roles()["Roles"] == []
    """
)


def test_moto_server_mode_suite(emulator, tmp_path: Path) -> None:
    (tmp_path / "test_moto_suite.py").write_text(MOTO_SUITE)
    env = {
        **os.environ,
        "TEST_SERVER_MODE": "true",
        "TEST_SERVER_MODE_ENDPOINT": emulator.endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout
    # moto called the reset route as each decorated test started, so the first test's pool is gone.
    assert emulator.state.counts()["userPools"] == 0
