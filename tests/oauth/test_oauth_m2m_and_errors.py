"""client_credentials (M2M) with resource-server scopes, PreTokenGeneration V3_0 on hosted and M2M
tokens, and the error answers of every endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from oauth_support import (
    API,
    CALLBACK,
    DOMAIN,
    Browser,
    callback_params,
    exchange_code,
    make_m2m_client,
    make_pool,
    make_user,
    make_web_client,
    pkce_pair,
    token_request,
    verified,
)

from cognito_emu.emulator import Emulator

TRIGGER_ARN = "arn:aws:lambda:us-east-1:123456789012:function:oauth-ptg"


@pytest.fixture
def registry(emulator: Emulator) -> Iterator[Any]:
    yield emulator.triggers
    emulator.triggers.unregister(TRIGGER_ARN)


def test_tokens_from_the_domain_host_name_cognitos_issuer(emulator: Emulator, idp: Any) -> None:
    """At the pool domain's Host the client believes it talks to Cognito, whose tokens always name
    https://cognito-idp.<region>.amazonaws.com/<poolId>; through the emulator's own URL they name that URL."""
    pool_id = make_pool(idp)
    client = make_m2m_client(idp, pool_id)
    auth = (client["ClientId"], client["ClientSecret"])
    by_host = requests.post(
        f"{emulator.endpoint_url}/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=auth,
        headers={"Host": f"{DOMAIN}.auth.us-east-1.amazoncognito.com"},
        timeout=10,
    )
    assert by_host.status_code == 200, by_host.text
    claims = verified(emulator.endpoint_url, pool_id, by_host.json()["access_token"])
    assert claims["iss"] == f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    by_path = token_request(emulator.endpoint_url, {"grant_type": "client_credentials"}, auth=auth)
    claims = verified(emulator.endpoint_url, pool_id, by_path.json()["access_token"])
    assert claims["iss"] == f"{emulator.endpoint_url.rstrip('/')}/{pool_id}"


def test_client_credentials_with_resource_server_scopes(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp)
    client = make_m2m_client(idp, pool_id)
    auth = (client["ClientId"], client["ClientSecret"])
    everything = token_request(emulator.endpoint_url, {"grant_type": "client_credentials"}, auth=auth)
    assert everything.status_code == 200, everything.text
    body = everything.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert body["token_type"] == "Bearer"
    claims = verified(emulator.endpoint_url, pool_id, body["access_token"])
    assert claims["sub"] == client["ClientId"] and claims["client_id"] == client["ClientId"]
    assert claims["scope"].split() == [f"{API}/read", f"{API}/write"]
    assert claims["token_use"] == "access"
    one = token_request(
        emulator.endpoint_url, {"grant_type": "client_credentials", "scope": f"{API}/read"}, auth=auth
    )
    assert verified(emulator.endpoint_url, pool_id, one.json()["access_token"])["scope"] == f"{API}/read"
    bad_scope = token_request(
        emulator.endpoint_url, {"grant_type": "client_credentials", "scope": f"{API}/admin"}, auth=auth
    )
    assert bad_scope.status_code == 400 and bad_scope.json() == {"error": "invalid_scope"}
    # No user behind an M2M token: userInfo and GetUser refuse it.
    info = requests.get(
        f"{emulator.endpoint_url}/_oauth/{DOMAIN}/oauth2/userInfo",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=10,
    )
    assert info.status_code == 401
    # A code-flow client may not use client_credentials.
    web = make_web_client(idp, pool_id, secret=True)
    refused = token_request(
        emulator.endpoint_url,
        {"grant_type": "client_credentials"},
        auth=(web["ClientId"], web["ClientSecret"]),
    )
    assert refused.status_code == 400 and refused.json() == {"error": "unauthorized_client"}


