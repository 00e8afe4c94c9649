"""The global indexes identity-pool operations find their state through.

GetId, GetCredentialsForIdentity and GetOpenIdToken are unsigned: the pool id or identity id they
carry is the only address they have. These maps hold addresses and ids, never objects, and are
rebuilt from the stores after an import (``State.rebuild_indexes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cognito_emu.identity.models import IdentityPool, login_key

if TYPE_CHECKING:
    from cognito_emu.state.store import State


@dataclass(slots=True)
class IdentityIndex:
    # identity pool id -> (account, region) of the store that owns it
    pools: dict[str, tuple[str, str]] = field(default_factory=dict)
    # identity id -> identity pool id
    identities: dict[str, str] = field(default_factory=dict)
    # issued AccessKeyId -> identity pool id
    credentials: dict[str, str] = field(default_factory=dict)

    def clear(self) -> None:
        self.pools.clear()
        self.identities.clear()
        self.credentials.clear()


def rebuild(state: State) -> None:
    index: IdentityIndex = state.identity_index
    index.clear()
    for address, store in state.stores.items():
        for pool in store.identity_pools.values():
            index.pools[pool.id] = (address.account, address.region)
            reindex_pool(state, pool)


def reindex_pool(state: State, pool: IdentityPool) -> None:
    index: IdentityIndex = state.identity_index
    pool.login_index = {}
    for identity in pool.identities.values():
        index.identities[identity.id] = pool.id
        for provider, users in identity.logins.items():
            for user in users:
                pool.login_index[login_key(provider, user)] = identity.id
    for access_key in pool.credentials:
        index.credentials[access_key] = pool.id


def find_pool(state: State, pool_id: str) -> IdentityPool | None:
    address = state.identity_index.pools.get(pool_id)
    if address is None:
        return None
    # An Address is a NamedTuple: the plain tuple finds it.
    store = state.stores.get(address)  # type: ignore[call-overload]
    return store.identity_pools.get(pool_id) if store else None


def add_pool(state: State, pool: IdentityPool) -> None:
    state.store(pool.account, pool.region).identity_pools[pool.id] = pool
    state.identity_index.pools[pool.id] = (pool.account, pool.region)


def remove_pool(state: State, pool: IdentityPool) -> None:
    index: IdentityIndex = state.identity_index
    state.store(pool.account, pool.region).identity_pools.pop(pool.id, None)
    index.pools.pop(pool.id, None)
    for identity_id in pool.identities:
        index.identities.pop(identity_id, None)
    for access_key in pool.credentials:
        index.credentials.pop(access_key, None)


def pool_of_identity(state: State, identity_id: str) -> IdentityPool | None:
    pool_id = state.identity_index.identities.get(identity_id)
    return find_pool(state, pool_id) if pool_id else None
