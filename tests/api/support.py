"""What the tests under tests/api share: clients for either mode, error readers, pools, users, sign-ins."""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import boto3
import jwt
import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError
from werkzeug.datastructures import Headers

from cognito_emu.emulator import Emulator
from cognito_emu.idp import tokens
from cognito_emu.idp.users import directory
from cognito_emu.ops.presenters import authentication_result
from cognito_emu.testing.mock import active_emulator
from cognito_emu.testing.wsgi_client import call_wsgi
from tests.oauth.oauth_support import Form

REGION = "us-east-1"
PASSWORD = "Passw0rd!"
NEW_PASSWORD = "N3w-Passw0rd!"
TEMPORARY_PASSWORD = "Temp0rary!"


def in_process(emulator: Emulator) -> bool:
    """True when ``emulator`` answers through ``mock_cognito`` rather than through its server."""
    return active_emulator() is emulator


def boto_client(emulator: Emulator, service: str = "cognito-idp", **kwargs: Any) -> Any:
    """A boto3 client reaching ``emulator``: over HTTP when it serves, else in-process through the mock."""
    kwargs.setdefault("region_name", REGION)
    kwargs.setdefault("aws_access_key_id", "testing")
    kwargs.setdefault("aws_secret_access_key", "testing")
    # One attempt: a test should see the emulator's answer, not botocore's retries of it.
    kwargs.setdefault("config", BotoConfig(retries={"total_max_attempts": 1}))
    if not in_process(emulator):
        kwargs["endpoint_url"] = emulator.endpoint_url
    return boto3.client(service, **kwargs)


def base_url(emulator: Emulator, region: str = REGION) -> str:
    """The URL boto3 calls, which tokens take their issuer from."""
    if in_process(emulator):
        return f"https://cognito-idp.{region}.amazonaws.com"
    return emulator.endpoint_url


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: Headers
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def send(
    emulator: Emulator,
    method: str,
    url: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    *,
    follow_redirects: bool = True,
) -> Answer:
    """One HTTP request to ``emulator`` (``url`` absolute, or a path on it): over a socket when it
    serves, else straight into its WSGI app, which is what an in-process mock answers with (and which
    follows no redirect: pass ``follow_redirects=False`` to see the redirect over a socket too)."""
    if url.startswith("/"):
        url = base_url(emulator) + url
    if in_process(emulator):
        response = call_wsgi(emulator.app, method, url, headers or {}, body)
        return Answer(response.status, Headers(response.headers), response.body)
    request = urllib.request.Request(url, data=body if method != "GET" else None, method=method)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    opener = urllib.request.build_opener() if follow_redirects else urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request) as answer:
            return Answer(answer.status, Headers(list(answer.headers.items())), answer.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, Headers(list(error.headers.items())), error.read())


# -- reading answers ------------------------------------------------------------------------------


def error_of(
    raised: pytest.ExceptionInfo[ClientError] | Callable[..., Any], /, *args: Any, **kwargs: Any
) -> tuple[str, str]:
    """(code, message) of a ClientError: the one a ``pytest.raises`` caught, or the one
    ``raised(*args, **kwargs)`` must raise."""
    if isinstance(raised, pytest.ExceptionInfo):
        error = raised.value
    else:
        with pytest.raises(ClientError) as caught:
            raised(*args, **kwargs)
        error = caught.value
    return error.response["Error"]["Code"], error.response["Error"]["Message"]


def code_of(
    raised: pytest.ExceptionInfo[ClientError] | Callable[..., Any], /, *args: Any, **kwargs: Any
) -> str:
    return error_of(raised, *args, **kwargs)[0]


def message_of(
    raised: pytest.ExceptionInfo[ClientError] | Callable[..., Any], /, *args: Any, **kwargs: Any
) -> str:
    return error_of(raised, *args, **kwargs)[1]


def attrs(items: list[dict[str, str]]) -> dict[str, str]:
    """A user's attribute list as a dict."""
    return {item["Name"]: item["Value"] for item in items}


def claims(token: str) -> dict[str, Any]:
    """A JWT's claims, unverified (the tests that check signatures verify them themselves)."""
    return jwt.decode(token, options={"verify_signature": False})


def secret_hash(client: dict[str, Any], username: str) -> str:
    """SECRET_HASH as a client computes it, written here independently of the emulator's own."""
    digest = hmac.new(
        client["ClientSecret"].encode(), (username + client["ClientId"]).encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


# -- setting up -----------------------------------------------------------------------------------


def make_client_id(idp: Any, pool_id: str, **settings: Any) -> str:
    return idp.create_user_pool_client(UserPoolId=pool_id, ClientName="app", **settings)["UserPoolClient"][
        "ClientId"
    ]


def make_resource_server(
    idp: Any, pool_id: str, identifier: str, scopes: tuple[str, ...] = ("read", "write")
) -> None:
    """A resource server of ``pool_id`` defining ``<identifier>/<scope>`` custom scopes."""
    idp.create_resource_server(
        UserPoolId=pool_id,
        Identifier=identifier,
        Name="api",
        Scopes=[{"ScopeName": scope, "ScopeDescription": scope} for scope in scopes],
    )


def make_user(
    idp: Any, pool_id: str, username: str = "alice", password: str | None = PASSWORD, **attributes: str
) -> None:
    """A user made by an admin, CONFIRMED with ``password`` (left FORCE_CHANGE_PASSWORD without one)."""
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        TemporaryPassword=TEMPORARY_PASSWORD,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": name, "Value": value} for name, value in attributes.items()],
    )
    if password is not None:
        idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)


