"""The hosted login's side of the browser tests: a pool with a domain, an app client registered for the test
app (``browser_support.AppServer``), users, and the sign-in form typed as a person types it."""

from __future__ import annotations

from typing import Any

from browser_support import AppServer
from playwright.sync_api import Page

from cognito_emu.emulator import Emulator

DOMAIN = "browser-login"
PASSWORD = "Correct-horse-1"


def hosted_app(
    emulator: Emulator,
    idp: Any,
    test_app: AppServer,
    *,
    managed_login_version: int = 1,
    client_settings: dict[str, Any] | None = None,
    **pool_settings: Any,
) -> tuple[str, str]:
    """A pool with a domain (the classic hosted UI unless ``managed_login_version`` is 2), an app client for
    the test app (with more ``client_settings`` when given), and the test app pointed at both."""
    pool_id = idp.create_user_pool(PoolName="browser", **pool_settings)["UserPool"]["Id"]
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain=DOMAIN, ManagedLoginVersion=managed_login_version)
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="spa",
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"],
        CallbackURLs=[test_app.url("/callback")],
        LogoutURLs=[test_app.url("/signed-out")],
        SupportedIdentityProviders=["COGNITO"],
        **(client_settings or {}),
    )["UserPoolClient"]["ClientId"]
    test_app.configure(
        {
            "authority": f"{emulator.endpoint_url.rstrip('/')}/_oauth/{DOMAIN}",
            "clientId": client_id,
            "scope": "openid email",
        }
    )
    return pool_id, client_id


def make_user(idp: Any, pool_id: str, username: str, *, permanent: bool = True) -> None:
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


def type_credentials(page: Page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.keyboard.press("Enter")


def tab_to(page: Page, name: str) -> None:
    """Move the keyboard focus to the link or button called ``name``, as a person with a keyboard does."""
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"{name!r} cannot be reached with the Tab key")
