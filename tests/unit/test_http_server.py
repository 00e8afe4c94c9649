"""cognito-emu's own HTTP/1.1 server, on a small WSGI app that echoes what it was given."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from cognito_emu import blocking, http_server
from cognito_emu.http_server import HttpServer


def echo(environ: dict[str, Any], start_response: Any) -> Any:
    path = environ["PATH_INFO"]
    if path == "/boom":
        raise RuntimeError("boom")
    if path == "/ignore-body":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ignored"]
    if path == "/lines":
        lines = list(environ["wsgi.input"])
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps([line.decode() for line in lines]).encode()]
    if path == "/generated":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return (part for part in [b"one ", b"two"])
    if path == "/empty":
        start_response("204 No Content", [])
        return [b""]
    if path == "/not-latin-1":
        start_response("200 OK", [("X-Price", "5 \u20ac")])
        return [b"priced"]
    body = environ["wsgi.input"].read()
    seen = {
        "method": environ["REQUEST_METHOD"],
        "path": path,
        "query": environ["QUERY_STRING"],
        "protocol": environ["SERVER_PROTOCOL"],
        "raw_uri": environ["RAW_URI"],
        "body": body.decode(),
        "terminated": environ.get("wsgi.input_terminated", False),
        "headers": {key: value for key, value in environ.items() if key.startswith("HTTP_")},
        "content_type": environ.get("CONTENT_TYPE"),
    }
    payload = json.dumps(seen).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]


@pytest.fixture
def server() -> Iterator[HttpServer]:
    served = HttpServer(echo, "127.0.0.1", 0)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield served
    served.shutdown()
    thread.join(5)
    assert not thread.is_alive()


def raw(server: HttpServer, data: bytes) -> bytes:
    """Send ``data`` and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def test_keep_alive_serves_requests_in_turn(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        for n in range(3):
            conn.request("POST", f"/p%20{n}?q=1", body=f"body {n}", headers={"X-Thing": "a"})
            response = conn.getresponse()
            seen = json.loads(response.read())
            assert response.status == 200
            assert seen["path"] == f"/p {n}"
            assert seen["raw_uri"] == f"/p%20{n}?q=1"
            assert seen["query"] == "q=1"
            assert seen["body"] == f"body {n}"
            assert seen["headers"]["HTTP_X_THING"] == "a"
            assert response.getheader("Date")
    finally:
        conn.close()


def test_pipelined_requests_are_answered_in_order(server):
    one = b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
    two = b"GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    answer = raw(server, one + two)
    assert answer.count(b"HTTP/1.1 200 OK") == 2
    assert answer.index(b'"path": "/a"') < answer.index(b'"path": "/b"')
    assert b"Connection: close" in answer


def test_http_1_0_closes_unless_asked_to_keep_alive(server):
    answer = raw(server, b"GET /x HTTP/1.0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 OK")
    assert b"Connection: close" in answer
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        first = sock.recv(65536)
        sock.sendall(b"GET /y HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        second = sock.recv(65536)
    assert b'"path": "/x"' in first
    assert b'"path": "/y"' in second


def test_chunked_body_is_de_chunked_with_extensions_and_trailers(server):
    request = (
        b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        b"5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
    )
    answer = raw(server, request)
    seen = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert seen["body"] == "hello world"
    assert seen["terminated"] is True


def test_chunked_body_read_line_by_line(server):
    request = (
        b"POST /lines HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        b"4\r\na\nbc\r\n3\r\n\nd\n\r\n0\r\n\r\n"
    )
    assert json.loads(raw(server, request).split(b"\r\n\r\n", 1)[1]) == ["a\n", "bc\n", "d\n"]


def test_body_read_line_by_line_stops_at_its_length(server):
    request = (
        b"POST /lines HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\na\nb\nc"
        b"GET /next HTTP/1.1\r\nConnection: close\r\n\r\n"
    )
    head, rest = raw(server, request).split(b"\r\n\r\n", 1)
    length = int(head.split(b"Content-Length: ", 1)[1].split(b"\r\n", 1)[0])
    assert json.loads(rest[:length]) == ["a\n", "b\n", "c"]
    assert b'"path": "/next"' in rest[length:]


def test_unread_body_is_dropped_and_the_connection_kept(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("POST", "/ignore-body", body=b"x" * 200_000)
        assert conn.getresponse().read() == b"ignored"
        conn.request("POST", "/after", body=b"next")
        assert json.loads(conn.getresponse().read())["body"] == "next"
    finally:
        conn.close()


def test_unread_chunked_body_is_dropped_and_the_connection_kept(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("POST", "/ignore-body", body=iter([b"a" * 1000, b"b" * 1000]), encode_chunked=True)
        assert conn.getresponse().read() == b"ignored"
        conn.request("POST", "/after", body=b"next")
        assert json.loads(conn.getresponse().read())["body"] == "next"
    finally:
        conn.close()


def test_expect_100_continue_is_answered_before_the_body(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        assert sock.recv(65536) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"data")
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 200 OK")
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["body"] == "data"


def test_head_has_the_length_but_no_body(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("HEAD", "/generated")
        response = conn.getresponse()
        assert response.getheader("Content-Length") == "7"
        assert response.read() == b""
        conn.request("GET", "/generated")
        assert conn.getresponse().read() == b"one two"
    finally:
        conn.close()


def test_no_content_has_no_length_and_no_body(server):
    answer = raw(server, b"GET /empty HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 204 No Content\r\n")
    assert b"Content-Length" not in answer
    assert answer.endswith(b"\r\n\r\n")


def test_repeated_and_folded_headers_are_joined(server):
    request = (
        b"GET /h HTTP/1.1\r\nHost: x\r\nX-Many: one\r\nX-Many: two\r\nCookie: a=1\r\nCookie: b=2\r\n"
        b"X-Folded: first\r\n  second\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
    )
    seen = json.loads(raw(server, request).split(b"\r\n\r\n", 1)[1])
    assert seen["headers"]["HTTP_X_MANY"] == "one, two"
    assert seen["headers"]["HTTP_COOKIE"] == "a=1; b=2"
    assert seen["headers"]["HTTP_X_FOLDED"] == "first second"
    assert seen["content_type"] == "text/plain"


def test_absolute_form_target_is_split_into_the_path(server):
    seen = json.loads(
        raw(server, b"GET http://h:1/p?q=2 HTTP/1.1\r\nConnection: close\r\n\r\n").split(b"\r\n\r\n")[1]
    )
    assert (seen["path"], seen["query"], seen["raw_uri"]) == ("/p", "q=2", "http://h:1/p?q=2")


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"NONSENSE\r\n\r\n",
        b"GET / SPDY/3\r\n\r\n",
        b"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
        b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 101 + b"\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: many\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
)
def test_unreadable_requests_are_a_400_and_a_closed_connection(server, request_bytes):
    answer = raw(server, request_bytes)
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"Connection: close" in answer


def test_an_application_error_is_a_500_and_the_server_keeps_serving(server, caplog):
    answer = raw(server, b"GET /boom HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 500 Internal Server Error\r\n")
    assert "unexpected error answering GET /boom" in caplog.text
    assert b"200 OK" in raw(server, b"GET /fine HTTP/1.1\r\nConnection: close\r\n\r\n")


def test_shutdown_closes_idle_keep_alive_connections(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/x")
    assert conn.getresponse().read()
    server.shutdown()
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        conn.request("GET", "/y")
        conn.getresponse().read()
    conn.close()


def test_an_ipv6_address_is_served():
    served = HttpServer(echo, "::1", 0)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    try:
        conn = http.client.HTTPConnection("::1", served.port, timeout=5)
        conn.request("GET", "/six")
        seen = json.loads(conn.getresponse().read())
        conn.close()
        assert seen["path"] == "/six"
    finally:
        served.shutdown()
        thread.join(5)


def test_a_server_shut_down_before_it_serves_returns_at_once_when_it_does():
    # shutdown() closed the wake-up pair itself, under a loop that had not yet seen its byte (or, as
    # here, not yet started): the loop then waited on a closed descriptor instead of stopping.
    served = HttpServer(echo, "127.0.0.1", 0)
    served.shutdown()
    errors: list[BaseException] = []

    def serve() -> None:
        try:
            served.serve_forever()
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    thread.join(5)
    assert not thread.is_alive()
    assert errors == []


# -- the leader: one thread answers every connection until a request waits ------------------------


def waiting_app(released: threading.Event, announce: bool) -> Any:
    """``/wait`` waits until ``/release`` is called (saying so first when ``announce``)."""

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        path = environ["PATH_INFO"]
        if path == "/wait":
            if announce:
                blocking.before_blocking()
            answer = b"released" if released.wait(10) else b"never released"
        else:
            released.set()
            answer = b"released it"
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [answer]

    return app


class CountingEvent(threading.Event):
    """An Event that counts the waits on it: the watchdog's ticks."""

    def __init__(self) -> None:
        super().__init__()
        self.waits = 0

    def wait(self, timeout: float | None = None) -> bool:
        self.waits += 1
        return super().wait(timeout)


@contextlib.contextmanager
def serving(app: Any) -> Iterator[HttpServer]:
    served = HttpServer(app, "127.0.0.1", 0)
    served._blocking = CountingEvent()
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.shutdown()
        thread.join(5)
    assert not thread.is_alive()


def ask_in_background(conn: http.client.HTTPConnection, path: str) -> tuple[threading.Thread, list[bytes]]:
    """GET ``path`` on a thread of its own; the answer's body lands in the list."""
    answers: list[bytes] = []

    def ask() -> None:
        conn.request("GET", path)
        answers.append(conn.getresponse().read())

    thread = threading.Thread(target=ask)
    thread.start()
    return thread, answers


def wait_and_release(served: HttpServer) -> None:
    """A request that waits for another one, on a second connection, to release it; then the waiting
    request's connection is served again (its leader handed it back to the new one)."""
    waiting = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    waiter, answers = ask_in_background(waiting, "/wait")
    releasing = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    releasing.request("GET", "/release")
    assert releasing.getresponse().read() == b"released it"
    waiter.join(10)
    assert answers == [b"released"]
    waiting.request("GET", "/release")
    assert waiting.getresponse().read() == b"released it"
    waiting.close()
    releasing.close()


def test_a_request_that_says_it_waits_leaves_the_other_connections_served(monkeypatch):
    # The watchdog would come too late: only before_blocking() can have moved the leader.
    monkeypatch.setattr(http_server, "WATCH_SECONDS", 60.0)
    with serving(waiting_app(threading.Event(), announce=True)) as served:
        wait_and_release(served)


def test_a_request_that_waits_unannounced_gets_a_new_leader_from_the_watchdog():
    with serving(waiting_app(threading.Event(), announce=False)) as served:
        wait_and_release(served)


def dozing(served: HttpServer) -> CountingEvent:
    """The watchdog's wake-up Event, once the watchdog dozes between requests."""
    deadline = time.monotonic() + 5
    while not served._dozing and time.monotonic() < deadline:
        time.sleep(0.01)
    assert served._dozing
    return served._blocking


def test_an_idle_server_watchdog_sleeps_until_a_request_begins():
    # An idle emulator (make run, left open) wakes no thread at all; a request wakes the watchdog.
    with serving(waiting_app(threading.Event(), announce=False)) as served:
        ticks = dozing(served)
        asleep = ticks.waits
        time.sleep(10 * http_server.WATCH_SECONDS)
        assert ticks.waits == asleep
        conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
        conn.request("GET", "/release")
        assert conn.getresponse().read() == b"released it"
        conn.close()
        deadline = time.monotonic() + 5
        while ticks.waits == asleep and time.monotonic() < deadline:
            time.sleep(0.01)
        assert ticks.waits > asleep


def test_a_request_after_the_watchdog_dozed_off_that_waits_unannounced_gets_a_new_leader():
    with serving(waiting_app(threading.Event(), announce=False)) as served:
        dozing(served)
        wait_and_release(served)


def test_before_blocking_outside_the_server_does_nothing():
    blocking.before_blocking()


def test_a_request_arriving_a_byte_at_a_time_is_answered(server):
    data = b"POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody"
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        for byte in data:
            sock.sendall(bytes([byte]))
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    seen = json.loads(received.split(b"\r\n\r\n", 1)[1])
    assert (seen["path"], seen["body"]) == ("/slow", "body")


def test_a_body_over_the_fast_limit_is_read_by_a_connection_thread(server):
    body = b"x" * (http_server.FAST_BODY_LIMIT_BYTES + 10)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    for _ in range(2):
        conn.request("POST", "/big", body=body)
        seen = json.loads(conn.getresponse().read())
        assert len(seen["body"]) == len(body)
    conn.close()


def test_a_head_ended_by_bare_line_feeds_is_answered(server):
    answer = raw(server, b"GET /lf HTTP/1.1\nHost: x\nConnection: close\n\n")
    assert answer.startswith(b"HTTP/1.1 200 OK")
    assert b'"path": "/lf"' in answer


def test_an_idle_connection_is_closed_by_the_sweep(monkeypatch):
    monkeypatch.setattr(http_server, "IDLE_TIMEOUT_SECONDS", 0.05)
    monkeypatch.setattr(http_server, "SWEEP_SECONDS", 0.05)
    with serving(echo) as served, socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(b"GET /half")  # a request that never ends
        assert sock.recv(65536) == b""


def test_shutdown_waits_for_a_request_a_demoted_leader_is_answering():
    entered, released = threading.Event(), threading.Event()

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        blocking.before_blocking()
        entered.set()
        released.wait(10)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"answered"]

    served = HttpServer(app, "127.0.0.1", 0)
    served._blocking = CountingEvent()
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    asker, answers = ask_in_background(conn, "/")
    assert entered.wait(5)
    threading.Timer(0.3, released.set).start()
    served.shutdown()
    asker.join(5)
    thread.join(5)
    assert answers == [b"answered"]
    assert not thread.is_alive()
    conn.close()


def test_a_connection_whose_request_waited_past_the_idle_timeout_stays_open(monkeypatch):
    monkeypatch.setattr(http_server, "IDLE_TIMEOUT_SECONDS", 0.5)
    monkeypatch.setattr(http_server, "SWEEP_SECONDS", 0.02)
    released = threading.Event()
    threading.Timer(1.0, released.set).start()
    with serving(waiting_app(released, announce=True)) as served:
        conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
        conn.request("GET", "/wait")
        assert conn.getresponse().read() == b"released"
        time.sleep(0.1)  # a client's pause, well inside the idle timeout, and several sweeps long
        conn.request("GET", "/release")
        assert conn.getresponse().read() == b"released it"
        conn.close()


def test_connections_handed_back_together_are_all_served_when_resuming_one_demotes_the_leader(monkeypatch):
    # A and B each wait in a request with the next one already pipelined; both are handed back while
    # the leader answers D. Resuming A answers its pipelined request, which waits too and demotes that
    # leader: B, not yet resumed, must go to the next leader, whose first act is to answer B's.
    monkeypatch.setattr(http_server, "WATCH_SECONDS", 60.0)
    names = ("a", "b", "c")
    entered = {name: threading.Event() for name in names}
    released = {name: threading.Event() for name in names}

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        path = environ["PATH_INFO"]
        if path.startswith("/wait/"):
            name = path.rsplit("/", 1)[1]
            entered[name].set()
            blocking.before_blocking()
            answer = name.encode() if released[name].wait(10) else b"never released"
        elif path == "/release-a-then-b":
            released["a"].set()
            time.sleep(0.1)
            released["b"].set()
            time.sleep(0.3)
            answer = b"released"
        else:
            answer = b"quick"
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(answer)))])
        return [answer]

    def get(path: str) -> bytes:
        return f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode()

    def answers(sock: socket.socket, count: int) -> list[bytes]:
        received = b""
        while received.count(b"HTTP/1.1 200") < count or not received.endswith((b"a", b"b", b"c", b"quick")):
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
        return [part.split(b"\r\n\r\n", 1)[1] for part in received.split(b"HTTP/1.1 ")[1:]]

    with serving(app) as served:
        a = socket.create_connection(("127.0.0.1", served.port), timeout=10)
        b = socket.create_connection(("127.0.0.1", served.port), timeout=10)
        a.sendall(get("/wait/a") + get("/wait/c"))
        assert entered["a"].wait(5)
        b.sendall(get("/wait/b") + get("/quick"))
        assert entered["b"].wait(5)
        d = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
        d.request("GET", "/release-a-then-b")
        assert d.getresponse().read() == b"released"
        assert answers(b, 2) == [b"b", b"quick"]
        assert entered["c"].wait(5)
        released["c"].set()
        assert answers(a, 2) == [b"a", b"c"]
        for conn in (a, b, d):
            conn.close()


