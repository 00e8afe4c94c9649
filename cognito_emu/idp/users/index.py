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
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cognito_emu.idp.models import User, UserPool, UserStatus

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


def searchable_value(user: User, name: str) -> str | None:
    """The user's value of ``name`` as a ListUsers filter reads it (the sub is the user's own)."""
    if name == "sub":
        return user.sub
    if name == "username":
        return user.username
    if name == "cognito:user_status":
        return user.status.value
    if name == "status":
        return "Enabled" if user.enabled else "Disabled"
    return user.attributes.get(name) if name in SEARCHABLE_ATTRIBUTES else None


# Values every user shares one of: kept interned, not as a string per user.
_SHARED_VALUE_NAMES = frozenset({"cognito:user_status", "status"})


# Each user status with its folded value, filled as statuses are first seen.
_FOLDED_STATUSES: dict[UserStatus, str] = {}


def _fold(name: str, value: str) -> str:
    """``value`` casefolded; the same object when folding changes nothing (most emails, subs and
    usernames), so an alias key holds no second copy of it."""
    folded = value.casefold()
    if folded == value:
        return value
    return sys.intern(folded) if name in _SHARED_VALUE_NAMES else folded


# What the index keeps values of (all ListUsers filters on but the shared values), in
# ``_indexed_values``' order.
_OWN_NAMES = (*SEARCHABLE_ATTRIBUTES, "username")


def _indexed_values(user: User) -> tuple[str | None, ...]:
    """The user's own values of _OWN_NAMES, unfolded: the index orders them by their fold."""
    return tuple(searchable_value(user, name) for name in _OWN_NAMES)


def _scan(users: Mapping[str, User], attribute: str, matches: Callable[[str], bool]) -> set[str]:
    """A filter on a value every user shares one of (_SHARED_VALUE_NAMES), read from the users themselves."""
    folded = _folded_enabled if attribute == "status" else _folded_user_status
    return {key for key, user in users.items() if matches(folded(user))}


def _folded_enabled(user: User) -> str:
    return "enabled" if user.enabled else "disabled"


def _folded_user_status(user: User) -> str:
    # Folded once per status, not per user: a filter on the status folds every user's.
    status = user.status
    folded = _FOLDED_STATUSES.get(status)
    if folded is None:
        folded = _FOLDED_STATUSES[status] = _fold("cognito:user_status", status.value)
    return folded


@dataclass(slots=True)
class _Ordered:
    """Strings kept sorted: bulk loads stay linear, single changes stay cheap.

    Additions that keep the order are appended; others wait in ``pending`` until the next read,
    which inserts a few of them by bisection or, after a bulk load, sorts once.
    """

    items: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)

    def add(self, item: str) -> None:
        if not self.pending and (not self.items or item > self.items[-1]):
            self.items.append(item)
        else:
            self.pending.append(item)

    def sorted_items(self) -> list[str]:
        """Every item in order (the index's own list: do not change it)."""
        pending = self.pending
        if pending:
            if len(pending) * 16 < len(self.items):
                for item in pending:
                    bisect.insort(self.items, item)
            else:
                self.items.extend(pending)
                self.items.sort()
            self.pending = []
        return self.items

    def discard(self, item: str) -> None:
        items = self.sorted_items()
        position = bisect.bisect_left(items, item)
        if position < len(items) and items[position] == item:
            del items[position]


@dataclass(slots=True)
class _Values:
    """One attribute's values and the user key holding each, as two parallel lists sorted by the
    values' fold: exact and prefix lookups bisect, folding the values they pass.

    The values are the users' own strings, not folded copies: a copy of every value with a capital
    ("John Smith", most names) cost about 60 bytes a user and attribute. At 100,000 users a dict from
    value to key cost about 50 bytes a user beside the sorted list the prefix searches need anyway; the
    second list costs 8. Additions that keep the order are appended; others wait in ``pending`` until
    the next read, which inserts a few of them by bisection or, after a bulk load, sorts once. Values
    of equal fold (several users with one email) sit side by side in any order.
    """

    values: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    pending_values: list[str] = field(default_factory=list)
    pending_keys: list[str] = field(default_factory=list)

    def add(self, value: str, key: str) -> None:
        if not self.pending_values and (not self.values or value.casefold() >= self.values[-1].casefold()):
            self.values.append(value)
            self.keys.append(key)
        else:
            self.pending_values.append(value)
            self.pending_keys.append(key)

    def _settle(self) -> None:
        pending = self.pending_values
        if not pending:
            return
        values, keys = self.values, self.keys
        if len(pending) * 16 < len(values):
            for value, key in zip(pending, self.pending_keys, strict=True):
                position = bisect.bisect_right(values, value.casefold(), key=str.casefold)
                values.insert(position, value)
                keys.insert(position, key)
        else:
            values += pending
            keys += self.pending_keys
            folded = [value.casefold() for value in values]
            order = sorted(range(len(values)), key=folded.__getitem__)
            self.values = [values[position] for position in order]
            self.keys = [keys[position] for position in order]
        self.pending_values = []
        self.pending_keys = []

    def _span(self, folded: str) -> range:
        """The positions of the values that fold to ``folded``."""
        self._settle()
        values = self.values
        return range(
            bisect.bisect_left(values, folded, key=str.casefold),
            bisect.bisect_right(values, folded, key=str.casefold),
        )

    def discard(self, value: str, key: str) -> None:
        span = self._span(value.casefold())
        keys = self.keys
        for position in span:
            if keys[position] == key:
                del self.values[position]
                del keys[position]
                return

    def holders(self, folded: str) -> set[str]:
        span = self._span(folded)
        return set(self.keys[span.start : span.stop])

    def starting_with(self, prefix: str) -> set[str]:
        self._settle()
        values = self.values
        start = end = bisect.bisect_left(values, prefix, key=str.casefold)
        while end < len(values) and values[end].casefold().startswith(prefix):
            end += 1
        return set(self.keys[start:end])

    def held(self) -> dict[str, set[str]]:
        """Each folded value with the keys holding it (for checks that the index agrees with the users)."""
        self._settle()
        found: dict[str, set[str]] = {}
        for value, key in zip(self.values, self.keys, strict=True):
            found.setdefault(value.casefold(), set()).add(key)
        return found


