"""/oauth2/userInfo by the developer guide's "The user attributes endpoint": only access tokens with the
openid scope, the attributes each scope combination returns, and the answer's content type."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from oauth_support import (
    DOMAIN,
    PASSWORD,
    Browser,
    callback_params,
    exchange_code,
    make_m2m_client,
    make_pool,
    make_web_client,
    token_request,
)

from cognito_emu.emulator import Emulator

ATTRIBUTES = {
    "email": "carol@example.com",
    "email_verified": "true",
    "phone_number": "+12065551212",
    "phone_number_verified": "false",
    "name": "Carol",
    "given_name": "Carol",
    "address": "1 Main St",
    "custom:team": "blue",
}
NO_OPENID = 'error="invalid_token", error_description="Access token does not contain openid scope"'


@pytest.fixture
def pool_id(idp: Any) -> str:
    pool_id = make_pool(idp, Schema=[{"Name": "team", "AttributeDataType": "String", "Mutable": True}])
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="carol",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in ATTRIBUTES.items()],
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username="carol", Password=PASSWORD, Permanent=True)
    return pool_id


def _access_token(emulator: Emulator, client_id: str, scope: str) -> str:
    browser = Browser(emulator.endpoint_url)
    code = callback_params(browser.sign_in(client_id, username="carol", scope=scope))["code"]
    return str(exchange_code(emulator.endpoint_url, client_id, code)["access_token"])


def _userinfo(emulator: Emulator, token: str) -> requests.Response:
    return requests.get(
        f"{emulator.endpoint_url}/_oauth/{DOMAIN}/oauth2/userInfo",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        # openid alone (the admin scope changes nothing): every attribute the client may read.
        ("openid", set(ATTRIBUTES)),
        ("openid aws.cognito.signin.user.admin", set(ATTRIBUTES)),
        # profile: the OIDC profile claims and the custom attributes.
        ("openid profile", {"name", "given_name", "custom:team"}),
        ("openid email", {"email", "email_verified"}),
        ("openid phone", {"phone_number", "phone_number_verified"}),
        ("openid email phone", {"email", "email_verified", "phone_number", "phone_number_verified"}),
    ],
)
def test_attributes_by_scope(
    emulator: Emulator, idp: Any, pool_id: str, scope: str, expected: set[str]
) -> None:
    scopes = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"]
    client_id = make_web_client(idp, pool_id, AllowedOAuthScopes=scopes)["ClientId"]
    response = _userinfo(emulator, _access_token(emulator, client_id, scope))
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json;charset=UTF-8"
    body = response.json()
    sub = idp.admin_get_user(UserPoolId=pool_id, Username="carol")["UserAttributes"]
    assert body.pop("sub") == next(a["Value"] for a in sub if a["Name"] == "sub")
    assert body.pop("username") == "carol"
    assert body == {name: ATTRIBUTES[name] for name in expected}


def test_only_what_the_client_may_read(emulator: Emulator, idp: Any, pool_id: str) -> None:
    client_id = make_web_client(
        idp, pool_id, AllowedOAuthScopes=["openid", "email"], ReadAttributes=["email", "name"]
    )["ClientId"]
    everything = _userinfo(emulator, _access_token(emulator, client_id, "openid")).json()
    assert set(everything) == {"sub", "username", "email", "name"}
    email = _userinfo(emulator, _access_token(emulator, client_id, "openid email")).json()
    assert set(email) == {"sub", "username", "email"}


def test_tokens_without_openid_are_refused(emulator: Emulator, idp: Any, pool_id: str) -> None:
    client = make_web_client(
        idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )
    client_id = client["ClientId"]
    # A hosted-login token whose scopes leave openid out.
    hosted = _userinfo(emulator, _access_token(emulator, client_id, "aws.cognito.signin.user.admin"))
    # An API token (InitiateAuth): its only scope is aws.cognito.signin.user.admin.
    api_token = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    api = _userinfo(emulator, api_token)
    for refused in (hosted, api):
        assert refused.status_code == 401
        assert refused.json() == {
            "error": "invalid_token",
            "error_description": "Access token does not contain openid scope",
        }
        assert refused.headers["WWW-Authenticate"] == NO_OPENID
    # An M2M token has no user behind it at all.
    m2m = make_m2m_client(idp, pool_id)
    machine = token_request(
        emulator.endpoint_url,
        {"grant_type": "client_credentials"},
        auth=(m2m["ClientId"], m2m["ClientSecret"]),
    ).json()["access_token"]
    assert _userinfo(emulator, machine).status_code == 401
