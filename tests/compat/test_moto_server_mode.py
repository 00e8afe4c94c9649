"""A suite written for moto's server mode (TEST_SERVER_MODE) runs unchanged against the emulator.

moto's ``mock_aws`` in server mode points boto3 at TEST_SERVER_MODE_ENDPOINT and calls
``POST /moto-api/reset`` when each decorated test starts; the emulator answers that route.
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
    assert "3 passed" in result.stdout
    # moto called the reset route as each decorated test started, so the first test's pool is gone.
    assert emulator.state.counts()["userPools"] == 0
