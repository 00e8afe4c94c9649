"""Identity-pool entities: plain dataclasses of JSON-able fields, so state export/import carries them.

Settings that Cognito only stores and echoes (``SupportedLoginProviders``, ``CognitoIdentityProviders``,
...) live in ``settings`` keyed by the model's member names, so Describe renders them without a copy
per field; what the emulator reasons about (identities, roles, role mappings) is typed or named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Keys of SetIdentityPoolRoles' Roles map.
AUTHENTICATED = "authenticated"
UNAUTHENTICATED = "unauthenticated"


@dataclass(slots=True)
class Identity:
    id: str
    pool_id: str
    created: float
    modified: float
    # Provider name -> the user's identifiers at that provider (a token's ``sub``, developer user ids).
    # A public provider has one; the developer provider may have several after MergeDeveloperIdentities.
    logins: dict[str, list[str]] = field(default_factory=dict)
    # Removing the last linked login makes an identity inaccessible (UnlinkIdentity); ListIdentities'
    # HideDisabled leaves such identities out.
    disabled: bool = False


@dataclass(slots=True)
class IssuedCredentials:
    """One GetCredentialsForIdentity answer, as ``GET /_emu/credentials/<AccessKeyId>`` reports it."""

    access_key_id: str
    identity_id: str
    identity_pool_id: str
    role_arn: str
    expiration: float
    providers: list[str] = field(default_factory=list)
    principal_tags: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class PrincipalTagMap:
    use_defaults: bool = False
    # Tag key -> the token claim whose value it takes.
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class IdentityPool:
    id: str
    name: str
    account: str
    region: str
    created: float
    # CreateIdentityPool's members except IdentityPoolName and IdentityPoolTags, as given.
    settings: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    # "authenticated" / "unauthenticated" -> role ARN (SetIdentityPoolRoles' Roles).
    roles: dict[str, str] = field(default_factory=dict)
    # Provider name -> RoleMappingType as given (Type, AmbiguousRoleResolution, RulesConfiguration).
    role_mappings: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Provider name -> SetPrincipalTagAttributeMap's settings.
    principal_tags: dict[str, PrincipalTagMap] = field(default_factory=dict)
    identities: dict[str, Identity] = field(default_factory=dict)
    # Access key id -> what it was issued for.
    credentials: dict[str, IssuedCredentials] = field(default_factory=dict)
    # "<provider>\n<user identifier>" -> identity id; derived from ``identities``, rebuilt on load.
    login_index: dict[str, str] = field(default_factory=dict, metadata={"transient": True})

    @property
    def arn(self) -> str:
        return f"arn:aws:cognito-identity:{self.region}:{self.account}:identitypool/{self.id}"

    @property
    def allow_unauthenticated(self) -> bool:
        return bool(self.settings.get("AllowUnauthenticatedIdentities"))

    @property
    def developer_provider(self) -> str | None:
        return self.settings.get("DeveloperProviderName")


def login_key(provider: str, user: str) -> str:
    return f"{provider}\n{user}"
