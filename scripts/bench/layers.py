"""Suite "layers": DescribeUserPool and ListUserPools on the emulator, moto's server and the minimal
app, per serving layer."""

from __future__ import annotations

import argparse
from typing import Any

from scripts.bench.client import Result, best_of, build_request, call, measure
from scripts.bench.report import Table, row
from scripts.bench.servers import start_child

COLUMNS = ["server", "layer", "operation", "req/s", "p50 ms", "p99 ms", "errors", "vs moto", "vs minimal"]


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


def run(args: argparse.Namespace) -> list[Table]:
    layers = [layer.strip() for layer in args.layers.split(",") if layer.strip()]
    cases = ([] if args.no_moto else [("moto", "werkzeug")]) + [
        (kind, layer) for layer in layers for kind in ("emulator", "minimal")
    ]
    best = best_of(args.repeat, cases, lambda case: run_layer_case(case[0], case[1], args))
    table: list[dict[str, Any]] = []
    moto = best.get(("moto", "werkzeug"), {})
    for op, result in moto.items():
        table.append(row("moto (ThreadedMotoServer)", "werkzeug", op, result))
    for layer in layers:
        emulator, minimal = best[("emulator", layer)], best[("minimal", layer)]
        for op in emulator:
            line = row("cognito-emu", layer, op, emulator[op])
            if op in moto:
                line["vs moto"] = emulator[op].rps / moto[op].rps
            line["vs minimal"] = emulator[op].rps / minimal[op].rps
            table.append(line)
        table.append(row("minimal werkzeug app", layer, "(fixed body)", minimal["DescribeUserPool"]))
    return [Table("layers", "DescribeUserPool / ListUserPools per serving layer", COLUMNS, table)]
