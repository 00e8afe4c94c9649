"""Result -> JSON by the output shape: only members of the shape, None dropped, timestamps as epoch seconds."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from cognito_emu.protocol.shapes import Node


def render(node: Node, value: Any) -> Any:
    kind = node.type
    if kind == "structure":
        members = node.members
        out: dict[str, Any] = {}
        for name, item in value.items():
            if item is None:
                continue
            member = members.get(name)
            if member is not None:
                out[name] = item if member.leaf else render(member, item)
        return out
    if kind == "list":
        member = node.member
        assert member is not None
        if member.leaf:
            return list(value)
        return [render(member, item) for item in value]
    if kind == "map":
        item_node = node.value
        assert item_node is not None
        if item_node.leaf:
            return {key: item for key, item in value.items() if item is not None}
        return {key: render(item_node, item) for key, item in value.items() if item is not None}
    if kind == "timestamp":
        return value.timestamp() if isinstance(value, datetime) else value
    if kind == "blob":
        return base64.b64encode(value).decode() if isinstance(value, bytes) else value
    return value


def to_json(node: Node, result: dict[str, Any] | None) -> bytes:
    return json.dumps(render(node, result or {}), separators=(",", ":")).encode()
