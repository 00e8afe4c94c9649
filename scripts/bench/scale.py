"""Suite "scale": ListUsers latency on 10,000 and 100,000 users, and the server's memory per user.

The users are put in by a bench-only route of the bench's own server process (``POST /_bench/fill``)
through the emulator's ``directory.add_user``, each with hash, SRP salt and verifier strings of real
size, so the pool is filled in seconds instead of hashing 100,000 passwords; queries go over HTTP.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Callable
from typing import Any

from scripts.bench.client import Connection, Source, build_request, call, cycle, measure
from scripts.bench.report import Table, row
from scripts.bench.servers import start_child
from scripts.bench.users import user_email, user_name

COLUMNS = ["server", "operation", "req/s", "p50 ms", "p99 ms", "errors", "requests"]
MEMORY_COLUMNS = ["users", "VmRSS MiB", "fill s", "MiB per 10,000 users"]


def run(args: argparse.Namespace) -> list[Table]:
    sizes = [10_000] if args.quick else [10_000, 100_000]
    child = start_child("emulator", args.ops_layer, args.threads)
    try:
        port = child.port
        pool_id = call(port, "CreateUserPool", {"PoolName": "bench-scale"})["UserPool"]["Id"]
        _post_fill(port, pool_id, 0, 0)  # the route's own first-call costs, and a gc
        memory: list[dict[str, Any]] = [{"users": 0, "VmRSS MiB": child.rss_kib() / 1024}]
        table = []
        filled = 0
        for size in sizes:
            seconds = _post_fill(port, pool_id, filled, size - filled)
            filled = size
            memory.append({"users": size, "VmRSS MiB": child.rss_kib() / 1024, "fill s": seconds})
            table.extend(_queries(port, pool_id, size, args))
        for before, after in itertools.pairwise(memory):
            after["MiB per 10,000 users"] = (
                (after["VmRSS MiB"] - before["VmRSS MiB"]) * 10_000 / (after["users"] - before["users"])
            )
    finally:
        child.stop()
    return [
        Table("scale", "ListUsers latency by pool size (1 client)", COLUMNS, table),
        Table("memory", "Server memory (VmRSS of the server process)", MEMORY_COLUMNS, memory),
    ]


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


def _queries(port: int, pool_id: str, size: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Latency with one client (nothing queued behind anything), each query kind over several values."""
    picks = [(size * k) // 37 for k in range(37)]

    def listing(params: Callable[[int], dict[str, Any]]) -> Source:
        return cycle([build_request(port, "ListUsers", {"UserPoolId": pool_id, **params(n)}) for n in picks])

    last_page_token = call(port, "ListUsers", {"UserPoolId": pool_id, "Limit": 60}).get("PaginationToken")
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
        table.append(row(f"cognito-emu, {size:,} users", args.ops_layer, f"ListUsers {name}", result))
    return table
