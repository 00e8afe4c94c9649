"""Input validation from the model, worded the way AWS words it.

Type mismatches are SerializationException (the JSON cannot be read into the shape); constraint
violations are collected and answered together as
``N validation error(s) detected: Value '...' at 'member' failed to satisfy constraint: ...``
with the service's validation error code (cognito-idp: InvalidParameterException,
cognito-identity: ValidationException).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from cognito_emu.errors import SerializationException
from cognito_emu.protocol.shapes import Node, compiled

_JSON_TYPES = {
    "string": (str,),
    "boolean": (bool,),
    "structure": (dict,),
    "map": (dict,),
    "list": (list,),
    "blob": (str,),
}
_NUMBER_TYPES = {"integer", "long", "float", "double", "timestamp"}
_INTEGRAL = frozenset({"integer", "long"})
# Free-form JSON members (documents) are stored, copied and rendered by recursive code: a documented
# bound keeps them well inside the interpreter's recursion limit (README "Request limits").
MAX_DOCUMENT_DEPTH = 64


def _member_path(name: str) -> str:
    return name[:1].lower() + name[1:]


def _show(node: Node, value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _type_error(node: Node, value: Any, path: str) -> SerializationException:
    got = "null" if value is None else type(value).__name__
    return SerializationException(f"Expected a {node.type} at '{path}', but found {got}.")


def _check_type(node: Node, value: Any, path: str) -> None:
    if node.type in _NUMBER_TYPES:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _type_error(node, value, path)
        if node.type in ("integer", "long") and isinstance(value, float) and not value.is_integer():
            raise _type_error(node, value, path)
        return
    expected = _JSON_TYPES.get(node.type)
    if expected and not isinstance(value, expected):
        raise _type_error(node, value, path)
    if node.type == "blob":
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise SerializationException(f"Value at '{path}' is not valid base64.") from None


class _Walk:
    __slots__ = ("errors",)

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, node: Node, value: Any, path: str, constraint: str) -> None:
        shown = "Value" if node.sensitive else f"Value '{_show(node, value)}'"
        self.errors.append(f"{shown} at '{path}' failed to satisfy constraint: {constraint}")

    def structure(self, node: Node, value: dict[str, Any], path: str) -> None:
        for name in node.required:
            if value.get(name) is None:
                self.errors.append(_null(_join(path, name)))
        # Unknown members are ignored as AWS does: dropped here, so no handler stores or echoes them.
        for name in [name for name in value if name not in node.members]:
            del value[name]
        for name, member_value in value.items():
            member = node.members[name]
            # Nulls mean "absent".
            if member_value is None:
                continue
            self.value(member, member_value, _join(path, name))
            if member.type in _INTEGRAL and isinstance(member_value, float):
                # 10.0 for an integer member reads as 10, as AWS's deserializer does.
                value[name] = int(member_value)

    def value(self, node: Node, value: Any, path: str) -> None:
        _check_type(node, value, path)
        kind = node.type
        if kind == "structure":
            self.structure(node, value, path)
            return
        if kind == "string":
            self.length(node, value, len(value), path)
            if node.enum is not None and value not in node.enum:
                self.fail(
                    node,
                    value,
                    path,
                    "Member must satisfy enum value set: [" + ", ".join(sorted(node.enum)) + "]",
                )
            if node.pattern is not None and compiled(node.pattern).fullmatch(value) is None:
                self.fail(
                    node, value, path, f"Member must satisfy regular expression pattern: {node.pattern}"
                )
        elif kind == "list":
            self.length(node, value, len(value), path)
            assert node.member is not None
            for index, item in enumerate(value, start=1):
                item_path = f"{path}.{index}.member"
                if item is None:
                    # A list has no absent items: a null one is a value that is not there.
                    self.errors.append(_null(item_path))
                    continue
                self.value(node.member, item, item_path)
                if node.member.type in _INTEGRAL and isinstance(item, float):
                    value[index - 1] = int(item)
        elif kind == "map":
            assert node.key is not None and node.value is not None
            # Cognito takes null map values as absent entries: amazon-cognito-identity-js sends
            # AuthParameters.DEVICE_KEY: null on every refresh. Dropped here, so no handler meets a None.
            for key in [key for key, item in value.items() if item is None]:
                del value[key]
            self.length(node, value, len(value), path)
            for key, item in value.items():
                self.value(node.key, key, f"{path}.{key}.key")
                self.value(node.value, item, f"{path}.{key}.value")
                if node.value.type in _INTEGRAL and isinstance(item, float):
                    value[key] = int(item)
        elif kind == "document":
            if _depth(value) > MAX_DOCUMENT_DEPTH:
                raise SerializationException(
                    f"Value at '{path}' is nested deeper than {MAX_DOCUMENT_DEPTH} levels."
                )
        elif kind in ("integer", "long", "float", "double"):
            if node.min is not None and value < node.min:
                self.fail(
                    node, value, path, f"Member must have value greater than or equal to {_num(node.min)}"
                )
            if node.max is not None and value > node.max:
                self.fail(node, value, path, f"Member must have value less than or equal to {_num(node.max)}")
        elif kind == "blob":
            self.length(node, value, len(base64.b64decode(value)), path)

    def length(self, node: Node, value: Any, size: int, path: str) -> None:
        if node.min is not None and size < node.min:
            self.fail(node, value, path, f"Member must have length greater than or equal to {_num(node.min)}")
        if node.max is not None and size > node.max:
            self.fail(node, value, path, f"Member must have length less than or equal to {_num(node.max)}")


def _null(path: str) -> str:
    return f"Value null at '{path}' failed to satisfy constraint: Member must not be null"


def _depth(value: Any) -> int:
    """How deep ``value`` nests, counted without recursion (a deep value must not exhaust the stack)."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DOCUMENT_DEPTH:
            break
        pending.extend((child, depth + 1) for child in children)
    return deepest


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _join(path: str, name: str) -> str:
    member = _member_path(name)
    return f"{path}.{member}" if path else member


def validation_errors(node: Node, params: dict[str, Any]) -> list[str]:
    """Every constraint the parameters break; raises SerializationException for type mismatches."""
    walk = _Walk()
    walk.structure(node, params, "")
    return walk.errors


def validation_message(errors: list[str]) -> str:
    count = len(errors)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(errors)
