"""User-pool app clients: settings with Cognito's defaults and rules, secrets, and the lookups sign-in uses.

Rules follow the CreateUserPoolClient / UpdateUserPoolClient API reference:
https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from cognito_emu.env import Env
from cognito_emu.errors import (
    InvalidOAuthFlowException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
    ScopeDoesNotExistException,
)
from cognito_emu.idp.models import AppClient, ClientSecret, UserPool
from cognito_emu.pagination import paginate
from cognito_emu.state import State

# Every user pool has these, whatever its custom schema says; clients may name them in Read/WriteAttributes.
STANDARD_ATTRIBUTES = frozenset(
    {
        "address",
        "birthdate",
        "email",
        "email_verified",
        "family_name",
        "gender",
        "given_name",
        "locale",
        "middle_name",
        "name",
        "nickname",
        "phone_number",
        "phone_number_verified",
        "picture",
        "preferred_username",
        "profile",
        "sub",
        "updated_at",
        "website",
        "zoneinfo",
    }
)

STANDARD_SCOPES = frozenset({"phone", "email", "openid", "profile", "aws.cognito.signin.user.admin"})

# GetClientToken's flow (machine-to-machine); AWS documents it, botocore's model does not list it yet.
CLIENT_TOKEN_AUTH = "ALLOW_CLIENT_TOKEN_AUTH"

# Applied when ExplicitAuthFlows is omitted (API reference, ExplicitAuthFlows).
DEFAULT_AUTH_FLOWS = ("ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH")

# Pre-2019 names. A client keeps SRP, refresh and custom auth with them; CUSTOM_AUTH_FLOW_ONLY takes SRP away.
_LEGACY_FLOWS = {
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY": "ALLOW_CUSTOM_AUTH",
}

# InitiateAuth / AdminInitiateAuth AuthFlow -> the ExplicitAuthFlows value that permits it.
_FLOW_PERMISSION = {
    "USER_SRP_AUTH": "ALLOW_USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH": "ALLOW_REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN": "ALLOW_REFRESH_TOKEN_AUTH",
    "CUSTOM_AUTH": "ALLOW_CUSTOM_AUTH",
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "USER_AUTH": "ALLOW_USER_AUTH",
}

_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}

# member -> (TokenValidityUnits key, default unit, default duration in seconds, min seconds, max seconds)
_VALIDITY = {
    "AccessTokenValidity": ("AccessToken", "hours", 3600, 300, 86400),
    "IdTokenValidity": ("IdToken", "hours", 3600, 300, 86400),
    "RefreshTokenValidity": ("RefreshToken", "days", 30 * 86400, 3600, 3650 * 86400),
}

# What a client has when a Create or Update request leaves a setting out. Update resets omitted
# settings to these ("If you don't provide a value for an attribute, Amazon Cognito sets it to its default").
_DEFAULT_SETTINGS: dict[str, Any] = {
    "RefreshTokenValidity": 30,
    "TokenValidityUnits": {},
    "ExplicitAuthFlows": list(DEFAULT_AUTH_FLOWS),
    "AllowedOAuthFlowsUserPoolClient": False,
    "PreventUserExistenceErrors": "LEGACY",
    "EnableTokenRevocation": True,
    "EnablePropagateAdditionalUserContextData": False,
    "AuthSessionValidity": 3,
}

# Request members that are neither identity nor secret material: everything else a client stores.
_NOT_SETTINGS = frozenset({"UserPoolId", "ClientId", "ClientName", "GenerateSecret", "ClientSecret"})

MAX_SECRETS = 2


def get_client(pool: UserPool, client_id: str) -> AppClient:
    client = pool.clients.get(client_id)
    if client is None:
        raise ResourceNotFoundException(f"User pool client {client_id} does not exist.")
    return client


def find_client(state: State, client_id: str) -> tuple[UserPool, AppClient]:
    """The pool and client behind a client id, for unsigned operations that only carry the id."""
    pool = state.find_pool_by_client(client_id)
    if pool is None:
        raise ResourceNotFoundException(f"User pool client {client_id} does not exist.")
    return pool, get_client(pool, client_id)


def create_client(env: Env, pool: UserPool, params: dict[str, Any]) -> AppClient:
    now = env.clock.now()
    settings = _settings(pool, params, action="creating")
    secret_value = params.get("ClientSecret")
    generate = params.get("GenerateSecret")
    if secret_value is not None and generate is False:
        raise InvalidParameterException("ClientSecret can only be set when GenerateSecret is true.")
    has_secret = bool(generate) or secret_value is not None
    _check_oauth(pool, settings, has_secret)
    client = AppClient(
        client_id=env.ids.client_id(),
        user_pool_id=pool.id,
        name=params["ClientName"],
        created=now,
        modified=now,
        settings=settings,
    )
    if has_secret:
        client.secrets.append(_new_secret(env, client, secret_value))
    pool.clients[client.client_id] = client
    env.state.client_index[client.client_id] = pool.id
    return client


def update_client(env: Env, pool: UserPool, params: dict[str, Any]) -> AppClient:
    client = get_client(pool, params["ClientId"])
    settings = _settings(pool, params, action="updating")
    _check_oauth(pool, settings, bool(client.secrets))
    client.settings = settings
    if "ClientName" in params:
        client.name = params["ClientName"]
    client.modified = env.clock.now()
    return client


def list_clients(
    pool: UserPool, max_results: int, token: str | None, client_type: str | None
) -> tuple[list[AppClient], str | None]:
    # Every client the emulator makes is a REGULAR one; dynamic client registration (DCR) is not offered.
    clients = [] if client_type == "DCR" else sorted(pool.clients.values(), key=lambda c: c.client_id)
    return paginate(clients, key=lambda c: c.client_id, limit=max_results, token=token)


def delete_client(env: Env, pool: UserPool, client_id: str) -> None:
    get_client(pool, client_id)
    del pool.clients[client_id]
    env.state.client_index.pop(client_id, None)
    # What belongs to the client goes with it: customizations, branding, terms, session settings.
    pool.ui_customizations.pop(client_id, None)
    pool.risk_configurations.pop(client_id, None)
    pool.client_session_configurations.pop(client_id, None)
    for owned in (pool.managed_login_brandings, pool.terms):
        for key in [key for key, item in owned.items() if item.get("ClientId") == client_id]:
            del owned[key]


def add_secret(env: Env, pool: UserPool, client_id: str, value: str | None) -> ClientSecret:
    client = get_client(pool, client_id)
    if not client.secrets:
        raise InvalidParameterException(f"Client {client_id} is a public client and cannot have a secret.")
    if len(client.secrets) >= MAX_SECRETS:
        raise LimitExceededException(f"Client {client_id} already has {MAX_SECRETS} client secrets.")
    secret = _new_secret(env, client, value)
    client.secrets.append(secret)
    client.modified = secret.created
    return secret


def list_secrets(pool: UserPool, client_id: str) -> list[ClientSecret]:
    return list(get_client(pool, client_id).secrets)


def delete_secret(env: Env, pool: UserPool, client_id: str, secret_id: str) -> None:
    client = get_client(pool, client_id)
    for secret in client.secrets:
        if secret.secret_id == secret_id:
            break
    else:
        raise ResourceNotFoundException(f"Client secret {secret_id} does not exist.")
    if len(client.secrets) == 1:
        raise InvalidParameterException(
            "The last remaining client secret of an app client cannot be deleted."
        )
    client.secrets.remove(secret)
    client.modified = env.clock.now()


def token_validity_seconds(client: AppClient) -> dict[str, int]:
    """Lifetimes of the tokens this client issues: {"access": s, "id": s, "refresh": s}."""
    units = client.settings.get("TokenValidityUnits") or {}
    out: dict[str, int] = {}
    for member, (unit_key, default_unit, default_seconds, _, _) in _VALIDITY.items():
        value = client.settings.get(member)
        seconds = (
            default_seconds if value is None else value * _UNIT_SECONDS[units.get(unit_key, default_unit)]
        )
        out[unit_key.removesuffix("Token").lower()] = seconds
    return out


def allowed_auth_flows(client: AppClient) -> frozenset[str]:
    """The ALLOW_* permissions in force, with legacy ExplicitAuthFlows values translated."""
    flows = client.settings.get("ExplicitAuthFlows")
    if flows is None:
        return frozenset(DEFAULT_AUTH_FLOWS)
    if not any(flow in _LEGACY_FLOWS for flow in flows):
        return frozenset(flows)
    allowed = {"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"}
    if "CUSTOM_AUTH_FLOW_ONLY" not in flows:
        allowed.add("ALLOW_USER_SRP_AUTH")
    allowed.update(_LEGACY_FLOWS[flow] for flow in flows)
    return frozenset(allowed)


def auth_flow_allowed(client: AppClient, flow: str) -> bool:
    """Whether an InitiateAuth/AdminInitiateAuth AuthFlow value is enabled for this client."""
    permission = _FLOW_PERMISSION.get(flow)
    return permission is not None and permission in allowed_auth_flows(client)


def _new_secret(env: Env, client: AppClient, value: str | None) -> ClientSecret:
    created = env.clock.now()
    # AWS documents ClientSecretId as <client-id>--<epoch-create-time>; a frozen clock can give two secrets
    # the same millisecond, so step past an id already taken.
    millis = int(created * 1000)
    taken = {s.secret_id for s in client.secrets}
    while f"{client.client_id}--{millis}" in taken:
        millis += 1
    return ClientSecret(
        secret_id=f"{client.client_id}--{millis}",
        value=value if value is not None else env.ids.client_secret(),
        created=created,
    )


def _settings(pool: UserPool, params: dict[str, Any], action: str) -> dict[str, Any]:
    settings = {**_DEFAULT_SETTINGS, **{k: v for k, v in params.items() if k not in _NOT_SETTINGS}}
    settings["ExplicitAuthFlows"] = list(settings["ExplicitAuthFlows"])
    if settings["RefreshTokenValidity"] == 0:
        # "You can't set RefreshTokenValidity to 0. If you do, Amazon Cognito overrides the value with
        # the default value of 30 days." Expressed in the unit the request chose.
        unit = settings["TokenValidityUnits"].get("RefreshToken", "days")
        settings["RefreshTokenValidity"] = 30 * 86400 // _UNIT_SECONDS[unit]
    _check_token_validity(settings)
    _check_auth_flows(settings["ExplicitAuthFlows"])
    _check_attributes(pool, settings.get("ReadAttributes"), "read", action)
    _check_attributes(pool, settings.get("WriteAttributes"), "write", action)
    _check_identity_providers(pool, settings.get("SupportedIdentityProviders"))
    return settings


def _check_token_validity(settings: dict[str, Any]) -> None:
    units = settings["TokenValidityUnits"]
    for member, (unit_key, default_unit, _, low, high) in _VALIDITY.items():
        value = settings.get(member)
        if value is None:
            continue
        seconds = value * _UNIT_SECONDS[units.get(unit_key, default_unit)]
        if not low <= seconds <= high:
            raise InvalidParameterException("Invalid range for token validity.")


def _check_auth_flows(flows: list[str]) -> None:
    legacy = [flow for flow in flows if flow in _LEGACY_FLOWS]
    if legacy and len(legacy) != len(flows):
        raise InvalidParameterException(
            "ExplicitAuthFlows values with the ALLOW_ prefix cannot be combined with values without it."
        )
    # GetClientToken's API reference: "The ALLOW_CLIENT_TOKEN_AUTH flow is mutually exclusive with user
    # authentication flows. It must be the only authentication flow that you configure for the app client."
    if CLIENT_TOKEN_AUTH in flows and len(set(flows)) > 1:
        raise InvalidParameterException(
            f"{CLIENT_TOKEN_AUTH} must be the only authentication flow of the app client."
        )


def _check_attributes(pool: UserPool, names: list[str] | None, kind: str, action: str) -> None:
    if names is None:
        return
    known = STANDARD_ATTRIBUTES | pool.schema.keys()
    if any(name not in known for name in names):
        raise InvalidParameterException(f"Invalid {kind} attributes specified while {action} a client")


def _check_identity_providers(pool: UserPool, providers: list[str] | None) -> None:
    for name in providers or ():
        if name != "COGNITO" and name not in pool.identity_providers:
            raise InvalidParameterException(f"The provider {name} does not exist for User Pool {pool.id}")


def _check_oauth(pool: UserPool, settings: dict[str, Any], has_secret: bool) -> None:
    flows = set(settings.get("AllowedOAuthFlows") or ())
    scopes = settings.get("AllowedOAuthScopes") or []
    callbacks = settings.get("CallbackURLs") or []
    for scope in scopes:
        if not _scope_exists(pool, scope):
            raise ScopeDoesNotExistException(f"Invalid scope requested: {scope}")
    if "client_credentials" in flows:
        if flows & {"code", "implicit"}:
            raise InvalidOAuthFlowException(
                "client_credentials flow can not be selected along with code flow or implicit flow."
            )
        if not has_secret:
            raise InvalidOAuthFlowException(
                "client_credentials flow can not be selected if client does not have a client secret."
            )
        for scope in scopes:
            if scope in STANDARD_SCOPES:
                raise InvalidOAuthFlowException(f"{scope} is not supported with client_credentials flow")
    if flows & {"code", "implicit"} and not callbacks:
        raise InvalidOAuthFlowException(
            "CallbackUrls can not be empty when code flow or implicit flow is selected"
        )
    for url in [*callbacks, *(settings.get("LogoutURLs") or [])]:
        _check_redirect_url(url)
    default = settings.get("DefaultRedirectURI")
    if default is not None and default not in callbacks:
        raise InvalidParameterException("DefaultRedirectURI must be one of the CallbackURLs.")


def _scope_exists(pool: UserPool, scope: str) -> bool:
    if scope in STANDARD_SCOPES:
        return True
    identifier, _, name = scope.rpartition("/")
    server = pool.resource_servers.get(identifier)
    return server is not None and any(s.get("ScopeName") == name for s in server.scopes)


def _check_redirect_url(url: str) -> None:
    """Absolute, no fragment, and HTTPS except for http://localhost; app schemes like myapp:// pass."""
    parts = urlsplit(url)
    if not parts.scheme or parts.fragment:
        raise InvalidParameterException(
            f"Invalid redirect URL {url}: it must be absolute and have no fragment."
        )
    if parts.scheme == "http" and parts.hostname != "localhost":
        raise InvalidParameterException(
            f"Invalid redirect URL {url}: HTTPS is required except for http://localhost."
        )
