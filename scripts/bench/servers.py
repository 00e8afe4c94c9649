"""The servers under test, each in a child process of its own so the load client does not share its GIL.

    python -m scripts.bench.servers {emulator,moto,minimal} [--layer LAYER] [--threads N]
                                    [--fill-pool ID --fill-users 10000,100000]

A child prints ``PORT <n>`` once it listens on 127.0.0.1 and stops on SIGTERM. ``minimal`` is a
Werkzeug app answering a fixed body: the floor of a serving layer (and the startup suite's baseline).
With ``--fill-pool``, the emulator's child makes that pool and fills it to each size in turn before
it serves, printing ``FILLED <users> <VmRSS KiB> <seconds>`` after the empty pool and each step.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scripts.bench.users import SIGN_IN_SETTINGS

if TYPE_CHECKING:
    from cognito_emu.emulator import Emulator

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("emulator", "moto", "minimal")


@dataclass(frozen=True, slots=True)
class Fill:
    """A pool the emulator's child makes and fills, to each of ``sizes`` in turn, before it serves."""

    pool_id: str
    sizes: tuple[int, ...]
    # How its users sign in: a key of users.SIGN_IN_SETTINGS
    sign_in: str = "username"


@dataclass(frozen=True, slots=True)
class Filled:
    """The pool's size after a step, the child's VmRSS then, and the step's seconds."""

    users: int
    rss_kib: int
    seconds: float


def _minimal_app() -> Any:
    from werkzeug.wrappers import Request, Response

    body = json.dumps({"UserPool": {"Id": "us-east-1_abc", "Name": "fixed"}})

    @Request.application
    def app(request: Request) -> Response:
        request.get_data()
        return Response(body, mimetype="application/x-amz-json-1.1")

    return app


def _rss_kib() -> int:
    """VmRSS of this process, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def _fill(emulator: Emulator, fill: Fill) -> None:
    # Imported here: it loads the emulator's domain, which the minimal app's child must not pay for.
    from scripts.bench import prefill

    prefill.create_pool(emulator, fill.pool_id, fill.sign_in)
    gc.collect()
    _report(Filled(0, _rss_kib(), 0.0))
    start = 0
    for size in fill.sizes:
        began = time.perf_counter()
        prefill.add_users(emulator, fill.pool_id, start, size - start, fill.sign_in)
        _report(Filled(size, _rss_kib(), time.perf_counter() - began))
        start = size


def _report(step: Filled) -> None:
    print(f"FILLED {step.users} {step.rss_kib} {step.seconds}", flush=True)


def serve(kind: str, layer: str, threads: int, fill: Fill | None) -> None:
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

        emulator = Emulator(Config(port=0))
        server = make_server(emulator.app, "127.0.0.1", 0, layer=layer, threads=threads)
        if fill is not None:
            _fill(emulator, fill)
    else:
        server = make_server(_minimal_app(), "127.0.0.1", 0, layer=layer, threads=threads)
    print(f"PORT {server.port}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()


@dataclass
class Child:
    process: subprocess.Popen[str]
    port: int
    filled: list[Filled] = field(default_factory=list)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def start_child(kind: str, layer: str, threads: int, fill: Fill | None = None) -> Child:
    command = [
        sys.executable,
        "-m",
        "scripts.bench.servers",
        kind,
        "--layer",
        layer,
        "--threads",
        str(threads),
    ]
    if fill is not None:
        command += ["--fill-pool", fill.pool_id, "--fill-users", ",".join(map(str, fill.sizes))]
        command += ["--fill-sign-in", fill.sign_in]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=None if os.environ.get("BENCH_DEBUG") else subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    filled: list[Filled] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("FILLED "):
            users, rss_kib, seconds = line.split()[1:]
            filled.append(Filled(int(users), int(rss_kib), float(seconds)))
            # Filling 100,000 users takes seconds of its own: the start-up allowance begins again.
            deadline = time.monotonic() + 30
        elif line.startswith("PORT "):
            return Child(process, int(line.split()[1]), filled)
        elif not line and process.poll() is not None:
            break
    process.kill()
    raise RuntimeError(f"{kind} server on {layer} did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench.servers",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--layer", default="werkzeug", help="the serving layer (emulator and minimal)")
    parser.add_argument("--threads", type=int, default=0, help="worker threads (default: the layer's)")
    parser.add_argument("--fill-pool", default="", help="emulator: make this pool and fill it before serving")
    parser.add_argument("--fill-users", default="", help="the pool's sizes after each step, ascending")
    parser.add_argument(
        "--fill-sign-in",
        choices=tuple(SIGN_IN_SETTINGS),
        default="username",
        help="how the pool's users sign in",
    )
    args = parser.parse_args(argv)
    fill = None
    if args.fill_pool:
        if args.kind != "emulator":
            parser.error("only the emulator's child fills a pool")
        sizes = tuple(int(size) for size in args.fill_users.split(",") if size)
        fill = Fill(args.fill_pool, sizes, args.fill_sign_in)
    serve(args.kind, args.layer, args.threads, fill)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
