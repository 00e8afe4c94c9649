"""A seed's identity pool entry: the pool (references to the seed's user pools and clients resolved),
a fixed id, roles and role mappings, principal tags."""

from __future__ import annotations

import re
from typing import Any

from cognito_emu.identity import index as identity_index
from cognito_emu.identity import pools as identity_pools
from cognito_emu.seed.applier import Applier
from cognito_emu.seed.checks import SeedError, at, expect, join, members, stamp, validate
from cognito_emu.seed.references import resolve

IDENTITY = "cognito-identity"
IDENTITY_POOL_KEYS = (
    "IdentityPoolId",
    "region",
    "account",
    "roles",
    "roleMappings",
    "principalTags",
    "created",
)
_IDENTITY_POOL_ID = re.compile(r"[\w-]+:[0-9a-f-]+")


def apply_identity_pool(run: Applier, entry: dict[str, Any], path: str) -> None:
    entry = resolve(entry, path, run.pool_names, run.client_names)
    params = members(entry, IDENTITY, "CreateIdentityPool", path, IDENTITY_POOL_KEYS)
    store = run.store(entry, path)
    with at(path):
        pool = identity_pools.create_identity_pool(run.env, store, params)
    fixed = entry.get("IdentityPoolId")
    if fixed is not None:
        id_path = join(path, "IdentityPoolId")
        expect(fixed, str, id_path, "an identity pool id")
        if not _IDENTITY_POOL_ID.fullmatch(fixed) or len(fixed) > 55:
            raise SeedError(f"{fixed!r} is not an identity pool id (<region>:<uuid>)", id_path)
        if identity_index.find_pool(run.env.state, fixed) is not None:
            raise SeedError(f"an identity pool with the id {fixed} already exists", id_path)
        identity_index.remove_pool(run.env.state, pool)
        pool.id = fixed
        identity_index.add_pool(run.env.state, pool)
    roles = entry.get("roles")
    mappings = entry.get("roleMappings")
    if roles is not None or mappings is not None:
        role_params: dict[str, Any] = {"IdentityPoolId": pool.id, "Roles": roles or {}}
        if mappings is not None:
            role_params["RoleMappings"] = mappings
        validate(IDENTITY, "SetIdentityPoolRoles", role_params, join(path, "roles"))
        with at(join(path, "roles")):
            identity_pools.set_roles(store, pool.id, role_params["Roles"], mappings)
    tags_path = join(path, "principalTags")
    for provider, spec in expect(entry.get("principalTags") or {}, dict, tags_path, "a mapping").items():
        item_path = join(tags_path, str(provider))
        expect(spec, dict, item_path, "a mapping with UseDefaults and/or PrincipalTags")
        with at(item_path):
            identity_pools.set_principal_tag_map(
                store, pool.id, provider, spec.get("UseDefaults"), spec.get("PrincipalTags")
            )
    stamp(pool, entry, path, ("created",))
    run.counts["identityPools"] += 1
