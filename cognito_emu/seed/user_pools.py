"""A seed's user pool entry: the pool, its MFA configuration, resource servers, identity providers,
app clients, domains and groups (users: ``cognito_emu.seed.users``)."""

from __future__ import annotations

import re
from typing import Any

from cognito_emu.idp import keys
from cognito_emu.idp.models import AppClient, UserPool
from cognito_emu.idp.pool import (
    clients,
    domains,
    identity_providers,
    pool_settings,
    pools,
    replicas,
    resource_servers,
)
from cognito_emu.idp.users import groups
from cognito_emu.protocol.model import IDP
from cognito_emu.protocol.regions import user_pool_regions
from cognito_emu.seed.applier import Applier, pinned_key
from cognito_emu.seed.checks import SeedError, at, entries, expect, join, members, stamp
from cognito_emu.seed.users import apply_user
from cognito_emu.state import Store

POOL_KEYS = (
    "Id",
    "region",
    "account",
    "clients",
    "groups",
    "users",
    "domain",
    "resourceServers",
    "identityProviders",
    "mfaConfig",
    "signingKey",
    "accessSigningKey",
    "created",
    "modified",
    "triggers",
    "replicas",
)
# A replica entry: CreateUserPoolReplica's members, its status (UpdateUserPoolReplica's; INACTIVE when
# left out, as a new replica is) and its own Regional settings (UpdateUserPool's members in its Region;
# those left out are copied from the pool, as CreateUserPoolReplica copies them).
REPLICA_KEYS = ("Status", *replicas.REGIONAL_SETTINGS)
CLIENT_KEYS = ("ClientId", "additionalClientSecrets", "created", "modified")
GROUP_KEYS = ("created", "modified")
PROVIDER_KEYS = ("created", "modified")
_POOL_ID = re.compile(r"[\w-]+_[0-9a-zA-Z]+")
_CLIENT_ID = re.compile(r"[\w+]{1,128}")


def apply_user_pool(run: Applier, entry: dict[str, Any], path: str) -> None:
    run.triggers(entry, path)
    params = members(entry, IDP, "CreateUserPool", path, POOL_KEYS)
    store = run.store(entry, path)
    mfa = entry.get("mfaConfig")
    mode = params.get("MfaConfiguration", "OFF")
    if mfa is not None:
        # The factors come with SetUserPoolMfaConfig, after creation: create with MFA off first.
        params["MfaConfiguration"] = "OFF"
    with at(path):
        pool = pools.create_user_pool(run.env, store, params)
    if entry.get("Id") is not None:
        _rekey_pool(run, pool, entry["Id"], join(path, "Id"))
    # The seed's own key for all its pools, then this pool's own keys, each where given.
    if run.signing_key is not None:
        keys.use_signing_key(pool, run.signing_key)
    id_key = pinned_key(entry, "signingKey", path)
    if id_key is not None:
        pool.signing_key_pem = id_key
    access_key = pinned_key(entry, "accessSigningKey", path)
    if access_key is not None:
        pool.access_signing_key_pem = access_key
    run.pool_names[pool.name] = pool.id
    run.counts["userPools"] += 1
    if mfa is not None:
        mfa_path = join(path, "mfaConfig")
        mfa_params = members(
            expect(mfa, dict, mfa_path, "a mapping"),
            IDP,
            "SetUserPoolMfaConfig",
            mfa_path,
            UserPoolId=pool.id,
            MfaConfiguration=mode,
        )
        with at(mfa_path):
            pool_settings.set_mfa_config(run.env, store, pool.id, mfa_params)
    for item_path, item in entries(entry, "resourceServers", path):
        _resource_server(store, pool, item, item_path)
    for item_path, item in entries(entry, "identityProviders", path):
        _identity_provider(run, store, pool, item, item_path)
    for item_path, item in entries(entry, "clients", path):
        _client(run, pool, item, item_path)
    _domains(run, store, pool, entry.get("domain"), join(path, "domain"))
    for item_path, item in entries(entry, "groups", path):
        _group(run, store, pool, item, item_path)
    for item_path, item in entries(entry, "users", path):
        apply_user(run, pool, item, item_path)
    for item_path, item in entries(entry, "replicas", path):
        _replica(run, pool, item, item_path)
    stamp(pool, entry, path)


def _replica(run: Applier, pool: UserPool, entry: dict[str, Any], path: str) -> None:
    params = members(entry, IDP, "CreateUserPoolReplica", path, REPLICA_KEYS, UserPoolId=pool.id)
    region = params["RegionName"]
    regional = {name: entry[name] for name in replicas.REGIONAL_SETTINGS if name in entry}
    checked = members(regional, IDP, "UpdateUserPool", path, UserPoolId=pool.id)
    with at(path):
        replicas.create_replica(
            run.env, pool, region, params.get("UserPoolTags") or {}, user_pool_regions(pool.region)
        )
        if "Status" in entry:
            status = members(
                {"Status": entry["Status"]},
                IDP,
                "UpdateUserPoolReplica",
                path,
                UserPoolId=pool.id,
                RegionName=region,
            )
            replicas.update_replica(pool, region, status["Status"])
    pool.replicas[region].settings.update({name: checked[name] for name in regional})


