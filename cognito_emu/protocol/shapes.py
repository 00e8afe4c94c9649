r"""Shape trees compiled from botocore's model (``protocol.model``) for fast validation and rendering.

A compiled ``Node`` keeps only what the emulator needs (type, constraints, members); each shape is
compiled on its first use and then kept for the process, and its pattern on the first value checked
against it (``compiled``): most patterns of a tree never see one, and the output trees' none. A
pattern is compiled by ``re`` when ``re`` reads it, so the ``regex`` module (about 13 ms to import)
comes only with the first value checked against a pattern that needs it (Unicode classes such as
``\p{L}``, in usernames and the like), not with every start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cognito_emu.protocol.model import service


@dataclass(slots=True, eq=False)
class Node:
    name: str
    type: str
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    enum: frozenset[str] | None = None
    sensitive: bool = False
    # A value of this shape goes to JSON as it is (strings, numbers, booleans): no render step.
    leaf: bool = False
    # structure: wire member name -> (node, required)
    members: dict[str, Node] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    member: Node | None = None  # list
    key: Node | None = None  # map
    value: Node | None = None  # map


_LEAF_TYPES = frozenset({"string", "boolean", "integer", "long", "float", "double", "document"})


# Where Cognito accepts more than its published model says. DomainType's pattern is one DNS label,
# yet CreateUserPoolDomain takes fully qualified custom domains such as "auth.example.com" (API
# reference, CreateUserPoolDomain "Domain"); the single-label rule for prefix domains is the domain
# module's to enforce.
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_PATTERN_OVERRIDES = {("cognito-idp", "DomainType"): rf"^{_LABEL}(?:\.{_LABEL})*$"}
# Enum values AWS documents that botocore's model does not list yet: ALLOW_CLIENT_TOKEN_AUTH, the
# ExplicitAuthFlows value GetClientToken requires (API reference, GetClientToken).
_ENUM_ADDITIONS = {("cognito-idp", "ExplicitAuthFlowsType"): frozenset({"ALLOW_CLIENT_TOKEN_AUTH"})}


class _Compiler:
    def __init__(self, service_name: str) -> None:
        self.service_name = service_name
        self.shapes = service(service_name).shapes
        self.done: dict[str, Node] = {}

    def compile(self, name: str) -> Node:
        """The node of the model's shape ``name`` (KeyError if the model has none)."""
        known = self.done.get(name)
        if known is not None:
            return known
        shape = self.shapes[name]
        pattern = _PATTERN_OVERRIDES.get((self.service_name, name), shape.get("pattern"))
        # A document (a structure marked "document", e.g. ManagedLoginBranding's Settings) is free-form
        # JSON: neither checked member by member nor filtered by members on the way out.
        kind = "document" if shape.get("document") else shape["type"]
        node = Node(
            name=name,
            type=kind,
            min=shape.get("min"),
            max=shape.get("max"),
            pattern=pattern or None,
            enum=(
                frozenset(shape["enum"]) | _ENUM_ADDITIONS.get((self.service_name, name), frozenset())
                if shape.get("enum")
                else None
            ),
            sensitive=bool(shape.get("sensitive")),
            leaf=kind in _LEAF_TYPES,
        )
        # Registered before the children so recursive shapes terminate.
        self.done[name] = node
        if kind == "structure":
            node.members = {
                member: self.compile(ref["shape"]) for member, ref in shape.get("members", {}).items()
            }
            node.required = frozenset(shape.get("required", ()))
        elif kind == "list":
            node.member = self.compile(shape["member"]["shape"])
        elif kind == "map":
            node.key = self.compile(shape["key"]["shape"])
            node.value = self.compile(shape["value"]["shape"])
        return node


_EMPTY = Node(name="Empty", type="structure")


@cache
def compiled(pattern: str) -> Any:
    """``pattern`` compiled: a ``re.Pattern``, or a ``regex`` one (in its re-compatible V0 mode) for
    what ``re`` cannot read. Both answer ``fullmatch`` alike."""
    try:
        return re.compile(pattern)
    except re.error:
        import regex

        return regex.compile(pattern, regex.V0)


@cache
def _compiler(service_name: str) -> _Compiler:
    return _Compiler(service_name)


@cache
def input_node(service_name: str, op_name: str) -> Node:
    shape = service(service_name).operation_models[op_name].input
    return _compiler(service_name).compile(shape) if shape is not None else _EMPTY


@cache
def output_node(service_name: str, op_name: str) -> Node:
    shape = service(service_name).operation_models[op_name].output
    return _compiler(service_name).compile(shape) if shape is not None else _EMPTY


@cache
def shape_node(service_name: str, shape_name: str) -> Node:
    """A named shape of the model (for the control API and seed validation)."""
    return _compiler(service_name).compile(shape_name)
