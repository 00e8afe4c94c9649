"""Seed files: load, validate and apply a declared starting state; export a state as a seed.

A seed is YAML or JSON (by file extension)::

    region: us-east-1              # optional; default: the emulator's region
    account: "123456789012"        # optional; default: the emulator's account
    userPools:
      - PoolName: app              # CreateUserPool's members, as the API takes them
        Id: us-east-1_Example1     # optional fixed id
        Policies: {PasswordPolicy: {MinimumLength: 8}}
        mfaConfig: {SoftwareTokenMfaConfiguration: {Enabled: true}}   # SetUserPoolMfaConfig's members
        clients:                   # CreateUserPoolClient's members, plus optional fixed ClientId
          - {ClientName: web, ClientId: webclient0001, ClientSecret: s3cret}
        groups: [{GroupName: admins, Precedence: 1}]                  # CreateGroup's members
        resourceServers: [{Identifier: api, Name: API, Scopes: [...]}]   # CreateResourceServer's
        identityProviders: [...]   # CreateIdentityProvider's members
        domain: my-app             # a prefix, or CreateUserPoolDomain's members, or a list of either
        users:
          - Username: alice
            attributes: {email: alice@example.com, email_verified: "true"}   # or [{Name, Value}]
            password: Passw0rd!    # permanent; or temporaryPassword, or passwordHash (from an export)
            mfa: {totpSecret: JBSWY3DPEHPK3PXP, softwareToken: true, preferred: SOFTWARE_TOKEN_MFA}   # optional
            groups: [admins]
            status: CONFIRMED      # optional override; enabled: false disables the user
    identityPools:
      - IdentityPoolName: app      # CreateIdentityPool's members, plus optional fixed IdentityPoolId
        IdentityPoolId: us-east-1:00000000-0000-4000-8000-000000000000
        AllowUnauthenticatedIdentities: true
        CognitoIdentityProviders:
          - {ProviderName: "cognito-idp.us-east-1.amazonaws.com/${userPool:app}", ClientId: "${client:app/web}"}
        roles: {authenticated: arn:aws:iam::123456789012:role/auth}
        roleMappings: {}           # SetIdentityPoolRoles' RoleMappings

PascalCase keys are the API's members; lowercase keys are the seed's own. Everything is applied
through the same domain functions the API calls, so every default and rule applies; only fixed ids
(pool, client, sub, identity pool), exported password hashes and timestamps are written directly.
Errors raise ``SeedError`` naming the file, the path inside it and what is wrong.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import CognitoError
from cognito_emu.idp import (
    attributes,
    clients,
    directory,
    domains,
    groups,
    identity_providers,
    memberships,
    mfa,
    passwords,
    pool_settings,
    pools,
    resource_servers,
    schema,
    users,
)
from cognito_emu.idp.models import AppClient, User, UserPool, UserStatus
from cognito_emu.protocol.model import IDP
from cognito_emu.protocol.shapes import Node, input_node
from cognito_emu.protocol.validate import validation_errors, validation_message
from cognito_emu.state import State, Store

IDENTITY = "cognito-identity"

_TOP_KEYS = ("region", "account", "userPools", "identityPools", "triggers")
_POOL_KEYS = (
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
    "created",
    "modified",
    "triggers",
)
_CLIENT_KEYS = ("ClientId", "additionalClientSecrets", "created", "modified")
_GROUP_KEYS = ("created", "modified")
_PROVIDER_KEYS = ("created", "modified")
_USER_KEYS = (
    "Username",
    "sub",
    "attributes",
    "password",
    "temporaryPassword",
    "passwordHash",
    "status",
    "enabled",
    "groups",
    "mfa",
    "created",
    "modified",
)
_PASSWORD_HASH_KEYS = ("bcrypt", "srpSalt", "srpVerifier", "history", "changed", "temporaryExpires")
_IDENTITY_POOL_KEYS = (
    "IdentityPoolId",
    "region",
    "account",
    "roles",
    "roleMappings",
    "principalTags",
    "created",
)
_POOL_ID = re.compile(r"[\w-]+_[0-9a-zA-Z]+")
_CLIENT_ID = re.compile(r"[\w+]{1,128}")
_IDENTITY_POOL_ID = re.compile(r"[\w-]+:[0-9a-f-]+")
_REFERENCE = re.compile(r"\$\{(userPool|client):([^}]*)\}")
_DEFAULT_STANDARD = {a.name: a for a in schema.standard_attributes()}


class SeedError(ValueError):
    """A seed that cannot be read or applied: ``source: path: reason``."""

    def __init__(self, reason: str, path: str = "", source: str | None = None) -> None:
        self.reason = reason
        self.path = path
        self.source = source
        super().__init__(self._text())

    def _text(self) -> str:
        where = ": ".join(part for part in (self.source, self.path) if part)
        return f"{where}: {self.reason}" if where else self.reason

    def located(self, source: str) -> SeedError:
        if self.source is None:
            self.source = source
            self.args = (self._text(),)
        return self


# -- reading -------------------------------------------------------------------------------------


def read_seed(path: str | Path) -> dict[str, Any]:
    """Parse a seed file: YAML for .yaml/.yml, JSON for .json."""
    path = Path(path)
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise SeedError("a seed file must end in .yaml, .yml or .json", source=source)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError(f"cannot read the file: {exc.strerror or exc}", source=source) from None
    return parse_seed(text, "json" if suffix == ".json" else "yaml", source)


def parse_seed(text: str, fmt: str, source: str = "<seed>") -> dict[str, Any]:
    if fmt == "json":
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise SeedError(f"not valid JSON: {exc}", source=source) from None
    else:
        import yaml

        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise SeedError(f"not valid YAML: {exc}", source=source) from None
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise SeedError(f"the top level must be a mapping, not {_kind(document)}", source=source)
    return document


# -- applying ------------------------------------------------------------------------------------


def apply_seed(env: Env, document: dict[str, Any], source: str = "<seed>") -> dict[str, int]:
    """Create everything ``document`` declares, all or nothing; returns what was created."""
    from cognito_emu.state.codec import decode, encode
    from cognito_emu.state.store import Address

    state = env.state
    with state.lock:
        before = [encode(store) for store in state.stores.values()]
        try:
            return _Applier(env, document).run()
        except SeedError as exc:
            restored = [decode(Store, item) for item in before]
            state.stores = {Address(s.account, s.region): s for s in restored}
            state.rebuild_indexes()
            raise exc.located(source) from None


def load_seed(env: Env, seed: str | Path | dict[str, Any]) -> dict[str, int]:
    """Apply a seed given as a file path or as an already parsed document."""
    if isinstance(seed, dict):
        return apply_seed(env, seed)
    return apply_seed(env, read_seed(seed), str(seed))


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


@contextmanager
def _at(path: str) -> Iterator[None]:
    """Report an AWS error raised while applying the entry at ``path`` as a SeedError there."""
    try:
        yield
    except CognitoError as exc:
        raise SeedError(f"{exc.code}: {exc.message}", path) from None


def _expect(value: Any, kind: type | tuple[type, ...], path: str, what: str) -> Any:
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise SeedError(f"expected {what}, got {_kind(value)}", path)
    if not isinstance(value, kind):
        raise SeedError(f"expected {what}, got {_kind(value)}", path)
    return value


def _entries(container: dict[str, Any], key: str, path: str) -> list[tuple[str, dict[str, Any]]]:
    items = container.get(key)
    if items is None:
        return []
    _expect(items, list, _join(path, key), "a list")
    out = []
    for index, item in enumerate(items):
        item_path = f"{_join(path, key)}[{index}]"
        out.append((item_path, _expect(item, dict, item_path, "a mapping")))
    return out


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _split(entry: dict[str, Any], node: Node, extras: tuple[str, ...], path: str) -> dict[str, Any]:
    """The API members of ``entry``; an unknown key is an error naming what is allowed."""
    params = {}
    for key, value in entry.items():
        if key in extras:
            continue
        if not isinstance(key, str) or key not in node.members:
            allowed = ", ".join(sorted({*node.members, *extras} - {"UserPoolId"}))
            raise SeedError(f"unknown key {key!r} (allowed: {allowed})", _join(path, str(key)))
        params[key] = copy.deepcopy(value)
    return params


def _validate(service: str, operation: str, params: dict[str, Any], path: str) -> None:
    with _at(path):
        errors = validation_errors(input_node(service, operation), params)
    if errors:
        raise SeedError(f"{operation}: {validation_message(errors)}", path)


def _timestamp(entry: dict[str, Any], key: str, path: str) -> float | None:
    value = entry.get(key)
    if value is None:
        return None
    return float(_expect(value, (int, float), _join(path, key), "epoch seconds"))


class _Applier:
    def __init__(self, env: Env, document: dict[str, Any]) -> None:
        self.env = env
        self.document = document
        # PoolName -> pool id, "PoolName/ClientName" -> client id, for ${userPool:..} and ${client:..}
        self.pool_names: dict[str, str] = {}
        self.client_names: dict[str, str] = {}
        self.counts = {"userPools": 0, "appClients": 0, "groups": 0, "users": 0, "identityPools": 0}

    def run(self) -> dict[str, int]:
        doc = self.document
        for key in doc:
            if key not in _TOP_KEYS:
                raise SeedError(f"unknown key {key!r} (allowed: {', '.join(_TOP_KEYS)})", str(key))
        # Lambda trigger targets, {ARN or function name: target} (cognito_emu.triggers.registry), at the
        # top level or in a pool entry; registered once everything else is applied.
        self.trigger_mappings: dict[str, str] = {}
        self.triggers(doc, "")
        self.region = _expect(doc.get("region", self.env.config.region), str, "region", "a string")
        self.account = str(
            _expect(doc.get("account", self.env.config.account), (str, int), "account", "a string")
        )
        for path, entry in _entries(doc, "userPools", ""):
            self.user_pool(entry, path)
        for path, entry in _entries(doc, "identityPools", ""):
            self.identity_pool(entry, path)
        self.env.triggers.update(self.trigger_mappings)
        return self.counts

    def triggers(self, entry: dict[str, Any], path: str) -> None:
        from cognito_emu.triggers import invokers

        mappings = entry.get("triggers")
        if mappings is None:
            return
        trigger_path = _join(path, "triggers")
        _expect(mappings, dict, trigger_path, "a mapping of Lambda ARN (or function name) to target")
        for key, target in mappings.items():
            item_path = _join(trigger_path, str(key))
            _expect(target, str, item_path, "a target string")
            try:
                invokers.parse_target(target)
            except ValueError as exc:
                raise SeedError(str(exc), item_path) from None
            self.trigger_mappings[str(key)] = target

    def store(self, entry: dict[str, Any], path: str) -> Store:
        region = _expect(entry.get("region", self.region), str, _join(path, "region"), "a string")
        account = str(entry.get("account", self.account))
        return self.env.state.store(account, region)

    # -- user pools ------------------------------------------------------------------------------

    def user_pool(self, entry: dict[str, Any], path: str) -> None:
        self.triggers(entry, path)
        params = _split(entry, input_node(IDP, "CreateUserPool"), _POOL_KEYS, path)
        _validate(IDP, "CreateUserPool", params, path)
        store = self.store(entry, path)
        mfa = entry.get("mfaConfig")
        mode = params.get("MfaConfiguration", "OFF")
        if mfa is not None:
            # The factors come with SetUserPoolMfaConfig, after creation: create with MFA off first.
            params["MfaConfiguration"] = "OFF"
        with _at(path):
            pool = pools.create_user_pool(self.env, store, params)
        if entry.get("Id") is not None:
            self.rekey_pool(pool, store, entry["Id"], _join(path, "Id"))
        if entry.get("signingKey") is not None:
            key_path = _join(path, "signingKey")
            pem = _expect(entry["signingKey"], str, key_path, "a PEM private key")
            if "PRIVATE KEY" not in pem:
                raise SeedError("expected a PEM private key (-----BEGIN PRIVATE KEY-----)", key_path)
            pool.signing_key_pem = pem
        self.pool_names[pool.name] = pool.id
        self.counts["userPools"] += 1
        if mfa is not None:
            mfa_path = _join(path, "mfaConfig")
            mfa_params = {
                **_split(
                    _expect(mfa, dict, mfa_path, "a mapping"),
                    input_node(IDP, "SetUserPoolMfaConfig"),
                    (),
                    mfa_path,
                ),
                "UserPoolId": pool.id,
                "MfaConfiguration": mode,
            }
            _validate(IDP, "SetUserPoolMfaConfig", mfa_params, mfa_path)
            with _at(mfa_path):
                pool_settings.set_mfa_config(self.env, store, pool.id, mfa_params)
        for item_path, item in _entries(entry, "resourceServers", path):
            self.resource_server(store, pool, item, item_path)
        for item_path, item in _entries(entry, "identityProviders", path):
            self.identity_provider(store, pool, item, item_path)
        for item_path, item in _entries(entry, "clients", path):
            self.client(pool, item, item_path)
        self.domains(store, pool, entry.get("domain"), _join(path, "domain"))
        for item_path, item in _entries(entry, "groups", path):
            self.group(store, pool, item, item_path)
        for item_path, item in _entries(entry, "users", path):
            self.user(pool, item, item_path)
        pool.created = _timestamp(entry, "created", path) or pool.created
        pool.modified = _timestamp(entry, "modified", path) or pool.modified

    def rekey_pool(self, pool: UserPool, store: Store, pool_id: Any, path: str) -> None:
        _expect(pool_id, str, path, "a user pool id")
        if not _POOL_ID.fullmatch(pool_id) or len(pool_id) > 55:
            raise SeedError(f"{pool_id!r} is not a user pool id (<region>_<letters and digits>)", path)
        if pool_id in self.env.state.pool_index:
            raise SeedError(f"a user pool with the id {pool_id} already exists", path)
        self.env.state.remove_pool(pool)
        pool.id = pool_id
        self.env.state.add_pool(pool)

    def resource_server(self, store: Store, pool: UserPool, entry: dict[str, Any], path: str) -> None:
        params = {**_split(entry, input_node(IDP, "CreateResourceServer"), (), path), "UserPoolId": pool.id}
        _validate(IDP, "CreateResourceServer", params, path)
        with _at(path):
            resource_servers.create_resource_server(
                store, pool.id, params["Identifier"], params["Name"], params.get("Scopes")
            )

    def identity_provider(self, store: Store, pool: UserPool, entry: dict[str, Any], path: str) -> None:
        node = input_node(IDP, "CreateIdentityProvider")
        params = {**_split(entry, node, _PROVIDER_KEYS, path), "UserPoolId": pool.id}
        _validate(IDP, "CreateIdentityProvider", params, path)
        with _at(path):
            provider = identity_providers.create_identity_provider(
                self.env,
                store,
                pool.id,
                params["ProviderName"],
                params["ProviderType"],
                params["ProviderDetails"],
                attribute_mapping=params.get("AttributeMapping"),
                identifiers=params.get("IdpIdentifiers"),
                acr_mapping=params.get("AcrMapping"),
            )
        provider.created = _timestamp(entry, "created", path) or provider.created
        provider.modified = _timestamp(entry, "modified", path) or provider.modified

    def client(self, pool: UserPool, entry: dict[str, Any], path: str) -> None:
        params = {
            **_split(entry, input_node(IDP, "CreateUserPoolClient"), _CLIENT_KEYS, path),
            "UserPoolId": pool.id,
        }
        _validate(IDP, "CreateUserPoolClient", params, path)
        extra_path = _join(path, "additionalClientSecrets")
        extra = _expect(entry.get("additionalClientSecrets") or [], list, extra_path, "a list of secrets")
        with _at(path):
            client = clients.create_client(self.env, pool, params)
        if entry.get("ClientId") is not None:
            self.rekey_client(pool, client, entry["ClientId"], _join(path, "ClientId"))
        for index, value in enumerate(extra):
            item_path = f"{extra_path}[{index}]"
            with _at(item_path):
                clients.add_secret(
                    self.env, pool, client.client_id, _expect(value, str, item_path, "a string")
                )
        client.created = _timestamp(entry, "created", path) or client.created
        client.modified = _timestamp(entry, "modified", path) or client.modified
        self.client_names[f"{pool.name}/{client.name}"] = client.client_id
        self.counts["appClients"] += 1

    def rekey_client(self, pool: UserPool, client: AppClient, client_id: Any, path: str) -> None:
        _expect(client_id, str, path, "a client id")
        if not _CLIENT_ID.fullmatch(client_id):
            raise SeedError(f"{client_id!r} is not a client id (1 to 128 letters, digits, _ or +)", path)
        if client_id in self.env.state.client_index:
            raise SeedError(f"an app client with the id {client_id} already exists", path)
        old = client.client_id
        del pool.clients[old]
        self.env.state.client_index.pop(old, None)
        client.client_id = client_id
        for secret in client.secrets:
            secret.secret_id = client_id + secret.secret_id[len(old) :]
        pool.clients[client_id] = client
        self.env.state.client_index[client_id] = pool.id

    def domains(self, store: Store, pool: UserPool, value: Any, path: str) -> None:
        if value is None:
            return
        items = value if isinstance(value, list) else [value]
        node = input_node(IDP, "CreateUserPoolDomain")
        for index, item in enumerate(items):
            item_path = f"{path}[{index}]" if isinstance(value, list) else path
            if isinstance(item, str):
                item = {"Domain": item}
            _expect(item, dict, item_path, "a domain prefix or CreateUserPoolDomain's members")
            params = {**_split(item, node, (), item_path), "UserPoolId": pool.id}
            _validate(IDP, "CreateUserPoolDomain", params, item_path)
            with _at(item_path):
                domains.create_user_pool_domain(
                    self.env,
                    store,
                    pool.id,
                    params["Domain"],
                    custom_domain_config=params.get("CustomDomainConfig"),
                    managed_login_version=params.get("ManagedLoginVersion"),
                    routing=params.get("Routing"),
                )

    def group(self, store: Store, pool: UserPool, entry: dict[str, Any], path: str) -> None:
        params = {**_split(entry, input_node(IDP, "CreateGroup"), _GROUP_KEYS, path), "UserPoolId": pool.id}
        _validate(IDP, "CreateGroup", params, path)
        with _at(path):
            group = groups.create_group(
                self.env,
                store,
                pool.id,
                params["GroupName"],
                description=params.get("Description"),
                role_arn=params.get("RoleArn"),
                precedence=params.get("Precedence"),
            )
        group.created = _timestamp(entry, "created", path) or group.created
        group.modified = _timestamp(entry, "modified", path) or group.modified
        self.counts["groups"] += 1

    # -- users -----------------------------------------------------------------------------------

    def user(self, pool: UserPool, entry: dict[str, Any], path: str) -> None:
        for key in entry:
            if key not in _USER_KEYS:
                raise SeedError(
                    f"unknown key {key!r} (allowed: {', '.join(_USER_KEYS)})", _join(path, str(key))
                )
        username = entry.get("Username")
        if username is None:
            raise SeedError("a user needs a Username", _join(path, "Username"))
        _expect(username, str, _join(path, "Username"), "a string")
        given = self.user_attributes(entry.get("attributes"), _join(path, "attributes"))
        secrets = [
            key for key in ("password", "temporaryPassword", "passwordHash") if entry.get(key) is not None
        ]
        if len(secrets) > 1:
            raise SeedError(f"give only one of {', '.join(secrets)}", _join(path, secrets[1]))
        with _at(path):
            user = users.create_user(
                self.env,
                pool,
                username,
                given,
                status=UserStatus.UNCONFIRMED,
                exists_message="User account already exists",
            )
        if entry.get("sub") is not None:
            self.rekey_user(pool, user, entry["sub"], _join(path, "sub"))
        status = UserStatus.UNCONFIRMED
        if "password" in secrets or "temporaryPassword" in secrets:
            temporary = "temporaryPassword" in secrets
            key_path = _join(path, secrets[0])
            password = _expect(entry[secrets[0]], str, key_path, "a string")
            with _at(key_path):
                passwords.check_new_password(pool, None, password)
                passwords.set_password(self.env, pool, user, password, temporary=temporary)
            status = UserStatus.FORCE_CHANGE_PASSWORD if temporary else UserStatus.CONFIRMED
        elif "passwordHash" in secrets:
            self.password_hash(user, entry["passwordHash"], _join(path, "passwordHash"))
            status = UserStatus.CONFIRMED
        if entry.get("status") is not None:
            status_path = _join(path, "status")
            try:
                status = UserStatus(_expect(entry["status"], str, status_path, "a string"))
            except ValueError:
                allowed = ", ".join(s.value for s in UserStatus)
                raise SeedError(
                    f"unknown status {entry['status']!r} (one of {allowed})", status_path
                ) from None
        users.set_status(self.env, pool, user, status)
        if entry.get("enabled") is not None:
            enabled = _expect(entry["enabled"], bool, _join(path, "enabled"), "true or false")
            users.set_enabled(self.env, pool, user, enabled)
        groups_path = _join(path, "groups")
        for index, name in enumerate(
            _expect(entry.get("groups") or [], list, groups_path, "a list of group names")
        ):
            item_path = f"{groups_path}[{index}]"
            with _at(item_path):
                memberships.add(pool, user, _expect(name, str, item_path, "a group name"))
        if entry.get("mfa") is not None:
            mfa_path = _join(path, "mfa")
            settings = _expect(
                entry["mfa"], dict, mfa_path, "a mapping (totpSecret, sms, softwareToken, ...)"
            )
            try:
                mfa.apply_seed(user, settings)
            except ValueError as error:
                raise SeedError(str(error), mfa_path) from None
        user.created = _timestamp(entry, "created", path) or user.created
        user.modified = _timestamp(entry, "modified", path) or user.modified
        self.counts["users"] += 1

    def user_attributes(self, value: Any, path: str) -> dict[str, str]:
        if value is None:
            return {}
        if isinstance(value, list):
            for index, item in enumerate(value):
                item_path = f"{path}[{index}]"
                _expect(item, dict, item_path, "a {Name, Value} mapping")
                if not isinstance(item.get("Name"), str) or set(item) - {"Name", "Value"}:
                    raise SeedError("expected a {Name, Value} mapping", item_path)
            value = {item["Name"]: item.get("Value") for item in value}
        _expect(value, dict, path, "a mapping of attribute names to values, or a list of {Name, Value}")
        out: dict[str, str] = {}
        for name, raw in value.items():
            if name == "sub":
                raise SeedError(
                    "Cognito assigns sub: give a fixed one as the user's 'sub' key", _join(path, "sub")
                )
            if isinstance(raw, bool):
                raw = "true" if raw else "false"
            if raw is None:
                raw = ""
            _expect(raw, (str, int, float), _join(path, str(name)), "a string")
            out[str(name)] = str(raw)
        checked = attributes.as_dict(attributes.as_list(out))
        return checked

    def rekey_user(self, pool: UserPool, user: User, sub: Any, path: str) -> None:
        _expect(sub, str, path, "a string")
        if not sub or len(sub) > 128:
            raise SeedError("a sub is 1 to 128 characters", path)
        if sub != user.sub and pool.index.by_sub.get(sub) is not None:
            raise SeedError(f"another user of the pool already has the sub {sub}", path)
        username_is_sub = user.username == user.sub
        directory.remove_user(pool, user)
        user.sub = sub
        user.attributes["sub"] = sub
        if username_is_sub:
            user.username = sub
        directory.add_user(pool, user)

    def password_hash(self, user: User, value: Any, path: str) -> None:
        _expect(value, dict, path, "a mapping (bcrypt, srpSalt, srpVerifier, ...) from an export")
        for key in value:
            if key not in _PASSWORD_HASH_KEYS:
                allowed = ", ".join(_PASSWORD_HASH_KEYS)
                raise SeedError(f"unknown key {key!r} (allowed: {allowed})", _join(path, str(key)))
        for key in ("bcrypt", "srpSalt", "srpVerifier"):
            if not isinstance(value.get(key), str):
                raise SeedError(f"{key} is required and must be a string", _join(path, key))
        if not value["bcrypt"].startswith("$2"):
            raise SeedError("not a bcrypt hash", _join(path, "bcrypt"))
        user.password_hash = value["bcrypt"]
        user.srp_salt = value["srpSalt"]
        user.srp_verifier = value["srpVerifier"]
        history = _expect(value.get("history") or [value["bcrypt"]], list, _join(path, "history"), "a list")
        user.password_history = [str(h) for h in history]
        user.password_changed = _timestamp(value, "changed", path) or self.env.clock.now()
        user.temporary_password_expires = _timestamp(value, "temporaryExpires", path)

    # -- identity pools --------------------------------------------------------------------------

    def resolve(self, value: Any, path: str) -> Any:
        """``${userPool:<PoolName>}`` and ``${client:<PoolName>/<ClientName>}`` in identity-pool strings."""
        if isinstance(value, dict):
            return {k: self.resolve(v, _join(path, str(k))) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v, f"{path}[{i}]") for i, v in enumerate(value)]
        if not isinstance(value, str):
            return value

        def replace(match: re.Match[str]) -> str:
            kind, name = match.groups()
            table = self.pool_names if kind == "userPool" else self.client_names
            if name not in table:
                known = ", ".join(sorted(table)) or "none"
                raise SeedError(f"{match.group(0)} names no {kind} of this seed (known: {known})", path)
            return table[name]

        return _REFERENCE.sub(replace, value)

    def identity_pool(self, entry: dict[str, Any], path: str) -> None:
        from cognito_emu.identity import index as identity_index
        from cognito_emu.identity import pools as identity_pools

        entry = self.resolve(entry, path)
        params = _split(entry, input_node(IDENTITY, "CreateIdentityPool"), _IDENTITY_POOL_KEYS, path)
        _validate(IDENTITY, "CreateIdentityPool", params, path)
        store = self.store(entry, path)
        with _at(path):
            pool = identity_pools.create_identity_pool(self.env, store, params)
        fixed = entry.get("IdentityPoolId")
        if fixed is not None:
            id_path = _join(path, "IdentityPoolId")
            _expect(fixed, str, id_path, "an identity pool id")
            if not _IDENTITY_POOL_ID.fullmatch(fixed) or len(fixed) > 55:
                raise SeedError(f"{fixed!r} is not an identity pool id (<region>:<uuid>)", id_path)
            if identity_index.find_pool(self.env.state, fixed) is not None:
                raise SeedError(f"an identity pool with the id {fixed} already exists", id_path)
            identity_index.remove_pool(self.env.state, pool)
            pool.id = fixed
            identity_index.add_pool(self.env.state, pool)
        roles = entry.get("roles")
        mappings = entry.get("roleMappings")
        if roles is not None or mappings is not None:
            role_params = {"IdentityPoolId": pool.id, "Roles": roles or {}}
            if mappings is not None:
                role_params["RoleMappings"] = mappings
            _validate(IDENTITY, "SetIdentityPoolRoles", role_params, _join(path, "roles"))
            with _at(_join(path, "roles")):
                identity_pools.set_roles(store, pool.id, role_params["Roles"], mappings)
        tags_path = _join(path, "principalTags")
        for provider, spec in _expect(entry.get("principalTags") or {}, dict, tags_path, "a mapping").items():
            item_path = _join(tags_path, str(provider))
            _expect(spec, dict, item_path, "a mapping with UseDefaults and/or PrincipalTags")
            with _at(item_path):
                identity_pools.set_principal_tag_map(
                    store, pool.id, provider, spec.get("UseDefaults"), spec.get("PrincipalTags")
                )
        pool.created = _timestamp(entry, "created", path) or pool.created
        self.counts["identityPools"] += 1


# -- exporting -----------------------------------------------------------------------------------


def export_seed(state: State) -> dict[str, Any]:
    """The seed that recreates ``state``'s configuration and users (call under ``state.lock``).

    Passwords come out as ``passwordHash`` (bcrypt hash, SRP salt and verifier), which sign-in
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
    if pool.signing_key_pem:
        entry["signingKey"] = pool.signing_key_pem
    entry["created"] = pool.created
    entry["modified"] = pool.modified
    return entry


def _export_attribute(attribute: Any) -> dict[str, Any] | None:
    """A SchemaAttributeType for CreateUserPool: custom attributes, and standard ones that were changed."""
    spec = schema.present_attribute(attribute)
    default = _DEFAULT_STANDARD.get(attribute.name)
    if default is not None:
        if spec == schema.present_attribute(default):
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
        for attribute in directory.username_attributes(pool):
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
    if user.password_hash and user.srp_salt and user.srp_verifier:
        entry["passwordHash"] = {
            "bcrypt": user.password_hash,
            "srpSalt": user.srp_salt,
            "srpVerifier": user.srp_verifier,
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


def dump_seed(document: dict[str, Any], fmt: str) -> str:
    """A seed document as YAML or JSON text."""
    if fmt == "json":
        return json.dumps(document, indent=2) + "\n"
    import yaml

    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)
