"""The usage report of ``GET /_emu/usage`` and the console: per user pool, one calendar month."""

from __future__ import annotations

import re
from typing import Any

from cognito_emu.env import Env
from cognito_emu.usage import pricing
from cognito_emu.usage.log import Activity, month_of

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def valid_month(text: str) -> bool:
    return MONTH.fullmatch(text) is not None


def report(env: Env, month: str | None = None) -> dict[str, Any]:
    """Every user pool's monthly active users, M2M requests and cost per feature plan in ``month``
    (``YYYY-MM``, default: the emulator clock's month). Call with the state lock held."""
    month = month or month_of(env.clock.now())
    pools = []
    for store in env.state.stores.values():
        for pool in store.user_pools.values():
            used = env.usage.month(pool.id, month)
            maus = len(used.users)
            pools.append(
                {
                    "userPoolId": pool.id,
                    "name": pool.name,
                    "account": pool.account,
                    "region": pool.region,
                    "featurePlan": pool.settings.get("UserPoolTier", "ESSENTIALS"),
                    "monthlyActiveUsers": maus,
                    # How many of them had each kind of activity (a user may have several).
                    "activity": {
                        kind.value: sum(1 for kinds in used.users.values() if kind in kinds)
                        for kind in Activity
                    },
                    "m2m": {
                        "tokenRequests": sum(used.m2m_requests.values()),
                        "appClients": len(used.m2m_requests),
                        "requestsByAppClient": used.m2m_requests,
                    },
                    "costUSD": pricing.costs(maus, used.m2m_requests),
                }
            )
    return {
        "month": month,
        "userPools": pools,
        "prices": {
            "asOf": pricing.PRICES_AS_OF,
            "source": pricing.PRICES_SOURCE,
            "note": "Free tier applied per pool as if it were the account's only one; federated (SAML/OIDC) "
            "MAUs, SMS and email are not counted.",
        },
    }
