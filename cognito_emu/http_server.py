"""cognito-emu's own HTTP/1.1 server: a thread per connection, reading with C buffered I/O.

Chosen by measurement (``python -m scripts.bench --suites layers``): cheroot reads requests through the
pure-Python ``_pyio`` module and hands every keep-alive connection back to a selector between requests,
which cost more server CPU per request than a whole AdminGetUser. Here a connection keeps its thread,
blocked in ``recv`` between requests (SDKs keep a handful of connections each), its request line and
headers are read with the C ``BufferedReader`` of ``socket.makefile``, and the answer leaves in one
``sendall``.

What it speaks: HTTP/1.1 keep-alive (HTTP/1.0 when the client asks for it), ``Content-Length`` and
chunked request bodies (a chunked one is read whole, up to ``DRAIN_LIMIT_BYTES``, before the
application runs), ``Expect: 100-continue``, HEAD. A body the application leaves unread is read and
dropped to keep the connection, up to ``DRAIN_LIMIT_BYTES``; past that the connection closes.
"""

from __future__ import annotations

import contextlib
import io
import logging
import selectors
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote_to_bytes
from wsgiref.handlers import format_date_time

log = logging.getLogger("cognito_emu.server")

MAX_LINE_BYTES = 65536
MAX_HEADERS = 100
# A connection idle (or stalled mid-request) this long is closed, as cheroot's timeout did.
IDLE_TIMEOUT_SECONDS = 60.0
# An unread request body up to this size is read and dropped after the answer to keep the connection.
DRAIN_LIMIT_BYTES = 16 * 1024 * 1024
# How long shutdown() waits for the requests in flight.
SHUTDOWN_GRACE_SECONDS = 1.0

_NO_BODY_STATUSES = ("1", "204", "304")


class BadRequest(Exception):
    """A request this server cannot read: answered 400 and the connection closed."""


