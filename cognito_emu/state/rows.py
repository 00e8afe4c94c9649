"""Entities as rows and back: a row's data is its entity encoded by ``state.codec`` (so every field
anyone adds to a dataclass is persisted without code here) *minus* the collections that are rows of
their own (``Family.children``) and fields marked ``transient``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from cognito_emu.state.codec import decode, encode_fields
from cognito_emu.state.database import PersistenceError
from cognito_emu.state.families import FAMILIES, PARENT, ROOTS, Family, key_path, row_key
from cognito_emu.state.store import State


def row_data(family: Family, entity: Any) -> str:
    return json.dumps(encode_fields(entity, family.split), separators=(",", ":"), ensure_ascii=False)


def digest(data: str) -> bytes:
    return hashlib.blake2b(data.encode(), digest_size=16).digest()


def all_rows(state: State) -> Iterator[tuple[tuple[str, str], str]]:
    """Every row of ``state`` as ((family, key), data)."""

    def walk(family: Family, prefix: tuple[str, ...], parent: Any) -> Iterator[tuple[tuple[str, str], str]]:
        for key, entity in dict.items(getattr(parent, family.attr)):
            path = prefix + family.parts(key)
            yield (family.name, row_key(path)), row_data(family, entity)
            for child in family.children:
                yield from walk(child, path, entity)

    for root in ROOTS:
        yield from walk(root, (), state)


def restore(state: State, rows: list[tuple[str, str, str]], where: str) -> None:
    """Set ``state``'s root collections to the decoded ``rows`` and rebuild its indexes."""
    roots = _build(rows, where)
    for root in ROOTS:
        setattr(state, root.attr, roots[root.name])
    state.rebuild_indexes()


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
            path = key_path(key)
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
                parent = entities.get((parent_family.name, family.parent_key(path)))
                if parent is None:
                    raise PersistenceError(
                        f"{where}: {family.name} row {key!r} has no parent {parent_family.name}"
                    )
                collection = getattr(parent, family.attr)
            collection[family.key_of(path[-family.arity :])] = entity
            entities[(family.name, key)] = entity
    return roots
