"""GET /_emu/usage: monthly active users as Cognito bills them, M2M requests apart, cost per feature plan."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from cognito_emu.emulator import Emulator
from cognito_emu.usage import log
from cognito_emu.usage.log import Activity
from cognito_emu.usage.pricing import FEATURE_PLANS, costs
from tests.api.support import (
    PASSWORD,
    make_client_id,
    make_resource_server,
    make_user,
    password_sign_in,
    send,
)


def usage(emulator: Emulator, query: str = "") -> dict[str, Any]:
    answer = send(emulator, "GET", "/_emu/usage" + query)
    assert answer.status == 200, answer.body
    return json.loads(answer.body)


def pool_usage(emulator: Emulator, pool_id: str, query: str = "") -> dict[str, Any]:
    (entry,) = [e for e in usage(emulator, query)["userPools"] if e["userPoolId"] == pool_id]
    return entry


def test_a_new_pool_has_no_active_users(emulator: Emulator, pool_id: str) -> None:
    entry = pool_usage(emulator, pool_id)
    assert entry["monthlyActiveUsers"] == 0
    assert entry["featurePlan"] == "ESSENTIALS"
    assert entry["costUSD"] == {"LITE": 0.0, "ESSENTIALS": 0.0, "PLUS": 0.0}


def test_sign_up_sign_in_and_refresh_count_one_user_once(emulator: Emulator, idp: Any, pool_id: str) -> None:
    client_id = make_client_id(
        idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )
    idp.sign_up(ClientId=client_id, Username="alice", Password=PASSWORD)
    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username="alice")
    tokens = password_sign_in(idp, client_id)["AuthenticationResult"]
    password_sign_in(idp, client_id)
    idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )
    entry = pool_usage(emulator, pool_id)
    assert entry["monthlyActiveUsers"] == 1
    assert entry["activity"] == {"signIn": 1, "signUp": 1, "refresh": 1, "other": 1}
    # Plus has no free tier: one MAU at $0.02.
    assert entry["costUSD"] == {"LITE": 0.0, "ESSENTIALS": 0.0, "PLUS": 0.02}


def test_other_activity_counts_and_failed_calls_do_not(emulator: Emulator, idp: Any, pool_id: str) -> None:
    make_user(idp, pool_id, "alice", password=None)
    make_user(idp, pool_id, "bob", password=None)
    client_id = make_client_id(idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])
    with pytest.raises(idp.exceptions.UserNotFoundException):
        password_sign_in(idp, client_id, "carol")
    entry = pool_usage(emulator, pool_id)
    # AdminCreateUser counts (admin create), a failed sign-in of an unknown user does not.
    assert entry["monthlyActiveUsers"] == 2
    assert entry["activity"]["other"] == 2
    assert entry["activity"]["signIn"] == 0


def test_months_are_calendar_months_of_the_emulator_clock(emulator: Emulator, idp: Any, pool_id: str) -> None:
    make_user(idp, pool_id, "alice")
    month = usage(emulator)["month"]
    emulator.clock.advance(32 * 86400)
    later = usage(emulator)
    assert later["month"] != month
    assert pool_usage(emulator, pool_id)["monthlyActiveUsers"] == 0
    assert pool_usage(emulator, pool_id, f"?month={month}")["monthlyActiveUsers"] == 1


def test_client_credentials_are_counted_apart(emulator: Emulator, idp: Any, pool_id: str) -> None:
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain="usage-m2m")
    make_resource_server(idp, pool_id, "api", ("read",))
    client = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="m2m",
        GenerateSecret=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["api/read"],
        AllowedOAuthFlowsUserPoolClient=True,
    )["UserPoolClient"]
    basic = base64.b64encode(f"{client['ClientId']}:{client['ClientSecret']}".encode()).decode()
    for _ in range(3):
        answer = send(
            emulator,
            "POST",
            "/_oauth/usage-m2m/oauth2/token",
            b"grant_type=client_credentials",
            {"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert answer.status == 200, answer.body
    entry = pool_usage(emulator, pool_id)
    assert entry["monthlyActiveUsers"] == 0
    assert entry["m2m"] == {
        "tokenRequests": 3,
        "appClients": 1,
        "requestsByAppClient": {client["ClientId"]: 3},
    }
    # $6 per app client that made requests, $2.25 per thousand requests.
    assert entry["costUSD"]["ESSENTIALS"] == round(6 + 3 * 2.25 / 1000, 2)


def test_get_client_token_is_m2m_too(emulator: Emulator, idp: Any, pool_id: str) -> None:
    make_resource_server(idp, pool_id, "api", ("read",))
    client = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="m2m",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH"],
        AllowedOAuthScopes=["api/read"],
    )["UserPoolClient"]
    idp.get_client_token(ClientId=client["ClientId"], Secret=client["ClientSecret"])
    entry = pool_usage(emulator, pool_id)
    assert (entry["monthlyActiveUsers"], entry["m2m"]["tokenRequests"]) == (0, 1)


def test_a_full_reset_forgets_usage(emulator: Emulator, idp: Any, pool_id: str) -> None:
    make_user(idp, pool_id, "alice")
    send(emulator, "POST", "/_emu/reset")
    assert usage(emulator)["userPools"] == []


def test_the_free_tier_is_counted_once_per_account(emulator: Emulator, idp: Any) -> None:
    """The pricing page: Lite and Essentials have a free tier of 10,000 MAUs "per month per account". Two
    pools of 6,000 and 5,000 MAUs are each free alone; the account pays for 1,000."""
    pools = [idp.create_user_pool(PoolName=name)["UserPool"]["Id"] for name in ("one", "two")]
    now = emulator.clock.now()
    with emulator.state.lock:
        for pool_id, count in zip(pools, (6_000, 5_000), strict=True):
            pool = emulator.state.find_pool(pool_id)
            assert pool is not None
            for index in range(count):
                log.record_user(pool.usage, f"{pool_id}-{index}", Activity.SIGN_IN, now)
            if pool_id == pools[0]:
                log.record_m2m(pool.usage, "m2mclient", now)
    document = usage(emulator)
    # Each pool alone is within the free tier (the first pays for its M2M client only).
    assert [pool_usage(emulator, pool_id)["costUSD"]["ESSENTIALS"] for pool_id in pools] == [6.0, 0.0]
    (account,) = document["accounts"]
    assert account["account"] == "123456789012"
    assert (account["userPools"], account["monthlyActiveUsers"]) == (2, 11_000)
    assert account["m2m"] == {"tokenRequests": 1, "appClients": 1}
    assert account["costUSD"] == costs(11_000, {"m2mclient": 1})
    assert account["costUSD"]["ESSENTIALS"] == round(1_000 * 0.015 + 6 + 2.25 / 1000, 2)
    assert "per account" in document["prices"]["note"]


@pytest.mark.parametrize("month", ["2026-13", "december", "2026-1"])
def test_a_malformed_month_is_a_clear_error(emulator: Emulator, month: str) -> None:
    answer = send(emulator, "GET", f"/_emu/usage?month={month}")
    assert answer.status == 400
    assert "YYYY-MM" in json.loads(answer.body)["message"]


def test_the_report_states_the_date_of_its_prices(emulator: Emulator) -> None:
    prices = usage(emulator)["prices"]
    assert prices["asOf"] and "aws.amazon.com/cognito/pricing" in prices["source"]


@pytest.mark.parametrize(
    ("maus", "expected"),
    [
        (10_000, {"LITE": 0.0, "ESSENTIALS": 0.0, "PLUS": 200.0}),
        # Lite: 90,000 at $0.0055; Essentials: 90,000 at $0.015; Plus: 100,000 at $0.02.
        (100_000, {"LITE": 495.0, "ESSENTIALS": 1350.0, "PLUS": 2000.0}),
        # Lite's second band: 50,000 more at $0.0046.
        (150_000, {"LITE": 725.0, "ESSENTIALS": 2100.0, "PLUS": 3000.0}),
    ],
)
def test_cost_per_feature_plan(maus: int, expected: dict[str, float]) -> None:
    assert costs(maus, {}) == expected
    assert [plan.name for plan in FEATURE_PLANS] == ["LITE", "ESSENTIALS", "PLUS"]
