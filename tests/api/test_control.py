"""The /_emu control API and moto's server-mode reset routes."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError
from werkzeug.datastructures import Headers

from cognito_emu import __version__
from cognito_emu.emulator import Emulator
from tests.api.support import boto_client, send


def request(
    emulator: Emulator, method: str, path: str, body: Any = None, raw: bytes | None = None
) -> tuple[int, Any, Headers]:
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
    response = send(emulator, method, path, data, {"Content-Type": "application/json"})
    assert response.headers["x-amzn-RequestId"]
    assert response.headers["Content-Type"].startswith("application/")
    return response.status, json.loads(response.body), response.headers


def client_for(emulator: Emulator, account_key: str = "testing", region: str = "us-east-1") -> Any:
    return boto_client(emulator, aws_access_key_id=account_key, region_name=region)


# -- health --------------------------------------------------------------------------------------


def test_health(emulator, idp, identity):
    idp.create_user_pool(PoolName="a")
    identity_pool = identity.create_identity_pool(IdentityPoolName="ids", AllowUnauthenticatedIdentities=True)
    identity.get_id(IdentityPoolId=identity_pool["IdentityPoolId"])
    status, body, _ = request(emulator, "GET", "/_emu/health")
    assert status == 200
    assert body["status"] == "ok"
    assert body["version"] == __version__
    assert body["uptimeSeconds"] >= 0
    assert body["counts"]["userPools"] == 1
    assert body["counts"]["identityPools"] == 1
    assert body["counts"]["identities"] == 1


# -- reset ---------------------------------------------------------------------------------------


def test_reset_everything(emulator, idp):
    idp.create_user_pool(PoolName="a")
    status, body, _ = request(emulator, "POST", "/_emu/reset")
    assert status == 200
    assert body["reset"] is True
    assert idp.list_user_pools(MaxResults=10)["UserPools"] == []


def test_reset_one_account(emulator):
    default = client_for(emulator)
    other = client_for(emulator, "111122223333")
    mine = default.create_user_pool(PoolName="mine")["UserPool"]
    theirs = other.create_user_pool(PoolName="theirs")["UserPool"]
    assert theirs["Arn"].split(":")[4] == "111122223333"
    # Accounts do not see each other's pools.
    assert [p["Id"] for p in other.list_user_pools(MaxResults=10)["UserPools"]] == [theirs["Id"]]
    status, body, _ = request(emulator, "POST", "/_emu/reset", {"account": "111122223333"})
    assert status == 200 and body["account"] == "111122223333"
    assert other.list_user_pools(MaxResults=10)["UserPools"] == []
    assert [p["Id"] for p in default.list_user_pools(MaxResults=10)["UserPools"]] == [mine["Id"]]
    with pytest.raises(ClientError):
        other.describe_user_pool(UserPoolId=theirs["Id"])


def test_reset_account_by_query_string(emulator):
    other = client_for(emulator, "444455556666")
    other.create_user_pool(PoolName="x")
    status, _, _ = request(emulator, "POST", "/_emu/reset?account=444455556666")
    assert status == 200
    assert other.list_user_pools(MaxResults=10)["UserPools"] == []


def test_regions_are_separate(emulator):
    east = client_for(emulator)
    west = client_for(emulator, region="eu-west-1")
    pool = west.create_user_pool(PoolName="w")["UserPool"]
    assert pool["Id"].startswith("eu-west-1_")
    assert east.list_user_pools(MaxResults=10)["UserPools"] == []


# -- clock ---------------------------------------------------------------------------------------


def test_clock_get(emulator):
    status, body, _ = request(emulator, "GET", "/_emu/clock")
    assert status == 200
    assert abs(body["now"] - time.time()) < 5
    assert body["frozen"] is False
    assert datetime.fromisoformat(body["iso"]).timestamp() == pytest.approx(body["now"], abs=1)


def test_clock_advance_freeze_unfreeze_reset(emulator):
    _, body, _ = request(emulator, "POST", "/_emu/clock", {"advance": 3600})
    assert body["now"] == pytest.approx(time.time() + 3600, abs=5)
    _, body, _ = request(emulator, "POST", "/_emu/clock", {"freeze": True})
    assert body["frozen"] is True
    frozen_at = body["now"]
    time.sleep(0.05)
    _, body, _ = request(emulator, "GET", "/_emu/clock")
    assert body["now"] == frozen_at
    _, body, _ = request(emulator, "POST", "/_emu/clock", {"advance": 10})
    assert body["now"] == frozen_at + 10
    _, body, _ = request(emulator, "POST", "/_emu/clock", {"freeze": False})
    assert body["frozen"] is False
    _, body, _ = request(emulator, "POST", "/_emu/clock", {"reset": True})
    assert body["now"] == pytest.approx(time.time(), abs=5)


def test_clock_set_epoch_and_iso(emulator):
    _, body, _ = request(emulator, "POST", "/_emu/clock", {"set": 2_000_000_000, "freeze": True})
    assert body["now"] == pytest.approx(2_000_000_000, abs=1)
    _, body, _ = request(emulator, "POST", "/_emu/clock", {"set": "2030-01-02T03:04:05+00:00"})
    assert body["now"] == datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC).timestamp()


def test_clock_moves_timestamps_of_new_pools(emulator, idp):
    request(emulator, "POST", "/_emu/clock", {"set": "2031-05-06T00:00:00+00:00", "freeze": True})
    pool = idp.create_user_pool(PoolName="future")["UserPool"]
    assert pool["CreationDate"].year == 2031


def test_reset_restores_the_clock(emulator):
    request(emulator, "POST", "/_emu/clock", {"advance": 86400 * 10, "freeze": True})
    request(emulator, "POST", "/_emu/reset")
    _, body, _ = request(emulator, "GET", "/_emu/clock")
    assert body["frozen"] is False
    assert body["now"] == pytest.approx(time.time(), abs=5)


@pytest.mark.parametrize(
    "body",
    [{"advance": "soon"}, {"advance": True}, {"set": "not a date"}, {"set": None}, {"set": [1]}],
)
def test_clock_bad_bodies_are_json_400(emulator, body):
    status, answer, _ = request(emulator, "POST", "/_emu/clock", body)
    assert status == 400
    assert answer["message"]


# -- state export / import ------------------------------------------------------------------------


def test_state_round_trip(emulator, idp):
    pool = idp.create_user_pool(PoolName="kept", Policies={"PasswordPolicy": {"MinimumLength": 12}})[
        "UserPool"
    ]
    status, exported, _ = request(emulator, "GET", "/_emu/state")
    assert status == 200
    assert exported["version"] == __version__
    request(emulator, "POST", "/_emu/reset")
    with pytest.raises(ClientError):
        idp.describe_user_pool(UserPoolId=pool["Id"])
    status, body, _ = request(emulator, "PUT", "/_emu/state", exported)
    assert status == 200
    assert body["counts"]["userPools"] == 1
    again = idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert again["Name"] == "kept"
    assert again["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert again["CreationDate"] == pool["CreationDate"]
    # The export survives a JSON round trip unchanged.
    _, exported_again, _ = request(emulator, "GET", "/_emu/state")
    assert exported_again == exported


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[1, 2]", b'{"stores": [{"nonsense": 1}]}', b'{"stores": "x"}', b'"text"'],
)
def test_state_bad_bodies_are_json_400(emulator, raw):
    status, body, _ = request(emulator, "PUT", "/_emu/state", raw=raw)
    assert status == 400
    assert body["message"]


# -- moto-compatible routes ---------------------------------------------------------------------


def test_moto_reset(emulator, idp):
    idp.create_user_pool(PoolName="a")
    status, _, _ = request(emulator, "POST", "/moto-api/reset")
    assert status == 200
    assert idp.list_user_pools(MaxResults=10)["UserPools"] == []


def test_moto_reset_auth(emulator):
    try:
        status, body, _ = request(emulator, "POST", "/moto-api/reset-auth", raw=b"4")
        assert status == 200
        assert "PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT" in body
        status, body, _ = request(emulator, "POST", "/moto-api/reset-auth", raw=b"")
        assert body == {"PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT": 4.0}
        status, body, _ = request(emulator, "POST", "/moto-api/reset-auth", raw=b"abc")
        assert status == 400
    finally:
        # moto (which answers other services in this process) checks IAM after that many actions: undo it.
        request(emulator, "POST", "/moto-api/reset-auth", raw=b"Infinity")


# -- errors are JSON -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "raw"),
    [
        ("POST", "/_emu/reset", b"{bad"),
        ("POST", "/_emu/reset", b"[]"),
        ("POST", "/_emu/clock", b"nope"),
        ("GET", "/_emu/nothing-here", None),
        ("PATCH", "/_emu/health", None),
    ],
)
def test_bad_requests_answer_json(emulator, method, path, raw):
    status, body, headers = request(emulator, method, path, raw=raw)
    assert 400 <= status < 500
    assert body["message"]
    assert headers["Access-Control-Allow-Origin"]
