"""Resource server operations."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.models import ResourceServer
from cognito_emu.idp.pool import resource_servers
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def present_resource_server(server: ResourceServer) -> dict[str, Any]:
    """ResourceServerType."""
    return {
        "UserPoolId": server.user_pool_id,
        "Identifier": server.identifier,
        "Name": server.name,
        "Scopes": server.scopes,
    }


def create_resource_server(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    server = resource_servers.create_resource_server(
        call.store, params["UserPoolId"], params["Identifier"], params["Name"], params.get("Scopes")
    )
    return {"ResourceServer": present_resource_server(server)}


def describe_resource_server(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    server = resource_servers.describe_resource_server(call.store, params["UserPoolId"], params["Identifier"])
    return {"ResourceServer": present_resource_server(server)}


def list_resource_servers(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    page, token = resource_servers.list_resource_servers(
        call.store, params["UserPoolId"], params.get("MaxResults"), params.get("NextToken")
    )
    return {"ResourceServers": [present_resource_server(s) for s in page], "NextToken": token}


def update_resource_server(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    server = resource_servers.update_resource_server(
        call.store, params["UserPoolId"], params["Identifier"], params["Name"], params.get("Scopes")
    )
    return {"ResourceServer": present_resource_server(server)}


def delete_resource_server(call: Call, params: dict[str, Any]) -> None:
    resource_servers.delete_resource_server(call.store, params["UserPoolId"], params["Identifier"])


HANDLERS = {
    "CreateResourceServer": create_resource_server,
    "DescribeResourceServer": describe_resource_server,
    "ListResourceServers": list_resource_servers,
    "UpdateResourceServer": update_resource_server,
    "DeleteResourceServer": delete_resource_server,
}
