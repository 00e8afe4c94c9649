"""Running a WSGI application to the end of one request: its status line, headers and body in memory.

The built-in server (``http_server``) and the in-process client (``testing.wsgi_client``, which the
mock and the tests call through) both hold the whole answer before anything is sent, so
``start_response`` may be called again (an error page replacing an answer, with ``exc_info``) right
up to the application's return, as PEP 3333 allows until the headers are sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Headers = list[tuple[str, str]]


def run_app(app: Any, environ: dict[str, Any]) -> tuple[str, Headers, bytes]:
    """``app``'s answer to ``environ``: (status line, headers, body). RuntimeError when it never called
    ``start_response``; its own exceptions pass through."""
    started: list[Any] = []
    written: list[bytes] = []

    def start_response(status: str, headers: Headers, exc_info: Any = None) -> Callable[[bytes], None]:
        started[:] = [status, list(headers)]
        return written.append

    result: Iterable[bytes] = app(environ, start_response)
    try:
        chunks = result if isinstance(result, list) else list(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    if not started:
        raise RuntimeError("the WSGI application returned without calling start_response")
    body = b"".join(written) + b"".join(chunks) if written else b"".join(chunks)
    return started[0], started[1], body
