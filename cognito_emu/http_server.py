"""cognito-emu's own HTTP/1.1 server: one thread answers every connection while no request waits.

Chosen by measurement (``python -m scripts.bench --suites layers``). cheroot read requests through the
pure-Python ``_pyio`` module and went back to a selector between requests; a thread per connection
(this server's first form) spent about 0.1 ms of every call on four connection threads handing the
GIL to one another. So one thread, the leader, waits on a selector for every connection, reads a
request whole, runs the application inline and sends the answer in one ``send``: no hand-off at all
between requests.

A request that waits must not hold up the others, and some call back into this server (a Lambda
trigger's handler calling Cognito). Such a request says so first (``cognito_emu.blocking``), and if it
still runs ``BLOCKING_GRACE_SECONDS`` later (most trigger handlers have answered by then), or if any
request runs through two ticks of the watchdog, a new thread becomes the leader and serves the other
connections; the old one returns its connection to the selector when its request is answered. Requests the fast path does not read (chunked bodies, ``Expect:
100-continue``, bodies over ``FAST_BODY_LIMIT_BYTES``, heads ended by bare LFs) move their connection
to a thread of its own, which reads it with a C ``BufferedReader``.

What it speaks: HTTP/1.1 keep-alive (HTTP/1.0 when the client asks for it), ``Content-Length`` and
chunked request bodies (a chunked one is read whole, up to ``DRAIN_LIMIT_BYTES``, before the
application runs), ``Expect: 100-continue``, HEAD, pipelining. A body the application leaves unread
is read and dropped to keep the connection, up to ``DRAIN_LIMIT_BYTES``; past that the connection
closes.
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
from typing import Any
from urllib.parse import unquote_to_bytes
from wsgiref.handlers import format_date_time

from cognito_emu import blocking
from cognito_emu.wsgi import run_app

log = logging.getLogger("cognito_emu.server")

MAX_LINE_BYTES = 65536
MAX_HEADERS = 100
# A connection idle (or stalled mid-request) this long is closed, as cheroot's timeout did.
IDLE_TIMEOUT_SECONDS = 60.0
# An unread request body up to this size is read and dropped after the answer to keep the connection.
DRAIN_LIMIT_BYTES = 16 * 1024 * 1024
# How long shutdown() waits for the requests in flight.
SHUTDOWN_GRACE_SECONDS = 1.0
# A request still running after two ticks of the watchdog (20-40 ms) gets a new leader for the others.
WATCH_SECONDS = 0.02
# A request that said it waits gets a new leader for the others if it still runs this much later: most
# trigger handlers answer sooner, and then the lead does not change hands (two threads' worth of work).
BLOCKING_GRACE_SECONDS = 0.002
# How often the leader looks for idle connections.
SWEEP_SECONDS = 5.0
# Larger bodies are read by a connection thread, not whole into the leader's memory.
FAST_BODY_LIMIT_BYTES = 1024 * 1024

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


class _Connection:
    """A connection the leader serves: its socket, its unanswered bytes, when it last sent any."""

    __slots__ = ("address", "base", "last_active", "pending", "sock")

    def __init__(self, sock: socket.socket, address: Any, base: dict[str, Any], now: float) -> None:
        self.sock = sock
        self.address = address
        self.base = base
        self.pending = b""
        self.last_active = now


class _HandOff(Exception):
    """A request the leader's fast path does not read: its connection gets a thread of its own."""


