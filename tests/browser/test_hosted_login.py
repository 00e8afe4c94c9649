"""The hosted login typed by a person in Chromium: a single-page app on another origin signs in with the
authorization code grant and PKCE, exchanges the code with fetch (CORS), and signs out."""

from __future__ import annotations

import json
from typing import Any

from browser_support import AppServer
from hosted_app import DOMAIN, PASSWORD, hosted_app, make_user, type_credentials
from playwright.sync_api import Page, expect

from cognito_emu.emulator import Emulator


def test_code_flow_with_pkce_sign_in_and_logout(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    pool_id, client_id = hosted_app(emulator, idp, test_app)
    make_user(idp, pool_id, "alice")
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Signin")
    type_credentials(page, "alice", PASSWORD)
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
    pool_id, _ = hosted_app(emulator, idp, test_app)
    make_user(idp, pool_id, "alice")
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()
    type_credentials(page, "alice", "Wrong-horse-1")
    expect(page.locator("#loginErrorMessage")).to_have_text("Incorrect username or password.")
    expect(page.get_by_label("Username")).to_have_value("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Signed in as alice")


def test_first_sign_in_sets_a_new_password_then_an_authenticator_app(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    pool_id, _ = hosted_app(emulator, idp, test_app)
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    make_user(idp, pool_id, "carol", permanent=False)
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()
    type_credentials(page, "carol", PASSWORD)

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
    type_credentials(page, "carol", "Another-horse-2")
    expect(page.get_by_role("heading")).to_have_text("Multi-factor authentication")
    # The code of the next 30-second step: the one used at set-up may not be used twice.
    emulator.clock.advance(30)
    page.get_by_label("Code").fill(emulator.totp_code(secret))
    page.keyboard.press("Enter")
    expect(status).to_have_text("Signed in as carol")


def test_what_a_person_types_is_shown_as_text(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    hosted_app(emulator, idp, test_app)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()
    typed = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    type_credentials(page, typed, PASSWORD)
    # The app client is LEGACY (the API's default): an unknown user is named as such.
    expect(page.locator("#loginErrorMessage")).to_have_text("User does not exist.")
    expect(page.get_by_label("Username")).to_have_value(typed)
    assert page.locator("script, img").count() == 0
    assert dialogs == []


def test_acr_values_steps_a_signed_in_user_up_to_the_authenticator_app(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    pool_id, client_id = hosted_app(
        emulator, idp, test_app, client_settings={"ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}
    )
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    make_user(idp, pool_id, "alice")
    token = idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD}
    )["AuthenticationResult"]["AccessToken"]
    secret = idp.associate_software_token(AccessToken=token)["SecretCode"]
    idp.verify_software_token(AccessToken=token, UserCode=emulator.totp_code(secret))
    idp.set_user_mfa_preference(AccessToken=token, SoftwareTokenMfaSettings={"Enabled": False})
    emulator.clock.advance(30)

    # A password alone signs alice in; her tokens carry no acr.
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()
    type_credentials(page, "alice", PASSWORD)
    status = page.get_by_role("status")
    expect(status).to_have_text("Signed in as alice")
    assert "acr" not in json.loads(page.locator("#result").inner_text())["id"]

    # The app asks for level 4: the cookie's password sign-in is not enough, the form and the code follow.
    authority = f"{emulator.endpoint_url.rstrip('/')}/_oauth/{DOMAIN}"
    test_app.configure(
        {"authority": authority, "clientId": client_id, "scope": "openid email", "acrValues": "urn:cognito:loa:4"}
    )
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()
    type_credentials(page, "alice", PASSWORD)
    expect(page.get_by_role("heading")).to_have_text("Multi-factor authentication")
    page.get_by_label("Code").fill(emulator.totp_code(secret))
    page.keyboard.press("Enter")
    expect(status).to_have_text("Signed in as alice")
    claims = json.loads(page.locator("#result").inner_text())
    for token_claims in (claims["id"], claims["access"]):
        assert token_claims["acr"] == "urn:cognito:loa:4"
        assert token_claims["amr"] == ["pwd", "otp", "mfa"]
