"""Provisioned request-rate limits per API category, per account and region. Stored and echoed: the
emulator never throttles, whatever the limits say.

GetProvisionedLimit / UpdateProvisionedLimit (API reference) and "Amazon Cognito user pools API operation
categories and request rate quotas" (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html):
- a limit is named by LimitClass API_CATEGORY and the attribute ``Category``;
- FreeLimitValue is the category's default quota; ProvisionedLimitValue is that until it is raised;
- an update must lie between the default and the account's Service Quotas maximum (not modelled: no upper
  bound here), only adjustable categories can be raised, and accounts with managed login user pools cannot
  raise UserAuthentication or UserFederation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cognito_emu.errors import InvalidParameterException, ResourceNotFoundException
from cognito_emu.state import Store

# Category -> (default quota in requests per second, adjustable).
CATEGORIES: dict[str, tuple[int, bool]] = {
    "UserAuthentication": (120, True),
    "UserCreation": (50, True),
    "UserFederation": (25, True),
    "UserAccountRecovery": (30, False),
    "UserRead": (120, True),
    "UserUpdate": (25, False),
    "UserToken": (120, True),
    "UserResourceRead": (50, True),
    "UserResourceUpdate": (25, False),
    "UserList": (30, False),
    "UserPoolRead": (15, False),
    "UserPoolUpdate": (15, False),
    "UserPoolResourceRead": (20, False),
    "UserPoolResourceUpdate": (15, False),
    "UserPoolClientRead": (15, False),
    "UserPoolClientUpdate": (15, False),
    "ClientAuthentication": (150, False),
}

_NOT_WITH_MANAGED_LOGIN = ("UserAuthentication", "UserFederation")


@dataclass(frozen=True, slots=True)
class ProvisionedLimit:
    """One API category's request-rate limit: the provisioned value and the category's default quota."""

    category: str
    provisioned: int
    free: int


def get_limit(store: Store, definition: dict[str, Any]) -> ProvisionedLimit:
    category = _category(definition)
    free, _ = CATEGORIES[category]
    return ProvisionedLimit(category, store.provisioned_limits.get(category, free), free)


def update_limit(store: Store, definition: dict[str, Any], requested: int) -> ProvisionedLimit:
    category = _category(definition)
    free, adjustable = CATEGORIES[category]
    if not adjustable:
        raise InvalidParameterException(f"The request rate limit of category {category} is not adjustable.")
    if requested < free:
        raise InvalidParameterException(
            f"RequestedLimitValue must be at least the default limit of category {category}, {free}."
        )
    if category in _NOT_WITH_MANAGED_LOGIN and _has_managed_login(store):
        raise InvalidParameterException(
            f"Accounts with managed login user pools cannot adjust the {category} limit; "
            "request a Service Quotas increase instead."
        )
    store.provisioned_limits[category] = requested
    return ProvisionedLimit(category, requested, free)


def _category(definition: dict[str, Any]) -> str:
    attributes = definition["Attributes"]
    category = attributes.get("Category")
    if category is None or set(attributes) != {"Category"}:
        raise InvalidParameterException(
            "An API_CATEGORY limit is identified by the attribute Category alone."
        )
    if category not in CATEGORIES:
        raise ResourceNotFoundException(f"There is no API category named {category}.")
    return str(category)


def _has_managed_login(store: Store) -> bool:
    return any(
        domain.managed_login_version == 2
        for pool in store.user_pools.values()
        for domain in pool.domains.values()
    )

