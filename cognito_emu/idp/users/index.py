"""Indexes over one pool's users, so lookups never scan.

Lookups by sub, by sign-in alias (email, phone_number, preferred_username) and the ListUsers filters
(exact and prefix) all go through ``UserIndex``. It is derived data: rebuilt from the users when a
pool is loaded (``UserPool.rebuild_index``), and never exported. Which attributes a user signs in
with (``sign_in_aliases``) is read from the pool's settings here, so that rebuild needs no behaviour
module (``cognito_emu.state`` makes it).
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cognito_emu.idp.models import User, UserPool

# Attributes ListUsers can filter on besides "username", "status" and "cognito:user_status".
SEARCHABLE_ATTRIBUTES = (
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "sub",
)


def is_true(value: str | None) -> bool:
    """A Boolean attribute value as Cognito reads it: "true" in any case ("True", "TRUE"), stored as given."""
    return value is not None and value.lower() == "true"


def username_attributes(pool: UserPool) -> list[str]:
    return list(pool.settings.get("UsernameAttributes") or [])


def alias_attributes(pool: UserPool) -> list[str]:
    return list(pool.settings.get("AliasAttributes") or [])


def sign_in_aliases(pool: UserPool, user: User) -> list[tuple[str, str]]:
    """The (attribute, value) pairs besides the username that ``user`` can sign in with.

    A username attribute (UsernameAttributes) always counts; an alias attribute (AliasAttributes)
    counts once verified, except preferred_username, which needs no verification.
    """
    pairs: list[tuple[str, str]] = []
    for attribute in username_attributes(pool):
        value = user.attributes.get(attribute)
        if value:
            pairs.append((attribute, value))
    for attribute in alias_attributes(pool):
        value = user.attributes.get(attribute)
        if not value:
            continue
        if attribute == "preferred_username" or is_true(user.attributes.get(f"{attribute}_verified")):
            pairs.append((attribute, value))
    return pairs


def identities_of(user: User) -> list[dict[str, Any]]:
    """The entries of the user's ``identities`` attribute (JSON list); anything unreadable counts as none."""
    raw = user.attributes.get("identities")
    if not raw:
        return []
    try:
        entries = json.loads(raw)
    except ValueError:
        return []
    return [entry for entry in entries if isinstance(entry, dict)] if isinstance(entries, list) else []


def identity_keys(user: User) -> list[tuple[str, str]]:
    """(providerName, userId) of each external identity in the user's ``identities`` attribute (its own,
    for a federated user, and those AdminLinkProviderForUser linked to it)."""
    return [
        (str(entry.get("providerName")), str(entry.get("userId")))
        for entry in identities_of(user)
        if entry.get("providerName") and entry.get("userId") is not None
    ]


def searchable_values(user: User) -> dict[str, str]:
    values = {name: user.attributes[name] for name in SEARCHABLE_ATTRIBUTES if name in user.attributes}
    values["username"] = user.username
    values["cognito:user_status"] = user.status.value
    values["status"] = "Enabled" if user.enabled else "Disabled"
    return values


@dataclass(slots=True)
class _Ordered:
    """(value, user key) pairs kept sorted: bulk loads stay linear, single changes stay cheap.

    Additions that keep the order are appended; others wait in ``pending`` until the next read,
    which inserts a few of them by bisection or, after a bulk load, sorts once.
    """

    pairs: list[tuple[str, str]] = field(default_factory=list)
    pending: list[tuple[str, str]] = field(default_factory=list)

    def add(self, pair: tuple[str, str]) -> None:
        if not self.pending and (not self.pairs or pair > self.pairs[-1]):
            self.pairs.append(pair)
        else:
            self.pending.append(pair)

    def _settle(self) -> None:
        pending = self.pending
        if not pending:
            return
        if len(pending) * 16 < len(self.pairs):
            for pair in pending:
                bisect.insort(self.pairs, pair)
        else:
            self.pairs.extend(pending)
            self.pairs.sort()
        self.pending = []

    def sorted_pairs(self) -> list[tuple[str, str]]:
        """Every pair in order (the index's own list: do not change it)."""
        self._settle()
        return self.pairs

    def discard(self, pair: tuple[str, str]) -> None:
        self._settle()
        position = bisect.bisect_left(self.pairs, pair)
        if position < len(self.pairs) and self.pairs[position] == pair:
            del self.pairs[position]

    def starting_with(self, prefix: str) -> set[str]:
        self._settle()
        found: set[str] = set()
        for position in range(bisect.bisect_left(self.pairs, (prefix, "")), len(self.pairs)):
            value, key = self.pairs[position]
            if not value.startswith(prefix):
                break
            found.add(key)
        return found


@dataclass(slots=True)
class UserIndex:
    """Keys are the pool's user keys (the internal username, folded when the pool ignores case)."""

    by_sub: dict[str, str] = field(default_factory=dict)
    # (alias attribute, folded value) -> user key
    by_alias: dict[tuple[str, str], str] = field(default_factory=dict)
    # attribute -> folded value -> user keys
    exact: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    ordered: dict[str, _Ordered] = field(default_factory=dict)
    # what each user is indexed under, so removal needs no recomputation
    indexed: dict[str, dict[str, str]] = field(default_factory=dict)
    aliases: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # (username as stored, user key) in ListUsers' order, so an unfiltered page never sorts the pool
    by_username: _Ordered = field(default_factory=_Ordered)
    # (providerName, userId) of an external identity -> the user it signs in as (idp.users.federated)
    by_identity: dict[tuple[str, str], str] = field(default_factory=dict)
    identities: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, key: str, user: User, aliases: list[tuple[str, str]]) -> None:
        """Index ``user``; ``aliases`` are the (attribute, value) pairs it may sign in with."""
        self.by_sub[user.sub] = key
        self.by_username.add((user.username, key))
        values = {name: value.casefold() for name, value in searchable_values(user).items()}
        self.indexed[key] = values
        for name, folded in values.items():
            self.exact.setdefault(name, {}).setdefault(folded, set()).add(key)
            self.ordered.setdefault(name, _Ordered()).add((folded, key))
        self.aliases[key] = [(attribute, value.casefold()) for attribute, value in aliases]
        for alias in self.aliases[key]:
            self.by_alias[alias] = key
        found = identity_keys(user)
        if found:
            self.identities[key] = found
        for identity in found:
            self.by_identity[identity] = key

    def remove(self, key: str, user: User) -> None:
        if self.by_sub.get(user.sub) == key:
            del self.by_sub[user.sub]
        self.by_username.discard((user.username, key))
        for name, folded in self.indexed.pop(key, {}).items():
            keys = self.exact[name][folded]
            keys.discard(key)
            if not keys:
                del self.exact[name][folded]
            self.ordered[name].discard((folded, key))
        for alias in self.aliases.pop(key, []):
            if self.by_alias.get(alias) == key:
                del self.by_alias[alias]
        for identity in self.identities.pop(key, []):
            if self.by_identity.get(identity) == key:
                del self.by_identity[identity]

    def find_exact(self, attribute: str, value: str) -> set[str]:
        return set(self.exact.get(attribute, {}).get(value.casefold(), ()))

    def find_prefix(self, attribute: str, prefix: str) -> set[str]:
        ordered = self.ordered.get(attribute)
        return ordered.starting_with(prefix.casefold()) if ordered else set()

    def in_username_order(self) -> list[tuple[str, str]]:
        """(username, user key) of every user, sorted by username (the index's own list: read only)."""
        return self.by_username.sorted_pairs()

    def alias_owner(self, attribute: str, value: str) -> str | None:
        return self.by_alias.get((attribute, value.casefold()))
