"""Tokens from the OAuth endpoints as Cognito issues them there, apart from the API's: access tokens carry
``"version": 2`` and ID tokens ``at_hash`` (the left half of the SHA-256 of the access token, base64url:
OpenID Connect Core 3.1.3.6 / 3.2.2.10) for the authorization code grant, the implicit grant and a refresh at
/oauth2/token; tokens from InitiateAuth carry neither."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import jwt
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


def _claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def _at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


def _assert_oauth_pair(id_token: str, access_token: str) -> None:
    assert _claims(access_token)["version"] == 2
    assert _claims(id_token)["at_hash"] == _at_hash(access_token)


def test_code_grant_and_refresh_at_the_token_endpoint(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    code = callback_params(Browser(emulator.endpoint_url).sign_in(client_id, scope="openid email"))["code"]
    issued = exchange_code(emulator.endpoint_url, client_id, code)
    _assert_oauth_pair(issued["id_token"], issued["access_token"])
    refreshed = token_request(
        emulator.endpoint_url,
        {"grant_type": "refresh_token", "client_id": client_id, "refresh_token": issued["refresh_token"]},
    ).json()
    _assert_oauth_pair(refreshed["id_token"], refreshed["access_token"])


def test_implicit_grant(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    params = callback_params(
        Browser(emulator.endpoint_url).sign_in(client_id, response_type="token", scope="openid email")
    )
    _assert_oauth_pair(params["id_token"], params["access_token"])


def test_api_tokens_have_neither(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    client_id = make_web_client(
        idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["ClientId"]
    result = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    assert "version" not in _claims(result["AccessToken"])
    assert "at_hash" not in _claims(result["IdToken"])


def test_a_redirect_uri_other_than_the_authorize_requests_is_unauthorized_client(
    emulator: Emulator, idp: Any
) -> None:
    """The code is the client's, but the exchange names another redirect_uri (a re:Post answer reports
    unauthorized_client from Cognito for a redirect_uri encoded differently at the token endpoint)."""
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    code = callback_params(Browser(emulator.endpoint_url).sign_in(client_id, scope="openid"))["code"]
    response = token_request(
        emulator.endpoint_url,
        {
            "grant_type": "authorization_code",
            "client_id": client_id,
            "code": code,
            "redirect_uri": "http://localhost:3000/other",
        },
    )
    assert (response.status_code, response.json()) == (400, {"error": "unauthorized_client"})
