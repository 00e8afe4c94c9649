"""SIGKILL at a random moment loses no acknowledged write.

``cognito-emu serve --data-dir D --port 0`` runs as a subprocess; a few threads create users and one
thread keeps updating one user's attribute; the process is killed with SIGKILL at a random moment;
a fresh process on the same data dir must hold every user whose creation got a 200, and the updated
attribute must be at least the last acknowledged value (or the one in flight). Runs
``COGNITO_EMU_CRASH_RUNS`` rounds (default 10), each bounded in time.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

RUNS = int(os.environ.get("COGNITO_EMU_CRASH_RUNS", "10"))
WRITERS = 4
READY = re.compile(r"cognito-emu ready on (http://\S+)")


@contextmanager
def server(data_dir: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "cognito_emu", "serve", "--data-dir", str(data_dir), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COGNITO_EMU_LOG_LEVEL": "warning", "COGNITO_EMU_PERSIST_VERIFY": ""},
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 60
        url = None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            match = READY.search(line)
            if match:
                url = match.group(1)
                break
        if url is None:
            process.kill()
            raise AssertionError(f"server did not start: {process.communicate(timeout=10)[1]}")
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def client(url: str) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=BotoConfig(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=5),
    )


def all_usernames(idp: Any, pool_id: str) -> set[str]:
    names: set[str] = set()
    kwargs: dict[str, Any] = {"UserPoolId": pool_id, "Limit": 60}
    while True:
        page = idp.list_users(**kwargs)
        names.update(user["Username"] for user in page["Users"])
        if not page.get("PaginationToken"):
            return names
        kwargs["PaginationToken"] = page["PaginationToken"]


def test_sigkill_loses_no_acknowledged_write(tmp_path: Path) -> None:
    rng = random.Random(os.environ.get("COGNITO_EMU_CRASH_SEED"))
    data_dir = tmp_path / "data"
    pool_id = None
    acknowledged: set[str] = set()
    last_counter = -1
    started = time.monotonic()
    for run in range(RUNS):
        if time.monotonic() - started > 240:
            break  # bounded: the rounds done so far count
        with server(data_dir) as (process, url):
            idp = client(url)
            if pool_id is None:
                pool_id = idp.create_user_pool(PoolName="crash")["UserPool"]["Id"]
                idp.admin_create_user(UserPoolId=pool_id, Username="counter", MessageAction="SUPPRESS")
            # Everything acknowledged before, in any earlier round, is still there.
            names = all_usernames(idp, pool_id)
            missing = acknowledged - names
            assert not missing, (
                f"round {run}: lost {len(missing)} acknowledged users, e.g. {sorted(missing)[:5]}"
            )
            counter = idp.admin_get_user(UserPoolId=pool_id, Username="counter")
            value = {a["Name"]: a["Value"] for a in counter["UserAttributes"]}.get("name", "-1")
            assert int(value) >= last_counter, (
                f"round {run}: counter went back from {last_counter} to {value}"
            )
            last_counter = int(value)

            stop = threading.Event()
            lock = threading.Lock()
            # Set by the round's first acknowledged write: on a loaded machine a short random sleep alone could
            # end a round before anything was written, and the run would then prove nothing.
            wrote = threading.Event()

            def create(
                writer: int,
                run: int = run,
                url: str = url,
                stop: threading.Event = stop,
                lock: threading.Lock = lock,
                wrote: threading.Event = wrote,
                pool_id: str = pool_id,
            ) -> None:
                own = client(url)
                n = 0
                while not stop.is_set():
                    name = f"r{run}w{writer}n{n}"
                    n += 1
                    try:
                        own.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
                    except (ClientError, BotoCoreError, OSError):
                        return  # the server is gone
                    with lock:
                        acknowledged.add(name)
                    wrote.set()

            def update(url: str = url, stop: threading.Event = stop, pool_id: str = pool_id) -> None:
                nonlocal last_counter
                own = client(url)
                n = last_counter + 1
                while not stop.is_set():
                    try:
                        own.admin_update_user_attributes(
                            UserPoolId=pool_id,
                            Username="counter",
                            UserAttributes=[{"Name": "name", "Value": str(n)}],
                        )
                    except (ClientError, BotoCoreError, OSError):
                        return
                    last_counter = n
                    n += 1

            threads = [threading.Thread(target=create, args=(w,)) for w in range(WRITERS)]
            threads.append(threading.Thread(target=update))
            for thread in threads:
                thread.start()
            assert wrote.wait(timeout=60), f"round {run}: no write was acknowledged within 60 s"
            time.sleep(rng.uniform(0.05, 0.8))
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
            stop.set()
            for thread in threads:
                thread.join(timeout=15)
            assert not any(thread.is_alive() for thread in threads)
    # The last round's writes, checked by one more start.
    with server(data_dir) as (_, url):
        idp = client(url)
        assert pool_id is not None
        missing = acknowledged - all_usernames(idp, pool_id)
        assert not missing, f"lost {len(missing)} acknowledged users, e.g. {sorted(missing)[:5]}"
        counter = idp.admin_get_user(UserPoolId=pool_id, Username="counter")
        value = {a["Name"]: a["Value"] for a in counter["UserAttributes"]}.get("name", "-1")
        assert int(value) >= last_counter
    assert len(acknowledged) > RUNS  # the rounds did write something


def test_a_clean_stop_keeps_everything_too(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with server(data_dir) as (process, url):
        pool_id = client(url).create_user_pool(PoolName="clean")["UserPool"]["Id"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    with server(data_dir) as (_, url):
        assert client(url).describe_user_pool(UserPoolId=pool_id)["UserPool"]["Name"] == "clean"
