"""Helpers of the OAuth tests: a pool with a domain, app clients, and a browser driven by hand."""

from __future__ import annotations

import base64
import hashlib
import secrets
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import jwt
import requests

DOMAIN = "emu-test"
PASSWORD = "Correct-horse-1"
CALLBACK = "http://localhost:3000/callback"
SIGNED_OUT = "http://localhost:3000/signed-out"
API = "https://api.example.com"


def make_pool(idp: Any, **settings: Any) -> str:
    pool_id = idp.create_user_pool(PoolName="oauth", **settings)["UserPool"]["Id"]
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain=DOMAIN)
    idp.create_resource_server(
        UserPoolId=pool_id,
        Identifier=API,
        Name="api",
        Scopes=[
            {"ScopeName": "read", "ScopeDescription": "r"},
            {"ScopeName": "write", "ScopeDescription": "w"},
        ],
    )
    return pool_id


def make_web_client(idp: Any, pool_id: str, *, secret: bool = False, **overrides: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "ClientName": "web",
        "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthFlows": ["code", "implicit"],
        "AllowedOAuthScopes": ["openid", "email", "profile", "aws.cognito.signin.user.admin", f"{API}/read"],
        "CallbackURLs": [CALLBACK],
        "LogoutURLs": [SIGNED_OUT],
        "SupportedIdentityProviders": ["COGNITO"],
        "GenerateSecret": secret,
        **overrides,
    }
    return idp.create_user_pool_client(UserPoolId=pool_id, **settings)["UserPoolClient"]


def make_m2m_client(idp: Any, pool_id: str, scopes: list[str] | None = None) -> dict[str, Any]:
    return idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="m2m",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=scopes or [f"{API}/read", f"{API}/write"],
    )["UserPoolClient"]


def make_user(idp: Any, pool_id: str, username: str = "alice", *, permanent: bool = True) -> None:
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        TemporaryPassword=PASSWORD,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": f"{username}@example.com"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "name", "Value": username.title()},
        ],
    )
    if permanent:
        idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True)


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


class Form(HTMLParser):
    """The first form of a page: its action and its input fields."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self.error = ""
        self._in_error = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form" and self.action is None:
            self.action = values.get("action")
        elif tag == "input" and "name" in values:
            self.fields[values["name"]] = values.get("value", "")
        elif tag == "p" and "error" in values.get("class", "").split():
            self._in_error = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._in_error = False

    def handle_data(self, data: str) -> None:
        if self._in_error:
            self.error += data.strip()


class Browser:
    """A requests session that follows redirects by hand, stopping at the app's callback."""

    def __init__(self, endpoint_url: str) -> None:
        self.base = endpoint_url.rstrip("/")
        self.session = requests.Session()

    def oauth_url(self, path: str) -> str:
        return f"{self.base}/_oauth/{DOMAIN}{path}"

    def get(self, url: str, **params: Any) -> requests.Response:
        return self.session.get(url, params=params or None, allow_redirects=False, timeout=10)

    def follow(self, response: requests.Response) -> requests.Response:
        """Follow redirects within the emulator; stop at a redirect to the app (or a page)."""
        while response.status_code == 302:
            location = urljoin(response.url, response.headers["Location"])
            if not location.startswith(self.base):
                return response
            response = self.session.get(location, allow_redirects=False, timeout=10)
        return response

    def authorize(self, client_id: str, **params: Any) -> requests.Response:
        params = {"response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK, **params}
        return self.follow(self.get(self.oauth_url("/oauth2/authorize"), **params))

    def submit(self, page: requests.Response, **fields: str) -> requests.Response:
        form = Form(page.text)
        assert form.action, page.text
        data = {**form.fields, **fields}
        response = self.session.post(
            urljoin(page.url, form.action), data=data, allow_redirects=False, timeout=10
        )
        return self.follow(response)

    def sign_in(
        self, client_id: str, username: str = "alice", password: str = PASSWORD, **params: Any
    ) -> Any:
        page = self.authorize(client_id, **params)
        assert page.status_code == 200, page.text
        return self.submit(page, username=username, password=password)


def callback_params(response: requests.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    location = response.headers["Location"]
    assert location.startswith(CALLBACK), location
    parts = urlsplit(location)
    return {k: v[0] for k, v in parse_qs(parts.fragment or parts.query).items()}


def token_request(
    endpoint_url: str, data: dict[str, str], auth: tuple[str, str] | None = None, **kwargs: Any
) -> requests.Response:
    return requests.post(
        f"{endpoint_url.rstrip('/')}/_oauth/{DOMAIN}/oauth2/token", data=data, auth=auth, timeout=10, **kwargs
    )


def exchange_code(endpoint_url: str, client_id: str, code: str) -> dict[str, Any]:
    """What the token endpoint issues a public client for ``code`` (redirect_uri the test callback)."""
    response = token_request(
        endpoint_url,
        {"grant_type": "authorization_code", "client_id": client_id, "code": code, "redirect_uri": CALLBACK},
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def callback_tokens(endpoint_url: str, client_id: str, callback: requests.Response) -> dict[str, Any]:
    """The tokens for the code a sign-in's redirect to the callback carries."""
    return exchange_code(endpoint_url, client_id, callback_params(callback)["code"])


def verified(endpoint_url: str, pool_id: str, token: str, **options: Any) -> dict[str, Any]:
    """The claims of ``token``, its signature checked against the pool's JWKS."""
    jwks = jwt.PyJWKClient(f"{endpoint_url.rstrip('/')}/{pool_id}/.well-known/jwks.json")
    key = jwks.get_signing_key_from_jwt(token)
    return jwt.decode(token, key.key, algorithms=["RS256"], options={"verify_aud": False, **options})
