"""Identity pools: create, describe, update, delete, list; roles and role mappings; principal tag
maps; tags on the pool ARN.

Cognito only stores most pool settings and hands them back; the ones the emulator reasons about
(unauthenticated access, login providers, the developer provider) are read through ``IdentityPool``.
API reference: https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cognito_emu import tagging
from cognito_emu.env import Env
from cognito_emu.errors import InvalidParameterException, ResourceNotFoundException
from cognito_emu.identity import index
from cognito_emu.identity.models import AUTHENTICATED, UNAUTHENTICATED, IdentityPool, PrincipalTagMap
from cognito_emu.pagination import paginate

if TYPE_CHECKING:
    from cognito_emu.state import Store

# CreateIdentityPool's members kept in ``settings`` (name and tags have fields of their own).
SETTINGS = (
    "AllowUnauthenticatedIdentities",
    "AllowClassicFlow",
    "SupportedLoginProviders",
    "DeveloperProviderName",
    "OpenIdConnectProviderARNs",
    "CognitoIdentityProviders",
    "SamlProviderARNs",
)

# SetPrincipalTagAttributeMap with UseDefaults: "default (username and clientID) attribute mappings";
# the developer guide (attributes for access control) maps them from the token's sub and aud.
DEFAULT_PRINCIPAL_TAGS = {"username": "sub", "client": "aud"}

# https://docs.aws.amazon.com/cognito/latest/developerguide/limits.html (tags per identity pool)


def not_found(pool_id: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(f"IdentityPool '{pool_id}' not found.")


def _settings(params: dict[str, Any]) -> dict[str, Any]:
    settings = {key: params[key] for key in SETTINGS if params.get(key) is not None}
    providers = []
    for provider in settings.get("CognitoIdentityProviders", []):
        providers.append({"ServerSideTokenCheck": False, **provider})
    if providers:
        settings["CognitoIdentityProviders"] = providers
    return settings


def create_identity_pool(env: Env, store: Store, params: dict[str, Any]) -> IdentityPool:
    pool = IdentityPool(
        id=f"{store.region}:{env.ids.uuid()}",
        name=params["IdentityPoolName"],
        account=store.account,
        region=store.region,
        created=env.clock.now(),
        settings=_settings(params),
        tags=tagging.merged({}, params.get("IdentityPoolTags") or {}, "An identity pool"),
    )
    index.add_pool(env.state, pool)
    return pool


def get_identity_pool(store: Store, pool_id: str) -> IdentityPool:
    """The caller's pool (signed, administrative operations)."""
    pool = store.identity_pools.get(pool_id)
    if pool is None:
        raise not_found(pool_id)
    return pool


def find_identity_pool(env: Env, pool_id: str) -> IdentityPool:
    """Any account's pool by its id (unsigned operations: GetId)."""
    pool = index.find_pool(env.state, pool_id)
    if pool is None:
        raise not_found(pool_id)
    return pool


def update_identity_pool(env: Env, store: Store, params: dict[str, Any]) -> IdentityPool:
    """UpdateIdentityPool replaces the pool's settings: members left out are cleared.

    "Once you have set a developer provider name, you cannot change it" (CreateIdentityPool,
    DeveloperProviderName): a different name, or none, is refused.
    """
    pool = get_identity_pool(store, params["IdentityPoolId"])
    settings = _settings(params)
    current = pool.developer_provider
    if current is not None and settings.get("DeveloperProviderName", current) != current:
        raise InvalidParameterException("DeveloperProviderName cannot be changed once it has been set.")
    if current is not None:
        settings["DeveloperProviderName"] = current
    pool.name = params["IdentityPoolName"]
    pool.settings = settings
    if params.get("IdentityPoolTags") is not None:
        pool.tags = dict(params["IdentityPoolTags"])
    return pool


def delete_identity_pool(env: Env, store: Store, pool_id: str) -> None:
    index.remove_pool(env.state, get_identity_pool(store, pool_id))


def list_identity_pools(store: Store, limit: int, token: str | None) -> tuple[list[IdentityPool], str | None]:
    pools = sorted(store.identity_pools.values(), key=lambda p: p.id)
    return paginate(pools, lambda p: p.id, limit, token)


# -- roles ---------------------------------------------------------------------------------------


def set_roles(store: Store, pool_id: str, roles: dict[str, str], mappings: dict[str, Any] | None) -> None:
    pool = get_identity_pool(store, pool_id)
    for key in roles:
        if key not in (AUTHENTICATED, UNAUTHENTICATED):
            raise InvalidParameterException(
                f"Invalid key '{key}' in Roles: the keys are '{AUTHENTICATED}' and '{UNAUTHENTICATED}'."
            )
    for provider, mapping in (mappings or {}).items():
        kind = mapping["Type"]
        if kind == "Rules" and not (mapping.get("RulesConfiguration") or {}).get("Rules"):
            raise InvalidParameterException(
                f"RulesConfiguration is required for role mapping type Rules (provider {provider})."
            )
        if not mapping.get("AmbiguousRoleResolution"):
            raise InvalidParameterException(
                f"AmbiguousRoleResolution is required for role mapping type {kind} (provider {provider})."
            )
    pool.roles = dict(roles)
    pool.role_mappings = dict(mappings or {})


# -- principal tags (attributes for access control) ----------------------------------------------


def principal_tag_map(store: Store, pool_id: str, provider: str) -> PrincipalTagMap:
    pool = get_identity_pool(store, pool_id)
    return pool.principal_tags.get(provider) or PrincipalTagMap()


def set_principal_tag_map(
    store: Store, pool_id: str, provider: str, use_defaults: bool | None, tags: dict[str, str] | None
) -> PrincipalTagMap:
    pool = get_identity_pool(store, pool_id)
    mapping = PrincipalTagMap(
        use_defaults=bool(use_defaults), tags=dict(DEFAULT_PRINCIPAL_TAGS if use_defaults else tags or {})
    )
    pool.principal_tags[provider] = mapping
    return mapping


def principal_tags_for(pool: IdentityPool, provider: str, claims: dict[str, Any]) -> dict[str, str]:
    """The session tags credentials carry: each mapped claim's value (lists joined by commas)."""
    mapping = pool.principal_tags.get(provider)
    if mapping is None:
        return {}
    tags: dict[str, str] = {}
    for tag, claim in mapping.tags.items():
        value = claims.get(claim)
        if value is None:
            continue
        tags[tag] = ",".join(map(str, value)) if isinstance(value, list) else str(value)
    return tags


# -- tags on the pool ARN ------------------------------------------------------------------------


def pool_by_arn(store: Store, arn: str) -> IdentityPool:
    _, _, pool_id = arn.partition(":identitypool/")
    pool = store.identity_pools.get(pool_id)
    if pool is None or pool.arn != arn:
        raise ResourceNotFoundException(f"Resource {arn} does not exist.")
    return pool


def tag_resource(store: Store, arn: str, tags: dict[str, str]) -> None:
    pool = pool_by_arn(store, arn)
    pool.tags = tagging.merged(pool.tags, tags, "An identity pool")


def untag_resource(store: Store, arn: str, keys: list[str]) -> None:
    pool = pool_by_arn(store, arn)
    pool.tags = tagging.without(pool.tags, keys)


def list_tags(store: Store, arn: str) -> dict[str, str]:
    return dict(pool_by_arn(store, arn).tags)
