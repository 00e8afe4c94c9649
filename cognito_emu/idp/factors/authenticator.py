"""What a WebAuthn authenticator and browser hand over, decoded and checked: base64url members,
clientDataJSON, authenticator data (W3C Web Authentication level 3, section 6.1), COSE public keys
(RFC 9053: ES256 and RS256), signatures and the "none" / "packed" attestation statements.
``idp.factors.webauthn`` runs the ceremonies with them.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, TypeAlias

from cognito_emu import crypto
from cognito_emu.errors import InvalidParameterException, WebAuthnCredentialNotSupportedException
from cognito_emu.idp.factors import cbor

ES256 = -7
RS256 = -257

# authenticator data flags
FLAG_UP = 0x01
FLAG_UV = 0x04
FLAG_AT = 0x40
FLAG_ED = 0x80

NOT_SUPPORTED = "The passkey credential is not supported: {reason}."
INVALID_CREDENTIAL = "Invalid WebAuthn credential: {reason}."


# -- base64url --------------------------------------------------------------------------


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_decode(value: Any, what: str, error: type[Exception] = InvalidParameterException) -> bytes:
    if not isinstance(value, str) or not value:
        raise error(INVALID_CREDENTIAL.format(reason=f"{what} is missing"))
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise error(INVALID_CREDENTIAL.format(reason=f"{what} is not base64url")) from None


# -- authenticator data ------------------------------------------------------------------------


@dataclass(slots=True)
class AuthenticatorData:
    rp_id_hash: bytes
    flags: int
    sign_count: int
    aaguid: bytes = b""
    credential_id: bytes = b""
    cose_key: dict[Any, Any] | None = None


def parse_authenticator_data(raw: bytes, error: type[Exception]) -> AuthenticatorData:
    """rpIdHash (32) | flags (1) | signCount (4) | [attested credential data] | [extensions]."""
    if len(raw) < 37:
        raise error(INVALID_CREDENTIAL.format(reason="authenticator data is too short"))
    data = AuthenticatorData(raw[:32], raw[32], int.from_bytes(raw[33:37], "big"))
    offset = 37
    try:
        if data.flags & FLAG_AT:
            if len(raw) < offset + 18:
                raise cbor.CBORError("attested credential data is too short")
            data.aaguid = raw[offset : offset + 16]
            length = int.from_bytes(raw[offset + 16 : offset + 18], "big")
            offset += 18
            data.credential_id = raw[offset : offset + length]
            if len(data.credential_id) != length:
                raise cbor.CBORError("credential id runs past the end")
            key, offset = cbor.decode(raw, offset + length)
            if not isinstance(key, dict):
                raise cbor.CBORError("the credential public key is not a COSE map")
            data.cose_key = key
        if data.flags & FLAG_ED:
            _, offset = cbor.decode(raw, offset)
    except cbor.CBORError as exc:
        raise error(INVALID_CREDENTIAL.format(reason=str(exc))) from None
    if offset != len(raw):
        raise error(INVALID_CREDENTIAL.format(reason="authenticator data has trailing bytes"))
    return data


PublicKey: TypeAlias = "crypto.ec.EllipticCurvePublicKey | crypto.rsa.RSAPublicKey"


def cose_public_key(key: dict[Any, Any]) -> tuple[PublicKey, int]:
    """A COSE_Key (RFC 9053) of an ES256 (EC2 P-256) or RS256 (RSA) credential, and its algorithm."""
    kty, alg = key.get(1), key.get(3)
    try:
        if kty == 2 and alg == ES256 and key.get(-1) == 1:
            x, y = key.get(-2), key.get(-3)
            if not (isinstance(x, bytes) and isinstance(y, bytes) and len(x) == len(y) == 32):
                raise ValueError("bad EC2 coordinates")
            point = b"\x04" + x + y
            return crypto.ec.EllipticCurvePublicKey.from_encoded_point(crypto.ec.SECP256R1(), point), ES256
        if kty == 3 and alg == RS256:
            n, e = key.get(-1), key.get(-2)
            if not (isinstance(n, bytes) and isinstance(e, bytes)):
                raise ValueError("bad RSA key")
            numbers = crypto.rsa.RSAPublicNumbers(int.from_bytes(e, "big"), int.from_bytes(n, "big"))
            return numbers.public_key(), RS256
    except ValueError:
        raise WebAuthnCredentialNotSupportedException(
            NOT_SUPPORTED.format(reason="the public key is malformed")
        ) from None
    raise WebAuthnCredentialNotSupportedException(
        NOT_SUPPORTED.format(reason=f"key type {kty} with algorithm {alg} (ES256 -7 and RS256 -257 are)")
    )


def verify_signature(public_key: Any, algorithm: int, signature: bytes, signed: bytes) -> bool:
    try:
        if algorithm == ES256 and isinstance(public_key, crypto.ec.EllipticCurvePublicKey):
            public_key.verify(signature, signed, crypto.ec.ECDSA(crypto.hashes.SHA256()))
            return True
        if algorithm == RS256 and isinstance(public_key, crypto.rsa.RSAPublicKey):
            public_key.verify(signature, signed, crypto.padding.PKCS1v15(), crypto.hashes.SHA256())
            return True
    except (crypto.InvalidSignature, ValueError):
        return False
    return False


def pem(public_key: PublicKey) -> str:
    return public_key.public_bytes(
        crypto.serialization.Encoding.PEM, crypto.serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


# -- client data -------------------------------------------------------------------------------


def parse_client_data(raw: bytes, error: type[Exception]) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict):
        raise error(INVALID_CREDENTIAL.format(reason="clientDataJSON is not a JSON object"))
    return data


def credential_response(credential: Any, error: type[Exception]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The credential and its ``response`` member, with id == rawId and type public-key."""
    if not isinstance(credential, dict) or not isinstance(credential.get("response"), dict):
        raise error(INVALID_CREDENTIAL.format(reason="response is missing"))
    if credential.get("type", "public-key") != "public-key":
        raise error(INVALID_CREDENTIAL.format(reason="type must be public-key"))
    raw_id = credential.get("rawId", credential.get("id"))
    if not isinstance(credential.get("id"), str) or credential["id"] != raw_id:
        raise error(INVALID_CREDENTIAL.format(reason="id and rawId must be the same base64url string"))
    return credential, credential["response"]


