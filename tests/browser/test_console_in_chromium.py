"""The console at /_emu/ui as a person sees it in Chromium: each page rendered, photographed and read,
the links between them followed, values escaped, the clock button pressed."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from cognito_emu.emulator import Emulator

PASSWORD = "Correct-horse-1"
SCRIPT = "<img src=x onerror=alert(1)>"


@pytest.fixture
def pool(emulator: Emulator, idp: Any, identity: Any) -> dict[str, str]:
    pool_id = idp.create_user_pool(PoolName="shop")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="alice",
        TemporaryPassword=PASSWORD,
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}, {"Name": "name", "Value": SCRIPT}],
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True)
    idp.create_group(UserPoolId=pool_id, GroupName="staff")
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName="staff")
    tokens = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    identity_pool = identity.create_identity_pool(
        IdentityPoolName="guests", AllowUnauthenticatedIdentities=True
    )
    return {
        "pool_id": pool_id,
        "client_id": client_id,
        "id_token": tokens["IdToken"],
        "identity_pool_id": identity_pool["IdentityPoolId"],
    }


def _photographed(page: Page, tmp_path: Path, name: str) -> str:
    """The page's screenshot taken (and not empty), and its visible text."""
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 1000
    return page.inner_text("body")


def test_every_page_renders_and_reads_right(
    emulator: Emulator, page: Page, pool: dict[str, str], tmp_path: Path
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    page.goto(f"{emulator.endpoint_url}/_emu/ui")
    text = _photographed(page, tmp_path, "overview")
    assert "User pools" in text and pool["pool_id"] in text and "shop" in text

    page.get_by_role("link", name=pool["pool_id"]).click()
    text = _photographed(page, tmp_path, "pool")
    assert f"User pool {pool['pool_id']}" in text
    assert pool["client_id"] in text and "staff" in text and "CONFIRMED" in text

    page.get_by_role("link", name="alice", exact=True).click()
    text = _photographed(page, tmp_path, "user")
    # The attribute is shown as text, not run as markup.
    assert SCRIPT in text and "alice@example.com" in text
    assert dialogs == []

    for path, name, expected in [
        ("/_emu/ui/outbox", "outbox", "AdminCreateUser"),
        ("/_emu/ui/triggers", "triggers", "No invocations."),
        ("/_emu/ui/identity", "identity", pool["identity_pool_id"]),
        ("/_emu/ui/usage", "usage", "Prices as of"),
    ]:
        page.goto(emulator.endpoint_url + path)
        assert expected in _photographed(page, tmp_path, name)


def test_token_decoder_in_the_browser(
    emulator: Emulator, page: Page, pool: dict[str, str], tmp_path: Path
) -> None:
    page.goto(f"{emulator.endpoint_url}/_emu/ui/tokens")
    page.get_by_label("An ID or access token").fill(pool["id_token"])
    page.get_by_role("button", name="Decode and verify").click()
    expect(page.locator(".ok")).to_contain_text(f"Valid: signed by {pool['pool_id']}")
    assert '"cognito:username": "alice"' in _photographed(page, tmp_path, "tokens")


def test_moving_the_clock_from_the_console(emulator: Emulator, page: Page, tmp_path: Path) -> None:
    before = emulator.clock.now()
    page.goto(f"{emulator.endpoint_url}/_emu/ui")
    page.get_by_label("Move the clock forward by").fill("86400")
    page.get_by_role("button", name="Move clock").click()
    expect(page.get_by_role("heading", name="User pools")).to_be_visible()
    assert emulator.clock.now() - before >= 86400
    _photographed(page, tmp_path, "clock")


HOSTILE = "\"'><script>alert(1)</script><img/src=x/onerror=alert(2)>"


def test_hostile_values_fire_no_dialog_on_any_page(
    emulator: Emulator, idp: Any, page: Page, pool: dict[str, str]
) -> None:
    """tests/oauth/test_page_escaping.py checks the markup over HTTP; here Chromium runs the pages."""
    idp.admin_create_user(
        UserPoolId=pool["pool_id"],
        Username=HOSTILE,
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "eve@example.com"}, {"Name": "name", "Value": HOSTILE}],
    )
    idp.create_group(UserPoolId=pool["pool_id"], GroupName=HOSTILE, Description=HOSTILE)
    idp.admin_add_user_to_group(UserPoolId=pool["pool_id"], Username=HOSTILE, GroupName=HOSTILE)
    idp.create_user_pool_domain(UserPoolId=pool["pool_id"], Domain="hostile")
    idp.update_user_pool_client(
        UserPoolId=pool["pool_id"],
        ClientId=pool["client_id"],
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"],
        CallbackURLs=["http://localhost:3000/callback"],
        SupportedIdentityProviders=["COGNITO"],
    )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    base = emulator.endpoint_url.rstrip("/")
    authorize = (
        f"response_type=code&client_id={pool['client_id']}&redirect_uri=http://localhost:3000/callback"
    )
    for path in [
        f"/_emu/ui/pools/{pool['pool_id']}",
        f"/_emu/ui/pools/{pool['pool_id']}/user?username={quote(HOSTILE)}&secrets=1",
        "/_emu/ui/outbox?secrets=1",
        f"/_oauth/hostile/confirm?{authorize}&username={quote(HOSTILE)}",
        f"/_oauth/hostile/confirmForgotPassword?{authorize}&username={quote(HOSTILE)}",
    ]:
        answer = page.goto(base + path)
        assert answer is not None and answer.status == 200, path
        assert page.locator("script, img").count() == 0, path
    assert dialogs == []


def test_a_cross_site_form_cannot_reset_the_emulator(
    emulator: Emulator, page: Page, pool: dict[str, str]
) -> None:
    """An attacker's page posts the console's reset form from another origin while the console is open."""
    base = emulator.endpoint_url.rstrip("/")
    page.goto(f"{base}/_emu/ui")
    page.set_content(f'<form method="post" action="{base}/_emu/ui/reset"><button>win</button></form>')
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="win").click()
    response = navigation.value
    assert response is not None and response.status == 403
    assert "CSRF token" in page.inner_text("body")
    page.goto(f"{base}/_emu/ui")
    assert pool["pool_id"] in page.inner_text("body")
