"""The token endpoint's RFC 8693 grant (urn:ietf:params:oauth:grant-type:token-exchange): a hosted-login
user's access token exchanged by a confidential service client, with and without an actor (the M2M
token of an agent), scope and resource narrowing, and RFC 8693's error codes."""

from __future__ import annotations

from typing import Any

from oauth_support import (
    API,
    Browser,
    callback_params,
    make_m2m_client,
    make_pool,
    make_user,
    make_web_client,
    token_request,
    verified,
)

from cognito_emu.emulator import Emulator

GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS = "urn:ietf:params:oauth:token-type:access_token"
ID = "urn:ietf:params:oauth:token-type:id_token"


def _setup(emulator: Emulator, idp: Any) -> tuple[str, dict[str, Any], dict[str, Any]]:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    web = make_web_client(idp, pool_id)
    browser = Browser(emulator.endpoint_url)
    code = callback_params(browser.sign_in(web["ClientId"], scope=f"openid {API}/read"))["code"]
    answer = token_request(
        emulator.endpoint_url,
        {
            "grant_type": "authorization_code",
            "client_id": web["ClientId"],
            "code": code,
            "redirect_uri": "http://localhost:3000/callback",
        },
    )
    service = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="service",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_TOKEN_EXCHANGE_IMPERSONATION", "ALLOW_TOKEN_EXCHANGE_DELEGATION"],
        AllowedOAuthScopes=[f"{API}/read", f"{API}/write"],
    )["UserPoolClient"]
    return pool_id, answer.json(), service


def _exchange(emulator: Emulator, service: dict[str, Any], **form: str) -> Any:
    return token_request(
        emulator.endpoint_url,
        {"grant_type": GRANT, "subject_token_type": ACCESS, **form},
        auth=(service["ClientId"], service["ClientSecret"]),
    )


def test_exchange_at_the_token_endpoint(emulator: Emulator, idp: Any) -> None:
    pool_id, user_tokens, service = _setup(emulator, idp)
    answer = _exchange(emulator, service, subject_token=user_tokens["access_token"], resource=API)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["issued_token_type"] == ACCESS
    assert body["token_type"] == "Bearer"
    assert body["scope"] == f"{API}/read"
    assert "refresh_token" not in body
    issued = verified(emulator.endpoint_url, pool_id, body["access_token"])
    assert issued["aud"] == API
    assert issued["client_id"] == service["ClientId"]
    assert issued["username"] == "alice"


def test_an_agent_acting_for_the_user(emulator: Emulator, idp: Any) -> None:
    pool_id, user_tokens, service = _setup(emulator, idp)
    agent = make_m2m_client(idp, pool_id)
    agent_token = token_request(
        emulator.endpoint_url,
        {"grant_type": "client_credentials"},
        auth=(agent["ClientId"], agent["ClientSecret"]),
    ).json()["access_token"]
    answer = _exchange(
        emulator,
        service,
        subject_token=user_tokens["access_token"],
        actor_token=agent_token,
        actor_token_type=ACCESS,
        requested_token_type=ID,
        audience="reports",
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["issued_token_type"] == ID
    assert body["token_type"] == "N_A"
    issued = verified(emulator.endpoint_url, pool_id, body["access_token"])
    assert issued["token_use"] == "id"
    assert issued["aud"] == "reports"
    assert issued["act"] == {"sub": agent["ClientId"], "client_id": agent["ClientId"]}


def test_exchange_errors(emulator: Emulator, idp: Any) -> None:
    pool_id, user_tokens, service = _setup(emulator, idp)
    subject = user_tokens["access_token"]

    def error(**form: str) -> tuple[int, str]:
        answer = _exchange(emulator, service, **form)
        return answer.status_code, answer.json()["error"]

    assert error(subject_token="x.y.z") == (400, "invalid_grant")
    assert error(subject_token=subject, scope=f"{API}/write") == (400, "invalid_scope")
    assert error(subject_token=subject, resource="https://elsewhere.example.com") == (400, "invalid_target")
    assert error(subject_token=subject, subject_token_type="urn:example:unknown") == (400, "invalid_request")
    assert error(subject_token_type=ACCESS) == (400, "invalid_request")
    web = make_web_client(idp, pool_id, GenerateSecret=True)
    refused = token_request(
        emulator.endpoint_url,
        {"grant_type": GRANT, "subject_token": subject, "subject_token_type": ACCESS},
        auth=(web["ClientId"], web["ClientSecret"]),
    )
    assert (refused.status_code, refused.json()["error"]) == (400, "unauthorized_client")
