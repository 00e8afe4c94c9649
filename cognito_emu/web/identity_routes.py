"""Identity-service HTTP routes beside the AWS endpoint.

- ``GET /.well-known/jwks_uri`` and ``GET /_emu/identity/jwks.json``: the public keys of the OpenID
  tokens GetOpenIdToken and GetOpenIdTokenForDeveloperIdentity sign (``cognito_emu.identity.openid``).
- ``GET /_emu/credentials/<AccessKeyId>``: what credentials from GetCredentialsForIdentity were
  issued for: ``{accessKeyId, identityId, identityPoolId, roleArn, principalTags, logins,
  expiration}``; 404 for a key the emulator did not issue.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from cognito_emu.env import Env
from cognito_emu.identity import credentials, openid
from cognito_emu.identity.models import IssuedCredentials


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


def _issued(record: IssuedCredentials) -> dict[str, Any]:
    return {
        "accessKeyId": record.access_key_id,
        "identityId": record.identity_id,
        "identityPoolId": record.identity_pool_id,
        "roleArn": record.role_arn,
        "principalTags": record.principal_tags,
        "logins": record.providers,
        "expiration": record.expiration,
    }


def jwks(env: Env, request: Request) -> Response:
    with env.state.lock:
        return _json(openid.jwks(env.state))


def issued_credentials(env: Env, request: Request, access_key_id: str) -> Response:
    with env.state.lock:
        record = credentials.find(env, access_key_id)
        if record is None:
            return _json(
                {"error": "Not Found", "message": f"No credentials {access_key_id} were issued."}, 404
            )
        return _json(_issued(record))


RULES = [
    Rule("/.well-known/jwks_uri", methods=["GET"], endpoint=jwks),
    Rule("/_emu/identity/jwks.json", methods=["GET"], endpoint=jwks),
    Rule("/_emu/credentials/<access_key_id>", methods=["GET"], endpoint=issued_credentials),
]
