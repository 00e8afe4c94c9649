"""Emulator.snapshot() / restore(): a deep copy of the state, put back with its indexes rebuilt."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig

from cognito_emu.config import Config
from cognito_emu.emulator import Emulator


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(Config(port=0)) as emulator:
        yield emulator


def idp_client(emu: Emulator) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=emu.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=BotoConfig(retries={"total_max_attempts": 1}),
    )


def sign_in(idp: Any, client_id: str, username: str, password: str) -> dict[str, Any]:
    return idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )


@pytest.fixture
def setup(emu: Emulator) -> dict[str, str]:
    idp = idp_client(emu)
    pool_id = idp.create_user_pool(PoolName="snap")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool_id, Username="amy", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool_id, Username="amy", Password="Amy-Passw0rd!", Permanent=True)
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain="snap-domain")
    return {"pool": pool_id, "client": client_id}


def test_restore_undoes_changes_made_after_the_snapshot(emu: Emulator, setup: dict[str, str]) -> None:
    idp = idp_client(emu)
    pool_id, client_id = setup["pool"], setup["client"]
    snapshot = emu.snapshot()

    idp.admin_delete_user(UserPoolId=pool_id, Username="amy")
    idp.admin_create_user(UserPoolId=pool_id, Username="ben", MessageAction="SUPPRESS")
    idp.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, ClientName="renamed")
    late_pool = idp.create_user_pool(PoolName="late")["UserPool"]["Id"]
    late_client = idp.create_user_pool_client(UserPoolId=late_pool, ClientName="late")["UserPoolClient"]
    idp.delete_user_pool_domain(UserPoolId=pool_id, Domain="snap-domain")

    emu.restore(snapshot)

    assert [u["Username"] for u in idp.list_users(UserPoolId=pool_id)["Users"]] == ["amy"]
    client = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert client["ClientName"] == "app"
    assert [p["Id"] for p in idp.list_user_pools(MaxResults=10)["UserPools"]] == [pool_id]
    # The indexes follow: the restored client signs in, the later one is unknown, the domain is back.
    assert sign_in(idp, client_id, "amy", "Amy-Passw0rd!")["AuthenticationResult"]["AccessToken"]
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        sign_in(idp, late_client["ClientId"], "amy", "Amy-Passw0rd!")
    assert idp.describe_user_pool_domain(Domain="snap-domain")["DomainDescription"]["UserPoolId"] == pool_id
    # And the alias / username index: a user created again with amy's name is refused.
    with pytest.raises(idp.exceptions.UsernameExistsException):
        idp.admin_create_user(UserPoolId=pool_id, Username="amy", MessageAction="SUPPRESS")


def test_a_snapshot_is_a_deep_copy(emu: Emulator, setup: dict[str, str]) -> None:
    idp = idp_client(emu)
    snapshot = emu.snapshot()
    frozen = json.dumps(snapshot, sort_keys=True)
    idp.update_user_pool(UserPoolId=setup["pool"], Policies={"PasswordPolicy": {"MinimumLength": 20}})
    idp.admin_update_user_attributes(
        UserPoolId=setup["pool"], Username="amy", UserAttributes=[{"Name": "name", "Value": "Amy"}]
    )
    assert json.dumps(snapshot, sort_keys=True) == frozen


def test_one_snapshot_restores_many_times(emu: Emulator, setup: dict[str, str]) -> None:
    idp = idp_client(emu)
    pool_id = setup["pool"]
    snapshot = emu.snapshot()
    for attempt in range(3):
        emu.restore(snapshot)
        idp.set_user_pool_mfa_config(
            UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="OPTIONAL"
        )
        idp.admin_update_user_attributes(
            UserPoolId=pool_id, Username="amy", UserAttributes=[{"Name": "name", "Value": f"try {attempt}"}]
        )
        # Even a change made in place, deep inside a settings dict, must not reach the snapshot.
        with emu.state.lock:
            emu.state.find_pool(pool_id).settings["Policies"]["PasswordPolicy"]["MinimumLength"] = 30
    emu.restore(snapshot)
    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["MfaConfiguration"] == "OFF"
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 8
    attributes = idp.admin_get_user(UserPoolId=pool_id, Username="amy")["UserAttributes"]
    assert "name" not in {a["Name"] for a in attributes}


def test_snapshot_is_json_and_restores_in_another_emulator(emu: Emulator, setup: dict[str, str]) -> None:
    saved = json.loads(json.dumps(emu.snapshot()))
    with Emulator(Config(port=0)) as other:
        other.restore(saved)
        idp = idp_client(other)
        assert sign_in(idp, setup["client"], "amy", "Amy-Passw0rd!")["AuthenticationResult"]


def test_restore_of_an_empty_snapshot_forgets_everything(emu: Emulator, setup: dict[str, str]) -> None:
    empty = Emulator(Config()).snapshot()
    emu.restore(empty)
    idp = idp_client(emu)
    assert idp.list_user_pools(MaxResults=10)["UserPools"] == []
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        sign_in(idp, setup["client"], "amy", "Amy-Passw0rd!")



def _usage(emu: Emulator, pool_id: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{emu.endpoint_url}/_emu/usage") as answer:
        document = json.load(answer)
    (entry,) = [entry for entry in document["userPools"] if entry["userPoolId"] == pool_id]
    return entry


def test_restore_gives_back_the_usage_of_the_snapshot(emu: Emulator, setup: dict[str, str]) -> None:
    idp = idp_client(emu)
    pool_id = setup["pool"]
    at_snapshot = _usage(emu, pool_id)
    assert (at_snapshot["monthlyActiveUsers"], at_snapshot["activity"]["signIn"]) == (1, 0)
    snapshot = json.loads(json.dumps(emu.snapshot()))

    sign_in(idp, setup["client"], "amy", "Amy-Passw0rd!")
    idp.admin_create_user(UserPoolId=pool_id, Username="ben", MessageAction="SUPPRESS")
    assert _usage(emu, pool_id)["monthlyActiveUsers"] == 2

    emu.restore(snapshot)
    assert _usage(emu, pool_id) == at_snapshot


def test_a_snapshot_from_before_usage_was_saved_restores_with_none(emu: Emulator, setup: dict[str, str]) -> None:
    snapshot = json.loads(json.dumps(emu.snapshot()))
    for store in snapshot["stores"]:
        for pool in store["user_pools"].values():
            del pool["usage"]
    emu.restore(snapshot)
    assert _usage(emu, setup["pool"])["monthlyActiveUsers"] == 0
    assert sign_in(idp_client(emu), setup["client"], "amy", "Amy-Passw0rd!")["AuthenticationResult"]
    assert _usage(emu, setup["pool"])["monthlyActiveUsers"] == 1
