"""The hosted forms' fields (labels, lengths) and what the hosted pages count as usage, through HTTP."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import requests

from cognito_emu.emulator import Emulator
from cognito_emu.oauth.form_fields import attribute_label
from cognito_emu.usage import log
from cognito_emu.usage.log import month_of
from tests.oauth.oauth_support import (
    PASSWORD,
    Browser,
    Form,
    callback_params,
    make_pool,
    make_user,
    make_web_client,
)

SCHEMA = [
    {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True},
    {"Name": "given_name", "AttributeDataType": "String", "Required": True, "Mutable": True},
    {
        "Name": "family_name",
        "AttributeDataType": "String",
        "Required": True,
        "Mutable": True,
        "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "20"},
    },
]


class Fields(HTMLParser):
    """Each input of a page (by name: its attributes) and the text of each label (by the id it is for)."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str]] = {}
        self.labels: dict[str, str] = {}
        self._label_for: str | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "input" and "name" in values:
            self.inputs[values["name"]] = values
        elif tag == "label":
            self._label_for = values.get("for")

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_for = None

    def handle_data(self, data: str) -> None:
        if self._label_for is not None:
            self.labels[self._label_for] = self.labels.get(self._label_for, "") + data.strip()

    def label_of(self, name: str) -> str:
        return self.labels[self.inputs[name]["id"]]


def _signup_page(emulator: Emulator, idp: Any) -> tuple[Browser, requests.Response, str]:
    pool_id = make_pool(idp, Schema=SCHEMA, AutoVerifiedAttributes=["email"])
    client_id = make_web_client(idp, pool_id)["ClientId"]
    browser = Browser(emulator.endpoint_url)
    login = browser.authorize(client_id)
    query = login.url.split("?", 1)[1]
    return browser, browser.get(browser.oauth_url(f"/signup?{query}")), pool_id


def test_custom_attributes_read_as_words() -> None:
    assert attribute_label("given_name") == "Given name"
    assert attribute_label("custom:favourite_colour") == "Favourite colour"
    assert attribute_label("custom:shoeSize") == "Shoe size"
    assert attribute_label("dev:custom:team-name") == "Team name"


def test_sign_up_fields_are_labelled_with_their_limits(emulator: Emulator, idp: Any) -> None:
    _, page, _ = _signup_page(emulator, idp)
    fields = Fields(page.text)
    visible = {name: field for name, field in fields.inputs.items() if field.get("type") != "hidden"}
    assert {name: fields.label_of(name) for name in visible} == {
        "username": "Username",
        "userAttributes.email": "Email",
        "userAttributes.given_name": "Given name",
        "userAttributes.family_name": "Family name",
        "password": "Password",
    }
    assert {name: field["maxlength"] for name, field in visible.items()} == {
        "username": "128",
        "userAttributes.email": "2048",
        "userAttributes.given_name": "2048",
        "userAttributes.family_name": "20",
        "password": "256",
    }
    assert visible["userAttributes.email"]["autocomplete"] == "email"
    assert visible["userAttributes.given_name"]["autocomplete"] == "given-name"


def test_over_long_values_are_refused_with_a_message(emulator: Emulator, idp: Any) -> None:
    browser, page, pool_id = _signup_page(emulator, idp)
    typed = {
        "username": "carol",
        "password": PASSWORD,
        "userAttributes.email": "carol@example.com",
        "userAttributes.given_name": "Carol",
        "userAttributes.family_name": "Carolsdottir",
    }
    cases = {
        "username": ("u" * 129, "Username must be no longer than 128 characters."),
        "password": ("P-1a" * 65, "Password must be no longer than 256 characters."),
        "userAttributes.given_name": ("g" * 2049, "Given name must be no longer than 2048 characters."),
        "userAttributes.family_name": ("f" * 21, "Family name must be no longer than 20 characters."),
    }
    for field, (value, message) in cases.items():
        answer = browser.submit(page, **{**typed, field: value})
        assert answer.status_code == 200, answer.text
        assert Form(answer.text).error == message
    assert idp.list_users(UserPoolId=pool_id)["Users"] == []


def test_over_long_codes_and_usernames_elsewhere_are_refused(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp)
    make_user(idp, pool_id, "dave")
    client_id = make_web_client(idp, pool_id)["ClientId"]
    browser = Browser(emulator.endpoint_url)
    login = browser.authorize(client_id)
    answer = browser.submit(login, username="d" * 129, password=PASSWORD)
    assert Form(answer.text).error == "Username must be no longer than 128 characters."
    query = login.url.split("?", 1)[1]
    forgot = browser.get(browser.oauth_url(f"/forgotPassword?{query}"))
    assert Form(browser.submit(forgot, username="d" * 200).text).error == (
        "Username must be no longer than 128 characters."
    )
    reset = browser.submit(forgot, username="dave")
    answer = browser.submit(reset, code="1" * 2049, new_password=PASSWORD, confirm_password=PASSWORD)
    assert answer.status_code == 200
    assert Form(answer.text).error == "Code must be no longer than 2048 characters."


def test_hosted_sign_up_and_sign_in_count_as_monthly_active_users(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp, AutoVerifiedAttributes=["email"])
    make_user(idp, pool_id, "erin")
    client_id = make_web_client(idp, pool_id)["ClientId"]
    pool = emulator.state.find_pool(pool_id)
    assert pool is not None
    pool.usage.clear()
    # The implicit grant: no token exchange, so only the pages themselves can count the users.
    browser = Browser(emulator.endpoint_url)
    assert "access_token" in callback_params(browser.sign_in(client_id, "erin", response_type="token"))
    login = browser.authorize(client_id, response_type="token")
    query = login.url.split("?", 1)[1]
    other = Browser(emulator.endpoint_url)
    signup = other.get(other.oauth_url(f"/signup?{query}"))
    confirm = other.submit(
        signup, username="frank", password=PASSWORD, **{"userAttributes.email": "f@example.com"}
    )
    assert "access_token" in callback_params(
        other.submit(confirm, code=emulator.outbox.last_code("frank") or "")
    )
    month = log.month(pool.usage, month_of(emulator.clock.now()))
    activity = {sub: sorted(user.activity) for sub, user in month.users.items()}
    # Looking the subs up (AdminGetUser) is activity too: after reading the month.
    subs = {name: _sub(idp, pool_id, name) for name in ("erin", "frank")}
    assert activity == {
        subs["erin"]: ["signIn"],
        subs["frank"]: ["signIn", "signUp"],
    }


def _sub(idp: Any, pool_id: str, username: str) -> str:
    attributes = idp.admin_get_user(UserPoolId=pool_id, Username=username)["UserAttributes"]
    return next(item["Value"] for item in attributes if item["Name"] == "sub")
