from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography import x509

from cognito_emu.idp import keys
from cognito_emu.idp.models import UserPool
from cognito_emu.state.codec import decode, encode


def make_pool(pool_id: str = "us-east-1_Keys1") -> UserPool:
    return UserPool(id=pool_id, name="p", account="1", region="us-east-1", created=1_700_000_000, modified=0)


@pytest.fixture(scope="module")
def pool() -> UserPool:
    return make_pool()


def test_key_is_made_once_and_kept_as_pem(pool: UserPool) -> None:
    pem = keys.ensure_signing_key(pool)
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert keys.ensure_signing_key(pool) is pem
    assert keys.kid(pool) == keys.kid(pool)
    assert len(base64.b64decode(keys.kid(pool))) == 32


def test_jwks_shape(pool: UserPool) -> None:
    document = keys.jwks(pool)
    assert json.loads(json.dumps(document)) == document
    (key,) = document["keys"]
    assert set(key) == {"alg", "e", "kid", "kty", "n", "use"}
    assert key["alg"] == "RS256" and key["kty"] == "RSA" and key["use"] == "sig" and key["e"] == "AQAB"
    assert key["kid"] == keys.kid(pool)
    assert "=" not in key["n"]


def test_sign_and_verify_with_a_standard_jwks_client(pool: UserPool) -> None:
    now = int(time.time())
    token = keys.sign(pool, {"sub": "s", "exp": now + 60, "aud": "client"}, {"typ": "JWT"})
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": keys.kid(pool), "typ": "JWT"}
    # What PyJWKClient does with a JWKS document.
    jwk = jwt.PyJWKSet.from_dict(keys.jwks(pool))[keys.kid(pool)]
    assert jwt.decode(token, jwk.key, algorithms=["RS256"], audience="client")["sub"] == "s"
    assert keys.verify(pool, token, now=now, audience="client")["sub"] == "s"
    assert keys.unverified_claims(token)["aud"] == "client"


def test_verify_refusals(pool: UserPool) -> None:
    token = keys.sign(pool, {"sub": "s", "exp": 1000, "iss": "https://issuer/x", "client_id": "c"})
    assert keys.verify(pool, token, now=999, issuer="https://issuer/x", audience="c")["sub"] == "s"
    with pytest.raises(keys.ExpiredToken):
        keys.verify(pool, token, now=1001)
    assert keys.verify(pool, token, now=1001, leeway=5)
    with pytest.raises(keys.InvalidToken, match="issuer"):
        keys.verify(pool, token, issuer="https://other/x")
    with pytest.raises(keys.InvalidToken, match="audience"):
        keys.verify(pool, token, audience="other")
    with pytest.raises(keys.InvalidToken, match="malformed"):
        keys.verify(pool, "not.a.token")
    other = make_pool("us-east-1_Keys2")
    with pytest.raises(keys.InvalidToken, match="unknown key"):
        keys.verify(other, token)
    head, body, sig = token.split(".")
    forged = keys.sign(other, {"sub": "evil", "exp": 1000}).split(".")
    with pytest.raises(keys.InvalidToken, match="bad signature"):
        keys.verify(pool, f"{head}.{forged[1]}.{sig}")
    hs256 = jwt.encode({"sub": "s"}, "s" * 32, algorithm="HS256", headers={"kid": keys.kid(pool)})
    with pytest.raises(keys.InvalidToken):
        keys.verify(pool, hs256)


def test_key_survives_state_export(pool: UserPool) -> None:
    token = keys.sign(pool, {"sub": "s", "exp": 10})
    restored = decode(UserPool, json.loads(json.dumps(encode(pool))))
    assert keys.kid(restored) == keys.kid(pool)
    assert keys.verify(restored, token)["sub"] == "s"


def test_signing_certificate_carries_the_pool_key(pool: UserPool) -> None:
    encoded = keys.signing_certificate(pool)
    assert encoded == keys.signing_certificate(pool)
    certificate = x509.load_der_x509_certificate(base64.b64decode(encoded))
    assert certificate.public_key().public_numbers() == keys.public_key(pool).public_numbers()
    assert certificate.not_valid_before_utc.timestamp() == pool.created
