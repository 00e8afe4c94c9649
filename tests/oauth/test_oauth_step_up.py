"""acr_values on the authorize and login endpoints (developer guide, authorize and login endpoints,
"Step-up authentication request"): the hosted sign-in aims for the first level asked for that the user has
the factors for, asks for the factor that reaches it, and its tokens (code grant, refresh) carry acr and
amr; the cookie's sign-in stands only when its methods reach the level; a LITE pool ignores acr_values;
names the pool does not know, and a user with no factors for any level asked for, go back to the app."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from oauth_support import (
    CALLBACK,
    PASSWORD,
    Browser,
    callback_params,
    callback_tokens,
    make_pool,
    make_user,
    make_web_client,
    token_request,
    verified,
)

from cognito_emu.emulator import Emulator

LOA = {level: f"urn:cognito:loa:{level}" for level in (1, 2, 3, 4)}


def _pool(idp: Any, **settings: Any) -> tuple[str, str]:
    pool_id = make_pool(idp, **settings)
    make_user(idp, pool_id)
    return pool_id, make_web_client(idp, pool_id)["ClientId"]


def _add_totp(emulator: Emulator, idp: Any, pool_id: str) -> str:
    """A verified authenticator app for alice, with MFA left off (only a step-up asks for it)."""
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    api_client = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="api",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    token = idp.initiate_auth(
        ClientId=api_client,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    secret = idp.associate_software_token(AccessToken=token)["SecretCode"]
    idp.verify_software_token(AccessToken=token, UserCode=emulator.totp_code(secret))
    idp.set_user_mfa_preference(AccessToken=token, SoftwareTokenMfaSettings={"Enabled": False})
    emulator.clock.advance(30)
    return secret


def _acr_amr(emulator: Emulator, pool_id: str, tokens: dict[str, Any]) -> list[tuple[Any, Any]]:
    pairs = []
    for name in ("id_token", "access_token"):
        claims = verified(emulator.endpoint_url, pool_id, tokens[name], verify_iat=False)
        pairs.append((claims.get("acr"), claims.get("amr")))
    return pairs


def test_password_sign_in_reports_level_one(emulator: Emulator, idp: Any) -> None:
    pool_id, client_id = _pool(idp)
    browser = Browser(emulator.endpoint_url)
    tokens = callback_tokens(
        emulator.endpoint_url, client_id, browser.sign_in(client_id, scope="openid", acr_values=LOA[1])
    )
    assert _acr_amr(emulator, pool_id, tokens) == [(LOA[1], ["pwd"])] * 2
    # Without acr_values, neither claim.
    plain = callback_tokens(
        emulator.endpoint_url, client_id, Browser(emulator.endpoint_url).sign_in(client_id, scope="openid")
    )
    assert _acr_amr(emulator, pool_id, plain) == [(None, None)] * 2


def test_level_four_asks_for_the_authenticator_app(emulator: Emulator, idp: Any) -> None:
    pool_id, client_id = _pool(idp)
    secret = _add_totp(emulator, idp, pool_id)
    browser = Browser(emulator.endpoint_url)
    page = browser.sign_in(client_id, scope="openid", acr_values=f"urn:other {LOA[4]} {LOA[1]}")
    assert page.status_code == 200 and 'name="code"' in page.text
    tokens = callback_tokens(
        emulator.endpoint_url, client_id, browser.submit(page, code=emulator.totp_code(secret))
    )
    assert _acr_amr(emulator, pool_id, tokens) == [(LOA[4], ["pwd", "otp", "mfa"])] * 2
    refreshed = token_request(
        emulator.endpoint_url,
        {"grant_type": "refresh_token", "client_id": client_id, "refresh_token": tokens["refresh_token"]},
    )
    assert refreshed.status_code == 200, refreshed.text
    assert _acr_amr(emulator, pool_id, refreshed.json()) == [(LOA[4], ["pwd", "otp", "mfa"])] * 2


def test_the_cookie_stands_only_for_a_level_its_sign_in_reached(emulator: Emulator, idp: Any) -> None:
    pool_id, client_id = _pool(idp)
    _add_totp(emulator, idp, pool_id)
    browser = Browser(emulator.endpoint_url)
    callback_params(browser.sign_in(client_id, scope="openid"))
    again = browser.authorize(client_id, scope="openid", acr_values=LOA[1])
    assert (
        _acr_amr(emulator, pool_id, callback_tokens(emulator.endpoint_url, client_id, again))
        == [(LOA[1], ["pwd"])] * 2
    )
    stepping_up = browser.authorize(client_id, scope="openid", acr_values=LOA[4])
    assert stepping_up.status_code == 200 and 'name="password"' in stepping_up.text
    assert parse_qs(urlsplit(stepping_up.url).query)["acr_values"] == [LOA[4]]


def test_lite_pool_ignores_acr_values(emulator: Emulator, idp: Any) -> None:
    pool_id, client_id = _pool(idp, UserPoolTier="LITE")
    browser = Browser(emulator.endpoint_url)
    tokens = callback_tokens(
        emulator.endpoint_url,
        client_id,
        browser.sign_in(client_id, scope="openid", acr_values="urn:anything"),
    )
    assert _acr_amr(emulator, pool_id, tokens) == [(None, None)] * 2


def test_unknown_names_and_unreachable_levels_go_back_to_the_app(emulator: Emulator, idp: Any) -> None:
    _, client_id = _pool(idp)
    browser = Browser(emulator.endpoint_url)
    unknown = browser.authorize(client_id, scope="openid", state="s", acr_values="urn:nobody:knows")
    assert unknown.status_code == 302 and unknown.headers["Location"].startswith(CALLBACK)
    assert parse_qs(urlsplit(unknown.headers["Location"]).query)["error"] == ["invalid_request"]
    # alice has no authenticator app: level 4 alone cannot be reached.
    unmet = browser.sign_in(client_id, scope="openid", state="s", acr_values=LOA[4])
    query = parse_qs(urlsplit(unmet.headers["Location"]).query)
    assert unmet.headers["Location"].startswith(CALLBACK)
    assert query["error"] == ["unmet_authentication_requirements"] and query["state"] == ["s"]


def test_a_step_up_that_sets_up_the_authenticator_app_keeps_its_level(emulator: Emulator, idp: Any) -> None:
    """MFA the pool requires, set up on the hosted MFA_SETUP page during a sign-in that asked for a level:
    the tokens carry the level both methods reach (a sign-in reports the highest level it proved) and both
    methods, as the API's MFA_SETUP answer's do."""
    pool_id, client_id = _pool(idp)
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    browser = Browser(emulator.endpoint_url)
    setup = browser.sign_in(client_id, scope="openid", acr_values=LOA[1])
    secret = re.search(r'id="totpSecret">([A-Z2-7]+)<', setup.text)
    assert secret, setup.text
    tokens = callback_tokens(
        emulator.endpoint_url, client_id, browser.submit(setup, code=emulator.totp_code(secret.group(1)))
    )
    assert _acr_amr(emulator, pool_id, tokens) == [(LOA[4], ["pwd", "otp", "mfa"])] * 2
