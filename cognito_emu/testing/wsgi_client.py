"""Call a WSGI application in-process with one HTTP request: no socket, no thread."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

from cognito_emu.wsgi import run_app

WsgiApp = Any  # a callable (environ, start_response) -> Iterable[bytes]

_DEFAULT_PORTS = {"http": "80", "https": "443"}


@dataclass(slots=True)
class WsgiResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def body_bytes(body: object) -> bytes:
    """A request body as bytes, whatever shape the HTTP client holds it in (bytes, text, a file, chunks)."""
    if body is None:
        return b""
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    read = getattr(body, "read", None)
    if callable(read):
        return body_bytes(read())
    if isinstance(body, Iterable):
        return b"".join(body_bytes(chunk) for chunk in body)
    raise TypeError(f"cannot send a request body of type {type(body).__name__}")


def make_environ(method: str, url: str, headers: Mapping[str, str | bytes], body: bytes) -> dict[str, Any]:
    parts = urlsplit(url)
    scheme = parts.scheme or "http"
    host_header = None
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method.upper(),
        "SCRIPT_NAME": "",
        # PEP 3333: PATH_INFO is the percent-decoded path, bytes carried as latin-1.
        "PATH_INFO": unquote_to_bytes(parts.path or "/").decode("latin-1"),
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname or "localhost",
        "SERVER_PORT": str(parts.port) if parts.port else _DEFAULT_PORTS.get(scheme, "80"),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        # The body's own length: a client-declared one could disagree with what we hold.
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        if key == "HOST":
            host_header = _text(value)
        if key == "CONTENT_TYPE":
            environ[key] = _text(value)
        elif key != "CONTENT_LENGTH":
            environ[f"HTTP_{key}"] = _text(value)
    environ["HTTP_HOST"] = host_header or parts.netloc or environ["SERVER_NAME"]
    return environ


def call_wsgi(
    app: WsgiApp,
    method: str,
    url: str,
    headers: Mapping[str, str | bytes] | None = None,
    body: bytes = b"",
) -> WsgiResponse:
    environ = make_environ(method, url, headers or {}, body)
    status_line, response_headers, answer = run_app(app, environ)
    return WsgiResponse(int(status_line.split(" ", 1)[0]), response_headers, answer)
