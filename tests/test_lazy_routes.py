"""AWS calls do not load the other routes: Werkzeug and ``cognito_emu.web.site`` come in with the first
request that needs them (the control API, well-known documents, hosted login, ...), which then works.
Likewise gmpy2 comes with the first password (SRP), ``regex`` with the first value whose model pattern
``re`` cannot read (a username's), the email package with the first mail to send (the
HTTP server dates its answers without it), subprocess with the first command trigger, and
cryptography with the first key a pool needs (its first token or JWKS): CreateUserPool makes none.
The handler modules (``cognito_emu.ops``) come one by one with their first call, through the index of
them that a start makes when it is missing (``cognito_emu.dispatch``).

Run in a fresh interpreter, since this test process has long imported everything."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from cognito_emu import dispatch
from cognito_emu.idp import key_reserve

SCRIPT = textwrap.dedent(
    """
    import json
    import sys

    import cognito_emu.cli
    import cognito_emu.http_server
    from cognito_emu.emulator import Emulator

    # What a server's start imports leaves these to the requests that need them: the email package to
    # the first mail, subprocess and shlex to the first command trigger, html to the first XML refusal.
    emulator = Emulator()
    STARTED_WITHOUT = ("email", "subprocess", "shlex", "html")
    assert not [name for name in STARTED_WITHOUT if name in sys.modules], sys.modules.keys() & STARTED_WITHOUT

    from cognito_emu.testing.wsgi_client import call_wsgi

    ROUTES = ("werkzeug", "cognito_emu.web.site", "cognito_emu.web.control", "cognito_emu.oauth.authorize")
    HANDLERS = ("cognito_emu.ops.users", "cognito_emu.ops.clients", "cognito_emu.ops.auth")
    LAZY = (*ROUTES, *HANDLERS, "cognito_emu.ops.identity_pools", "gmpy2", "cryptography", "regex")
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityProviderService.CreateUserPool",
    }
    created = call_wsgi(emulator.app, "POST", "http://localhost/", headers, b'{"PoolName": "p"}')
    assert created.status == 200, created.body
    pool_id = json.loads(created.body)["UserPool"]["Id"]
    preflight = call_wsgi(emulator.app, "OPTIONS", "http://localhost/", {"Origin": "http://a.test"}, b"")
    assert preflight.status == 204
    loaded = [name for name in LAZY if name in sys.modules]
    assert not loaded, loaded
    health = call_wsgi(emulator.app, "GET", "http://localhost/_emu/health", {}, b"")
    assert health.status == 200 and json.loads(health.body)["status"] == "ok", health.body
    assert "cryptography" not in sys.modules

    def call(operation, params):
        headers["X-Amz-Target"] = f"AWSCognitoIdentityProviderService.{operation}"
        answer = call_wsgi(emulator.app, "POST", "http://localhost/", headers, json.dumps(params).encode())
        assert answer.status == 200, answer.body
        return json.loads(answer.body)

    call("AdminCreateUser", {"UserPoolId": pool_id, "Username": "u", "TemporaryPassword": "Passw0rd!x"})
    assert "gmpy2" in sys.modules
    # A username's pattern (Unicode property classes) is the first that re cannot read.
    assert "regex" in sys.modules
    password = {"UserPoolId": pool_id, "Username": "u", "Password": "Passw0rd!y", "Permanent": True}
    call("AdminSetUserPassword", password)
    client = call(
        "CreateUserPoolClient",
        {"UserPoolId": pool_id, "ClientName": "c", "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH"]},
    )["UserPoolClient"]
    signed_in = call(
        "AdminInitiateAuth",
        {
            "UserPoolId": pool_id,
            "ClientId": client["ClientId"],
            "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "u", "PASSWORD": "Passw0rd!y"},
        },
    )
    assert "cryptography" in sys.modules
    user = call("GetUser", {"AccessToken": signed_in["AuthenticationResult"]["AccessToken"]})
    assert user["Username"] == "u"
    jwks = call_wsgi(emulator.app, "GET", f"http://localhost/{pool_id}/.well-known/jwks.json", {}, b"")
    assert jwks.status == 200 and len(json.loads(jwks.body)["keys"]) == 2, jwks.body
    assert all(name in sys.modules for name in ROUTES[:3])
    assert all(name in sys.modules for name in HANDLERS)
    assert "cognito_emu.ops.identity_pools" not in sys.modules
    print("ok")
    """
)


def test_aws_calls_leave_the_other_routes_unloaded_until_needed(tmp_path: Path) -> None:
    # A store with more keys than the reserve keeps, so CreateUserPool starts no thread making keys
    # (which would import cryptography beside the calls, as it should when keys run short).
    store = tmp_path / "signing-keys.pem"
    for _ in range(key_reserve.RESERVE_SIZE + 1):
        assert key_reserve.add_to_store(store, key_reserve.generate_pem())
    # The index of the handler modules, as a server's start makes it when it is missing.
    dispatch.prepare()
    environment = {**os.environ, key_reserve.STORE_SETTING: str(store)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, env=environment
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "ok"
