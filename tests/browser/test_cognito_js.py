"""amazon-cognito-identity-js in a page on another origin, bundled by esbuild: sign-up, confirmation with the
code from the outbox, SRP sign-in, the session, sign-out (which revokes the refresh token), and Cognito's
error codes reaching the page through CORS."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from browser_support import AppServer, page_call
from bundles import bundle
from playwright.sync_api import Page

from cognito_emu.emulator import Emulator

PASSWORD = "Correct-horse-1"


def test_sign_up_confirm_sign_in_and_sign_out(emulator: Emulator, idp: Any, page: Page, test_app: AppServer) -> None:
    pool_id = idp.create_user_pool(PoolName="cognito-js", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    test_app.publish("/bundles/cognito_js.js", bundle("cognito_js"))
    test_app.configure({"userPoolId": pool_id, "clientId": client_id, "endpoint": emulator.endpoint_url.rstrip("/")})
    page.goto(test_app.url("/cognito_js.html"))

    weak = page.evaluate("() => window.cognitoApp.signUp('frank', 'short', 'frank@example.com')")
    assert weak["error"]["code"] == "InvalidPasswordException"
    signed_up = page_call(page, "cognitoApp.signUp", "frank", PASSWORD, "frank@example.com")
    assert signed_up["confirmed"] is False
    assert page_call(page, "cognitoApp.confirm", "frank", emulator.outbox.last_code("frank")) == {"result": "SUCCESS"}

    wrong = page.evaluate("() => window.cognitoApp.signIn('frank', 'Wrong-horse-1')")
    assert wrong["error"] == {"code": "NotAuthorizedException", "message": "Incorrect username or password."}
    assert page_call(page, "cognitoApp.signIn", "frank", PASSWORD) == {"username": "frank"}
    assert page_call(page, "cognitoApp.session") == {"signedIn": True, "username": "frank"}
    refresh_token = page.evaluate(
        "() => Object.entries(localStorage).find(([key]) => key.endsWith('.refreshToken'))[1]"
    )

    assert page_call(page, "cognitoApp.signOut") == {"signedOut": True}
    assert page_call(page, "cognitoApp.session") == {"signedIn": False}
    # signOut called RevokeToken: the refresh token no longer signs in.
    with pytest.raises(ClientError) as error:
        idp.initiate_auth(
            ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh_token}
        )
    assert error.value.response["Error"]["Code"] == "NotAuthorizedException"
