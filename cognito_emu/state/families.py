"""What persistence writes: the entity families, each a dict on its parent, and their row keys.

::

    store          State.stores[Address]          Store without user_pools / identity_pools
    user_pool      Store.user_pools[id]           UserPool without users / groups / captures / usage
    user           UserPool.users[key]            User (password hash, SRP verifier, codes, sessions, ...)
    group          UserPool.groups[name]          Group with its members
    capture        UserPool.captures[seq]         Capture: the pool's users and groups at a past moment
    usage_month    UserPool.usage[YYYY-MM]        PoolMonth without users: its M2M requests per app client
    active_user    PoolMonth.users[sub]           ActiveUser: what the user did that month
    identity_pool  Store.identity_pools[id]       IdentityPool without identities / credentials
    identity       IdentityPool.identities[id]
    credentials    IdentityPool.credentials[key]
    session        State.sessions[id]             pending challenges (InitiateAuth -> Respond...)
    oauth_code     State.oauth_codes[code]        OAuth authorization codes not yet redeemed
    hosted_session State.hosted_sessions[id]      hosted-login sessions (the "cognito" cookie)

A row's key is its path from the State, parts joined by U+001F (``acct\\x1fregion\\x1fpool\\x1fuser``).
``DERIVED`` are the State attributes ``State.rebuild_indexes`` makes (or not data at all): never written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cognito_emu.identity.models import Identity, IdentityPool, IssuedCredentials
from cognito_emu.idp.continuity import Capture
from cognito_emu.idp.models import ChallengeSession, Group, User, UserPool
from cognito_emu.oauth.models import AuthorizationCode, HostedSession
from cognito_emu.state.store import Address, Store
from cognito_emu.usage.log import ActiveUser, PoolMonth

SEP = "\x1f"
DERIVED = frozenset(
    {
        "lock",
        "pool_index",
        "client_index",
        "domain_index",
        "replicated_pools",
        "identity_index",
        "refresh_tokens",
        "unhealthy_health_checks",
    }
)


def row_key(path: tuple[str, ...]) -> str:
    return SEP.join(path)


def key_path(key: str) -> tuple[str, ...]:
    return tuple(key.split(SEP))


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
    # Written even after an operation that only reads (READ_ONLY): usage counts reads (GetUser, AdminGetUser).
    counted_by_reads: bool = False

    def parts(self, key: Any) -> tuple[str, ...]:
        return tuple(key) if self.arity > 1 else (key,)

    def key_of(self, parts: tuple[str, ...]) -> Any:
        return Address(*parts) if self.cls is Store else parts[0]

    def parent_key(self, path: tuple[str, ...]) -> str:
        """The row key of the parent of the entity at ``path`` ("" for a root)."""
        return row_key(path[: -self.arity])

    @property
    def split(self) -> frozenset[str]:
        return frozenset(child.attr for child in self.children)


USER = Family("user", User, "users")
GROUP = Family("group", Group, "groups", track_iteration=True)
ACTIVE_USER = Family("active_user", ActiveUser, "users", counted_by_reads=True)
USAGE_MONTH = Family("usage_month", PoolMonth, "usage", (ACTIVE_USER,), counted_by_reads=True)
CAPTURE = Family("capture", Capture, "captures")
USER_POOL = Family("user_pool", UserPool, "user_pools", (USER, GROUP, CAPTURE, USAGE_MONTH))
IDENTITY = Family("identity", Identity, "identities")
CREDENTIALS = Family("credentials", IssuedCredentials, "credentials")
IDENTITY_POOL = Family("identity_pool", IdentityPool, "identity_pools", (IDENTITY, CREDENTIALS))
STORE = Family("store", Store, "stores", (USER_POOL, IDENTITY_POOL), arity=2)
SESSION = Family("session", ChallengeSession, "sessions")
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
