"""Suite "startup": spawn to first answered call, for ``cognito-emu serve``, moto's server and the minimal app.

Each is spawned ``--startup-runs`` times (interleaved, so a noisy neighbour hurts all alike), and the
clock runs from the spawn until the answer to a first CreateUserPool (the minimal app answers its
fixed body). Besides the wall time, the child's CPU time up to that answer is read from
/proc/<pid>/stat: on a loaded machine it varies far less than the wall time.

Python's bytecode cache counts as a user has it: the children run with PYTHONDONTWRITEBYTECODE
removed, and a first spawn of each (not counted) writes the cache.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from scripts.bench.report import Table
from scripts.bench.servers import ROOT

COLUMNS = ["server", "wall ms (median)", "wall ms (max)", "CPU ms (median)", "vs moto", "CPU vs moto", "target"]
TARGET = 0.35
READY = re.compile(r"(?:ready on http://[^:]+:|PORT )(\d+)")


def commands() -> dict[str, list[str]]:
    child = [sys.executable, "-m", "scripts.bench.servers"]
    return {
        # python -m from the repository's root: the code of this checkout, as the console script runs it.
        "cognito-emu serve": [sys.executable, "-m", "cognito_emu", "serve", "--port", "0", "--log-level", "warning"],
        "moto (ThreadedMotoServer)": [*child, "moto"],
        "minimal werkzeug app (built-in server)": [*child, "minimal", "--layer", "builtin"],
    }


def _first_answer(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "POST",
        "/",
        body=json.dumps({"PoolName": "startup"}),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.CreateUserPool",
        },
    )
    connection.getresponse().read()
    connection.close()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def spawn(command: list[str]) -> tuple[float, float]:
    """Wall seconds from spawn to the first answer, and the child's CPU seconds by then."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT, env=environment
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            match = READY.search(line)
            if match:
                _first_answer(int(match.group(1)))
                return time.perf_counter() - started, _cpu_seconds(process.pid)
        raise RuntimeError(f"{command[0]} printed no port")
    finally:
        process.terminate()
        process.wait(timeout=10)


def run(args: argparse.Namespace) -> list[Table]:
    chosen = {
        name: command for name, command in commands().items() if not (args.no_moto and name.startswith("moto"))
    }
    for command in chosen.values():
        spawn(command)  # writes the bytecode cache
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in chosen}
    for _ in range(args.startup_runs):
        for name, command in chosen.items():
            runs[name].append(spawn(command))
    wall = {name: statistics.median(w for w, _ in values) for name, values in runs.items()}
    cpu = {name: statistics.median(c for _, c in values) for name, values in runs.items()}
    moto = next((name for name in chosen if name.startswith("moto")), None)
    table: list[dict[str, Any]] = []
    for name, values in runs.items():
        line: dict[str, Any] = {
            "server": name,
            "wall ms (median)": wall[name] * 1000,
            "wall ms (max)": max(w for w, _ in values) * 1000,
            "CPU ms (median)": cpu[name] * 1000,
        }
        if moto is not None and name != moto:
            line["vs moto"] = wall[name] / wall[moto]
            line["CPU vs moto"] = cpu[name] / cpu[moto] if cpu[moto] else float("nan")
            if name == "cognito-emu serve":
                line["target"] = f"<= {TARGET:g}x: {'met' if line['vs moto'] <= TARGET else 'MISSED'}"
        table.append(line)
    title = f"Start-up: spawn to first answered call ({args.startup_runs} runs each)"
    return [Table("startup", title, COLUMNS, table)]
