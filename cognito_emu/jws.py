"""Compact RS256 JSON Web Signatures (RFC 7515): the tokens of user pools and of the identity service.

Written here rather than taken from PyJWT: the header must be exactly ``{"kid": ..., "alg": "RS256"}``
in that order (PyJWT adds ``typ`` and sorts the members), and importing PyJWT loads all of
``cryptography.x509`` at start-up. Only RS256 is produced or accepted; time, issuer and audience
checks are the callers'.
"""

from __future__ import annotations

import base64
import binascii
import json
from functools import lru_cache
from typing import Any

from cognito_emu import crypto

ALGORITHM = "RS256"


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
def _header(kid: str) -> str:
    return b64url(json.dumps({"kid": kid, "alg": ALGORITHM}, separators=(",", ":")).encode())


def sign(key: crypto.rsa.RSAPrivateKey, kid: str, claims: dict[str, Any]) -> str:
    header = _header(kid)
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}"
    signature = key.sign(signing_input.encode(), crypto.padding.PKCS1v15(), crypto.hashes.SHA256())
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


def verify(key: crypto.rsa.RSAPublicKey, token: str | bytes) -> dict[str, Any]:
    """The payload of ``token`` if it is RS256-signed by ``key``; MalformedToken or BadSignature if not."""
    head, payload, signature = _parts(token)
    if _object(head).get("alg") != ALGORITHM:
        raise BadSignature("not RS256")
    try:
        key.verify(_unb64url(signature), f"{head}.{payload}".encode(), crypto.padding.PKCS1v15(), crypto.hashes.SHA256())
    except crypto.InvalidSignature as exc:
        raise BadSignature("bad signature") from exc
    return _object(payload)
