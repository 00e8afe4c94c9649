"""Concurrency soak: 8 client threads of mixed traffic against one server.

Races with one right answer (sign-up of one name, the same group joined and left), sign-in storms
that end in lockout, deletes while another thread pages through ListUsers, refresh-token use
racing a global sign-out, and sign-ins whose PostAuthentication handler calls the emulator back (a
write, over HTTP, while the sign-in waits for it). No 5xx, exactly one winner per race, no deadlock,
nothing lost, and the state's invariants (tests/fuzz/invariants.py) afterwards. The server keeps a data dir: afterwards the database
holds exactly the memory state, and a restart loads that state back. CI runs SOAK_ROUNDS=4 rounds;
``make soak`` runs many more, and the SIGKILL crash loop 100 times.

The run prints what it measured (not asserted: no timed assertions): request latency p50 / p99 / max,
and the process's resident memory and live Python objects after the first round and after the last
(flat memory: the last figures close to the first).
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_emu.config import Config
from cognito_emu.emulator import Emulator
from cognito_emu.state.rows import all_rows
from tests.api.support import PASSWORD, boto_client, make_user, password_sign_in
from tests.fuzz.invariants import check_invariants

ROUNDS = int(os.environ.get("SOAK_ROUNDS", "4"))
THREADS = 8
FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"]
POST_AUTHENTICATION = "arn:aws:lambda:us-east-1:123456789012:function:soak-post-authentication"


@dataclass
class Figures:
    """What the run measured: each call's latency, and memory after the first and the last round."""

    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    memory: list[tuple[int, int]] = field(default_factory=list)

    def timed(self, call: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        try:
            return call()
        finally:
            with self.lock:
                self.latencies.append(time.perf_counter() - started)

    def sample_memory(self) -> None:
        """Resident set size in KiB (Linux's /proc; 0 elsewhere) and live objects, after a collection."""
        gc.collect()
        try:
            with open("/proc/self/statm") as statm:
                rss = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except OSError:
            rss = 0
        self.memory.append((rss, len(gc.get_objects())))

    def report(self) -> str:
        ordered = sorted(self.latencies)

        def ms(fraction: float) -> str:
            return f"{ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000:.1f} ms"

        (rss_first, objects_first), (rss_last, objects_last) = self.memory[0], self.memory[-1]
        return (
            f"soak: {ROUNDS} rounds, {len(ordered)} timed calls; latency p50 {ms(0.5)}, p99 {ms(0.99)}, "
            f"max {ms(1.0)}; resident memory {rss_first} KiB after round 1, {rss_last} KiB after round "
            f"{ROUNDS}; live objects {objects_first} -> {objects_last}"
        )


def _config(data_dir: Path) -> Config:
    return Config(port=0, region="us-east-1", data_dir=str(data_dir))


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Emulator]:
    """A server with a data dir. Without verify mode: its check after every operation would serialise the
    traffic; the database is compared with memory once the traffic is over."""
    with Emulator(_config(tmp_path)) as emulator:
        yield emulator


def _same_after_restart(emulator: Emulator) -> None:
    """The database holds exactly the memory state (check_invariants), and a restart loads it back."""
    check_invariants(emulator)
    with emulator.state.lock:
        memory = dict(all_rows(emulator.state))
    data_dir = Path(emulator.config.data_dir or "")
    emulator.close()
    with Emulator(_config(data_dir)) as restarted, restarted.state.lock:
        assert dict(all_rows(restarted.state)) == memory


