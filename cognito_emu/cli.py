"""``cognito-emu``: serve the emulator, print the version."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sys
import threading
import time
from typing import Any

from cognito_emu import __version__
from cognito_emu.config import Config

_IMPORTED = time.perf_counter()


def _since_process_start() -> float:
    """Seconds since this process was created (Linux), else since this module was imported."""
    try:
        with open("/proc/self/stat") as stat:
            start_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as uptime:
            up = float(uptime.read().split()[0])
        return max(0.0, up - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _IMPORTED


def _preload() -> None:
    """Load what the first call would otherwise pay for: botocore's models, and the index of the handler
    modules (each imported with its first call; all of them when the index has to be made)."""
    from cognito_emu.dispatch import prepare
    from cognito_emu.protocol.model import services

    services()
    prepare()


def _stop_requested(signum: int, frame: Any) -> None:
    """SIGINT and SIGTERM: ``serve`` stops when the signal wake-up socket has their byte."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cognito-emu",
        description="A local, AWS-wire-compatible emulator of Amazon Cognito (user pools and identity pools).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="run the emulator as an HTTP server",
        description="Serve cognito-idp and cognito-identity (AWS JSON 1.1) and the /_emu control API. "
        "Every option can also be set by an environment variable, shown in brackets.",
    )
    serve.add_argument("--host", help="address to listen on [COGNITO_EMU_HOST] (default 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, help="port to listen on, 0 for any free port [COGNITO_EMU_PORT] (default 9229)"
    )
    serve.add_argument("--region", help="region of unsigned calls [COGNITO_EMU_REGION] (default us-east-1)")
    serve.add_argument(
        "--account",
        help="account of calls whose key is not an account id [COGNITO_EMU_ACCOUNT] (default 123456789012)",
    )
    serve.add_argument(
        "--log-level",
        choices=["debug", "info", "warning", "error"],
        help="logging level; info logs one line per call [COGNITO_EMU_LOG_LEVEL] (default info)",
    )
    serve.add_argument(
        "--issuer-base",
        help="token issuer base: a URL, or 'aws' for AWS's https://cognito-idp.<region>.amazonaws.com "
        "of each pool's region [COGNITO_EMU_ISSUER_BASE] (default: the URL the client called)",
    )
    serve.add_argument(
        "--deterministic",
        type=int,
        metavar="SEED",
        help="make ids, codes and secrets reproducible [COGNITO_EMU_DETERMINISTIC]",
    )
    serve.add_argument(
        "--signing-key",
        metavar="PEM_FILE",
        help="an RSA private key (PEM) that signs the tokens of every user pool, for suites that pin a key "
        "[COGNITO_EMU_SIGNING_KEY: the file, or the PEM itself] (default: two fresh keys per pool, as in "
        "Cognito; a seed's signingKey still wins)",
    )
    serve.add_argument(
        "--smtp",
        metavar="HOST:PORT",
        help="also send every email (codes, invitations) to this SMTP server, e.g. a local Mailpit "
        "[COGNITO_EMU_SMTP] (default: none; messages stay in the outbox)",
    )
    serve.add_argument(
        "--smtp-from",
        metavar="ADDRESS",
        help="From address of those emails when the pool names none [COGNITO_EMU_SMTP_FROM] "
        "(default no-reply@verificationemail.com)",
    )
    serve.add_argument(
        "--server",
        choices=["builtin", "cheroot", "werkzeug", "waitress"],
        help="HTTP serving layer [COGNITO_EMU_SERVER] (default: builtin, cognito-emu's own)",
    )
    serve.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep the state in DIR (SQLite) so it survives restarts; every acknowledged write is committed "
        "before its response [COGNITO_EMU_DATA_DIR] (default: memory only). COGNITO_EMU_DATA_SYNC=full "
        "also fsyncs each commit",
    )
    serve.add_argument(
        "--seed",
        metavar="FILE",
        help="apply this seed (YAML or JSON: user pools, clients, users, identity pools) at start and "
        "after every full reset [COGNITO_EMU_SEED]",
    )
    serve.add_argument(
        "--trigger",
        action="append",
        default=[],
        metavar="ARN=TARGET",
        help="run TARGET when a pool's LambdaConfig names ARN (or a function name); TARGET is "
        "package.module:function, path/to/handler.py:handler, 'cmd:<command>' (event JSON on stdin, answer "
        "on stdout) or an http:// URL (event POSTed). Repeatable [COGNITO_EMU_TRIGGERS, comma- or "
        "newline-separated]",
    )
    serve.add_argument(
        "--unmapped-triggers",
        choices=["error", "skip"],
        help="a trigger whose ARN has no target: fail with UnexpectedLambdaException (error) or skip it "
        "with a warning [COGNITO_EMU_UNMAPPED_TRIGGERS] (default error)",
    )
    serve.add_argument(
        "--other-services",
        choices=["moto", "none"],
        help="requests for any other AWS service (IAM, SNS, S3, ...): answered by moto in this process, "
        "as moto_server would, or refused with an error naming the service [COGNITO_EMU_OTHER_SERVICES] "
        "(default: moto when installed: pip install 'cognito-emu[moto]')",
    )
    serve.add_argument(
        "--throttle",
        choices=["off", "aws"],
        help="aws: enforce Cognito's per-category request-rate quotas (raised by UpdateProvisionedLimit), "
        "answering TooManyRequestsException [COGNITO_EMU_THROTTLE] (default off)",
    )
    export = commands.add_parser(
        "export",
        help="write a running emulator's state as a seed file (or a state export)",
        description="Read GET /_emu/state?format=seed from a running emulator (or convert a saved "
        "GET /_emu/state export) and write it as YAML or JSON.",
    )
    source = export.add_mutually_exclusive_group()
    source.add_argument("--endpoint", help="the emulator's URL (default http://127.0.0.1:9229)")
    source.add_argument("--from-state", metavar="FILE", help="a saved GET /_emu/state export to convert")
    export.add_argument(
        "--format", choices=["seed", "state"], default="seed", help="seed (default) or the raw state export"
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write here (YAML for .yaml/.yml, else JSON); default stdout"
    )
    importer = commands.add_parser(
        "import-cognito-local",
        help="turn a cognito-local data folder into a seed file",
        description="Read cognito-local's data folder (its .cognito folder, or the folder holding it: "
        "config.json and db/ with clients.json and one JSON file per user pool) and write a seed file that "
        "`serve --seed` loads: pools, app clients, groups, users with attributes, subs, statuses and "
        "passwords. What a seed cannot carry is named on stderr.",
    )
    importer.add_argument("folder", metavar="DIR", help="cognito-local's data folder")
    importer.add_argument(
        "-o", "--output", metavar="FILE", help="write here (YAML for .yaml/.yml, else JSON); default stdout"
    )
    commands.add_parser("version", help="print the version and exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "version":
        print(__version__)
        return 0
    if args.command == "serve":
        return serve(args)
    if args.command == "export":
        return export(args)
    if args.command == "import-cognito-local":
        return import_cognito_local(args)
    parser.print_help()
    return 2


def serve(args: argparse.Namespace) -> int:
    try:
        config = Config.from_env(
            host=args.host,
            port=args.port,
            region=args.region,
            account=args.account,
            log_level=args.log_level,
            issuer_base=args.issuer_base,
            deterministic=args.deterministic,
            signing_key=args.signing_key,
            seed=args.seed,
            data_dir=args.data_dir,
            smtp=args.smtp,
            smtp_from=args.smtp_from,
            triggers="\n".join(filter(None, [os.environ.get("COGNITO_EMU_TRIGGERS"), *args.trigger])) or None,
            unmapped_triggers=args.unmapped_triggers,
            other_services=args.other_services,
            throttle=args.throttle,
        )
    except ValueError as exc:
        print(f"cognito-emu: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=config.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    from cognito_emu.emulator import Emulator
    from cognito_emu.server import make_server
    from cognito_emu.state.persistence import PersistenceError

    try:
        emulator = Emulator(config)
    except ValueError as exc:
        print(f"cognito-emu: {exc}", file=sys.stderr)
        return 2
    except PersistenceError as exc:
        print(f"cognito-emu: cannot use the data dir: {exc}", file=sys.stderr)
        return 2
    layer = args.server or os.environ.get("COGNITO_EMU_SERVER") or None
    _preload()
    try:
        server = make_server(emulator.app, config.host, config.port, layer=layer)
    except ValueError as exc:
        print(f"cognito-emu: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"cognito-emu: cannot listen on {config.host}:{config.port}: {exc}", file=sys.stderr)
        return 1
    if emulator.other_services.mode == "moto":
        # What moto_server sets: moto's Lambda and Step Functions call back to the port it serves on.
        os.environ.setdefault("MOTO_PORT", str(server.port))
    # The server runs on a thread of its own while the main thread waits for SIGINT or SIGTERM on a
    # signal wake-up socket. The kernel may hand a process's signal to any of its threads, and one
    # that lands on a connection's thread does not interrupt a main thread blocked in select() or a
    # join: Python's handler would wait for the main thread's next bytecode, with an idle server never.
    # The wake-up socket is written by whichever thread the signal reaches.
    serving = threading.Thread(target=server.serve_forever, name="cognito-emu-serve", daemon=True)
    woken, wake = socket.socketpair()
    wake.setblocking(False)
    signal.set_wakeup_fd(wake.fileno())
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stop_requested)
    serving.start()
    logging.getLogger("cognito_emu").info(
        "cognito-emu %s listening on http://%s:%d (region %s, account %s)",
        __version__,
        config.host,
        server.port,
        config.region,
        config.account,
    )
    # A line scripts and tests can wait for, with the real port when --port 0 was asked.
    print(
        f"cognito-emu ready on http://{config.host}:{server.port} ({_since_process_start() * 1000:.0f} ms)",
        flush=True,
    )
    woken.recv(1)
    # A second signal during the shutdown ends the process at once.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)
    signal.set_wakeup_fd(-1)
    woken.close()
    wake.close()
    server.shutdown()
    serving.join(timeout=5)
    emulator.close()
    logging.getLogger("cognito_emu").info("cognito-emu stopped")
    return 0


def export(args: argparse.Namespace) -> int:
    """``cognito-emu export``: a running emulator's state (or a saved state export) as a seed."""
    import json
    import urllib.error
    import urllib.request

    from cognito_emu.seed import dump_seed, export_seed

    output = args.output
    fmt = "yaml" if output and output.lower().endswith((".yaml", ".yml")) else "json"
    try:
        if args.from_state:
            with open(args.from_state, encoding="utf-8") as handle:
                document = json.load(handle)
            if args.format == "seed":
                from cognito_emu.state.codec import decode
                from cognito_emu.state.store import Address, State, Store

                state = State()
                stores = [decode(Store, item) for item in document.get("stores", [])]
                state.stores = {Address(store.account, store.region): store for store in stores}
                state.rebuild_indexes()
                document = export_seed(state)
        else:
            endpoint = (args.endpoint or "http://127.0.0.1:9229").rstrip("/")
            query = "?format=seed" if args.format == "seed" else ""
            with urllib.request.urlopen(f"{endpoint}/_emu/state{query}", timeout=30) as response:
                document = json.load(response)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, urllib.error.URLError) as exc:
        print(f"cognito-emu: cannot export: {exc}", file=sys.stderr)
        return 1
    text = dump_seed(document, fmt)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


def import_cognito_local(args: argparse.Namespace) -> int:
    """``cognito-emu import-cognito-local DIR``: a cognito-local data folder as a seed file."""
    from cognito_emu.seed import dump_seed
    from cognito_emu.seed.cognito_local import CognitoLocalError, convert

    try:
        document, notes = convert(args.folder)
    except CognitoLocalError as exc:
        print(f"cognito-emu: {exc}", file=sys.stderr)
        return 1
    for note in notes:
        print(f"cognito-emu: {note}", file=sys.stderr)
    output = args.output
    text = dump_seed(document, "yaml" if output and output.lower().endswith((".yaml", ".yml")) else "json")
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0
