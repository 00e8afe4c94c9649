"""``/<userPoolId>/.well-known/jwks.json`` and ``/<userPoolId>/.well-known/openid-configuration``.

Verifiers (aws-jwt-verify, PyJWKClient, pycognito) fetch these from ``<iss>``; the document's URLs
are absolute and built from the URL the client called, the ``issuer`` from ``tokens.issuer``.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from cognito_emu.env import Env
from cognito_emu.idp import keys, tokens
from cognito_emu.idp.models import UserPool
from cognito_emu.oauth import routing
from cognito_emu.web.aws_endpoint import base_url


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


def _with_pool(env: Env, pool_id: str, render: Any) -> Response:
    state = env.state
    with state.lock:
        pool: UserPool | None = state.find_pool(pool_id)
        if pool is None:
            return _json({"message": f"User pool {pool_id} does not exist."}, 404)
        return _json(render(pool))


def jwks(env: Env, request: Request, pool_id: str) -> Response:
    return _with_pool(env, pool_id, keys.jwks)


def openid_configuration(env: Env, request: Request, pool_id: str) -> Response:
    base = base_url(request.environ).rstrip("/")

    def render(pool: UserPool) -> dict[str, Any]:
        # The hosted endpoints: on the pool's domain Host, under /_oauth/<domain> (cognito_emu.oauth.routing).
        oauth = routing.endpoints_base(env.state, base, request.host or "", pool)
        return {
            "authorization_endpoint": f"{oauth}/oauth2/authorize",
            "end_session_endpoint": f"{oauth}/logout",
            "id_token_signing_alg_values_supported": [keys.ALGORITHM],
            "issuer": tokens.issuer(env, base, pool),
            "jwks_uri": f"{base}/{pool.id}/.well-known/jwks.json",
            "response_types_supported": ["code", "token"],
            "revocation_endpoint": f"{oauth}/oauth2/revoke",
            "scopes_supported": ["openid", "email", "phone", "profile"],
            "subject_types_supported": ["public"],
            "token_endpoint": f"{oauth}/oauth2/token",
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "userinfo_endpoint": f"{oauth}/oauth2/userInfo",
        }

    return _with_pool(env, pool_id, render)


# Endpoints are the view functions themselves: the app calls them with (env, request, **args).
RULES = [
    Rule("/<pool_id>/.well-known/jwks.json", methods=["GET"], endpoint=jwks),
    Rule("/<pool_id>/.well-known/openid-configuration", methods=["GET"], endpoint=openid_configuration),
]
