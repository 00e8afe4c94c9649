"""Time from spawning ``cognito-emu serve`` to its first answered call, against a baseline.

    .venv/bin/python scripts/startup.py [--runs 5]

The baseline is the benchmark's minimal Werkzeug app on the same serving layer, spawned and asked
the same way, so the ratio says what the emulator adds on top of starting Python and a server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY = re.compile(r"ready on http://[^:]+:(\d+)")
BIN = Path(sys.executable).parent / "cognito-emu"


def _first_answer(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = json.dumps({"PoolName": "startup"})
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityProviderService.CreateUserPool",
    }
    connection.request("POST", "/", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()


def _spawn(command: list[str], port_of: re.Pattern[str]) -> float:
    """Seconds from spawn to the first answered request."""
    started = time.perf_counter()
    # From the repository's root, where ``-m scripts.bench.servers`` is found.
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            match = port_of.search(line)
            if match:
                _first_answer(int(match.group(1)))
                return time.perf_counter() - started
        raise RuntimeError(f"{command[0]} printed no port")
    finally:
        process.terminate()
        process.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    emulator = [str(BIN), "serve", "--port", "0", "--log-level", "warning"]
    baseline = [sys.executable, "-m", "scripts.bench.servers", "minimal", "--layer", "cheroot"]
    emu_times = [_spawn(emulator, READY) for _ in range(args.runs)]
    base_times = [_spawn(baseline, re.compile(r"PORT (\d+)")) for _ in range(args.runs)]
    emu, base = statistics.median(emu_times), statistics.median(base_times)
    print(
        f"cognito-emu serve -> first answer: median {emu * 1000:.0f} ms, max {max(emu_times) * 1000:.0f} ms"
    )
    print(
        f"minimal Werkzeug app (cheroot)  : median {base * 1000:.0f} ms, max {max(base_times) * 1000:.0f} ms"
    )
    print(f"ratio: {emu / base:.2f}x the minimal app ({args.runs} runs each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
