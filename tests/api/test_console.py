"""The console at /_emu/ui, page by page over HTTP: what each shows, escaping, secrets, errors."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from werkzeug.datastructures import Headers

from cognito_emu import csrf
from cognito_emu.config import Config
from cognito_emu.emulator import Emulator
from cognito_emu.testing.wsgi_client import call_wsgi
from tests.api.support import (
    PASSWORD,
    make_client_id,
    make_user,
    password_sign_in,
    send,
)

SCRIPT = "<script>alert(1)</script>"


def page(emulator: Emulator, path: str, status: int = 200) -> str:
    answer = send(emulator, "GET", path)
    assert answer.status == status, answer.body
    assert answer.headers["Content-Type"].startswith("text/html")
    return answer.body.decode()


def text(html: str) -> str:
    """The page's visible text, roughly as a browser would show it."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def form_token(emulator: Emulator) -> str:
    """A new browser session's CSRF token: the XSRF-TOKEN cookie the overview sets, the one its forms carry."""
    answer = send(emulator, "GET", "/_emu/ui")
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/_emu/ui" in cookie
    token = cookie.split(";")[0].removeprefix(f"{csrf.COOKIE}=")
    assert f'name="{csrf.FIELD}" value="{token}"' in answer.body.decode()
    return token


def post_form(
    emulator: Emulator, path: str, *, cookie: str | None = "", field: str | None = "", **fields: str
) -> Any:
    """A form posted as the console's own page posts it: the session's token as cookie and field (a new
    session's unless ``cookie``/``field`` say otherwise; None leaves one out)."""
    if cookie == "" or field == "":
        token = form_token(emulator)
        cookie = token if cookie == "" else cookie
        field = token if field == "" else field
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookie is not None:
        headers["Cookie"] = f"{csrf.COOKIE}={cookie}"
    if field is not None:
        fields = {csrf.FIELD: field, **fields}
    return send(emulator, "POST", path, urlencode(fields).encode(), headers)


@pytest.fixture
def populated(idp: Any, pool_id: str) -> dict[str, str]:
    client_id = make_client_id(idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])
    secret_client = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="backend", GenerateSecret=True)
    make_user(idp, pool_id, "alice", email="alice@example.com", name=SCRIPT)
    idp.create_group(UserPoolId=pool_id, GroupName="admins", Description="the admins")
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName="admins")
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username="bob",
        TemporaryPassword="Temp-Secret-9",
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
    )
    tokens = password_sign_in(idp, client_id)["AuthenticationResult"]
    return {
        "client_id": client_id,
        "secret": secret_client["UserPoolClient"]["ClientSecret"],
        "id_token": tokens["IdToken"],
    }


def test_overview_lists_pools_and_controls(
    emulator: Emulator, pool_id: str, populated: dict[str, str]
) -> None:
    shown = text(page(emulator, "/_emu/ui"))
    assert "User pools" in shown and pool_id in shown
    assert "ESSENTIALS" in shown
    assert "Reset the emulator" in shown and "Move clock" in shown


def test_pool_page_shows_clients_groups_users_and_hides_secrets(
    emulator: Emulator, pool_id: str, populated: dict[str, str]
) -> None:
    html = page(emulator, f"/_emu/ui/pools/{pool_id}")
    shown = text(html)
    assert populated["client_id"] in shown and "backend" in shown
    assert "admins" in shown and "alice" in shown and "FORCE_CHANGE_PASSWORD" in shown
    assert populated["secret"] not in html
    assert populated["secret"] in page(emulator, f"/_emu/ui/pools/{pool_id}?secrets=1")


def test_user_page_escapes_attribute_values(
    emulator: Emulator, pool_id: str, populated: dict[str, str]
) -> None:
    html = page(emulator, f"/_emu/ui/pools/{pool_id}/user?username=alice")
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    shown = text(html)
    assert "CONFIRMED" in shown and "alice@example.com" in shown and "admins" in shown
    assert "No devices." in shown


def test_user_page_finds_a_username_with_any_character(emulator: Emulator, idp: Any, pool_id: str) -> None:
    make_user(idp, pool_id, "a/b+c@d")
    shown = text(page(emulator, f"/_emu/ui/pools/{pool_id}/user?username={quote('a/b+c@d', safe='')}"))
    assert "User a/b+c@d" in shown


def test_outbox_shows_codes_but_hides_temporary_passwords(
    emulator: Emulator, pool_id: str, populated: dict[str, str]
) -> None:
    html = page(emulator, "/_emu/ui/outbox")
    assert "bob@example.com" in text(html) and "AdminCreateUser" in text(html)
    assert "Temp-Secret-9" not in html
    assert "Temp-Secret-9" in page(emulator, "/_emu/ui/outbox?secrets=1")


