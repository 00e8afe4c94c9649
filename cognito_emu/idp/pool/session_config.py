"""Session configuration: the pool's user session tracking with its token-session limit per user, and
each app client's SSO session validity. Stored and echoed; the emulator neither tracks server-side
sessions by these settings nor evicts a user's least recently used session at MaxPerUser.

Defaults and rules from the API reference of Get/SetUserPoolSessionConfiguration and
Get/SetUserPoolClientSessionConfiguration:
https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserPoolSessionConfiguration.html
- never set: UserSessionTracking DISABLED, TokenSession MaxPerUser 20, SSOSession MaxValidityMinutes 60;
- Set* replace the whole configuration, need the Essentials or Plus tier (FeatureUnavailableInTierException),
  and the client-level one needs session tracking ENABLED for the pool;
- turning tracking off keeps the client configurations, dormant until it is turned on again.
"""

from __future__ import annotations

import copy
from typing import Any

from cognito_emu.errors import FeatureUnavailableInTierException, InvalidParameterException
from cognito_emu.idp.models import UserPool
from cognito_emu.idp.pool import pools
from cognito_emu.idp.pool.clients import get_client
from cognito_emu.state import Store

DEFAULT_POOL_CONFIGURATION: dict[str, Any] = {
    "UserSessionTracking": "DISABLED",
    "TokenSession": {"MaxPerUser": 20},
}
DEFAULT_SSO_SESSION: dict[str, Any] = {"MaxValidityMinutes": 60}


def get_pool_configuration(store: Store, pool_id: str) -> dict[str, Any]:
    """UserSessionTracking and TokenSession as set, or their defaults."""
    return _pool_configuration(pools.get_user_pool(store, pool_id))


def set_pool_configuration(store: Store, pool_id: str, params: dict[str, Any]) -> dict[str, Any]:
    pool = pools.get_user_pool(store, pool_id)
    _require_tier(pool)
    pool.session_configuration = {
        "UserSessionTracking": params["UserSessionTracking"],
        "TokenSession": copy.deepcopy(params["TokenSession"]),
    }
    return get_pool_configuration(store, pool_id)


def get_client_configuration(store: Store, pool_id: str, client_id: str) -> dict[str, Any]:
    """The client's SSOSession as set, or its default."""
    pool = pools.get_user_pool(store, pool_id)
    client = get_client(pool, client_id)
    return copy.deepcopy(pool.client_session_configurations.get(client.client_id, DEFAULT_SSO_SESSION))


def set_client_configuration(
    store: Store, pool_id: str, client_id: str, sso_session: dict[str, Any]
) -> dict[str, Any]:
    pool = pools.get_user_pool(store, pool_id)
    client = get_client(pool, client_id)
    _require_tier(pool)
    if _pool_configuration(pool)["UserSessionTracking"] != "ENABLED":
        raise InvalidParameterException(
            f"Session tracking is not enabled for user pool {pool.id}. "
            "Enable it with SetUserPoolSessionConfiguration first."
        )
    pool.client_session_configurations[client.client_id] = copy.deepcopy(sso_session)
    return get_client_configuration(store, pool_id, client_id)


def _pool_configuration(pool: UserPool) -> dict[str, Any]:
    return copy.deepcopy(pool.session_configuration or DEFAULT_POOL_CONFIGURATION)


def _require_tier(pool: UserPool) -> None:
    if pool.settings.get("UserPoolTier") == "LITE":
        raise FeatureUnavailableInTierException(
            "Session configuration is available in the Essentials and Plus feature plans only."
        )
