"""User pools: creation with Cognito's defaults, lookup, listing, deletion."""

from __future__ import annotations

from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import InvalidParameterException, ResourceNotFoundException
from cognito_emu.idp.models import UserPool
from cognito_emu.protocol.pagination import paginate
from cognito_emu.state import Store


def create_user_pool(env: Env, store: Store, params: dict[str, Any]) -> UserPool:
    now = env.clock.now()
    pool = UserPool(
        id=env.ids.user_pool_id(store.region),
        name=params["PoolName"],
        account=store.account,
        region=store.region,
        created=now,
        modified=now,
        settings={k: v for k, v in params.items() if k != "PoolName"},
    )
    env.state.add_pool(pool)
    return pool


def get_user_pool(store: Store, pool_id: str) -> UserPool:
    pool = store.user_pools.get(pool_id)
    if pool is None:
        raise ResourceNotFoundException(f"User pool {pool_id} does not exist.")
    return pool


def list_user_pools(store: Store, max_results: int, token: str | None) -> tuple[list[UserPool], str | None]:
    pools = sorted(store.user_pools.values(), key=lambda p: p.id)
    return paginate(pools, key=lambda p: p.id, limit=max_results, token=token)


def delete_user_pool(env: Env, store: Store, pool_id: str) -> None:
    pool = get_user_pool(store, pool_id)
    if pool.settings.get("DeletionProtection") == "ACTIVE":
        raise InvalidParameterException(
            "The user pool cannot be deleted because deletion protection is activated. "
            "Deletion protection must be inactivated first."
        )
    env.state.remove_pool(pool)
