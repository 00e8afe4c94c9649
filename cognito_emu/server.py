"""The HTTP serving layer: one process, threaded, state shared by every request.

Four WSGI servers fit (keep-alive, which every AWS SDK uses, and a clean shutdown from another
thread); ``python -m scripts.bench --suites layers`` measures them. The default is the fastest,
cognito-emu's own (``http_server``); cheroot, Werkzeug's and waitress stay selectable with ``--server``.
"""

from __future__ import annotations

import contextlib
from typing import Any, Protocol

from cognito_emu.http_server import HttpServer

LAYERS = ("builtin", "cheroot", "werkzeug", "waitress")


class Server(Protocol):
    @property
    def port(self) -> int: ...

    def serve_forever(self) -> None: ...

    def shutdown(self) -> None: ...


class WerkzeugServer:
    """Werkzeug's ThreadedWSGIServer: a thread per connection, HTTP/1.1."""

    def __init__(self, app: Any, host: str, port: int, threads: int = 0) -> None:
        from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

        class QuietHandler(WSGIRequestHandler):
            protocol_version = "HTTP/1.1"

            # The AWS endpoint logs one line per call itself (operation, status, ms).
            def log_request(self, code: Any = "-", size: Any = "-") -> None:
                pass

        self._server = ThreadedWSGIServer(host, port, app, handler=QuietHandler)
        self._server.daemon_threads = True

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def serve_forever(self) -> None:
        self._server.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class CherootServer:
    """cheroot (CherryPy's server): a fixed pool of worker threads, HTTP/1.1 keep-alive."""

    def __init__(self, app: Any, host: str, port: int, threads: int = 0) -> None:
        from cheroot import wsgi

        self._server = wsgi.Server(
            (host, port),
            app,
            numthreads=threads or 16,
            max=-1,
            request_queue_size=128,
            timeout=60,
            shutdown_timeout=1,
            server_name="cognito-emu",
        )
        # stop() waits for the connection loop to notice, which looks once per expiration interval
        # (cheroot's default 0.5 s made closing an Emulator take half a second); waking 20 times a
        # second while idle costs next to nothing.
        self._server.expiration_interval = 0.05
        # Keep-alive connections are served by the pool; more clients than threads must not starve.
        self._server.prepare()

    @property
    def port(self) -> int:
        return int(self._server.bind_addr[1])

    def serve_forever(self) -> None:
        self._server.serve()

    def shutdown(self) -> None:
        self._server.stop()


class WaitressServer:
    """waitress: asyncore I/O thread plus a pool of worker threads."""

    def __init__(self, app: Any, host: str, port: int, threads: int = 0) -> None:
        import waitress.server

        self._server = waitress.server.create_server(
            app, host=host, port=port, threads=threads or 8, ident="cognito-emu"
        )

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    def serve_forever(self) -> None:
        with contextlib.suppress(OSError):  # the map was closed under the loop by shutdown()
            self._server.run()

    def shutdown(self) -> None:
        self._server.task_dispatcher.shutdown(timeout=1)
        self._server.close()
        for channel in list(self._server._map.values()):
            channel.close()


_CLASSES: dict[str, type[Any]] = {
    "builtin": HttpServer,
    "werkzeug": WerkzeugServer,
    "cheroot": CherootServer,
    "waitress": WaitressServer,
}


def make_server(app: Any, host: str, port: int, layer: str | None = None, threads: int = 0) -> Server:
    """A server around ``app`` listening on ``host:port`` (0: any free port; see ``.port``)."""
    chosen = layer or LAYERS[0]
    if chosen not in _CLASSES:
        raise ValueError(f"unknown serving layer {chosen!r}; choose one of {', '.join(LAYERS)}")
    try:
        server: Server = _CLASSES[chosen](app, host, port, threads)
    except ModuleNotFoundError as exc:
        # cheroot and waitress are not dependencies of the package: only the benchmark compares them.
        package = (exc.name or chosen).split(".")[0]
        raise ValueError(f"the serving layer {chosen!r} needs the {package} package: pip install {package}") from exc
    return server
