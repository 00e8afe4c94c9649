"""Compact RSA JSON Web Signatures (RFC 7515): the tokens of user pools (RS256) and of the identity
service (RS512, as the keys at ``https://cognito-identity.amazonaws.com/.well-known/jwks_uri`` say).

Written here rather than taken from PyJWT: the header must be exactly ``{"kid": ..., "alg": ...}``
in that order (PyJWT adds ``typ`` and sorts the members), and importing PyJWT loads all of
``cryptography.x509`` at start-up. A token is accepted only with the algorithm its caller expects;
time, issuer and audience checks are the callers'.
"""

from __future__ import annotations

import base64
import binascii
import json
from functools import lru_cache
from typing import Any

from cognito_emu import crypto

ALGORITHM = "RS256"
RS512 = "RS512"


class MalformedToken(ValueError):
    """Not three base64url parts with a JSON object header and payload."""


class BadSignature(ValueError):
    pass


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_uint(value: int) -> str:
    """A JWK member (``n``, ``e``): the big-endian bytes of ``value``, base64url."""
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _unb64url(part: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as exc:
        raise MalformedToken("not base64url") from exc


def _object(part: str) -> dict[str, Any]:
    try:
        value = json.loads(_unb64url(part))
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedToken("not JSON") from exc
    if not isinstance(value, dict):
        raise MalformedToken("not a JSON object")
    return value


@lru_cache(maxsize=256)
def _header(kid: str, alg: str) -> str:
    return b64url(json.dumps({"kid": kid, "alg": alg}, separators=(",", ":")).encode())


def _digest(alg: str) -> crypto.hashes.HashAlgorithm:
    # Looked up per call: ``crypto`` loads cryptography only when a key is first used.
    return crypto.hashes.SHA512() if alg == RS512 else crypto.hashes.SHA256()


def sign(key: crypto.rsa.RSAPrivateKey, kid: str, claims: dict[str, Any], alg: str = ALGORITHM) -> str:
    header = _header(kid, alg)
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}"
    signature = key.sign(signing_input.encode(), crypto.padding.PKCS1v15(), _digest(alg))
    return f"{signing_input}.{b64url(signature)}"


def _parts(token: str | bytes) -> list[str]:
    text = token.decode("ascii", "replace") if isinstance(token, bytes) else token
    parts = text.split(".")
    if len(parts) != 3:
        raise MalformedToken("not three parts")
    return parts


def header(token: str | bytes) -> dict[str, Any]:
    """The token's header, unchecked."""
    return _object(_parts(token)[0])


def claims(token: str | bytes) -> dict[str, Any]:
    """The token's payload, unchecked."""
    return _object(_parts(token)[1])


def verify(key: crypto.rsa.RSAPublicKey, token: str | bytes, alg: str = ALGORITHM) -> dict[str, Any]:
    """The payload of ``token`` if it is ``alg``-signed by ``key``; MalformedToken or BadSignature if not."""
    head, payload, signature = _parts(token)
    if _object(head).get("alg") != alg:
        raise BadSignature(f"not {alg}")
    try:
        key.verify(_unb64url(signature), f"{head}.{payload}".encode(), crypto.padding.PKCS1v15(), _digest(alg))
    except crypto.InvalidSignature as exc:
        raise BadSignature("bad signature") from exc
    return _object(payload)
