from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography import x509

from cognito_emu.idp import key_reserve, keys
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
    id_key, access_key = document["keys"]
    for key in (id_key, access_key):
        assert set(key) == {"alg", "e", "kid", "kty", "n", "use"}
        assert key["alg"] == "RS256" and key["kty"] == "RSA" and key["use"] == "sig" and key["e"] == "AQAB"
        assert "=" not in key["n"]
    assert id_key["kid"] == keys.kid(pool)
    assert access_key["kid"] == keys.access_kid(pool) != keys.kid(pool)
    assert id_key["n"] != access_key["n"]


def test_sign_and_verify_with_a_standard_jwks_client(pool: UserPool) -> None:
    now = int(time.time())
    token = keys.sign(pool, {"sub": "s", "exp": now + 60, "aud": "client", "token_use": "id"})
    # Exactly Cognito's header: kid then alg, no typ (developer guide, "ID Token Header").
    header_segment = token.split(".")[0]
    header = base64.urlsafe_b64decode(header_segment + "=" * (-len(header_segment) % 4))
    assert header == json.dumps({"kid": keys.kid(pool), "alg": "RS256"}, separators=(",", ":")).encode()
    # What PyJWKClient does with a JWKS document.
    jwk = jwt.PyJWKSet.from_dict(keys.jwks(pool))[keys.kid(pool)]
    assert jwt.decode(token, jwk.key, algorithms=["RS256"], audience="client")["sub"] == "s"
    assert keys.verify(pool, token, now=now, audience="client")["sub"] == "s"
    assert keys.unverified_claims(token)["aud"] == "client"


def test_access_tokens_are_signed_with_the_second_key(pool: UserPool) -> None:
    now = int(time.time())
    access = keys.sign(pool, {"sub": "s", "exp": now + 60, "client_id": "c", "token_use": "access"})
    assert jwt.get_unverified_header(access) == {"kid": keys.access_kid(pool), "alg": "RS256"}
    jwk = jwt.PyJWKSet.from_dict(keys.jwks(pool))[keys.access_kid(pool)]
    assert jwt.decode(access, jwk.key, algorithms=["RS256"])["client_id"] == "c"
    assert keys.verify(pool, access, now=now, audience="c")["token_use"] == "access"
    # The ID-token key does not verify it.
    id_jwk = jwt.PyJWKSet.from_dict(keys.jwks(pool))[keys.kid(pool)]
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(access, id_jwk.key, algorithms=["RS256"])


def test_verification_never_makes_a_key() -> None:
    pool, other = make_pool("us-east-1_Keys3"), make_pool("us-east-1_Keys4")
    token = keys.sign(other, {"sub": "s", "exp": 10, "token_use": "access"})
    with pytest.raises(keys.InvalidToken, match="unknown key"):
        keys.verify(pool, token)
    assert pool.signing_key_pem is None and pool.access_signing_key_pem is None


def test_pools_get_distinct_keys_from_the_reserve() -> None:
    pools = [make_pool(f"us-east-1_Keys{n}") for n in range(5, 9)]
    pems = [pem for p in pools for pem in (keys.ensure_signing_key(p), keys.ensure_access_key(p))]
    assert len(set(pems)) == len(pems)
    assert all(keys.verify(p, keys.sign(p, {"sub": "s", "exp": 10}))["sub"] == "s" for p in pools)


def test_a_seed_key_gets_the_full_check() -> None:
    keys.check_private_key_pem(key_reserve.new_private_key_pem())
    with pytest.raises(ValueError):
        keys.check_private_key_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")


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


def test_keys_survive_state_export(pool: UserPool) -> None:
    token = keys.sign(pool, {"sub": "s", "exp": 10})
    access = keys.sign(pool, {"sub": "s", "exp": 10, "token_use": "access"})
    restored = decode(UserPool, json.loads(json.dumps(encode(pool))))
    assert keys.kid(restored) == keys.kid(pool)
    assert keys.access_kid(restored) == keys.access_kid(pool)
    assert keys.verify(restored, token)["sub"] == "s"
    assert keys.verify(restored, access)["token_use"] == "access"


def test_signing_certificate_carries_the_pool_key(pool: UserPool) -> None:
    encoded = keys.signing_certificate(pool)
    assert encoded == keys.signing_certificate(pool)
    certificate = x509.load_der_x509_certificate(base64.b64decode(encoded))
    assert certificate.public_key().public_numbers() == keys.public_key(pool).public_numbers()
    assert certificate.not_valid_before_utc.timestamp() == pool.created
