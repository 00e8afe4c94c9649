"""OAuth 2.0 resource servers of a user pool and their custom scopes.

A scope reaches tokens as ``<identifier>/<scope name>``; the OAuth side looks scopes up through
``find_scope``.
"""

from __future__ import annotations

from cognito_emu.errors import InvalidParameterException, LimitExceededException, ResourceNotFoundException
from cognito_emu.idp.models import ResourceServer, UserPool
from cognito_emu.idp.pool.pools import get_user_pool
from cognito_emu.pagination import paginate
from cognito_emu.state import Store

# https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html ("Resource servers per user pool").
MAX_RESOURCE_SERVERS_PER_POOL = 25
DEFAULT_LIST_LIMIT = 50

Scope = dict[str, str]


def get_resource_server(pool: UserPool, identifier: str) -> ResourceServer:
    server = pool.resource_servers.get(identifier)
    if server is None:
        raise ResourceNotFoundException(
            f"Resource server {identifier} does not exist in user pool {pool.id}."
        )
    return server


def find_scope(pool: UserPool, scope: str) -> Scope | None:
    """The custom scope named ``<identifier>/<scope name>``, if the pool defines it."""
    identifier, _, name = scope.rpartition("/")
    server = pool.resource_servers.get(identifier)
    if server is None:
        return None
    return next((s for s in server.scopes if s["ScopeName"] == name), None)


def _checked_scopes(scopes: list[Scope] | None) -> list[Scope]:
    scopes = [{"ScopeName": s["ScopeName"], "ScopeDescription": s["ScopeDescription"]} for s in scopes or []]
    names = [s["ScopeName"] for s in scopes]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise InvalidParameterException(f"Duplicate scope names are not allowed: {', '.join(duplicates)}.")
    return scopes


def create_resource_server(
    store: Store, pool_id: str, identifier: str, name: str, scopes: list[Scope] | None
) -> ResourceServer:
    pool = get_user_pool(store, pool_id)
    if identifier in pool.resource_servers:
        raise InvalidParameterException(f"{identifier} already exists in user pool {pool.id}.")
    if len(pool.resource_servers) >= MAX_RESOURCE_SERVERS_PER_POOL:
        raise LimitExceededException(
            f"The maximum number of resource servers ({MAX_RESOURCE_SERVERS_PER_POOL}) has been reached."
        )
    server = ResourceServer(
        identifier=identifier, user_pool_id=pool.id, name=name, scopes=_checked_scopes(scopes)
    )
    pool.resource_servers[identifier] = server
    return server


def describe_resource_server(store: Store, pool_id: str, identifier: str) -> ResourceServer:
    return get_resource_server(get_user_pool(store, pool_id), identifier)


def list_resource_servers(
    store: Store, pool_id: str, max_results: int | None, token: str | None
) -> tuple[list[ResourceServer], str | None]:
    pool = get_user_pool(store, pool_id)
    servers = sorted(pool.resource_servers.values(), key=lambda s: s.identifier)
    return paginate(servers, key=lambda s: s.identifier, limit=max_results or DEFAULT_LIST_LIMIT, token=token)


def update_resource_server(
    store: Store, pool_id: str, identifier: str, name: str, scopes: list[Scope] | None
) -> ResourceServer:
    """Replace name and scopes: UpdateResourceServer resets what the request leaves out."""
    server = get_resource_server(get_user_pool(store, pool_id), identifier)
    server.scopes = _checked_scopes(scopes)
    server.name = name
    return server


def delete_resource_server(store: Store, pool_id: str, identifier: str) -> None:
    pool = get_user_pool(store, pool_id)
    get_resource_server(pool, identifier)
    del pool.resource_servers[identifier]
