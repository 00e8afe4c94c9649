"""User-pool app client operations, and their secrets."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.models import AppClient, ClientSecret
from cognito_emu.idp.pool import clients, pools
from cognito_emu.protocol.model import IDP

SERVICE = IDP

# ListUserPoolClients answers this many when MaxResults is left out.
_DEFAULT_PAGE = 60


def present_client(client: AppClient) -> dict[str, Any]:
    """UserPoolClientType."""
    return {
        **client.settings,
        "UserPoolId": client.user_pool_id,
        "ClientName": client.name,
        "ClientId": client.client_id,
        "ClientSecret": client.secret,
        "CreationDate": client.created,
        "LastModifiedDate": client.modified,
    }


def present_client_description(client: AppClient) -> dict[str, Any]:
    """UserPoolClientDescription (ListUserPoolClients)."""
    return {"ClientId": client.client_id, "UserPoolId": client.user_pool_id, "ClientName": client.name}


def present_secret(secret: ClientSecret, with_value: bool) -> dict[str, Any]:
    """ClientSecretDescriptorType; the value is shown once, and only when Cognito generated it."""
    return {
        "ClientSecretId": secret.secret_id,
        "ClientSecretValue": secret.value if with_value else None,
        "ClientSecretCreateDate": secret.created,
    }


def create_user_pool_client(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = pools.get_user_pool(call.store, params["UserPoolId"])
    return {"UserPoolClient": present_client(clients.create_client(call.env, pool, params))}


def describe_user_pool_client(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = pools.get_user_pool(call.store, params["UserPoolId"])
    return {"UserPoolClient": present_client(clients.get_client(pool, params["ClientId"]))}


def list_user_pool_clients(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = pools.get_user_pool(call.store, params["UserPoolId"])
    page, token = clients.list_clients(
        pool, params.get("MaxResults", _DEFAULT_PAGE), params.get("NextToken"), params.get("ClientType")
    )
    return {"UserPoolClients": [present_client_description(c) for c in page], "NextToken": token}


def update_user_pool_client(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = pools.get_user_pool(call.store, params["UserPoolId"])
    return {"UserPoolClient": present_client(clients.update_client(call.env, pool, params))}


def delete_user_pool_client(call: Call, params: dict[str, Any]) -> None:
    pool = pools.get_user_pool(call.store, params["UserPoolId"])
    clients.delete_client(call.env, pool, params["ClientId"])


def add_user_pool_client_secret(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = pools.get_user_pool(call.store, params["UserPoolId"])
    custom = params.get("ClientSecret")
    secret = clients.add_secret(call.env, pool, params["ClientId"], custom)
    return {"ClientSecretDescriptor": present_secret(secret, with_value=custom is None)}


def list_user_pool_client_secrets(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    # At most two secrets exist, so one page always holds them all and NextToken never comes back.
    pool = pools.get_user_pool(call.store, params["UserPoolId"])
    secrets = clients.list_secrets(pool, params["ClientId"])
    return {"ClientSecrets": [present_secret(s, with_value=False) for s in secrets]}


def delete_user_pool_client_secret(call: Call, params: dict[str, Any]) -> None:
    pool = pools.get_user_pool(call.store, params["UserPoolId"])
    clients.delete_secret(call.env, pool, params["ClientId"], params["ClientSecretId"])


HANDLERS = {
    "CreateUserPoolClient": create_user_pool_client,
    "DescribeUserPoolClient": describe_user_pool_client,
    "ListUserPoolClients": list_user_pool_clients,
    "UpdateUserPoolClient": update_user_pool_client,
    "DeleteUserPoolClient": delete_user_pool_client,
    "AddUserPoolClientSecret": add_user_pool_client_secret,
    "ListUserPoolClientSecrets": list_user_pool_client_secrets,
    "DeleteUserPoolClientSecret": delete_user_pool_client_secret,
}
