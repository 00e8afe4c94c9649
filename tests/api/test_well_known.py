"""``/<poolId>/.well-known/jwks.json`` and ``/<poolId>/.well-known/openid-configuration``."""

from __future__ import annotations

import json

import jwt

from cognito_emu.config import Config
from cognito_emu.emulator import Emulator
from tests.api.support import base_url, boto_client, make_client_id, make_user, password_sign_in, send


def fetch(emulator: Emulator, path: str) -> tuple[int, str, dict]:
    response = send(emulator, "GET", path)
    return response.status, response.headers["Content-Type"], json.loads(response.body)


def test_jwks(emulator, pool_id):
    status, content_type, body = fetch(emulator, f"/{pool_id}/.well-known/jwks.json")
    assert status == 200 and content_type.startswith("application/json")
    # Two keys, as Cognito publishes: one signs ID tokens, the other access tokens.
    id_key, access_key = body["keys"]
    for key in (id_key, access_key):
        assert key["alg"] == "RS256" and key["kty"] == "RSA" and key["use"] == "sig"
        assert key["kid"] and key["n"] and key["e"] == "AQAB"
    assert id_key["kid"] != access_key["kid"] and id_key["n"] != access_key["n"]
    # PyJWT reads it as a key set.
    assert [key.key_id for key in jwt.PyJWKSet.from_dict(body).keys] == [id_key["kid"], access_key["kid"]]


def test_openid_configuration(emulator, pool_id):
    base = base_url(emulator)
    status, content_type, body = fetch(emulator, f"/{pool_id}/.well-known/openid-configuration")
    assert status == 200 and content_type.startswith("application/json")
    assert body["issuer"] == f"{base}/{pool_id}"
    assert body["jwks_uri"] == f"{base}/{pool_id}/.well-known/jwks.json"
    assert body["authorization_endpoint"] == f"{base}/oauth2/authorize"
    assert body["token_endpoint"] == f"{base}/oauth2/token"
    assert body["userinfo_endpoint"] == f"{base}/oauth2/userInfo"
    assert body["id_token_signing_alg_values_supported"] == ["RS256"]
    assert body["subject_types_supported"] == ["public"]
    assert "code" in body["response_types_supported"]
    assert "openid" in body["scopes_supported"]
    assert "client_secret_basic" in body["token_endpoint_auth_methods_supported"]


def test_unknown_pool_is_a_json_404(emulator):
    for document in ("jwks.json", "openid-configuration"):
        status, content_type, body = fetch(emulator, f"/us-east-1_nothere/.well-known/{document}")
        assert status == 404 and content_type.startswith("application/json")
        assert body == {"message": "User pool us-east-1_nothere does not exist."}


def test_issuer_base_changes_only_the_issuer():
    with Emulator(Config(port=0, issuer_base="https://cognito-idp.us-east-1.amazonaws.com")) as emu:
        pool_id = emu.client("cognito-idp").create_user_pool(PoolName="p")["UserPool"]["Id"]
        _, _, body = fetch(emu, f"/{pool_id}/.well-known/openid-configuration")
        assert body["issuer"] == f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
        assert body["jwks_uri"] == f"{emu.endpoint_url}/{pool_id}/.well-known/jwks.json"


def test_issuer_base_aws_issues_each_region_its_aws_issuer(emulator, monkeypatch):
    monkeypatch.setattr(emulator.config, "issuer_base", "aws")
    for region in ("us-east-1", "eu-west-2"):
        idp = boto_client(emulator, region_name=region)
        pool_id = idp.create_user_pool(PoolName="aws-issuer")["UserPool"]["Id"]
        client_id = make_client_id(idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])
        make_user(idp, pool_id)
        token = password_sign_in(idp, client_id)["AuthenticationResult"]["IdToken"]
        issuer = f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"
        _, _, discovery = fetch(emulator, f"/{pool_id}/.well-known/openid-configuration")
        assert discovery["issuer"] == issuer
        # The key set stays where the emulator serves it; it verifies the token, issuer included.
        _, _, jwks = fetch(emulator, discovery["jwks_uri"])
        key = jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(token)["kid"]]
        assert (
            jwt.decode(token, key.key, algorithms=["RS256"], issuer=issuer, audience=client_id)["iss"]
            == issuer
        )
