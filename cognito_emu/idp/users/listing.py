"""ListUsers: a Filter answered from the pool's index, then paged in username order."""

from __future__ import annotations

from cognito_emu.errors import InvalidParameterException
from cognito_emu.idp.models import User, UserPool
from cognito_emu.idp.users import directory
from cognito_emu.idp.users.filters import parse_filter
from cognito_emu.idp.users.index import searchable_value
from cognito_emu.pagination import paginate

# AWS's wording, whichever names are unknown.
REQUESTED_ATTRIBUTES_UNKNOWN = "One or more requested attributes do not exist."


def list_users(
    pool: UserPool,
    filter_text: str | None,
    attributes_to_get: list[str] | None,
    limit: int,
    token: str | None,
) -> tuple[list[User], str | None]:
    if attributes_to_get:
        unknown = [name for name in attributes_to_get if name not in pool.schema]
        if unknown:
            raise InvalidParameterException(REQUESTED_ATTRIBUTES_UNKNOWN)
    condition = parse_filter(filter_text or "", case_sensitive_usernames=directory.case_sensitive(pool))
    if condition is None:
        # The index keeps the usernames sorted: page through them instead of sorting every user.
        names, next_token = paginate(pool.index.in_username_order(), key=str, limit=limit, token=token)
        return [pool.users[directory.user_key(pool, name)] for name in names], next_token
    # The index folds case; the condition then decides exactly on the few candidates.
    lookup = pool.index.find_prefix if condition.is_prefix else pool.index.find_exact
    keys = [
        key
        for key in lookup(condition.attribute, condition.value, pool.users)
        if condition.matches(searchable_value(pool.users[key], condition.attribute))
    ]
    found = sorted((pool.users[key] for key in keys), key=lambda user: user.username)
    return paginate(found, key=lambda user: user.username, limit=limit, token=token)
