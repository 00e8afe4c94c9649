"""Throughput and latency of the emulator against moto's server and a minimal app.

    .venv/bin/python scripts/bench.py --quick               # every suite, small: well under a minute
    .venv/bin/python scripts/bench.py                       # every suite, a few minutes
    .venv/bin/python scripts/bench.py --suites layers --layers cheroot --seconds 5 --clients 8

Each server runs in its own process on 127.0.0.1 (so the client does not share its GIL); the
client is a lean keep-alive loop over raw sockets sending pre-built requests (signed-looking for the
operations an SDK signs, unsigned for SignUp, InitiateAuth, RespondToAuthChallenge and GetUser).
The machine is shared: compare the ratios of one run, not absolute numbers across runs.

Suites (``--suites``, default all):

layers  DescribeUserPool and ListUserPools on (a) the emulator, (b) moto's ThreadedMotoServer and
        (c) a minimal Werkzeug app returning a fixed body, per serving layer.
ops     The user directory and sign-in against the emulator and moto, same clients, same setup made
        through each server's API: SignUp, AdminCreateUser (unique usernames), AdminGetUser,
        ListUsers with a Filter on a pool of ``--users`` users, InitiateAuth USER_PASSWORD_AUTH and
        GetUser with an access token.
srp     USER_SRP_AUTH sign-ins on the emulator alone (InitiateAuth + RespondToAuthChallenge
        PASSWORD_VERIFIER), the client side computed with pycognito's AWSSRP. SRP_A is made before
        the clock starts; the answer to the challenge needs the server's B, so it is computed in the
        loop and reported separately ("client ms"); "server ms" is the two round trips alone.
scale   ListUsers latency on 10,000 and 100,000 users (10,000 only with --quick), and the server's
        memory per 10,000 users (VmRSS of the server process). The users are put in by a bench-only
        route of the bench's own server process (``POST /_bench/fill``) through the emulator's
        ``directory.add_user``, each with hash, SRP salt and verifier strings of real size, so the
        pool is filled in seconds instead of hashing 100,000 passwords; queries go over HTTP.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = "AWSCognitoIdentityProviderService"
AUTH = (
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/cognito-idp/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64
)
# The operations an SDK sends without SigV4 (moto routes them by X-Amz-Target).
UNSIGNED = frozenset({"SignUp", "InitiateAuth", "RespondToAuthChallenge", "GetUser", "ConfirmSignUp"})
PASSWORD = "Bench-Passw0rd!"


# -- servers (run in a child process: ``bench.py --serve KIND --layer LAYER``) ----------------------


def _minimal_app() -> Any:
    from werkzeug.wrappers import Request, Response

    body = json.dumps({"UserPool": {"Id": "us-east-1_abc", "Name": "fixed"}})

    @Request.application
    def app(request: Request) -> Response:
        request.get_data()
        return Response(body, mimetype="application/x-amz-json-1.1")

    return app


def _with_fill_route(emulator: Any) -> Any:
    """The emulator's app plus ``POST /_bench/fill`` (bench-only: the product has no such route)."""
    app = emulator.app

    def wrapped(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") != "/_bench/fill":
            return app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        spec = json.loads(environ["wsgi.input"].read(length))
        began = time.perf_counter()
        _fill(emulator, spec["UserPoolId"], int(spec["start"]), int(spec["count"]))
        body = json.dumps({"seconds": time.perf_counter() - began}).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return wrapped


def _fill(emulator: Any, pool_id: str, start: int, count: int) -> None:
    """``count`` confirmed users numbered from ``start``, added as AdminCreateUser adds them."""
    import uuid

    from cognito_emu.idp.models import User, UserStatus
    from cognito_emu.idp.users import directory

    rng = os.urandom
    with emulator.state.lock:
        pool = emulator.state.find_pool(pool_id)
        now = emulator.clock.now()
        for n in range(start, start + count):
            sub = str(uuid.UUID(bytes=rng(16), version=4))
            password_hash = "$2b$04$" + rng(40).hex()[:53]  # a bcrypt hash's size
            user = User(
                username=user_name(n),
                sub=sub,
                created=now,
                modified=now,
                status=UserStatus.CONFIRMED,
                attributes={
                    "sub": sub,
                    "email": user_email(n),
                    "email_verified": "true",
                    "name": f"User {n}",
                },
                password_hash=password_hash,
                srp_salt=rng(16).hex(),
                srp_verifier=rng(384).hex(),
                password_changed=now,
                password_history=[password_hash],
            )
            directory.add_user(pool, user)
    gc.collect()


def user_name(n: int) -> str:
    return f"user-{n:06d}"


def user_email(n: int) -> str:
    return f"u{n:06d}@example.com"


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

        app = _with_fill_route(Emulator(Config(port=0)))
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

    def rss_kib(self) -> int:
        """VmRSS of the server process, in KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")


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


def build_request(port: int, op: str, params: dict[str, Any], path: str = "/") -> bytes:
    body = json.dumps(params).encode()
    signed = "" if op in UNSIGNED else f"X-Amz-Date: 20240101T000000Z\r\nAuthorization: {AUTH}\r\n"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-amz-json-1.1\r\n"
        f"X-Amz-Target: {TARGET}.{op}\r\n"
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


class Api:
    """Setup calls over one keep-alive connection; raises on anything but 200."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = Connection(port)

    def __call__(self, op: str, params: dict[str, Any]) -> dict[str, Any]:
        status, body = self.conn.exchange(build_request(self.port, op, params))
        if status != 200:
            raise RuntimeError(f"{op} answered {status}: {body[:300]!r}")
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


# -- suite "layers": DescribeUserPool / ListUserPools per serving layer ----------------------------


def prepare_pools(port: int) -> dict[str, bytes]:
    pool_id = ""
    for n in range(5):
        pool_id = call(port, "CreateUserPool", {"PoolName": f"bench-{n}"})["UserPool"]["Id"]
    return {
        "DescribeUserPool": build_request(port, "DescribeUserPool", {"UserPoolId": pool_id}),
        "ListUserPools": build_request(port, "ListUserPools", {"MaxResults": 10}),
    }


def run_layer_case(kind: str, layer: str, args: argparse.Namespace) -> dict[str, Result]:
    child = start_child(kind, layer, args.threads)
    try:
        if kind == "minimal":
            request = build_request(child.port, "DescribeUserPool", {"UserPoolId": "us-east-1_abc"})
            requests = {"DescribeUserPool": request, "ListUserPools": request}
        else:
            requests = prepare_pools(child.port)
        return {op: measure(child.port, request, args) for op, request in requests.items()}
    finally:
        child.stop()


def suite_layers(args: argparse.Namespace) -> list[dict[str, Any]]:
    layers = [layer.strip() for layer in args.layers.split(",") if layer.strip()]
    cases = ([] if args.no_moto else [("moto", "werkzeug")]) + [
        (kind, layer) for layer in layers for kind in ("emulator", "minimal")
    ]
    best = _best_of(args.repeat, cases, lambda case: run_layer_case(*case, args))
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
    return table


def _best_of(
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


# -- suite "ops": the user directory and sign-in, emulator against moto ----------------------------

CLIENT_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def make_pool(api: Api, name: str) -> tuple[str, str]:
    pool_id = api("CreateUserPool", {"PoolName": name})["UserPool"]["Id"]
    client = api(
        "CreateUserPoolClient",
        {"UserPoolId": pool_id, "ClientName": f"{name}-client", "ExplicitAuthFlows": CLIENT_FLOWS},
    )
    return pool_id, client["UserPoolClient"]["ClientId"]


def add_users(api: Api, pool_id: str, numbers: range, confirmed: range) -> None:
    """Users through AdminCreateUser; those in ``confirmed`` get PASSWORD as a permanent password."""
    for n in numbers:
        api(
            "AdminCreateUser",
            {
                "UserPoolId": pool_id,
                "Username": user_name(n),
                "MessageAction": "SUPPRESS",
                "UserAttributes": [
                    {"Name": "email", "Value": user_email(n)},
                    {"Name": "email_verified", "Value": "true"},
                ],
            },
        )
        if n in confirmed:
            api(
                "AdminSetUserPassword",
                {"UserPoolId": pool_id, "Username": user_name(n), "Password": PASSWORD, "Permanent": True},
            )


def prepare_ops(port: int, users: int, kind: str) -> dict[str, Source]:
    """The same pools, clients and users on either server, made through its API."""
    api = Api(port)
    try:
        directory_pool, directory_client = make_pool(api, "bench-directory")
        new_pool, new_client = make_pool(api, "bench-new")
        signed_in = range(min(20, users))
        add_users(api, directory_pool, range(users), signed_in)
        sign_ins = [
            build_request(
                port,
                "InitiateAuth",
                {
                    "ClientId": directory_client,
                    "AuthFlow": "USER_PASSWORD_AUTH",
                    "AuthParameters": {"USERNAME": user_name(n), "PASSWORD": PASSWORD},
                },
            )
            for n in signed_in
        ]
        access_tokens = []
        for n in signed_in:
            result = api(
                "InitiateAuth",
                {
                    "ClientId": directory_client,
                    "AuthFlow": "USER_PASSWORD_AUTH",
                    "AuthParameters": {"USERNAME": user_name(n), "PASSWORD": PASSWORD},
                },
            )
            access_tokens.append(result["AuthenticationResult"]["AccessToken"])
    finally:
        api.close()
    step = max(1, users // 50)
    sample = range(0, users, step)
    fresh = itertools.count()
    tag = f"{kind}{os.getpid()}"

    def sign_up(index: int, n: int) -> bytes:
        number = next(fresh)
        return build_request(
            port,
            "SignUp",
            {
                "ClientId": new_client,
                "Username": f"signup-{tag}-{number}",
                "Password": PASSWORD,
                "UserAttributes": [{"Name": "email", "Value": f"signup{number}@example.com"}],
            },
        )

    def admin_create(index: int, n: int) -> bytes:
        number = next(fresh)
        return build_request(
            port,
            "AdminCreateUser",
            {
                "UserPoolId": new_pool,
                "Username": f"created-{tag}-{number}",
                "MessageAction": "SUPPRESS",
                "UserAttributes": [{"Name": "email", "Value": f"created{number}@example.com"}],
            },
        )

    def list_users(filter_text: Callable[[int], str]) -> Source:
        return cycle(
            [
                build_request(port, "ListUsers", {"UserPoolId": directory_pool, "Filter": filter_text(n)})
                for n in sample
            ]
        )

    return {
        "SignUp": sign_up,
        "AdminCreateUser": admin_create,
        "AdminGetUser": cycle(
            [
                build_request(port, "AdminGetUser", {"UserPoolId": directory_pool, "Username": user_name(n)})
                for n in sample
            ]
        ),
        'ListUsers email = "…"': list_users(lambda n: f'email = "{user_email(n)}"'),
        'ListUsers username ^= "…"': list_users(lambda n: f'username ^= "{user_name(n)[:-1]}"'),
        "InitiateAuth USER_PASSWORD_AUTH": cycle(sign_ins),
        "GetUser": cycle([build_request(port, "GetUser", {"AccessToken": token}) for token in access_tokens]),
    }


# Targets of the issues "user directory" and "sign-in and tokens": the emulator's throughput / moto's.
OPS_TARGETS = {
    "SignUp": 1.0,
    "AdminCreateUser": 1.0,
    "AdminGetUser": 3.0,
    "InitiateAuth USER_PASSWORD_AUTH": 1.5,
    "GetUser": 3.0,
}


def run_ops_case(kind: str, args: argparse.Namespace) -> dict[str, Result]:
    child = start_child(kind, args.ops_layer if kind == "emulator" else "werkzeug", args.threads)
    try:
        cases = prepare_ops(child.port, args.users, kind)
        wanted = [word.strip() for word in args.cases.split(",") if word.strip()]
        return {
            op: measure(child.port, source, args)
            for op, source in cases.items()
            if not wanted or any(word in op for word in wanted)
        }
    finally:
        child.stop()


def suite_ops(args: argparse.Namespace) -> list[dict[str, Any]]:
    cases = ["emulator"] if args.no_moto else ["moto", "emulator"]
    best = _best_of(args.repeat, cases, lambda kind: run_ops_case(kind, args))
    table: list[dict[str, Any]] = []
    moto = best.get("moto", {})
    for op, result in best["emulator"].items():
        if op in moto:
            table.append(_row("moto (ThreadedMotoServer)", "werkzeug", op, moto[op]))
        row = _row("cognito-emu", args.ops_layer, op, result)
        if op in moto:
            row["vs moto"] = result.rps / moto[op].rps
            if op in OPS_TARGETS:
                target = OPS_TARGETS[op]
                row["target"] = f">= {target:g}x: {'met' if row['vs moto'] >= target else 'MISSED'}"
        table.append(row)
    return table


# -- suite "srp": USER_SRP_AUTH sign-ins, emulator alone -------------------------------------------


def suite_srp(args: argparse.Namespace) -> list[dict[str, Any]]:
    from pycognito.aws_srp import AWSSRP

    child = start_child("emulator", args.ops_layer, args.threads)
    try:
        api = Api(child.port)
        pool_id, client_id = make_pool(api, "bench-srp")
        signed_in = range(10)
        add_users(api, pool_id, signed_in, signed_in)
        api.close()
        port = child.port
        table = []
        for clients in sorted({1, args.clients}):
            count = args.srp_count * clients
            began = time.perf_counter()
            # SRP_A (g^a mod N, a 1024-bit a) for every sign-in, before the clock starts.
            helpers = [
                AWSSRP(user_name(n % 10), PASSWORD, pool_id, client_id, client=object())
                for n in range(count + clients * 4)
            ]
            prepared = time.perf_counter() - began
            result = _srp_run(port, client_id, helpers, clients, count)
            server = result.extra["server"]
            row = _row("cognito-emu", args.ops_layer, f"USER_SRP_AUTH sign-in ({clients} client)", result)
            row["server ms"] = statistics.median(server) * 1000
            row["client ms"] = statistics.median(result.extra["client"]) * 1000
            row["SRP_A ms"] = prepared / len(helpers) * 1000
            row["server-only sign-ins/s"] = clients / statistics.fmean(server)
            table.append(row)
        return table
    finally:
        child.stop()


def _srp_run(port: int, client_id: str, helpers: list[Any], clients: int, count: int) -> Result:
    """``count`` sign-ins over ``clients`` threads: each the two round trips plus the client's maths."""
    server: list[float] = []
    client: list[float] = []
    errors: list[bytes] = []
    jobs = iter(helpers)
    lock = threading.Lock()
    warm = clients * 4

    def worker(index: int, runs: int) -> None:
        conn = Connection(port)
        clock = time.perf_counter
        try:
            for _ in range(runs):
                with lock:
                    helper = next(jobs)
                username = helper.username
                first = build_request(
                    port,
                    "InitiateAuth",
                    {
                        "ClientId": client_id,
                        "AuthFlow": "USER_SRP_AUTH",
                        "AuthParameters": helper.get_auth_params(),
                    },
                )
                t0 = clock()
                status, body = conn.exchange(first)
                t1 = clock()
                if status != 200:
                    errors.append(body[:300])
                    continue
                challenge = json.loads(body)
                answer = helper.process_challenge(challenge["ChallengeParameters"], {"USERNAME": username})
                second = build_request(
                    port,
                    "RespondToAuthChallenge",
                    {
                        "ClientId": client_id,
                        "ChallengeName": "PASSWORD_VERIFIER",
                        "Session": challenge["Session"],
                        "ChallengeResponses": answer,
                    },
                )
                t2 = clock()
                status, body = conn.exchange(second)
                t3 = clock()
                if status != 200 or b"AccessToken" not in body:
                    errors.append(body[:300])
                    continue
                server.append((t1 - t0) + (t3 - t2))
                client.append(t2 - t1)
        finally:
            conn.close()

    def run(total: int) -> float:
        threads = [threading.Thread(target=worker, args=(i, total // clients)) for i in range(clients)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - began

    run(warm)
    server.clear()
    client.clear()
    elapsed = run(count)
    return Result(
        len(server),
        elapsed,
        [s + c for s, c in zip(server, client, strict=True)],
        len(errors),
        errors[0] if errors else b"",
        {"server": server, "client": client},
    )


# -- suite "scale": ListUsers on 10,000 and 100,000 users, memory per user -------------------------


def suite_scale(args: argparse.Namespace) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    sizes = [10_000] if args.quick else [10_000, 100_000]
    child = start_child("emulator", args.ops_layer, args.threads)
    try:
        port = child.port
        pool_id = call(port, "CreateUserPool", {"PoolName": "bench-scale"})["UserPool"]["Id"]
        _post_fill(port, pool_id, 0, 0)  # the route's own first-call costs, and a gc
        memory = [{"users": 0, "VmRSS MiB": child.rss_kib() / 1024}]
        table = []
        filled = 0
        for size in sizes:
            seconds = _post_fill(port, pool_id, filled, size - filled)
            filled = size
            memory.append({"users": size, "VmRSS MiB": child.rss_kib() / 1024, "fill s": seconds})
            table.extend(_scale_queries(port, pool_id, size, args))
        for before, after in itertools.pairwise(memory):
            after["MiB per 10,000 users"] = (
                (after["VmRSS MiB"] - before["VmRSS MiB"]) * 10_000 / (after["users"] - before["users"])
            )
        return table, memory
    finally:
        child.stop()


def _post_fill(port: int, pool_id: str, start: int, count: int) -> float:
    conn = Connection(port)
    body = json.dumps({"UserPoolId": pool_id, "start": start, "count": count}).encode()
    request = (
        f"POST /_bench/fill HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    try:
        status, answer = conn.exchange(request)
    finally:
        conn.close()
    if status != 200:
        raise RuntimeError(f"fill answered {status}: {answer[:300]!r}")
    return float(json.loads(answer)["seconds"])


def _scale_queries(port: int, pool_id: str, size: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Latency with one client (nothing queued behind anything), each query kind over several values."""
    picks = [(size * k) // 37 for k in range(37)]

    def listing(params: Callable[[int], dict[str, Any]]) -> Source:
        return cycle([build_request(port, "ListUsers", {"UserPoolId": pool_id, **params(n)}) for n in picks])

    last_page_token = json.loads(
        _exchange_once(port, build_request(port, "ListUsers", {"UserPoolId": pool_id, "Limit": 60}))
    ).get("PaginationToken")
    cases: dict[str, Source] = {
        'email = "…" (1 match)': listing(lambda n: {"Filter": f'email = "{user_email(n)}"'}),
        'email ^= "…" (10 matches)': listing(lambda n: {"Filter": f'email ^= "{user_email(n)[:6]}"'}),
        'username ^= "…" (10 matches)': listing(lambda n: {"Filter": f'username ^= "{user_name(n)[:-1]}"'}),
        'username ^= "…" (100 matches, Limit 60)': listing(
            lambda n: {"Filter": f'username ^= "{user_name(n)[:-2]}"', "Limit": 60}
        ),
        "no filter, first page (Limit 60)": listing(lambda n: {"Limit": 60}),
        "no filter, second page (token)": listing(
            lambda n: {"Limit": 60, "PaginationToken": last_page_token}
        ),
    }
    table = []
    for name, source in cases.items():
        result = measure(port, source, args, clients=1)
        row = _row(f"cognito-emu, {size:,} users", args.ops_layer, f"ListUsers {name}", result)
        table.append(row)
    return table


def _exchange_once(port: int, request: bytes) -> bytes:
    conn = Connection(port)
    try:
        status, body = conn.exchange(request)
    finally:
        conn.close()
    if status != 200:
        raise RuntimeError(f"answered {status}: {body[:300]!r}")
    return body


# -- the run --------------------------------------------------------------------------------------

SUITES = ("layers", "ops", "srp", "scale")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--suites", default=",".join(SUITES), help=f"any of {', '.join(SUITES)} (default all)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: few requests, 10,000 users at most"
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="measured seconds per case (default 3)")
    parser.add_argument("--limit", type=int, default=0, help="at most this many requests per case (0: none)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive clients (default 4)")
    parser.add_argument("--threads", type=int, default=0, help="server worker threads (default: the layer's)")
    parser.add_argument("--layers", default="cheroot,werkzeug,waitress", help="serving layers to compare")
    parser.add_argument("--ops-layer", default="cheroot", help="the emulator's layer in ops, srp and scale")
    parser.add_argument("--users", type=int, default=1000, help="users of the ListUsers pool in ops (1000)")
    parser.add_argument("--cases", default="", help="ops suite: only operations containing these words")
    parser.add_argument("--srp-count", type=int, default=150, help="SRP sign-ins per client (default 150)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best round of each case counts")
    parser.add_argument("--no-moto", action="store_true", help="skip moto's server")
    parser.add_argument("--json", action="store_true", help="print the results as JSON as well")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--layer", default="werkzeug", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.layer, args.threads)
        return 0
    if args.quick:
        args.seconds = min(args.seconds, 1.0)
        args.limit = args.limit or 300
        args.layers = "cheroot"
        args.users = min(args.users, 200)
        args.srp_count = min(args.srp_count, 15)
        args.repeat = 1

    suites = [suite.strip() for suite in args.suites.split(",") if suite.strip()]
    unknown = set(suites) - set(SUITES)
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}")
    print(
        f"{args.clients} keep-alive clients, {args.seconds:g} s per case"
        f"{f' (at most {args.limit} requests)' if args.limit else ''}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    report: dict[str, Any] = {}
    if "layers" in suites:
        report["layers"] = table = suite_layers(args)
        _print("DescribeUserPool / ListUserPools per serving layer", table, LAYER_COLUMNS)
    if "ops" in suites:
        report["ops"] = table = suite_ops(args)
        _print(f"User directory and sign-in ({args.users} users in the ListUsers pool)", table, OPS_COLUMNS)
    if "srp" in suites:
        report["srp"] = table = suite_srp(args)
        _print("USER_SRP_AUTH sign-ins (two round trips each)", table, SRP_COLUMNS)
    if "scale" in suites:
        table, memory = suite_scale(args)
        report["scale"], report["memory"] = table, memory
        _print("ListUsers latency by pool size (1 client)", table, SCALE_COLUMNS)
        _print("Server memory (VmRSS of the server process)", memory, MEMORY_COLUMNS)
    failed = [row for rows in report.values() for row in rows if row.get("errors")]
    for row in failed:
        print(f"errors in {row['server']} {row['operation']}: {row.get('first error', '')}", file=sys.stderr)
    if args.json:
        print(json.dumps(report, indent=2))
    return 1 if failed else 0


def _row(server: str, layer: str, op: str, result: Result) -> dict[str, Any]:
    row = {
        "server": server,
        "layer": layer,
        "operation": op,
        "req/s": result.rps,
        "p50 ms": result.percentile(0.50),
        "p99 ms": result.percentile(0.99),
        "errors": result.errors,
        "requests": result.requests,
        "mean ms": statistics.fmean(result.latencies) * 1000 if result.latencies else float("nan"),
    }
    if result.first_error:
        row["first error"] = result.first_error.decode(errors="replace")
    return row


LAYER_COLUMNS = [
    "server",
    "layer",
    "operation",
    "req/s",
    "p50 ms",
    "p99 ms",
    "errors",
    "vs moto",
    "vs minimal",
]
OPS_COLUMNS = ["operation", "server", "req/s", "p50 ms", "p99 ms", "errors", "vs moto", "target"]
SRP_COLUMNS = [
    "operation",
    "req/s",
    "p50 ms",
    "p99 ms",
    "server ms",
    "client ms",
    "SRP_A ms",
    "server-only sign-ins/s",
    "errors",
]
SCALE_COLUMNS = ["server", "operation", "req/s", "p50 ms", "p99 ms", "errors", "requests"]
MEMORY_COLUMNS = ["users", "VmRSS MiB", "fill s", "MiB per 10,000 users"]


def _format(column: str, value: Any) -> str:
    if isinstance(value, float):
        if column in ("req/s", "server-only sign-ins/s"):
            return f"{value:.0f}"
        if "vs" in column:
            return f"{value:.2f}x"
        if column == "fill s":
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int) and column == "users":
        return f"{value:,}"
    return str(value)


def _print(title: str, table: list[dict[str, Any]], columns: list[str]) -> None:
    cells = [[_format(column, row.get(column, "")) for column in columns] for row in table]
    widths = [max(len(column), *(len(line[i]) for line in cells)) for i, column in enumerate(columns)]
    print(f"\n{title}\n")
    print("  ".join(column.ljust(widths[i]) for i, column in enumerate(columns)).rstrip())
    print("  ".join("-" * width for width in widths))
    for line in cells:
        print("  ".join(value.ljust(widths[i]) for i, value in enumerate(line)).rstrip())
    sys.stdout.flush()


if __name__ == "__main__":
    raise SystemExit(main())
