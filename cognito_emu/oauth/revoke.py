"""``POST /oauth2/revoke``: revoke a refresh token and every access token issued from it.

Developer guide, "Revoke endpoint": client authentication as at the token endpoint; 400
``invalid_request`` without ``token`` or when the client has token revocation turned off, 400
``unsupported_token_type`` for a token that is not a refresh token (an ID or access token), 401
``invalid_client``; 200 with an empty body when the token was revoked or is not one of this client's.
"""

from __future__ import annotations

from cognito_emu.env import Env
from cognito_emu.errors import UnsupportedOperationException, UnsupportedTokenTypeException
from cognito_emu.idp import tokens
from cognito_emu.oauth import client_auth
from cognito_emu.oauth.errors import OAuthError
from cognito_emu.oauth.token import check_form
from cognito_emu.oauth.wire import OAuthRequest, Reply


def revoke(env: Env, request: OAuthRequest) -> Reply:
    check_form(request)
    pool, client = client_auth.authenticate(request, env.state.find_pool_by_client)
    token = request.form.get("token")
    if not token:
        raise OAuthError("invalid_request", "missing token")
    try:
        tokens.revoke(env, pool, client, token)
    except UnsupportedOperationException:
        raise OAuthError("invalid_request", "token revocation is turned off for this client") from None
    except UnsupportedTokenTypeException:
        raise OAuthError("unsupported_token_type", "only refresh tokens can be revoked") from None
    return Reply(status=200, body="", content_type="application/json")