def _all(figures: Figures, count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work`` on THREADS threads released together; answers or ClientErrors, in order."""
    start = threading.Barrier(count)

    def one(index: int) -> Any:
        start.wait(timeout=60)
        try:
            return figures.timed(lambda: work(index))
        except ClientError as error:
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] < 500, error.response
            return error.response["Error"]["Code"]

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count), timeout=300))


def _calling_back(
    emulator: Emulator, calling: dict[str, int]
) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """A PostAuthentication handler that writes to the signed-in user through the emulator's own API:
    the sign-in waits on the handler, which waits on a request the server must serve meanwhile. It
    writes while ``calling`` names the round (InitiateAuth hands PostAuthentication no ClientMetadata)."""
    callback = boto_client(emulator)

    def post_authentication(event: dict[str, Any], context: Any) -> dict[str, Any]:
        round_ = calling.get("round")
        if round_ is not None:
            callback.admin_update_user_attributes(
                UserPoolId=event["userPoolId"],
                Username=event["userName"],
                UserAttributes=[{"Name": "nickname", "Value": f"round{round_}"}],
            )
        return event

    return post_authentication


def test_mixed_traffic_from_eight_threads(served: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    figures = Figures()
    clients = [boto_client(served) for _ in range(THREADS)]
    admin = clients[0]
    calling: dict[str, int] = {}
    served.triggers.register(POST_AUTHENTICATION, _calling_back(served, calling))
    pool_id = admin.create_user_pool(
        PoolName="soak", LambdaConfig={"PostAuthentication": POST_AUTHENTICATION}
    )["UserPool"]["Id"]
    client_id = admin.create_user_pool_client(UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=FLOWS)[
        "UserPoolClient"
    ]["ClientId"]
    admin.create_group(UserPoolId=pool_id, GroupName="g")
    for n in range(20):
        make_user(admin, pool_id, f"resident{n}")
    for n in range(THREADS):
        make_user(admin, pool_id, f"caller{n}")

    def one_round(round_: int) -> None:
        # One name, eight sign-ups: exactly one winner.
        name = f"racer{round_}"
        answers = _all(
            figures,
            THREADS,
            lambda i: clients[i].sign_up(ClientId=client_id, Username=name, Password=PASSWORD),
        )
        assert sum(isinstance(answer, dict) for answer in answers) == 1, answers
        assert sorted(a for a in answers if isinstance(a, str)) == ["UsernameExistsException"] * (THREADS - 1)

        # Group churn on one user: adds and removes interleave; membership ends consistent.
        target = f"resident{round_ % 20}"

        def churn(i: int) -> Any:
            call = clients[i].admin_add_user_to_group if i % 2 else clients[i].admin_remove_user_from_group
            return call(UserPoolId=pool_id, Username=target, GroupName="g")

        _all(figures, THREADS, churn)
        groups = admin.admin_list_groups_for_user(UserPoolId=pool_id, Username=target)["Groups"]
        members = admin.list_users_in_group(UserPoolId=pool_id, GroupName="g")["Users"]
        assert (len(groups) == 1) == (target in [user["Username"] for user in members])

        # A sign-in storm with the wrong password: lockout, never a 5xx.
        victim = f"resident{(round_ + 7) % 20}"
        storm = _all(
            figures, THREADS, lambda i: password_sign_in(clients[i], client_id, victim, "Wr0ng-pass!")
        )
        assert set(storm) <= {"NotAuthorizedException"}, storm

        # Deletes while another thread pages through ListUsers.
        doomed = [f"doomed{round_}-{n}" for n in range(THREADS - 1)]
        for username in doomed:
            make_user(admin, pool_id, username, password=None)

        def delete_or_page(i: int) -> Any:
            if i == 0:
                seen: list[str] = []
                kwargs: dict[str, Any] = {"UserPoolId": pool_id, "Limit": 3}
                while True:
                    page = clients[0].list_users(**kwargs)
                    seen += [user["Username"] for user in page["Users"]]
                    if "PaginationToken" not in page:
                        return seen
                    kwargs["PaginationToken"] = page["PaginationToken"]
            return clients[i].admin_delete_user(UserPoolId=pool_id, Username=doomed[i - 1])

        paged = _all(figures, THREADS, delete_or_page)[0]
        assert len(paged) == len(set(paged)), "ListUsers paging repeated a user"
        remaining = {user["Username"] for user in admin.list_users(UserPoolId=pool_id)["Users"]}
        assert not remaining & set(doomed)

        # Refreshes racing a global sign-out: each refresh either succeeds or is refused as revoked.
        refresher = f"resident{(round_ + 13) % 20}"
        signed_in = password_sign_in(admin, client_id, refresher)["AuthenticationResult"]

        def refresh_or_sign_out(i: int) -> Any:
            if i == 0:
                return clients[0].global_sign_out(AccessToken=signed_in["AccessToken"])
            return clients[i].initiate_auth(
                ClientId=client_id,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": signed_in["RefreshToken"]},
            )

        outcomes = _all(figures, THREADS, refresh_or_sign_out)
        assert {o for o in outcomes[1:] if isinstance(o, str)} <= {"NotAuthorizedException"}, outcomes
        with pytest.raises(ClientError):
            admin.get_user(AccessToken=signed_in["AccessToken"])

        # Sign-ins whose trigger handler calls the emulator back: all finish, each handler's write kept.
        def sign_in_calling_back(i: int) -> Any:
            return clients[i].initiate_auth(
                ClientId=client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": f"caller{i}", "PASSWORD": PASSWORD},
            )

        calling["round"] = round_
        signed = _all(figures, THREADS, sign_in_calling_back)
        del calling["round"]
        assert all(isinstance(answer, dict) for answer in signed), signed
        for n in range(THREADS):
            attributes = admin.admin_get_user(UserPoolId=pool_id, Username=f"caller{n}")["UserAttributes"]
            assert {"Name": "nickname", "Value": f"round{round_}"} in attributes

    for round_ in range(ROUNDS):
        one_round(round_)
        if round_ in (0, ROUNDS - 1):
            figures.sample_memory()
    served.triggers.unregister(POST_AUTHENTICATION)
    with capsys.disabled():
        print(f"\n{figures.report()}")
    _same_after_restart(served)
