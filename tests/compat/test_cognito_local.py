"""Coming from cognito-local: a data folder cognito-local itself wrote, converted by
``cognito-emu import-cognito-local`` and loaded with ``serve --seed``, holds the same pools, clients,
groups and users, and its users sign in with the passwords they had.

cognito-local is installed from npm with the Node.js clients (tests/clients/node/package.json, cached
by tests/clients/node_harness.py), started on a free 127.0.0.1 port in a temporary folder, filled
through its API with boto3, and stopped before its folder is converted.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig

from cognito_emu import totp
from cognito_emu.emulator import Emulator
from tests.api.support import claims
from tests.clients.node_harness import NodeRunner, require_node

PASSWORD = "Alice-Passw0rd1"
CAROL = "carol@example.com"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _client(endpoint: str) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=BotoConfig(retries={"total_max_attempts": 1}),
    )


def _wait_until_answering(endpoint: str, process: subprocess.Popen[str]) -> None:
    """cognito-local prints no ready line we could rely on: poll until it answers HTTP at all."""
    for _ in range(300):
        if process.poll() is not None:
            raise AssertionError(f"cognito-local exited {process.returncode}")
        try:
            urllib.request.urlopen(endpoint, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("cognito-local did not answer within 30 s")


@pytest.fixture
def cognito_local(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    runner: NodeRunner = require_node()
    start = runner.node_modules / "cognito-local" / "lib" / "bin" / "start.js"
    port = _free_port()
    folder = tmp_path / "app"
    folder.mkdir()
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "NODE_PATH": str(runner.node_modules)}
    process = subprocess.Popen(
        [runner.node, str(start)],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(endpoint, process)
        yield endpoint, folder / ".cognito"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_cognito_local_folder_converts_and_loads(cognito_local: tuple[str, Path], tmp_path: Path) -> None:
    endpoint, data = cognito_local
    local = _client(endpoint)
    pool = local.create_user_pool(
        PoolName="shop",
        UsernameAttributes=["email"],
        Schema=[{"Name": "tenant", "AttributeDataType": "String", "Mutable": True}],
    )["UserPool"]
    client_id = local.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    local.admin_create_user(
        UserPoolId=pool["Id"],
        Username="alice@example.com",
        TemporaryPassword="Temp-Passw0rd1",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "alice@example.com"},
            {"Name": "custom:tenant", "Value": "acme"},
        ],
    )
    local.admin_set_user_password(
        UserPoolId=pool["Id"], Username="alice@example.com", Password=PASSWORD, Permanent=True
    )
    local.create_group(UserPoolId=pool["Id"], GroupName="admins", Description="Admins", Precedence=1)
    local.admin_add_user_to_group(UserPoolId=pool["Id"], Username="alice@example.com", GroupName="admins")
    local.admin_create_user(
        UserPoolId=pool["Id"],
        Username="bob@example.com",
        TemporaryPassword="Bob-Temp-Passw0rd1",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
    )
    local.admin_disable_user(UserPoolId=pool["Id"], Username="bob@example.com")
    expected = {user["Username"]: user for user in local.list_users(UserPoolId=pool["Id"])["Users"]}
    # Written; the fixture stops cognito-local after the test, the folder is already complete.
    seed = tmp_path / "seed.yaml"
    converted = subprocess.run(
        [sys.executable, "-m", "cognito_emu", "import-cognito-local", str(data), "-o", str(seed)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert converted.returncode == 0, converted.stderr

    with Emulator(seed=str(seed)) as emu:
        idp = emu.client("cognito-idp")
        (described,) = idp.list_user_pools(MaxResults=10)["UserPools"]
        assert (described["Id"], described["Name"]) == (pool["Id"], "shop")
        (client,) = idp.list_user_pool_clients(UserPoolId=pool["Id"])["UserPoolClients"]
        assert client["ClientId"] == client_id
        users = {user["Username"]: user for user in idp.list_users(UserPoolId=pool["Id"])["Users"]}
        assert set(users) == set(expected)
        for username, user in users.items():
            assert {a["Name"]: a["Value"] for a in user["Attributes"]} == {
                a["Name"]: a["Value"] for a in expected[username]["Attributes"]
            }
            assert (user["UserStatus"], user["Enabled"]) == (
                expected[username]["UserStatus"],
                expected[username]["Enabled"],
            )
        (group,) = idp.list_groups(UserPoolId=pool["Id"])["Groups"]
        assert (group["GroupName"], group["Precedence"]) == ("admins", 1)
        members = idp.list_users_in_group(UserPoolId=pool["Id"], GroupName="admins")["Users"]
        (alice,) = [
            u for u in expected.values() if {"Name": "email", "Value": "alice@example.com"} in u["Attributes"]
        ]
        assert [member["Username"] for member in members] == [alice["Username"]]
        tokens = idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice@example.com", "PASSWORD": PASSWORD},
        )["AuthenticationResult"]
        id_claims = claims(tokens["IdToken"])
        assert id_claims["custom:tenant"] == "acme" and id_claims["cognito:groups"] == ["admins"]


def test_mfa_settings_come_along(cognito_local: tuple[str, Path], tmp_path: Path) -> None:
    """A pool with TOTP MFA and a user who set it up in cognito-local: the same factor, secret and
    preference after the import, so the user signs in with the authenticator app they already have."""
    endpoint, data = cognito_local
    local = _client(endpoint)
    pool_id = local.create_user_pool(PoolName="mfa")["UserPool"]["Id"]
    local.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    client_id = local.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    # cognito-local's pools sign in with an email unless told otherwise.
    local.admin_create_user(
        UserPoolId=pool_id, Username=CAROL, TemporaryPassword="Temp-Passw0rd1", MessageAction="SUPPRESS"
    )
    local.admin_set_user_password(UserPoolId=pool_id, Username=CAROL, Password=PASSWORD, Permanent=True)
    access_token = local.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": CAROL, "PASSWORD": PASSWORD}
    )["AuthenticationResult"]["AccessToken"]
    secret = local.associate_software_token(AccessToken=access_token)["SecretCode"]
    verified = local.verify_software_token(
        AccessToken=access_token, UserCode=totp.code(secret, time.time()), FriendlyDeviceName="phone"
    )
    assert verified["Status"] == "SUCCESS"
    local.set_user_mfa_preference(
        AccessToken=access_token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    seed = tmp_path / "seed.yaml"
    converted = _convert(str(data), "-o", str(seed))
    assert converted.returncode == 0, converted.stderr

    with Emulator(seed=str(seed)) as emu:
        idp = emu.client("cognito-idp")
        config = idp.get_user_pool_mfa_config(UserPoolId=pool_id)
        assert config["MfaConfiguration"] == "OPTIONAL"
        assert config["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
        carol = idp.admin_get_user(UserPoolId=pool_id, Username=CAROL)
        assert carol["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
        assert carol["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
        challenge = idp.initiate_auth(
            ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": CAROL, "PASSWORD": PASSWORD}
        )
        assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
        answered = idp.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": CAROL, "SOFTWARE_TOKEN_MFA_CODE": emu.totp_code(secret)},
        )
        assert "AccessToken" in answered["AuthenticationResult"]


def _convert(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cognito_emu", "import-cognito-local", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_folder_that_is_not_cognito_locals_is_a_clear_error(tmp_path: Path) -> None:
    result = _convert(str(tmp_path))
    assert result.returncode == 1
    assert "not a cognito-local data folder" in result.stderr


def test_a_damaged_pool_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "local_Broken1.json").write_text("{not json")
    result = _convert(str(tmp_path))
    assert result.returncode == 1
    assert "local_Broken1.json" in result.stderr
