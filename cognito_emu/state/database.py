"""The data dir's SQLite file: its lock, its schema and the checks on opening, reads and batched writes.

One table ``rows(family, key, data)`` (one row per entity, ``cognito_emu.state.families``) and one
table ``meta(name, value)`` (the schema version, the clock, the random generator's state).

Durability
    WAL journal, ``synchronous=NORMAL`` (default): a COMMIT has written its frames into the WAL file
    (the OS page cache) before the response is written, so it survives the process being killed
    (SIGKILL, OOM); a power loss or OS crash may lose the last transactions. ``COGNITO_EMU_DATA_SYNC=full``
    (``synchronous=FULL``) fsyncs the WAL on each commit and survives those too, at the disk's fsync cost.

Damage
    Opening runs ``PRAGMA quick_check`` and checks the schema version (the rows are checked as they are
    decoded, ``cognito_emu.state.rows``). Anything wrong raises ``PersistenceError`` (the CLI exits 2).
    A ``LOCK`` file (``flock``) keeps two processes off one data dir.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from typing import IO

from cognito_emu.state.families import Family

SCHEMA_VERSION = 1
DB_FILE = "cognito-emu.sqlite3"


class PersistenceError(Exception):
    """The data dir cannot be used (damaged, newer, locked) or a write failed."""


def lock_data_dir(data_dir: str) -> IO[str]:
    """Create ``data_dir`` if need be and hold its ``LOCK`` file (release with ``unlock``)."""
    try:
        os.makedirs(data_dir, exist_ok=True)
        lock_file = open(os.path.join(data_dir, "LOCK"), "a+")  # noqa: SIM115 - held while open
    except OSError as exc:
        raise PersistenceError(f"cannot use data dir {data_dir}: {exc}") from None
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock_file.close()
        raise PersistenceError(f"data dir {data_dir} is in use by another cognito-emu process") from None
    return lock_file


def unlock(lock_file: IO[str]) -> None:
    try:
        fcntl.flock(lock_file, fcntl.LOCK_UN)
    finally:
        lock_file.close()


def connect(path: str, sync: str) -> sqlite3.Connection:
    """Open (creating when new) the database at ``path``, checked to be intact and of our schema."""
    fresh = not os.path.exists(path) or os.path.getsize(path) == 0
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise PersistenceError(f"{path}: cannot switch to WAL journal mode (got {mode})")
        conn.execute(f"PRAGMA synchronous={sync.upper()}")
        if fresh:
            conn.execute("BEGIN")
            conn.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            conn.execute(
                "CREATE TABLE rows (family TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, "
                "PRIMARY KEY (family, key)) WITHOUT ROWID"
            )
            conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            conn.execute("COMMIT")
        check = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
        if check != ["ok"]:
            raise PersistenceError(f"{path} is damaged: {'; '.join(check[:5])}")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"meta", "rows"} <= tables:
            raise PersistenceError(f"{path} is not a cognito-emu database (tables: {sorted(tables)})")
        version = conn.execute("SELECT value FROM meta WHERE name='schema_version'").fetchone()
        if version is None:
            raise PersistenceError(f"{path} has no schema version row: damaged or not ours")
        if version[0] != str(SCHEMA_VERSION):
            raise PersistenceError(
                f"{path} has schema version {version[0]}; this cognito-emu reads {SCHEMA_VERSION}"
            )
    except sqlite3.DatabaseError as exc:
        raise PersistenceError(f"{path} is damaged or not a database: {exc}") from None
    return conn


def read_rows(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """Every row as (family, key, data)."""
    return conn.execute("SELECT family, key, data FROM rows").fetchall()


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT name, value FROM meta").fetchall())


class Batch:
    """The rows and meta values one flush writes, in one transaction (``write``)."""

    __slots__ = ("puts", "drops", "meta")

    def __init__(self) -> None:
        self.puts: list[tuple[Family, tuple[str, ...], str, str, bytes]] = []
        self.drops: list[tuple[Family, tuple[str, ...], str]] = []
        self.meta: dict[str, str] = {}

    def __bool__(self) -> bool:
        return bool(self.puts or self.drops or self.meta)

    def put(self, family: Family, path: tuple[str, ...], key: str, data: str, digest: bytes) -> None:
        self.puts.append((family, path, key, data, digest))

    def drop(self, family: Family, path: tuple[str, ...], key: str) -> None:
        self.drops.append((family, path, key))


def write(conn: sqlite3.Connection, batch: Batch) -> None:
    """Commit ``batch`` in one transaction; on an error roll back and raise it (``sqlite3.Error``)."""
    try:
        conn.execute("BEGIN")
        if batch.drops:
            conn.executemany(
                "DELETE FROM rows WHERE family=? AND key=?", [(f.name, k) for f, _, k in batch.drops]
            )
        if batch.puts:
            conn.executemany(
                "INSERT OR REPLACE INTO rows (family, key, data) VALUES (?, ?, ?)",
                [(f.name, k, data) for f, _, k, data, _ in batch.puts],
            )
        if batch.meta:
            conn.executemany("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", batch.meta.items())
        conn.execute("COMMIT")
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
