"""Suite "peers": cognito-emu beside other Cognito emulators in one interleaved run (``--peers``).

    python -m scripts.bench --suites peers --peers moto,cognito-local,ministack

Each peer is installed on first use into a cache (``$XDG_CACHE_HOME/cognito-emu/peers``, else
``~/.cache/cognito-emu/peers``): moto's server (``moto[server]``) and MiniStack from PyPI into a
virtual environment each, cognito-local from npm. A peer that cannot be installed or does not start
is skipped, and the run says why. Every server is a child process on 127.0.0.1, cognito-emu as
``cognito-emu serve``; each round starts them one after the other (rounds interleave, so a noisy
neighbour hurts all alike) and the best round of each case counts.

Figures: spawn to first answered call, then for the ops suite's cases (the same pools, clients and
users made through each server's API) req/s, p50 and p99 latency, the server's CPU time per request
(user and system time of the server's process tree, from /proc, over the measured requests only),
errors, and each figure's ratio to moto's in the same run. A peer that lacks an operation (cognito-local
has no identity pools, so no GetId) shows it as n/a with the reason its setup gave.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts.bench.client import Result, build_request, load
from scripts.bench.ops import prepare_ops, target_note
from scripts.bench.report import Table, row
from scripts.bench.servers import ROOT

PEERS = ("moto", "cognito-local", "ministack")
COLUMNS = ["operation", "server", "req/s", "p50 ms", "p99 ms", "CPU ms/req", "errors", "vs moto", "target", "note"]
START_COLUMNS = ["server", "version", "first answer s", "vs moto", "note"]
START_TIMEOUT = 90.0
INSTALL_TIMEOUT = 900
TICKS = os.sysconf("SC_CLK_TCK")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cognito-emu" / "peers"


class Unavailable(Exception):
    """A peer that cannot be installed or started here; the message says why."""


def _run(command: list[str], cwd: Path | None = None) -> None:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unavailable(f"{' '.join(command[:3])}: {exc}") from None
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise Unavailable(f"{' '.join(command[:3])} failed: {tail[0]}")


def _python_peer(name: str, requirement: str, script: str) -> tuple[Path, str]:
    """The peer's console script in its own venv (made on first use), and the installed version."""
    venv = cache_dir() / name
    executable = venv / "bin" / script
    if not executable.exists():
        _run([sys.executable, "-m", "venv", str(venv)])
        _run([str(venv / "bin" / "pip"), "install", "--quiet", requirement])
    package = requirement.split("[")[0]
    version = subprocess.run(
        [str(venv / "bin" / "python"), "-c", f"import importlib.metadata as m; print(m.version({package!r}))"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return executable, version


def _node_peer(name: str, package: str, entry: str) -> tuple[Path, str]:
    """The package's entry script under the cache's node_modules (npm-installed on first use)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise Unavailable("node and npm are not on PATH")
    folder = cache_dir() / name
    script = folder / "node_modules" / package / entry
    if not script.exists():
        folder.mkdir(parents=True, exist_ok=True)
        _run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(folder), package], cwd=folder)
    manifest = (folder / "node_modules" / package / "package.json").read_text()
    version = manifest.split('"version"', 1)[1].split('"')[1]
    return script, version


@dataclass(frozen=True, slots=True)
class Launch:
    """How to start one server on ``port``: its command, environment additions and version."""

    command: list[str]
    env: dict[str, str]
    version: str
    cwd: Path | None = None


def _launch(name: str, port: int, scratch: Path) -> Launch:
    if name == "cognito-emu":
        command = [sys.executable, "-m", "cognito_emu", "serve", "--host", "127.0.0.1", "--port", str(port)]
        return Launch(command, {"PYTHONPATH": str(ROOT)}, "this checkout", ROOT)
    if name == "moto":
        script, version = _python_peer("moto", "moto[server]", "moto_server")
        return Launch([str(script), "-H", "127.0.0.1", "-p", str(port)], {}, version)
    if name == "ministack":
        script, version = _python_peer("ministack", "ministack", "ministack")
        return Launch([str(script)], {"GATEWAY_PORT": str(port), "BIND_HOST": "127.0.0.1"}, version, scratch)
    if name == "cognito-local":
        script, version = _node_peer("cognito-local", "cognito-local", "lib/bin/start.js")
        node = shutil.which("node") or "node"
        # cognito-local keeps its data and config in .cognito/ under its working directory: a scratch one.
        # Its pools take emails as usernames unless told otherwise; the others' defaults are Cognito's.
        config = scratch / ".cognito" / "config.json"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(json.dumps({"UserPoolDefaults": {"UsernameAttributes": []}}))
        return Launch([node, str(script)], {"PORT": str(port), "HOST": "127.0.0.1"}, version, scratch)
    raise Unavailable(f"unknown peer {name!r} (one of {', '.join(PEERS)})")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    request = build_request(port, "ListUserPools", {"MaxResults": 1})
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(request)
            return sock.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def tree_cpu_seconds(pid: int) -> float:
    """User and system CPU of ``pid`` and its descendants (a launcher script may fork the server)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICKS
    total, wanted = 0.0, {pid}
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in wanted and child not in wanted:
                wanted.add(child)
                changed = True
    for member in wanted:
        total += times.get(member, 0.0)
    return total


@dataclass
class Running:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    version: str
    first_answer: float

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start(name: str, scratch: Path) -> Running:
    port = _free_port()
    launch = _launch(name, port, scratch)
    began = time.perf_counter()
    process = subprocess.Popen(
        launch.command,
        env={**os.environ, **launch.env},
        cwd=launch.cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Unavailable(f"{name} exited with {process.returncode} before it answered")
        if _answers(port):
            return Running(name, process, port, launch.version, time.perf_counter() - began)
        time.sleep(0.05)
    process.kill()
    process.wait()
    raise Unavailable(f"{name} did not answer within {START_TIMEOUT:g} s")


@dataclass
class Measured:
    result: Result
    cpu_per_request: float


def _measure(server: Running, args: argparse.Namespace) -> tuple[dict[str, Measured], dict[str, str]]:
    """Each case the server supports, measured; and those it does not, with the reason."""
    cases = prepare_ops(server.port, args.users, server.name)
    measured: dict[str, Measured] = {}
    for op, source in cases.sources.items():
        load(server.port, source, args.clients, min(0.5, args.seconds), limit=args.limit and max(20, args.limit // 5))
        before = tree_cpu_seconds(server.process.pid)
        result = load(server.port, source, args.clients, args.seconds, limit=args.limit)
        cpu = tree_cpu_seconds(server.process.pid) - before
        measured[op] = Measured(result, cpu / max(1, result.requests))
    return measured, cases.unsupported


def run(args: argparse.Namespace) -> list[Table]:
    wanted = [name.strip() for name in args.peers.split(",") if name.strip()]
    servers = [name for name in wanted if name != "cognito-emu"] + ["cognito-emu"]
    skipped: dict[str, str] = {}
    best: dict[str, dict[str, Measured]] = {}
    unsupported: dict[str, dict[str, str]] = {}
    starts: dict[str, list[float]] = {}
    versions: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as tmp:
        for _ in range(max(1, args.repeat)):
            for name in servers:
                if name in skipped:
                    continue
                try:
                    server = start(name, Path(tmp))
                except Unavailable as exc:
                    skipped[name] = str(exc)
                    print(f"peers: skipping {name}: {exc}", file=sys.stderr, flush=True)
                    continue
                try:
                    starts.setdefault(name, []).append(server.first_answer)
                    versions[name] = server.version
                    try:
                        measured, unsupported[name] = _measure(server, args)
                    except (RuntimeError, OSError, KeyError) as exc:
                        skipped[name] = f"its setup through the API failed: {exc}"
                        print(f"peers: skipping {name}: {skipped[name]}", file=sys.stderr, flush=True)
                        continue
                finally:
                    server.stop()
                kept = best.setdefault(name, {})
                for op, value in measured.items():
                    if op not in kept or value.result.rps > kept[op].result.rps:
                        kept[op] = value
    return [_start_table(starts, versions, skipped), _ops_table(best, unsupported, args)]


def _start_table(starts: dict[str, list[float]], versions: dict[str, str], skipped: dict[str, str]) -> Table:
    fastest = {name: min(values) for name, values in starts.items() if name not in skipped}
    lines: list[dict[str, Any]] = []
    for name, seconds in fastest.items():
        line: dict[str, Any] = {"server": name, "version": versions.get(name, ""), "first answer s": seconds}
        if "moto" in fastest:
            line["vs moto"] = fastest["moto"] / seconds
        lines.append(line)
    for name, reason in skipped.items():
        lines.append({"server": name, "version": versions.get(name, ""), "note": f"skipped: {reason[:160]}"})
    title = "Peers: spawn to first answered call (best of the rounds; vs moto: moto's time / this one's)"
    return Table("peers_startup", title, START_COLUMNS, lines)


def _ops_table(
    best: dict[str, dict[str, Measured]], unsupported: dict[str, dict[str, str]], args: argparse.Namespace
) -> Table:
    """A row per operation and server; a server that does not support an operation shows n/a and why."""
    moto = best.get("moto", {})
    operations: list[str] = list(dict.fromkeys(op for measured in best.values() for op in measured))
    lines: list[dict[str, Any]] = []
    for op in operations:
        for name, measured in best.items():
            if op not in measured:
                if op in unsupported.get(name, {}):
                    lines.append({"operation": op, "server": name, "note": f"n/a: {unsupported[name][op]}"})
                continue
            value = measured[op]
            line = row(name, "", op, value.result)
            line["CPU ms/req"] = value.cpu_per_request * 1000
            if op in moto and name != "moto":
                line["vs moto"] = value.result.rps / moto[op].result.rps
                if name == "cognito-emu":
                    line["target"] = target_note(op, line["vs moto"])
            lines.append(line)
    title = (
        f"Peers: user directory and sign-in, {args.clients} keep-alive clients, {args.users} users"
        " (vs moto: req/s / moto's)"
    )
    return Table("peers", title, COLUMNS, lines)
