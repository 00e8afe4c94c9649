"""``--data-dir``: state survives a restart, damage is refused, reads write nothing.

Every emulator here runs with ``persist_verify`` (COGNITO_EMU_PERSIST_VERIFY): after each operation the
database must equal the memory state, so a change persistence failed to notice fails the test.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

from cognito_emu.config import Config
from cognito_emu.emulator import Emulator
from cognito_emu.idp.users import directory
from cognito_emu.state.persistence import DB_FILE, PersistenceError

REGION = "us-east-1"
PASSWORD = "Passw0rd!Passw0rd"
ISSUER_BASE = "https://cognito-idp.us-east-1.amazonaws.com"


def start(data_dir: Path, **settings: Any) -> Emulator:
    settings.setdefault("persist_verify", True)
    return Emulator(
        Config(port=0, region=REGION, data_dir=str(data_dir), issuer_base=ISSUER_BASE, **settings)
    ).start()


def client(emulator: Emulator, service: str = "cognito-idp") -> Any:
    return emulator.client(service, config=BotoConfig(retries={"total_max_attempts": 1}))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def running(data_dir: Path) -> Iterator[list[Emulator]]:
    """A list the test appends its emulators to; all are closed at the end."""
    emulators: list[Emulator] = []
    yield emulators
    for emulator in emulators:
        emulator.close()


def restart(emulators: list[Emulator], data_dir: Path, **settings: Any) -> Emulator:
    if emulators:
        emulators[-1].close()
    emulators.append(start(data_dir, **settings))
    return emulators[-1]


def admin_sign_in(
    idp: Any, pool_id: str, client_id: str, username: str, secret_hash: str | None = None
) -> Any:
    params = {"USERNAME": username, "PASSWORD": PASSWORD}
    if secret_hash:
        params["SECRET_HASH"] = secret_hash
    return idp.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters=params
    )["AuthenticationResult"]


def verify_with_jwks(emulator: Emulator, pool_id: str, token: str) -> dict[str, Any]:
    keys = requests.get(f"{emulator.endpoint_url}/{pool_id}/.well-known/jwks.json", timeout=10).json()
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = next(key for key in keys["keys"] if key["kid"] == kid)
    key = jwt.PyJWK(jwk).key
    return jwt.decode(token, key, algorithms=["RS256"], options={"verify_aud": False})


def test_user_pools_clients_groups_users_and_tokens_survive_a_restart(running, data_dir):
    emulator = restart(running, data_dir)
    idp = client(emulator)
    pool_id = idp.create_user_pool(PoolName="keep", Policies={"PasswordPolicy": {"MinimumLength": 10}})[
        "UserPool"
    ]["Id"]
    app = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    with_secret = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="secret", GenerateSecret=True)[
        "UserPoolClient"
    ]
    idp.create_group(UserPoolId=pool_id, GroupName="admins", Precedence=1)
    for name in ("alice", "bob"):
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username=name,
            UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
            MessageAction="SUPPRESS",
        )
        idp.admin_set_user_password(UserPoolId=pool_id, Username=name, Password=PASSWORD, Permanent=True)
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName="admins")
    idp.admin_disable_user(UserPoolId=pool_id, Username="bob")
    tokens = admin_sign_in(idp, pool_id, app["ClientId"], "alice")
    before = {
        "pool": idp.describe_user_pool(UserPoolId=pool_id)["UserPool"],
        "client": idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=with_secret["ClientId"]),
        "users": idp.list_users(UserPoolId=pool_id)["Users"],
        "members": idp.list_users_in_group(UserPoolId=pool_id, GroupName="admins")["Users"],
    }

    emulator = restart(running, data_dir)
    idp = client(emulator)
    after = {
        "pool": idp.describe_user_pool(UserPoolId=pool_id)["UserPool"],
        "client": idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=with_secret["ClientId"]),
        "users": idp.list_users(UserPoolId=pool_id)["Users"],
        "members": idp.list_users_in_group(UserPoolId=pool_id, GroupName="admins")["Users"],
    }
    for name in before:
        before[name].pop("ResponseMetadata", None) if isinstance(before[name], dict) else None
        after[name].pop("ResponseMetadata", None) if isinstance(after[name], dict) else None
    assert after == before
    assert after["client"]["UserPoolClient"]["ClientSecret"] == with_secret["ClientSecret"]
    # The password hash and the signing key came back: sign in again, and the old token still verifies.
    fresh = admin_sign_in(idp, pool_id, app["ClientId"], "alice")
    assert verify_with_jwks(emulator, pool_id, tokens["IdToken"])["cognito:username"] == "alice"
    assert verify_with_jwks(emulator, pool_id, fresh["IdToken"])["cognito:groups"] == ["admins"]
    assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "alice"
    # The refresh token issued before the restart still refreshes (refresh tokens are rebuilt from users).
    refreshed = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=app["ClientId"],
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]
    assert verify_with_jwks(emulator, pool_id, refreshed["AccessToken"])["username"] == "alice"
    with pytest.raises(ClientError) as err:
        admin_sign_in(idp, pool_id, app["ClientId"], "bob")
    assert err.value.response["Error"]["Code"] == "NotAuthorizedException"
    # Deletions are persisted too.
    idp.admin_delete_user(UserPoolId=pool_id, Username="alice")
    idp.delete_group(UserPoolId=pool_id, GroupName="admins")
    emulator = restart(running, data_dir)
    idp = client(emulator)
    assert [u["Username"] for u in idp.list_users(UserPoolId=pool_id)["Users"]] == ["bob"]
    assert idp.list_groups(UserPoolId=pool_id)["Groups"] == []
    idp.delete_user_pool(UserPoolId=pool_id)
    emulator = restart(running, data_dir)
    assert client(emulator).list_user_pools(MaxResults=10)["UserPools"] == []


def test_tracked_user_sessions_survive_a_restart(running, data_dir):
    emulator = restart(running, data_dir)
    idp = client(emulator)
    pool_id = idp.create_user_pool(PoolName="sessions")["UserPool"]["Id"]
    idp.set_user_pool_session_configuration(
        UserPoolId=pool_id, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": 2}
    )
    app = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True)
    first = admin_sign_in(idp, pool_id, app, "alice")
    emulator.clock.advance(60)
    # A refresh moves LastActiveDate inside the session record: persistence must notice.
    idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=app,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
    )
    admin_sign_in(idp, pool_id, app, "alice")
    before = idp.admin_list_user_sessions(UserPoolId=pool_id, Username="alice")["Sessions"]
    idp.admin_revoke_user_session(UserPoolId=pool_id, Username="alice", SessionId=before[1]["SessionId"])

    idp = client(restart(running, data_dir))
    after = idp.admin_list_user_sessions(UserPoolId=pool_id, Username="alice")["Sessions"]
    assert after == before[:1]
    assert after[0]["LastActiveDate"] > after[0]["CreateDate"]


def test_a_sign_up_code_sent_before_a_restart_confirms_after_it(running, data_dir):
    emulator = restart(running, data_dir)
    idp = client(emulator)
    pool_id = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="app")["UserPoolClient"][
        "ClientId"
    ]
    idp.sign_up(
        ClientId=client_id,
        Username="carol",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "carol@example.com"}],
    )
    code = emulator.outbox.last_code("carol")
    assert code

    emulator = restart(running, data_dir)
    idp = client(emulator)
    idp.confirm_sign_up(ClientId=client_id, Username="carol", ConfirmationCode=code)
    user = idp.admin_get_user(UserPoolId=pool_id, Username="carol")
    assert user["UserStatus"] == "CONFIRMED"


def test_identity_pools_and_identities_survive_a_restart(running, data_dir):
    emulator = restart(running, data_dir)
    identity = client(emulator, "cognito-identity")
    pool_id = identity.create_identity_pool(IdentityPoolName="ids", AllowUnauthenticatedIdentities=True)[
        "IdentityPoolId"
    ]
    identity.set_identity_pool_roles(
        IdentityPoolId=pool_id, Roles={"unauthenticated": "arn:aws:iam::123456789012:role/unauth"}
    )
    identity_id = identity.get_id(IdentityPoolId=pool_id)["IdentityId"]
    first = identity.get_credentials_for_identity(IdentityId=identity_id)["Credentials"]
    assert first["AccessKeyId"]

    emulator = restart(running, data_dir)
    identity = client(emulator, "cognito-identity")
    assert identity.describe_identity_pool(IdentityPoolId=pool_id)["IdentityPoolName"] == "ids"
    assert identity.describe_identity(IdentityId=identity_id)["IdentityId"] == identity_id
    assert identity.get_credentials_for_identity(IdentityId=identity_id)["IdentityId"] == identity_id
    assert [
        i["IdentityId"] for i in identity.list_identities(IdentityPoolId=pool_id, MaxResults=10)["Identities"]
    ] == [identity_id]


def test_reset_import_and_clock_are_persisted(running, data_dir):
    emulator = restart(running, data_dir)
    idp = client(emulator)
    idp.create_user_pool(PoolName="gone")
    exported = requests.get(f"{emulator.endpoint_url}/_emu/state", timeout=10).json()
    assert requests.post(f"{emulator.endpoint_url}/_emu/reset", timeout=10).ok
    emulator = restart(running, data_dir)
    assert client(emulator).list_user_pools(MaxResults=10)["UserPools"] == []

    assert requests.put(f"{emulator.endpoint_url}/_emu/state", json=exported, timeout=10).ok
    clock = f"{emulator.endpoint_url}/_emu/clock"
    requests.post(clock, json={"freeze": True}, timeout=10)
    requests.post(clock, json={"set": 2_000_000_000}, timeout=10)
    emulator = restart(running, data_dir)
    assert [p["Name"] for p in client(emulator).list_user_pools(MaxResults=10)["UserPools"]] == ["gone"]
    assert requests.get(f"{emulator.endpoint_url}/_emu/clock", timeout=10).json()["now"] == 2_000_000_000
    emulator.reset()
    emulator = restart(running, data_dir)
    assert client(emulator).list_user_pools(MaxResults=10)["UserPools"] == []
    assert not emulator.clock.frozen


def test_deterministic_ids_continue_after_a_restart(running, data_dir):
    emulator = restart(running, data_dir, deterministic=7)
    first = client(emulator).create_user_pool(PoolName="a")["UserPool"]["Id"]
    emulator = restart(running, data_dir, deterministic=7)
    second = client(emulator).create_user_pool(PoolName="b")["UserPool"]["Id"]
    assert second != first


def test_reads_write_nothing(running, data_dir):
    emulator = restart(running, data_dir, persist_verify=False)
    idp = client(emulator)
    pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    idp.admin_create_user(UserPoolId=pool_id, Username="dave", MessageAction="SUPPRESS")
    persistence = emulator.env.persistence
    assert persistence is not None
    changes = persistence.conn.total_changes
    idp.admin_get_user(UserPoolId=pool_id, Username="dave")
    idp.list_users(UserPoolId=pool_id)
    idp.describe_user_pool(UserPoolId=pool_id)
    requests.get(f"{emulator.endpoint_url}/{pool_id}/.well-known/jwks.json", timeout=10)  # makes the key
    changes_after_key = persistence.conn.total_changes
    requests.get(f"{emulator.endpoint_url}/{pool_id}/.well-known/jwks.json", timeout=10)
    requests.get(f"{emulator.endpoint_url}/_emu/health", timeout=10)
    assert persistence.conn.total_changes == changes_after_key
    assert changes_after_key - changes <= 1  # at most the pool row that received its signing key


def test_verify_mode_catches_a_change_tracking_missed(running, data_dir):
    emulator = restart(running, data_dir)
    idp = client(emulator)
    pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    idp.admin_create_user(UserPoolId=pool_id, Username="erin", MessageAction="SUPPRESS")
    pool = emulator.state.find_pool(pool_id)
    assert pool is not None
    for user in dict.values(pool.users):  # behind the tracked dict's back
        user.enabled = False
    emulator.env.persistence._touched.clear()  # noqa: SLF001 - as if nothing had been looked up
    with pytest.raises(PersistenceError, match="lost track"), emulator.state.lock:
        emulator.env.persistence.flush("AdminDisableUser")


def test_a_second_process_cannot_open_the_same_data_dir(running, data_dir):
    restart(running, data_dir)
    with pytest.raises(PersistenceError, match="in use"):
        Emulator(Config(port=0, data_dir=str(data_dir)))


# -- damage ------------------------------------------------------------------------------------------


def _serve(data_dir: Path) -> subprocess.CompletedProcess[str]:
    """``cognito-emu serve --data-dir`` that must refuse to start (bounded by a timeout)."""
    return subprocess.run(
        [sys.executable, "-m", "cognito_emu", "serve", "--data-dir", str(data_dir), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COGNITO_EMU_LOG_LEVEL": "warning"},
    )


def _populated(data_dir: Path, users: int = 50) -> None:
    emulator = start(data_dir, persist_verify=False)
    try:
        idp = client(emulator)
        pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
        for n in range(users):
            idp.admin_create_user(UserPoolId=pool_id, Username=f"user{n}", MessageAction="SUPPRESS")
    finally:
        emulator.close()
    # Fold the WAL into the main file, so damage to the file hits real pages.
    with sqlite3.connect(data_dir / DB_FILE) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_a_truncated_database_is_refused_with_exit_2(data_dir):
    _populated(data_dir)
    db = data_dir / DB_FILE
    with open(db, "r+b") as handle:
        handle.truncate(db.stat().st_size // 2)
    result = _serve(data_dir)
    assert result.returncode == 2, result.stderr
    assert "cannot use the data dir" in result.stderr
    assert "damaged" in result.stderr or "malformed" in result.stderr


def test_flipped_bytes_are_refused_with_exit_2(data_dir):
    _populated(data_dir, users=200)
    db = data_dir / DB_FILE
    raw = bytearray(db.read_bytes())
    page = 4096
    for offset in range(page + 100, len(raw), page):  # every page but the header's
        for i in range(offset, min(offset + 64, len(raw))):
            raw[i] ^= 0xFF
    db.write_bytes(bytes(raw))
    result = _serve(data_dir)
    assert result.returncode == 2, result.stderr
    assert "cannot use the data dir" in result.stderr


def test_a_garbage_header_is_refused_with_exit_2(data_dir):
    _populated(data_dir, users=1)
    db = data_dir / DB_FILE
    raw = bytearray(db.read_bytes())
    raw[0:16] = b"not a database!!"
    db.write_bytes(bytes(raw))
    result = _serve(data_dir)
    assert result.returncode == 2
    assert "not a database" in result.stderr


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE rows SET data = '{\"username\": ' WHERE family = 'user'", "does not decode"),
        ("UPDATE meta SET value = '99' WHERE name = 'schema_version'", "schema version 99"),
        ("DELETE FROM meta WHERE name = 'schema_version'", "no schema version"),
        ("DELETE FROM rows WHERE family = 'user_pool'", "has no parent"),
        ("INSERT INTO rows VALUES ('future', 'k', '{}')", "unknown row family"),
    ],
)
def test_rows_that_do_not_load_are_refused(data_dir, sql, message):
    _populated(data_dir, users=3)
    with sqlite3.connect(data_dir / DB_FILE) as conn:
        conn.execute(sql)
    with pytest.raises(PersistenceError, match=message):
        Emulator(Config(port=0, data_dir=str(data_dir)))


def test_replicas_and_a_point_in_time_recovery_survive_a_restart(running, data_dir):
    emulator = restart(running, data_dir)
    idp = client(emulator)
    key = {
        "KeyType": "CUSTOMER_MANAGED_KEY",
        "KmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
    }
    pool_id = idp.create_user_pool(PoolName="p", KeyConfiguration=key)["UserPool"]["Id"]
    idp.create_user_pool_replica(UserPoolId=pool_id, RegionName="eu-west-1")
    idp.create_group(UserPoolId=pool_id, GroupName="admins")
    idp.admin_create_user(UserPoolId=pool_id, Username="dave", MessageAction="SUPPRESS")
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="dave", GroupName="admins")
    emulator.clock.advance(120)
    moment = emulator.clock.now() - 60
    idp.admin_delete_user(UserPoolId=pool_id, Username="dave")
    idp.admin_create_user(UserPoolId=pool_id, Username="erin", MessageAction="SUPPRESS")
    emulator.clock.advance(20 * 60)
    restore_id = idp.initiate_point_in_time_recovery(UserPoolId=pool_id, RestoreTimestamp=moment)[
        "Restoration"
    ]["RestoreId"]
    # persist_verify checks that the restore's every change reached the data dir.
    idp.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)
    emulator = restart(running, data_dir)
    idp = client(emulator)
    assert [u["Username"] for u in idp.list_users(UserPoolId=pool_id)["Users"]] == ["dave"]
    assert [
        u["Username"] for u in idp.list_users_in_group(UserPoolId=pool_id, GroupName="admins")["Users"]
    ] == ["dave"]
    restoration = idp.describe_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)["Restoration"]
    assert restoration["RestoreStatus"] == "RESTORE_COMPLETED"
    replicas = idp.list_user_pool_replicas(UserPoolId=pool_id)["UserPoolReplicas"]
    assert [(r["RegionName"], r["Role"]) for r in replicas] == [
        ("us-east-1", "PRIMARY"),
        ("eu-west-1", "SECONDARY"),
    ]


@pytest.mark.parametrize("meanwhile", ["a read", "a write"])
def test_changes_made_after_stepping_out_of_the_lock_are_written(
    running: list[Emulator], data_dir: Path, meanwhile: str
) -> None:
    """Issue 13's stale user rows: an operation looks a user up, steps out of the state lock (as while a
    trigger runs) while another request commits, then changes the user through the reference it holds;
    that change must still reach the database when the operation commits."""
    emulator = restart(running, data_dir)
    idp = client(emulator)
    pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    idp.admin_create_user(UserPoolId=pool_id, Username="erin", MessageAction="SUPPRESS")
    pool = emulator.state.find_pool(pool_id)
    persistence = emulator.env.persistence
    assert pool is not None and persistence is not None
    looked_up, committed = threading.Event(), threading.Event()

    def operation() -> None:
        with emulator.state.lock:
            user = pool.users[directory.user_key(pool, "erin")]
        looked_up.set()
        assert committed.wait(60)
        with emulator.state.lock:
            user.enabled = False
            persistence.flush("AdminDisableUser")

    worker = threading.Thread(target=operation)
    worker.start()
    assert looked_up.wait(60)
    if meanwhile == "a read":
        idp.admin_get_user(UserPoolId=pool_id, Username="erin")
    else:
        idp.create_group(UserPoolId=pool_id, GroupName="g")
    committed.set()
    worker.join(60)
    with emulator.state.lock:
        persistence.check()
    assert restart(running, data_dir).state.find_pool(pool_id) is not None
    assert client(running[-1]).admin_get_user(UserPoolId=pool_id, Username="erin")["Enabled"] is False


def _usage(emulator: Emulator, pool_id: str) -> dict[str, Any]:
    document = requests.get(f"{emulator.endpoint_url}/_emu/usage", timeout=10).json()
    (entry,) = [entry for entry in document["userPools"] if entry["userPoolId"] == pool_id]
    return entry


def test_the_months_usage_survives_a_restart_one_row_per_active_user(running, data_dir):
    emulator = restart(running, data_dir)
    idp = client(emulator)
    pool_id = idp.create_user_pool(PoolName="billed")["UserPool"]["Id"]
    app = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]
    idp.create_resource_server(
        UserPoolId=pool_id, Identifier="api", Name="api", Scopes=[{"ScopeName": "read", "ScopeDescription": "r"}]
    )
    m2m = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="m2m",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH"],
        AllowedOAuthScopes=["api/read"],
    )["UserPoolClient"]
    for name in ("alice", "bob"):
        idp.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
        idp.admin_set_user_password(UserPoolId=pool_id, Username=name, Password=PASSWORD, Permanent=True)
    tokens = admin_sign_in(idp, pool_id, app["ClientId"], "alice")
    # GetUser only reads the directory, yet its activity is usage and must be written too.
    idp.get_user(AccessToken=tokens["AccessToken"])
    for _ in range(2):
        idp.get_client_token(ClientId=m2m["ClientId"], Secret=m2m["ClientSecret"])
    before = _usage(emulator, pool_id)
    assert before["monthlyActiveUsers"] == 2
    assert before["activity"] == {"signIn": 1, "signUp": 0, "refresh": 0, "other": 2}
    assert before["m2m"]["requestsByAppClient"] == {m2m["ClientId"]: 2}

    emulator = restart(running, data_dir)
    assert _usage(emulator, pool_id) == before
    # Another sign-in adds that user's row; the month's row holds only the M2M counts.
    admin_sign_in(client(emulator), pool_id, app["ClientId"], "bob")
    rows = sqlite3.connect(data_dir / DB_FILE).execute(
        "SELECT family, data FROM rows WHERE family IN ('usage_month', 'active_user')"
    )
    families = sorted(family for family, _ in rows)
    assert families == ["active_user", "active_user", "usage_month"]
    emulator = restart(running, data_dir)
    after = _usage(emulator, pool_id)
    assert (after["monthlyActiveUsers"], after["activity"]["signIn"]) == (2, 2)
    assert after["m2m"]["tokenRequests"] == 2


def test_a_data_dir_from_before_usage_was_kept_loads_with_none(running, data_dir):
    emulator = restart(running, data_dir)
    idp = client(emulator)
    pool_id = idp.create_user_pool(PoolName="old")["UserPool"]["Id"]
    idp.admin_create_user(UserPoolId=pool_id, Username="carol", MessageAction="SUPPRESS")
    running.pop().close()
    # The pool's row never holds its usage (rows of their own), so an old data dir lacks only those rows.
    with sqlite3.connect(data_dir / DB_FILE) as db:
        db.execute("DELETE FROM rows WHERE family IN ('usage_month', 'active_user')")
    emulator = restart(running, data_dir)
    assert _usage(emulator, pool_id)["monthlyActiveUsers"] == 0
    client(emulator).admin_get_user(UserPoolId=pool_id, Username="carol")
    assert _usage(emulator, pool_id)["monthlyActiveUsers"] == 1


def test_point_in_time_history_survives_a_restart_one_row_per_capture(running, data_dir):
    emulator = restart(running, data_dir)
    idp = client(emulator)
    pool_id = idp.create_user_pool(PoolName="recoverable")["UserPool"]["Id"]
    idp.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
    emulator.clock.advance(60)
    recovery_point = emulator.clock.now() - 30
    idp.admin_delete_user(UserPoolId=pool_id, Username="alice")
    captures = sqlite3.connect(data_dir / DB_FILE).execute("SELECT key FROM rows WHERE family = 'capture'")
    assert len(captures.fetchall()) == 2

    emulator = restart(running, data_dir)
    emulator.clock.advance(20 * 60)
    idp = client(emulator)
    restore_id = idp.initiate_point_in_time_recovery(UserPoolId=pool_id, RestoreTimestamp=recovery_point)[
        "Restoration"
    ]["RestoreId"]
    emulator = restart(running, data_dir)
    idp = client(emulator)
    idp.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restore_id)
    assert [user["Username"] for user in idp.list_users(UserPoolId=pool_id)["Users"]] == ["alice"]
