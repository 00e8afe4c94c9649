"""AWS calls do not load the other routes: Werkzeug and ``cognito_emu.web.site`` come in with the first
request that needs them (the control API, well-known documents, hosted login, ...), which then works.
Likewise gmpy2 comes with the first password (SRP) and the email package with the first mail to send.

Run in a fresh interpreter, since this test process has long imported everything."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import json
    import sys

    from cognito_emu.emulator import Emulator
    from cognito_emu.testing.wsgi_client import call_wsgi

    LAZY = ("werkzeug", "cognito_emu.web.site", "cognito_emu.web.control", "cognito_emu.oauth.authorize", "gmpy2")
    emulator = Emulator()
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
    jwks = call_wsgi(emulator.app, "GET", f"http://localhost/{pool_id}/.well-known/jwks.json", {}, b"")
    assert jwks.status == 200 and len(json.loads(jwks.body)["keys"]) == 2, jwks.body
    assert all(name in sys.modules for name in LAZY[:3])
    headers["X-Amz-Target"] = "AWSCognitoIdentityProviderService.AdminCreateUser"
    body = json.dumps({"UserPoolId": pool_id, "Username": "u", "TemporaryPassword": "Passw0rd!x"})
    assert call_wsgi(emulator.app, "POST", "http://localhost/", headers, body.encode()).status == 200
    assert "gmpy2" in sys.modules
    print("ok")
    """
)


def test_aws_calls_leave_the_other_routes_unloaded_until_needed() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "ok"
