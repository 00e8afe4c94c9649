"""``--data-dir``: the whole ``State`` in SQLite, committed before each response leaves.

Without a data dir nothing here runs: no wrapper dicts, no encoding, the hot path pays one ``None`` check.

What is written
    One row per entity, ``cognito_emu.state.families`` (the families and row keys) and
    ``cognito_emu.state.rows`` (the encoding). Indexes that ``State.rebuild_indexes`` derives
    (pool/client/domain/identity indexes, refresh tokens) are not written; they are rebuilt on load.
    ``meta`` holds the schema version, the clock (offset / frozen instant) and, with
    ``--deterministic``, the random generator's state (``cognito_emu.state.database``).

When it is written
    After every operation, still under ``state.lock`` and before the HTTP response is written, one
    transaction writes exactly the rows that changed (``flush``). A pool with 100,000 users costs a
    write of the one user an operation changed, not of the pool.

How changes are found (touch tracking, no per-feature code)
    Every entity collection is a ``TrackedDict`` (``cognito_emu.state.tracking``) once the data dir is
    open, so the keys domain code touched are a superset of what changed. ``flush`` re-encodes each
    touched entity and writes it only when its digest (BLAKE2b of the JSON) differs from what was
    last committed, so reads write nothing. Collections assigned afresh (``state.stores = ...`` by an
    import, ``state.sessions = {...}`` by reset, a new pool's ``users``) are noticed because they are
    not the tracked dict bound to that path: they are diffed in full and then wrapped. Operations
    that only read (``READ_ONLY``) do not re-encode the entities they looked up (only keys they added
    or removed are written), so ``ListUsers`` over 100,000 users costs nothing here; verify mode
    (``cognito_emu.state.verify``) still checks them in full.

Damage
    Opening checks the database (``cognito_emu.state.database``), decodes every row and checks that
    every row has its parent (``cognito_emu.state.rows``). Anything wrong raises ``PersistenceError``
    (the CLI exits 2); nothing is ever half-loaded.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from typing import TYPE_CHECKING, Any

from cognito_emu.state import database
from cognito_emu.state.database import DB_FILE, SCHEMA_VERSION, Batch, PersistenceError
from cognito_emu.state.families import DERIVED, FAMILIES, PARENT, ROOTS, SEP, Family, key_path, row_key
from cognito_emu.state.rows import digest, restore, row_data
from cognito_emu.state.store import State
from cognito_emu.state.tracking import ALL, Touches, TrackedDict
from cognito_emu.state.verify import check as verify_state

if TYPE_CHECKING:
    from cognito_emu.clock import Clock
    from cognito_emu.ids import Ids

__all__ = [
    "DB_FILE",
    "DERIVED",
    "FAMILIES",
    "READ_ONLY",
    "READ_ONLY_PREFIXES",
    "ROOTS",
    "SCHEMA_VERSION",
    "SEP",
    "Family",
    "Persistence",
    "PersistenceError",
    "TrackedDict",
]

log = logging.getLogger("cognito_emu.persistence")

# Operations that never change state: their touches are dropped instead of re-encoded (verify mode still
# checks them). Keep this conservative: a Get* that creates something (GetId, GetSigningCertificate's
# lazy key, GetUserAttributeVerificationCode) must not be here.
READ_ONLY_PREFIXES = ("Describe", "List", "AdminList")
READ_ONLY = frozenset({"AdminGetUser", "AdminGetDevice", "GetGroup", "GetUser", "GetUserPoolMfaConfig"})


class Persistence:
    """The SQLite file of one data dir; its connection is used only under ``state.lock``."""

    def __init__(self, data_dir: str, *, sync: str = "normal", verify: bool = False) -> None:
        if sync.lower() not in ("normal", "full"):
            raise PersistenceError(f"COGNITO_EMU_DATA_SYNC must be 'normal' or 'full', got {sync!r}")
        self.data_dir = data_dir
        self.path = os.path.join(data_dir, DB_FILE)
        self.verify = verify
        self._touched = Touches()
        # (family name, parent path key) -> {row key -> digest of what the database holds}
        self._digests: dict[tuple[str, str], dict[str, bytes]] = {}
        self._meta: dict[str, str] = {}
        self._resync = False
        self.state: State | None = None
        self.clock: Clock | None = None
        self.ids: Ids | None = None
        self._lock_file = database.lock_data_dir(data_dir)
        try:
            self.conn = database.connect(self.path, sync.lower())
        except BaseException:
            database.unlock(self._lock_file)
            raise

    # -- opening ---------------------------------------------------------------------------------

    def load_into(self, state: State, clock: Clock, ids: Ids) -> None:
        """Fill the (empty) ``state`` from the database, restore clock and ids, and start tracking."""
        self.state, self.clock, self.ids = state, clock, ids
        unknown = set(vars(state)) - DERIVED - {root.attr for root in ROOTS}
        if unknown:
            message = (
                f"State has attributes persistence does not know: {sorted(unknown)}; declare them in "
                "cognito_emu.state.families (a Family in ROOTS, or DERIVED if rebuild_indexes makes them)"
            )
            if self.verify:
                raise PersistenceError(message)
            log.error("%s; they will NOT survive a restart", message)
        try:
            rows = database.read_rows(self.conn)
            meta = database.read_meta(self.conn)
        except sqlite3.DatabaseError as exc:
            raise PersistenceError(f"{self.path} is damaged: {exc}") from None
        restore(state, rows, self.path)
        for name, key, data in rows:
            family = FAMILIES[name]
            self._known(family, family.parent_key(key_path(key)), create=True)[key] = digest(data)
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
        setattr(parent, family.attr, TrackedDict(collection, self, self._touched, family, prefix))
        for key, entity in dict.items(collection):
            path = prefix + family.parts(key)
            for child in family.children:
                self._wrap_tree(child, path, entity)

    def close(self) -> None:
        try:
            self.conn.close()
        finally:
            database.unlock(self._lock_file)

    # -- writing ---------------------------------------------------------------------------------

    def flush(self, operation: str | None = None) -> None:
        """Commit what the last operation changed. Call under ``state.lock``, before answering."""
        state = self.state
        assert state is not None, "load_into() first"
        mine, others = self._touched.take()
        # A read re-encodes nothing it found; a key it added or removed (a lazily made Store) is written.
        # What other operations touched (while theirs stepped out of the lock) is written in full: they may
        # have changed it, and the database must hold it before this answer leaves.
        read_only = operation is not None and (
            operation.startswith(READ_ONLY_PREFIXES) or operation in READ_ONLY
        )
        batch = Batch()
        if self._resync:
            for root in ROOTS:
                self._sync_all(batch, root, (), state)
        for root in ROOTS:
            if not self._mine(getattr(state, root.attr), root, ()):
                self._sync_all(batch, root, (), state)
        # Group the touches by collection: one resolve per collection, one visit per key.
        groups: dict[int, tuple[TrackedDict, set[Any], set[Any]]] = {}
        for touches, theirs in ((mine, False), (others, True)):
            for collection, key in touches:
                group = groups.get(id(collection))
                if group is None:
                    group = groups[id(collection)] = (collection, set(), set())
                group[1].add(key)
                if theirs:
                    group[2].add(key)
        for collection, keys, other_keys in groups.values():
            family, prefix = collection._family, collection._prefix
            parent = self._resolve(prefix, family)
            if parent is None:
                continue  # detached: its parent is gone, and its rows went with the parent's
            live = getattr(parent, family.attr)
            if not self._mine(live, family, prefix) or ALL in keys:
                # Replaced (the owner's collection is another object now) or changed as a whole.
                self._sync_all(batch, family, prefix, parent)
                continue
            known = self._known(family, row_key(prefix))
            skip_found = read_only and not family.counted_by_reads
            if skip_found and not other_keys and len(live) == len(known):
                continue  # a read that neither added nor removed anything here
            for key in keys:
                entity = dict.get(live, key)
                path = prefix + family.parts(key)
                if entity is None:
                    self._delete(batch, family, path)
                elif not (skip_found and key not in other_keys and row_key(path) in known):
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

    def _write(self, batch: Batch, family: Family, path: tuple[str, ...], entity: Any) -> None:
        data = row_data(family, entity)
        data_digest = digest(data)
        key = row_key(path)
        if self._known(family, family.parent_key(path)).get(key) != data_digest:
            batch.put(family, path, key, data, data_digest)
        for child in family.children:
            if not self._mine(getattr(entity, child.attr), child, path):
                self._sync_all(batch, child, path, entity)

    def _sync_all(self, batch: Batch, family: Family, prefix: tuple[str, ...], parent: Any) -> None:
        """Diff a whole collection against the database, then make sure it is tracked."""
        collection = getattr(parent, family.attr)
        if not self._mine(collection, family, prefix):
            collection = TrackedDict(collection, self, self._touched, family, prefix)
            setattr(parent, family.attr, collection)
        present: set[str] = set()
        for key, entity in dict.items(collection):
            path = prefix + family.parts(key)
            present.add(row_key(path))
            self._write(batch, family, path, entity)
        known = self._known(family, row_key(prefix))
        for key in [k for k in known if k not in present]:
            self._delete(batch, family, key_path(key))

    def _delete(self, batch: Batch, family: Family, path: tuple[str, ...]) -> None:
        key = row_key(path)
        if key in self._known(family, family.parent_key(path)):
            batch.drop(family, path, key)
        for child in family.children:
            for child_key in list(self._known(child, key)):
                self._delete(batch, child, key_path(child_key))

    def _known(self, family: Family, parent_key: str, create: bool = False) -> dict[str, bytes]:
        """{row key -> digest} of what the database holds of ``family`` under the row ``parent_key``."""
        if create:
            return self._digests.setdefault((family.name, parent_key), {})
        return self._digests.get((family.name, parent_key), {})

    def _write_meta(self, batch: Batch) -> None:
        assert self.clock is not None and self.ids is not None
        values = {
            "clock": json.dumps({"offset": self.clock._offset, "frozen_at": self.clock._frozen_at}),
        }
        if self.ids.seed is not None:
            values["ids"] = json.dumps(self.ids._random.getstate())
        for name, value in values.items():
            if self._meta.get(name) != value:
                batch.meta[name] = value

    def _commit(self, batch: Batch) -> None:
        try:
            database.write(self.conn, batch)
        except sqlite3.Error as exc:
            # The database still matches the digests; the next flush diffs everything again.
            self._resync = True
            raise PersistenceError(f"cannot write {self.path}: {exc}") from exc
        self._resync = False
        for family, path, key in batch.drops:
            known_key = (family.name, family.parent_key(path))
            known = self._digests.get(known_key)
            if known is not None:
                known.pop(key, None)
                if not known:
                    del self._digests[known_key]
        for family, path, key, _, data_digest in batch.puts:
            self._known(family, family.parent_key(path), create=True)[key] = data_digest
        self._meta.update(batch.meta)

    # -- the safety net --------------------------------------------------------------------------

    def check(self) -> None:
        """Fail loudly unless the database holds exactly the memory state (COGNITO_EMU_PERSIST_VERIFY)."""
        assert self.state is not None
        verify_state(self.state, self.conn, self.path)