def test_triggers_page_shows_the_invocation_log(emulator: Emulator, idp: Any, pool_id: str) -> None:
    emulator.triggers.register("console-pre-sign-up", lambda event, context: event)
    client_id = make_client_id(idp, pool_id)
    idp.update_user_pool(
        UserPoolId=pool_id,
        LambdaConfig={"PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:console-pre-sign-up"},
    )
    idp.sign_up(ClientId=client_id, Username="carol", Password=PASSWORD)
    shown = text(page(emulator, "/_emu/ui/triggers"))
    emulator.triggers.unregister("console-pre-sign-up")
    assert "PreSignUp_SignUp" in shown and "ok" in shown


def test_identity_page_shows_pools_identities_and_credentials(emulator: Emulator, identity: Any) -> None:
    pool = identity.create_identity_pool(IdentityPoolName="ids", AllowUnauthenticatedIdentities=True)
    identity_id = identity.get_id(IdentityPoolId=pool["IdentityPoolId"])["IdentityId"]
    identity.set_identity_pool_roles(
        IdentityPoolId=pool["IdentityPoolId"],
        Roles={"unauthenticated": "arn:aws:iam::123456789012:role/guest"},
    )
    credentials = identity.get_credentials_for_identity(IdentityId=identity_id)["Credentials"]
    html = page(emulator, "/_emu/ui/identity")
    shown = text(html)
    assert pool["IdentityPoolId"] in shown and identity_id in shown
    assert credentials["AccessKeyId"] in shown and "role/guest" in shown
    assert credentials["SecretKey"] not in html


def test_token_decoder_verifies_against_the_pool_keys(
    emulator: Emulator, pool_id: str, populated: dict[str, str]
) -> None:
    answer = post_form(emulator, "/_emu/ui/tokens", token=populated["id_token"])
    shown = text(answer.body.decode())
    assert answer.status == 200
    assert f"Valid: signed by {pool_id}" in shown and '"cognito:username": "alice"' in shown
    header, payload, signature = populated["id_token"].split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    shown = text(post_form(emulator, "/_emu/ui/tokens", token=forged).body.decode())
    assert f"Not valid for {pool_id}: bad signature." in shown
    emulator.clock.advance(2 * 86400)
    shown = text(post_form(emulator, "/_emu/ui/tokens", token=populated["id_token"]).body.decode())
    assert "but expired at" in shown


def test_token_decoder_verifies_identity_pool_openid_tokens(emulator: Emulator, identity: Any) -> None:
    pool_id = identity.create_identity_pool(
        IdentityPoolName="ids", AllowUnauthenticatedIdentities=True, AllowClassicFlow=True
    )["IdentityPoolId"]
    identity_id = identity.get_id(IdentityPoolId=pool_id)["IdentityId"]
    token = identity.get_open_id_token(IdentityId=identity_id)["Token"]
    shown = text(post_form(emulator, "/_emu/ui/tokens", token=token).body.decode())
    assert f"Valid: an OpenID token of identity pool {pool_id} for identity {identity_id}, not expired." in shown
    assert '"amr": [ "unauthenticated" ]' in shown or '"unauthenticated"' in shown
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    shown = text(post_form(emulator, "/_emu/ui/tokens", token=forged).body.decode())
    assert f"Not valid for identity pool {pool_id}: bad signature." in shown
    # GetOpenIdToken's tokens last 10 minutes.
    emulator.clock.advance(601)
    shown = text(post_form(emulator, "/_emu/ui/tokens", token=token).body.decode())
    assert f"Signed for identity pool {pool_id}, but expired at" in shown
    identity.delete_identity_pool(IdentityPoolId=pool_id)
    shown = text(post_form(emulator, "/_emu/ui/tokens", token=token).body.decode())
    assert f"Not for an identity pool of this emulator (audience {pool_id})." in shown


@pytest.mark.parametrize(
    ("token", "expected"),
    [("not a token", "Not a JWT"), (SCRIPT, "Not a JWT"), ("x" * 20_000, "longer than")],
)
def test_token_decoder_answers_bad_input_clearly(emulator: Emulator, token: str, expected: str) -> None:
    answer = post_form(emulator, "/_emu/ui/tokens", token=token)
    assert answer.status == 200
    assert expected in text(answer.body.decode())
    assert SCRIPT not in answer.body.decode()


