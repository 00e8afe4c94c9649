"""The servers under test, each in a child process of its own so the load client does not share its GIL.

    python -m scripts.bench.servers {emulator,moto,minimal} [--layer LAYER] [--threads N]

A child prints ``PORT <n>`` once it listens on 127.0.0.1 and stops on SIGTERM. ``minimal`` is a
Werkzeug app answering a fixed body: the floor of a serving layer (and scripts/startup.py's baseline).
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts.bench.users import user_email, user_name

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("emulator", "moto", "minimal")


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
    process = subprocess.Popen(
        [sys.executable, "-m", "scripts.bench.servers", kind, "--layer", layer, "--threads", str(threads)],
        stdout=subprocess.PIPE,
        stderr=None if os.environ.get("BENCH_DEBUG") else subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench.servers",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--layer", default="werkzeug", help="the serving layer (emulator and minimal)")
    parser.add_argument("--threads", type=int, default=0, help="worker threads (default: the layer's)")
    args = parser.parse_args(argv)
    serve(args.kind, args.layer, args.threads)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
