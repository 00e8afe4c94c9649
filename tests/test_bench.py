"""The benchmark (``python -m scripts.bench``) still runs: every suite once, as small as it goes.

Only that it finishes and prints its tables; its numbers are not judged here (the machine is
shared), and moto's server is left out to keep the run to a few seconds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TINY = [
    "--quick",
    "--no-moto",
    "--seconds",
    "0.2",
    "--limit",
    "20",
    "--clients",
    "1",
    "--users",
    "20",
    "--srp-count",
    "2",
    "--scale-users",
    "200",
    "--startup-runs",
    "1",
    "--mock-tests",
    "2",
]
TITLES = [
    "Start-up: spawn to first answered call (1 runs each)",
    "In-process mock: 2 tests under pytest, one process each",
    "DescribeUserPool / ListUserPools per serving layer",
    "User directory and sign-in (20 users in the ListUsers pool)",
    "USER_SRP_AUTH sign-ins (two round trips each)",
    "ListUsers latency by pool size (1 client)",
    "Server memory (VmRSS of the server process)",
]


def test_every_suite_runs_and_prints_its_table() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scripts.bench", *TINY],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    for title in TITLES:
        assert f"\n{title}\n" in done.stdout
    assert "cognito-emu, 200 users  ListUsers email = " in done.stdout
    memory = done.stdout.split("Server memory")[1].splitlines()
    assert [line.split()[0] for line in memory[4:]] == ["0", "200"]
