"""Third-party identity providers of a user pool (SAML, OIDC and the social providers).

ProviderDetails are checked per provider type and completed with the endpoints Cognito fills in
itself, as the ProviderDetails section of the CreateIdentityProvider API reference shows in its
"Describe response" examples.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from enum import StrEnum

from cognito_emu.env import Env
from cognito_emu.errors import (
    DuplicateProviderException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
)
from cognito_emu.idp.models import IdentityProvider, UserPool
from cognito_emu.idp.pool.pools import get_user_pool
from cognito_emu.pagination import paginate
from cognito_emu.state import Store


class ProviderType(StrEnum):
    SAML = "SAML"
    FACEBOOK = "Facebook"
    GOOGLE = "Google"
    LOGIN_WITH_AMAZON = "LoginWithAmazon"
    SIGN_IN_WITH_APPLE = "SignInWithApple"
    OIDC = "OIDC"


SOCIAL = (
    ProviderType.FACEBOOK,
    ProviderType.GOOGLE,
    ProviderType.LOGIN_WITH_AMAZON,
    ProviderType.SIGN_IN_WITH_APPLE,
)
# https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html ("Identity providers per user pool").
MAX_PROVIDERS_PER_POOL = 300
DEFAULT_LIST_LIMIT = 50
# Details Cognito keeps but never shows again.
SECRET_DETAILS = frozenset({"private_key"})
# The user attribute Cognito maps the provider's subject to when the request maps no username.
DEFAULT_USERNAME_SOURCE = {
    ProviderType.GOOGLE: "sub",
    ProviderType.FACEBOOK: "id",
    ProviderType.LOGIN_WITH_AMAZON: "user_id",
    ProviderType.SIGN_IN_WITH_APPLE: "sub",
    ProviderType.OIDC: "sub",
}
_SAML_METADATA_NS = "urn:oasis:names:tc:SAML:2.0:metadata"
_SAML_REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"

Details = dict[str, str]


def _require(details: Details, keys: tuple[str, ...]) -> None:
    if any(not details.get(key) for key in keys):
        listed = ", ".join(keys[:-1]) + f" and {keys[-1]}"
        raise InvalidParameterException(f"{listed} are all required idp details")


def _google(details: Details) -> Details:
    _require(details, ("client_id", "client_secret", "authorize_scopes"))
    return details | {
        "attributes_url": "https://people.googleapis.com/v1/people/me?personFields=",
        "attributes_url_add_attributes": "true",
        "authorize_url": "https://accounts.google.com/o/oauth2/v2/auth",
        "oidc_issuer": "https://accounts.google.com",
        "token_request_method": "POST",
        "token_url": "https://www.googleapis.com/oauth2/v4/token",
    }


def _facebook(details: Details) -> Details:
    _require(details, ("client_id", "client_secret", "authorize_scopes"))
    version = f"{details['api_version']}/" if details.get("api_version") else ""
    return details | {
        "attributes_url": f"https://graph.facebook.com/{version}me?fields=",
        "attributes_url_add_attributes": "true",
        "authorize_url": f"https://www.facebook.com/{version}dialog/oauth",
        "token_request_method": "GET",
        "token_url": f"https://graph.facebook.com/{version}oauth/access_token",
    }


def _amazon(details: Details) -> Details:
    _require(details, ("client_id", "client_secret", "authorize_scopes"))
    return details | {
        "attributes_url": "https://api.amazon.com/user/profile",
        "attributes_url_add_attributes": "false",
        "authorize_url": "https://www.amazon.com/ap/oa",
        "token_request_method": "POST",
        "token_url": "https://api.amazon.com/auth/o2/token",
    }


def _apple(details: Details) -> Details:
    _require(details, ("client_id", "team_id", "key_id", "private_key", "authorize_scopes"))
    return details | {
        "attributes_url_add_attributes": "false",
        "authorize_url": "https://appleid.apple.com/auth/authorize",
        "oidc_issuer": "https://appleid.apple.com",
        "token_request_method": "POST",
        "token_url": "https://appleid.apple.com/auth/token",
    }


def _oidc(details: Details) -> Details:
    _require(details, ("client_id", "attributes_request_method", "oidc_issuer", "authorize_scopes"))
    if details["attributes_request_method"] not in ("GET", "POST"):
        raise InvalidParameterException("attributes_request_method must be GET or POST.")
    # The emulator makes no calls to the issuer, so endpoints it would discover stay as given.
    return {"attributes_url_add_attributes": "false"} | details


def _saml(details: Details) -> Details:
    has_url, has_file = bool(details.get("MetadataURL")), bool(details.get("MetadataFile"))
    if has_url == has_file:
        raise InvalidParameterException("Exactly one of MetadataURL or MetadataFile must be provided.")
    if not has_file:
        return dict(details)
    return details | _saml_endpoints(details["MetadataFile"])


def _saml_endpoints(metadata: str) -> Details:
    """The redirect-binding sign-in and sign-out URLs of an IdP's metadata document."""
    try:
        root = ElementTree.fromstring(metadata)
    except ElementTree.ParseError:
        raise InvalidParameterException("Could not parse the SAML metadata document.") from None
    found: Details = {}
    for element, key in (
        ("SingleSignOnService", "SSORedirectBindingURI"),
        ("SingleLogoutService", "SLORedirectBindingURI"),
    ):
        for service in root.iter(f"{{{_SAML_METADATA_NS}}}{element}"):
            if service.get("Binding") == _SAML_REDIRECT_BINDING and service.get("Location"):
                found[key] = service.get("Location", "")
                break
    if "SSORedirectBindingURI" not in found:
        raise InvalidParameterException(
            "The SAML metadata has no SingleSignOnService with the HTTP-Redirect binding."
        )
    return found


