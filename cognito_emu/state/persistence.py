"""``--data-dir``: the whole ``State`` in SQLite, committed before each response leaves.

Without a data dir nothing here runs: no wrapper dicts, no encoding, the hot path pays one ``None`` check.

What is written
    One table ``rows(family, key, data)``: one row per entity, the entity encoded by ``state.codec``
    (so every field anyone adds to a dataclass is persisted without code here) *minus* the
    collections that are rows of their own. The split is declared once, in ``FAMILIES``::

        store          State.stores[Address]          Store without user_pools / identity_pools
        user_pool      Store.user_pools[id]           UserPool without users / groups
        user           UserPool.users[key]            User (password hash, SRP verifier, codes, sessions, ...)
        group          UserPool.groups[name]          Group with its members
        identity_pool  Store.identity_pools[id]       IdentityPool without identities / credentials
        identity       IdentityPool.identities[id]
        credentials    IdentityPool.credentials[key]
        session        State.sessions[id]             pending challenges (InitiateAuth -> Respond...)
        oauth_code     State.oauth_codes[code]        OAuth authorization codes not yet redeemed
        hosted_session State.hosted_sessions[id]      hosted-login sessions (the "cognito" cookie)

    A row's key is its path from the State, parts joined by U+001F (``acct\\x1fregion\\x1fpool\\x1fuser``).
    Indexes that ``State.rebuild_indexes`` derives (pool/client/domain/identity indexes, refresh
    tokens) are not written; they are rebuilt on load. ``meta`` holds the schema version, the clock
    (offset / frozen instant) and, with ``--deterministic``, the random generator's state.

When it is written
    After every operation, still under ``state.lock`` and before the HTTP response is written, one
    transaction writes exactly the rows that changed (``flush``). A pool with 100,000 users costs a
    write of the one user an operation changed, not of the pool.

How changes are found (touch tracking, no per-feature code)
    Every entity collection above is replaced, once the data dir is open, by a ``TrackedDict``: a
    ``dict`` whose lookups and writes (``get``, ``[]``, ``pop``, ``setdefault``, ...) record the key
    they handed out. Domain code reaches a mutable entity only through such a lookup (rule 5: state
    has an address), so the touched keys are a superset of what changed. ``flush`` re-encodes each
    touched entity and writes it only when its digest (BLAKE2b of the JSON) differs from what was
    last committed, so reads write nothing. Collections assigned afresh (``state.stores = ...`` by an
    import, ``state.sessions = {...}`` by reset, a new pool's ``users``) are noticed because they are
    not the tracked dict bound to that path: they are diffed in full and then wrapped. ``clear`` /
    ``update`` / ``popitem`` mark the whole collection. Iterating ``values()`` / ``items()`` is not a
    lookup; where domain code mutates while iterating (groups, in ``remove_user``) the family is
    declared ``track_iteration``. Operations that only read (``READ_ONLY``) do not re-encode the
    entities they looked up (only keys they added or removed are written), so ``ListUsers`` over
    100,000 users costs nothing here; verify mode still checks them in full.

    The safety net: with ``COGNITO_EMU_PERSIST_VERIFY=1`` (the tests set it) every operation ends by
    comparing a full encoding of the memory state with the database, and a decode of the database
    re-encoded, and fails the operation loudly on any difference. A gap in tracking, an unknown new
    ``State`` attribute, or a field the codec does not round-trip shows up as a failing test.

Durability
    WAL journal, ``synchronous=NORMAL`` (default): a COMMIT has written its frames into the WAL file
    (the OS page cache) before the response is written, so it survives the process being killed
    (SIGKILL, OOM); a power loss or OS crash may lose the last transactions. ``COGNITO_EMU_DATA_SYNC=full``
    (``synchronous=FULL``) fsyncs the WAL on each commit and survives those too, at the disk's fsync cost.

Damage
    Opening runs ``PRAGMA quick_check``, checks the schema version, decodes every row and checks that
    every row has its parent. Anything wrong raises ``PersistenceError`` (the CLI exits 2); nothing
    is ever half-loaded. A ``LOCK`` file (``flock``) keeps two processes off one data dir.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cognito_emu.identity.models import Identity, IdentityPool, IssuedCredentials
from cognito_emu.idp.models import Group, User, UserPool
from cognito_emu.idp.sessions import AuthSession
from cognito_emu.oauth.grants import AuthorizationCode, HostedSession
from cognito_emu.state.codec import decode, encode
from cognito_emu.state.store import Address, State, Store

if TYPE_CHECKING:
    from cognito_emu.clock import Clock
    from cognito_emu.ids import Ids

log = logging.getLogger("cognito_emu.persistence")

SCHEMA_VERSION = 1
DB_FILE = "cognito-emu.sqlite3"
SEP = "\x1f"
# Operations that never change state: their touches are dropped instead of re-encoded (verify mode still
# checks them). Keep this conservative: a Get* that creates something (GetId, GetSigningCertificate's
# lazy key, GetUserAttributeVerificationCode) must not be here.
READ_ONLY_PREFIXES = ("Describe", "List", "AdminList")
READ_ONLY = frozenset({"AdminGetUser", "AdminGetDevice", "GetGroup", "GetUser", "GetUserPoolMfaConfig"})
# State attributes rebuilt by State.rebuild_indexes (or not data at all): never written.
DERIVED = frozenset(
    {"lock", "pool_index", "client_index", "domain_index", "identity_index", "refresh_tokens"}
)


class PersistenceError(Exception):
    """The data dir cannot be used (damaged, newer, locked) or a write failed."""


@dataclass(frozen=True, eq=False)
class Family:
    name: str
    cls: type
    # The attribute of the parent (State or the parent family's entity) holding the dict of these.
    attr: str
    children: tuple[Family, ...] = ()
    # Parts of the path one key takes (an Address key is (account, region)).
    arity: int = 1
    track_iteration: bool = False

    def parts(self, key: Any) -> tuple[str, ...]:
        return tuple(key) if self.arity > 1 else (key,)

    def key_of(self, parts: tuple[str, ...]) -> Any:
        return Address(*parts) if self.cls is Store else parts[0]

    @property
    def split(self) -> frozenset[str]:
        return frozenset(child.attr for child in self.children)


USER = Family("user", User, "users")
GROUP = Family("group", Group, "groups", track_iteration=True)
USER_POOL = Family("user_pool", UserPool, "user_pools", (USER, GROUP))
IDENTITY = Family("identity", Identity, "identities")
CREDENTIALS = Family("credentials", IssuedCredentials, "credentials")
IDENTITY_POOL = Family("identity_pool", IdentityPool, "identity_pools", (IDENTITY, CREDENTIALS))
STORE = Family("store", Store, "stores", (USER_POOL, IDENTITY_POOL), arity=2)
SESSION = Family("session", AuthSession, "sessions")
OAUTH_CODE = Family("oauth_code", AuthorizationCode, "oauth_codes")
HOSTED_SESSION = Family("hosted_session", HostedSession, "hosted_sessions")
ROOTS = (STORE, SESSION, OAUTH_CODE, HOSTED_SESSION)


def _walk(families: Iterable[Family], depth: int = 0) -> Iterator[tuple[Family, int]]:
    for family in families:
        yield family, depth
        yield from _walk(family.children, depth + 1)


# Parents before children: the order rows are loaded in.
FAMILIES: dict[str, Family] = {
    family.name: family for family, _ in sorted(_walk(ROOTS), key=lambda fd: fd[1])
}
PARENT: dict[str, Family | None] = {root.name: None for root in ROOTS} | {
    child.name: family for family in FAMILIES.values() for child in family.children
}
_ALL = object()


class TrackedDict(dict):  # type: ignore[type-arg]
    """A dict that records which keys were handed out or changed (see the module docstring)."""

    __slots__ = ("_sink", "_family", "_prefix", "_owner")

    def __init__(self, data: dict[Any, Any], owner: Persistence, family: Family, prefix: tuple[str, ...]):
        dict.__init__(self, data)
        self._owner = owner
        self._sink = owner._touched
        self._family = family
        self._prefix = prefix

    def __reduce__(self) -> Any:  # copies and pickles are plain dicts
        return (dict, (dict(self),))

    def __getitem__(self, key: Any) -> Any:
        self._sink.append((self, key))
        return dict.__getitem__(self, key)

    def get(self, key: Any, default: Any = None) -> Any:
        self._sink.append((self, key))
        return dict.get(self, key, default)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._sink.append((self, key))
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        self._sink.append((self, key))
        dict.__delitem__(self, key)

    def pop(self, key: Any, *default: Any) -> Any:
        self._sink.append((self, key))
        return dict.pop(self, key, *default)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        self._sink.append((self, key))
        return dict.setdefault(self, key, default)

    def popitem(self) -> tuple[Any, Any]:
        self._sink.append((self, _ALL))
        return dict.popitem(self)

    def clear(self) -> None:
        self._sink.append((self, _ALL))
        dict.clear(self)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._sink.append((self, _ALL))
        dict.update(self, *args, **kwargs)

    def __ior__(self, other: Any) -> TrackedDict:
        self.update(other)
        return self

    def values(self) -> Any:
        if self._family.track_iteration:
            self._sink.append((self, _ALL))
        return dict.values(self)

    def items(self) -> Any:
        if self._family.track_iteration:
            self._sink.append((self, _ALL))
        return dict.items(self)

    def __iter__(self) -> Iterator[Any]:
        if self._family.track_iteration:
            self._sink.append((self, _ALL))
        return dict.__iter__(self)


def _row_data(family: Family, entity: Any) -> str:
    split = family.split
    data = {
        f.name: encode(getattr(entity, f.name))
        for f in dataclasses.fields(entity)
        if f.name not in split and not f.metadata.get("transient")
    }
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def _digest(data: str) -> bytes:
    return hashlib.blake2b(data.encode(), digest_size=16).digest()


def _key(path: tuple[str, ...]) -> str:
    return SEP.join(path)


class Persistence:
    """The SQLite file of one data dir; its connection is used only under ``state.lock``."""

    def __init__(self, data_dir: str, *, sync: str = "normal", verify: bool = False) -> None:
        if sync.lower() not in ("normal", "full"):
            raise PersistenceError(f"COGNITO_EMU_DATA_SYNC must be 'normal' or 'full', got {sync!r}")
        self.data_dir = data_dir
        self.path = os.path.join(data_dir, DB_FILE)
        self.verify = verify
        self._touched: list[tuple[TrackedDict, Any]] = []
        # (family name, parent path key) -> {row key -> digest of what the database holds}
        self._digests: dict[tuple[str, str], dict[str, bytes]] = {}
        self._meta: dict[str, str] = {}
        self._resync = False
        self.state: State | None = None
        self.clock: Clock | None = None
        self.ids: Ids | None = None
        try:
            os.makedirs(data_dir, exist_ok=True)
            self._lock_file = open(os.path.join(data_dir, "LOCK"), "a+")  # noqa: SIM115 - held while open
        except OSError as exc:
            raise PersistenceError(f"cannot use data dir {data_dir}: {exc}") from None
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock_file.close()
            raise PersistenceError(f"data dir {data_dir} is in use by another cognito-emu process") from None
        try:
            self.conn = self._connect(sync.lower())
        except BaseException:
            self._release()
            raise

    # -- opening ---------------------------------------------------------------------------------

    def _connect(self, sync: str) -> sqlite3.Connection:
        fresh = not os.path.exists(self.path) or os.path.getsize(self.path) == 0
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise PersistenceError(f"{self.path}: cannot switch to WAL journal mode (got {mode})")
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
                raise PersistenceError(f"{self.path} is damaged: {'; '.join(check[:5])}")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"meta", "rows"} <= tables:
                raise PersistenceError(
                    f"{self.path} is not a cognito-emu database (tables: {sorted(tables)})"
                )
            version = conn.execute("SELECT value FROM meta WHERE name='schema_version'").fetchone()
            if version is None:
                raise PersistenceError(f"{self.path} has no schema version row: damaged or not ours")
            if version[0] != str(SCHEMA_VERSION):
                raise PersistenceError(
                    f"{self.path} has schema version {version[0]}; this cognito-emu reads {SCHEMA_VERSION}"
                )
        except sqlite3.DatabaseError as exc:
            raise PersistenceError(f"{self.path} is damaged or not a database: {exc}") from None
        return conn

    def load_into(self, state: State, clock: Clock, ids: Ids) -> None:
        """Fill the (empty) ``state`` from the database, restore clock and ids, and start tracking."""
        self.state, self.clock, self.ids = state, clock, ids
        unknown = set(vars(state)) - DERIVED - {root.attr for root in ROOTS}
        if unknown:
            message = (
                f"State has attributes persistence does not know: {sorted(unknown)}; declare them in "
                "cognito_emu.state.persistence (a Family in ROOTS, or DERIVED if rebuild_indexes makes them)"
            )
            if self.verify:
                raise PersistenceError(message)
            log.error("%s; they will NOT survive a restart", message)
        try:
            rows = self.conn.execute("SELECT family, key, data FROM rows").fetchall()
            meta = dict(self.conn.execute("SELECT name, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            raise PersistenceError(f"{self.path} is damaged: {exc}") from None
        roots = _build(rows, self.path)
        for root in ROOTS:
            setattr(state, root.attr, roots[root.name])
        state.rebuild_indexes()
        for name, parent_key, key, data in ((r[0], *_split_key(r[0], r[1]), r[2]) for r in rows):
            self._digests.setdefault((name, parent_key), {})[key] = _digest(data)
        try:
            if "clock" in meta:
                saved = json.loads(meta["clock"])
                clock._offset = float(saved["offset"])
                clock._frozen_at = None if saved["frozen_at"] is None else float(saved["frozen_at"])
            if "ids" in meta and ids.seed is not None:
                version, internal, gauss = json.loads(meta["ids"])
                ids._random.setstate((version, tuple(internal), gauss))
        except (ValueError, KeyError, TypeError) as exc:
            raise PersistenceError(f"{self.path}: damaged meta row: {exc}") from None
        self._meta = {name: value for name, value in meta.items() if name in ("clock", "ids")}
        for root in ROOTS:
            self._wrap_tree(root, (), state)
        self._touched.clear()
        if rows:
            log.info("loaded %d rows from %s", len(rows), self.path)

    def _wrap_tree(self, family: Family, prefix: tuple[str, ...], parent: Any) -> None:
        collection = getattr(parent, family.attr)
        setattr(parent, family.attr, TrackedDict(collection, self, family, prefix))
        for key, entity in dict.items(collection):
            path = prefix + family.parts(key)
            for child in family.children:
                self._wrap_tree(child, path, entity)

    def close(self) -> None:
        try:
            self.conn.close()
        finally:
            self._release()

    def _release(self) -> None:
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
        finally:
            self._lock_file.close()

    # -- writing ---------------------------------------------------------------------------------

    def flush(self, operation: str | None = None) -> None:
        """Commit what the last operation changed. Call under ``state.lock``, before answering."""
        state = self.state
        assert state is not None, "load_into() first"
        touched = self._touched[:]
        self._touched.clear()
        # A read re-encodes nothing it found; a key it added or removed (a lazily made Store) is written.
        read_only = operation is not None and (
            operation.startswith(READ_ONLY_PREFIXES) or operation in READ_ONLY
        )
        batch = _Batch()
        if self._resync:
            for root in ROOTS:
                self._sync_all(batch, root, (), state)
        for root in ROOTS:
            if not self._mine(getattr(state, root.attr), root, ()):
                self._sync_all(batch, root, (), state)
        # Group the touches by collection: one resolve per collection, one visit per key.
        groups: dict[int, tuple[TrackedDict, set[Any]]] = {}
        for collection, key in touched:
            group = groups.get(id(collection))
            if group is None:
                group = groups[id(collection)] = (collection, set())
            group[1].add(key)
        for collection, keys in groups.values():
            family, prefix = collection._family, collection._prefix
            parent = self._resolve(prefix, family)
            if parent is None:
                continue  # detached: its parent is gone, and its rows went with the parent's
            live = getattr(parent, family.attr)
            if not self._mine(live, family, prefix) or _ALL in keys:
                # Replaced (the owner's collection is another object now) or changed as a whole.
                self._sync_all(batch, family, prefix, parent)
                continue
            known = self._digests.get((family.name, _key(prefix)), {})
            if read_only and len(live) == len(known):
                continue  # a read that neither added nor removed anything here
            for key in keys:
                entity = dict.get(live, key)
                path = prefix + family.parts(key)
                if entity is None:
                    self._delete(batch, family, path)
                elif not (read_only and _key(path) in known):
                    self._write(batch, family, path, entity)
        self._write_meta(batch)
        if batch:
            self._commit(batch)
        if self.verify:
            self.check()

    def _mine(self, collection: Any, family: Family, prefix: tuple[str, ...]) -> bool:
        return (
            type(collection) is TrackedDict
            and collection._owner is self
            and collection._family is family
            and collection._prefix == prefix
        )

    def _resolve(self, prefix: tuple[str, ...], family: Family) -> Any:
        """The live object holding ``family``'s collection at ``prefix`` (the State for roots), or None."""
        chain: list[Family] = []
        parent = PARENT[family.name]
        while parent is not None:
            chain.append(parent)
            parent = PARENT[parent.name]
        obj: Any = self.state
        position = 0
        for ancestor in reversed(chain):
            parts = prefix[position : position + ancestor.arity]
            position += ancestor.arity
            obj = dict.get(getattr(obj, ancestor.attr), ancestor.key_of(parts))
            if obj is None:
                return None
        return obj

    def _write(self, batch: _Batch, family: Family, path: tuple[str, ...], entity: Any) -> None:
        data = _row_data(family, entity)
        digest = _digest(data)
        known = self._digests.get((family.name, _key(path[: -family.arity])), {})
        key = _key(path)
        if known.get(key) != digest:
            batch.put(family, path, key, data, digest)
        for child in family.children:
            if not self._mine(getattr(entity, child.attr), child, path):
                self._sync_all(batch, child, path, entity)

    def _sync_all(self, batch: _Batch, family: Family, prefix: tuple[str, ...], parent: Any) -> None:
        """Diff a whole collection against the database, then make sure it is tracked."""
        collection = getattr(parent, family.attr)
        if not self._mine(collection, family, prefix):
            collection = TrackedDict(collection, self, family, prefix)
            setattr(parent, family.attr, collection)
        present: set[str] = set()
        for key, entity in dict.items(collection):
            path = prefix + family.parts(key)
            present.add(_key(path))
            self._write(batch, family, path, entity)
        known = self._digests.get((family.name, _key(prefix)), {})
        for key in [k for k in known if k not in present]:
            self._delete(batch, family, tuple(key.split(SEP)))

    def _delete(self, batch: _Batch, family: Family, path: tuple[str, ...]) -> None:
        key = _key(path)
        if key in self._digests.get((family.name, _key(path[: -family.arity])), {}):
            batch.drop(family, path, key)
        for child in family.children:
            for child_key in list(self._digests.get((child.name, key), {})):
                self._delete(batch, child, tuple(child_key.split(SEP)))

    def _write_meta(self, batch: _Batch) -> None:
        assert self.clock is not None and self.ids is not None
        values = {
            "clock": json.dumps({"offset": self.clock._offset, "frozen_at": self.clock._frozen_at}),
        }
        if self.ids.seed is not None:
            values["ids"] = json.dumps(self.ids._random.getstate())
        for name, value in values.items():
            if self._meta.get(name) != value:
                batch.meta[name] = value

    def _commit(self, batch: _Batch) -> None:
        conn = self.conn
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
                conn.executemany(
                    "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", batch.meta.items()
                )
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            # The database still matches the digests; the next flush diffs everything again.
            self._resync = True
            raise PersistenceError(f"cannot write {self.path}: {exc}") from exc
        self._resync = False
        for family, path, key in batch.drops:
            parent_key = _key(path[: -family.arity])
            known = self._digests.get((family.name, parent_key))
            if known is not None:
                known.pop(key, None)
                if not known:
                    del self._digests[(family.name, parent_key)]
        for family, path, key, _, digest in batch.puts:
            self._digests.setdefault((family.name, _key(path[: -family.arity])), {})[key] = digest
        self._meta.update(batch.meta)

    # -- the safety net --------------------------------------------------------------------------

    def check(self) -> None:
        """Fail loudly unless the database holds exactly the memory state (COGNITO_EMU_PERSIST_VERIFY)."""
        state = self.state
        assert state is not None
        memory = dict(_all_rows(state))
        stored = {(f, k): d for f, k, d in self.conn.execute("SELECT family, key, data FROM rows")}
        if memory != stored:
            missing = sorted(set(memory) - set(stored))[:5]
            extra = sorted(set(stored) - set(memory))[:5]
            differ = sorted(k for k in set(memory) & set(stored) if memory[k] != stored[k])[:5]
            raise PersistenceError(
                f"persistence lost track of a change: not written {missing}, not deleted {extra}, stale {differ}"
            )
        loaded = State()
        roots = _build(list((f, k, d) for (f, k), d in stored.items()), self.path)
        for root in ROOTS:
            setattr(loaded, root.attr, roots[root.name])
        loaded.rebuild_indexes()
        again = dict(_all_rows(loaded))
        if again != memory:
            differ = sorted(k for k in set(again) | set(memory) if again.get(k) != memory.get(k))[:5]
            raise PersistenceError(f"the database does not decode to the memory state: {differ}")
        for name in sorted(DERIVED - {"lock"}):
            # Memory may hold stale entries (a deleted user's refresh tokens); a rebuilt index may not
            # hold anything memory lacks.
            if not _covers(encode(getattr(state, name)), encode(getattr(loaded, name))):
                raise PersistenceError(f"State.{name} is not rebuilt from persisted data by rebuild_indexes")


