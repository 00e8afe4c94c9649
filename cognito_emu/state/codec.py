"""Dataclass trees <-> plain JSON-able data, driven by the type hints.

Used by the state export/import of the control API (and by snapshots and persistence), so every
entity round-trips without a hand-written to_dict/from_dict pair per class.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from typing import Any


def encode_fields(entity: Any, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A dataclass's fields but ``skip`` and those marked ``transient``; a field marked ``flatten`` (a
    dataclass kept apart for memory, None until needed) contributes its own fields, defaults when None."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(entity):
        if f.name in skip or f.metadata.get("transient"):
            continue
        member = getattr(entity, f.name)
        flattened = f.metadata.get("flatten")
        if flattened is not None:
            out.update(encode_fields(flattened() if member is None else member))
        else:
            out[f.name] = encode(member)
    return out


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return encode_fields(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
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


def _made_defaults(cls: type) -> dict[str, Any]:
    """What each field with a default factory starts as (made again per call: they may be mutable)."""
    return {
        f.name: f.default_factory()
        for f in dataclasses.fields(cls)
        if f.default_factory is not dataclasses.MISSING
    }


def _decode_fields(kind: type, data: dict[str, Any]) -> Any:
    hints = _hints(kind)
    made = _made_defaults(kind)
    given = {}
    for f in dataclasses.fields(kind):
        flattened = f.metadata.get("flatten")
        if flattened is not None:
            inner = _decode_fields(flattened, data)
            if inner != flattened():
                given[f.name] = inner
        elif f.name in data:
            decoded = decode(hints[f.name], data[f.name])
            # A value equal to what the field's factory makes is left to the factory, so users
            # loaded from data share the vacant empties (idp.models) as users made afresh do.
            if f.name not in made or decoded != made[f.name]:
                given[f.name] = decoded
    return kind(**given)


def decode(kind: Any, data: Any) -> Any:
    """Rebuild a value of type ``kind`` from what ``encode`` produced."""
    if data is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return decode(options[0], data) if len(options) == 1 else data
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _decode_fields(kind, data)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if isinstance(kind, type) and issubclass(kind, Mapping) and kind is not dict:
        # A mapping of its own kind (idp.models.UserAttributes), made from the plain one written.
        return typing.cast(Callable[[dict[str, Any]], Any], kind)(data)
    if origin is dict:
        _, value_kind = typing.get_args(kind) or (Any, Any)
        return {k: decode(value_kind, v) for k, v in data.items()}
    if origin in (list, set, frozenset, tuple):
        args = typing.get_args(kind)
        item_kind = args[0] if args else Any
        items = [decode(item_kind, v) for v in data]
        return origin(items) if origin is not list else items
    if kind is bytes:
        return bytes_of_hex(data)
    return data


def bytes_of_hex(text: str) -> bytes:
    """The bytes ``encode`` wrote as hex, or the number a hex text of another spelling spells."""
    try:
        return bytes.fromhex(text)
    except ValueError:
        # Data written while a user's SRP salt was text holds a seed's salt as the seed spelled it
        # ("abc", "0x5f3a"): the number it spells, which is what the SRP proofs hash.
        number = int(text, 16)
        return number.to_bytes(max(1, (number.bit_length() + 7) // 8), "big")
