"""Throughput and latency of the emulator, moto's server and a minimal app, per serving layer.

    .venv/bin/python scripts/bench.py                      # every layer, 3 s per case, 4 client threads
    .venv/bin/python scripts/bench.py --layers cheroot --seconds 5 --clients 8

Each server runs in its own process on 127.0.0.1 (so the client does not share its GIL); the
client is a lean keep-alive loop over raw sockets sending pre-built, signed-looking requests.
Cases: DescribeUserPool and ListUserPools against (a) the emulator, (b) moto's ThreadedMotoServer,
(c) a minimal Werkzeug app returning a fixed body on the same serving layer as the emulator.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = "AWSCognitoIdentityProviderService"
AUTH = (
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/cognito-idp/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64
)


# -- servers (run in a child process: ``bench.py --serve KIND --layer LAYER``) ----------------------


def _minimal_app() -> Any:
    from werkzeug.wrappers import Request, Response

    body = json.dumps({"UserPool": {"Id": "us-east-1_abc", "Name": "fixed"}})

    @Request.application
    def app(request: Request) -> Response:
        request.get_data()
        return Response(body, mimetype="application/x-amz-json-1.1")

    return app


def serve(kind: str, layer: str, threads: int) -> None:
    if kind == "moto":
        from moto.server import ThreadedMotoServer

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        moto.start()
        print(f"PORT {port}", flush=True)
        signal.sigwait({signal.SIGTERM, signal.SIGINT})
        moto.stop()
        return
    from cognito_emu.server import make_server

    if kind == "emulator":
        from cognito_emu.config import Config
        from cognito_emu.emulator import Emulator

        app = Emulator(Config(port=0)).app
    else:
        app = _minimal_app()
    server = make_server(app, "127.0.0.1", 0, layer=layer, threads=threads)
    print(f"PORT {server.port}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()


@dataclass
class Child:
    process: subprocess.Popen[str]
    port: int

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def start_child(kind: str, layer: str, threads: int) -> Child:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve", kind, "--layer", layer, "--threads", str(threads)],
        stdout=subprocess.PIPE,
        stderr=None if os.environ.get("BENCH_DEBUG") else subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("PORT "):
            return Child(process, int(line.split()[1]))
        if not line and process.poll() is not None:
            break
    process.kill()
    raise RuntimeError(f"{kind} server on {layer} did not start")


# -- client ---------------------------------------------------------------------------------------


def build_request(port: int, op: str, params: dict[str, Any]) -> bytes:
    body = json.dumps(params).encode()
    head = (
        f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-amz-json-1.1\r\n"
        f"X-Amz-Target: {TARGET}.{op}\r\n"
        "X-Amz-Date: 20240101T000000Z\r\n"
        f"Authorization: {AUTH}\r\n"
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
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
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


def call(port: int, op: str, params: dict[str, Any]) -> dict[str, Any]:
    conn = Connection(port)
    try:
        status, body = conn.exchange(build_request(port, op, params))
    finally:
        conn.close()
    if status != 200:
        raise RuntimeError(f"{op} answered {status}: {body[:200]!r}")
    return json.loads(body)


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def load(port: int, request: bytes, clients: int, seconds: float) -> Result:
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def worker(index: int) -> None:
        conn = Connection(port)
        mine = latencies[index]
        clock = time.perf_counter
        start.wait()
        try:
            while True:
                began = clock()
                if began >= stop_at[0]:
                    break
                status, _ = conn.exchange(request)
                mine.append(clock() - began)
                if status != 200:
                    errors[index] += 1
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
    return Result(len(flat), elapsed, flat, sum(errors))


# -- the run --------------------------------------------------------------------------------------


def prepare(port: int) -> dict[str, bytes]:
    pool_id = ""
    for n in range(5):
        pool_id = call(port, "CreateUserPool", {"PoolName": f"bench-{n}"})["UserPool"]["Id"]
    return {
        "DescribeUserPool": build_request(port, "DescribeUserPool", {"UserPoolId": pool_id}),
        "ListUserPools": build_request(port, "ListUserPools", {"MaxResults": 10}),
    }


def run_case(kind: str, layer: str, args: argparse.Namespace) -> dict[str, Result]:
    child = start_child(kind, layer, args.threads)
    try:
        if kind == "minimal":
            request = build_request(child.port, "DescribeUserPool", {"UserPoolId": "us-east-1_abc"})
            requests = {"DescribeUserPool": request, "ListUserPools": request}
        else:
            requests = prepare(child.port)
        results = {}
        for op, request in requests.items():
            load(child.port, request, args.clients, min(0.5, args.seconds))  # warm-up
            results[op] = load(child.port, request, args.clients, args.seconds)
        return results
    finally:
        child.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="measured seconds per case (default 3)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive clients (default 4)")
    parser.add_argument("--threads", type=int, default=0, help="server worker threads (default: the layer's)")
    parser.add_argument("--layers", default="cheroot,werkzeug,waitress", help="serving layers to compare")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best round of each case counts")
    parser.add_argument("--no-moto", action="store_true", help="skip moto's server")
    parser.add_argument("--json", action="store_true", help="print the results as JSON as well")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--layer", default="werkzeug", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.layer, args.threads)
        return 0

    layers = [layer.strip() for layer in args.layers.split(",") if layer.strip()]
    print(
        f"{args.clients} keep-alive clients, {args.seconds:g} s per case, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    cases = ([] if args.no_moto else [("moto", "werkzeug")]) + [
        (kind, layer) for layer in layers for kind in ("emulator", "minimal")
    ]
    # Rounds interleave the cases so a noisy neighbour hurts them alike; the best round counts.
    best: dict[tuple[str, str], dict[str, Result]] = {}
    for _ in range(args.repeat):
        for case in cases:
            for op, result in run_case(*case, args).items():
                kept = best.setdefault(case, {})
                if op not in kept or result.rps > kept[op].rps:
                    kept[op] = result
    table: list[dict[str, Any]] = []
    moto = best.get(("moto", "werkzeug"), {})
    for op, result in moto.items():
        table.append(_row("moto (ThreadedMotoServer)", "werkzeug", op, result))
    for layer in layers:
        emulator, minimal = best[("emulator", layer)], best[("minimal", layer)]
        for op in emulator:
            row = _row("cognito-emu", layer, op, emulator[op])
            if op in moto:
                row["vs moto"] = emulator[op].rps / moto[op].rps
            row["vs minimal"] = emulator[op].rps / minimal[op].rps
            table.append(row)
        table.append(_row("minimal werkzeug app", layer, "(fixed body)", minimal["DescribeUserPool"]))
    _print(table)
    if args.json:
        print(json.dumps(table, indent=2))
    return 0


def _row(server: str, layer: str, op: str, result: Result) -> dict[str, Any]:
    return {
        "server": server,
        "layer": layer,
        "operation": op,
        "req/s": result.rps,
        "p50 ms": result.percentile(0.50),
        "p99 ms": result.percentile(0.99),
        "errors": result.errors,
        "mean ms": statistics.fmean(result.latencies) * 1000 if result.latencies else float("nan"),
    }


def _print(table: list[dict[str, Any]]) -> None:
    columns = ["server", "layer", "operation", "req/s", "p50 ms", "p99 ms", "errors", "vs moto", "vs minimal"]
    cells = []
    for row in table:
        line = []
        for column in columns:
            value = row.get(column, "")
            if isinstance(value, float):
                value = (
                    f"{value:.0f}"
                    if column == "req/s"
                    else (f"{value:.2f}x" if "vs" in column else f"{value:.2f}")
                )
            line.append(str(value))
        cells.append(line)
    widths = [max(len(column), *(len(line[i]) for line in cells)) for i, column in enumerate(columns)]
    print()
    print("  ".join(column.ljust(widths[i]) for i, column in enumerate(columns)))
    print("  ".join("-" * width for width in widths))
    for line in cells:
        print("  ".join(value.ljust(widths[i]) for i, value in enumerate(line)))


if __name__ == "__main__":
    raise SystemExit(main())
