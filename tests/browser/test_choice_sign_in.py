"""Choice-based sign-in on the managed login pages, typed in Chromium: an app client with ALLOW_USER_AUTH on a
managed login domain asks for the username, then offers the first factors the pool's sign-in policy allows
(a code by email or SMS from the outbox, a passkey from Chromium's virtual authenticator, the password)."""

from __future__ import annotations

import json
from typing import Any

from browser_support import AppServer, virtual_authenticator
from hosted_app import DOMAIN, PASSWORD, hosted_app, tab_to
from playwright.sync_api import BrowserContext, Page, expect

from cognito_emu.emulator import Emulator

SMS = {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sns", "ExternalId": "ext"}}
CLIENT = {
    "ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    # An unknown user is offered the pool's factors, every one of which then fails.
    "PreventUserExistenceErrors": "ENABLED",
}


def _choice_app(emulator: Emulator, idp: Any, test_app: AppServer, factors: list[str]) -> tuple[str, str]:
    pool_id, client_id = hosted_app(
        emulator,
        idp,
        test_app,
        managed_login_version=2,
        client_settings=CLIENT,
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": factors}},
        **SMS,
    )
    idp.create_managed_login_branding(UserPoolId=pool_id, ClientId=client_id, UseCognitoProvidedValues=True)
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="kim",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "kim@example.com"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "phone_number", "Value": "+15555550123"},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username="kim", Password=PASSWORD, Permanent=True)
    return pool_id, client_id


def _username_step(page: Page, test_app: AppServer, username: str = "kim") -> None:
    """From the app to the page that offers the factors, through the username form."""
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Next")).to_be_visible()
    assert page.get_by_label("Password").count() == 0
    page.get_by_label("Username").fill(username)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading")).to_have_text("Choose how to sign in")


def test_a_code_by_email_or_sms_from_the_outbox(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    _choice_app(emulator, idp, test_app, ["PASSWORD", "EMAIL_OTP", "SMS_OTP"])
    _username_step(page, test_app)
    expect(page.locator("form button")).to_have_text(["Email message", "Text message (SMS)", "Password"])
    tab_to(page, "Email message")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading")).to_have_text("Sign in with a code")
    expect(page.locator("#mfaDescription")).to_contain_text("by email to k***@e***")
    page.get_by_label("Code").fill("000000")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Invalid code or auth state for the user.")
    assert emulator.outbox.messages(username="kim")[-1].channel == "EMAIL"
    page.get_by_label("Code").fill(emulator.outbox.last_code("kim") or "")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Signed in as kim")

    page.context.clear_cookies()
    _username_step(page, test_app)
    tab_to(page, "Text message (SMS)")
    page.keyboard.press("Enter")
    expect(page.locator("#mfaDescription")).to_contain_text("by SMS to")
    assert emulator.outbox.messages(username="kim")[-1].channel == "SMS"
    page.get_by_label("Code").fill(emulator.outbox.last_code("kim") or "")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Signed in as kim")


def test_the_password_factor_and_an_unknown_user(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    _choice_app(emulator, idp, test_app, ["PASSWORD", "EMAIL_OTP"])
    typed = "<script>alert(1)</script>"
    _username_step(page, test_app, typed)
    expect(page.locator("#chooseDescription")).to_have_text(f"Signing in as {typed}")
    assert page.locator("script").count() == 0
    tab_to(page, "Password")
    page.keyboard.press("Enter")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Incorrect username or password.")

    _username_step(page, test_app)
    tab_to(page, "Password")
    page.keyboard.press("Enter")
    page.get_by_label("Password").fill("wrong-Password-1")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Incorrect username or password.")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Signed in as kim")


def test_acr_values_offers_only_what_reaches_the_level(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    pool_id, client_id = _choice_app(emulator, idp, test_app, ["PASSWORD", "EMAIL_OTP", "SMS_OTP"])
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        EmailMfaConfiguration={"Message": "Your code: {####}", "Subject": "Sign-in code"},
    )
    authority = f"{emulator.endpoint_url.rstrip('/')}/_oauth/{DOMAIN}"
    test_app.configure(
        {"authority": authority, "clientId": client_id, "scope": "openid email", "acrValues": "urn:cognito:loa:3"}
    )
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Username").fill("kim")
    page.keyboard.press("Enter")
    # A one-time code alone reaches level 2 only: the password (then an email code) is all that is offered,
    # and one factor goes ahead at once.
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Code")).to_be_visible()
    page.get_by_label("Code").fill(emulator.outbox.last_code("kim") or "")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Signed in as kim")
    claims = json.loads(page.locator("#result").inner_text())
    assert claims["id"]["acr"] == "urn:cognito:loa:3"
    assert claims["id"]["amr"] == ["pwd", "email_otp", "mfa"]


def test_the_classic_hosted_ui_asks_for_a_password(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    hosted_app(
        emulator,
        idp,
        test_app,
        client_settings=CLIENT,
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
    )
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Password")).to_be_visible()


def test_sign_in_with_a_passkey(
    emulator: Emulator, idp: Any, browser_context: BrowserContext, page: Page, test_app: AppServer
) -> None:
    pool_id, client_id = _choice_app(emulator, idp, test_app, ["PASSWORD", "WEB_AUTHN"])
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OFF",
        WebAuthnConfiguration={"RelyingPartyId": "localhost", "UserVerification": "required"},
    )
    devtools, authenticator = virtual_authenticator(browser_context, page)
    settings = dict(test_app.settings)
    test_app.configure({"endpoint": emulator.endpoint_url, "clientId": client_id})
    page.goto(test_app.url("/passkeys.html"))
    page.get_by_label("Username").fill("kim")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Register a passkey").click()
    expect(page.get_by_role("status")).to_have_text("Passkey registered")

    # The managed login pages on http://localhost:<port>, an origin the relying party localhost accepts.
    port = emulator.endpoint_url.rstrip("/").rsplit(":", 1)[1]
    test_app.configure({**settings, "authority": f"http://localhost:{port}/_oauth/{DOMAIN}"})
    _username_step(page, test_app)
    expect(page.locator("form button")).to_have_text(["Passkey", "Password"])
    tab_to(page, "Passkey")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading")).to_have_text("Sign in with a passkey")
    tab_to(page, "Sign in with passkey")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Signed in as kim")
    held = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert held[0]["signCount"] >= 1
