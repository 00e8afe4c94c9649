"""The rest of the hosted login typed in Chromium: sign-up with the confirmation code from the outbox (and a
new code sent on request), forgot password and reset, the confirmation link of a CONFIRM_WITH_LINK
message; every page reached and submitted from the keyboard, with labelled fields, showing what a person
typed as text."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from browser_support import AppServer
from hosted_app import DOMAIN, PASSWORD, hosted_app, make_user, tab_to, type_credentials
from playwright.sync_api import Page, expect

from cognito_emu.emulator import Emulator

EMAIL_SCHEMA = [{"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True}]


def _open_sign_in(page: Page, test_app: AppServer) -> None:
    page.goto(test_app.url("/"))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Username")).to_be_visible()


def test_sign_up_confirm_with_a_new_code_and_signed_in(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    pool_id, _ = hosted_app(emulator, idp, test_app, AutoVerifiedAttributes=["email"], Schema=EMAIL_SCHEMA)
    _open_sign_in(page, test_app)
    tab_to(page, "Sign up")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading")).to_have_text("Sign up with a new account")
    expect(page.locator("#passwordHints li")).to_have_text(
        [
            "Password must contain a lower case letter",
            "Password must contain an upper case letter",
            "Password must contain a number",
            "Password must contain a special character",
            "Password must contain at least 8 characters",
        ]
    )
    page.get_by_label("Username").fill("gina")
    page.get_by_label("email").fill("gina@example.com")
    page.get_by_label("Password").fill("short")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text(
        "Password did not conform with policy: Password not long enough"
    )
    expect(page.get_by_label("Username")).to_have_value("gina")
    page.get_by_label("email").fill("gina@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading")).to_have_text("Confirm your account")
    expect(page.locator("#confirmDescription")).to_have_text(
        "We have sent a code by email to g***@e***. Enter it below to confirm your account."
    )
    first = emulator.outbox.last_code("gina")
    page.get_by_role("link", name="Send a new code").click()
    expect(page.get_by_role("heading")).to_have_text("Confirm your account")
    second = emulator.outbox.last_code("gina")
    assert second and second != first
    page.get_by_label("Verification code").fill(first or "")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Invalid verification code provided, please try again.")
    page.get_by_label("Verification code").fill(second)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Signed in as gina")
    user = idp.admin_get_user(UserPoolId=pool_id, Username="gina")
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]


def test_forgot_password_then_sign_in_with_the_new_one(
    emulator: Emulator, idp: Any, page: Page, test_app: AppServer
) -> None:
    pool_id, _ = hosted_app(emulator, idp, test_app)
    make_user(idp, pool_id, "hank")
    _open_sign_in(page, test_app)
    tab_to(page, "Forgot your password?")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading")).to_have_text("Forgot your password?")
    page.get_by_label("Username").fill("hank")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading")).to_have_text("Reset your password")
    code = emulator.outbox.last_code("hank")
    assert code
    page.get_by_label("Code").fill(code)
    page.get_by_label("New password", exact=True).fill("Another-horse-2")
    page.get_by_label("Enter new password again").fill("Another-horse-3")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Passwords do not match.")
    page.get_by_label("Code").fill(code)
    page.get_by_label("New password", exact=True).fill("Another-horse-2")
    page.get_by_label("Enter new password again").fill("Another-horse-2")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading")).to_have_text("Sign in")
    type_credentials(page, "hank", "Another-horse-2")
    expect(page.get_by_role("status")).to_have_text("Signed in as hank")


def test_the_confirmation_link_of_the_message(emulator: Emulator, idp: Any, page: Page, test_app: AppServer) -> None:
    pool_id, client_id = hosted_app(
        emulator,
        idp,
        test_app,
        AutoVerifiedAttributes=["email"],
        VerificationMessageTemplate={"DefaultEmailOption": "CONFIRM_WITH_LINK"},
    )
    idp.sign_up(
        ClientId=client_id,
        Username="ivy",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "ivy@example.com"}],
    )
    link = emulator.outbox.messages(username="ivy")[-1].link
    assert link
    parts = urlsplit(link)
    assert parts.path == "/confirmUser"
    page.goto(f"{emulator.endpoint_url.rstrip('/')}/_oauth/{DOMAIN}/confirmUser?{parts.query}")
    expect(page.locator("#message")).to_have_text("Your registration has been confirmed!")
    assert idp.admin_get_user(UserPoolId=pool_id, Username="ivy")["UserStatus"] == "CONFIRMED"
    page.reload()
    expect(page.locator("#errorMessage")).to_have_text("User cannot be confirmed. Current status is CONFIRMED")


def test_sign_up_shows_what_was_typed_as_text(emulator: Emulator, idp: Any, page: Page, test_app: AppServer) -> None:
    hosted_app(emulator, idp, test_app, AutoVerifiedAttributes=["email"], Schema=EMAIL_SCHEMA)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _open_sign_in(page, test_app)
    page.get_by_role("link", name="Sign up").click()
    typed = '"><script>alert(1)</script>'
    page.get_by_label("Username").fill(typed)
    page.get_by_label("email").fill("not an email")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).not_to_be_empty()
    expect(page.get_by_label("Username")).to_have_value(typed)
    assert page.locator("script").count() == 0
    assert dialogs == []


def test_sign_up_from_the_keyboard_alone(emulator: Emulator, idp: Any, page: Page, test_app: AppServer) -> None:
    """Every field has its label, Tab walks them in reading order, Enter submits; a value refused keeps
    what was typed (as text)."""
    schema = [
        *EMAIL_SCHEMA,
        {"Name": "given_name", "AttributeDataType": "String", "Required": True, "Mutable": True},
    ]
    pool_id, _ = hosted_app(emulator, idp, test_app, AutoVerifiedAttributes=["email"], Schema=schema)
    _open_sign_in(page, test_app)
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading")).to_have_text("Sign up with a new account")
    page.get_by_label("Username").focus()
    order = []
    typed = {"Username": "jane", "Email": "jane@example.com", "Given name": "<script>alert(1)</script>"}
    for _ in range(4):
        label = page.evaluate("() => document.activeElement.labels[0].textContent")
        order.append(label)
        page.keyboard.type(typed.get(label, "short"))
        page.keyboard.press("Tab")
    assert order == ["Username", "Given name", "Email", "Password"]
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Password did not conform with policy: Password not long enough")
    expect(page.get_by_label("Given name")).to_have_value("<script>alert(1)</script>")
    assert page.locator("script").count() == 0
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading")).to_have_text("Confirm your account")
    user = idp.admin_get_user(UserPoolId=pool_id, Username="jane")
    assert {"Name": "given_name", "Value": "<script>alert(1)</script>"} in user["UserAttributes"]
