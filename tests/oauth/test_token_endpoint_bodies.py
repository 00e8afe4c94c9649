"""What /oauth2/token answers for each grant, by the developer guide's "Token endpoint" and "Authorize
endpoint": an ID token only for a grant with the openid scope ("Because openid scope was not requested,
Amazon Cognito doesn't return an ID token"), and the same for every refresh of that grant; a method the
endpoint does not take answers 405 with the methods it does."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from oauth_support import (
    PASSWORD,
    Browser,
    callback_params,
    exchange_code,
    make_pool,
    make_user,
    make_web_client,
    token_request,
)

from cognito_emu.emulator import Emulator


def _refresh(emulator: Emulator, client_id: str, refresh_token: str) -> dict[str, Any]:
    response = token_request(
        emulator.endpoint_url,
        {"grant_type": "refresh_token", "client_id": client_id, "refresh_token": refresh_token},
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_grant_without_openid_gets_no_id_token_from_its_refreshes(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    browser = Browser(emulator.endpoint_url)
    code = callback_params(browser.sign_in(client_id, scope="aws.cognito.signin.user.admin"))["code"]
    issued = exchange_code(emulator.endpoint_url, client_id, code)
    assert set(issued) == {"access_token", "refresh_token", "expires_in", "token_type"}
    refreshed = _refresh(emulator, client_id, issued["refresh_token"])
    assert set(refreshed) == {"access_token", "expires_in", "token_type"}


def test_refreshes_of_an_openid_grant_and_of_an_api_sign_in_get_an_id_token(
    emulator: Emulator, idp: Any
) -> None:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    client_id = make_web_client(
        idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["ClientId"]
    code = callback_params(Browser(emulator.endpoint_url).sign_in(client_id, scope="openid"))["code"]
    issued = exchange_code(emulator.endpoint_url, client_id, code)
    assert set(_refresh(emulator, client_id, issued["refresh_token"])) == {
        "id_token",
        "access_token",
        "expires_in",
        "token_type",
    }
    # InitiateAuth's tokens (scope aws.cognito.signin.user.admin) always came with an ID token.
    signed_in = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    assert "id_token" in _refresh(emulator, client_id, signed_in["RefreshToken"])


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/oauth2/token", {"POST"}),
        ("GET", "/oauth2/revoke", {"POST"}),
        ("POST", "/logout", {"GET", "HEAD"}),
        ("PUT", "/oauth2/userInfo", {"GET", "HEAD", "POST"}),
    ],
)
def test_a_method_an_endpoint_does_not_take_is_405_naming_those_it_does(
    emulator: Emulator, idp: Any, method: str, path: str, allowed: set[str]
) -> None:
    """The developer guide: the token and revoke endpoints "only support HTTPS POST", logout only GET."""
    make_pool(idp)
    response = requests.request(method, Browser(emulator.endpoint_url).oauth_url(path), timeout=10)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == allowed
