"""Result -> JSON by the output shape: only members of the shape, None dropped, timestamps as epoch seconds.

A member the shape does not have is a handler's mistake (a misspelled key would otherwise vanish
silently): under pytest (``PYTEST_CURRENT_TEST`` is set while a test runs) the answer is an
InternalErrorException naming it, so the test fails; when serving, it is logged and dropped.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from datetime import datetime
from typing import Any

from cognito_emu.errors import InternalErrorException
from cognito_emu.protocol.shapes import Node

log = logging.getLogger("cognito_emu.protocol")


def render(node: Node, value: Any, unknown: list[str] | None = None, path: str = "") -> Any:
    """``value`` as ``node`` renders it; the paths of members the shape lacks are added to ``unknown``."""
    kind = node.type
    if kind == "structure":
        members = node.members
        out: dict[str, Any] = {}
        for name, item in value.items():
            if item is None:
                continue
            member = members.get(name)
            if member is None:
                if unknown is not None:
                    unknown.append(f"{path}{name}")
                continue
            out[name] = item if member.leaf else render(member, item, unknown, f"{path}{name}.")
        return out
    if kind == "list":
        member = node.member
        assert member is not None
        if member.leaf:
            return list(value)
        return [render(member, item, unknown, f"{path}[].") for item in value]
    if kind == "map":
        item_node = node.value
        assert item_node is not None
        if item_node.leaf:
            return {key: item for key, item in value.items() if item is not None}
        return {
            key: render(item_node, item, unknown, f"{path}{{}}.")
            for key, item in value.items()
            if item is not None
        }
    if kind == "timestamp":
        return value.timestamp() if isinstance(value, datetime) else value
    if kind == "blob":
        return base64.b64encode(value).decode() if isinstance(value, bytes) else value
    return value


def to_json(node: Node, result: dict[str, Any] | None, operation: str = "") -> bytes:
    unknown: list[str] = []
    rendered = render(node, result or {}, unknown)
    if unknown:
        message = f"{operation} answered members its output shape does not have: {', '.join(unknown)}"
        if os.environ.get("PYTEST_CURRENT_TEST"):
            raise InternalErrorException(message)
        log.warning("%s (dropped)", message)
    return json.dumps(rendered, separators=(",", ":")).encode()
