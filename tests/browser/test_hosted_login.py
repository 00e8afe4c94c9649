"""The hosted login typed by a person in Chromium: a single-page app on another origin signs in with the
authorization code grant and PKCE, exchanges the code with fetch (CORS), and signs out."""

from __future__ import annotations

import json
from typing import Any

from browser_support import AppServer
from playwright.sync_api import Page, expect

from cognito_emu.emulator import Emulator

DOMAIN = "browser-login"
PASSWORD = "Correct-horse-1"


def _hosted_app(emulator: Emulator, idp: Any, test_app: AppServer) -> tuple[str, str]:
    """A pool with a domain, an app client for the test app, and the test app pointed at both."""
    pool_id = idp.create_user_pool(PoolName="browser")["UserPool"]["Id"]
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain=DOMAIN)
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="spa",
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        CallbackURLs=[test_app.url("/callback")],
        LogoutURLs=[test_app.url("/signed-out")],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]["ClientId"]
    test_app.configure(
        {
            "authority": f"{emulator.endpoint_url.rstrip('/')}/_oauth/{DOMAIN}",
            "clientId": client_id,
            "scope": "openid email",
        }
    )
    return pool_id, client_id


def _make_user(idp: Any, pool_id: str, username: str, *, permanent: bool = True) -> None:
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        TemporaryPassword=PASSWORD,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": f"{username}@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    if permanent:
        idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True)


def _type_credentials(page: Page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.keyboard.press("Enter")


def test_code_flow_with_pkce_sign_in_and_logout(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    pool_id, client_id = _hosted_app(emulator, idp, test_app)
    _make_user(idp, pool_id, "alice")
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Signin")
    _type_credentials(page, "alice", PASSWORD)
    status = page.get_by_role("status")
    expect(status).to_have_text("Signed in as alice")
    assert page.url.startswith(test_app.url("/callback?code="))
    claims = json.loads(page.locator("#result").inner_text())
    assert claims["id"]["aud"] == client_id
    assert claims["id"]["email"] == "alice@example.com"
    assert claims["access"]["client_id"] == client_id
    assert claims["access"]["scope"].split() == ["openid", "email"]

    # The hosted-login cookie signs the next authorize request in without the form.
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()
    expect(status).to_have_text("Signed in as alice")

    page.get_by_role("button", name="Sign out").click()
    expect(status).to_have_text("Signed out")
    assert page.url == test_app.url("/signed-out")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Username")).to_be_visible()


def test_wrong_password_shows_cognito_message_and_the_form_again(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    pool_id, _ = _hosted_app(emulator, idp, test_app)
    _make_user(idp, pool_id, "alice")
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()
    _type_credentials(page, "alice", "Wrong-horse-1")
    expect(page.locator("#loginErrorMessage")).to_have_text("Incorrect username or password.")
    expect(page.get_by_label("Username")).to_have_value("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Signed in as alice")


def test_first_sign_in_sets_a_new_password_then_an_authenticator_app(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    pool_id, _ = _hosted_app(emulator, idp, test_app)
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    _make_user(idp, pool_id, "carol", permanent=False)
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()
    _type_credentials(page, "carol", PASSWORD)

    expect(page.get_by_role("heading")).to_have_text("Change password")
    page.get_by_label("New password", exact=True).fill("Another-horse-2")
    page.get_by_label("Confirm new password").fill("Another-horse-3")
    page.keyboard.press("Enter")
    expect(page.locator("#newPasswordErrorMessage")).to_have_text("Passwords do not match.")
    page.get_by_label("New password", exact=True).fill("Another-horse-2")
    page.get_by_label("Confirm new password").fill("Another-horse-2")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading")).to_have_text("Set up an authenticator app")
    secret = page.locator("#totpSecret").inner_text()
    page.get_by_label("Code").fill(emulator.totp_code(secret))
    page.keyboard.press("Enter")
    status = page.get_by_role("status")
    expect(status).to_have_text("Signed in as carol")

    page.get_by_role("button", name="Sign out").click()
    expect(status).to_have_text("Signed out")
    page.get_by_role("button", name="Sign in").click()
    _type_credentials(page, "carol", "Another-horse-2")
    expect(page.get_by_role("heading")).to_have_text("Multi-factor authentication")
    # The code of the next 30-second step: the one used at set-up may not be used twice.
    emulator.clock.advance(30)
    page.get_by_label("Code").fill(emulator.totp_code(secret))
    page.keyboard.press("Enter")
    expect(status).to_have_text("Signed in as carol")


def test_what_a_person_types_is_shown_as_text(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    _hosted_app(emulator, idp, test_app)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()
    typed = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    _type_credentials(page, typed, PASSWORD)
    expect(page.locator("#loginErrorMessage")).to_have_text("Incorrect username or password.")
    expect(page.get_by_label("Username")).to_have_value(typed)
    assert page.locator("script, img").count() == 0
    assert dialogs == []
