"""Proof Key for Code Exchange (RFC 7636).

Cognito's authorize endpoint takes only ``S256``: "The PKCE RFC defines two methods, S256 and plain;
however, Amazon Cognito authentication server supports only S256" (developer guide, "Authorize
endpoint"); any other method is an ``invalid_request``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

METHODS = ("S256",)
# code-verifier = 43*128unreserved (RFC 7636 section 4.1)
_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def verify(challenge: str, method: str, verifier: str) -> bool:
    """Whether ``verifier`` answers ``challenge``, made with ``method``."""
    if not _VERIFIER.fullmatch(verifier) or method not in METHODS:
        return False
    return hmac.compare_digest(s256(verifier), challenge)
