"""Managed login branding styles (the branding editor's API): one style per app client, stored and echoed.

Rules from the API reference of CreateManagedLoginBranding / UpdateManagedLoginBranding:
https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateManagedLoginBranding.html
- a client has at most one style (ManagedLoginBrandingExistsException);
- UseCognitoProvidedValues true goes with neither Settings nor Assets;
- an update "preserves existing style settings that you don't specify": Settings are merged key by key,
  assets replace the asset of the same Category and ColorMode.

Cognito's own default style (what ReturnMergedResources adds) is not published; the emulator's default
is ``COGNITO_PROVIDED_SETTINGS`` (empty), so a merged description shows what was customized.
"""

from __future__ import annotations

import copy
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import (
    InvalidParameterException,
    ManagedLoginBrandingExistsException,
    ResourceNotFoundException,
)
from cognito_emu.idp.models import UserPool
from cognito_emu.idp.pool import pools
from cognito_emu.idp.pool.clients import get_client
from cognito_emu.state import Store

COGNITO_PROVIDED_SETTINGS: dict[str, Any] = {}
COGNITO_PROVIDED_ASSETS: list[dict[str, Any]] = []

# The app client a style belongs to, stored on the style (ManagedLoginBrandingType does not show it).
CLIENT = "ClientId"


def create(env: Env, store: Store, params: dict[str, Any]) -> dict[str, Any]:
    pool = pools.get_user_pool(store, params["UserPoolId"])
    client = get_client(pool, params["ClientId"])
    if style_of_client(pool, client.client_id) is not None:
        raise ManagedLoginBrandingExistsException(
            f"A managed login branding style already exists for app client {client.client_id}."
        )
    use_defaults = _use_defaults(params)
    now = env.clock.now()
    style: dict[str, Any] = {
        "ManagedLoginBrandingId": env.ids.uuid(),
        "UserPoolId": pool.id,
        CLIENT: client.client_id,
        "UseCognitoProvidedValues": use_defaults,
        "Settings": copy.deepcopy(params.get("Settings", {})),
        "Assets": _merge_assets([], params.get("Assets", [])),
        "CreationDate": now,
        "LastModifiedDate": now,
    }
    pool.managed_login_brandings[style["ManagedLoginBrandingId"]] = style
    return _shown(style, merged=False)


def update(env: Env, store: Store, params: dict[str, Any]) -> dict[str, Any]:
    # The model leaves both ids optional, yet there is nothing to update without them.
    if "UserPoolId" not in params or "ManagedLoginBrandingId" not in params:
        raise InvalidParameterException("UserPoolId and ManagedLoginBrandingId are required.")
    pool = pools.get_user_pool(store, params["UserPoolId"])
    style = _get(pool, params["ManagedLoginBrandingId"])
    if _use_defaults(params):
        style.update(UseCognitoProvidedValues=True, Settings={}, Assets=[])
    elif "Settings" in params or "Assets" in params:
        style["UseCognitoProvidedValues"] = False
        style["Settings"] = _merge_settings(style["Settings"], params.get("Settings", {}))
        style["Assets"] = _merge_assets(style["Assets"], params.get("Assets", []))
    style["LastModifiedDate"] = env.clock.now()
    return _shown(style, merged=False)


def describe(store: Store, pool_id: str, branding_id: str, merged: bool) -> dict[str, Any]:
    pool = pools.get_user_pool(store, pool_id)
    return _shown(_get(pool, branding_id), merged)


def describe_by_client(store: Store, pool_id: str, client_id: str, merged: bool) -> dict[str, Any]:
    pool = pools.get_user_pool(store, pool_id)
    get_client(pool, client_id)
    style = style_of_client(pool, client_id)
    if style is None:
        raise ResourceNotFoundException(f"App client {client_id} has no managed login branding style.")
    return _shown(style, merged)


def delete(store: Store, pool_id: str, branding_id: str) -> None:
    pool = pools.get_user_pool(store, pool_id)
    _get(pool, branding_id)
    del pool.managed_login_brandings[branding_id]


def _use_defaults(params: dict[str, Any]) -> bool:
    use_defaults = bool(params.get("UseCognitoProvidedValues", False))
    if use_defaults and ("Settings" in params or "Assets" in params):
        raise InvalidParameterException(
            "When UseCognitoProvidedValues is true, Settings and Assets must be omitted."
        )
    return use_defaults


def _get(pool: UserPool, branding_id: str) -> dict[str, Any]:
    # Ids are UUIDs; the pattern admits upper-case hex, which names the same style.
    style = pool.managed_login_brandings.get(branding_id.lower())
    if style is None:
        raise ResourceNotFoundException(f"Managed login branding {branding_id} does not exist.")
    return style


def style_of_client(pool: UserPool, client_id: str) -> dict[str, Any] | None:
    """The style of app client ``client_id``, if it has one (the managed login pages show it)."""
    return next((s for s in pool.managed_login_brandings.values() if s[CLIENT] == client_id), None)


def _asset_key(asset: dict[str, Any]) -> tuple[str, str]:
    return asset["Category"], asset["ColorMode"]


def _merge_assets(current: list[dict[str, Any]], given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``given`` replaces the assets of the same Category and ColorMode; a request may name each once."""
    keys = [_asset_key(asset) for asset in given]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        category, mode = repeated[0]
        raise InvalidParameterException(
            f"Assets may contain only one asset for category {category} and color mode {mode}."
        )
    merged = {_asset_key(asset): asset for asset in current}
    merged.update({_asset_key(asset): copy.deepcopy(asset) for asset in given})
    return list(merged.values())


def _merge_settings(current: Any, given: Any) -> Any:
    """Objects merge member by member; anything else (values, arrays) replaces what was there."""
    if isinstance(current, dict) and isinstance(given, dict):
        merged = dict(current)
        for key, value in given.items():
            merged[key] = _merge_settings(current.get(key), value)
        return merged
    return copy.deepcopy(given)


def _shown(style: dict[str, Any], merged: bool) -> dict[str, Any]:
    """A copy of the stored style; with ``merged``, Cognito's defaults fill what was not customized."""
    shown = dict(style)
    if merged:
        shown["Settings"] = _merge_settings(copy.deepcopy(COGNITO_PROVIDED_SETTINGS), style["Settings"])
        shown["Assets"] = _merge_assets(COGNITO_PROVIDED_ASSETS, style["Assets"])
    return shown
