"""What must hold of the state after any sequence of calls, however hostile (fuzzing, soak, crash loop)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from cognito_emu.emulator import Emulator
from cognito_emu.idp.models import UserPool
from cognito_emu.idp.users.index import sign_in_aliases
from cognito_emu.state.store import State


def _pool_indexes(pool: UserPool) -> dict[str, Any]:
    index = pool.index
    return {
        # An alias attribute whose last value went may keep an empty map, as values keep empty entries.
        "by_alias": {attribute: dict(owners) for attribute, owners in index.by_alias.items() if owners},
        # An attribute whose last value went may keep an empty entry: that is no disagreement.
        "values": {name: held for name, values in index.values.items() if (held := values.held())},
        "by_username": index.in_username_order(),
        "by_identity": dict(index.by_identity),
    }


def _indexes(state: State) -> dict[str, Any]:
    pools = [pool for store in state.stores.values() for pool in store.user_pools.values()]
    return {
        "pool_index": dict(state.pool_index),
        "client_index": dict(state.client_index),
        "domain_index": dict(state.domain_index),
        "identity_pools": dict(state.identity_index.pools),
        "identities": dict(state.identity_index.identities),
        "credentials": dict(state.identity_index.credentials),
        "pools": {pool.id: _pool_indexes(pool) for pool in pools},
    }


def _differences(live: Any, rebuilt: Any, path: str = "") -> list[str]:
    if isinstance(live, dict) and isinstance(rebuilt, dict):
        found: list[str] = []
        for key in sorted(set(live) | set(rebuilt), key=str):
            found += _differences(live.get(key), rebuilt.get(key), f"{path}/{key}")
        return found[:5]
    return [] if live == rebuilt else [f"{path}: live {live!r:.200} rebuilt {rebuilt!r:.200}"]


def check_invariants(emulator: Emulator) -> None:
    """Indexes agree with the stores, aliases are unique, each user is in one pool, and (under a data
    dir) the database holds exactly the memory state."""
    state = emulator.env.state
    with state.lock:
        live = _indexes(state)
        live_refresh = dict(state.refresh_tokens)
        state.rebuild_indexes()
        rebuilt = _indexes(state)
        assert live == rebuilt, (
            f"an index disagrees with the stores it indexes: {_differences(live, rebuilt)}"
        )
        # A deleted user's refresh tokens may linger in memory (they find nothing); none may be missing.
        assert state.refresh_tokens.items() <= live_refresh.items()
        subs: Counter[str] = Counter()
        for store in state.stores.values():
            for pool in store.user_pools.values():
                owners = Counter(
                    (attribute, value.casefold())
                    for user in pool.users.values()
                    for attribute, value in sign_in_aliases(pool, user)
                )
                assert not [alias for alias, count in owners.items() if count > 1], "an alias has two owners"
                subs.update(user.sub for user in pool.users.values())
        assert not [sub for sub, count in subs.items() if count > 1], "a user is in more than one pool"
        if emulator.env.persistence is not None:
            emulator.env.persistence.check()
