"""Two RSA-2048 signing keys per user pool: JWKS, RS256 signing and verification, the signing certificate.

As in Cognito, a pool signs its ID tokens with one key and its access tokens with another, and its
JWKS publishes both; a token's header is exactly ``{"kid": ..., "alg": "RS256"}`` (no ``typ``), as
the developer guide shows ("Understanding the identity (ID) token", ID Token Header). The keys are
kept on the pool as PKCS#8 PEM strings (``signing_key_pem`` for ID tokens and the SAML signing
certificate, ``access_signing_key_pem`` for access tokens), so state export/import carries them and
tokens stay valid across a reload. Which key signs a token follows its ``token_use`` claim.

A pool's keys are made on first need (its first token, JWKS or certificate), never at CreateUserPool,
and come from ``cognito_emu.idp.key_reserve`` (a store of keys on disk, then keys made in the
background), which also loads them: the keys the emulator keeps are its own (made there, or checked
once here when a seed supplies them: ``check_private_key_pem``), so they are loaded without OpenSSL's
slow consistency check, and cached by PEM text. Operations run under the state lock, so the lazy
creation cannot race (see ``cognito_emu.state``).

The key pairs come from the operating system's generator, not ``ids``: an RSA key cannot be drawn
from the seeded generator with ``cryptography``, so ``--deterministic`` does not fix them.
"""

from __future__ import annotations

import base64
import copy
import hashlib
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from cognito_emu import crypto, jws
from cognito_emu.idp import key_reserve
from cognito_emu.idp.models import UserPool

ALGORITHM = jws.ALGORITHM
CERTIFICATE_YEARS = 10


class InvalidToken(Exception):
    """A token this pool did not sign, or that is malformed; ``reason`` says which check failed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ExpiredToken(InvalidToken):
    pass


def check_private_key_pem(pem: str) -> None:
    """ValueError unless ``pem`` is an RSA private key that passes OpenSSL's full consistency check.

    For keys from outside (a seed's ``signingKey``): those are loaded without the check later."""
    try:
        key = crypto.serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a usable PEM private key: {exc}") from None
    if not isinstance(key, crypto.rsa.RSAPrivateKey):
        raise ValueError("a user pool signing key must be RSA")


def read_signing_key(setting: str) -> str:
    """The PEM of the ``signing_key`` setting: the key itself, or the file it names; checked once here.

    ValueError says what is wrong (no such file, not an RSA private key)."""
    pem = setting
    if "PRIVATE KEY-----" not in setting:
        try:
            pem = Path(setting).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"signing key: cannot read {setting}: {exc}") from None
    try:
        check_private_key_pem(pem)
    except ValueError as exc:
        raise ValueError(f"signing key: {exc}") from None
    return pem


def use_signing_key(pool: UserPool, pem: str) -> None:
    """Sign the pool's ID and access tokens with one given key (its JWKS then lists that key once)."""
    pool.signing_key_pem = pem
    pool.access_signing_key_pem = pem


def ensure_signing_key(pool: UserPool) -> str:
    """The PEM of the pool's ID-token key (also the SAML signing certificate's), made now if none yet."""
    if pool.signing_key_pem is None:
        pool.signing_key_pem = key_reserve.new_private_key_pem()
    return pool.signing_key_pem


def ensure_access_key(pool: UserPool) -> str:
    """The PEM of the pool's access-token key, made now if none yet."""
    if pool.access_signing_key_pem is None:
        pool.access_signing_key_pem = key_reserve.new_private_key_pem()
    return pool.access_signing_key_pem


def _pem_for(pool: UserPool, claims: dict[str, Any]) -> str:
    return ensure_access_key(pool) if claims.get("token_use") == "access" else ensure_signing_key(pool)