def check_attestation(attestation: dict[str, Any], signed: bytes, public_key: Any, algorithm: int) -> None:
    """fmt "none" (empty statement) or "packed" (self attestation, or x5c whose leaf signs; the chain
    is not checked: an emulator trusts no attestation roots). Other formats are not supported."""
    fmt, statement = attestation.get("fmt"), attestation.get("attStmt")
    if not isinstance(statement, dict):
        raise InvalidParameterException(INVALID_CREDENTIAL.format(reason="attStmt must be a map"))
    if fmt == "none":
        if statement:
            raise InvalidParameterException(INVALID_CREDENTIAL.format(reason="fmt none has a statement"))
        return
    if fmt != "packed":
        raise WebAuthnCredentialNotSupportedException(
            NOT_SUPPORTED.format(reason=f"attestation format {fmt!r} (none and packed are)")
        )
    signature, alg, chain = statement.get("sig"), statement.get("alg"), statement.get("x5c")
    if not isinstance(signature, bytes) or not isinstance(alg, int):
        raise InvalidParameterException(INVALID_CREDENTIAL.format(reason="packed attStmt needs alg and sig"))
    key = public_key
    if chain:
        try:
            key = crypto.x509.load_der_x509_certificate(chain[0]).public_key()
        except (ValueError, TypeError, IndexError):
            raise InvalidParameterException(INVALID_CREDENTIAL.format(reason="x5c is malformed")) from None
    elif alg != algorithm:
        raise InvalidParameterException(
            INVALID_CREDENTIAL.format(reason="self attestation alg differs from the key's")
        )
    if not verify_signature(key, alg, signature, signed):
        raise InvalidParameterException(INVALID_CREDENTIAL.format(reason="attestation signature is invalid"))