_COMPLETE: dict[ProviderType, Callable[[Details], Details]] = {
    ProviderType.GOOGLE: _google,
    ProviderType.FACEBOOK: _facebook,
    ProviderType.LOGIN_WITH_AMAZON: _amazon,
    ProviderType.SIGN_IN_WITH_APPLE: _apple,
    ProviderType.OIDC: _oidc,
    ProviderType.SAML: _saml,
}


def complete_details(provider_type: ProviderType, details: Details) -> Details:
    """Check ``details`` for ``provider_type`` and add what Cognito derives from them."""
    return _COMPLETE[provider_type](details)


def public_details(provider: IdentityProvider) -> Details:
    return {k: v for k, v in provider.details.items() if k not in SECRET_DETAILS}


def _attribute_mapping(provider_type: ProviderType, mapping: dict[str, str] | None) -> dict[str, str]:
    result = dict(mapping or {})
    default = DEFAULT_USERNAME_SOURCE.get(provider_type)
    if default is not None:
        result.setdefault("username", default)
    return result


def _check_identifiers(pool: UserPool, name: str, identifiers: list[str]) -> list[str]:
    if len(set(identifiers)) != len(identifiers):
        raise InvalidParameterException("Duplicate IdpIdentifiers are not allowed.")
    for other in pool.identity_providers.values():
        if other.name == name:
            continue
        taken = sorted(set(identifiers) & set(other.identifiers))
        if taken:
            raise InvalidParameterException(
                f"The identifier {taken[0]} is already associated with identity provider {other.name}."
            )
    return list(identifiers)


def _check_acr_mapping(provider_type: ProviderType, acr_mapping: dict[str, str] | None) -> dict[str, str]:
    if acr_mapping and provider_type is not ProviderType.OIDC:
        raise InvalidParameterException("AcrMapping is supported only for OIDC identity providers.")
    return dict(acr_mapping or {})


