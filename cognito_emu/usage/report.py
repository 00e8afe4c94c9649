"""The usage report of ``GET /_emu/usage`` and the console: per user pool, one calendar month."""

from __future__ import annotations

import re
from typing import Any

from cognito_emu.env import Env
from cognito_emu.usage import log, pricing
from cognito_emu.usage.log import Activity, month_of

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def valid_month(text: str) -> bool:
    return MONTH.fullmatch(text) is not None


def report(env: Env, month: str | None = None) -> dict[str, Any]:
    """Every user pool's monthly active users, M2M requests and cost per feature plan in ``month``
    (``YYYY-MM``, default: the emulator clock's month), and each account's, whose bill has one free tier
    for all its pools. Call with the state lock held."""
    month = month or month_of(env.clock.now())
    pools: list[dict[str, Any]] = []
    for store in env.state.stores.values():
        for pool in store.user_pools.values():
            used = log.month(pool.usage, month)
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
                        kind.value: sum(1 for user in used.users.values() if kind in user.activity)
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
        "accounts": _accounts(pools),
        "prices": {
            "asOf": pricing.PRICES_AS_OF,
            "source": pricing.PRICES_SOURCE,
            "note": "The free tier (10,000 MAUs a month on Lite and Essentials) is per account: an account's "
            "cost applies it once to all its pools (as if all were on the plan), a pool's cost to that pool "
            "alone. Federated (SAML/OIDC) MAUs, SMS and email are not counted.",
        },
    }


def _accounts(pools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per account: its pools' MAUs and M2M requests summed, priced with one free tier (users of different
    pools are different users, as Cognito counts them; app client ids are unique across pools)."""
    totals: dict[str, dict[str, Any]] = {}
    for pool in pools:
        total = totals.setdefault(
            pool["account"], {"account": pool["account"], "userPools": 0, "monthlyActiveUsers": 0, "m2m": {}}
        )
        total["userPools"] += 1
        total["monthlyActiveUsers"] += pool["monthlyActiveUsers"]
        total["m2m"].update(pool["m2m"]["requestsByAppClient"])
    return [
        {
            "account": total["account"],
            "userPools": total["userPools"],
            "monthlyActiveUsers": total["monthlyActiveUsers"],
            "m2m": {"tokenRequests": sum(total["m2m"].values()), "appClients": len(total["m2m"])},
            "costUSD": pricing.costs(total["monthlyActiveUsers"], total["m2m"]),
        }
        for total in sorted(totals.values(), key=lambda t: t["account"])
    ]
