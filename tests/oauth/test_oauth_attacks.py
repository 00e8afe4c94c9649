"""The hosted login and OAuth endpoints as an attacker probes them: redirect_uri look-alikes, state, code replay,
forms posted without the browser session's CSRF token."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import pytest
import requests

from cognito_emu import csrf
from cognito_emu.emulator import Emulator
from cognito_emu.oauth import routing
from cognito_emu.oauth.wire import SESSION_COOKIE
from cognito_emu.web import oauth_routes
from tests.oauth.oauth_support import (
    CALLBACK,
    PASSWORD,
    Browser,
    Form,
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


# -- CSRF on the hosted forms -------------------------------------------------------------------

HOSTED_FORM_PATHS = sorted(
    {
        rule.rule
        for rule in oauth_routes.RULES
        if "POST" in (rule.methods or ()) and not rule.rule.startswith(("/oauth2/", routing.PATH_PREFIX))
    }
)


def _hosted_form_page(emulator: Emulator, idp: Any, path: str) -> tuple[Browser, requests.Response]:
    """A browser session that opened the hosted page whose form posts to ``path``."""
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    idp.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Google",
        ProviderType="Google",
        ProviderDetails={"client_id": "g", "client_secret": "s", "authorize_scopes": "openid"},
        AttributeMapping={"email": "email"},
    )
    client_id = make_web_client(idp, pool_id, SupportedIdentityProviders=["COGNITO", "Google"])["ClientId"]
    browser = Browser(emulator.endpoint_url)
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK}
    if path == "/federation":
        params["identity_provider"] = "Google"
    query = {**params, "username": "alice"} if path.startswith("/confirm") else params
    page = browser.get(browser.oauth_url(path), **query)
    assert page.status_code == 200, page.text
    return browser, page


def test_every_hosted_form_route_is_one_of_the_known_pages() -> None:
    # A new hosted page with a form is guarded by being routed with forms=True; this list keeps the
    # attacker tests below covering it.
    assert HOSTED_FORM_PATHS == [
        "/confirm",
        "/confirmForgotPassword",
        "/federation",
        "/forgotPassword",
        "/login",
        "/signup",
    ]


@pytest.mark.parametrize("path", HOSTED_FORM_PATHS)
def test_every_hosted_form_carries_the_session_token(emulator: Emulator, idp: Any, path: str) -> None:
    browser, page = _hosted_form_page(emulator, idp, path)
    token = browser.session.cookies.get(csrf.COOKIE)
    assert token and Form(page.text).fields[csrf.FIELD] == token
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("path", HOSTED_FORM_PATHS)
def test_a_cross_site_post_of_a_hosted_form_is_refused(emulator: Emulator, idp: Any, path: str) -> None:
    browser, page = _hosted_form_page(emulator, idp, path)
    form = Form(page.text)
    assert form.action
    fields = {k: v for k, v in form.fields.items() if k != csrf.FIELD}
    fields.update(username="alice", password=PASSWORD)
    # The attacker's page posts the form from another site: the browser sends no SameSite=Lax cookie
    # and the attacker cannot read the token to put it in the form.
    attacker = requests.post(urljoin(page.url, form.action), data=fields, allow_redirects=False, timeout=10)
    assert attacker.status_code == 403
    assert "CSRF token" in attacker.text
    assert SESSION_COOKIE not in attacker.cookies
    # Even with the victim's cookie sent along, a form without the field is refused.
    without_field = browser.session.post(
        urljoin(page.url, form.action), data=fields, allow_redirects=False, timeout=10
    )
    assert without_field.status_code == 403
    assert browser.session.cookies.get(SESSION_COOKIE) is None


@pytest.mark.parametrize("path", HOSTED_FORM_PATHS)
def test_a_token_of_another_browser_session_is_refused(emulator: Emulator, idp: Any, path: str) -> None:
    victim, page = _hosted_form_page(emulator, idp, path)
    attacker = Browser(emulator.endpoint_url)
    attacker.get(page.url)
    stolen_field = attacker.session.cookies.get(csrf.COOKIE)
    assert stolen_field and stolen_field != victim.session.cookies.get(csrf.COOKIE)
    form = Form(page.text)
    assert form.action
    fields = {**form.fields, csrf.FIELD: stolen_field, "username": "alice", "password": PASSWORD}
    refused = victim.session.post(
        urljoin(page.url, form.action), data=fields, allow_redirects=False, timeout=10
    )
    assert refused.status_code == 403
    assert victim.session.cookies.get(SESSION_COOKIE) is None


def test_the_sign_in_form_works_with_its_own_token_after_a_refusal(emulator: Emulator, idp: Any) -> None:
    browser, page = _hosted_form_page(emulator, idp, "/login")
    form = Form(page.text)
    assert form.action
    forged = {**form.fields, csrf.FIELD: "f" * 64, "username": "alice", "password": PASSWORD}
    url = urljoin(page.url, form.action)
    assert browser.session.post(url, data=forged, allow_redirects=False, timeout=10).status_code == 403
    assert callback_params(browser.submit(page, username="alice", password=PASSWORD))["code"]
