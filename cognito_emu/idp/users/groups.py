"""User pool groups: creation, lookup, listing, update and deletion.

Memberships live on the group (``Group.members``), so deleting a group is all it takes to take it
out of its members' ``cognito:groups`` claims.
"""

from __future__ import annotations

from cognito_emu.env import Env
from cognito_emu.errors import GroupExistsException, LimitExceededException, ResourceNotFoundException
from cognito_emu.idp.models import Group, UserPool
from cognito_emu.idp.pool.pools import get_user_pool
from cognito_emu.pagination import paginate
from cognito_emu.state import Store

# https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html ("Groups per user pool").
MAX_GROUPS_PER_POOL = 10_000
# ListGroups without Limit (or with 0) answers as many as the largest Limit allows.
DEFAULT_LIST_LIMIT = 60


def get_group(pool: UserPool, name: str) -> Group:
    group = pool.groups.get(name)
    if group is None:
        raise ResourceNotFoundException("Group not found.")
    return group


def create_group(
    env: Env,
    store: Store,
    pool_id: str,
    name: str,
    description: str | None = None,
    role_arn: str | None = None,
    precedence: int | None = None,
) -> Group:
    pool = get_user_pool(store, pool_id)
    if name in pool.groups:
        raise GroupExistsException(f"A group with the name {name} already exists.")
    if len(pool.groups) >= MAX_GROUPS_PER_POOL:
        raise LimitExceededException(
            f"The maximum number of groups ({MAX_GROUPS_PER_POOL}) has been reached."
        )
    now = env.clock.now()
    group = Group(
        name=name,
        user_pool_id=pool.id,
        created=now,
        modified=now,
        description=description,
        role_arn=role_arn,
        precedence=precedence,
    )
    pool.groups[name] = group
    return group


def describe_group(store: Store, pool_id: str, name: str) -> Group:
    return get_group(get_user_pool(store, pool_id), name)


def list_groups(
    store: Store, pool_id: str, limit: int | None, token: str | None
) -> tuple[list[Group], str | None]:
    pool = get_user_pool(store, pool_id)
    groups = sorted(pool.groups.values(), key=lambda g: g.name)
    return paginate(groups, key=lambda g: g.name, limit=limit or DEFAULT_LIST_LIMIT, token=token)


def update_group(
    env: Env,
    store: Store,
    pool_id: str,
    name: str,
    description: str | None = None,
    role_arn: str | None = None,
    precedence: int | None = None,
) -> Group:
    """Change only what the request names; UpdateGroup leaves omitted properties as they were."""
    group = get_group(get_user_pool(store, pool_id), name)
    if description is not None:
        group.description = description
    if role_arn is not None:
        group.role_arn = role_arn
    if precedence is not None:
        group.precedence = precedence
    group.modified = env.clock.now()
    return group


def delete_group(store: Store, pool_id: str, name: str) -> None:
    pool = get_user_pool(store, pool_id)
    get_group(pool, name)
    del pool.groups[name]
