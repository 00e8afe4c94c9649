"""The benchmark (``python -m scripts.bench``) still runs: every suite once, as small as it goes.

Only that it finishes and prints its tables; its numbers are not judged here (the machine is
shared), and moto's server is left out to keep the run to a few seconds. The peers suite runs with
cognito-emu alone (the others are installed on first use, which a test must not do).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from cognito_emu.emulator import Emulator
from cognito_emu.idp.users import directory
from scripts.bench import peers, prefill
from scripts.bench.client import Result
from scripts.bench.users import user_email

ROOT = Path(__file__).resolve().parent.parent
TINY = [
    "--quick",
    "--suites",
    "startup,mock,layers,ops,srp,scale,peers",
    "--peers",
    "cognito-emu",
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
    "Peers: spawn to first answered call (best of the rounds; vs moto: moto's time / this one's)",
    "Peers: user directory and sign-in, 1 keep-alive clients, 20 users (vs moto: req/s / moto's)",
]
# Every operation of the ops suite, in the ops and the peers tables: issue 12's rows.
OPERATIONS = [
    "SignUp",
    "AdminCreateUser",
    "AdminGetUser",
    'ListUsers email = "…"',
    'ListUsers username ^= "…"',
    "InitiateAuth USER_PASSWORD_AUTH",
    "GetUser",
    "GetId",
    "CreateUserPool",
]


def _first_column(after_title: str) -> list[str]:
    """The first cell of each row of the table printed first in this text (an operation's name holds
    single spaces only; the columns are two apart)."""
    rows = after_title.split("\n\n", 2)[1].splitlines()[2:]
    return [line.split("  ")[0] for line in rows]


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
    ops = done.stdout.split("\nUser directory and sign-in")[1].split("\nUSER_SRP_AUTH")[0]
    assert _first_column(ops) == OPERATIONS
    assert _first_column(done.stdout.split("\nPeers: user directory")[1]) == OPERATIONS
    assert _first_column(done.stdout.split("Server memory")[1]) == ["0", "200"]
    srp_rows = _first_column(done.stdout.split("\nUSER_SRP_AUTH sign-ins")[1])
    assert srp_rows[:2] == ["USER_PASSWORD_AUTH sign-in (1 client)", "USER_SRP_AUTH sign-in (1 client)"]


def test_a_peer_without_an_operation_shows_it_as_not_available() -> None:
    def measured(rps: float) -> peers.Measured:
        return peers.Measured(Result(int(rps), 1.0, [0.001] * int(rps), 0), 0.002)

    best = {
        "moto": {"GetId": measured(100), "CreateUserPool": measured(4)},
        "cognito-local": {"CreateUserPool": measured(50)},
        "cognito-emu": {"GetId": measured(1000), "CreateUserPool": measured(2000)},
    }
    unsupported = {
        "moto": {},
        "cognito-local": {"GetId": "no identity pools (CreateIdentityPool answered 500)"},
    }
    table = peers._ops_table(best, unsupported, argparse.Namespace(clients=4, users=300))
    rows = {(line["operation"], line["server"]): line for line in table.rows}
    assert rows["GetId", "cognito-local"] == {
        "operation": "GetId",
        "server": "cognito-local",
        "note": "n/a: no identity pools (CreateIdentityPool answered 500)",
    }
    assert rows["GetId", "cognito-emu"]["vs moto"] == 10.0
    assert rows["GetId", "cognito-emu"]["target"] == ">= 9x: met"
    assert rows["CreateUserPool", "cognito-local"]["vs moto"] == 12.5
    assert "target" not in rows["CreateUserPool", "cognito-local"]
    assert rows["CreateUserPool", "cognito-emu"]["target"] == ">= 5x: met"


def test_the_scale_suites_email_pool_signs_its_users_in_by_email() -> None:
    emulator = Emulator()
    prefill.create_pool(emulator, "us-east-1_BenchEmail", "email")
    prefill.add_users(emulator, "us-east-1_BenchEmail", 0, 3, "email")
    pool = emulator.state.find_pool("us-east-1_BenchEmail")
    assert pool is not None and pool.settings["UsernameAttributes"] == ["email"]
    user = directory.find_user(pool, user_email(2).upper())
    assert user is not None and user.username == user.sub and user.attributes["email"] == user_email(2)
