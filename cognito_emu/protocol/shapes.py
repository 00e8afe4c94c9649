"""Shape trees compiled once per service from botocore's model, for fast validation and rendering.

botocore's Shape objects are general and slow to walk on every request; a compiled ``Node`` keeps only
what the emulator needs (type, constraints, members) with the pattern already compiled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import regex
from botocore.model import Shape

from cognito_emu.protocol.model import service


@dataclass(slots=True, eq=False)
class Node:
    name: str
    type: str
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    regex: regex.Pattern[str] | None = None
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
        self.done: dict[str, Node] = {}

    def compile(self, shape: Shape) -> Node:
        known = self.done.get(shape.name)
        if known is not None:
            return known
        meta = shape.metadata
        pattern = _PATTERN_OVERRIDES.get((self.service_name, shape.name), meta.get("pattern"))
        # A document (a structure marked "document", e.g. ManagedLoginBranding's Settings) is free-form
        # JSON: neither checked member by member nor filtered by members on the way out.
        kind = "document" if meta.get("document") else shape.type_name
        node = Node(
            name=shape.name,
            type=kind,
            min=meta.get("min"),
            max=meta.get("max"),
            pattern=pattern,
            regex=regex.compile(pattern, regex.V0) if pattern else None,
            enum=(
                frozenset(shape.enum) | _ENUM_ADDITIONS.get((self.service_name, shape.name), frozenset())
                if getattr(shape, "enum", None)
                else None
            ),
            sensitive=bool(meta.get("sensitive")),
            leaf=kind in _LEAF_TYPES,
        )
        # Registered before the children so recursive shapes terminate.
        self.done[shape.name] = node
        if kind == "structure":
            node.members = {name: self.compile(member) for name, member in shape.members.items()}
            node.required = frozenset(meta.get("required", ()))
        elif shape.type_name == "list":
            node.member = self.compile(shape.member)
        elif shape.type_name == "map":
            node.key = self.compile(shape.key)
            node.value = self.compile(shape.value)
        return node


_EMPTY = Node(name="Empty", type="structure")


@cache
def _compiler(service_name: str) -> _Compiler:
    return _Compiler(service_name)


@cache
def input_node(service_name: str, op_name: str) -> Node:
    shape = service(service_name).model.operation_model(op_name).input_shape
    return _compiler(service_name).compile(shape) if shape is not None else _EMPTY


@cache
def output_node(service_name: str, op_name: str) -> Node:
    shape = service(service_name).model.operation_model(op_name).output_shape
    return _compiler(service_name).compile(shape) if shape is not None else _EMPTY


@cache
def shape_node(service_name: str, shape_name: str) -> Node:
    """A named shape of the model (for the control API and seed validation)."""
    return _compiler(service_name).compile(service(service_name).model.shape_for(shape_name))
