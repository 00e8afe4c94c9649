"""The hosted login and OAuth endpoints as an attacker probes them: redirect_uri look-alikes, state, code replay."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_emu.emulator import Emulator
from tests.oauth.oauth_support import (
    CALLBACK,
    Browser,
    callback_params,
    make_pool,
    make_user,
    make_web_client,
    token_request,
)

LOOK_ALIKES = [
    CALLBACK + "/extra",
    CALLBACK + "?next=https://evil.example",
    CALLBACK + "#fragment",
    CALLBACK + "/",
    CALLBACK.replace("localhost:3000", "evil.example"),
    CALLBACK.replace("localhost:3000", "localhost:3001"),
    CALLBACK.replace("localhost:3000", "localhost:3000@evil.example"),
    CALLBACK.replace("http://", "https://"),
    CALLBACK.upper(),
    "//evil.example/callback",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("redirect_uri", LOOK_ALIKES)
def test_an_unregistered_redirect_uri_is_never_redirected_to(
    emulator: Emulator, idp: Any, redirect_uri: str
) -> None:
    client_id = make_web_client(idp, make_pool(idp))["ClientId"]
    browser = Browser(emulator.endpoint_url)
    page = browser.get(
        browser.oauth_url("/oauth2/authorize"),
        response_type="code",
        client_id=client_id,
        redirect_uri=redirect_uri,
        state="s",
    )
    # To the domain's own error page: the attacker's URL must not receive even an error.
    assert page.status_code == 302
    assert page.headers["Location"] == browser.oauth_url(f"/error?error=redirect_mismatch&client_id={client_id}")
    shown = browser.follow(page)
    assert shown.status_code == 400 and "An error was encountered with the requested page." in shown.text


def test_state_comes_back_exactly_and_a_code_is_redeemed_once(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    state = "<script>&\"'%20 ü"
    params = callback_params(Browser(emulator.endpoint_url).sign_in(client_id, scope="openid", state=state))
    assert params["state"] == state
    grant = {
        "grant_type": "authorization_code",
        "client_id": client_id,
        "redirect_uri": CALLBACK,
        "code": params["code"],
    }
    assert token_request(emulator.endpoint_url, grant).status_code == 200
    replay = token_request(emulator.endpoint_url, grant)
    assert (replay.status_code, replay.json()) == (400, {"error": "invalid_grant"})
