"""Suite "srp": USER_SRP_AUTH sign-ins on the emulator alone, the client side computed with pycognito.

SRP_A is made before the clock starts; the answer to the challenge needs the server's B, so it is
computed in the loop and reported apart ("client ms"); "server ms" is the two round trips alone.
"server CPU ms" is the server process's CPU per sign-in (the client's maths runs in this process),
and a USER_PASSWORD_AUTH row from the same server gives the ratio issue 12 sets a target for.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from typing import Any

from scripts.bench.client import Api, Connection, Result, build_request
from scripts.bench.peers import tree_cpu_seconds
from scripts.bench.report import Table, row
from scripts.bench.servers import start_child
from scripts.bench.users import PASSWORD, add_users, make_pool, user_name

COLUMNS = [
    "operation",
    "req/s",
    "p50 ms",
    "p99 ms",
    "server ms",
    "client ms",
    "SRP_A ms",
    "server-only sign-ins/s",
    "server CPU ms",
    "CPU vs USER_PASSWORD_AUTH",
    "target",
    "errors",
]
# Issue 12: an SRP sign-in's server CPU at most this many times a USER_PASSWORD_AUTH sign-in's.
TARGET = 1.5


def run(args: argparse.Namespace) -> list[Table]:
    from pycognito.aws_srp import AWSSRP

    child = start_child("emulator", args.ops_layer, args.threads)
    try:
        api = Api(child.port)
        pool_id, client_id = make_pool(api, "bench-srp")
        signed_in = range(10)
        add_users(api, pool_id, signed_in, signed_in)
        api.close()
        port = child.port
        # At least 100 sign-ins: the kernel counts a process's CPU in 10 ms ticks.
        password_cpu = _password_sign_in_cpu(child.process.pid, port, client_id, max(args.srp_count, 100))
        table = [
            {
                "operation": "USER_PASSWORD_AUTH sign-in (1 client)",
                "server CPU ms": password_cpu * 1000,
                "CPU vs USER_PASSWORD_AUTH": 1.0,
            }
        ]
        for clients in sorted({1, args.clients}):
            count = args.srp_count * clients
            began = time.perf_counter()
            # SRP_A (g^a mod N, a 1024-bit a) for every sign-in, before the clock starts.
            helpers = [
                AWSSRP(user_name(n % 10), PASSWORD, pool_id, client_id, client=object())
                for n in range(count + clients * 4)
            ]
            prepared = time.perf_counter() - began
            cpu_before = tree_cpu_seconds(child.process.pid)
            result = _sign_ins(port, client_id, helpers, clients, count)
            srp_cpu = (tree_cpu_seconds(child.process.pid) - cpu_before) / len(helpers)
            server = result.extra["server"]
            line = row("cognito-emu", args.ops_layer, f"USER_SRP_AUTH sign-in ({clients} client)", result)
            line["server ms"] = statistics.median(server) * 1000
            line["client ms"] = statistics.median(result.extra["client"]) * 1000
            line["SRP_A ms"] = prepared / len(helpers) * 1000
            line["server-only sign-ins/s"] = clients / statistics.fmean(server)
            line["server CPU ms"] = srp_cpu * 1000
            ratio = srp_cpu / password_cpu if password_cpu else float("nan")
            line["CPU vs USER_PASSWORD_AUTH"] = ratio
            line["target"] = f"<= {TARGET}x: {'met' if ratio <= TARGET else 'not met'}"
            table.append(line)
        return [Table("srp", "USER_SRP_AUTH sign-ins (two round trips each)", COLUMNS, table)]
    finally:
        child.stop()


def _password_sign_in_cpu(pid: int, port: int, client_id: str, count: int) -> float:
    """The server's CPU seconds per USER_PASSWORD_AUTH sign-in, over one keep-alive connection."""
    conn = Connection(port)
    try:

        def sign_in(n: int) -> None:
            request = build_request(
                port,
                "InitiateAuth",
                {
                    "ClientId": client_id,
                    "AuthFlow": "USER_PASSWORD_AUTH",
                    "AuthParameters": {"USERNAME": user_name(n % 10), "PASSWORD": PASSWORD},
                },
            )
            status, body = conn.exchange(request)
            if status != 200:
                raise RuntimeError(f"USER_PASSWORD_AUTH failed: {body[:300]!r}")

        for n in range(20):
            sign_in(n)
        before = tree_cpu_seconds(pid)
        for n in range(count):
            sign_in(n)
        return (tree_cpu_seconds(pid) - before) / count
    finally:
        conn.close()


def _sign_ins(port: int, client_id: str, helpers: list[Any], clients: int, count: int) -> Result:
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
