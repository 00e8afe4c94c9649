"""The safety net (``COGNITO_EMU_PERSIST_VERIFY=1``; the tests set it).

Every operation ends by comparing a full encoding of the memory state with the database, and a
decode of the database re-encoded, and fails the operation loudly on any difference. A gap in
touch tracking, an unknown new ``State`` attribute, or a field the codec does not round-trip shows
up as a failing test.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from cognito_emu.state.codec import encode
from cognito_emu.state.database import PersistenceError, read_rows
from cognito_emu.state.families import DERIVED
from cognito_emu.state.rows import all_rows, restore
from cognito_emu.state.store import State


def check(state: State, conn: sqlite3.Connection, where: str) -> None:
    """Fail loudly unless the database holds exactly the memory state."""
    memory = dict(all_rows(state))
    stored = {(f, k): d for f, k, d in read_rows(conn)}
    if memory != stored:
        missing = sorted(set(memory) - set(stored))[:5]
        extra = sorted(set(stored) - set(memory))[:5]
        differ = sorted(k for k in set(memory) & set(stored) if memory[k] != stored[k])[:5]
        raise PersistenceError(
            f"persistence lost track of a change: not written {missing}, not deleted {extra}, stale {differ}"
        )
    loaded = State()
    restore(loaded, [(f, k, d) for (f, k), d in stored.items()], where)
    again = dict(all_rows(loaded))
    if again != memory:
        differ = sorted(k for k in set(again) | set(memory) if again.get(k) != memory.get(k))[:5]
        raise PersistenceError(f"the database does not decode to the memory state: {differ}")
    for name in sorted(DERIVED - {"lock"}):
        # Memory may hold stale entries (a deleted user's refresh tokens); a rebuilt index may not
        # hold anything memory lacks.
        if not _covers(encode(getattr(state, name)), encode(getattr(loaded, name))):
            raise PersistenceError(f"State.{name} is not rebuilt from persisted data by rebuild_indexes")


def _covers(memory: Any, rebuilt: Any) -> bool:
    if isinstance(memory, dict) and isinstance(rebuilt, dict):
        return all(key in memory and _covers(memory[key], value) for key, value in rebuilt.items())
    return bool(memory == rebuilt)
