"""Users in groups. Membership lives on the group as the member's user key."""

from __future__ import annotations

from cognito_emu.idp.models import Group, User, UserPool
from cognito_emu.idp.users import directory
from cognito_emu.idp.users.groups import get_group
from cognito_emu.pagination import paginate


def add(pool: UserPool, user: User, group_name: str) -> None:
    get_group(pool, group_name).members.add(directory.user_key(pool, user.username))


def remove(pool: UserPool, user: User, group_name: str) -> None:
    get_group(pool, group_name).members.discard(directory.user_key(pool, user.username))


def groups_of(pool: UserPool, user: User) -> list[Group]:
    """The user's groups, by precedence (lowest first, unset last) then name, as tokens list them."""
    key = directory.user_key(pool, user.username)
    found = [group for group in pool.groups.values() if key in group.members]
    return sorted(found, key=lambda g: (g.precedence is None, g.precedence or 0, g.name))


def list_groups_for_user(
    pool: UserPool, user: User, limit: int, token: str | None
) -> tuple[list[Group], str | None]:
    groups = sorted(groups_of(pool, user), key=lambda g: g.name)
    return paginate(groups, key=lambda g: g.name, limit=limit, token=token)


def list_users_in_group(
    pool: UserPool, group_name: str, limit: int, token: str | None
) -> tuple[list[User], str | None]:
    members = [pool.users[key] for key in get_group(pool, group_name).members if key in pool.users]
    members.sort(key=lambda user: user.username)
    return paginate(members, key=lambda user: user.username, limit=limit, token=token)