def _rekey_pool(run: Applier, pool: UserPool, pool_id: Any, path: str) -> None:
    expect(pool_id, str, path, "a user pool id")
    if not _POOL_ID.fullmatch(pool_id) or len(pool_id) > 55:
        raise SeedError(f"{pool_id!r} is not a user pool id (<region>_<letters and digits>)", path)
    if pool_id in run.env.state.pool_index:
        raise SeedError(f"a user pool with the id {pool_id} already exists", path)
    run.env.state.remove_pool(pool)
    pool.id = pool_id
    run.env.state.add_pool(pool)


def _resource_server(store: Store, pool: UserPool, entry: dict[str, Any], path: str) -> None:
    params = members(entry, IDP, "CreateResourceServer", path, UserPoolId=pool.id)
    with at(path):
        resource_servers.create_resource_server(
            store, pool.id, params["Identifier"], params["Name"], params.get("Scopes")
        )


def _identity_provider(run: Applier, store: Store, pool: UserPool, entry: dict[str, Any], path: str) -> None:
    params = members(entry, IDP, "CreateIdentityProvider", path, PROVIDER_KEYS, UserPoolId=pool.id)
    with at(path):
        provider = identity_providers.create_identity_provider(
            run.env,
            store,
            pool.id,
            params["ProviderName"],
            params["ProviderType"],
            params["ProviderDetails"],
            attribute_mapping=params.get("AttributeMapping"),
            identifiers=params.get("IdpIdentifiers"),
            acr_mapping=params.get("AcrMapping"),
        )
    stamp(provider, entry, path)


def _client(run: Applier, pool: UserPool, entry: dict[str, Any], path: str) -> None:
    params = members(entry, IDP, "CreateUserPoolClient", path, CLIENT_KEYS, UserPoolId=pool.id)
    extra_path = join(path, "additionalClientSecrets")
    extra = expect(entry.get("additionalClientSecrets") or [], list, extra_path, "a list of secrets")
    with at(path):
        client = clients.create_client(run.env, pool, params)
    if entry.get("ClientId") is not None:
        _rekey_client(run, pool, client, entry["ClientId"], join(path, "ClientId"))
    for index, value in enumerate(extra):
        item_path = f"{extra_path}[{index}]"
        with at(item_path):
            clients.add_secret(run.env, pool, client.client_id, expect(value, str, item_path, "a string"))
    stamp(client, entry, path)
    run.client_names[f"{pool.name}/{client.name}"] = client.client_id
    run.counts["appClients"] += 1


def _rekey_client(run: Applier, pool: UserPool, client: AppClient, client_id: Any, path: str) -> None:
    expect(client_id, str, path, "a client id")
    if not _CLIENT_ID.fullmatch(client_id):
        raise SeedError(f"{client_id!r} is not a client id (1 to 128 letters, digits, _ or +)", path)
    state = run.env.state
    if client_id in state.client_index:
        raise SeedError(f"an app client with the id {client_id} already exists", path)
    old = client.client_id
    del pool.clients[old]
    state.client_index.pop(old, None)
    client.client_id = client_id
    for secret in client.secrets:
        secret.secret_id = client_id + secret.secret_id[len(old) :]
    pool.clients[client_id] = client
    state.client_index[client_id] = pool.id


def _domains(run: Applier, store: Store, pool: UserPool, value: Any, path: str) -> None:
    if value is None:
        return
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]" if isinstance(value, list) else path
        if isinstance(item, str):
            item = {"Domain": item}
        expect(item, dict, item_path, "a domain prefix or CreateUserPoolDomain's members")
        params = members(item, IDP, "CreateUserPoolDomain", item_path, UserPoolId=pool.id)
        with at(item_path):
            domains.create_user_pool_domain(
                run.env,
                store,
                pool.id,
                params["Domain"],
                custom_domain_config=params.get("CustomDomainConfig"),
                managed_login_version=params.get("ManagedLoginVersion"),
                routing=params.get("Routing"),
            )


def _group(run: Applier, store: Store, pool: UserPool, entry: dict[str, Any], path: str) -> None:
    params = members(entry, IDP, "CreateGroup", path, GROUP_KEYS, UserPoolId=pool.id)
    with at(path):
        group = groups.create_group(
            run.env,
            store,
            pool.id,
            params["GroupName"],
            description=params.get("Description"),
            role_arn=params.get("RoleArn"),
            precedence=params.get("Precedence"),
        )
    stamp(group, entry, path)
    run.counts["groups"] += 1
