"""Tags on a user pool, addressed by its ARN (TagResource, UntagResource, ListTagsForResource).

UserPoolTags of CreateUserPool and UpdateUserPool write the same map, so both views agree.
"""

from __future__ import annotations

from cognito_emu import tagging
from cognito_emu.errors import ResourceNotFoundException
from cognito_emu.idp.models import UserPool
from cognito_emu.state import Store


def pool_by_arn(store: Store, arn: str) -> UserPool:
    """The caller's pool with this ARN; an ARN of another account or region is not found, as on AWS."""
    _, _, resource = arn.partition(":userpool/")
    pool = store.user_pools.get(resource)
    if pool is None or pool.arn.split(":", 2)[2] != arn.split(":", 2)[2]:
        raise ResourceNotFoundException(f"Resource {arn} does not exist.")
    return pool


def tag_resource(store: Store, arn: str, tags: dict[str, str]) -> None:
    pool = pool_by_arn(store, arn)
    pool.tags = tagging.merged(pool.tags, tags, "A user pool")


def untag_resource(store: Store, arn: str, keys: list[str]) -> None:
    pool = pool_by_arn(store, arn)
    pool.tags = tagging.without(pool.tags, keys)


def list_tags(store: Store, arn: str) -> dict[str, str]:
    return dict(pool_by_arn(store, arn).tags)
