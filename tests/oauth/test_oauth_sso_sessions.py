"""SSO sessions of session tracking: the hosted login's cookie recorded on the user, token sessions that
came through it (OriginSessionId), silent reuse within each client's SSOSession MaxValidityMinutes,
revocation with RevokeAssociatedSessions NONE and LINKED, logout, expiry on the emulator's clock."""

from __future__ import annotations

import re
from typing import Any

from oauth_support import (
    CALLBACK,
    SIGNED_OUT,
    Browser,
    callback_params,
    callback_tokens,
    make_pool,
    make_user,
    make_web_client,
    token_request,
)

from cognito_emu.emulator import Emulator

SSO_ID = re.compile(r"^sso[a-z0-9]{25}$")


def _setup(idp: Any) -> tuple[str, str, str]:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    idp.set_user_pool_session_configuration(
        UserPoolId=pool_id, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": 20}
    )
    first = make_web_client(idp, pool_id)["ClientId"]
    second = make_web_client(idp, pool_id)["ClientId"]
    return pool_id, first, second


def _sessions(idp: Any, pool_id: str) -> dict[str, list[dict[str, Any]]]:
    listed = idp.admin_list_user_sessions(UserPoolId=pool_id, Username="alice")["Sessions"]
    return {kind: [s for s in listed if s["SessionType"] == kind] for kind in ("SSO", "TOKEN")}


def test_hosted_sign_in_records_an_sso_session_and_its_token_sessions(emulator: Emulator, idp: Any) -> None:
    pool_id, first, second = _setup(idp)
    browser = Browser(emulator.endpoint_url)
    tokens = callback_tokens(
        emulator.endpoint_url, first, browser.sign_in(first, scope="openid aws.cognito.signin.user.admin")
    )
    # The cookie signs the user in to the second client without the form.
    callback_tokens(emulator.endpoint_url, second, browser.authorize(second))
    sessions = _sessions(idp, pool_id)
    [sso] = sessions["SSO"]
    assert SSO_ID.match(sso["SessionId"])
    assert sso["ClientId"] == first
    assert "OriginSessionId" not in sso
    assert sorted(s["ClientId"] for s in sessions["TOKEN"]) == sorted([first, second])
    assert {s["OriginSessionId"] for s in sessions["TOKEN"]} == {sso["SessionId"]}
    mine = idp.list_user_sessions(AccessToken=tokens["access_token"])["Sessions"]
    current = [s for s in mine if s["IsCurrentSession"]]
    assert [(s["SessionType"], s["ClientId"]) for s in current] == [("TOKEN", first)]


def test_revoking_the_sso_session_ends_the_cookie_and_linked_ends_its_tokens(
    emulator: Emulator, idp: Any
) -> None:
    pool_id, first, second = _setup(idp)
    browser = Browser(emulator.endpoint_url)
    tokens = callback_tokens(
        emulator.endpoint_url, first, browser.sign_in(first, scope="openid aws.cognito.signin.user.admin")
    )
    [sso] = _sessions(idp, pool_id)["SSO"]
    idp.admin_revoke_user_session(UserPoolId=pool_id, Username="alice", SessionId=sso["SessionId"])
    # NONE: the token session stays; the cookie no longer signs anyone in.
    assert _sessions(idp, pool_id) == {"SSO": [], "TOKEN": _sessions(idp, pool_id)["TOKEN"]}
    assert len(_sessions(idp, pool_id)["TOKEN"]) == 1
    idp.get_user(AccessToken=tokens["access_token"])
    assert browser.authorize(second).status_code == 200  # the login form again

    # A fresh sign-in, then LINKED from the SSO session: its token sessions go too.
    again = callback_tokens(
        emulator.endpoint_url, second, browser.sign_in(second, scope="openid aws.cognito.signin.user.admin")
    )
    [sso] = _sessions(idp, pool_id)["SSO"]
    idp.revoke_user_session(
        AccessToken=tokens["access_token"], SessionId=sso["SessionId"], RevokeAssociatedSessions="LINKED"
    )
    assert _sessions(idp, pool_id)["SSO"] == []
    assert [s["ClientId"] for s in _sessions(idp, pool_id)["TOKEN"]] == [first]
    assert idp.exceptions.NotAuthorizedException.__name__ in _error(idp, again["access_token"])


def _error(idp: Any, access_token: str) -> str:
    try:
        idp.get_user(AccessToken=access_token)
    except idp.exceptions.NotAuthorizedException as error:
        return type(error).__name__
    return ""