class Body:
    """``wsgi.input`` of a body with a Content-Length: reads stop at its end."""

    __slots__ = ("_file", "remaining")

    def __init__(self, file: Any, length: int) -> None:
        self._file = file
        self.remaining = length

    def read(self, size: int | None = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        wanted = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data: bytes = self._file.read(wanted)
        # A short read means the client went away: nothing more will come.
        self.remaining = self.remaining - len(data) if len(data) == wanted else 0
        return data

    def readline(self, size: int | None = -1) -> bytes:
        limit = self.remaining if size is None or size < 0 else min(size, self.remaining)
        if limit <= 0:
            return b""
        line: bytes = self._file.readline(limit)
        self.remaining = self.remaining - len(line) if line else 0
        return line

    def readlines(self, hint: int = -1) -> list[bytes]:
        return list(self)

    def __iter__(self) -> Any:
        return iter(self.readline, b"")

    def finished(self) -> bool:
        """Read (or dropped) to its end, so the connection can carry the next request."""
        while 0 < self.remaining <= DRAIN_LIMIT_BYTES:
            if not self.read(65536):
                return False
        return self.remaining == 0


def _read_chunked(reader: Any) -> bytes:
    """A whole chunked body, de-chunked. It is read before the application runs so that a malformed
    one is this server's 400, not an error inside the application's read of ``wsgi.input``."""
    parts: list[bytes] = []
    total = 0
    while True:
        line = reader.readline(MAX_LINE_BYTES)
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise BadRequest("malformed chunk size") from None
        if size < 0:
            raise BadRequest("malformed chunk size")
        if size == 0:
            break
        total += size
        if total > DRAIN_LIMIT_BYTES:
            raise BadRequest("the chunked body is too large")
        data = reader.read(size)
        if len(data) < size:
            raise BadRequest("the body ended inside a chunk")
        parts.append(data)
        if reader.readline(MAX_LINE_BYTES).strip():
            raise BadRequest("a chunk is longer than its size")
    for _ in range(MAX_HEADERS + 1):
        if not reader.readline(MAX_LINE_BYTES).strip():
            return b"".join(parts)
    raise BadRequest("too many trailers")


_date_cache: tuple[int, str] = (0, "")


def _http_date() -> str:
    global _date_cache
    now = int(time.time())
    if _date_cache[0] != now:
        # wsgiref's, not email.utils.formatdate: the email package costs about 5 ms of every start.
        _date_cache = (now, format_date_time(now))
    return _date_cache[1]


class HttpServer:
    """Accepts on ``host:port`` and serves each connection on a thread of its own."""

    def __init__(self, app: Any, host: str, port: int, threads: int = 0) -> None:
        self._app = app
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._listener = socket.create_server((host, port), family=family, backlog=128)
        self._listener.setblocking(False)
        self._host = host
        self._wake_read, self._wake_write = socket.socketpair()
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._connections: dict[socket.socket, threading.Thread] = {}

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    def serve_forever(self) -> None:
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self._listener, selectors.EVENT_READ)
                selector.register(self._wake_read, selectors.EVENT_READ)
                while not self._stopping.is_set():
                    for key, _ in selector.select():
                        if key.fileobj is self._listener:
                            self._accept()
        finally:
            # The loop owns the wake-up pair: closed by shutdown() under a select() that had not yet
            # seen its byte, the wake-up was lost and the loop slept on.
            self._listener.close()
            self._wake_read.close()
            self._wake_write.close()
            self._stopped.set()

    def _accept(self) -> None:
        try:
            conn, address = self._listener.accept()
        except (BlockingIOError, InterruptedError, ConnectionAbortedError):
            return
        conn.setblocking(True)
        conn.settimeout(IDLE_TIMEOUT_SECONDS)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        thread = threading.Thread(
            target=self._serve, args=(conn, address), name="cognito-emu-conn", daemon=True
        )
        with self._lock:
            if self._stopping.is_set():
                conn.close()
                return
            self._connections[conn] = thread
        thread.start()

    def shutdown(self) -> None:
        """Stop accepting, let the requests in flight answer (briefly), close every connection."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        with contextlib.suppress(OSError):  # the loop has already stopped and closed it
            self._wake_write.send(b"x")
        self._stopped.wait(SHUTDOWN_GRACE_SECONDS)
        with self._lock:
            connections = dict(self._connections)
        for conn in connections:
            # Wakes a thread idle in recv; a request in flight still sends its answer.
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RD)
        deadline = time.monotonic() + SHUTDOWN_GRACE_SECONDS
        for thread in connections.values():
            thread.join(max(0.0, deadline - time.monotonic()))

    def _serve(self, conn: socket.socket, address: Any) -> None:
        reader = conn.makefile("rb", buffering=65536)
        base = {
            "SERVER_NAME": self._host,
            "SERVER_PORT": str(self.port),
            "SCRIPT_NAME": "",
            "REMOTE_ADDR": str(address[0]),
            "REMOTE_PORT": str(address[1]),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        try:
            while not self._stopping.is_set() and self._serve_one(conn, reader, base):
                pass
        except (OSError, ValueError):
            pass  # the client went away, timed out, or shutdown() closed the socket under us
        finally:
            with self._lock:
                self._connections.pop(conn, None)
            reader.close()
            conn.close()

    def _serve_one(self, conn: socket.socket, reader: Any, base: dict[str, Any]) -> bool:
        """Read one request and answer it; False when the connection should close."""
        line = reader.readline(MAX_LINE_BYTES + 1)
        while line in (b"\r\n", b"\n"):  # RFC 9112: ignore empty lines before a request
            line = reader.readline(MAX_LINE_BYTES + 1)
        if not line:
            return False
        environ = dict(base)
        try:
            keep_alive = _read_head(line, reader, environ)
        except BadRequest as exc:
            _send_error(conn, "400 Bad Request", str(exc))
            return False
        if environ.get("HTTP_EXPECT", "").lower() == "100-continue":
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            try:
                data = _read_chunked(reader)
            except BadRequest as exc:
                _send_error(conn, "400 Bad Request", str(exc))
                return False
            environ["CONTENT_LENGTH"] = str(len(data))
            environ["wsgi.input_terminated"] = True
            body = Body(io.BytesIO(data), len(data))
        else:
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                _send_error(conn, "400 Bad Request", "malformed Content-Length")
                return False
            body = Body(reader, max(length, 0))
        environ["wsgi.input"] = body
        try:
            keep_alive = self._respond(conn, environ, keep_alive)
            return keep_alive and body.finished()
        except BadRequest as exc:
            _send_error(conn, "400 Bad Request", str(exc))
            return False

    def _respond(self, conn: socket.socket, environ: dict[str, Any], keep_alive: bool) -> bool:
        started: list[Any] = []
        written: list[bytes] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            if exc_info is not None and started and started[2]:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [status, headers, False]
            return written.append

        try:
            result: Iterable[bytes] = self._app(environ, start_response)
            try:
                chunks = result if isinstance(result, list) else list(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        except BadRequest:
            raise
        except Exception:
            log.exception(
                "unexpected error answering %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
            )
            _send_error(conn, "500 Internal Server Error", "Internal Server Error")
            return False
        if not started:
            log.error(
                "%s %s answered without a status", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
            )
            _send_error(conn, "500 Internal Server Error", "Internal Server Error")
            return False
        status, headers, _ = started
        started[2] = True
        payload = b"".join(written) + b"".join(chunks) if written else b"".join(chunks)
        head = [f"HTTP/1.1 {status}\r\n"]
        has_length = False
        for name, value in headers:
            lower = name.lower()
            if lower == "content-length":
                has_length = True
            elif lower == "connection" and value.lower() == "close":
                keep_alive = False
            head.append(f"{name}: {value}\r\n")
        bodiless = status.startswith(_NO_BODY_STATUSES)
        if not has_length and not bodiless:
            head.append(f"Content-Length: {len(payload)}\r\n")
        head.append(f"Date: {_http_date()}\r\n")
        if not keep_alive and not any(name.lower() == "connection" for name, _ in headers):
            head.append("Connection: close\r\n")
        head.append("\r\n")
        message = "".join(head).encode("latin-1")
        if environ["REQUEST_METHOD"] != "HEAD" and not bodiless:
            message += payload
        conn.sendall(message)
        return keep_alive


def _read_head(line: bytes, reader: Any, environ: dict[str, Any]) -> bool:
    """Fill ``environ`` from the request line and headers; whether the connection may stay open."""
    if len(line) > MAX_LINE_BYTES or not line.endswith(b"\n"):
        raise BadRequest("request line too long")
    parts = line.split()
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
        raise BadRequest("malformed request line")
    method, target, version = parts
    raw_target = target.decode("latin-1")
    if target.startswith((b"http://", b"https://")):
        target = b"/" + target.split(b"/", 3)[3] if target.count(b"/") >= 3 else b"/"
    path, _, query = target.partition(b"?")
    environ["REQUEST_METHOD"] = method.decode("latin-1")
    environ["PATH_INFO"] = (unquote_to_bytes(path) if b"%" in path else path).decode("latin-1")
    environ["QUERY_STRING"] = query.decode("latin-1")
    environ["SERVER_PROTOCOL"] = protocol = version.decode("latin-1")
    environ["REQUEST_URI"] = environ["RAW_URI"] = raw_target
    last = ""
    for _ in range(MAX_HEADERS + 1):
        line = reader.readline(MAX_LINE_BYTES + 1)
        if line in (b"\r\n", b"\n"):
            break
        if not line or len(line) > MAX_LINE_BYTES:
            raise BadRequest("malformed headers")
        if line[0] in b" \t" and last:  # an obsolete folded continuation of the header before
            environ[last] += " " + line.strip().decode("latin-1")
            continue
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip():
            raise BadRequest("malformed header line")
        key = name.decode("latin-1").upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = "HTTP_" + key
        text = value.strip().decode("latin-1")
        if key in environ and key.startswith("HTTP_"):
            text = environ[key] + ("; " if key == "HTTP_COOKIE" else ", ") + text
        environ[key] = text
        last = key
    else:
        raise BadRequest("too many headers")
    connection = environ.get("HTTP_CONNECTION", "").lower()
    if protocol == "HTTP/1.0":
        return "keep-alive" in connection
    return "close" not in connection


def _send_error(conn: socket.socket, status: str, text: str) -> None:
    body = text.encode()
    with contextlib.suppress(OSError):
        conn.sendall(
            f"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n\r\n".encode()
            + body
        )
