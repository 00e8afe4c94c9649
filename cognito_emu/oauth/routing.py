"""Which user pool an OAuth / hosted-login request is for.

Cognito serves these endpoints on the pool's domain: ``<prefix>.auth.<region>.amazoncognito.com`` or a
custom domain. The emulator answers them:

- by Host: a request whose Host is ``<prefix>.auth.<region>.amazoncognito.com`` (the prefix in
  ``State.domain_index``) or a custom domain of a pool is for that pool, at ``/oauth2/...``;
- by path prefix on plain localhost: ``/_oauth/<domain>/oauth2/authorize`` (``<domain>`` is the prefix
  or the custom domain), which is where the openid-configuration of a pool with a domain points;
- otherwise (``/oauth2/...`` on plain localhost) through the request's client id or access token.

A client that called AWS's own host (``cognito-idp.<region>.amazonaws.com``: the in-process mock answers
it) is told the domain's AWS address, as Cognito's openid-configuration names it: the custom domain when
the pool has one (the developer guide, "Configuring a user pool domain": the discovery endpoints then
serve only the custom domain), else ``https://<prefix>.auth.<region>.amazoncognito.com``.
"""

from __future__ import annotations

import re

from cognito_emu.idp.models import UserPool
from cognito_emu.state import State

PATH_PREFIX = "/_oauth"

_PREFIX_HOST = re.compile(
    r"(?P<prefix>[a-z0-9-]+)\.auth(?:-fips)?\.(?P<region>[a-z0-9-]+)\.amazoncognito\.com"
)
_AWS_API_HOST = re.compile(r"cognito-idp(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?")


def hostname(host: str) -> str:
    """``Host`` without its port, lower-cased."""
    name = host.strip().lower()
    if name.startswith("["):
        return name.split("]")[0] + "]"
    return name.rsplit(":", 1)[0] if ":" in name else name


def domain_of_host(state: State, host: str) -> str | None:
    """The pool domain a Host names (a prefix domain's prefix, or a custom domain), if one exists."""
    name = hostname(host)
    match = _PREFIX_HOST.fullmatch(name)
    if match and match.group("prefix") in state.domain_index:
        return match.group("prefix")
    return name if name in state.domain_index else None


def is_prefix_domain_host(host: str) -> bool:
    """Whether ``host`` has the shape of a prefix domain's (``<prefix>.auth.<region>.amazoncognito.com``)."""
    return _PREFIX_HOST.fullmatch(hostname(host)) is not None


def region_of_host(host: str) -> str | None:
    """The Region a prefix domain's Host names; None for any other Host (a custom domain, localhost)."""
    match = _PREFIX_HOST.fullmatch(hostname(host))
    return match.group("region") if match else None


def pool_of_domain(state: State, domain: str) -> UserPool | None:
    pool_id = state.domain_index.get(domain)
    return state.find_pool(pool_id) if pool_id else None


def endpoints_base(state: State, base_url: str, host: str, pool: UserPool) -> str:
    """Where a pool's OAuth endpoints are, seen from a request to ``base_url`` with ``host``."""
    host_domain = domain_of_host(state, host)
    if host_domain is not None and host_domain in (pool.domain, pool.custom_domain):
        return base_url
    if _AWS_API_HOST.fullmatch(hostname(host)):
        if pool.custom_domain:
            return f"https://{pool.custom_domain}"
        if pool.domain:
            return f"https://{pool.domain}.auth.{pool.region}.amazoncognito.com"
    domain = pool.domain or pool.custom_domain
    return f"{base_url}{PATH_PREFIX}/{domain}" if domain else base_url