def get_identity_provider(pool: UserPool, name: str) -> IdentityProvider:
    provider = pool.identity_providers.get(name)
    if provider is None:
        raise ResourceNotFoundException(f"Identity provider {name} does not exist.")
    return provider


def create_identity_provider(
    env: Env,
    store: Store,
    pool_id: str,
    name: str,
    provider_type: str,
    details: Details,
    attribute_mapping: dict[str, str] | None = None,
    identifiers: list[str] | None = None,
    acr_mapping: dict[str, str] | None = None,
) -> IdentityProvider:
    pool = get_user_pool(store, pool_id)
    kind = ProviderType(provider_type)
    # Social providers are addressed by their type's name (identity_provider=Google on /authorize).
    if kind in SOCIAL and name != kind.value:
        raise InvalidParameterException(f"Provider {name} cannot be of type {kind.value}.")
    if name in pool.identity_providers:
        raise DuplicateProviderException(f"{name} already exists in user pool {pool.id}")
    if len(pool.identity_providers) >= MAX_PROVIDERS_PER_POOL:
        raise LimitExceededException(
            f"The maximum number of identity providers ({MAX_PROVIDERS_PER_POOL}) has been reached."
        )
    now = env.clock.now()
    provider = IdentityProvider(
        name=name,
        user_pool_id=pool.id,
        provider_type=kind.value,
        created=now,
        modified=now,
        details=complete_details(kind, details),
        attribute_mapping=_attribute_mapping(kind, attribute_mapping),
        identifiers=_check_identifiers(pool, name, identifiers or []),
        acr_mapping=_check_acr_mapping(kind, acr_mapping),
    )
    pool.identity_providers[name] = provider
    return provider


def describe_identity_provider(store: Store, pool_id: str, name: str) -> IdentityProvider:
    return get_identity_provider(get_user_pool(store, pool_id), name)


def find_by_identifier(store: Store, pool_id: str, identifier: str) -> IdentityProvider:
    pool = get_user_pool(store, pool_id)
    for provider in pool.identity_providers.values():
        if identifier in provider.identifiers:
            return provider
    raise ResourceNotFoundException(f"Identity provider with identifier {identifier} does not exist.")


def list_identity_providers(
    store: Store, pool_id: str, max_results: int | None, token: str | None
) -> tuple[list[IdentityProvider], str | None]:
    pool = get_user_pool(store, pool_id)
    providers = sorted(pool.identity_providers.values(), key=lambda p: p.name)
    return paginate(providers, key=lambda p: p.name, limit=max_results or DEFAULT_LIST_LIMIT, token=token)


def update_identity_provider(
    env: Env,
    store: Store,
    pool_id: str,
    name: str,
    details: Details | None = None,
    attribute_mapping: dict[str, str] | None = None,
    identifiers: list[str] | None = None,
    acr_mapping: dict[str, str] | None = None,
) -> IdentityProvider:
    """Replace what the request carries; leave the rest as it was."""
    pool = get_user_pool(store, pool_id)
    provider = get_identity_provider(pool, name)
    kind = ProviderType(provider.provider_type)
    # Check everything before changing anything, so a rejected update leaves the provider whole.
    new_details = complete_details(kind, details) if details is not None else None
    new_identifiers = _check_identifiers(pool, name, identifiers) if identifiers is not None else None
    new_acr = _check_acr_mapping(kind, acr_mapping) if acr_mapping is not None else None
    if new_details is not None:
        provider.details = new_details
    if attribute_mapping is not None:
        provider.attribute_mapping = _attribute_mapping(kind, attribute_mapping)
    if new_identifiers is not None:
        provider.identifiers = new_identifiers
    if new_acr is not None:
        provider.acr_mapping = new_acr
    provider.modified = env.clock.now()
    return provider


def delete_identity_provider(store: Store, pool_id: str, name: str) -> None:
    pool = get_user_pool(store, pool_id)
    get_identity_provider(pool, name)
    del pool.identity_providers[name]
