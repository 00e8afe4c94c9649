"""A small CBOR decoder (RFC 8949): what WebAuthn's attestation objects and COSE keys use.

Unsigned and negative integers, byte and text strings, arrays, maps, tags (their content is
returned) and the simple values false / true / null, plus half, single and double floats.
Indefinite lengths are refused: authenticators encode CTAP2 canonical CBOR, which never has them.
"""

from __future__ import annotations

import struct
from typing import Any


class CBORError(ValueError):
    """The bytes are not the CBOR this decoder understands."""


_MAX_DEPTH = 16


def loads(data: bytes) -> Any:
    """The one CBOR item ``data`` holds; trailing bytes are an error."""
    value, end = decode(data, 0)
    if end != len(data):
        raise CBORError("trailing bytes after the CBOR item")
    return value


def decode(data: bytes, offset: int = 0, depth: int = 0) -> tuple[Any, int]:
    """The CBOR item at ``offset`` and the offset just past it (authenticator data puts a COSE key
    in the middle of other bytes)."""
    if depth > _MAX_DEPTH:
        raise CBORError("CBOR nested too deeply")
    initial = _byte(data, offset)
    major, info = initial >> 5, initial & 0x1F
    offset += 1
    if major == 7:
        return _simple(data, offset, info)
    argument, offset = _argument(data, offset, info)
    if major == 0:
        return argument, offset
    if major == 1:
        return -1 - argument, offset
    if major in (2, 3):
        end = offset + argument
        if end > len(data):
            raise CBORError("CBOR string runs past the end")
        raw = bytes(data[offset:end])
        if major == 2:
            return raw, end
        try:
            return raw.decode("utf-8"), end
        except UnicodeDecodeError:
            raise CBORError("CBOR text is not UTF-8") from None
    if major == 4:
        items = []
        for _ in range(argument):
            item, offset = decode(data, offset, depth + 1)
            items.append(item)
        return items, offset
    if major == 5:
        mapping: dict[Any, Any] = {}
        for _ in range(argument):
            key, offset = decode(data, offset, depth + 1)
            if isinstance(key, (list, dict)):
                raise CBORError("CBOR map key must be a scalar")
            mapping[key], offset = decode(data, offset, depth + 1)
        return mapping, offset
    # major 6: a tag; its content is what matters here.
    return decode(data, offset, depth + 1)


def _byte(data: bytes, offset: int) -> int:
    if offset >= len(data):
        raise CBORError("CBOR ends too early")
    return data[offset]


def _argument(data: bytes, offset: int, info: int) -> tuple[int, int]:
    if info < 24:
        return info, offset
    if info > 27:
        raise CBORError("indefinite or reserved CBOR length")
    size = 1 << (info - 24)
    if offset + size > len(data):
        raise CBORError("CBOR ends too early")
    return int.from_bytes(data[offset : offset + size], "big"), offset + size


def _simple(data: bytes, offset: int, info: int) -> tuple[Any, int]:
    simple = {20: False, 21: True, 22: None, 23: None}
    if info in simple:
        return simple[info], offset
    formats = {25: ">e", 26: ">f", 27: ">d"}
    if info in formats:
        size = struct.calcsize(formats[info])
        if offset + size > len(data):
            raise CBORError("CBOR ends too early")
        return struct.unpack(formats[info], data[offset : offset + size])[0], offset + size
    raise CBORError("unsupported CBOR simple value")