def test_a_header_http_cannot_carry_is_a_500_and_the_server_keeps_serving(server, caplog):
    answer = raw(server, b"GET /not-latin-1 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 500 Internal Server Error\r\n")
    assert "unexpected error answering GET /not-latin-1" in caplog.text
    assert b"200 OK" in raw(server, b"GET /fine HTTP/1.1\r\nConnection: close\r\n\r\n")


def test_an_error_of_the_server_itself_closes_that_connection_and_the_leader_leads_on(
    server, monkeypatch, caplog
):
    sent = http_server._send

    def fail_once(sock: socket.socket, message: bytes) -> None:
        monkeypatch.setattr(http_server, "_send", sent)
        raise RuntimeError("a bug in sending")

    monkeypatch.setattr(http_server, "_send", fail_once)
    assert raw(server, b"GET /lost HTTP/1.1\r\nHost: x\r\n\r\n") == b""
    assert "unexpected error serving a connection" in caplog.text
    assert b"200 OK" in raw(server, b"GET /fine HTTP/1.1\r\nConnection: close\r\n\r\n")


def test_a_request_that_says_it_waits_but_answers_within_the_grace_keeps_its_leader(monkeypatch):
    # Handing the lead over costs two threads' worth of work; a trigger that answers at once need not.
    monkeypatch.setattr(http_server, "BLOCKING_GRACE_SECONDS", 1.0)
    monkeypatch.setattr(http_server, "WATCH_SECONDS", 60.0)
    threads: list[threading.Thread] = []

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        blocking.before_blocking()
        threads.append(threading.current_thread())
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"answered"]

    with serving(app) as served:
        conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
        for _ in range(20):
            conn.request("GET", "/")
            assert conn.getresponse().read() == b"answered"
        conn.close()
    assert len(threads) == 20
    assert len(set(threads)) == 1
