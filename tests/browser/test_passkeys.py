"""Passkeys end to end in Chromium: its virtual authenticator (the DevTools protocol's WebAuthn domain)
answers navigator.credentials.create and .get in a page on http://localhost, which calls the user pool API
itself (CORS): registration with Start/CompleteWebAuthnRegistration, then USER_AUTH with WEB_AUTHN. The
relying party (localhost) and the origin are what a real browser sends."""

from __future__ import annotations

import json
from typing import Any

from browser_support import AppServer, virtual_authenticator
from playwright.sync_api import BrowserContext, Page, expect

from cognito_emu.emulator import Emulator

PASSWORD = "Correct-horse-1"


def _passkey_pool(idp: Any, user_verification: str = "required") -> tuple[str, str]:
    pool_id = idp.create_user_pool(
        PoolName="passkeys", Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}}
    )["UserPool"]["Id"]
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OFF",
        WebAuthnConfiguration={"RelyingPartyId": "localhost", "UserVerification": user_verification},
    )
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True)
    return pool_id, client_id


def test_register_a_passkey_then_sign_in_with_it(
    emulator: Emulator, idp: Any, browser_context: BrowserContext, page: Page, test_app: AppServer
) -> None:
    _, client_id = _passkey_pool(idp)
    test_app.configure({"endpoint": emulator.endpoint_url, "clientId": client_id})
    devtools, authenticator = virtual_authenticator(browser_context, page)
    page.goto(test_app.url("/passkeys.html"))
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Register a passkey").click()
    status = page.get_by_role("status")
    expect(status).to_have_text("Passkey registered")
    listed = json.loads(page.locator("#result").inner_text())
    held = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(listed) == len(held) == 1
    assert listed[0]["RelyingPartyId"] == "localhost"
    assert listed[0]["AuthenticatorAttachment"] == "platform"

    page.get_by_label("Password").fill("")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(status).to_have_text("Signed in as alice")
    # The authenticator counted the signature the emulator checked.
    held = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert held[0]["signCount"] >= 1

