"""``SeedError`` and the checks that raise it, each naming the path inside the seed it is about."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cognito_emu.errors import CognitoError
from cognito_emu.protocol.shapes import input_node
from cognito_emu.protocol.validate import validation_errors, validation_message


class SeedError(ValueError):
    """A seed that cannot be read or applied: ``source: path: reason``."""

    def __init__(self, reason: str, path: str = "", source: str | None = None) -> None:
        self.reason = reason
        self.path = path
        self.source = source
        super().__init__(self._text())

    def _text(self) -> str:
        where = ": ".join(part for part in (self.source, self.path) if part)
        return f"{where}: {self.reason}" if where else self.reason

    def located(self, source: str) -> SeedError:
        if self.source is None:
            self.source = source
            self.args = (self._text(),)
        return self


def kind(value: Any) -> str:
    """How a message names the type of ``value`` ("a mapping", "a list", ...)."""
    if value is None:
        return "null"
    return {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


@contextmanager
def at(path: str) -> Iterator[None]:
    """Report an AWS error raised while applying the entry at ``path`` as a SeedError there."""
    try:
        yield
    except CognitoError as exc:
        raise SeedError(f"{exc.code}: {exc.message}", path) from None


def expect(value: Any, types: type | tuple[type, ...], path: str, what: str) -> Any:
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        raise SeedError(f"expected {what}, got {kind(value)}", path)
    if not isinstance(value, types):
        raise SeedError(f"expected {what}, got {kind(value)}", path)
    return value


def only(entry: dict[Any, Any], allowed: tuple[str, ...], path: str) -> None:
    """A key of ``entry`` that is not in ``allowed`` is an error naming what is allowed."""
    for key in entry:
        if key not in allowed:
            raise SeedError(f"unknown key {key!r} (allowed: {', '.join(allowed)})", join(path, str(key)))


def entries(container: dict[str, Any], key: str, path: str) -> list[tuple[str, dict[str, Any]]]:
    """The mappings of the list ``container[key]`` (none when absent), each with its path."""
    items = container.get(key)
    if items is None:
        return []
    expect(items, list, join(path, key), "a list")
    out = []
    for index, item in enumerate(items):
        item_path = f"{join(path, key)}[{index}]"
        out.append((item_path, expect(item, dict, item_path, "a mapping")))
    return out


def members(
    entry: dict[str, Any],
    service: str,
    operation: str,
    path: str,
    extras: tuple[str, ...] = (),
    **fixed: Any,
) -> dict[str, Any]:
    """``operation``'s members in ``entry`` (the seed's own ``extras`` left out) plus ``fixed``,
    validated as the API validates them. An unknown key is an error naming what is allowed."""
    node = input_node(service, operation)
    params = {}
    for key, value in entry.items():
        if key in extras:
            continue
        if not isinstance(key, str) or key not in node.members:
            allowed = ", ".join(sorted({*node.members, *extras} - {"UserPoolId"}))
            raise SeedError(f"unknown key {key!r} (allowed: {allowed})", join(path, str(key)))
        params[key] = copy.deepcopy(value)
    params.update(fixed)
    validate(service, operation, params, path)
    return params


def validate(service: str, operation: str, params: dict[str, Any], path: str) -> None:
    with at(path):
        errors = validation_errors(input_node(service, operation), params)
    if errors:
        raise SeedError(f"{operation}: {validation_message(errors)}", path)


def timestamp(entry: dict[str, Any], key: str, path: str) -> float | None:
    value = entry.get(key)
    if value is None:
        return None
    return float(expect(value, (int, float), join(path, key), "epoch seconds"))


def stamp(
    entity: Any, entry: dict[str, Any], path: str, keys: tuple[str, ...] = ("created", "modified")
) -> None:
    """Set ``entity``'s ``created`` / ``modified`` from an export's epoch seconds, where the entry has them."""
    for key in keys:
        setattr(entity, key, timestamp(entry, key, path) or getattr(entity, key))