class HttpServer:
    """Accepts on ``host:port``; a leader thread answers every connection, as described above."""

    def __init__(self, app: Any, host: str, port: int, threads: int = 0) -> None:
        self._app = app
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._listener = socket.create_server((host, port), family=family, backlog=128)
        self._listener.setblocking(False)
        self._host = host
        self._port = int(self._listener.getsockname()[1])
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        # Guards who leads: the generation (one more at every promotion), the request it is in (a
        # sequence number, 0 between requests) and the connection that request came on.
        self._lock = threading.Lock()
        self._generation = 0
        self._in_request = 0
        self._sequence = 0
        self._busy: _Connection | None = None
        self._returned: list[_Connection] = []
        # Handed-back connections the leader is resuming one by one (see _resume_returned).
        self._resuming: list[_Connection] = []
        self._leader = threading.current_thread()
        # Wakes the watchdog: set by a request that says it waits (before_blocking), which first adds
        # its (generation, sequence) to _arms, and by the first request after the watchdog dozed off.
        self._blocking = threading.Event()
        self._arms: list[tuple[int, int]] = []
        # The watchdog sleeps while no request runs (an idle server then uses no CPU at all) and the
        # leader wakes it when one begins. Either side writes its own field before it reads the other's
        # (under the GIL), so a request never starts unwatched.
        self._dozing = False
        # Threads that may still be answering at shutdown: a connection's own, or a demoted leader's.
        self._workers: dict[threading.Thread, socket.socket | None] = {}

    @property
    def port(self) -> int:
        return self._port

    def serve_forever(self) -> None:
        """Serve until shutdown(); returns once the server is closed, whichever thread leads then."""
        if not self._stopping.is_set():
            watchdog = threading.Thread(target=self._watch, name="cognito-emu-watchdog", daemon=True)
            watchdog.start()
            self._selector.register(self._listener, selectors.EVENT_READ)
            self._selector.register(self._wake_read, selectors.EVENT_READ)
            self._leader = threading.current_thread()
            self._lead(0)
            self._stopped.wait()
        else:
            self._close()

    def shutdown(self) -> None:
        """Stop accepting, let the requests in flight answer (briefly), close every connection."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._blocking.set()
        with contextlib.suppress(OSError):  # the leader has already closed it
            self._wake_write.send(b"x")
        self._stopped.wait(SHUTDOWN_GRACE_SECONDS)
        with self._lock:
            workers = dict(self._workers)
        for sock in workers.values():
            # Wakes a thread idle in recv; a request in flight still sends its answer.
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RD)
        deadline = time.monotonic() + SHUTDOWN_GRACE_SECONDS
        for thread in workers:
            thread.join(max(0.0, deadline - time.monotonic()))

    # -- the leader --------------------------------------------------------------------------------

    def _lead(self, generation: int) -> None:
        """Answer every connection on this thread until stopped or demoted (another thread leads)."""
        blocking.set_hook(lambda: self._arm(generation))
        try:
            if not self._resume_returned(generation):
                return
            next_sweep = time.monotonic() + SWEEP_SECONDS
            while not self._stopping.is_set():
                events = self._selector.select(SWEEP_SECONDS)
                now = time.monotonic()
                for key, _ in events:
                    conn = key.data
                    if conn is not None:
                        if not self._receive(conn, generation, now):
                            return
                    elif key.fileobj is self._listener:
                        self._accept(now)
                    else:
                        with contextlib.suppress(OSError):
                            self._wake_read.recv(4096)
                        if not self._resume_returned(generation):
                            return
                if now >= next_sweep:
                    self._sweep(now)
                    next_sweep = now + SWEEP_SECONDS
            self._close()
        finally:
            blocking.set_hook(None)

    def _accept(self, now: float) -> None:
        while True:
            try:
                sock, address = self._listener.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                return
            except OSError:  # out of descriptors: the next select tries again
                log.warning("cannot accept a connection", exc_info=True)
                return
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = _Connection(sock, address, self._environ_base(address), now)
            self._selector.register(sock, selectors.EVENT_READ, conn)

    def _receive(self, conn: _Connection, generation: int, now: float) -> bool:
        """Read what arrived and answer what is complete; False when this thread no longer leads."""
        try:
            data = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return True
        except OSError:
            data = b""
        if not data:
            self._drop(conn)
            return True
        conn.pending = conn.pending + data if conn.pending else data
        conn.last_active = now
        return self._answer(conn, generation)

    def _answer(self, conn: _Connection, generation: int) -> bool:
        """Answer the complete requests in ``conn.pending``; False when this thread no longer leads.
        An error of this server's own closes that connection and leaves the leader leading."""
        try:
            return self._answer_requests(conn, generation)
        except Exception:
            log.exception("unexpected error serving a connection; it is closed")
            with self._lock:
                demoted = self._generation != generation
                if demoted:
                    self._workers.pop(threading.current_thread(), None)
                else:
                    self._in_request = 0
                    self._busy = None
            if demoted:  # the selector is the new leader's now, and the connection not in it
                self._close_socket(conn.sock)
            else:
                self._drop(conn)
            return not demoted

    def _answer_requests(self, conn: _Connection, generation: int) -> bool:
        while conn.pending:
            try:
                request = _parse(conn)
            except BadRequest as exc:
                _send_error(conn.sock, "400 Bad Request", str(exc))
                self._drop(conn)
                return True
            except _HandOff:
                self._hand_off(conn)
                return True
            if request is None:
                return True
            environ, keep_alive = request
            self._sequence += 1
            self._busy = conn
            self._in_request = self._sequence
            if self._dozing:
                self._blocking.set()
            try:
                message, keep_alive = self._respond(environ, keep_alive)
                _send(conn.sock, message)
            except OSError:
                keep_alive = False
            with self._lock:
                demoted = self._generation != generation
                if not demoted:
                    self._in_request = 0
                    self._busy = None
                else:
                    self._workers.pop(threading.current_thread(), None)
            if demoted:
                # The new leader takes the connection back, with any request already pipelined.
                if keep_alive:
                    self._give_back(conn)
                else:
                    self._close_socket(conn.sock)
                return False
            if not keep_alive:
                self._drop(conn)
                return True
        return True

    def _resume_returned(self, generation: int) -> bool:
        """Serve again the connections demoted leaders handed back, answering what they already hold;
        False when this thread no longer leads. The ones not yet resumed then belong to the next
        leader: ``_promote`` hands them over with the lead, since what they hold raises no event."""
        with self._lock:
            self._resuming, self._returned = self._returned, []
        now = time.monotonic()
        while True:
            with self._lock:
                if not self._resuming:
                    return True
                conn = self._resuming.pop(0)
            # Its request may have waited longer than the idle timeout: that was not the client idling.
            conn.last_active = now
            self._selector.register(conn.sock, selectors.EVENT_READ, conn)
            if not self._answer(conn, generation):
                return False

    def _give_back(self, conn: _Connection) -> None:
        """Hand a connection this thread no longer serves to the leader (closed when stopping)."""
        with self._lock:
            stopping = self._stopping.is_set()
            if not stopping:
                self._returned.append(conn)
        if stopping:
            self._close_socket(conn.sock)
            return
        with contextlib.suppress(OSError):
            self._wake_write.send(b"x")

    def _promote(self, generation: int, sequence: int) -> None:
        """Make a new thread the leader, if ``generation``'s leader is still in request ``sequence``."""
        with self._lock:
            if self._stopping.is_set() or self._generation != generation or not sequence:
                return
            if self._in_request != sequence:
                return
            # No thread is in select() now (the leader is in a request), so the selector is ours.
            if self._busy is not None:
                with contextlib.suppress(KeyError, ValueError):
                    self._selector.unregister(self._busy.sock)
            self._workers[self._leader] = None
            self._generation += 1
            self._in_request = 0
            self._busy = None
            self._returned[:0] = self._resuming
            self._resuming = []
            leader = threading.Thread(
                target=self._lead, args=(self._generation,), name="cognito-emu-leader", daemon=True
            )
            self._leader = leader
            leader.start()

    def _arm(self, generation: int) -> None:
        """The leader's request is about to wait: have the watchdog promote a new leader soon."""
        self._arms.append((generation, self._in_request))
        self._blocking.set()

    def _watch(self) -> None:
        """Promote a new leader for a request that said it waits and still runs after a short grace,
        and for any request that has run through two ticks."""
        seen = (0, 0)
        while not self._stopping.is_set():
            if self._blocking.wait(None if self._dozing else WATCH_SECONDS):
                self._blocking.clear()
                self._dozing = False
                # Swapped, not cleared, so that an arm added meanwhile is not lost. Only the latest
                # matters: the request behind an earlier one has answered, or it is the same request.
                arms, self._arms = self._arms, []
                if arms and not self._stopping.wait(BLOCKING_GRACE_SECONDS):
                    self._promote(*arms[-1])
                continue
            now = (self._generation, self._in_request)
            if now[1] and now == seen:
                self._promote(*now)
            elif not now[1]:
                self._dozing = True
                if self._in_request:  # a request began after the read above: it may not have seen _dozing
                    self._dozing = False
            seen = now

    def _sweep(self, now: float) -> None:
        """Close connections idle (or stalled mid-request) longer than IDLE_TIMEOUT_SECONDS."""
        for key in list(self._selector.get_map().values()):
            conn = key.data
            if conn is not None and now - conn.last_active > IDLE_TIMEOUT_SECONDS:
                self._drop(conn)

    def _drop(self, conn: _Connection) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(conn.sock)
        self._close_socket(conn.sock)

    @staticmethod
    def _close_socket(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.close()

    def _close(self) -> None:
        """Close the listener, the wake-up pair and every connection the leader holds."""
        with contextlib.suppress(OSError, RuntimeError):
            for key in list(self._selector.get_map().values()):
                if key.data is not None:
                    self._close_socket(key.data.sock)
        with self._lock:
            returned, self._returned = self._returned, []
        for conn in returned:
            self._close_socket(conn.sock)
        self._selector.close()
        self._listener.close()
        # The leader owns the wake-up pair: closed by shutdown() under a select() that had not yet
        # seen its byte, the wake-up was lost and the loop slept on.
        self._wake_read.close()
        self._wake_write.close()
        self._stopped.set()

    def _hand_off(self, conn: _Connection) -> None:
        """Give ``conn`` a thread of its own, which reads it from what is already here."""
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(conn.sock)
        conn.sock.settimeout(IDLE_TIMEOUT_SECONDS)
        reader = io.BufferedReader(_PrefixedSocket(conn.sock, conn.pending), 65536)
        thread = threading.Thread(
            target=self._serve, args=(conn.sock, reader, conn.base), name="cognito-emu-conn", daemon=True
        )
        with self._lock:
            self._workers[thread] = conn.sock
        thread.start()

    def _environ_base(self, address: Any) -> dict[str, Any]:
        return {
            "SERVER_NAME": self._host,
            "SERVER_PORT": str(self._port),
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

    # -- a connection on a thread of its own --------------------------------------------------------

    def _serve(self, conn: socket.socket, reader: Any, base: dict[str, Any]) -> None:
        try:
            while not self._stopping.is_set() and self._serve_one(conn, reader, base):
                pass
        except (OSError, ValueError):
            pass  # the client went away, timed out, or shutdown() closed the socket under us
        finally:
            with self._lock:
                self._workers.pop(threading.current_thread(), None)
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
        message, keep_alive = self._respond(environ, keep_alive)
        _send(conn, message)
        return keep_alive and body.finished()

    # -- the application ------------------------------------------------------------------------------

    def _respond(self, environ: dict[str, Any], keep_alive: bool) -> tuple[bytes, bool]:
        """The application's answer as bytes to send, and whether the connection stays open; a 500
        when the application fails or answers something HTTP cannot carry (say, a header that is not
        Latin-1)."""
        try:
            return self._message(environ, keep_alive)
        except Exception:
            log.exception(
                "unexpected error answering %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
            )
            return _error_message("500 Internal Server Error", "Internal Server Error"), False

    def _message(self, environ: dict[str, Any], keep_alive: bool) -> tuple[bytes, bool]:
        status, headers, payload = run_app(self._app, environ)
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
        return message, keep_alive


class _PrefixedSocket(io.RawIOBase):
    """A socket's bytes, after those the leader had already read from it."""

    def __init__(self, sock: socket.socket, prefix: bytes) -> None:
        self._sock = sock
        self._prefix = prefix

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._prefix:
            count = min(len(buffer), len(self._prefix))
            buffer[:count] = self._prefix[:count]
            self._prefix = self._prefix[count:]
            return count
        return self._sock.recv_into(buffer)


def _parse(conn: _Connection) -> tuple[dict[str, Any], bool] | None:
    """The next request in ``conn.pending`` as (environ, keep-alive), taken off it; None while it is
    incomplete. Raises _HandOff for one a connection thread should read."""
    data = conn.pending
    if data[:1] in (b"\r", b"\n"):  # RFC 9112: ignore empty lines before a request
        data = conn.pending = data.lstrip(b"\r\n")
    end = data.find(b"\r\n\r\n")
    bare = data.find(b"\n\n")
    if bare >= 0 and (end < 0 or bare < end):
        raise _HandOff
    if end < 0:
        if len(data) > MAX_LINE_BYTES:
            raise _HandOff
        return None
    line_end = data.find(b"\n") + 1
    environ = dict(conn.base)
    keep_alive = _read_head(data[:line_end], io.BytesIO(data[line_end : end + 4]), environ)
    if "HTTP_TRANSFER_ENCODING" in environ or "HTTP_EXPECT" in environ:
        raise _HandOff
    try:
        length = max(int(environ.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        raise BadRequest("malformed Content-Length") from None
    if length > FAST_BODY_LIMIT_BYTES:
        raise _HandOff
    total = end + 4 + length
    if len(data) < total:
        return None
    environ["wsgi.input"] = Body(io.BytesIO(data[end + 4 : total]), length)
    conn.pending = data[total:]
    return environ, keep_alive


def _send(sock: socket.socket, message: bytes) -> None:
    """Send all of ``message``; on the leader's non-blocking sockets, waiting (up to the idle timeout)
    only if the first ``send`` could not take it all."""
    if sock.gettimeout() != 0:
        sock.sendall(message)
        return
    try:
        sent = sock.send(message)
    except BlockingIOError:
        sent = 0
    if sent < len(message):
        sock.settimeout(IDLE_TIMEOUT_SECONDS)
        try:
            sock.sendall(memoryview(message)[sent:])
        finally:
            sock.setblocking(False)


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


def _error_message(status: str, text: str) -> bytes:
    body = text.encode()
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
        f"Connection: close\r\n\r\n".encode()
        + body
    )


def _send_error(sock: socket.socket, status: str, text: str) -> None:
    with contextlib.suppress(OSError):
        _send(sock, _error_message(status, text))
