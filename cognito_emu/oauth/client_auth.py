"""Who is calling the token and revocation endpoints: client_secret_basic, client_secret_post, or a
public client's bare ``client_id``.

The Basic credentials are ``Base64(urlencode(client_id):urlencode(client_secret))`` (RFC 6749 section
2.3.1), so both halves are form-decoded: openid-client sends ``-`` as ``%2D``. A wrong or missing
secret, a secret for a public client, or an unknown client answers ``invalid_client`` (HTTP 401).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from urllib.parse import unquote_plus

from cognito_emu.idp.models import AppClient, UserPool
from cognito_emu.idp.pool import client_auth
from cognito_emu.oauth.errors import OAuthError
from cognito_emu.oauth.wire import OAuthRequest


def _basic(authorization: str | None) -> tuple[str, str] | None:
    if not authorization:
        return None
    scheme, _, encoded = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_client", "malformed Basic credentials") from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise OAuthError("invalid_client", "Basic credentials without a ':'")
    return unquote_plus(client_id), unquote_plus(secret)


def authenticate(
    request: OAuthRequest, find_pool: Callable[[str], UserPool | None]
) -> tuple[UserPool, AppClient]:
    """The pool and app client the request authenticates as, or ``invalid_client`` / ``invalid_request``.

    ``find_pool`` is ``State.find_pool_by_client``; a request that came through a domain must name a
    client of that domain's pool.
    """
    basic = _basic(request.authorization)
    form_id = request.form.get("client_id")
    secret: str | None
    if basic is not None:
        client_id, secret = basic
        if form_id and form_id != client_id:
            raise OAuthError("invalid_client", "client_id differs from the Basic credentials")
    else:
        if not form_id:
            raise OAuthError("invalid_request", "no client_id and no Basic credentials")
        client_id, secret = form_id, request.form.get("client_secret")
    pool = find_pool(client_id)
    if pool is None or (request.pool is not None and pool.id != request.pool.id):
        raise OAuthError("invalid_client", f"no app client {client_id} in this user pool")
    client: AppClient = pool.clients[client_id]
    if client.secrets:
        if not secret:
            raise OAuthError("invalid_client", f"client {client_id} has a secret and none was sent")
        if not client_auth.secret_matches(client, secret):
            raise OAuthError("invalid_client", f"wrong client secret for {client_id}")
    elif secret:
        raise OAuthError("invalid_client", f"client {client_id} is a public client and has no secret")
    return pool, client
