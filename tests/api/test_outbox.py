"""The /_emu/outbox control API."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from cognito_emu.emulator import Emulator
from tests.api.support import PASSWORD, send


def call(emulator: Emulator, method: str, path: str, **query: str) -> tuple[int, Any]:
    response = send(emulator, method, path + (f"?{urlencode(query)}" if query else ""))
    assert response.headers["Content-Type"].startswith("application/json")
    return response.status, json.loads(response.body)


@pytest.fixture
def setup(idp: Any) -> dict[str, str]:
    pool = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    other = idp.create_user_pool(PoolName="q", AutoVerifiedAttributes=["phone_number"])["UserPool"]["Id"]
    client = idp.create_user_pool_client(UserPoolId=pool, ClientName="a")["UserPoolClient"]["ClientId"]
    other_client = idp.create_user_pool_client(UserPoolId=other, ClientName="b")["UserPoolClient"]["ClientId"]
    idp.sign_up(
        ClientId=client,
        Username="alice",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "a@e.com"}],
    )
    idp.sign_up(
        ClientId=client,
        Username="bob",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "b@e.com"}],
    )
    idp.resend_confirmation_code(ClientId=client, Username="alice")
    idp.sign_up(
        ClientId=other_client,
        Username="carol",
        Password=PASSWORD,
        UserAttributes=[{"Name": "phone_number", "Value": "+15550001111"}],
    )
    idp.admin_create_user(
        UserPoolId=pool,
        Username="dave",
        UserAttributes=[{"Name": "email", "Value": "d@e.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )
    return {"pool": pool, "other": other}


def test_list_all_in_order(emulator, setup):
    status, body = call(emulator, "GET", "/_emu/outbox")
    assert status == 200
    messages = body["messages"]
    assert [(m["username"], m["reason"]) for m in messages] == [
        ("alice", "SignUp"),
        ("bob", "SignUp"),
        ("alice", "ResendCode"),
        ("carol", "SignUp"),
        ("dave", "AdminCreateUser"),
    ]
    first = messages[0]
    assert first["channel"] == "EMAIL" and first["destination"] == "a@e.com"
    assert first["subject"] == "Your verification code"
    assert first["code"] and first["code"] in first["body"]
    assert first["user_pool_id"] == setup["pool"]
    assert messages[-1]["temporary_password"]


def test_filters(emulator, setup):
    def names(**query: str) -> list[str]:
        status, body = call(emulator, "GET", "/_emu/outbox", **query)
        assert status == 200
        return [m["username"] for m in body["messages"]]

    assert names(userPoolId=setup["other"]) == ["carol"]
    assert names(username="alice") == ["alice", "alice"]
    assert names(destination="b@e.com") == ["bob"]
    assert names(channel="sms") == ["carol"]
    assert names(reason="ResendCode") == ["alice"]
    assert names(userPoolId=setup["pool"], reason="SignUp") == ["alice", "bob"]
    assert names(limit="2") == ["carol", "dave"]
    now = emulator.clock.now()
    assert names(since=str(now + 60)) == []
    assert len(names(since=str(now - 60))) == 5
    assert len(names(since=datetime.fromtimestamp(now - 60, UTC).isoformat())) == 5
    status, body = call(emulator, "GET", "/_emu/outbox", since="yesterday")
    assert status == 400


def test_last(emulator, setup):
    status, body = call(emulator, "GET", "/_emu/outbox/last", username="alice")
    assert status == 200 and body["reason"] == "ResendCode"
    assert body["code"] == emulator.outbox.last_code("alice")
    status, body = call(emulator, "GET", "/_emu/outbox/last", username="+15550001111")
    assert status == 200 and body["username"] == "carol" and body["channel"] == "SMS"
    status, body = call(emulator, "GET", "/_emu/outbox/last")
    assert body["username"] == "dave"
    status, body = call(emulator, "GET", "/_emu/outbox/last", withCode="true")
    assert body["username"] == "carol"
    status, body = call(emulator, "GET", "/_emu/outbox/last", username="nobody")
    assert status == 404


def test_clear(emulator, setup):
    status, body = call(emulator, "DELETE", "/_emu/outbox")
    assert status == 200 and body == {"cleared": 5}
    assert call(emulator, "GET", "/_emu/outbox")[1] == {"messages": []}
    assert len(emulator.outbox) == 0


def test_reset_clears_the_outbox(emulator, setup):
    status, _ = call(emulator, "POST", "/_emu/reset")
    assert status == 200
    assert call(emulator, "GET", "/_emu/outbox")[1] == {"messages": []}
