"""Federated sign-in through the emulator's stand-in for a third-party IdP (/federation), driven by hand
with requests: the user it creates (EXTERNAL_PROVIDER, mapped attributes, ``identities``), the
PreSignUp_ExternalProvider trigger, a second sign-in, tokens, linked users and disabled identities."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from oauth_support import (
    CALLBACK,
    Browser,
    Form,
    callback_params,
    make_pool,
    make_user,
    make_web_client,
    token_request,
    verified,
)

from cognito_emu.emulator import Emulator

PRE_SIGN_UP = "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up"
POST_AUTH = "arn:aws:lambda:us-east-1:123456789012:function:post-auth"
PTG = "arn:aws:lambda:us-east-1:123456789012:function:pre-token"
GOOGLE_SUB = "108234567890123456789"


@pytest.fixture
def seen(emulator: Emulator) -> Iterator[list[dict[str, Any]]]:
    events: list[dict[str, Any]] = []

    def record(event: dict[str, Any], context: Any) -> dict[str, Any]:
        events.append(event)
        if event["request"].get("userAttributes", {}).get("email") == "blocked@example.com":
            raise Exception("not this one")
        return event

    for arn in (PRE_SIGN_UP, POST_AUTH, PTG):
        emulator.triggers.register(arn, record)
    yield events
    for arn in (PRE_SIGN_UP, POST_AUTH, PTG):
        emulator.triggers.unregister(arn)


def _setup(idp: Any, **pool: Any) -> tuple[str, str]:
    pool_id = make_pool(idp, **pool)
    idp.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Google",
        ProviderType="Google",
        ProviderDetails={
            "client_id": "g-id",
            "client_secret": "g-secret",
            "authorize_scopes": "openid email",
        },
        AttributeMapping={"email": "email", "name": "name", "email_verified": "email_verified"},
    )
    idp.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Corp",
        ProviderType="OIDC",
        ProviderDetails={
            "client_id": "corp",
            "client_secret": "s",
            "attributes_request_method": "GET",
            "oidc_issuer": "https://idp.corp.example",
            "authorize_scopes": "openid email",
        },
        AttributeMapping={"email": "mail"},
        IdpIdentifiers=["corp.example"],
    )
    client_id = make_web_client(idp, pool_id, SupportedIdentityProviders=["COGNITO", "Google", "Corp"])[
        "ClientId"
    ]
    return pool_id, client_id


def _federate(browser: Browser, client_id: str, assertion: dict[str, Any], **params: Any) -> Any:
    response = browser.authorize(
        client_id,
        identity_provider="Google",
        scope="openid email profile",
        emu_assertion=json.dumps(assertion),
        **params,
    )
    return response


def _claims(emulator: Emulator, pool_id: str, client_id: str, code: str) -> dict[str, Any]:
    response = token_request(
        emulator.endpoint_url,
        {"grant_type": "authorization_code", "client_id": client_id, "redirect_uri": CALLBACK, "code": code},
    )
    assert response.status_code == 200, response.text
    return verified(emulator.endpoint_url, pool_id, response.json()["id_token"])


def _attributes(idp: Any, pool_id: str, username: str) -> dict[str, str]:
    user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


def test_simulated_page_creates_an_external_user(
    emulator: Emulator, idp: Any, seen: list[dict[str, Any]]
) -> None:
    pool_id, client_id = _setup(
        idp,
        LambdaConfig={"PreSignUp": PRE_SIGN_UP, "PostAuthentication": POST_AUTH, "PreTokenGeneration": PTG},
    )
    browser = Browser(emulator.endpoint_url)
    page = browser.authorize(client_id, identity_provider="Google", scope="openid email profile", state="s1")
    assert page.status_code == 200, page.text
    assert "Sign in with Google (simulated by cognito-emu)" in page.text
    assert urlsplit(page.url).path.endswith("/federation")
    # A bad JSON object shows the page again.
    again = browser.submit(page, subject=GOOGLE_SUB, attributes="[1]")
    assert again.status_code == 200 and Form(again.text).error
    answer = browser.submit(
        page,
        subject=GOOGLE_SUB,
        attributes=json.dumps(
            {"email": "gina@example.com", "name": "Gina", "email_verified": True, "hd": "x"}
        ),
    )
    params = callback_params(answer)
    assert params["state"] == "s1"
    sources = [event["triggerSource"] for event in seen]
    assert sources == ["PreSignUp_ExternalProvider", "PostAuthentication_Authentication"]
    pre = seen[0]
    assert pre["userName"] == f"Google_{GOOGLE_SUB}"
    assert pre["request"]["userAttributes"] == {
        "email": "gina@example.com",
        "name": "Gina",
        "email_verified": "true",
    }
    user = idp.admin_get_user(UserPoolId=pool_id, Username=f"Google_{GOOGLE_SUB}")
    assert user["UserStatus"] == "EXTERNAL_PROVIDER"
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["email"] == "gina@example.com" and attributes["name"] == "Gina"
    assert "hd" not in attributes
    identities = json.loads(attributes["identities"])
    assert identities == [
        {
            "userId": GOOGLE_SUB,
            "providerName": "Google",
            "providerType": "Google",
            "issuer": None,
            "primary": True,
            "dateCreated": identities[0]["dateCreated"],
        }
    ]
    assert isinstance(identities[0]["dateCreated"], int)
    claims = _claims(emulator, pool_id, client_id, params["code"])
    assert claims["cognito:username"] == f"Google_{GOOGLE_SUB}"
    assert claims["identities"] == [
        {
            "userId": GOOGLE_SUB,
            "providerName": "Google",
            "providerType": "Google",
            "issuer": None,
            "primary": "true",
            "dateCreated": str(identities[0]["dateCreated"]),
        }
    ]
    assert seen[-1]["triggerSource"] == "TokenGeneration_HostedAuth"


def test_second_sign_in_reuses_the_user_and_updates_attributes(
    emulator: Emulator, idp: Any, seen: list[dict[str, Any]]
) -> None:
    pool_id, client_id = _setup(idp, LambdaConfig={"PreSignUp": PRE_SIGN_UP})
    first = callback_params(
        _federate(Browser(emulator.endpoint_url), client_id, {"sub": GOOGLE_SUB, "name": "G"})
    )
    second = callback_params(
        _federate(Browser(emulator.endpoint_url), client_id, {"sub": GOOGLE_SUB, "name": "Gina B"})
    )
    assert [event["triggerSource"] for event in seen] == ["PreSignUp_ExternalProvider"]
    users = idp.list_users(UserPoolId=pool_id)["Users"]
    assert [u["Username"] for u in users] == [f"Google_{GOOGLE_SUB}"]
    assert _attributes(idp, pool_id, f"Google_{GOOGLE_SUB}")["name"] == "Gina B"
    one = _claims(emulator, pool_id, client_id, first["code"])
    two = _claims(emulator, pool_id, client_id, second["code"])
    assert one["sub"] == two["sub"]


def test_implicit_grant_and_idp_identifier(emulator: Emulator, idp: Any) -> None:
    pool_id, client_id = _setup(idp)
    response = Browser(emulator.endpoint_url).authorize(
        client_id,
        response_type="token",
        idp_identifier="corp.example",
        scope="openid email",
        emu_assertion=json.dumps({"sub": "E-42", "mail": "e42@corp.example"}),
    )
    params = callback_params(response)
    claims = verified(emulator.endpoint_url, pool_id, params["id_token"])
    assert claims["cognito:username"] == "Corp_E-42"
    assert claims["email"] == "e42@corp.example"
    assert claims["identities"][0]["issuer"] == "https://idp.corp.example"
    assert claims["identities"][0]["providerType"] == "OIDC"


def test_case_insensitive_pool_folds_the_username(emulator: Emulator, idp: Any) -> None:
    pool_id, client_id = _setup(idp, UsernameConfiguration={"CaseSensitive": False})
    callback_params(_federate(Browser(emulator.endpoint_url), client_id, {"sub": "AbC"}))
    assert [u["Username"] for u in idp.list_users(UserPoolId=pool_id)["Users"]] == ["google_abc"]


def test_pre_sign_up_refusal_and_unknown_providers(
    emulator: Emulator, idp: Any, seen: list[dict[str, Any]]
) -> None:
    pool_id, client_id = _setup(idp, LambdaConfig={"PreSignUp": PRE_SIGN_UP})
    refused = _federate(
        Browser(emulator.endpoint_url), client_id, {"sub": "9", "email": "blocked@example.com"}, state="z"
    )
    location = refused.headers["Location"]
    assert location.startswith(CALLBACK)
    query = parse_qs(urlsplit(location).query)
    assert query["error"] == ["invalid_request"] and query["state"] == ["z"]
    assert "PreSignUp failed with error not this one" in query["error_description"][0]
    assert idp.list_users(UserPoolId=pool_id)["Users"] == []
    # A provider the pool lacks, or the client does not support.
    missing = Browser(emulator.endpoint_url).authorize(client_id, identity_provider="Facebook")
    assert parse_qs(urlsplit(missing.headers["Location"]).query)["error"] == ["invalid_request"]
    other = make_web_client(idp, pool_id, ClientName="native-only")["ClientId"]
    unsupported = Browser(emulator.endpoint_url).authorize(other, identity_provider="Google")
    assert parse_qs(urlsplit(unsupported.headers["Location"]).query)["error"] == ["invalid_request"]
    # No subject.
    nosub = _federate(Browser(emulator.endpoint_url), client_id, {"email": "x@example.com"})
    assert "subject" in parse_qs(urlsplit(nosub.headers["Location"]).query)["error_description"][0]


def test_linked_identity_signs_in_as_the_local_user(emulator: Emulator, idp: Any) -> None:
    pool_id, client_id = _setup(idp)
    make_user(idp, pool_id, "alice")
    idp.admin_link_provider_for_user(
        UserPoolId=pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "alice"},
        SourceUser={
            "ProviderName": "Google",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": GOOGLE_SUB,
        },
    )
    params = callback_params(
        _federate(Browser(emulator.endpoint_url), client_id, {"sub": GOOGLE_SUB, "name": "G"})
    )
    claims = _claims(emulator, pool_id, client_id, params["code"])
    assert claims["cognito:username"] == "alice"
    assert claims["identities"][0]["userId"] == GOOGLE_SUB
    assert claims["identities"][0]["primary"] == "false"
    assert [u["Username"] for u in idp.list_users(UserPoolId=pool_id)["Users"]] == ["alice"]
    user = idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert user["UserStatus"] == "CONFIRMED"
    # Disabling the provider for that identity removes the link: the next sign-in is a new user.
    idp.admin_disable_provider_for_user(
        UserPoolId=pool_id,
        User={
            "ProviderName": "Google",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": GOOGLE_SUB,
        },
    )
    assert "identities" not in _attributes(idp, pool_id, "alice")
    again = callback_params(_federate(Browser(emulator.endpoint_url), client_id, {"sub": GOOGLE_SUB}))
    assert _claims(emulator, pool_id, client_id, again["code"])["cognito:username"] == f"Google_{GOOGLE_SUB}"


def test_oidc_link_on_a_mapped_attribute(emulator: Emulator, idp: Any) -> None:
    pool_id, client_id = _setup(idp)
    make_user(idp, pool_id, "bob")
    idp.admin_link_provider_for_user(
        UserPoolId=pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "bob"},
        SourceUser={
            "ProviderName": "Corp",
            "ProviderAttributeName": "email",
            "ProviderAttributeValue": "bob@corp.example",
        },
    )
    response = Browser(emulator.endpoint_url).authorize(
        client_id,
        identity_provider="Corp",
        scope="openid",
        emu_assertion=json.dumps({"sub": "corp-7", "mail": "bob@corp.example"}),
    )
    claims = _claims(emulator, pool_id, client_id, callback_params(response)["code"])
    assert claims["cognito:username"] == "bob"
    # From the first sign-in on, the link is keyed by the subject.
    assert json.loads(_attributes(idp, pool_id, "bob")["identities"])[0]["userId"] == "corp-7"


def test_disabled_federated_user_is_refused(emulator: Emulator, idp: Any) -> None:
    pool_id, client_id = _setup(idp)
    callback_params(_federate(Browser(emulator.endpoint_url), client_id, {"sub": GOOGLE_SUB}))
    idp.admin_disable_provider_for_user(
        UserPoolId=pool_id,
        User={
            "ProviderName": "Google",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": GOOGLE_SUB,
        },
    )
    assert idp.admin_get_user(UserPoolId=pool_id, Username=f"Google_{GOOGLE_SUB}")["Enabled"] is False
    refused = _federate(Browser(emulator.endpoint_url), client_id, {"sub": GOOGLE_SUB})
    query = parse_qs(urlsplit(refused.headers["Location"]).query)
    assert query["error"] == ["invalid_request"]
    assert query["error_description"] == ["User is disabled."]


def test_the_form_action_keeps_the_request(emulator: Emulator, idp: Any) -> None:
    _, client_id = _setup(idp)
    browser = Browser(emulator.endpoint_url)
    page = browser.authorize(client_id, identity_provider="Google", state="keep")
    action = Form(page.text).action or ""
    query = parse_qs(urlsplit(urljoin(page.url, action)).query)
    assert query["identity_provider"] == ["Google"] and query["state"] == ["keep"]


def test_a_nonce_is_generated_for_a_federated_sign_in_without_one(emulator: Emulator, idp: Any) -> None:
    # Developer guide, the ID token's nonce claim: without a nonce in the request, Cognito generates one
    # when the user authenticates through a third-party IdP and adds it to the ID token.
    pool_id, client_id = _setup(idp)
    browser = Browser(emulator.endpoint_url)
    first = _claims(
        emulator, pool_id, client_id, callback_params(_federate(browser, client_id, {"sub": "1"}))["code"]
    )
    second = _claims(
        emulator,
        pool_id,
        client_id,
        callback_params(_federate(Browser(emulator.endpoint_url), client_id, {"sub": "1"}))["code"],
    )
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", first["nonce"])
    assert first["nonce"] != second["nonce"]
    implicit = callback_params(
        _federate(Browser(emulator.endpoint_url), client_id, {"sub": "1"}, response_type="token")
    )
    assert verified(emulator.endpoint_url, pool_id, implicit["id_token"])["nonce"]
    # The app's own nonce is kept as it is.
    given = _federate(Browser(emulator.endpoint_url), client_id, {"sub": "1"}, nonce="n-app")
    assert _claims(emulator, pool_id, client_id, callback_params(given)["code"])["nonce"] == "n-app"
    # A password sign-in without a nonce gets none.
    make_user(idp, pool_id)
    local = Browser(emulator.endpoint_url).sign_in(client_id, scope="openid")
    assert "nonce" not in _claims(emulator, pool_id, client_id, callback_params(local)["code"])


def test_acr_values_maps_the_idps_acr_and_amr(emulator: Emulator, idp: Any) -> None:
    """The level is the IdP's acr mapped back through AcrMapping (unmapped: the lowest); amr keeps the
    methods Cognito knows, else ``fed``."""
    pool_id, client_id = _setup(idp)
    idp.update_identity_provider(
        UserPoolId=pool_id, ProviderName="Corp", AcrMapping={"Level4": "urn:corp:strong", "Level2": "urn:corp:otp"}
    )

    def tokens(assertion: dict[str, Any]) -> dict[str, Any]:
        response = Browser(emulator.endpoint_url).authorize(
            client_id,
            identity_provider="Corp",
            scope="openid",
            acr_values="urn:cognito:loa:4 urn:cognito:loa:1",
            emu_assertion=json.dumps({"sub": "corp-9", "mail": "nine@corp.example", **assertion}),
        )
        return _claims(emulator, pool_id, client_id, callback_params(response)["code"])

    strong = tokens({"acr": "urn:corp:strong", "amr": ["pwd", "otp", "face"]})
    assert (strong["acr"], strong["amr"]) == ("urn:cognito:loa:4", ["pwd", "otp", "mfa"])
    unmapped = tokens({"acr": "urn:corp:weak", "amr": ["face"]})
    assert (unmapped["acr"], unmapped["amr"]) == ("urn:cognito:loa:1", ["fed"])
    # Without acr_values, no claims.
    plain = Browser(emulator.endpoint_url).authorize(
        client_id, identity_provider="Corp", scope="openid", emu_assertion=json.dumps({"sub": "corp-9"})
    )
    assert "acr" not in _claims(emulator, pool_id, client_id, callback_params(plain)["code"])
