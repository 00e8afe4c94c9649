"""Suite "scale": ListUsers latency on 10,000 and 100,000 users, and the server's memory per user.

The emulator's child makes the pool and fills it before it serves (``prefill``: hash, SRP salt and
verifier strings of real size, so 100,000 users take seconds, not minutes of hashing), reading its
own VmRSS after each step; the queries go over HTTP. A child per size: each fills through the
smaller sizes first, so the last one's readings are the steps of one growing pool.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable
from typing import Any

from scripts.bench.client import Source, build_request, call, cycle, measure
from scripts.bench.report import Table, row
from scripts.bench.servers import Fill, Filled, start_child
from scripts.bench.users import user_email, user_name

COLUMNS = ["server", "operation", "req/s", "p50 ms", "p99 ms", "errors", "requests"]
MEMORY_COLUMNS = ["users", "VmRSS MiB", "fill s", "MiB per 10,000 users"]
POOL_ID = "us-east-1_BenchScale"


def run(args: argparse.Namespace) -> list[Table]:
    sizes = args.scale_users or ([10_000] if args.quick else [10_000, 100_000])
    table: list[dict[str, Any]] = []
    filled: list[Filled] = []
    for count, size in enumerate(sizes, 1):
        fill = Fill(POOL_ID, tuple(sizes[:count]), args.scale_sign_in)
        child = start_child("emulator", args.ops_layer, args.threads, fill)
        try:
            table.extend(_queries(child.port, size, args))
        finally:
            child.stop()
        filled = child.filled
    return [
        Table("scale", "ListUsers latency by pool size (1 client)", COLUMNS, table),
        Table("memory", "Server memory (VmRSS of the server process)", MEMORY_COLUMNS, _memory(filled)),
    ]


def _memory(filled: list[Filled]) -> list[dict[str, Any]]:
    memory: list[dict[str, Any]] = []
    for step in filled:
        line: dict[str, Any] = {"users": step.users, "VmRSS MiB": step.rss_kib / 1024}
        if step.users:
            line["fill s"] = step.seconds
        memory.append(line)
    for before, after in itertools.pairwise(memory):
        after["MiB per 10,000 users"] = (
            (after["VmRSS MiB"] - before["VmRSS MiB"]) * 10_000 / (after["users"] - before["users"])
        )
    return memory


def _queries(port: int, size: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Latency with one client (nothing queued behind anything), each query kind over several values."""
    picks = [(size * k) // 37 for k in range(37)]

    def listing(params: Callable[[int], dict[str, Any]]) -> Source:
        return cycle([build_request(port, "ListUsers", {"UserPoolId": POOL_ID, **params(n)}) for n in picks])

    last_page_token = call(port, "ListUsers", {"UserPoolId": POOL_ID, "Limit": 60}).get("PaginationToken")
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
