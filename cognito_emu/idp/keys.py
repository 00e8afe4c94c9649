"""One RSA-2048 signing key per user pool: JWKS, RS256 signing and verification, the signing certificate.

The key is made on first need (about 40 ms, once per pool, never per token) and kept on the pool as
a PKCS#8 PEM string, so state export/import carries it and tokens stay valid across a reload.
Parsing the PEM costs more than signing, so loaded keys are cached by PEM text (immutable data; the
cache holds no state of its own). Operations run under the state lock, so the lazy creation cannot
race (see ``cognito_emu.state``).

The key pair comes from the operating system's generator, not ``ids``: an RSA key cannot be drawn
from the seeded generator with ``cryptography``, so ``--deterministic`` does not fix it.
"""

from __future__ import annotations

import base64
import copy
import hashlib
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from cognito_emu.idp.models import UserPool

ALGORITHM = "RS256"
KEY_SIZE = 2048
CERTIFICATE_YEARS = 10


class InvalidToken(Exception):
    """A token this pool did not sign, or that is malformed; ``reason`` says which check failed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ExpiredToken(InvalidToken):
    pass


def new_private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def ensure_signing_key(pool: UserPool) -> str:
    """The pool's key PEM, made now if the pool has none yet."""
    if pool.signing_key_pem is None:
        pool.signing_key_pem = new_private_key_pem()
    return pool.signing_key_pem


@lru_cache(maxsize=512)
def _private_key(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("a user pool signing key must be RSA")
    return key


@lru_cache(maxsize=512)
def _kid(pem: str) -> str:
    spki = (
        _private_key(pem)
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    # Cognito's kids are standard base64 of 32 bytes; this one is the SHA-256 of the public key.
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


def private_key(pool: UserPool) -> rsa.RSAPrivateKey:
    return _private_key(ensure_signing_key(pool))


def public_key(pool: UserPool) -> rsa.RSAPublicKey:
    return private_key(pool).public_key()


def kid(pool: UserPool) -> str:
    """The key id tokens carry in their header and the JWKS lists."""
    return _kid(ensure_signing_key(pool))


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def jwk(pool: UserPool) -> dict[str, str]:
    numbers = public_key(pool).public_numbers()
    return {
        "alg": ALGORITHM,
        "e": _b64url_uint(numbers.e),
        "kid": kid(pool),
        "kty": "RSA",
        "n": _b64url_uint(numbers.n),
        "use": "sig",
    }


def jwks(pool: UserPool) -> dict[str, list[dict[str, str]]]:
    """The document served at ``/<poolId>/.well-known/jwks.json``."""
    return {"keys": [jwk(pool)]}


def sign(pool: UserPool, claims: dict[str, Any], headers: dict[str, Any] | None = None) -> str:
    """An RS256 JWT of ``claims`` with the pool's ``kid`` in the header."""
    return jwt.encode(
        claims, private_key(pool), algorithm=ALGORITHM, headers={**(headers or {}), "kid": kid(pool)}
    )


# Decoding a token is a pure function of its text (and, verified, of the key): the results are
# cached, so a client presenting the same access token again (GetUser, ...) costs a dict lookup
# instead of PyJWT's parse and an RSA verification. Only successful decodes are cached; callers get
# a deep copy. The time, issuer and audience checks below run on every call.
_DECODED_CACHE_SIZE = 2048


@lru_cache(maxsize=_DECODED_CACHE_SIZE)
def _header(token: str | bytes) -> dict[str, Any]:
    header: dict[str, Any] = jwt.get_unverified_header(token)
    return header


@lru_cache(maxsize=_DECODED_CACHE_SIZE)
def _unverified(token: str | bytes) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


@lru_cache(maxsize=_DECODED_CACHE_SIZE)
def _verified(pem: str, token: str | bytes) -> dict[str, Any]:
    """PyJWT's RS256 decode of ``token`` with the public half of ``pem`` (no time checks)."""
    claims: dict[str, Any] = jwt.decode(
        token,
        _private_key(pem).public_key(),
        algorithms=[ALGORITHM],
        options={"verify_exp": False, "verify_iat": False, "verify_nbf": False, "verify_aud": False},
    )
    return claims


def unverified_claims(token: str) -> dict[str, Any]:
    """The claims of a token without any check: only for finding the pool that must then verify it."""
    if not isinstance(token, (str, bytes)):
        raise InvalidToken("malformed")
    try:
        return copy.deepcopy(_unverified(token))
    except jwt.PyJWTError as exc:
        raise InvalidToken("malformed") from exc


def verify(
    pool: UserPool,
    token: str,
    *,
    now: float | None = None,
    leeway: float = 0,
    issuer: str | None = None,
    audience: str | None = None,
) -> dict[str, Any]:
    """The claims of a token this pool signed; raises InvalidToken (ExpiredToken when past ``exp``).

    Expiry is judged against ``now`` (pass ``env.clock.now()``: the emulator's clock, not the
    host's) and only when given. ``issuer`` / ``audience`` are checked when given (``audience``
    against ``aud`` or, for access tokens, ``client_id``).
    """
    if not isinstance(token, (str, bytes)):
        raise InvalidToken("malformed")
    try:
        header = _header(token)
    except jwt.PyJWTError as exc:
        raise InvalidToken("malformed") from exc
    if header.get("alg") != ALGORITHM or header.get("kid") != kid(pool):
        raise InvalidToken("unknown key")
    try:
        claims = copy.deepcopy(_verified(ensure_signing_key(pool), token))
    except jwt.PyJWTError as exc:
        raise InvalidToken("bad signature") from exc
    if issuer is not None and claims.get("iss") != issuer:
        raise InvalidToken("wrong issuer")
    if audience is not None and audience not in (claims.get("aud"), claims.get("client_id")):
        raise InvalidToken("wrong audience")
    if now is not None:
        exp = claims.get("exp")
        if not isinstance(exp, (int, float)):
            raise InvalidToken("no expiry")
        if now > exp + leeway:
            raise ExpiredToken("expired")
    return claims


@lru_cache(maxsize=512)
def _certificate(pem: str, pool_id: str, region: str, created: float) -> str:
    key = _private_key(pem)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, pool_id),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "cognito-emu"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, region),
        ]
    )
    not_before = datetime.fromtimestamp(int(created), UTC)
    # Same key, same certificate: the serial comes from the key, the validity from the pool.
    serial = int.from_bytes(hashlib.sha256(_kid(pem).encode()).digest()[:16], "big") >> 1 or 1
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=365 * CERTIFICATE_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


def signing_certificate(pool: UserPool) -> str:
    """GetSigningCertificate's Certificate: a self-signed X.509 certificate for the pool key, base64 DER.

    Cognito signs SAML authentication requests with the key behind this certificate; the emulator
    has one key per pool, so the certificate carries the same public key as the JWKS.
    """
    return _certificate(ensure_signing_key(pool), pool.id, pool.region, pool.created)