@lru_cache(maxsize=512)
def _kid(pem: str) -> str:
    spki = (
        key_reserve.load_private_key(pem)
        .public_key()
        .public_bytes(crypto.serialization.Encoding.DER, crypto.serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    # Cognito's kids are standard base64 of 32 bytes; this one is the SHA-256 of the public key.
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


def private_key(pool: UserPool) -> crypto.rsa.RSAPrivateKey:
    return key_reserve.load_private_key(ensure_signing_key(pool))


def public_key(pool: UserPool) -> crypto.rsa.RSAPublicKey:
    """The public half of the ID-token key (the one the signing certificate carries)."""
    return private_key(pool).public_key()


def kid(pool: UserPool) -> str:
    """The key id of the pool's ID-token key."""
    return _kid(ensure_signing_key(pool))


def access_kid(pool: UserPool) -> str:
    """The key id of the pool's access-token key."""
    return _kid(ensure_access_key(pool))


def _jwk(pem: str) -> dict[str, str]:
    numbers = key_reserve.load_private_key(pem).public_key().public_numbers()
    return {
        "alg": ALGORITHM,
        "e": jws.b64url_uint(numbers.e),
        "kid": _kid(pem),
        "kty": "RSA",
        "n": jws.b64url_uint(numbers.n),
        "use": "sig",
    }


def jwks(pool: UserPool) -> dict[str, list[dict[str, str]]]:
    """The document served at ``/<poolId>/.well-known/jwks.json``: the ID-token key, then the access-token
    key (once when one key signs both: a pinned ``signing_key``)."""
    pems = dict.fromkeys((ensure_signing_key(pool), ensure_access_key(pool)))
    return {"keys": [_jwk(pem) for pem in pems]}


def sign(pool: UserPool, claims: dict[str, Any]) -> str:
    """An RS256 JWT of ``claims``, signed with the pool's key for its ``token_use``."""
    pem = _pem_for(pool, claims)
    return jws.sign(key_reserve.load_private_key(pem), _kid(pem), claims)


# Decoding a token is a pure function of its text (and, verified, of the key): the results are
# cached, so a client presenting the same access token again (GetUser, ...) costs a dict lookup
# instead of a parse and an RSA verification. Only successful decodes are cached; callers get
# a deep copy. The time, issuer and audience checks below run on every call.
_DECODED_CACHE_SIZE = 2048


_header = lru_cache(maxsize=_DECODED_CACHE_SIZE)(jws.header)
_unverified = lru_cache(maxsize=_DECODED_CACHE_SIZE)(jws.claims)


@lru_cache(maxsize=_DECODED_CACHE_SIZE)
def _verified(pem: str, token: str | bytes) -> dict[str, Any]:
    """The payload of ``token`` if the public half of ``pem`` verifies its RS256 signature (no time checks)."""
    return jws.verify(key_reserve.load_private_key(pem).public_key(), token)


def unverified_claims(token: str) -> dict[str, Any]:
    """The claims of a token without any check: only for finding the pool that must then verify it."""
    if not isinstance(token, (str, bytes)):
        raise InvalidToken("malformed")
    try:
        return copy.deepcopy(_unverified(token))
    except jws.MalformedToken as exc:
        raise InvalidToken("malformed") from exc


def _pem_of_kid(pool: UserPool, key_id: Any) -> str | None:
    """The pool's key (either one, already made) whose kid is ``key_id``; a check never makes a key."""
    for pem in (pool.signing_key_pem, pool.access_signing_key_pem):
        if pem is not None and _kid(pem) == key_id:
            return pem
    return None


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
    except jws.MalformedToken as exc:
        raise InvalidToken("malformed") from exc
    pem = _pem_of_kid(pool, header.get("kid"))
    if header.get("alg") != ALGORITHM or pem is None:
        raise InvalidToken("unknown key")
    try:
        claims = copy.deepcopy(_verified(pem, token))
    except jws.MalformedToken as exc:
        raise InvalidToken("malformed") from exc
    except jws.BadSignature as exc:
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
    key = key_reserve.load_private_key(pem)
    name = crypto.x509.Name(
        [
            crypto.x509.NameAttribute(crypto.NameOID.COMMON_NAME, pool_id),
            crypto.x509.NameAttribute(crypto.NameOID.ORGANIZATION_NAME, "cognito-emu"),
            crypto.x509.NameAttribute(crypto.NameOID.LOCALITY_NAME, region),
        ]
    )
    not_before = datetime.fromtimestamp(int(created), UTC)
    # Same key, same certificate: the serial comes from the key, the validity from the pool.
    serial = int.from_bytes(hashlib.sha256(_kid(pem).encode()).digest()[:16], "big") >> 1 or 1
    certificate = (
        crypto.x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=365 * CERTIFICATE_YEARS))
        .add_extension(crypto.x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, crypto.hashes.SHA256())
    )
    return base64.b64encode(certificate.public_bytes(crypto.serialization.Encoding.DER)).decode()


def signing_certificate(pool: UserPool) -> str:
    """GetSigningCertificate's Certificate: a self-signed X.509 certificate for the pool key, base64 DER.

    Cognito signs SAML authentication requests with the key behind this certificate; the emulator
    has one key per pool, so the certificate carries the same public key as the JWKS.
    """
    return _certificate(ensure_signing_key(pool), pool.id, pool.region, pool.created)