@dataclass(slots=True)
class UserIndex:
    """Keys are the pool's user keys (the internal username, folded when the pool ignores case)."""

    # alias attribute -> folded value -> user key. Nothing per user besides: a user's aliases are found
    # again from the user on removal, as its values are. A (attribute, value) key tuple, the list of
    # each user's aliases and its entry in a map by user cost about 240 bytes a user at 100,000 users.
    by_alias: dict[str, dict[str, str]] = field(default_factory=dict)
    # attribute -> its folded values and who holds them (exact and prefix filters; lookups by sub).
    # The values every user shares one of (_SHARED_VALUE_NAMES) are not kept here: a set of every
    # user's key cost about 100 bytes a user, and a filter on them matches most of the pool anyway.
    values: dict[str, _Values] = field(default_factory=dict)
    # usernames as stored, in ListUsers' order, so an unfiltered page never sorts the pool
    by_username: _Ordered = field(default_factory=_Ordered)
    # (providerName, userId) of an external identity -> the user it signs in as (idp.users.federated)
    by_identity: dict[tuple[str, str], str] = field(default_factory=dict)
    identities: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, key: str, user: User, aliases: list[tuple[str, str]]) -> None:
        """Index ``user``; ``aliases`` are the (attribute, value) pairs it may sign in with."""
        self.by_username.add(user.username)
        values = self.values
        for name, value in zip(_OWN_NAMES, _indexed_values(user), strict=True):
            if value is not None:
                found = values.get(name)
                if found is None:
                    found = values[name] = _Values()
                found.add(value, key)
        for attribute, value in aliases:
            owners = self.by_alias.get(attribute)
            if owners is None:
                owners = self.by_alias[attribute] = {}
            owners[_fold(attribute, value)] = key
        found_identities = identity_keys(user)
        if found_identities:
            self.identities[key] = found_identities
        for identity in found_identities:
            self.by_identity[identity] = key

    def remove(self, key: str, user: User, aliases: list[tuple[str, str]]) -> None:
        """Drop ``user`` from the index, BEFORE any change to its attributes or username: its values and
        ``aliases`` are found again from the user as it was indexed. Keeping them per user instead cost
        about 160 bytes a user at 100,000 users, and 240 more in a pool whose users sign in by alias."""
        self.by_username.discard(user.username)
        for name, value in zip(_OWN_NAMES, _indexed_values(user), strict=True):
            if value is not None:
                self.values[name].discard(value, key)
        for attribute, value in aliases:
            owners = self.by_alias.get(attribute, {})
            folded = _fold(attribute, value)
            # A value another user holds now (it moved to them, or stored data gave it to two) stays theirs.
            if owners.get(folded) == key:
                del owners[folded]
        for identity in self.identities.pop(key, []):
            if self.by_identity.get(identity) == key:
                del self.by_identity[identity]

    def find_exact(self, attribute: str, value: str, users: Mapping[str, User]) -> set[str]:
        """The keys of ``users`` (the pool's users, which this index covers) whose ``attribute`` folds
        to ``value``'s fold."""
        needle = value.casefold()
        if attribute in _SHARED_VALUE_NAMES:
            return _scan(users, attribute, needle.__eq__)
        values = self.values.get(attribute)
        return values.holders(needle) if values else set()

    def find_prefix(self, attribute: str, prefix: str, users: Mapping[str, User]) -> set[str]:
        needle = prefix.casefold()
        if attribute in _SHARED_VALUE_NAMES:
            return _scan(users, attribute, lambda value: value.startswith(needle))
        values = self.values.get(attribute)
        return values.starting_with(needle) if values else set()

    def sub_holders(self, sub: str) -> set[str]:
        """The keys of the users whose sub folds to ``sub``'s fold (one, but for subs a seed set in odd case)."""
        values = self.values.get("sub")
        return values.holders(sub.casefold()) if values else set()

    def in_username_order(self) -> list[str]:
        """Every username as stored, sorted (the index's own list: read only)."""
        return self.by_username.sorted_items()

    def alias_owner(self, attribute: str, value: str) -> str | None:
        owners = self.by_alias.get(attribute)
        return owners.get(value.casefold()) if owners is not None else None
