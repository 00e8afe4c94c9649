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
            member = members.get(name)
            if member is not None and item is not None:
                out[name] = render(member, item)
        return out
    if kind == "list":
        assert node.member is not None
        return [render(node.member, item) for item in value]
    if kind == "map":
        assert node.value is not None
        return {key: render(node.value, item) for key, item in value.items() if item is not None}
    if kind == "timestamp":
        return value.timestamp() if isinstance(value, datetime) else value
    if kind == "blob":
        return base64.b64encode(value).decode() if isinstance(value, bytes) else value
    return value


def to_json(node: Node, result: dict[str, Any] | None) -> bytes:
    return json.dumps(render(node, result or {}), separators=(",", ":")).encode()
