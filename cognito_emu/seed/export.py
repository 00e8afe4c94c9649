"""A state as a seed document: the configuration and users that recreate it (``export_seed``)."""

from __future__ import annotations

import copy
from typing import Any

from cognito_emu.idp.factors import mfa
from cognito_emu.idp.models import AppClient, SchemaAttribute, User, UserPool
from cognito_emu.idp.pool import schema
from cognito_emu.idp.users import memberships
from cognito_emu.idp.users.index import username_attributes
from cognito_emu.shared_presenters import schema_attribute
from cognito_emu.state import State

_DEFAULT_STANDARD = {a.name: a for a in schema.standard_attributes()}


def export_seed(state: State) -> dict[str, Any]:
    """The seed that recreates ``state``'s configuration and users (call under ``state.lock``).

    Passwords come out as ``passwordHash`` (SRP salt and verifier, the history), which sign-in
    accepts as it did. Not exported: signed-in sessions and tokens, pending codes, lockouts, identity
    pools' identities and issued credentials, UI customization, risk and log delivery settings.
    """
    stores = sorted(state.stores.values(), key=lambda s: (s.account, s.region))
    addresses = {(s.account, s.region) for s in stores if s.user_pools or s.identity_pools}
    document: dict[str, Any] = {}
    single = len(addresses) == 1
    if single:
        document["account"], document["region"] = next(iter(addresses))
    user_pools: list[dict[str, Any]] = []
    identity_pools: list[dict[str, Any]] = []
    for store in stores:
        where = {} if single else {"account": store.account, "region": store.region}
        for pool in sorted(store.user_pools.values(), key=lambda p: p.id):
            user_pools.append({**_export_pool(pool), **where})
        for ipool in sorted(store.identity_pools.values(), key=lambda p: p.id):
            identity_pools.append({**_export_identity_pool(ipool), **where})
    document["userPools"] = user_pools
    document["identityPools"] = identity_pools
    return document


def _export_pool(pool: UserPool) -> dict[str, Any]:
    settings = copy.deepcopy(pool.settings)
    entry: dict[str, Any] = {"Id": pool.id, "PoolName": pool.name, **settings}
    custom_schema = [spec for a in pool.schema.values() if (spec := _export_attribute(a)) is not None]
    if custom_schema:
        entry["Schema"] = custom_schema
    if pool.tags:
        entry["UserPoolTags"] = dict(pool.tags)
    if pool.mfa_config:
        mfa = copy.deepcopy(pool.mfa_config)
        sms = mfa.get("SmsMfaConfiguration")
        if sms is not None:
            mfa["SmsMfaConfiguration"] = {k: v for k, v in sms.items() if v is not None}
        entry["mfaConfig"] = mfa
    if pool.resource_servers:
        entry["resourceServers"] = [
            {"Identifier": s.identifier, "Name": s.name, "Scopes": copy.deepcopy(s.scopes)}
            for s in sorted(pool.resource_servers.values(), key=lambda s: s.identifier)
        ]
    if pool.identity_providers:
        entry["identityProviders"] = [
            {
                "ProviderName": p.name,
                "ProviderType": p.provider_type,
                "ProviderDetails": dict(p.details),
                **({"AttributeMapping": dict(p.attribute_mapping)} if p.attribute_mapping else {}),
                **({"IdpIdentifiers": list(p.identifiers)} if p.identifiers else {}),
                **({"AcrMapping": dict(p.acr_mapping)} if p.acr_mapping else {}),
                "created": p.created,
                "modified": p.modified,
            }
            for p in sorted(pool.identity_providers.values(), key=lambda p: p.name)
        ]
    if pool.clients:
        entry["clients"] = [
            _export_client(c) for c in sorted(pool.clients.values(), key=lambda c: c.client_id)
        ]
    domain_entries = [_export_domain(d) for d in sorted(pool.domains.values(), key=lambda d: d.domain)]
    if domain_entries:
        entry["domain"] = domain_entries[0] if len(domain_entries) == 1 else domain_entries
    if pool.groups:
        entry["groups"] = [
            {
                "GroupName": g.name,
                **({"Description": g.description} if g.description is not None else {}),
                **({"RoleArn": g.role_arn} if g.role_arn is not None else {}),
                **({"Precedence": g.precedence} if g.precedence is not None else {}),
                "created": g.created,
                "modified": g.modified,
            }
            for g in sorted(pool.groups.values(), key=lambda g: g.name)
        ]
    if pool.users:
        entry["users"] = [_export_user(pool, key, u) for key, u in sorted(pool.users.items())]
    if pool.replicas:
        entry["replicas"] = [
            {
                "RegionName": r.region,
                "Status": r.status.value,
                **({"UserPoolTags": dict(r.tags)} if r.tags else {}),
                **copy.deepcopy(r.settings),
            }
            for r in sorted(pool.replicas.values(), key=lambda r: r.region)
        ]
    if pool.signing_key_pem:
        entry["signingKey"] = pool.signing_key_pem
    if pool.access_signing_key_pem:
        entry["accessSigningKey"] = pool.access_signing_key_pem
    entry["created"] = pool.created
    entry["modified"] = pool.modified
    return entry


