"""Finding, adding and removing the users of a pool, with its indexes kept in step."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from cognito_emu.errors import NotAuthorizedException, UserNotFoundException
from cognito_emu.idp.models import User, UserPool
from cognito_emu.idp.users.index import alias_attributes, sign_in_aliases, username_attributes

USER_NOT_FOUND = "User does not exist."
USER_DISABLED = "User is disabled."


def case_sensitive(pool: UserPool) -> bool:
    # Pools created through the API without UsernameConfiguration are case-sensitive (legacy default).
    return bool(pool.settings.get("UsernameConfiguration", {}).get("CaseSensitive", True))


def user_key(pool: UserPool, username: str) -> str:
    if case_sensitive(pool):
        return username
    # The username itself when it is lower case already: lower() makes a copy even then, and the pool's
    # user map and index would keep it (about 60 bytes a user).
    folded = username.lower()
    return username if folded == username else folded


def find_user(pool: UserPool, name: str) -> User | None:
    """A user by username, then by sign-in alias, then by sub, as the Admin* operations accept."""
    user = pool.users.get(user_key(pool, name))
    if user is not None:
        return user
    for attribute in (*username_attributes(pool), *alias_attributes(pool)):
        key = pool.index.alias_owner(attribute, name)
        if key is not None:
            return pool.users.get(key)
    return user_by_sub(pool, name)


def user_by_sub(pool: UserPool, sub: str) -> User | None:
    for key in pool.index.sub_holders(sub):
        user = pool.users.get(key)
        if user is not None and user.sub == sub:
            return user
    return None


def get_user(pool: UserPool, name: str) -> User:
    user = find_user(pool, name)
    if user is None:
        raise UserNotFoundException(USER_NOT_FOUND)
    return user


def refuse_disabled(user: User) -> None:
    """A disabled user gets no tokens, sign-in, code or refresh, whichever operation asks."""
    if not user.enabled:
        raise NotAuthorizedException(USER_DISABLED)


def alias_owner(pool: UserPool, attribute: str, value: str) -> User | None:
    key = pool.index.alias_owner(attribute, value)
    return pool.users.get(key) if key is not None else None


def add_user(pool: UserPool, user: User) -> None:
    key = user_key(pool, user.username)
    pool.users[key] = user
    pool.index.add(key, user, sign_in_aliases(pool, user))


def remove_user(pool: UserPool, user: User) -> None:
    key = user_key(pool, user.username)
    pool.users.pop(key, None)
    pool.index.remove(key, user, sign_in_aliases(pool, user))
    for group in pool.groups.values():
        group.members.discard(key)


@contextmanager
def changing(pool: UserPool, user: User) -> Iterator[None]:
    """Around any change to a user's attributes, status or enabled flag: the index drops the user as it
    was before the change (it keeps no copy of the old values) and takes it again after."""
    key = user_key(pool, user.username)
    pool.index.remove(key, user, sign_in_aliases(pool, user))
    try:
        yield
    finally:
        pool.index.add(key, user, sign_in_aliases(pool, user))
