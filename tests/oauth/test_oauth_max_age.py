"""max_age on the authorize and login endpoints (developer guide, login endpoint, "Step-up authentication
request"): when more than max_age seconds have passed since the user's auth_time, the hosted-login
cookie no longer signs in and the user authenticates again (acr_values: test_oauth_step_up.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from oauth_support import (
    CALLBACK,
    Browser,
    callback_params,
    exchange_code,
    make_pool,
    make_user,
    make_web_client,
    verified,
)

from cognito_emu.emulator import Emulator


def _auth_time(emulator: Emulator, pool_id: str, client_id: str, code: str) -> int:
    id_token = exchange_code(emulator.endpoint_url, client_id, code)["id_token"]
    # The emulator's clock runs ahead of the wall clock here, so iat is in PyJWT's future.
    claims = verified(emulator.endpoint_url, pool_id, id_token, verify_iat=False)
    return int(claims["auth_time"])


def test_max_age_decides_whether_the_cookie_still_signs_in(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    browser = Browser(emulator.endpoint_url)
    first = _auth_time(
        emulator, pool_id, client_id, callback_params(browser.sign_in(client_id, scope="openid"))["code"]
    )
    emulator.clock.advance(100)
    # Within max_age (and a level the password reached): the cookie signs in at once, with the first auth_time.
    for path in ("/oauth2/authorize", "/login"):
        again = browser.get(
            browser.oauth_url(path),
            response_type="code",
            client_id=client_id,
            redirect_uri=CALLBACK,
            scope="openid",
            max_age="300",
            acr_values="urn:cognito:loa:1",
        )
        assert _auth_time(emulator, pool_id, client_id, callback_params(again)["code"]) == first
    # Past max_age: the sign-in form again, carrying max_age, and a fresh auth_time after it.
    stale = browser.authorize(client_id, scope="openid", max_age="60")
    assert stale.status_code == 200 and 'name="password"' in stale.text
    assert parse_qs(urlsplit(stale.url).query)["max_age"] == ["60"]
    fresh = browser.submit(stale, username="alice", password="Correct-horse-1")
    assert _auth_time(emulator, pool_id, client_id, callback_params(fresh)["code"]) >= first + 100


def test_a_bad_max_age_goes_back_as_invalid_request(emulator: Emulator, idp: Any) -> None:
    client_id = make_web_client(idp, make_pool(idp))["ClientId"]
    browser = Browser(emulator.endpoint_url)
    for value in ("-1", "ten", "1.5", "9" * 40):
        response = browser.get(
            browser.oauth_url("/oauth2/authorize"),
            response_type="code",
            client_id=client_id,
            redirect_uri=CALLBACK,
            state="s",
            max_age=value,
        )
        assert response.status_code == 302
        query = parse_qs(urlsplit(response.headers["Location"]).query)
        assert response.headers["Location"].startswith(CALLBACK)
        assert query["error"] == ["invalid_request"] and query["state"] == ["s"]