def _export_attribute(attribute: SchemaAttribute) -> dict[str, Any] | None:
    """A SchemaAttributeType for CreateUserPool: custom attributes, and standard ones that were changed."""
    spec = schema_attribute(attribute)
    default = _DEFAULT_STANDARD.get(attribute.name)
    if default is not None:
        if spec == schema_attribute(default):
            return None
        spec.pop("DeveloperOnlyAttribute")
        return spec
    name = attribute.name.removeprefix("dev:").removeprefix("custom:")
    spec["Name"] = name
    spec.pop("Required")
    for constraints in ("StringAttributeConstraints", "NumberAttributeConstraints"):
        if spec.get(constraints) == {}:
            del spec[constraints]
    return spec


def _export_client(client: AppClient) -> dict[str, Any]:
    entry: dict[str, Any] = {"ClientId": client.client_id, "ClientName": client.name}
    entry.update(copy.deepcopy(client.settings))
    if client.secrets:
        entry["ClientSecret"] = client.secrets[0].value
        if len(client.secrets) > 1:
            entry["additionalClientSecrets"] = [s.value for s in client.secrets[1:]]
    entry["created"] = client.created
    entry["modified"] = client.modified
    return entry


def _export_domain(domain: Any) -> Any:
    plain = (
        domain.custom_domain_config is None and domain.routing is None and domain.managed_login_version == 1
    )
    if plain:
        return domain.domain
    entry: dict[str, Any] = {"Domain": domain.domain, "ManagedLoginVersion": domain.managed_login_version}
    if domain.custom_domain_config is not None:
        entry["CustomDomainConfig"] = copy.deepcopy(domain.custom_domain_config)
    if domain.routing is not None:
        entry["Routing"] = copy.deepcopy(domain.routing)
    return entry


def _export_user(pool: UserPool, key: str, user: User) -> dict[str, Any]:
    username = user.username
    if username == user.sub:
        # With UsernameAttributes the name a user signs up with is an email or phone number.
        for attribute in username_attributes(pool):
            if user.attributes.get(attribute):
                username = user.attributes[attribute]
                break
    entry: dict[str, Any] = {
        "Username": username,
        "sub": user.sub,
        "attributes": {k: v for k, v in user.attributes.items() if k != "sub"},
        "status": user.status.value,
        "enabled": user.enabled,
    }
    member_of = [g.name for g in memberships.groups_of(pool, user)]
    if member_of:
        entry["groups"] = sorted(member_of)
    if user.srp_salt and user.srp_verifier:
        entry["passwordHash"] = {
            **({"bcrypt": user.password_hash} if user.password_hash else {}),
            "srpSalt": user.srp_salt.hex(),
            "srpVerifier": user.srp_verifier.hex(),
            "history": list(user.password_history),
            "changed": user.password_changed,
            **(
                {"temporaryExpires": user.temporary_password_expires}
                if user.temporary_password_expires
                else {}
            ),
        }
    mfa_settings = mfa.export_seed(user)
    if mfa_settings:
        entry["mfa"] = mfa_settings
    entry["created"] = user.created
    entry["modified"] = user.modified
    return entry


def _export_identity_pool(pool: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "IdentityPoolId": pool.id,
        "IdentityPoolName": pool.name,
        **copy.deepcopy(pool.settings),
    }
    if pool.tags:
        entry["IdentityPoolTags"] = dict(pool.tags)
    if pool.roles:
        entry["roles"] = dict(pool.roles)
    if pool.role_mappings:
        entry["roleMappings"] = copy.deepcopy(pool.role_mappings)
    if pool.principal_tags:
        entry["principalTags"] = {
            provider: {"UseDefaults": m.use_defaults, "PrincipalTags": dict(m.tags)}
            for provider, m in sorted(pool.principal_tags.items())
        }
    entry["created"] = pool.created
    return entry