def test_usage_page(emulator: Emulator, pool_id: str, populated: dict[str, str]) -> None:
    shown = text(page(emulator, "/_emu/ui/usage"))
    assert "Monthly active users" in shown and "Prices as of" in shown
    assert "Essentials USD" in shown
    assert "Per account, with one free tier for all its pools" in shown
    assert "month must be YYYY-MM" in text(page(emulator, "/_emu/ui/usage?month=soon", 400))


def test_unknown_pool_and_user_are_clear_not_found_pages(emulator: Emulator, pool_id: str) -> None:
    assert "No user pool us-east-1_nope exists." in text(page(emulator, "/_emu/ui/pools/us-east-1_nope", 404))
    missing = f"/_emu/ui/pools/{pool_id}/user?username={quote(SCRIPT, safe='')}"
    html = page(emulator, missing, 404)
    assert SCRIPT not in html and "No user" in text(html)


def back_to_overview(answer: Any) -> bool:
    """A 303 to the overview (over a socket, urllib has already followed it)."""
    if answer.status == 303:
        return bool(answer.headers["Location"].endswith("/_emu/ui"))
    return answer.status == 200 and "Reset the emulator" in answer.body.decode()


def test_clock_and_reset_buttons(emulator: Emulator, pool_id: str) -> None:
    before = emulator.clock.now()
    answer = post_form(emulator, "/_emu/ui/clock", action="advance", advance="7200")
    assert back_to_overview(answer)
    assert emulator.clock.now() - before >= 7200
    assert post_form(emulator, "/_emu/ui/clock", action="advance", advance="soon").status == 400
    post_form(emulator, "/_emu/ui/clock", action="reset")
    assert emulator.clock.now() - before < 7200
    assert back_to_overview(post_form(emulator, "/_emu/ui/reset"))
    assert "No user pools yet." in text(page(emulator, "/_emu/ui"))


def test_reset_button_resets_the_emulator_it_was_sent_to(emulator: Emulator, pool_id: str) -> None:
    # The URL map is built once per process: the reset route must reach the Emulator of the request.
    other = Emulator(Config())
    other.load_seed({"userPools": [{"PoolName": "kept", "Id": "us-east-1_Kept"}]})
    try:
        overview = call_wsgi(other.app, "GET", "http://localhost/_emu/ui", {}, b"")
        cookie = Headers(overview.headers)["Set-Cookie"]
        token = cookie.split(";")[0].removeprefix(f"{csrf.COOKIE}=")
        answer = call_wsgi(
            other.app,
            "POST",
            "http://localhost/_emu/ui/reset",
            {"Cookie": f"{csrf.COOKIE}={token}", "Content-Type": "application/x-www-form-urlencoded"},
            urlencode({csrf.FIELD: token}).encode(),
        )
        assert answer.status == 303
        assert other.state.find_pool("us-east-1_Kept") is None
    finally:
        other.close()
    assert "No user pools yet." not in text(page(emulator, "/_emu/ui"))


FORGED = [
    pytest.param({"cookie": None, "field": None}, id="cross-site post without the token"),
    pytest.param({"field": None}, id="cookie without the field"),
    pytest.param({"cookie": None}, id="field without the cookie"),
    pytest.param({"field": "0" * 64}, id="a guessed token"),
    pytest.param({"field": "\u00fc" * 64}, id="a non-ascii token"),
]


@pytest.mark.parametrize("forged", FORGED)
@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/_emu/ui/reset", {}),
        ("/_emu/ui/clock", {"action": "advance", "advance": "7200"}),
        ("/_emu/ui/tokens", {"token": "x"}),
    ],
)
def test_console_posts_without_the_session_token_are_refused(
    emulator: Emulator, pool_id: str, path: str, fields: dict[str, str], forged: dict[str, Any]
) -> None:
    before = emulator.clock.now()
    answer = post_form(emulator, path, **forged, **fields)
    assert answer.status == 403
    assert "CSRF token" in text(answer.body.decode())
    assert emulator.clock.now() - before < 7200
    assert pool_id in text(page(emulator, "/_emu/ui"))


def test_a_token_of_another_browser_session_is_refused(emulator: Emulator, pool_id: str) -> None:
    mine, theirs = form_token(emulator), form_token(emulator)
    assert mine != theirs
    assert post_form(emulator, "/_emu/ui/reset", cookie=mine, field=theirs).status == 403
    assert pool_id in text(page(emulator, "/_emu/ui"))
    assert back_to_overview(post_form(emulator, "/_emu/ui/reset", cookie=mine, field=mine))


def test_stylesheet_comes_from_the_package(emulator: Emulator) -> None:
    answer = send(emulator, "GET", "/_emu/ui/static/console.css")
    assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/css")
    assert send(emulator, "GET", "/_emu/ui/static/layout.html").status == 404
