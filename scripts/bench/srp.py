"""Suite "srp": USER_SRP_AUTH sign-ins on the emulator alone, the client side computed with pycognito.

SRP_A is made before the clock starts; the answer to the challenge needs the server's B, so it is
computed in the loop and reported apart ("client ms"); "server ms" is the two round trips alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from typing import Any

from scripts.bench.client import Api, Connection, Result, build_request
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
    "errors",
]


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
            result = _sign_ins(port, client_id, helpers, clients, count)
            server = result.extra["server"]
            line = row("cognito-emu", args.ops_layer, f"USER_SRP_AUTH sign-in ({clients} client)", result)
            line["server ms"] = statistics.median(server) * 1000
            line["client ms"] = statistics.median(result.extra["client"]) * 1000
            line["SRP_A ms"] = prepared / len(helpers) * 1000
            line["server-only sign-ins/s"] = clients / statistics.fmean(server)
            table.append(line)
        return [Table("srp", "USER_SRP_AUTH sign-ins (two round trips each)", COLUMNS, table)]
    finally:
        child.stop()


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
