"""Helpers of the trigger tests: pools wired to a trigger, handler paths, a tiny HTTP target."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cognito_emu.emulator import Emulator
from cognito_emu.triggers.registry import DEFAULT_TIMEOUT_SECONDS, TriggerRegistry

HANDLERS = Path(__file__).parent / "handlers"
ACCOUNT = "123456789012"
REGION = "us-east-1"


def arn(name: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"


def handler(file: str, function: str = "handler") -> str:
    return f"{HANDLERS / file}:{function}"


def make_pool(idp: Any, lambda_config: dict[str, Any], **settings: Any) -> tuple[str, str]:
    """A pool with ``lambda_config`` (email auto-verified) and a client allowing password sign-in."""
    settings.setdefault("AutoVerifiedAttributes", ["email"])
    pool_id = idp.create_user_pool(PoolName="triggers", LambdaConfig=lambda_config, **settings)["UserPool"][
        "Id"
    ]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=[
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
        ],
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


@contextmanager
def http_target(
    answer: Callable[[dict[str, Any]], tuple[int, Any]],
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A tiny HTTP server on 127.0.0.1: each POSTed event goes to ``answer`` -> (status, body)."""
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append(event)
            status, body = answer(event)
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/invoke", seen
    finally:
        server.shutdown()
        server.server_close()


def fresh_registry(emulator: Emulator) -> Iterator[TriggerRegistry]:
    """The session emulator's trigger registry, emptied (mappings, log, settings) around a test.

    (A fixture per test module calls this: a ``conftest.py`` here would shadow the root one's name.)"""
    registry = emulator.triggers
    registry.clear()
    registry.clear_log()
    registry.unmapped = "error"
    yield registry
    registry.clear()
    registry.timeout = DEFAULT_TIMEOUT_SECONDS
    registry.unmapped = "error"