def test_pre_token_generation_v3_sees_client_credentials_and_hosted_auth(
    emulator: Emulator, idp: Any, registry: Any
) -> None:
    events: list[dict[str, Any]] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        events.append(event)
        event["response"] = {
            "claimsAndScopeOverrideDetails": {
                "accessTokenGeneration": {
                    "claimsToAddOrOverride": {"tenant": "t-1"},
                    "scopesToAdd": ["extra"],
                },
                "idTokenGeneration": {"claimsToAddOrOverride": {"tenant": "t-id"}},
            }
        }
        return event

    registry.register(TRIGGER_ARN, handler)
    pool_id = make_pool(
        idp, LambdaConfig={"PreTokenGenerationConfig": {"LambdaVersion": "V3_0", "LambdaArn": TRIGGER_ARN}}
    )
    m2m = make_m2m_client(idp, pool_id)
    body = token_request(
        emulator.endpoint_url,
        {"grant_type": "client_credentials", "scope": f"{API}/read", "aws_client_metadata": '{"k": "v"}'},
        auth=(m2m["ClientId"], m2m["ClientSecret"]),
    ).json()
    claims = verified(emulator.endpoint_url, pool_id, body["access_token"])
    assert claims["tenant"] == "t-1"
    assert claims["scope"].split() == [f"{API}/read", "extra"]
    event = events[-1]
    assert event["triggerSource"] == "TokenGeneration_ClientCredentials"
    assert event["version"] == "3"
    assert event["userName"] is None
    assert event["callerContext"]["clientId"] == m2m["ClientId"]
    assert event["request"]["scopes"] == [f"{API}/read"]
    assert event["request"]["clientMetadata"] == {"k": "v"}
    # The token endpoint is not an AWS SDK's API: no SDK to name.
    assert event["callerContext"]["awsSdkVersion"] == "aws-sdk-unknown-unknown"

    make_user(idp, pool_id)
    web = make_web_client(idp, pool_id)
    code = callback_params(Browser(emulator.endpoint_url).sign_in(web["ClientId"], scope="openid email"))[
        "code"
    ]
    tokens = token_request(
        emulator.endpoint_url,
        {
            "grant_type": "authorization_code",
            "client_id": web["ClientId"],
            "code": code,
            "redirect_uri": CALLBACK,
        },
    ).json()
    assert events[-1]["triggerSource"] == "TokenGeneration_HostedAuth"
    assert events[-1]["userName"] == "alice"
    assert events[-1]["request"]["scopes"] == ["openid", "email"]
    assert events[-1]["callerContext"]["awsSdkVersion"] == "aws-sdk-unknown-unknown"
    assert verified(emulator.endpoint_url, pool_id, tokens["id_token"])["tenant"] == "t-id"
    assert verified(emulator.endpoint_url, pool_id, tokens["access_token"])["tenant"] == "t-1"


def _authorize_error(browser: Browser, **params: Any) -> dict[str, list[str]]:
    response = browser.get(browser.oauth_url("/oauth2/authorize"), **params)
    assert response.status_code == 302, response.text
    location = response.headers["Location"]
    assert location.startswith(CALLBACK), location
    return parse_qs(urlsplit(location).query)


def test_authorize_errors(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp)
    client = make_web_client(idp, pool_id, AllowedOAuthFlows=["code"])
    client_id = client["ClientId"]
    browser = Browser(emulator.endpoint_url)
    base = {"client_id": client_id, "redirect_uri": CALLBACK, "state": "s"}
    # No redirect_uri to trust (no client, an unknown one, an unregistered redirect_uri): the domain's
    # /error page, with the error and the client_id.
    error_page = browser.oauth_url("/error")
    missing = browser.get(browser.oauth_url("/oauth2/authorize"), response_type="code")
    assert missing.status_code == 302 and missing.headers["Location"] == f"{error_page}?error=invalid_request"
    unknown = browser.get(browser.oauth_url("/oauth2/authorize"), **{**base, "client_id": "nope"})
    assert unknown.headers["Location"] == f"{error_page}?error=invalid_request&client_id=nope"
    mismatch = browser.get(
        browser.oauth_url("/oauth2/authorize"), **{**base, "redirect_uri": "http://localhost:9/x"}
    )
    assert mismatch.headers["Location"] == f"{error_page}?error=redirect_mismatch&client_id={client_id}"
    shown = browser.follow(mismatch)
    assert shown.status_code == 400
    assert (
        "An error was encountered with the requested page." in shown.text
        and "redirect_mismatch" in shown.text
    )
    # Redirects with ?error= and, as the guide's negative responses show them, no error_description.
    bare = {"error": ["invalid_request"], "state": ["s"]}
    assert _authorize_error(browser, **base) == bare
    assert _authorize_error(browser, **base, response_type="id_token") == bare
    denied = _authorize_error(browser, **base, response_type="token")
    assert denied == {"error": ["unauthorized_client"], "state": ["s"]}
    # A scope the client may not have, or email without openid: invalid_request, described invalid_scope.
    for scope in ("phone", "email", "openid unknown/scope"):
        refused = _authorize_error(browser, **base, response_type="code", scope=scope)
        assert refused == {
            "error": ["invalid_request"],
            "error_description": ["invalid_scope"],
            "state": ["s"],
        }
    _, challenge = pkce_pair()
    assert _authorize_error(browser, **base, response_type="code", code_challenge=challenge) == bare
    plain = _authorize_error(
        browser, **base, response_type="code", code_challenge=challenge, code_challenge_method="plain"
    )
    assert plain == bare
    federated = _authorize_error(browser, **base, response_type="code", identity_provider="Google")
    assert federated["error"] == ["invalid_request"]


