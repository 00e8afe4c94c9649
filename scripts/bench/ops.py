"""Suite "ops": the user directory and sign-in on the emulator against moto, same clients, same setup
made through each server's API."""

from __future__ import annotations

import argparse
import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scripts.bench.client import (
    IDENTITY,
    Api,
    ApiError,
    Result,
    Source,
    best_of,
    build_request,
    cycle,
    measure,
)
from scripts.bench.report import Table, row
from scripts.bench.servers import start_child
from scripts.bench.users import PASSWORD, add_users, make_pool, user_email, user_name

COLUMNS = ["operation", "server", "req/s", "p50 ms", "p99 ms", "errors", "vs moto", "target"]

# Issue 12's targets (performance): the emulator's throughput / moto's, in the same run.
OPS_TARGETS = {
    "SignUp": 3.0,
    "AdminCreateUser": 3.0,
    "AdminGetUser": 9.0,
    'ListUsers email = "…"': 9.0,
    'ListUsers username ^= "…"': 9.0,
    "InitiateAuth USER_PASSWORD_AUTH": 2.5,
    "GetUser": 9.0,
    "GetId": 9.0,
    "CreateUserPool": 5.0,
}


def target_note(op: str, vs_moto: float) -> str:
    """Whether the emulator's ratio to moto meets the operation's target; empty when it has none."""
    target = OPS_TARGETS.get(op)
    if target is None:
        return ""
    return f">= {target:g}x: {'met' if vs_moto >= target else 'MISSED'}"


@dataclass
class Cases:
    """Each operation's requests, and the operations a server cannot be asked, with the reason."""

    sources: dict[str, Source]
    unsupported: dict[str, str] = field(default_factory=dict)


def _identity_pool(api: Api, pool_id: str, client_id: str, id_tokens: list[str]) -> list[bytes]:
    """GetId requests for the users' ID tokens, in an identity pool that trusts the user pool's client:
    each user's identity is made here, so the measured calls find it (Cognito's GetId for a known login)."""
    provider = f"cognito-idp.{pool_id.split('_', 1)[0]}.amazonaws.com/{pool_id}"
    created = api(
        "CreateIdentityPool",
        {
            "IdentityPoolName": "bench",
            "AllowUnauthenticatedIdentities": False,
            "CognitoIdentityProviders": [{"ProviderName": provider, "ClientId": client_id}],
        },
        service=IDENTITY,
    )
    requests = []
    for token in id_tokens:
        params = {"IdentityPoolId": created["IdentityPoolId"], "Logins": {provider: token}}
        api("GetId", params, service=IDENTITY)
        requests.append(build_request(api.port, "GetId", params, service=IDENTITY))
    return requests


