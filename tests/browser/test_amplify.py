"""Amplify JS v6 (aws-amplify) in a page on another origin, bundled by esbuild: signUp, confirmSignUp with
the code from the outbox, signIn (USER_SRP_AUTH, Amplify's default), fetchAuthSession with identity-pool
credentials, signOut. Amplify has no setting for the identity pool's endpoint, so the test routes
https://cognito-identity.<region>.amazonaws.com to the emulator, as the README's recipe does."""

from __future__ import annotations

from typing import Any

from browser_support import AppServer, page_call
from bundles import bundle
from playwright.sync_api import BrowserContext, Page

from cognito_emu.emulator import Emulator

PASSWORD = "Correct-horse-1"
AUTH_ROLE = "arn:aws:iam::123456789012:role/authenticated"
IDENTITY_HOSTS = "https://cognito-identity.*.amazonaws.com/**"


def _amplify_app(emulator: Emulator, idp: Any, identity: Any, test_app: AppServer) -> tuple[str, str]:
    pool_id = idp.create_user_pool(PoolName="amplify", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="amplify",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    identity_pool_id = identity.create_identity_pool(
        IdentityPoolName="amplify",
        AllowUnauthenticatedIdentities=False,
        CognitoIdentityProviders=[
            {"ProviderName": f"cognito-idp.{pool_id.split('_')[0]}.amazonaws.com/{pool_id}", "ClientId": client_id}
        ],
    )["IdentityPoolId"]
    identity.set_identity_pool_roles(IdentityPoolId=identity_pool_id, Roles={"authenticated": AUTH_ROLE})
    test_app.publish("/bundles/amplify.js", bundle("amplify"))
    test_app.configure(
        {
            "userPoolId": pool_id,
            "userPoolClientId": client_id,
            "identityPoolId": identity_pool_id,
            "userPoolEndpoint": emulator.endpoint_url.rstrip("/"),
        }
    )
    return pool_id, identity_pool_id


def route_identity_pools(browser_context: BrowserContext, endpoint_url: str) -> None:
    """Send the page's calls to https://cognito-identity.<region>.amazonaws.com to the emulator (DevTools
    request interception: Playwright's route is the Fetch domain's requestPaused / fulfillRequest)."""
    browser_context.route(
        IDENTITY_HOSTS, lambda route: route.fulfill(response=route.fetch(url=endpoint_url.rstrip("/") + "/"))
    )


def test_sign_up_confirm_sign_in_credentials_and_sign_out(
    emulator: Emulator, idp: Any, identity: Any, browser_context: BrowserContext, page: Page, test_app: AppServer
) -> None:
    _, identity_pool_id = _amplify_app(emulator, idp, identity, test_app)
    route_identity_pools(browser_context, emulator.endpoint_url)
    page.goto(test_app.url("/amplify.html"))

    signed_up = page_call(page, "amplifyApp.signUp", "dana", PASSWORD, "dana@example.com")
    assert signed_up == {"isSignUpComplete": False, "nextStep": "CONFIRM_SIGN_UP"}
    code = emulator.outbox.last_code("dana")
    assert code
    assert page_call(page, "amplifyApp.confirmSignUp", "dana", code)["isSignUpComplete"] is True

    assert page_call(page, "amplifyApp.signIn", "dana", PASSWORD) == {"isSignedIn": True, "nextStep": "DONE"}
    assert page_call(page, "amplifyApp.currentUser")["username"] == "dana"
    session = page_call(page, "amplifyApp.session")
    assert session["idTokenUsername"] == "dana"
    assert session["identityId"].startswith(identity_pool_id.split(":")[0] + ":")
    assert session["accessKeyId"] and session["hasSecretKey"] and session["hasSessionToken"]
    assert session["expiration"]
    # The same user gets the same identity on a second credentials fetch.
    assert page_call(page, "amplifyApp.session")["identityId"] == session["identityId"]

    assert page_call(page, "amplifyApp.signOut", True) == {"signedOut": True}
    signed_out = page.evaluate("() => window.amplifyApp.currentUser()")
    assert signed_out["error"]["name"] == "UserUnAuthenticatedException"
