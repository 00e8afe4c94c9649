"""State per (account, region), plus the global indexes unsigned operations find their pool through."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import NamedTuple

from cognito_emu.identity import index as identity_index
from cognito_emu.identity.models import IdentityPool
from cognito_emu.idp.models import ChallengeSession, UserPool
from cognito_emu.oauth.models import AuthorizationCode, HostedSession


class Address(NamedTuple):
    account: str
    region: str


@dataclass(slots=True)
class Store:
    """Everything one account owns in one region."""

    account: str
    region: str
    user_pools: dict[str, UserPool] = field(default_factory=dict)
    identity_pools: dict[str, IdentityPool] = field(default_factory=dict)
    # PKCS#8 PEM of the key GetOpenIdToken signs with (one per account and region; cognito_emu.identity)
    identity_signing_key_pem: str | None = None
    # UpdateProvisionedLimit's request rates (RPS) by API category (idp.pool.provisioned_limits); never enforced.
    provisioned_limits: dict[str, int] = field(default_factory=dict)


class State:
    """All stores, and the indexes from globally unique ids to the store that owns them.

    Indexes hold addresses, never objects, so they stay right when a store is replaced by an import.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.stores: dict[Address, Store] = {}
        self.pool_index: dict[str, Address] = {}
        # app client id -> user pool id
        self.client_index: dict[str, str] = {}
        # user pool domain prefix -> user pool id
        self.domain_index: dict[str, str] = {}
        # ids of the user pools with a secondary replica (idp.pool.replicas)
        self.replicated_pools: set[str] = set()
        # identity pools, identities and issued credentials (cognito_emu.identity.index)
        self.identity_index = identity_index.IdentityIndex()
        # sign-in Session string -> its pending challenge (idp.signin.sessions); not exported
        self.sessions: dict[str, ChallengeSession] = {}
        # refresh token -> (user pool id, user key, origin_jti) of the session it continues (idp.tokens)
        self.refresh_tokens: dict[str, tuple[str, str, str]] = {}
        # OAuth authorization code -> its grant, hosted-login cookie -> its session (oauth.authorization_codes, oauth.hosted_sessions)
        self.oauth_codes: dict[str, AuthorizationCode] = {}
        self.hosted_sessions: dict[str, HostedSession] = {}
        # Route 53 health checks a test marked unhealthy (idp.pool.domains.failover_region): test wiring,
        # neither exported nor kept in the data directory
        self.unhealthy_health_checks: set[str] = set()

    def store(self, account: str, region: str) -> Store:
        address = Address(account, region)
        store = self.stores.get(address)
        if store is None:
            store = self.stores[address] = Store(account, region)
        return store

    def find_pool(self, pool_id: str) -> UserPool | None:
        address = self.pool_index.get(pool_id)
        if address is None:
            return None
        store = self.stores.get(address)
        return store.user_pools.get(pool_id) if store else None

    def find_pool_by_client(self, client_id: str) -> UserPool | None:
        pool_id = self.client_index.get(client_id)
        return self.find_pool(pool_id) if pool_id else None

    def add_pool(self, pool: UserPool) -> None:
        self.store(pool.account, pool.region).user_pools[pool.id] = pool
        self.pool_index[pool.id] = Address(pool.account, pool.region)

    def remove_pool(self, pool: UserPool) -> None:
        self.store(pool.account, pool.region).user_pools.pop(pool.id, None)
        self.pool_index.pop(pool.id, None)
        self.replicated_pools.discard(pool.id)
        for client_id in pool.clients:
            self.client_index.pop(client_id, None)
        for domain in (pool.domain, pool.custom_domain):
            if domain:
                self.domain_index.pop(domain, None)

    def reset(self, account: str | None = None) -> None:
        """Forget everything, or everything one account owns."""
        if account is None:
            self.stores.clear()
            self.unhealthy_health_checks.clear()
        else:
            for address in [a for a in self.stores if a.account == account]:
                del self.stores[address]
        self.rebuild_indexes()
        self.sessions = {k: s for k, s in self.sessions.items() if account and s.pool_id in self.pool_index}
        self.oauth_codes = {
            k: c for k, c in self.oauth_codes.items() if account and c.pool_id in self.pool_index
        }
        self.hosted_sessions = {
            k: s for k, s in self.hosted_sessions.items() if account and s.pool_id in self.pool_index
        }

    def rebuild_indexes(self) -> None:
        self.pool_index.clear()
        self.client_index.clear()
        self.domain_index.clear()
        self.replicated_pools.clear()
        identity_index.rebuild(self)
        self.refresh_tokens.clear()
        for address, store in self.stores.items():
            for pool in store.user_pools.values():
                pool.rebuild_index()
                for key, user in pool.users.items():
                    for origin_jti, session in user.sessions.items():
                        for token in session.refresh_tokens:
                            self.refresh_tokens[token] = (pool.id, key, origin_jti)
                self.pool_index[pool.id] = address
                if pool.replicas:
                    self.replicated_pools.add(pool.id)
                for client_id in pool.clients:
                    self.client_index[client_id] = pool.id
                for domain in (pool.domain, pool.custom_domain):
                    if domain:
                        self.domain_index[domain] = pool.id

    def counts(self) -> dict[str, int]:
        pools = [pool for store in self.stores.values() for pool in store.user_pools.values()]
        identity_pools = [pool for store in self.stores.values() for pool in store.identity_pools.values()]
        return {
            "userPools": len(pools),
            "appClients": sum(len(pool.clients) for pool in pools),
            "users": sum(len(pool.users) for pool in pools),
            "identityPools": len(identity_pools),
            "identities": sum(len(pool.identities) for pool in identity_pools),
        }
