"""Identity-service HTTP routes beside the AWS endpoint.

- ``GET /.well-known/jwks_uri`` and ``GET /_emu/identity/jwks.json``: the public keys of the OpenID
  tokens GetOpenIdToken and GetOpenIdTokenForDeveloperIdentity sign (``cognito_emu.identity.openid``).
- ``GET /_emu/credentials/<AccessKeyId>``: what credentials from GetCredentialsForIdentity were
  issued for: ``{accessKeyId, identityId, identityPoolId, roleArn, principalTags, logins,
  expiration}``; 404 for a key the emulator did not issue.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from cognito_emu.identity import credentials, openid

if TYPE_CHECKING:
    from cognito_emu.emulator import Emulator


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


def jwks(emulator: Emulator, request: Request) -> Response:
    with emulator.state.lock:
        return _json(openid.jwks(emulator.state))


def issued_credentials(emulator: Emulator, request: Request, access_key_id: str) -> Response:
    with emulator.state.lock:
        record = credentials.find(emulator.env, access_key_id)
        if record is None:
            return _json(
                {"error": "Not Found", "message": f"No credentials {access_key_id} were issued."}, 404
            )
        return _json(credentials.present(record))


RULES = [
    Rule("/.well-known/jwks_uri", methods=["GET"], endpoint=jwks),
    Rule("/_emu/identity/jwks.json", methods=["GET"], endpoint=jwks),
    Rule("/_emu/credentials/<access_key_id>", methods=["GET"], endpoint=issued_credentials),
]
