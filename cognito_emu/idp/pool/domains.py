"""User pool domains: the prefix domain (``<prefix>.auth.<region>.amazoncognito.com``) and the custom
domain a pool may have, one of each.

Domain names are unique across every account and region, so they are kept in the global
``State.domain_index`` (domain -> pool id), which hosted login also routes requests by.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import (
    FeatureUnavailableInTierException,
    InvalidParameterException,
    OperationNotEnabledException,
)
from cognito_emu.idp.models import UserPool, UserPoolDomain
from cognito_emu.idp.pool.pools import get_user_pool
from cognito_emu.state import State, Store

# https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html
RESERVED_WORDS = ("aws", "amazon", "cognito")
# A prefix domain is one DNS label; only custom domains are fully qualified names.
PREFIX_DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?")
# 1 is the hosted UI (classic), 2 managed login.
MANAGED_LOGIN_VERSIONS = (1, 2)


def _check_managed_login_version(pool: UserPool, version: int) -> None:
    if version not in MANAGED_LOGIN_VERSIONS:
        raise InvalidParameterException(
            f"ManagedLoginVersion must be one of {', '.join(map(str, MANAGED_LOGIN_VERSIONS))}."
        )
    # Managed login needs a feature plan other than Lite (API reference, CreateUserPoolDomain).
    if version == 2 and pool.settings.get("UserPoolTier") == "LITE":
        raise FeatureUnavailableInTierException("Managed login is not available in the LITE feature plan.")


def _pool_domain(store: Store, pool_id: str, domain: str) -> tuple[UserPool, UserPoolDomain]:
    pool = store.user_pools.get(pool_id)
    entry = pool.domains.get(domain) if pool else None
    if pool is None or entry is None:
        raise InvalidParameterException("No such domain or user pool exists.")
    return pool, entry


def create_user_pool_domain(
    env: Env,
    store: Store,
    pool_id: str,
    domain: str,
    custom_domain_config: dict[str, Any] | None = None,
    managed_login_version: int | None = None,
    routing: dict[str, Any] | None = None,
) -> UserPoolDomain:
    pool = get_user_pool(store, pool_id)
    custom = custom_domain_config is not None
    if not custom:
        if not PREFIX_DOMAIN.fullmatch(domain):
            raise InvalidParameterException(
                "A domain prefix can contain only lowercase letters, numbers, and hyphens."
            )
        for word in RESERVED_WORDS:
            if word in domain:
                raise InvalidParameterException(f"Domain cannot contain reserved word: {word}")
        if routing is not None:
            raise InvalidParameterException("Routing is only supported for custom domains.")
    if domain in env.state.domain_index:
        raise InvalidParameterException("Domain already associated with another user pool.")
    if (pool.custom_domain if custom else pool.domain) is not None:
        raise InvalidParameterException("User pool already has a domain configured.")
    version = 1 if managed_login_version is None else managed_login_version
    _check_managed_login_version(pool, version)
    now = env.clock.now()
    entry = UserPoolDomain(
        domain=domain,
        user_pool_id=pool.id,
        account=pool.account,
        region=pool.region,
        created=now,
        modified=now,
        custom_domain_config=custom_domain_config,
        managed_login_version=version,
        cloudfront_distribution=f"d{env.ids.hex(13)}.cloudfront.net",
        routing=routing,
    )
    pool.domains[domain] = entry
    if custom:
        pool.custom_domain = domain
    else:
        pool.domain = domain
    env.state.domain_index[domain] = pool.id
    return entry


def describe_user_pool_domain(env: Env, store: Store, domain: str) -> UserPoolDomain | None:
    """The domain if the caller's account owns it in this region; Cognito answers an empty description
    (not an error) for any other name."""
    pool_id = env.state.domain_index.get(domain)
    pool = store.user_pools.get(pool_id) if pool_id else None
    return pool.domains.get(domain) if pool else None


def update_user_pool_domain(
    env: Env,
    store: Store,
    pool_id: str,
    domain: str,
    custom_domain_config: dict[str, Any] | None = None,
    managed_login_version: int | None = None,
    routing: dict[str, Any] | None = None,
) -> UserPoolDomain:
    """Change the branding version, a custom domain's certificate or its routing; never the name."""
    pool, entry = _pool_domain(store, pool_id, domain)
    is_custom = entry.custom_domain_config is not None
    if not is_custom and (custom_domain_config is not None or routing is not None):
        raise InvalidParameterException("CustomDomainConfig and Routing apply only to custom domains.")
    if managed_login_version is not None:
        _check_managed_login_version(pool, managed_login_version)
        entry.managed_login_version = managed_login_version
    if custom_domain_config is not None:
        entry.custom_domain_config = custom_domain_config
    if routing is not None:
        entry.routing = routing
    entry.modified = env.clock.now()
    return entry


def delete_user_pool_domain(env: Env, store: Store, pool_id: str, domain: str) -> None:
    pool, entry = _pool_domain(store, pool_id, domain)
    del pool.domains[domain]
    if pool.custom_domain == domain:
        pool.custom_domain = None
    if pool.domain == domain:
        pool.domain = None
    env.state.domain_index.pop(domain, None)


def set_health_check(state: State, health_check_id: str, healthy: bool) -> None:
    """Route 53 is not emulated: every health check is healthy until a test marks it unhealthy."""
    if healthy:
        state.unhealthy_health_checks.discard(health_check_id)
    else:
        state.unhealthy_health_checks.add(health_check_id)


def failover_region(state: State, pool: UserPool, domain: str) -> str | None:
    """The Region whose replica serves requests through ``domain`` while its ``Routing.Failover`` health
    check is unhealthy (API reference, FailoverType), else None: the primary serves them. Failing over
    to a Region where the pool has no replica serves nothing."""
    entry = pool.domains.get(domain)
    failover = (entry.routing or {}).get("Failover") if entry else None
    if not failover or failover.get("PrimaryRoute53HealthCheckId") not in state.unhealthy_health_checks:
        return None
    region = failover.get("SecondaryRegion")
    if region not in pool.replicas:
        raise OperationNotEnabledException(
            f"The domain {domain} failed over to {region}, where user pool {pool.id} has no replica."
        )
    return str(region)


def is_custom(entry: UserPoolDomain) -> bool:
    return entry.custom_domain_config is not None


def version_label(entry: UserPoolDomain) -> str:
    """DomainDescription.Version: Cognito labels a domain's deployment with its UTC time, yyyyMMddHHmmss."""
    return datetime.fromtimestamp(entry.modified, UTC).strftime("%Y%m%d%H%M%S")


def assets_bucket(entry: UserPoolDomain) -> str:
    """DomainDescription.S3Bucket: where Cognito keeps the hosted pages' static files, one per region."""
    return f"aws-cognito-prod-{entry.region}-assets"
