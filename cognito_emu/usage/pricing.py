"""What a month's usage would cost under each user pool feature plan.

Prices of Amazon Cognito user pools in US East (N. Virginia) as published on
https://aws.amazon.com/cognito/pricing/ for the feature plans (Lite, Essentials, Plus) that replaced the
old MAU pricing on 2024-11-22, looked up on PRICES_AS_OF. The free tier (10,000 MAUs a month for Lite and
Essentials) is "per month per account", shared by all its pools: an account's figure applies it once to
all its pools' MAUs, a pool's figure to that pool alone (what it would cost as the account's only pool).
Other regions, SAML/OIDC-federated MAUs (50 free, then priced apart), SMS and email are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

PRICES_AS_OF = "2026-12-06"
PRICES_SOURCE = "https://aws.amazon.com/cognito/pricing/ (US East (N. Virginia))"

# M2M authorization (client-credentials grants): per app client that requested tokens in the month,
# and per token request. No free tier.
M2M_PER_APP_CLIENT = 6.00
M2M_PER_THOUSAND_REQUESTS = 2.25


@dataclass(frozen=True, slots=True)
class FeaturePlan:
    name: str
    free_maus: int
    # (the last MAU the band reaches, or None for the rest; USD per MAU in the band), after the free MAUs
    bands: tuple[tuple[int | None, float], ...]

    def mau_cost(self, maus: int) -> float:
        cost = 0.0
        floor = self.free_maus
        for ceiling, price in self.bands:
            top = maus if ceiling is None else min(maus, ceiling)
            if top > floor:
                cost += (top - floor) * price
            if ceiling is not None:
                floor = max(floor, ceiling)
        return cost


FEATURE_PLANS = (
    FeaturePlan(
        "LITE",
        10_000,
        ((100_000, 0.0055), (1_000_000, 0.0046), (10_000_000, 0.00325), (None, 0.0025)),
    ),
    FeaturePlan("ESSENTIALS", 10_000, ((None, 0.015),)),
    FeaturePlan("PLUS", 0, ((None, 0.020),)),
)


def m2m_cost(requests_by_client: dict[str, int]) -> float:
    clients = sum(1 for count in requests_by_client.values() if count)
    requests = sum(requests_by_client.values())
    return clients * M2M_PER_APP_CLIENT + requests / 1000 * M2M_PER_THOUSAND_REQUESTS


def costs(maus: int, requests_by_client: dict[str, int]) -> dict[str, float]:
    """USD per feature plan for a month with ``maus`` active users and these M2M requests, to the cent."""
    m2m = m2m_cost(requests_by_client)
    return {plan.name: round(plan.mau_cost(maus) + m2m, 2) for plan in FEATURE_PLANS}
