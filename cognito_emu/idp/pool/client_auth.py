"""How an app client with a secret proves it is itself: the one place every endpoint checks it.

- SECRET_HASH (sign-in, sign-up, recovery, challenge answers, refresh): Base64(HMAC-SHA256(key=secret,
  message=username + client id)), as clients compute it.
- The secret itself: GetTokensFromRefreshToken and RevokeToken take ClientSecret, the OAuth token and
  revocation endpoints take it as client_secret_basic or client_secret_post (``oauth.client_auth``).

Either proof is accepted with any current secret (two exist while one is being rotated), compared in
constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cognito_emu.errors import NotAuthorizedException
from cognito_emu.idp.models import AppClient


def secret_hash(secret: str, username: str, client_id: str) -> str:
    """SECRET_HASH as clients compute it."""
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def check_secret_hash(client: AppClient, username: str, received: str | None) -> None:
    """A client without a secret needs none; one with a secret needs a SECRET_HASH made with it."""
    if not client.secrets:
        return
    if not received:
        raise NotAuthorizedException(
            f"Client {client.client_id} is configured with secret but SECRET_HASH was not received"
        )
    for secret in client.secrets:
        if hmac.compare_digest(secret_hash(secret.value, username, client.client_id), received):
            return
    raise NotAuthorizedException(f"Unable to verify secret hash for client {client.client_id}")


def secret_matches(client: AppClient, given: str | None) -> bool:
    """Whether ``given`` is one of the client's current secrets."""
    return any(hmac.compare_digest(secret.value.encode(), (given or "").encode()) for secret in client.secrets)
