"""Throughput and latency of the emulator against moto's server and a minimal app.

    .venv/bin/python -m scripts.bench --quick               # every suite, small: well under a minute
    .venv/bin/python -m scripts.bench                       # every suite, a few minutes
    .venv/bin/python -m scripts.bench --suites layers --layers builtin,cheroot --seconds 5 --clients 8

Run from the repository's root. Each server runs in its own process on 127.0.0.1 (so the client does
not share its GIL); the client is a lean keep-alive loop over raw sockets sending pre-built requests
(signed-looking for the operations an SDK signs, unsigned for SignUp, InitiateAuth,
RespondToAuthChallenge and GetUser). The machine is shared: compare the ratios of one run, not
absolute numbers across runs.

Suites (``--suites``, default all):

layers  DescribeUserPool and ListUserPools on (a) the emulator, (b) moto's ThreadedMotoServer and
        (c) a minimal Werkzeug app returning a fixed body, per serving layer.
ops     The user directory and sign-in against the emulator and moto, same clients, same setup made
        through each server's API: SignUp, AdminCreateUser (unique usernames), AdminGetUser,
        ListUsers with a Filter on a pool of ``--users`` users, InitiateAuth USER_PASSWORD_AUTH,
        GetUser with an access token, GetId (cognito-identity) with a user's ID token whose identity
        exists, and CreateUserPool (unique names); the target column is issue 12's ratio to moto.
srp     USER_SRP_AUTH sign-ins on the emulator alone (InitiateAuth + RespondToAuthChallenge
        PASSWORD_VERIFIER), the client side computed with pycognito's AWSSRP. SRP_A is made before
        the clock starts; the answer to the challenge needs the server's B, so it is computed in the
        loop and reported separately ("client ms"); "server ms" is the two round trips alone.
startup Spawn to first answered call (median of ``--startup-runs``, 5) for ``cognito-emu serve``,
        moto's server and the minimal app, with each child's CPU time until then.
mock    The same 50-test file under pytest in a subprocess, with mock_cognito and with moto's
        mock_aws: each test enters the mock, creates a pool, client and user, signs in, calls GetUser;
        and its floor, the file with botocore answered from recorded responses and no emulator.
peers   With ``--peers moto,cognito-local,ministack``: those emulators beside cognito-emu in one
        interleaved run, each installed on first use into ~/.cache/cognito-emu/peers (or skipped,
        saying why); start-up, and the ops cases with req/s, percentiles, the server's CPU per
        request and the ratio to moto (``peers``); an operation a peer lacks is shown n/a, with why.
scale   ListUsers latency on 10,000 and 100,000 users (10,000 only with --quick; ``--scale-users``
        to choose; ``--scale-sign-in email`` for a pool whose users sign in by email, ``alias`` for
        one whose users sign in by username or email (AliasAttributes), each with its alias index), and the server's memory per 10,000 users (VmRSS of the server process). The
        bench's emulator child makes the pool and fills it before it serves, through the emulator's
        ``directory.add_user``, each user with hash, SRP salt and verifier strings of real size, so
        the pool is filled in seconds instead of hashing 100,000 passwords; queries go over HTTP.

Modules: ``client`` (the load loop), ``servers`` (the child processes), ``report`` (tables), ``users``
(names and setup), ``prefill`` (the scale suite's users, made in the child), one module per suite.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from scripts.bench import layers, mock, ops, peers, scale, srp, startup
from scripts.bench.report import Table, print_table
from scripts.bench.users import SIGN_IN_SETTINGS

SUITES: dict[str, Callable[[argparse.Namespace], list[Table]]] = {
    "startup": startup.run,
    "mock": mock.run,
    "layers": layers.run,
    "ops": ops.run,
    "srp": srp.run,
    "scale": scale.run,
    # Only with --peers: it installs other emulators on first use.
    "peers": peers.run,
}


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(size) for size in text.split(",") if size.strip()})
    except ValueError:
        sizes = []
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"expected numbers of users above 0, comma-separated: {text!r}")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--suites",
        default=None,
        help=f"any of {', '.join(SUITES)} (default: all but peers; only peers with --peers)",
    )
    parser.add_argument(
        "--peers",
        default="",
        help=f"run the peers suite against these (any of {', '.join(peers.PEERS)}), installed on first use",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: few requests, 10,000 users at most"
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="measured seconds per case (default 3)")
    parser.add_argument("--limit", type=int, default=0, help="at most this many requests per case (0: none)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive clients (default 4)")
    parser.add_argument("--threads", type=int, default=0, help="server worker threads (default: the layer's)")
    parser.add_argument("--layers", default="builtin,cheroot,werkzeug,waitress", help="serving layers to compare")
    parser.add_argument("--ops-layer", default="builtin", help="the emulator's layer in ops, srp and scale")
    parser.add_argument("--users", type=int, default=1000, help="users of the ListUsers pool in ops (1000)")
    parser.add_argument("--cases", default="", help="ops suite: only operations containing these words")
    parser.add_argument(
        "--scale-users", type=_sizes, default=[], help="scale suite: pool sizes (default 10000,100000)"
    )
    parser.add_argument(
        "--scale-sign-in",
        choices=tuple(SIGN_IN_SETTINGS),
        default="username",
        help="scale suite: users sign in by username, by email (UsernameAttributes), or by either "
        "(alias: AliasAttributes email); email and alias keep the alias index too",
    )
    parser.add_argument("--mock-tests", type=int, default=0, help="mock suite: tests in the file (50; 10 with --quick)")
    parser.add_argument("--startup-runs", type=int, default=5, help="startup suite: spawns of each (5)")
    parser.add_argument("--srp-count", type=int, default=150, help="SRP sign-ins per client (default 150)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best round of each case counts")
    parser.add_argument("--no-moto", action="store_true", help="skip moto's server")
    parser.add_argument("--json", action="store_true", help="print the results as JSON as well")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds = min(args.seconds, 1.0)
        args.limit = args.limit or 300
        args.layers = "builtin"
        args.users = min(args.users, 200)
        args.srp_count = min(args.srp_count, 15)
        args.startup_runs = min(args.startup_runs, 2)
        args.repeat = 1

    if args.suites is None:
        args.suites = "peers" if args.peers else ",".join(name for name in SUITES if name != "peers")
    suites = [suite.strip() for suite in args.suites.split(",") if suite.strip()]
    if "peers" in suites and not args.peers:
        parser.error("the peers suite needs --peers (e.g. --peers moto,cognito-local,ministack)")
    unknown = set(suites) - set(SUITES)
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}")
    print(
        f"{args.clients} keep-alive clients, {args.seconds:g} s per case"
        f"{f' (at most {args.limit} requests)' if args.limit else ''}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    report: dict[str, Any] = {}
    for name in SUITES:
        if name in suites:
            for table in SUITES[name](args):
                report[table.key] = table.rows
                print_table(table)
    failed = [line for rows in report.values() for line in rows if line.get("errors")]
    for line in failed:
        print(
            f"errors in {line['server']} {line['operation']}: {line.get('first error', '')}", file=sys.stderr
        )
    if args.json:
        print(json.dumps(report, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
