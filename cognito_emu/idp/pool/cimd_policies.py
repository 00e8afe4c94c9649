"""Client ID Metadata Document (CIMD) policies: which https URLs an external OAuth client may use as its
``client_id``, each policy tied to one app client of the pool (developer guide, "Client ID metadata
documents (CIMD)"; API reference, CreateCIMDPolicy).

CacheDuration defaults to 86,400 seconds at creation; UpdateCIMDPolicy keeps the name and the cache
duration it is not given and replaces the URL patterns. A policy outlives its app client, and then shows
no ClientId.

Cognito caches a metadata document when its /oauth2/authorize takes the URL as a client id;
ListClientMetadataURLs lists those and UpdateClientMetadataURLState refreshes or drops one. The
emulator's hosted login does not take URL client ids yet, so no policy has a cached URL: the list is
empty and a state change answers CachedCIMDURLDoesNotExistException, as Cognito does for a URL it has
not cached.
"""

from __future__ import annotations

from cognito_emu.env import Env
from cognito_emu.errors import CachedCIMDURLDoesNotExistException, ResourceNotFoundException
from cognito_emu.idp.models import CIMDPolicy, UserPool
from cognito_emu.idp.pool import pools
from cognito_emu.idp.pool.clients import get_client
from cognito_emu.pagination import paginate
from cognito_emu.state import Store

DEFAULT_CACHE_DURATION = 86_400
DEFAULT_MAX_RESULTS = 60
POLICY_ID_LENGTH = 26


def get_policy(pool: UserPool, policy_id: str) -> CIMDPolicy:
    policy = pool.cimd_policies.get(policy_id)
    if policy is None:
        raise ResourceNotFoundException(f"CIMD policy {policy_id} does not exist in user pool {pool.id}.")
    return policy


def client_of(pool: UserPool, policy: CIMDPolicy) -> str | None:
    """The policy's app client, or None once that client is gone (Cognito then omits ClientId)."""
    return policy.client_id if policy.client_id in pool.clients else None


def create(
    env: Env,
    store: Store,
    pool_id: str,
    client_id: str,
    name: str,
    url_patterns: list[str],
    cache_duration: int | None,
) -> tuple[UserPool, CIMDPolicy]:
    pool = pools.get_user_pool(store, pool_id)
    get_client(pool, client_id)
    now = env.clock.now()
    policy = CIMDPolicy(
        policy_id=env.ids.alphanumeric(POLICY_ID_LENGTH).lower(),
        client_id=client_id,
        name=name,
        url_patterns=list(url_patterns),
        cache_duration=DEFAULT_CACHE_DURATION if cache_duration is None else cache_duration,
        created=now,
        modified=now,
    )
    pool.cimd_policies[policy.policy_id] = policy
    return pool, policy


def describe(store: Store, pool_id: str, policy_id: str) -> tuple[UserPool, CIMDPolicy]:
    pool = pools.get_user_pool(store, pool_id)
    return pool, get_policy(pool, policy_id)


def list_policies(
    store: Store, pool_id: str, max_results: int | None, token: str | None
) -> tuple[UserPool, list[CIMDPolicy], str | None]:
    pool = pools.get_user_pool(store, pool_id)
    ordered = sorted(pool.cimd_policies.values(), key=lambda p: p.policy_id)
    page, next_token = paginate(
        ordered, key=lambda p: p.policy_id, limit=max_results or DEFAULT_MAX_RESULTS, token=token
    )
    return pool, page, next_token


def update(
    env: Env,
    store: Store,
    pool_id: str,
    policy_id: str,
    client_id: str,
    name: str | None,
    url_patterns: list[str],
    cache_duration: int | None,
) -> tuple[UserPool, CIMDPolicy]:
    pool = pools.get_user_pool(store, pool_id)
    policy = get_policy(pool, policy_id)
    get_client(pool, client_id)
    policy.client_id = client_id
    policy.url_patterns = list(url_patterns)
    if name is not None:
        policy.name = name
    if cache_duration is not None:
        policy.cache_duration = cache_duration
    policy.modified = env.clock.now()
    return pool, policy


def delete(store: Store, pool_id: str, policy_id: str) -> None:
    pool = pools.get_user_pool(store, pool_id)
    get_policy(pool, policy_id)
    del pool.cimd_policies[policy_id]


def check_url_state_change(store: Store, pool_id: str, policy_id: str, url: str) -> None:
    """UpdateClientMetadataURLState: the policy must exist, and the URL be one it cached (none is)."""
    get_policy(pools.get_user_pool(store, pool_id), policy_id)
    raise CachedCIMDURLDoesNotExistException(f"The URL {url} is not cached for CIMD policy {policy_id}.")
