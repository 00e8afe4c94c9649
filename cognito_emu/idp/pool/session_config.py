"""Session configuration: the pool's user session tracking with its token-session limit per user, and
each app client's SSO session validity. ``idp.user_sessions`` enforces them: tracked sessions get
records, MaxPerUser evicts the least recently used token session, MaxValidityMinutes limits how long a
client silently reuses the hosted login's SSO session.

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


def tracking_enabled(pool: UserPool) -> bool:
    """Whether the pool keeps user session records (UserSessionTracking ENABLED)."""
    return bool(pool.session_configuration.get("UserSessionTracking") == "ENABLED")


def max_token_sessions(pool: UserPool) -> int:
    """TokenSession MaxPerUser: how many active token sessions a user may hold."""
    return int(_pool_configuration(pool)["TokenSession"]["MaxPerUser"])


def sso_reuse_seconds(pool: UserPool, client_id: str) -> int:
    """How long after the user's last fresh authentication this client silently reuses an SSO session."""
    sso = pool.client_session_configurations.get(client_id, DEFAULT_SSO_SESSION)
    return int(sso["MaxValidityMinutes"]) * 60


def sso_session_seconds(pool: UserPool) -> int:
    """How long an SSO session (and its cookie) lasts: the managed login's hour, or longer when a client
    of the pool reuses SSO sessions for longer; each client still stops reusing it at its own limit."""
    configured = [int(sso["MaxValidityMinutes"]) * 60 for sso in pool.client_session_configurations.values()]
    return max([int(DEFAULT_SSO_SESSION["MaxValidityMinutes"]) * 60, *configured])


def _pool_configuration(pool: UserPool) -> dict[str, Any]:
    return copy.deepcopy(pool.session_configuration or DEFAULT_POOL_CONFIGURATION)


def _require_tier(pool: UserPool) -> None:
    if pool.settings.get("UserPoolTier") == "LITE":
        raise FeatureUnavailableInTierException(
            "Session configuration is available in the Essentials and Plus feature plans only."
        )
