"""Time-based one-time passwords (RFC 6238) as authenticator apps and Cognito compute them.

Cognito's software-token MFA uses the defaults every authenticator app uses: HMAC-SHA-1, a 30-second
step counted from the Unix epoch, 6 digits, and a base32 secret (AssociateSoftwareToken's
SecretCode). Tests get the current code from ``Emulator.totp_code(secret)``, which reads the
emulator's clock, so advancing the clock moves the code along as it would on a phone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct

PERIOD = 30
DIGITS = 6


def decode_secret(secret: str) -> bytes:
    """The key bytes of a base32 secret: case, spaces and hyphens ignored, padding optional."""
    cleaned = secret.replace(" ", "").replace("-", "").upper().rstrip("=")
    if not cleaned:
        raise ValueError("The TOTP secret is empty.")
    try:
        return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except (binascii.Error, ValueError):
        raise ValueError("The TOTP secret is not base32 (letters A-Z and digits 2-7).") from None


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226: the HMAC-SHA-1 of the 8-byte counter, dynamically truncated to ``digits`` digits."""
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def counter_at(at: float, period: int = PERIOD) -> int:
    return int(at // period)


def code(secret: str, at: float, *, digits: int = DIGITS, period: int = PERIOD) -> str:
    """The code an authenticator app shows at epoch second ``at`` for a base32 ``secret``."""
    return hotp(decode_secret(secret), counter_at(at, period), digits)


def matching_step(
    secret: str, candidate: str, at: float, *, window: int = 1, digits: int = DIGITS, period: int = PERIOD
) -> int | None:
    """The time step whose code ``candidate`` is: the step at ``at`` or one of ``window`` steps either
    side (clock drift between the phone and the server); None when it is none of them."""
    if not candidate.isdigit() or len(candidate) != digits:
        return None
    key = decode_secret(secret)
    now = counter_at(at, period)
    for step in range(max(now - window, 0), now + window + 1):
        if hmac.compare_digest(hotp(key, step, digits), candidate):
            return step
    return None