def _code(emulator: Emulator, client_id: str, **params: Any) -> str:
    return callback_params(Browser(emulator.endpoint_url).sign_in(client_id, scope="openid", **params))[
        "code"
    ]


def test_token_errors(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    url = emulator.endpoint_url

    def post(data: dict[str, str], **kwargs: Any) -> tuple[int, Any]:
        response = token_request(url, data, **kwargs)
        return response.status_code, response.json()

    grant = {"grant_type": "authorization_code", "client_id": client_id, "redirect_uri": CALLBACK}
    assert post({"client_id": client_id}) == (400, {"error": "invalid_request"})
    assert post({"grant_type": "password", "client_id": client_id}) == (
        400,
        {"error": "unsupported_grant_type"},
    )
    assert post({"grant_type": "authorization_code"}) == (400, {"error": "invalid_request"})
    assert post({**grant, "client_id": "unknown"}) == (401, {"error": "invalid_client"})
    assert post(grant) == (400, {"error": "invalid_request"})  # no code
    assert post({**grant, "code": "not-a-code"}) == (400, {"error": "invalid_grant"})
    code = _code(emulator, client_id)
    assert post({**grant, "code": code, "redirect_uri": "http://localhost:3000/other"}) == (
        400,
        {"error": "unauthorized_client"},
    )
    # Expired after five minutes by the emulator's clock.
    code = _code(emulator, client_id)
    emulator.clock.advance(301)
    assert post({**grant, "code": code}) == (400, {"error": "invalid_grant"})
    # PKCE: a missing verifier, a wrong one.
    verifier, challenge = pkce_pair()
    code = _code(emulator, client_id, code_challenge=challenge, code_challenge_method="S256")
    assert post({**grant, "code": code}) == (400, {"error": "invalid_request"})
    code = _code(emulator, client_id, code_challenge=challenge, code_challenge_method="S256")
    assert post({**grant, "code": code, "code_verifier": pkce_pair()[0]}) == (400, {"error": "invalid_grant"})
    code = _code(emulator, client_id, code_challenge=challenge, code_challenge_method="S256")
    status, body = post({**grant, "code": code, "code_verifier": verifier})
    assert status == 200, body
    # A code of another client.
    other = make_web_client(idp, pool_id, ClientName="other")["ClientId"]
    code = _code(emulator, client_id)
    assert post({**grant, "client_id": other, "code": code}) == (400, {"error": "invalid_grant"})
    # refresh_token: missing, unknown.
    assert post({"grant_type": "refresh_token", "client_id": client_id}) == (
        400,
        {"error": "invalid_request"},
    )
    assert post({"grant_type": "refresh_token", "client_id": client_id, "refresh_token": "x.y"}) == (
        400,
        {"error": "invalid_grant"},
    )
    # Not a form body.
    as_json = requests.post(f"{url}/_oauth/{DOMAIN}/oauth2/token", json=grant, timeout=10)
    assert as_json.status_code == 400 and as_json.json() == {"error": "invalid_request"}
    # A public client may not use client_credentials.
    assert post({"grant_type": "client_credentials", "client_id": client_id}) == (
        400,
        {"error": "unauthorized_client"},
    )
    # A public client given a secret.
    assert post({**grant, "code": "c"}, auth=(client_id, "secret")) == (401, {"error": "invalid_client"})


def test_userinfo_and_revoke_errors(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    url = f"{emulator.endpoint_url}/_oauth/{DOMAIN}/oauth2"
    missing = requests.get(f"{url}/userInfo", timeout=10)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    bogus = requests.get(f"{url}/userInfo", headers={"Authorization": "Bearer abc"}, timeout=10)
    assert bogus.status_code == 401 and bogus.json()["error"] == "invalid_token"
    code = _code(emulator, client_id)
    tokens = exchange_code(emulator.endpoint_url, client_id, code)
    # scope openid alone: every attribute the client may read, and username.
    info = requests.post(
        f"{url}/userInfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=10
    )
    assert set(info.json()) == {"sub", "username", "email", "email_verified", "name"}
    no_token = requests.post(f"{url}/revoke", data={"client_id": client_id}, timeout=10)
    assert no_token.status_code == 400 and no_token.json() == {"error": "invalid_request"}
    access = requests.post(
        f"{url}/revoke", data={"client_id": client_id, "token": tokens["access_token"]}, timeout=10
    )
    assert access.status_code == 400 and access.json() == {"error": "unsupported_token_type"}
    unknown = requests.post(f"{url}/revoke", data={"client_id": client_id, "token": "a.b.c.d.e"}, timeout=10)
    assert unknown.status_code == 200
    bad_client = requests.post(f"{url}/revoke", data={"client_id": "nope", "token": "t"}, timeout=10)
    assert bad_client.status_code == 401 and bad_client.json() == {"error": "invalid_client"}