# -- signing in -----------------------------------------------------------------------------------


def password_sign_in(
    idp: Any, client_id: str, username: str = "alice", password: str = PASSWORD, **extra: str
) -> dict[str, Any]:
    return idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password, **extra},
    )


def start_user_auth(idp: Any, client_id: str, username: str = "alice", **params: str) -> dict[str, Any]:
    """InitiateAuth USER_AUTH for ``username`` with further AuthParameters."""
    return idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": username, **params}
    )


def answer_challenge(idp: Any, client_id: str, challenge: dict[str, Any], **answers: str) -> dict[str, Any]:
    """Answer ``challenge`` (a sign-in step of alice's) with ``answers`` beside USERNAME."""
    return idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName=challenge["ChallengeName"],
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", **answers},
    )


def answer_new_password(
    idp: Any, client_id: str, challenge: dict[str, Any], username: str = "alice", password: str = PASSWORD
) -> dict[str, Any]:
    """Answer a NEW_PASSWORD_REQUIRED challenge with ``password``."""
    return idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": password},
    )


def register_totp(emulator: Any, idp: Any, token: str, *, enable: bool = True) -> str:
    """An authenticator app verified for the user of ``token`` (and preferred, with ``enable``)."""
    secret = idp.associate_software_token(AccessToken=token)["SecretCode"]
    result = idp.verify_software_token(
        AccessToken=token, UserCode=emulator.totp_code(secret), FriendlyDeviceName="phone"
    )
    assert result["Status"] == "SUCCESS"
    # Each code is good once: what follows answers with the code of the next 30-second step.
    emulator.clock.advance(30)
    if enable:
        idp.set_user_mfa_preference(
            AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
        )
    return secret


def minted_tokens(
    emulator: Emulator, pool_id: str, client_id: str, username: str, base: str | None = None
) -> dict[str, Any]:
    """Tokens as a sign-in flow mints them, in AuthenticationResult's shape, without going through a
    flow (for tests about tokens rather than sign-in)."""
    env = emulator.env
    with env.state.lock:
        pool = env.state.find_pool(pool_id)
        assert pool is not None
        user = directory.get_user(pool, username)
        issuer = tokens.issuer(env, base or base_url(emulator), pool)
        return authentication_result(
            tokens.authentication_result(env, pool, pool.clients[client_id], user, issuer=issuer)
        )


# -- the hosted pages ---------------------------------------------------------------------------


HOSTED_DOMAIN = "hosted-pages"
CALLBACK = "http://localhost:3000/callback"


class HostedPages:
    """A browser at the pool domain's prefix Host of one Region (``<domain>.auth.<region>...``), or at
    ``host`` (a custom domain)."""

    def __init__(self, emulator: Any, region: str, host: str | None = None) -> None:
        self.emulator = emulator
        self.host = host or f"{HOSTED_DOMAIN}.auth.{region}.amazoncognito.com"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Any:
        headers = {"Host": self.host}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = b""
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        answer = send(self.emulator, method, path, body, headers, follow_redirects=False)
        for cookie in answer.headers.getlist("Set-Cookie"):
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return answer

    def follow(self, answer: Any) -> Any:
        """Follow redirects within the domain; stop at one to the app (or at a page)."""
        while answer.status == 302:
            parts = urlsplit(answer.headers["Location"])
            if parts.hostname != self.host:
                return answer
            answer = self.request("GET", f"{parts.path}?{parts.query}")
        return answer

    def sign_in(self, client_id: str, username: str = "alice", password: str = PASSWORD) -> Any:
        query = authorize_query(client_id)
        page = self.request("GET", f"/login?{query}")
        assert page.status == 200, page.body
        form = Form(page.body.decode())
        return self.request(
            "POST", f"/login?{query}", {**form.fields, "username": username, "password": password}
        )


def hosted_client(idp: Any, pool_id: str, providers: tuple[str, ...] = ("COGNITO",)) -> str:
    """The id of an app client of the hosted login (code grant to CALLBACK), the pool given a domain."""
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain=HOSTED_DOMAIN)
    return make_client_id(
        idp,
        pool_id,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"],
        CallbackURLs=[CALLBACK],
        SupportedIdentityProviders=list(providers),
    )


def make_google_provider(idp: Any, pool_id: str) -> None:
    """A Google identity provider mapping the email; the hosted login signs in with it through
    ``emu_assertion`` (cognito_emu.oauth.federation)."""
    idp.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Google",
        ProviderType="Google",
        ProviderDetails={"client_id": "g", "client_secret": "s", "authorize_scopes": "openid email"},
        AttributeMapping={"email": "email"},
    )


def authorize_query(client_id: str, **params: str) -> str:
    return urlencode({"client_id": client_id, "response_type": "code", "redirect_uri": CALLBACK, **params})
