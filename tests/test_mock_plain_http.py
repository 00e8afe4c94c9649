"""Plain HTTP under ``mock_cognito``: requests, urllib and httpx reach the emulator at Cognito's hosts.

Verifiers and OAuth clients as users have them (PyJWT's PyJWKClient, pycognito, authlib, python-jose)
run unchanged inside the mock; every other host is passed through; the hooks leave nothing behind.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import subprocess
import sys
import textwrap
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import httpx
import jwt
import pytest
import requests
from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuth2Client
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey
from authlib.jose import jwt as authlib_jwt
from jose import jwt as jose_jwt
from moto import mock_aws
from pycognito import Cognito

from cognito_emu.emulator import Emulator
from cognito_emu.errors import ResourceNotFoundException
from cognito_emu.testing import active_emulator, mock_cognito

REGION = "us-east-1"
PASSWORD = "Passw0rd!x"
PREFIX = "plain-http"
CUSTOM_DOMAIN = "auth.example.com"
API = "https://api.example.com"
SERVICE = f"https://cognito-idp.{REGION}.amazonaws.com"


def idp() -> Any:
    return boto3.client("cognito-idp", region_name=REGION)


def make_pool(*, custom_domain: bool = False) -> dict[str, str]:
    """A pool with a prefix domain (and a custom one), a resource server, a user, and two app clients."""
    client = idp()
    pool_id = client.create_user_pool(PoolName="plain")["UserPool"]["Id"]
    client.create_user_pool_domain(UserPoolId=pool_id, Domain=PREFIX)
    if custom_domain:
        client.create_user_pool_domain(
            UserPoolId=pool_id,
            Domain=CUSTOM_DOMAIN,
            CustomDomainConfig={"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/x"},
        )
    client.create_resource_server(
        UserPoolId=pool_id, Identifier=API, Name="api", Scopes=[{"ScopeName": "read", "ScopeDescription": "r"}]
    )
    app = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    m2m = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="m2m",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=[f"{API}/read"],
    )["UserPoolClient"]
    client.admin_create_user(
        UserPoolId=pool_id,
        Username="alice",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}, {"Name": "email_verified", "Value": "true"}],
    )
    client.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True)
    return {
        "pool_id": pool_id,
        "client_id": app["ClientId"],
        "m2m_id": m2m["ClientId"],
        "m2m_secret": m2m["ClientSecret"],
        "issuer": f"{SERVICE}/{pool_id}",
    }


def sign_in(pool: dict[str, str]) -> dict[str, str]:
    return idp().initiate_auth(
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with mock_cognito() as emulator:
        yield emulator


@pytest.fixture
def pool(emu: Emulator) -> dict[str, str]:
    return make_pool()


def jwks_url(pool: dict[str, str]) -> str:
    return f"{pool['issuer']}/.well-known/jwks.json"


# -- the four clients fetch the well-known documents --------------------------------------------


def fetch_with_urllib(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200 and response.headers["Content-Type"] == "application/json"
        return json.load(response)


def fetch_with_httpx_async(url: str) -> Any:
    async def fetch() -> Any:
        async with httpx.AsyncClient() as client:
            response = await client.get(url)
            response.raise_for_status()
            return response.json()

    return asyncio.run(fetch())


FETCHERS = {
    "requests": lambda url: requests.get(url, timeout=5).json(),
    "urllib": fetch_with_urllib,
    "httpx": lambda url: httpx.get(url).raise_for_status().json(),
    "httpx-async": fetch_with_httpx_async,
}


@pytest.mark.parametrize("client", sorted(FETCHERS))
def test_each_client_fetches_the_jwks_and_the_discovery_document(emu, pool, client):
    fetch = FETCHERS[client]
    assert fetch(jwks_url(pool)) == emu.jwks(pool["pool_id"])
    discovery = fetch(f"{pool['issuer']}/.well-known/openid-configuration")
    assert discovery["issuer"] == pool["issuer"]
    assert discovery["jwks_uri"] == jwks_url(pool)
    # The hosted endpoints are on the pool's domain, as Cognito's own document names them.
    assert discovery["token_endpoint"] == f"https://{PREFIX}.auth.{REGION}.amazoncognito.com/oauth2/token"


def test_errors_come_back_as_each_client_reports_them(emu, pool):
    unknown = f"{SERVICE}/{REGION}_Unknown1/.well-known/jwks.json"
    assert requests.get(unknown, timeout=5).status_code == 404
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(unknown, timeout=5)
    assert raised.value.code == 404
    assert json.loads(raised.value.read()) == {"message": f"User pool {REGION}_Unknown1 does not exist."}
    assert httpx.get(unknown).status_code == 404


def test_the_custom_domain_is_named_in_discovery_and_answered(emu):
    pool = make_pool(custom_domain=True)
    discovery = requests.get(f"{pool['issuer']}/.well-known/openid-configuration", timeout=5).json()
    assert discovery["token_endpoint"] == f"https://{CUSTOM_DOMAIN}/oauth2/token"
    with OAuth2Client(pool["m2m_id"], pool["m2m_secret"]) as client:
        token = client.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")
    assert token["token_type"] == "Bearer"
    assert jwt.decode(token["access_token"], options={"verify_signature": False})["scope"] == f"{API}/read"


def test_a_request_from_another_thread_is_answered(emu, pool):
    answers: list[Any] = []
    worker = threading.Thread(target=lambda: answers.append(requests.get(jwks_url(pool), timeout=5).json()))
    worker.start()
    worker.join()
    assert answers == [emu.jwks(pool["pool_id"])]


# -- verifiers as users have them ---------------------------------------------------------------


def test_pyjwt_jwks_client_verifies_both_tokens(pool):
    tokens = sign_in(pool)
    keys = jwt.PyJWKClient(jwks_url(pool))
    id_token, access_token = tokens["IdToken"], tokens["AccessToken"]
    claims = jwt.decode(
        id_token,
        keys.get_signing_key_from_jwt(id_token).key,
        algorithms=["RS256"],
        audience=pool["client_id"],
        issuer=pool["issuer"],
    )
    assert claims["cognito:username"] == "alice"
    access = jwt.decode(
        access_token, keys.get_signing_key_from_jwt(access_token).key, algorithms=["RS256"], issuer=pool["issuer"]
    )
    assert access["token_use"] == "access" and access["client_id"] == pool["client_id"]


def test_pycognito_signs_in_and_verifies_its_tokens(pool):
    user = Cognito(pool["pool_id"], pool["client_id"], user_pool_region=REGION, username="alice")
    user.authenticate(password=PASSWORD)  # verifies both tokens against the JWKS it fetches
    assert user.id_claims["email"] == "alice@example.com"
    assert user.access_claims["username"] == "alice"
    user.verify_tokens()
    srp_user = Cognito(pool["pool_id"], pool["client_id"], user_pool_region=REGION, username="alice")
    srp_user.authenticate(password=PASSWORD)
    assert srp_user.id_claims["cognito:username"] == "alice"


def test_python_jose_verifies_with_the_fetched_jwks(pool):
    tokens = sign_in(pool)
    keys = requests.get(jwks_url(pool), timeout=5).json()
    claims = jose_jwt.decode(
        tokens["IdToken"],
        keys,
        algorithms=["RS256"],
        audience=pool["client_id"],
        issuer=pool["issuer"],
        access_token=tokens["AccessToken"],
    )
    assert claims["email_verified"] is True


def test_authlib_fetches_a_client_credentials_token_and_verifies_it(emu, pool):
    discovery = httpx.get(f"{pool['issuer']}/.well-known/openid-configuration").json()

    async def fetch_token() -> dict[str, Any]:
        async with AsyncOAuth2Client(pool["m2m_id"], pool["m2m_secret"], scope=f"{API}/read") as client:
            return dict(await client.fetch_token(discovery["token_endpoint"], grant_type="client_credentials"))

    token = asyncio.run(fetch_token())
    key_set = JsonWebKey.import_key_set(httpx.get(discovery["jwks_uri"]).json())
    claims = authlib_jwt.decode(token["access_token"], key_set, claims_options={"iss": {"value": pool["issuer"]}})
    claims.validate(now=int(emu.clock.now()))
    assert claims["client_id"] == pool["m2m_id"] and claims["scope"] == f"{API}/read"
    # authlib's requests flavour, at the prefix domain itself.
    session = OAuth2Session(pool["m2m_id"], pool["m2m_secret"])
    token = session.fetch_token(
        f"https://{PREFIX}.auth.{REGION}.amazoncognito.com/oauth2/token", grant_type="client_credentials"
    )
    assert token["token_type"] == "Bearer"


def test_userinfo_at_the_prefix_domain(emu, pool):
    # userInfo takes only access tokens with the openid scope: a PreTokenGeneration V2_0 trigger adds it
    # to this API sign-in's token (InitiateAuth's tokens carry aws.cognito.signin.user.admin alone).
    def add_openid(event: dict[str, Any], context: Any) -> dict[str, Any]:
        override = {"accessTokenGeneration": {"scopesToAdd": ["openid"]}}
        event["response"] = {"claimsAndScopeOverrideDetails": override}
        return event

    arn = "arn:aws:lambda:us-east-1:123456789012:function:add-openid"
    emu.triggers.register(arn, add_openid)
    config = {"LambdaVersion": "V2_0", "LambdaArn": arn}
    idp().update_user_pool(UserPoolId=pool["pool_id"], LambdaConfig={"PreTokenGenerationConfig": config})
    tokens = sign_in(pool)
    response = requests.get(
        f"https://{PREFIX}.auth.{REGION}.amazoncognito.com/oauth2/userInfo",
        headers={"Authorization": f"Bearer {tokens['AccessToken']}"},
        timeout=5,
    )
    assert response.status_code == 200
    assert response.json()["email"] == "alice@example.com"


# -- beside moto ----------------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["moto outside", "moto inside"])
def test_the_emulator_answers_cognito_hosts_beside_moto(order):
    # moto's mock_aws serves its own cognito-idp JWKS through responses; ours must win in either order.
    outer, inner = (mock_aws(), mock_cognito()) if order == "moto outside" else (mock_cognito(), mock_aws())
    with outer, inner:
        emu = active_emulator()
        assert emu is not None
        pool_id = idp().create_user_pool(PoolName="beside")["UserPool"]["Id"]
        assert requests.get(f"{SERVICE}/{pool_id}/.well-known/jwks.json", timeout=5).json() == emu.jwks(pool_id)


# -- other hosts; what is left behind -------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        body = json.dumps({"path": self.path, "host": self.headers["Host"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def other_host() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize("client", sorted(FETCHERS))
def test_other_hosts_are_passed_through(emu, pool, other_host, client):
    # Even a path shaped like a pool's JWKS goes to the host it names.
    path = f"/{pool['pool_id']}/.well-known/jwks.json"
    assert FETCHERS[client](f"{other_host}{path}") == {"path": path, "host": other_host.removeprefix("http://")}


def hooks() -> tuple[Any, ...]:
    return (
        vars(requests.Session)["get_adapter"],
        vars(urllib.request.AbstractHTTPHandler)["do_open"],
        vars(httpx.HTTPTransport)["handle_request"],
        vars(httpx.AsyncHTTPTransport)["handle_async_request"],
    )


def test_hooks_are_in_only_while_a_mock_is_active_and_nesting_keeps_them():
    before = hooks()
    with mock_cognito():
        active = hooks()
        assert all(hook is not original for hook, original in zip(active, before, strict=True))
        with mock_cognito():
            assert hooks() == active
        assert hooks() == active
    assert hooks() == before


def test_a_hook_patched_over_ours_is_left_to_its_owner(other_host):
    before = vars(requests.Session)["get_adapter"]
    mock = mock_cognito()
    mock.start()
    ours = vars(requests.Session)["get_adapter"]

    def theirs(session: requests.Session, url: str) -> Any:
        return ours(session, url)

    requests.Session.get_adapter = theirs  # type: ignore[method-assign]
    mock.stop()
    try:
        assert vars(requests.Session)["get_adapter"] is theirs
        # Ours, still under theirs, passes everything through now that no mock is active.
        assert requests.get(f"{other_host}/x", timeout=5).json()["path"] == "/x"
    finally:
        requests.Session.get_adapter = before  # type: ignore[method-assign]


def test_clients_imported_after_the_mock_started_are_hooked_and_none_is_imported_for_it():
    script = textwrap.dedent(
        """
        import sys

        import boto3

        from cognito_emu import mock_cognito

        with mock_cognito() as emu:
            assert "requests" not in sys.modules and "httpx" not in sys.modules
            pool_id = boto3.client("cognito-idp", region_name="us-east-1").create_user_pool(PoolName="p")["UserPool"]["Id"]
            import httpx
            import requests

            url = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}/.well-known/jwks.json"
            assert requests.get(url, timeout=5).json() == httpx.get(url).json() == emu.jwks(pool_id)
        assert requests.Session.get_adapter.__qualname__ == "Session.get_adapter"
        assert httpx.HTTPTransport.handle_request.__qualname__ == "HTTPTransport.handle_request"
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


# -- emu.jwks -----------------------------------------------------------------------------------


def test_emu_jwks_is_the_served_document_and_names_unknown_pools(emu, pool):
    document = emu.jwks(pool["pool_id"])
    assert [key["kty"] for key in document["keys"]] == ["RSA", "RSA"]
    assert requests.get(jwks_url(pool), timeout=5).json() == document
    with pytest.raises(ResourceNotFoundException, match=f"User pool {REGION}_Unknown1 does not exist."):
        emu.jwks(f"{REGION}_Unknown1")
