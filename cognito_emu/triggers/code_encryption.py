"""The code a CustomEmailSender / CustomSMSSender handler receives, encrypted the way Cognito does it.

Cognito encrypts ``request.code`` with the AWS Encryption SDK under the pool's ``KMSKeyID`` and sends it
base64-encoded; the handler decrypts it with the SDK and a KMS keyring (developer guide, "Custom sender
Lambda triggers"). The emulator has no KMS, so:

- with the ``aws-encryption-sdk`` package installed, the code is an Encryption SDK message (the SDK's
  default algorithm suite, encryption context ``{"userpool-id": <pool id>}``) whose data key is wrapped
  by a *raw AES-256 key* instead of KMS: provider id ``cognito-emu``, key id the pool's KMSKeyID. Any
  Encryption SDK (Python, JavaScript, Java) with a raw AES keyring of that namespace, name and key
  (``wrapping_key(key_id)``) decrypts it;
- without the package, an envelope of the emulator's own: base64 of ``b"CEMU1"``, the pool id and the
  key id (each a 2-byte big-endian length and UTF-8), a 12-byte nonce, and AES-256-GCM(code) under
  ``wrapping_key(key_id)`` with the pool id as associated data.

``decrypt_code`` reads both. The wrapping key is derived from the key id (HKDF-SHA256 over a fixed
emulator secret), so a handler running in another process (``cmd:``, HTTP) decrypts without talking
to the emulator. It protects nothing: these are test codes.
"""

from __future__ import annotations

import base64
import binascii
import io
import struct
from typing import Any

from cognito_emu import crypto
from cognito_emu.env import Env

PROVIDER_ID = "cognito-emu"
CONTEXT_KEY = "userpool-id"
_SECRET = b"cognito-emu custom sender code key"
_ENVELOPE_MAGIC = b"CEMU1"


class CodeDecryptionError(ValueError):
    """The value is not a code the emulator encrypted."""


def wrapping_key(key_id: str) -> bytes:
    """The raw AES-256 key standing in for the KMS key ``key_id``."""
    return crypto.HKDF(algorithm=crypto.hashes.SHA256(), length=32, salt=None, info=key_id.encode()).derive(_SECRET)


def sdk_available() -> bool:
    try:
        import aws_encryption_sdk  # noqa: F401
    except ImportError:
        return False
    return True


def encrypt_code(env: Env, pool_id: str, key_id: str | None, code: str) -> str:
    """``code`` as the base64 string a custom sender handler finds in ``request.code``."""
    key_id = key_id or ""
    if sdk_available():
        return base64.b64encode(_sdk_encrypt(pool_id, key_id, code.encode())).decode()
    nonce = env.ids.token_bytes(12)
    sealed = crypto.AESGCM(wrapping_key(key_id)).encrypt(nonce, code.encode(), pool_id.encode())
    blob = _ENVELOPE_MAGIC + _field(pool_id) + _field(key_id) + nonce + sealed
    return base64.b64encode(blob).decode()


def decrypt_code(encrypted: str) -> str:
    """The plain code behind a custom sender's ``request.code`` (CodeDecryptionError if it is not one)."""
    try:
        blob = base64.b64decode(encrypted, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise CodeDecryptionError("not base64") from None
    if blob.startswith(_ENVELOPE_MAGIC):
        return _envelope_decrypt(blob[len(_ENVELOPE_MAGIC) :])
    if not sdk_available():
        raise CodeDecryptionError("an Encryption SDK message: install aws-encryption-sdk to read it")
    return _sdk_decrypt(blob).decode()


def _field(text: str) -> bytes:
    raw = text.encode()
    return struct.pack(">H", len(raw)) + raw


def _envelope_decrypt(body: bytes) -> str:
    try:
        (length,) = struct.unpack(">H", body[:2])
        pool_id = body[2 : 2 + length]
        body = body[2 + length :]
        (length,) = struct.unpack(">H", body[:2])
        key_id = body[2 : 2 + length].decode()
        nonce, sealed = body[2 + length : 14 + length], body[14 + length :]
        return crypto.AESGCM(wrapping_key(key_id)).decrypt(nonce, sealed, pool_id).decode()
    except (struct.error, UnicodeDecodeError, ValueError, crypto.InvalidTag):
        raise CodeDecryptionError("not an emulator-encrypted code") from None


# -- the AWS Encryption SDK path ---------------------------------------------------------------------


def _provider(key_id: str | None = None) -> Any:
    from aws_encryption_sdk.identifiers import EncryptionKeyType, WrappingAlgorithm
    from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
    from aws_encryption_sdk.key_providers.raw import RawMasterKeyProvider

    class EmulatorKeys(RawMasterKeyProvider):
        """Raw AES keys standing in for the pool's KMS key, derived from each key id."""

        provider_id = PROVIDER_ID

        def _get_raw_key(self, key_id: bytes | str) -> WrappingKey:
            name = key_id.decode() if isinstance(key_id, bytes) else key_id
            return WrappingKey(
                wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
                wrapping_key=wrapping_key(name),
                wrapping_key_type=EncryptionKeyType.SYMMETRIC,
            )

    provider = EmulatorKeys()
    if key_id is not None:
        provider.add_master_key(key_id.encode())
    return provider


def _client() -> Any:
    import aws_encryption_sdk
    from aws_encryption_sdk.identifiers import CommitmentPolicy

    return aws_encryption_sdk.EncryptionSDKClient(
        commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
    )


def _sdk_encrypt(pool_id: str, key_id: str, plaintext: bytes) -> bytes:
    ciphertext, _ = _client().encrypt(
        source=plaintext, key_provider=_provider(key_id), encryption_context={CONTEXT_KEY: pool_id}
    )
    return bytes(ciphertext)


def _sdk_decrypt(blob: bytes) -> bytes:
    from aws_encryption_sdk.exceptions import AWSEncryptionSDKClientError
    from aws_encryption_sdk.internal.formatting.deserialize import deserialize_header

    provider = _provider()
    try:
        header, _ = deserialize_header(io.BytesIO(blob))
        for key in header.encrypted_data_keys:
            if key.key_provider.provider_id == PROVIDER_ID:
                # A raw AES key's info: the key id, then tag length (4 bytes), IV length (4) and IV (12).
                provider.add_master_key(bytes(key.key_provider.key_info)[:-20])
    except AWSEncryptionSDKClientError as error:
        raise CodeDecryptionError(f"not an Encryption SDK message: {error}") from None
    try:
        plaintext, _ = _client().decrypt(source=blob, key_provider=provider)
    except AWSEncryptionSDKClientError as error:
        raise CodeDecryptionError(f"not an emulator-encrypted code: {error}") from None
    return bytes(plaintext)