def prepare_ops(port: int, users: int, kind: str) -> Cases:
    """The same pools, clients and users on either server, made through its API."""
    api = Api(port)
    unsupported: dict[str, str] = {}
    try:
        directory_pool, directory_client = make_pool(api, "bench-directory")
        new_pool, new_client = make_pool(api, "bench-new")
        signed_in = range(min(20, users))
        add_users(api, directory_pool, range(users), signed_in)
        sign_ins = [
            build_request(
                port,
                "InitiateAuth",
                {
                    "ClientId": directory_client,
                    "AuthFlow": "USER_PASSWORD_AUTH",
                    "AuthParameters": {"USERNAME": user_name(n), "PASSWORD": PASSWORD},
                },
            )
            for n in signed_in
        ]
        access_tokens, id_tokens = [], []
        for n in signed_in:
            result = api(
                "InitiateAuth",
                {
                    "ClientId": directory_client,
                    "AuthFlow": "USER_PASSWORD_AUTH",
                    "AuthParameters": {"USERNAME": user_name(n), "PASSWORD": PASSWORD},
                },
            )
            access_tokens.append(result["AuthenticationResult"]["AccessToken"])
            id_tokens.append(result["AuthenticationResult"]["IdToken"])
        get_ids: list[bytes] = []
        try:
            get_ids = _identity_pool(api, directory_pool, directory_client, id_tokens)
        except ApiError as exc:
            # cognito-local emulates user pools only: it has no cognito-identity API.
            unsupported["GetId"] = f"no identity pools ({exc.summary[:200]})"
    finally:
        api.close()
    step = max(1, users // 50)
    sample = range(0, users, step)
    fresh = itertools.count()
    tag = f"{kind}{os.getpid()}"

    def sign_up(index: int, n: int) -> bytes:
        number = next(fresh)
        return build_request(
            port,
            "SignUp",
            {
                "ClientId": new_client,
                "Username": f"signup-{tag}-{number}",
                "Password": PASSWORD,
                "UserAttributes": [{"Name": "email", "Value": f"signup{number}@example.com"}],
            },
        )

    def admin_create(index: int, n: int) -> bytes:
        number = next(fresh)
        return build_request(
            port,
            "AdminCreateUser",
            {
                "UserPoolId": new_pool,
                "Username": f"created-{tag}-{number}",
                "MessageAction": "SUPPRESS",
                "UserAttributes": [{"Name": "email", "Value": f"created{number}@example.com"}],
            },
        )

    def create_pool(index: int, n: int) -> bytes:
        return build_request(port, "CreateUserPool", {"PoolName": f"created-{tag}-{next(fresh)}"})

    def list_users(filter_text: Callable[[int], str]) -> Source:
        return cycle(
            [
                build_request(port, "ListUsers", {"UserPoolId": directory_pool, "Filter": filter_text(n)})
                for n in sample
            ]
        )

    sources: dict[str, Source] = {
        "SignUp": sign_up,
        "AdminCreateUser": admin_create,
        "AdminGetUser": cycle(
            [
                build_request(port, "AdminGetUser", {"UserPoolId": directory_pool, "Username": user_name(n)})
                for n in sample
            ]
        ),
        'ListUsers email = "…"': list_users(lambda n: f'email = "{user_email(n)}"'),
        'ListUsers username ^= "…"': list_users(lambda n: f'username ^= "{user_name(n)[:-1]}"'),
        "InitiateAuth USER_PASSWORD_AUTH": cycle(sign_ins),
        "GetUser": cycle([build_request(port, "GetUser", {"AccessToken": token}) for token in access_tokens]),
    }
    if get_ids:
        sources["GetId"] = cycle(get_ids)
    # Last: the thousands of pools it makes stay out of the other cases' measurements.
    sources["CreateUserPool"] = create_pool
    return Cases(sources, unsupported)


def run_ops_case(kind: str, args: argparse.Namespace) -> dict[str, Result]:
    child = start_child(kind, args.ops_layer if kind == "emulator" else "werkzeug", args.threads)
    try:
        cases = prepare_ops(child.port, args.users, kind)
        wanted = [word.strip() for word in args.cases.split(",") if word.strip()]
        return {
            op: measure(child.port, source, args)
            for op, source in cases.sources.items()
            if not wanted or any(word in op for word in wanted)
        }
    finally:
        child.stop()


def run(args: argparse.Namespace) -> list[Table]:
    cases = ["emulator"] if args.no_moto else ["moto", "emulator"]
    best = best_of(args.repeat, cases, lambda kind: run_ops_case(kind, args))
    table: list[dict[str, Any]] = []
    moto = best.get("moto", {})
    for op, result in best["emulator"].items():
        if op in moto:
            table.append(row("moto (ThreadedMotoServer)", "werkzeug", op, moto[op]))
        line = row("cognito-emu", args.ops_layer, op, result)
        if op in moto:
            line["vs moto"] = result.rps / moto[op].rps
            line["target"] = target_note(op, line["vs moto"])
        table.append(line)
    title = f"User directory and sign-in ({args.users} users in the ListUsers pool)"
    return [Table("ops", title, COLUMNS, table)]
