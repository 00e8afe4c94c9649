"""Authorization code + PKCE through the hosted login, driven by hand with requests; tokens checked
with PyJWT against the JWKS; refresh, userInfo, revoke, logout, the session cookie, implicit grant."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import requests
from oauth_support import (
    CALLBACK,
    DOMAIN,
    PASSWORD,
    SIGNED_OUT,
    Browser,
    Form,
    callback_params,
    make_pool,
    make_user,
    make_web_client,
    pkce_pair,
    token_request,
    verified,
)

from cognito_emu.emulator import Emulator


def _setup(idp: Any, **client: Any) -> tuple[str, dict[str, Any]]:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    return pool_id, make_web_client(idp, pool_id, **client)


def test_code_flow_with_pkce_and_tokens_verified(emulator: Emulator, idp: Any) -> None:
    pool_id, client = _setup(idp)
    client_id = client["ClientId"]
    browser = Browser(emulator.endpoint_url)
    verifier, challenge = pkce_pair()
    first = browser.get(
        browser.oauth_url("/oauth2/authorize"),
        response_type="code",
        client_id=client_id,
        redirect_uri=CALLBACK,
        scope="openid email profile",
        state="st-1",
        nonce="n-1",
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    assert first.status_code == 302
    assert first.headers["Location"].startswith(browser.oauth_url("/login?"))
    page = browser.follow(first)
    assert page.status_code == 200
    assert Form(page.text).fields.keys() >= {"username", "password"}
    params = callback_params(browser.submit(page, username="alice", password=PASSWORD))
    assert params["state"] == "st-1"
    response = token_request(
        emulator.endpoint_url,
        {
            "grant_type": "authorization_code",
            "client_id": client_id,
            "code": params["code"],
            "redirect_uri": CALLBACK,
            "code_verifier": verifier,
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert set(body) == {"id_token", "access_token", "refresh_token", "expires_in", "token_type"}
    issuer = f"{emulator.endpoint_url.rstrip('/')}/{pool_id}"
    id_claims = verified(emulator.endpoint_url, pool_id, body["id_token"])
    assert id_claims["iss"] == issuer
    assert id_claims["aud"] == client_id
    assert id_claims["nonce"] == "n-1"
    assert id_claims["email"] == "alice@example.com"
    assert id_claims["cognito:username"] == "alice"
    access = verified(emulator.endpoint_url, pool_id, body["access_token"])
    assert access["token_use"] == "access"
    assert access["scope"].split() == ["openid", "email", "profile"]
    assert access["client_id"] == client_id
    # The code is single use.
    again = token_request(
        emulator.endpoint_url,
        {
            "grant_type": "authorization_code",
            "client_id": client_id,
            "code": params["code"],
            "redirect_uri": CALLBACK,
            "code_verifier": verifier,
        },
    )
    assert again.status_code == 400
    assert again.json() == {"error": "invalid_grant"}

    # Refresh keeps the scopes; no new refresh token without rotation.
    refreshed = token_request(
        emulator.endpoint_url,
        {"grant_type": "refresh_token", "client_id": client_id, "refresh_token": body["refresh_token"]},
    )
    assert refreshed.status_code == 200, refreshed.text
    assert set(refreshed.json()) == {"id_token", "access_token", "expires_in", "token_type"}
    new_access = verified(emulator.endpoint_url, pool_id, refreshed.json()["access_token"])
    assert new_access["scope"] == access["scope"]
    assert new_access["origin_jti"] == access["origin_jti"]

    # userInfo, with the attributes the scopes allow (email and profile).
    info = requests.get(
        f"{emulator.endpoint_url}/_oauth/{DOMAIN}/oauth2/userInfo",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=10,
    )
    assert info.status_code == 200, info.text
    assert info.json()["email"] == "alice@example.com"
    assert info.json()["name"] == "Alice"
    assert info.json()["username"] == "alice"
    assert info.json()["sub"] == id_claims["sub"]
    revoke = requests.post(
        f"{emulator.endpoint_url}/_oauth/{DOMAIN}/oauth2/revoke",
        data={"token": body["refresh_token"], "client_id": client_id},
        timeout=10,
    )
    assert revoke.status_code == 200 and revoke.text == ""
    after = requests.get(
        f"{emulator.endpoint_url}/_oauth/{DOMAIN}/oauth2/userInfo",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=10,
    )
    assert after.status_code == 401
    assert after.json()["error"] == "invalid_token"
    assert 'error="invalid_token"' in after.headers["WWW-Authenticate"]
    refused = token_request(
        emulator.endpoint_url,
        {"grant_type": "refresh_token", "client_id": client_id, "refresh_token": body["refresh_token"]},
    )
    assert refused.status_code == 400 and refused.json() == {"error": "invalid_grant"}


def test_confidential_client_basic_and_post_auth(emulator: Emulator, idp: Any) -> None:
    pool_id, client = _setup(idp, secret=True)
    client_id, secret = client["ClientId"], client["ClientSecret"]
    browser = Browser(emulator.endpoint_url)
    code = callback_params(browser.sign_in(client_id, scope="openid"))["code"]
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK}
    # A wrong secret: 401 invalid_client (and the code survives nothing: it was not redeemed).
    wrong = token_request(emulator.endpoint_url, data, auth=(client_id, "nope"))
    assert wrong.status_code == 401 and wrong.json() == {"error": "invalid_client"}
    missing = token_request(emulator.endpoint_url, {**data, "client_id": client_id})
    assert missing.status_code == 401 and missing.json() == {"error": "invalid_client"}
    # client_secret_basic, each half form-encoded as openid-client does (%2D for "-").
    import base64

    encoded = base64.b64encode(f"{client_id.replace('-', '%2D')}:{secret}".encode()).decode()
    ok = token_request(emulator.endpoint_url, data, headers={"Authorization": f"Basic {encoded}"})
    assert ok.status_code == 200, ok.text
    assert set(ok.json()) == {"id_token", "access_token", "refresh_token", "expires_in", "token_type"}
    # client_secret_post for the refresh.
    refreshed = token_request(
        emulator.endpoint_url,
        {
            "grant_type": "refresh_token",
            "client_id": client_id,
            "client_secret": secret,
            "refresh_token": ok.json()["refresh_token"],
        },
    )
    assert refreshed.status_code == 200, refreshed.text
    revoke_without_secret = requests.post(
        f"{emulator.endpoint_url}/_oauth/{DOMAIN}/oauth2/revoke",
        data={"token": ok.json()["refresh_token"], "client_id": client_id},
        timeout=10,
    )
    assert revoke_without_secret.status_code == 401
    revoked = requests.post(
        f"{emulator.endpoint_url}/_oauth/{DOMAIN}/oauth2/revoke",
        data={"token": ok.json()["refresh_token"]},
        auth=(client_id, secret),
        timeout=10,
    )
    assert revoked.status_code == 200


def test_session_cookie_skips_the_form_and_logout_clears_it(emulator: Emulator, idp: Any) -> None:
    _, client = _setup(idp)
    client_id = client["ClientId"]
    browser = Browser(emulator.endpoint_url)
    callback_params(browser.sign_in(client_id, scope="openid"))
    # Signed in: the second authorize goes straight back with a code.
    second = browser.authorize(client_id, scope="openid", state="again")
    params = callback_params(second)
    assert params["state"] == "again" and params["code"]
    # Logout to a registered LogoutURL clears the cookie.
    out = browser.get(browser.oauth_url("/logout"), client_id=client_id, logout_uri=SIGNED_OUT)
    assert out.status_code == 302 and out.headers["Location"] == SIGNED_OUT
    page = browser.authorize(client_id, scope="openid")
    assert page.status_code == 200 and "username" in Form(page.text).fields
    # An unregistered logout_uri goes to the domain's error page, as an unregistered redirect_uri does;
    # so does a logout naming neither logout_uri nor authorize parameters.
    error_page = browser.oauth_url("/error")
    bad = browser.get(browser.oauth_url("/logout"), client_id=client_id, logout_uri="http://localhost/evil")
    assert bad.status_code == 302
    assert bad.headers["Location"] == f"{error_page}?error=redirect_mismatch&client_id={client_id}"
    assert browser.follow(bad).status_code == 400
    bare = browser.get(browser.oauth_url("/logout"), client_id=client_id)
    assert bare.headers["Location"] == f"{error_page}?error=Required+parameters+missing&client_id={client_id}"
    # Logout with authorize parameters: back to the login page.
    relogin = browser.get(
        browser.oauth_url("/logout"), client_id=client_id, response_type="code", redirect_uri=CALLBACK
    )
    assert relogin.status_code == 302 and "/login?" in relogin.headers["Location"]


def test_wrong_password_shows_the_form_again(emulator: Emulator, idp: Any) -> None:
    _, client = _setup(idp, PreventUserExistenceErrors="ENABLED")
    browser = Browser(emulator.endpoint_url)
    page = browser.authorize(client["ClientId"])
    again = browser.submit(page, username="alice", password="wrong-Password-1")
    assert again.status_code == 200
    assert Form(again.text).error == "Incorrect username or password."
    nobody = browser.submit(page, username="nobody", password=PASSWORD)
    assert Form(nobody.text).error == "Incorrect username or password."
    # Five failures lock the user out, as InitiateAuth does.
    for _ in range(4):
        browser.submit(page, username="alice", password="wrong-Password-1")
    locked = browser.submit(page, username="alice", password=PASSWORD)
    assert Form(locked.text).error == "Password attempts exceeded"


def test_force_change_password_form(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp)
    make_user(idp, pool_id, "bob", permanent=False)
    client = make_web_client(idp, pool_id)
    browser = Browser(emulator.endpoint_url)
    page = browser.sign_in(client["ClientId"], username="bob")
    assert page.status_code == 200
    form = Form(page.text)
    assert "new_password" in form.fields and form.fields["session"]
    mismatch = browser.submit(page, new_password="New-password-1", confirm_password="Other-password-1")
    assert Form(mismatch.text).error == "Passwords do not match."
    weak = browser.submit(page, new_password="short", confirm_password="short")
    assert weak.status_code == 200 and Form(weak.text).error
    done = browser.submit(page, new_password="New-password-1", confirm_password="New-password-1")
    assert callback_params(done)["code"]
    user = idp.admin_get_user(UserPoolId=pool_id, Username="bob")
    assert user["UserStatus"] == "CONFIRMED"


def test_force_change_password_form_asks_for_missing_required_attributes(emulator: Emulator, idp: Any) -> None:
    """Regression: a required attribute the user lacks made the form's template call raise TypeError
    (the attribute's ``name`` clashed with the template's), answering a 500 instead of the form."""
    pool_id = make_pool(idp)
    make_user(idp, pool_id, "bob", permanent=False)
    # Cognito asks NEW_PASSWORD_REQUIRED for required attributes a user lacks (one created before the
    # attribute was required, say); the API refuses to create such a user, so it is made in the state.
    with emulator.env.state.lock:
        pool = emulator.env.state.find_pool(pool_id)
        assert pool is not None
        pool.schema["family_name"] = replace(pool.schema["family_name"], required=True)
    client = make_web_client(idp, pool_id)
    browser = Browser(emulator.endpoint_url)
    page = browser.sign_in(client["ClientId"], username="bob")
    assert page.status_code == 200, page.text
    assert "userAttributes.family_name" in Form(page.text).fields
    done = browser.submit(
        page,
        new_password="New-password-1",
        confirm_password="New-password-1",
        **{"userAttributes.family_name": "Builder"},
    )
    assert callback_params(done)["code"]
    user = idp.admin_get_user(UserPoolId=pool_id, Username="bob")
    assert {"Name": "family_name", "Value": "Builder"} in user["UserAttributes"]


def test_implicit_grant_returns_tokens_in_the_fragment(emulator: Emulator, idp: Any) -> None:
    pool_id, client = _setup(idp)
    browser = Browser(emulator.endpoint_url)
    with_openid = callback_params(
        browser.sign_in(
            client["ClientId"], response_type="token", scope="openid email", state="s", nonce="nn"
        )
    )
    assert set(with_openid) == {"id_token", "access_token", "token_type", "expires_in", "state"}
    assert verified(emulator.endpoint_url, pool_id, with_openid["id_token"])["nonce"] == "nn"
    without = callback_params(
        browser.authorize(client["ClientId"], response_type="token", scope="aws.cognito.signin.user.admin")
    )
    assert "id_token" not in without and without["access_token"]
    # An access token with aws.cognito.signin.user.admin works against the user API.
    me = idp.get_user(AccessToken=without["access_token"])
    assert me["Username"] == "alice"


def test_host_routing_and_discovery(emulator: Emulator, idp: Any) -> None:
    pool_id, client = _setup(idp)
    base = emulator.endpoint_url.rstrip("/")
    config = requests.get(f"{base}/{pool_id}/.well-known/openid-configuration", timeout=10).json()
    assert config["authorization_endpoint"] == f"{base}/_oauth/{DOMAIN}/oauth2/authorize"
    assert config["token_endpoint"] == f"{base}/_oauth/{DOMAIN}/oauth2/token"
    assert config["userinfo_endpoint"] == f"{base}/_oauth/{DOMAIN}/oauth2/userInfo"
    assert config["revocation_endpoint"] == f"{base}/_oauth/{DOMAIN}/oauth2/revoke"
    assert config["end_session_endpoint"] == f"{base}/_oauth/{DOMAIN}/logout"
    assert config["issuer"] == f"{base}/{pool_id}"
    host = f"{DOMAIN}.auth.us-east-1.amazoncognito.com"
    by_host = requests.get(
        f"{base}/oauth2/authorize",
        params={"response_type": "code", "client_id": client["ClientId"], "redirect_uri": CALLBACK},
        headers={"Host": host},
        allow_redirects=False,
        timeout=10,
    )
    assert by_host.status_code == 302
    assert by_host.headers["Location"].startswith(f"http://{host}/login?")
    hosted_config = requests.get(
        f"{base}/{pool_id}/.well-known/openid-configuration", headers={"Host": host}, timeout=10
    ).json()
    assert hosted_config["token_endpoint"] == f"http://{host}/oauth2/token"
    # Another pool's domain does not take this pool's client.
    other = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    idp.create_user_pool_domain(UserPoolId=other, Domain="emu-other")
    wrong = requests.get(
        f"{base}/_oauth/emu-other/oauth2/authorize",
        params={"response_type": "code", "client_id": client["ClientId"], "redirect_uri": CALLBACK},
        allow_redirects=False,
        timeout=10,
    )
    assert wrong.status_code == 302
    assert wrong.headers["Location"] == (
        f"{base}/_oauth/emu-other/error?error=invalid_request&client_id={client['ClientId']}"
    )
    unknown = requests.get(f"{base}/_oauth/emu-none/oauth2/authorize", allow_redirects=False, timeout=10)
    assert unknown.status_code == 404
    # Plain /oauth2/... on localhost finds the pool through the client id.
    plain = requests.get(
        f"{base}/oauth2/authorize",
        params={"response_type": "code", "client_id": client["ClientId"], "redirect_uri": CALLBACK},
        allow_redirects=False,
        timeout=10,
    )
    assert plain.status_code == 302 and plain.headers["Location"].startswith(f"{base}/login?")
