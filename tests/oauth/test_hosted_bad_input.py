"""Bad input at the hosted pages and OAuth endpoints: unknown domains and client ids, a tampered or
foreign session cookie, over-long query values, markup in parameters. Each gets a clear error page or
Cognito's error answer, never a traceback (a 500)."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from oauth_support import (
    CALLBACK,
    Browser,
    callback_params,
    make_pool,
    make_user,
    make_web_client,
)

from cognito_emu.emulator import Emulator

PAGES = [
    "/oauth2/authorize",
    "/login",
    "/signup",
    "/confirm",
    "/resendcode",
    "/forgotPassword",
    "/confirmForgotPassword",
    "/federation",
    "/logout",
]


@pytest.mark.parametrize("path", PAGES)
def test_an_unknown_client_goes_to_the_error_page(emulator: Emulator, idp: Any, path: str) -> None:
    make_pool(idp)
    browser = Browser(emulator.endpoint_url)
    response = browser.get(
        browser.oauth_url(path), response_type="code", client_id="<script>x</script>", redirect_uri=CALLBACK
    )
    assert response.status_code == 302
    assert response.headers["Location"] == browser.oauth_url(
        "/error?error=invalid_request&client_id=%3Cscript%3Ex%3C%2Fscript%3E"
    )
    page = browser.follow(response)
    assert page.status_code == 400
    assert "<script>" not in page.text


def test_the_error_page_escapes_what_it_shows(emulator: Emulator, idp: Any) -> None:
    make_pool(idp)
    browser = Browser(emulator.endpoint_url)
    page = browser.get(browser.oauth_url("/error"), error="<img src=x onerror=alert(1)>", client_id="c")
    assert page.status_code == 400
    assert "An error was encountered with the requested page." in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text and "<img" not in page.text
    assert "x" * 101 not in browser.get(browser.oauth_url("/error"), error="x" * 5000).text


def test_an_unknown_domain_is_a_page_not_a_traceback(emulator: Emulator, idp: Any) -> None:
    response = requests.get(
        f"{emulator.endpoint_url}/_oauth/no-such-domain/oauth2/authorize",
        params={"client_id": "c", "redirect_uri": CALLBACK, "response_type": "code"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 404
    assert "No user pool has the domain no-such-domain." in response.text


@pytest.mark.parametrize("path", ["/oauth2/authorize", "/login", "/logout", "/resendcode"])
def test_an_over_long_query_is_refused_with_a_page(emulator: Emulator, idp: Any, path: str) -> None:
    client_id = make_web_client(idp, make_pool(idp))["ClientId"]
    browser = Browser(emulator.endpoint_url)
    response = browser.get(
        browser.oauth_url(path),
        response_type="code",
        client_id=client_id,
        redirect_uri=CALLBACK,
        state="s" * 20000,
    )
    assert response.status_code == 414
    assert "The request URL is too long." in response.text
    assert "Location" not in response.headers


def test_a_long_state_within_the_limit_comes_back_whole(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    state = "s" * 4000
    params = callback_params(Browser(emulator.endpoint_url).sign_in(client_id, scope="openid", state=state))
    assert params["state"] == state


@pytest.mark.parametrize(
    "cookie", ["tampered", "", "a" * 4000, "'\\\"<x>", "00000000-0000-4000-8000-000000000000"]
)
def test_a_tampered_session_cookie_shows_the_sign_in_form(emulator: Emulator, idp: Any, cookie: str) -> None:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    browser = Browser(emulator.endpoint_url)
    browser.session.cookies.set("cognito", cookie)
    page = browser.authorize(client_id, scope="openid")
    assert page.status_code == 200 and 'name="password"' in page.text
    assert "code" in callback_params(browser.submit(page, username="alice", password="Correct-horse-1"))


def test_another_pools_session_cookie_is_not_a_sign_in(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    browser = Browser(emulator.endpoint_url)
    callback_params(browser.sign_in(client_id, scope="openid"))
    cookie = browser.session.cookies.get("cognito")
    assert cookie
    # The same user name in another pool, behind another domain: the first pool's cookie signs in no one.
    other = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    idp.create_user_pool_domain(UserPoolId=other, Domain="emu-other")
    make_user(idp, other)
    other_client = make_web_client(idp, other, AllowedOAuthScopes=["openid"])["ClientId"]
    stranger = Browser(emulator.endpoint_url)
    stranger.session.cookies.set("cognito", cookie)
    page = stranger.follow(
        stranger.get(
            f"{emulator.endpoint_url}/_oauth/emu-other/oauth2/authorize",
            response_type="code",
            client_id=other_client,
            redirect_uri=CALLBACK,
            scope="openid",
        )
    )
    assert page.status_code == 200 and 'name="password"' in page.text
