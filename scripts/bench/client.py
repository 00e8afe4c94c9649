"""The load client: pre-built requests over raw keep-alive sockets from many threads, and what they saw.

Lean on purpose (no HTTP library on the client's side of the measurement): requests are bytes made
before the clock starts, signed-looking for the operations an SDK signs, unsigned for the others.
"""

from __future__ import annotations

import argparse
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Each service's X-Amz-Target prefix, by its signing name (the SigV4 credential scope names the service).
TARGETS = {"cognito-idp": "AWSCognitoIdentityProviderService", "cognito-identity": "AWSCognitoIdentityService"}
IDENTITY = "cognito-identity"
# The operations an SDK sends without SigV4 (moto routes them by X-Amz-Target).
UNSIGNED = frozenset({"SignUp", "InitiateAuth", "RespondToAuthChallenge", "GetUser", "ConfirmSignUp", "GetId"})


def _authorization(service: str) -> str:
    return (
        f"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/{service}/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64
    )


def build_request(
    port: int, op: str, params: dict[str, Any], path: str = "/", service: str = "cognito-idp"
) -> bytes:
    body = json.dumps(params).encode()
    signed = (
        "" if op in UNSIGNED else f"X-Amz-Date: 20240101T000000Z\r\nAuthorization: {_authorization(service)}\r\n"
    )
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-amz-json-1.1\r\n"
        f"X-Amz-Target: {TARGETS[service]}.{op}\r\n"
        f"{signed}"
        "User-Agent: bench\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class Connection:
    """Keep-alive when the server allows it; reconnects (and counts it) when the server closes."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock: socket.socket | None = None
        self.buffer = b""
        self.connects = 0

    def _open(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connects += 1
        self.buffer = b""
        return sock

    def exchange(self, request: bytes) -> tuple[int, bytes]:
        if self.sock is None:
            self.sock = self._open()
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length = None
        close = lines[0].startswith(b"HTTP/1.0")
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection":
                close = value.strip().lower() == b"close"
        if length is None:
            raise RuntimeError("response without Content-Length")
        while len(rest) < length:
            self.buffer = rest
            self._fill()
            rest = self.buffer
        self.buffer = rest[length:]
        if close:
            self.close()
        return status, rest[:length]

    def _fill(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buffer += chunk

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class ApiError(RuntimeError):
    """A setup call answered with an error; ``summary``: the status with the error's type and message."""

    def __init__(self, op: str, status: int, body: bytes) -> None:
        super().__init__(f"{op} answered {status}: {body[:300]!r}")
        try:
            error = json.loads(body)
        except ValueError:
            error = None
        if isinstance(error, dict) and "__type" in error:
            kind = str(error["__type"]).rsplit("#", 1)[-1]
            self.summary = f"{op} answered {status} {kind}: {error.get('message', error.get('Message', ''))}"
        else:
            self.summary = str(self)


class Api:
    """Setup calls over one keep-alive connection; raises ApiError on anything but 200."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = Connection(port)

    def __call__(self, op: str, params: dict[str, Any], service: str = "cognito-idp") -> dict[str, Any]:
        status, body = self.conn.exchange(build_request(self.port, op, params, service=service))
        if status != 200:
            raise ApiError(op, status, body)
        return json.loads(body) if body else {}

    def close(self) -> None:
        self.conn.close()


def call(port: int, op: str, params: dict[str, Any]) -> dict[str, Any]:
    api = Api(port)
    try:
        return api(op, params)
    finally:
        api.close()


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list[float]
    errors: int
    first_error: bytes = b""
    extra: dict[str, list[float]] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float, values: list[float] | None = None) -> float:
        ordered = sorted(self.latencies if values is None else values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


# A request: the same bytes every time, or made per call from (client index, running number).
Source = bytes | Callable[[int, int], bytes]


def cycle(requests: list[bytes]) -> Source:
    """Client ``i`` walks the list from its own offset (no two clients in step)."""
    count = len(requests)
    return lambda index, n: requests[(index * 7919 + n) % count]


def load(port: int, source: Source, clients: int, seconds: float, limit: int | None = None) -> Result:
    """``clients`` keep-alive loops for ``seconds`` (or until ``limit`` requests in all)."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    first_error: list[bytes] = []
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]
    per_client = -(-limit // clients) if limit else None

    def worker(index: int) -> None:
        conn = Connection(port)
        mine = latencies[index]
        clock = time.perf_counter
        fixed = source if isinstance(source, bytes) else None
        start.wait()
        try:
            for n in itertools.count():
                if per_client is not None and n >= per_client:
                    break
                request = fixed if fixed is not None else source(index, n)  # type: ignore[operator]
                began = clock()
                if began >= stop_at[0]:
                    break
                status, body = conn.exchange(request)
                mine.append(clock() - began)
                if status != 200:
                    errors[index] += 1
                    if not first_error:
                        first_error.append(body[:300])
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    flat = [x for chunk in latencies for x in chunk]
    return Result(len(flat), elapsed, flat, sum(errors), first_error[0] if first_error else b"")


def measure(port: int, source: Source, args: argparse.Namespace, clients: int | None = None) -> Result:
    """A short warm-up, then the measured run."""
    clients = clients or args.clients
    load(port, source, clients, min(0.5, args.seconds), limit=args.limit and max(20, args.limit // 5))
    return load(port, source, clients, args.seconds, limit=args.limit)


def best_of(
    rounds: int, cases: list[Any], run: Callable[[Any], dict[str, Result]]
) -> dict[Any, dict[str, Result]]:
    """Rounds interleave the cases so a noisy neighbour hurts them alike; the best round counts."""
    best: dict[Any, dict[str, Result]] = {}
    for _ in range(rounds):
        for case in cases:
            for op, result in run(case).items():
                kept = best.setdefault(case, {})
                if op not in kept or result.rps > kept[op].rps:
                    kept[op] = result
    return best
