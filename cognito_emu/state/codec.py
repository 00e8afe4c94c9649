"""Dataclass trees <-> plain JSON-able data, driven by the type hints.

Used by the state export/import of the control API (and by snapshots and persistence), so every
entity round-trips without a hand-written to_dict/from_dict pair per class.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from functools import cache
from typing import Any


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: encode(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not f.metadata.get("transient")
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(encode(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls))


def _made_defaults(cls: type) -> dict[str, Any]:
    """What each field with a default factory starts as (made again per call: they may be mutable)."""
    return {
        f.name: f.default_factory()
        for f in dataclasses.fields(cls)
        if f.default_factory is not dataclasses.MISSING
    }


def decode(kind: Any, data: Any) -> Any:
    """Rebuild a value of type ``kind`` from what ``encode`` produced."""
    if data is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return decode(options[0], data) if len(options) == 1 else data
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        made = _made_defaults(kind)
        given = {}
        for name, value in data.items():
            if name in _field_names(kind):
                decoded = decode(hints[name], value)
                # A value equal to what the field's factory makes is left to the factory, so users
                # loaded from data share the vacant empties (idp.models) as users made afresh do.
                if name not in made or decoded != made[name]:
                    given[name] = decoded
        return kind(**given)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if origin is dict:
        _, value_kind = typing.get_args(kind) or (Any, Any)
        return {k: decode(value_kind, v) for k, v in data.items()}
    if origin in (list, set, frozenset, tuple):
        args = typing.get_args(kind)
        item_kind = args[0] if args else Any
        items = [decode(item_kind, v) for v in data]
        return origin(items) if origin is not list else items
    if kind is bytes:
        return bytes.fromhex(data)
    return data
