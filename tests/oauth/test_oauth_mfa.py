"""MFA in the hosted login: after a right password the login page asks what the API would ask
(SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE, MFA_SETUP), judges the answer as
RespondToAuthChallenge does, and only then sends the browser back to the app."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from oauth_support import (
    CALLBACK,
    PASSWORD,
    Browser,
    Form,
    callback_params,
    make_pool,
    make_user,
    make_web_client,
    pkce_pair,
    token_request,
    verified,
)

from cognito_emu.emulator import Emulator

PHONE = "+15555550123"
SMS = {"SnsCallerArn": "arn:aws:iam::123456789012:role/sns", "ExternalId": "ext"}
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
CODE_MISMATCH = "Invalid code or auth state for the user."


def _mfa_pool(
    idp: Any, mode: str = "OPTIONAL", *, sms: bool = True, totp: bool = True, email: bool = False
) -> str:
    pool_id = make_pool(idp)
    params: dict[str, Any] = {"MfaConfiguration": mode}
    if sms:
        params["SmsMfaConfiguration"] = {"SmsConfiguration": SMS, "SmsAuthenticationMessage": "Code {####}"}
    if totp:
        params["SoftwareTokenMfaConfiguration"] = {"Enabled": True}
    if email:
        params["EmailMfaConfiguration"] = {"Message": "Your code: {####}", "Subject": "Sign-in code"}
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, **params)
    return pool_id


def _add_phone(idp: Any, pool_id: str, username: str = "alice") -> None:
    idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[
            {"Name": "phone_number", "Value": PHONE},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
    )


def _add_totp(emulator: Emulator, idp: Any, pool_id: str, client_id: str) -> str:
    """A verified, preferred software token for alice, set up through the API (MFA not yet asked)."""
    result = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )
    token = result["AuthenticationResult"]["AccessToken"]
    secret = idp.associate_software_token(AccessToken=token)["SecretCode"]
    idp.verify_software_token(AccessToken=token, UserCode=emulator.totp_code(secret))
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id,
        Username="alice",
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    return secret


def _wrong(code: str | None) -> str:
    return "000000" if code != "000000" else "111111"


def _text(page: Any) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.text))


def _is_login_form(page: Any) -> bool:
    return page.status_code == 200 and {"username", "password"} <= Form(page.text).fields.keys()


def _exchange(emulator: Emulator, client_id: str, code: str, verifier: str) -> dict[str, Any]:
    response = token_request(
        emulator.endpoint_url,
        {
            "grant_type": "authorization_code",
            "client_id": client_id,
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": verifier,
        },
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_totp_mfa_code_flow(emulator: Emulator, idp: Any) -> None:
    pool_id = _mfa_pool(idp)
    make_user(idp, pool_id)
    client_id = make_web_client(idp, pool_id, ExplicitAuthFlows=FLOWS)["ClientId"]
    secret = _add_totp(emulator, idp, pool_id, client_id)
    browser = Browser(emulator.endpoint_url)
    verifier, challenge = pkce_pair()
    page = browser.sign_in(
        client_id, scope="openid email", state="st", code_challenge=challenge, code_challenge_method="S256"
    )
    # The password alone does not sign in: the code form, with the pending step's session.
    assert page.status_code == 200, page.text
    form = Form(page.text)
    assert "code" in form.fields and form.fields["session"]
    assert "password" not in form.fields
    assert "authenticator app" in _text(page)
    assert "cognito" not in browser.session.cookies
    wrong = browser.submit(page, code=_wrong(emulator.totp_code(secret)))
    assert wrong.status_code == 200
    assert Form(wrong.text).error == CODE_MISMATCH
    assert Form(wrong.text).fields["session"] == form.fields["session"]
    # Each code is good once and verifying the token used this step's: the next step's code (one step
    # of drift is accepted) signs in without moving the clock ahead of the verifier's.
    done = browser.submit(wrong, code=emulator.totp_code(secret, at=emulator.clock.now() + 30))
    params = callback_params(done)
    assert params["state"] == "st"
    body = _exchange(emulator, client_id, params["code"], verifier)
    claims = verified(emulator.endpoint_url, pool_id, body["id_token"])
    assert claims["cognito:username"] == "alice"
    # Signed in now: the cookie skips both the password and the MFA forms.
    assert callback_params(browser.authorize(client_id, scope="openid"))["code"]


def test_sms_mfa_with_the_implicit_grant(emulator: Emulator, idp: Any) -> None:
    pool_id = _mfa_pool(idp)
    make_user(idp, pool_id)
    _add_phone(idp, pool_id)
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id, Username="alice", SMSMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    client_id = make_web_client(idp, pool_id)["ClientId"]
    browser = Browser(emulator.endpoint_url)
    page = browser.sign_in(client_id, response_type="token", scope="openid", state="s")
    assert page.status_code == 200 and "code" in Form(page.text).fields
    assert "+*******0123" in _text(page)
    message = emulator.outbox.last("alice", reason="Authentication")
    assert message is not None
    assert (message.channel, message.destination, message.body) == ("SMS", PHONE, f"Code {message.code}")
    params = callback_params(browser.submit(page, code=message.code))
    assert params["state"] == "s" and params["access_token"] and params["id_token"]
    assert verified(emulator.endpoint_url, pool_id, params["id_token"])["cognito:username"] == "alice"
    # The session is used: posting the same form again goes back to the sign-in form.
    replay = browser.submit(page, code=message.code)
    assert _is_login_form(replay)
    assert Form(replay.text).error == "Invalid session for the user, session can only be used once."


def test_five_wrong_codes_go_back_to_the_sign_in_form(emulator: Emulator, idp: Any) -> None:
    pool_id = _mfa_pool(idp)
    make_user(idp, pool_id)
    _add_phone(idp, pool_id)
    idp.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="alice", SMSMfaSettings={"Enabled": True})
    client_id = make_web_client(idp, pool_id)["ClientId"]
    browser = Browser(emulator.endpoint_url)
    page = browser.sign_in(client_id)
    code = emulator.outbox.last_code("alice")
    for _ in range(4):
        page = browser.submit(page, code=_wrong(code))
        assert Form(page.text).error == CODE_MISMATCH and "code" in Form(page.text).fields
    fifth = browser.submit(page, code=_wrong(code))
    assert _is_login_form(fifth)
    assert Form(fifth.text).error == CODE_MISMATCH
    assert Form(fifth.text).fields["username"] == "alice"
    late = browser.submit(page, code=code)
    assert _is_login_form(late)
    # Signing in again sends a new code, which works.
    sent = len(emulator.outbox.messages(username="alice", reason="Authentication"))
    again = browser.submit(fifth, username="alice", password=PASSWORD)
    assert len(emulator.outbox.messages(username="alice", reason="Authentication")) == sent + 1
    assert callback_params(browser.submit(again, code=emulator.outbox.last_code("alice")))["code"]


def test_the_mfa_step_expires_by_the_clock(emulator: Emulator, idp: Any) -> None:
    pool_id = _mfa_pool(idp)
    make_user(idp, pool_id)
    _add_phone(idp, pool_id)
    idp.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="alice", SMSMfaSettings={"Enabled": True})
    client_id = make_web_client(idp, pool_id)["ClientId"]
    browser = Browser(emulator.endpoint_url)
    page = browser.sign_in(client_id)
    emulator.clock.advance(3 * 60 + 1)
    late = browser.submit(page, code=emulator.outbox.last_code("alice"))
    assert _is_login_form(late)
    assert Form(late.text).error == "Invalid session for the user, session is expired."
    assert "cognito" not in browser.session.cookies


def test_required_mfa_sets_up_an_authenticator_app(emulator: Emulator, idp: Any) -> None:
    pool_id = _mfa_pool(idp, "ON")
    make_user(idp, pool_id)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    browser = Browser(emulator.endpoint_url)
    page = browser.sign_in(client_id, scope="openid")
    assert page.status_code == 200, page.text
    secret_match = re.search(r'id="totpSecret">([A-Z2-7]+)<', page.text)
    assert secret_match, page.text
    secret = secret_match.group(1)
    uri_match = re.search(r'id="totpUri" href="([^"]+)"', page.text)
    assert uri_match
    uri = urlsplit(html.unescape(uri_match.group(1)))
    assert (uri.scheme, uri.netloc, uri.path) == ("otpauth", "totp", "/oauth:alice")
    assert parse_qs(uri.query) == {"secret": [secret], "issuer": ["oauth"]}
    wrong = browser.submit(page, code=_wrong(emulator.totp_code(secret)))
    assert Form(wrong.text).error == "Code mismatch and fail enable Software Token MFA"
    assert f">{secret}<" in wrong.text
    assert callback_params(browser.submit(wrong, code=emulator.totp_code(secret)))["code"]
    user = idp.admin_get_user(UserPoolId=pool_id, Username="alice")
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    # The next sign-in (a new browser) asks for a code of the token just set up.
    other = Browser(emulator.endpoint_url)
    code_page = other.sign_in(client_id)
    assert "code" in Form(code_page.text).fields and "totpSecret" not in code_page.text
    emulator.clock.advance(30)
    assert callback_params(other.submit(code_page, code=emulator.totp_code(secret)))["code"]


def test_required_mfa_without_software_tokens_cannot_be_set_up(emulator: Emulator, idp: Any) -> None:
    pool_id = _mfa_pool(idp, "ON", totp=False)
    make_user(idp, pool_id)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    page = Browser(emulator.endpoint_url).sign_in(client_id)
    assert _is_login_form(page)
    assert Form(page.text).error == "Software Token MFA has not been enabled by the userPool."


def test_select_mfa_type(emulator: Emulator, idp: Any) -> None:
    pool_id = _mfa_pool(idp, email=True)
    make_user(idp, pool_id)
    _add_phone(idp, pool_id)
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id,
        Username="alice",
        SMSMfaSettings={"Enabled": True},
        EmailMfaSettings={"Enabled": True},
    )
    client_id = make_web_client(idp, pool_id)["ClientId"]
    browser = Browser(emulator.endpoint_url)
    sent = len(emulator.outbox.messages(reason="Authentication"))
    page = browser.sign_in(client_id)
    assert page.status_code == 200
    assert re.findall(r'name="answer" value="([A-Z_]+)"', page.text) == ["SMS_MFA", "EMAIL_OTP"]
    assert len(emulator.outbox.messages(reason="Authentication")) == sent  # nothing sent before the choice
    refused = browser.submit(page, answer="SOFTWARE_TOKEN_MFA")
    assert refused.status_code == 200 and Form(refused.text).error.startswith("Invalid ANSWER")
    code_page = browser.submit(refused, answer="EMAIL_OTP")
    assert "code" in Form(code_page.text).fields
    assert "a***@e***" in _text(code_page)
    message = emulator.outbox.last("alice", reason="Authentication")
    assert message is not None and message.channel == "EMAIL"
    assert callback_params(browser.submit(code_page, code=message.code))["code"]


def test_new_password_then_mfa_setup(emulator: Emulator, idp: Any) -> None:
    pool_id = _mfa_pool(idp, "ON", sms=False)
    make_user(idp, pool_id, "bob", permanent=False)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    browser = Browser(emulator.endpoint_url)
    page = browser.sign_in(client_id, username="bob")
    assert "new_password" in Form(page.text).fields
    setup = browser.submit(page, new_password="New-password-1", confirm_password="New-password-1")
    assert setup.status_code == 200, setup.text
    secret_match = re.search(r'id="totpSecret">([A-Z2-7]+)<', setup.text)
    assert secret_match, setup.text
    assert idp.admin_get_user(UserPoolId=pool_id, Username="bob")["UserStatus"] == "CONFIRMED"
    assert callback_params(browser.submit(setup, code=emulator.totp_code(secret_match.group(1))))["code"]


def test_without_mfa_the_password_signs_in(emulator: Emulator, idp: Any) -> None:
    pool_id = _mfa_pool(idp, email=True)
    make_user(idp, pool_id)
    _add_phone(idp, pool_id)
    client_id = make_web_client(idp, pool_id)["ClientId"]
    assert callback_params(Browser(emulator.endpoint_url).sign_in(client_id))["code"]
    # MFA OFF ignores the factors a user turned on.
    idp.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="alice", SMSMfaSettings={"Enabled": True})
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OFF")
    assert callback_params(Browser(emulator.endpoint_url).sign_in(client_id))["code"]
