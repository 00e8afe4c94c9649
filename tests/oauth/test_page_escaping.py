"""Markup in user-supplied values is shown as text on every hosted page and every console page.

One hostile value goes wherever the API lets a value go that a page shows: a username, attribute values,
a group's name and description, what a person types into the hosted forms. Each page must show it (so the
check is not vacuous) and must not contain it as markup: no script or img element, no event-handler
attribute. Client, pool and identity-pool names cannot hold markup at all (the model's patterns refuse
"<"), which the last test shows. tests/browser/test_console_in_chromium.py opens the same pages in
Chromium and checks that no dialog fires.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import pytest
import requests
from botocore.exceptions import ClientError

from cognito_emu.emulator import Emulator
from tests.oauth.oauth_support import (
    CALLBACK,
    PASSWORD,
    Browser,
    make_pool,
    make_user,
    make_web_client,
)

# No whitespace: usernames and group names may hold any letter, symbol or punctuation, but no space.
HOSTILE = "\"'><script>alert(1)</script><img/src=x/onerror=alert(2)>"
SHOWN = "&lt;script&gt;alert(1)&lt;/script&gt;"
# The one handler the console has of its own: the reset button's confirmation.
OWN_HANDLERS = {("form", "onsubmit")}


class Markup(HTMLParser):
    """The elements and event-handler attributes of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]


def assert_shown_as_text(html: str) -> None:
    markup = Markup(html)
    assert "script" not in markup.tags and "img" not in markup.tags, markup.tags
    assert set(markup.handlers) <= OWN_HANDLERS, markup.handlers
    assert SHOWN in html, "the hostile value is not on the page: the check proves nothing"


@pytest.fixture
def hostile(idp: Any) -> dict[str, str]:
    """A pool with a domain whose user, attributes and groups carry HOSTILE."""
    pool_id = make_pool(idp)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    make_user(idp, pool_id)
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=HOSTILE,
        TemporaryPassword=PASSWORD,
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[
            {"Name": "email", "Value": "eve@example.com"},
            {"Name": "name", "Value": HOSTILE},
            {"Name": "family_name", "Value": HOSTILE},
        ],
    )
    idp.create_group(UserPoolId=pool_id, GroupName=HOSTILE, Description=HOSTILE)
    idp.create_group(UserPoolId=pool_id, GroupName="staff", Description=HOSTILE)
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username=HOSTILE, GroupName=HOSTILE)
    return {"pool_id": pool_id, "client_id": client_id}


def _authorize_params(client_id: str) -> dict[str, str]:
    return {"response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK}


def _sign_in_failed(emulator: Emulator, ids: dict[str, str]) -> str:
    browser = Browser(emulator.endpoint_url)
    page = browser.authorize(ids["client_id"])
    return browser.submit(page, username=HOSTILE, password="Wrong-passw0rd").text


def _new_password_form(emulator: Emulator, ids: dict[str, str]) -> str:
    # The hostile user's first sign-in with its temporary password: the form names the user.
    page = Browser(emulator.endpoint_url).sign_in(ids["client_id"], username=HOSTILE)
    assert "new_password" in page.text, page.text
    return str(page.text)


def _hosted(path: str, **fields: str) -> Callable[[Emulator, dict[str, str]], str]:
    """A hosted page opened with HOSTILE as the username in its query, then (with ``fields``) its form
    posted back with HOSTILE typed in."""

    def open_page(emulator: Emulator, ids: dict[str, str]) -> str:
        browser = Browser(emulator.endpoint_url)
        page = browser.get(browser.oauth_url(path), **_authorize_params(ids["client_id"]), username=HOSTILE)
        if fields:
            page = browser.submit(page, **{k: HOSTILE if v == "HOSTILE" else v for k, v in fields.items()})
        assert page.status_code == 200, page.text
        return str(page.text)

    return open_page


def _console(path: str, status: int = 200) -> Callable[[Emulator, dict[str, str]], str]:
    def open_page(emulator: Emulator, ids: dict[str, str]) -> str:
        url = emulator.endpoint_url.rstrip("/") + path.format(pool_id=ids["pool_id"], hostile=quote(HOSTILE))
        page = requests.get(url, timeout=10)
        assert page.status_code == status, page.text
        return page.text

    return open_page


def _decoded_token(emulator: Emulator, ids: dict[str, str]) -> str:
    session = requests.Session()
    url = f"{emulator.endpoint_url.rstrip('/')}/_emu/ui/tokens"
    session.get(url, timeout=10)
    token = session.cookies["XSRF-TOKEN"]
    return session.post(url, data={"_csrf": token, "token": HOSTILE}, timeout=10).text


PAGES: dict[str, Callable[[Emulator, dict[str, str]], str]] = {
    "hosted sign-in, failed": _sign_in_failed,
    "hosted new password": _new_password_form,
    "hosted sign-up, refused": _hosted("/signup", username="HOSTILE", password="short"),
    "hosted confirm": _hosted("/confirm"),
    "hosted confirm, wrong code": _hosted("/confirm", code="000000"),
    "hosted forgot password, refused": _hosted("/forgotPassword", username="HOSTILE"),
    "hosted reset password": _hosted("/confirmForgotPassword"),
    "hosted reset password, wrong code": _hosted(
        "/confirmForgotPassword", code="000000", new_password=PASSWORD, confirm_password=PASSWORD
    ),
    "console pool": _console("/_emu/ui/pools/{pool_id}?secrets=1"),
    "console user": _console("/_emu/ui/pools/{pool_id}/user?username={hostile}&secrets=1"),
    "console unknown user": _console("/_emu/ui/pools/{pool_id}/user?username={hostile}x", 404),
    "console outbox": _console("/_emu/ui/outbox?secrets=1"),
    "console token decoder": _decoded_token,
}


@pytest.mark.parametrize("name", PAGES)
def test_hostile_values_are_shown_as_text(emulator: Emulator, hostile: dict[str, str], name: str) -> None:
    assert_shown_as_text(PAGES[name](emulator, hostile))


@pytest.mark.parametrize("path", ["/_emu/ui", "/_emu/ui/identity", "/_emu/ui/triggers", "/_emu/ui/usage"])
def test_pages_that_show_only_names_without_markup_have_no_markup_either(
    emulator: Emulator, hostile: dict[str, str], path: str
) -> None:
    markup = Markup(requests.get(emulator.endpoint_url.rstrip("/") + path, timeout=10).text)
    assert "script" not in markup.tags and set(markup.handlers) <= OWN_HANDLERS


def test_hosted_error_pages_show_the_bad_parameter_as_text(
    emulator: Emulator, hostile: dict[str, str]
) -> None:
    browser = Browser(emulator.endpoint_url)
    page = browser.follow(
        browser.get(
            browser.oauth_url("/oauth2/authorize"),
            response_type="code",
            client_id=HOSTILE,
            redirect_uri=CALLBACK,
        )
    )
    assert page.status_code >= 400
    markup = Markup(page.text)
    assert "script" not in markup.tags and not markup.handlers


@pytest.mark.parametrize(
    "create",
    [
        lambda idp, pool_id: idp.create_user_pool_client(UserPoolId=pool_id, ClientName=HOSTILE),
        lambda idp, pool_id: idp.create_user_pool(PoolName=HOSTILE),
    ],
    ids=["client name", "pool name"],
)
def test_names_cannot_hold_markup(idp: Any, pool_id: str, create: Callable[[Any, str], Any]) -> None:
    with pytest.raises(ClientError) as raised:
        create(idp, pool_id)
    assert raised.value.response["Error"]["Code"] in {"InvalidParameterException", "ValidationException"}
