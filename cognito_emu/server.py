"""The HTTP serving layer: one process, threaded, state shared by every request."""

from __future__ import annotations

from typing import Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler


class _QuietHandler(WSGIRequestHandler):
    # The AWS endpoint logs one line per call itself (operation, status, ms).
    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        pass


class Server:
    """A threaded HTTP/1.1 server (keep-alive, which every AWS SDK uses) around a WSGI app."""

    def __init__(self, app: Any, host: str, port: int) -> None:
        _QuietHandler.protocol_version = "HTTP/1.1"
        self._server = ThreadedWSGIServer(host, port, app, handler=_QuietHandler)
        self._server.daemon_threads = True

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def serve_forever(self) -> None:
        self._server.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def make_server(app: Any, host: str, port: int) -> Server:
    return Server(app, host, port)
