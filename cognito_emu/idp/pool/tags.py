"""Tags on a user pool, addressed by its ARN (TagResource, UntagResource, ListTagsForResource).

UserPoolTags of CreateUserPool and UpdateUserPool write the same map, so both views agree.
"""

from __future__ import annotations

from cognito_emu import tagging
from cognito_emu.errors import ResourceNotFoundException
from cognito_emu.idp.continuity import UserPoolReplica
from cognito_emu.idp.models import UserPool
from cognito_emu.idp.pool.replicas import arn_in
from cognito_emu.state import Store


def tagged(store: Store, arn: str, replica: UserPoolReplica | None = None) -> UserPool | UserPoolReplica:
    """What carries the tags of this ARN: the caller's pool, or the secondary ``replica`` serving the
    call, which keeps tags of its own. An ARN of another account or Region is not found, as on AWS."""
    _, _, resource = arn.partition(":userpool/")
    pool = store.user_pools.get(resource)
    if pool is None:
        raise ResourceNotFoundException(f"Resource {arn} does not exist.")
    own_arn = pool.arn if replica is None else arn_in(pool, replica.region)
    if own_arn.split(":", 2)[2] != arn.split(":", 2)[2]:
        raise ResourceNotFoundException(f"Resource {arn} does not exist.")
    return pool if replica is None else replica


def tag_resource(
    store: Store, arn: str, tags: dict[str, str], replica: UserPoolReplica | None = None
) -> None:
    owner = tagged(store, arn, replica)
    owner.tags = tagging.merged(owner.tags, tags, "A user pool")


def untag_resource(store: Store, arn: str, keys: list[str], replica: UserPoolReplica | None = None) -> None:
    owner = tagged(store, arn, replica)
    owner.tags = tagging.without(owner.tags, keys)


def list_tags(store: Store, arn: str, replica: UserPoolReplica | None = None) -> dict[str, str]:
    return dict(tagged(store, arn, replica).tags)