class _Batch:
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


def _covers(memory: Any, rebuilt: Any) -> bool:
    if isinstance(memory, dict) and isinstance(rebuilt, dict):
        return all(key in memory and _covers(memory[key], value) for key, value in rebuilt.items())
    return bool(memory == rebuilt)


def _split_key(family_name: str, key: str) -> tuple[str, str]:
    family = FAMILIES[family_name]
    parts = key.split(SEP)
    return _key(tuple(parts[: -family.arity])), key


def _all_rows(state: State) -> Iterator[tuple[tuple[str, str], str]]:
    def walk(family: Family, prefix: tuple[str, ...], parent: Any) -> Iterator[tuple[tuple[str, str], str]]:
        for key, entity in dict.items(getattr(parent, family.attr)):
            path = prefix + family.parts(key)
            yield (family.name, _key(path)), _row_data(family, entity)
            for child in family.children:
                yield from walk(child, path, entity)

    for root in ROOTS:
        yield from walk(root, (), state)


def _build(rows: list[tuple[str, str, str]], where: str) -> dict[str, dict[Any, Any]]:
    """Decode rows into the root collections; every row must decode and have its parent."""
    by_family: dict[str, list[tuple[str, str]]] = {}
    for family_name, key, data in rows:
        if family_name not in FAMILIES:
            raise PersistenceError(
                f"{where}: unknown row family {family_name!r} (written by a newer version?)"
            )
        by_family.setdefault(family_name, []).append((key, data))
    roots: dict[str, dict[Any, Any]] = {root.name: {} for root in ROOTS}
    entities: dict[tuple[str, str], Any] = {}
    for family in FAMILIES.values():  # parents first
        parent_family = PARENT[family.name]
        for key, data in by_family.get(family.name, []):
            path = tuple(key.split(SEP))
            if len(path) < family.arity:
                raise PersistenceError(f"{where}: malformed {family.name} key {key!r}")
            try:
                entity = decode(family.cls, json.loads(data))
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                raise PersistenceError(f"{where}: {family.name} row {key!r} does not decode: {exc}") from None
            if not isinstance(entity, family.cls):
                raise PersistenceError(f"{where}: {family.name} row {key!r} is not an object")
            if parent_family is None:
                collection = roots[family.name]
            else:
                parent = entities.get((parent_family.name, _key(path[: -family.arity])))
                if parent is None:
                    raise PersistenceError(
                        f"{where}: {family.name} row {key!r} has no parent {parent_family.name}"
                    )
                collection = getattr(parent, family.attr)
            collection[family.key_of(path[-family.arity :])] = entity
            entities[(family.name, key)] = entity
    return roots
