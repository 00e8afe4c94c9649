"""Tagging operations on user-pool ARNs."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.pool import tags
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def tag_resource(call: Call, params: dict[str, Any]) -> None:
    tags.tag_resource(call.store, params["ResourceArn"], params["Tags"], call.replica)


def untag_resource(call: Call, params: dict[str, Any]) -> None:
    tags.untag_resource(call.store, params["ResourceArn"], params["TagKeys"], call.replica)


def list_tags_for_resource(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {"Tags": tags.list_tags(call.store, params["ResourceArn"], call.replica)}


HANDLERS = {
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
}