def test_linked_revocation_of_a_token_session_ends_its_sso_session(emulator: Emulator, idp: Any) -> None:
    pool_id, first, _ = _setup(idp)
    browser = Browser(emulator.endpoint_url)
    callback_tokens(emulator.endpoint_url, first, browser.sign_in(first))
    [token_session] = _sessions(idp, pool_id)["TOKEN"]
    idp.admin_revoke_user_session(
        UserPoolId=pool_id,
        Username="alice",
        SessionId=token_session["SessionId"],
        RevokeAssociatedSessions="LINKED",
    )
    assert _sessions(idp, pool_id) == {"SSO": [], "TOKEN": []}
    assert browser.authorize(first).status_code == 200


def test_a_client_reuses_the_sso_session_only_within_its_max_validity(emulator: Emulator, idp: Any) -> None:
    pool_id, first, second = _setup(idp)
    idp.set_user_pool_client_session_configuration(
        UserPoolId=pool_id, ClientId=second, SSOSession={"MaxValidityMinutes": 0}
    )
    idp.set_user_pool_client_session_configuration(
        UserPoolId=pool_id, ClientId=first, SSOSession={"MaxValidityMinutes": 120}
    )
    emulator.clock.freeze()
    browser = Browser(emulator.endpoint_url)
    browser.sign_in(first)
    # 0: this client always asks for a fresh sign-in; the other still reuses the session.
    assert browser.authorize(second).status_code == 200
    assert browser.authorize(first).status_code == 302
    # Past the managed login's hour but within 120 minutes of the sign-in.
    emulator.clock.advance(90 * 60)
    assert browser.authorize(first).status_code == 302
    [sso] = _sessions(idp, pool_id)["SSO"]
    assert (sso["LastActiveDate"] - sso["CreateDate"]).total_seconds() == 90 * 60
    emulator.clock.advance(31 * 60)
    assert browser.authorize(first).status_code == 200
    assert _sessions(idp, pool_id)["SSO"] == []


def test_logout_ends_the_sso_session(emulator: Emulator, idp: Any) -> None:
    pool_id, first, _ = _setup(idp)
    browser = Browser(emulator.endpoint_url)
    browser.sign_in(first)
    assert len(_sessions(idp, pool_id)["SSO"]) == 1
    browser.get(browser.oauth_url("/logout"), client_id=first, logout_uri=SIGNED_OUT)
    assert _sessions(idp, pool_id)["SSO"] == []


def test_without_tracking_the_cookie_works_and_nothing_is_recorded(emulator: Emulator, idp: Any) -> None:
    pool_id = make_pool(idp)
    make_user(idp, pool_id)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    browser = Browser(emulator.endpoint_url)
    browser.sign_in(client_id)
    assert browser.authorize(client_id).status_code == 302
    with emulator.env.state.lock:
        pool = emulator.env.state.find_pool(pool_id)
        assert pool is not None
        [user] = pool.users.values()
        assert user.sso_sessions == {}
        assert all(session.tracking is None for session in user.sessions.values())


def test_sessions_record_the_callers_ip_address(emulator: Emulator, idp: Any) -> None:
    """The SSO session's LastIPAddress is the browser's (X-Forwarded-For at the sign-in form); the token
    session's is the token request's, the app back end that redeemed the code."""
    pool_id, first, _ = _setup(idp)
    browser = Browser(emulator.endpoint_url)
    browser.session.headers["X-Forwarded-For"] = "198.51.100.61"
    code = callback_params(browser.sign_in(first))["code"]
    answer = token_request(
        emulator.endpoint_url,
        {"grant_type": "authorization_code", "client_id": first, "code": code, "redirect_uri": CALLBACK},
        headers={"X-Forwarded-For": "203.0.113.5"},
    )
    assert answer.status_code == 200, answer.text
    sessions = _sessions(idp, pool_id)
    assert [s["LastIPAddress"] for s in sessions["SSO"]] == ["198.51.100.61"]
    assert [s["LastIPAddress"] for s in sessions["TOKEN"]] == ["203.0.113.5"]
    assert sessions["SSO"][0]["LastLocation"] == {"Country": "unknown"}


def test_reusing_the_sso_session_records_the_browsers_address(emulator: Emulator, idp: Any) -> None:
    """Signing in to another client through the cookie is activity on the SSO session: its LastIPAddress
    and DeviceType become the browser's at that moment (SessionDescriptionType: "the most recent activity
    on the session")."""
    pool_id, first, second = _setup(idp)
    browser = Browser(emulator.endpoint_url)
    browser.session.headers["X-Forwarded-For"] = "198.51.100.61"
    browser.sign_in(first)
    browser.session.headers["X-Forwarded-For"] = "203.0.113.9"
    browser.session.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
    assert browser.authorize(second).status_code == 302
    [sso] = _sessions(idp, pool_id)["SSO"]
    assert sso["LastIPAddress"] == "203.0.113.9"
    assert sso["DeviceType"] == "Firefox, Linux"
