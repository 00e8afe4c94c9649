"""Which IAM role an identity's credentials are for (enhanced flow).

Developer guide, "Using role-based access control":
- Unauthenticated identities get the pool's ``unauthenticated`` role.
- Authenticated identities: when a login's provider has a RoleMapping (key ``<provider>`` or, for a
  user pool, ``<provider>:<app client id>``) it decides:
  - ``Token``: ``CustomRoleArn`` when it is one of the token's ``cognito:roles``, else
    ``cognito:preferred_role``, else the only entry of ``cognito:roles``;
  - ``Rules``: the first rule whose ``Claim`` matches (``Equals``, ``Contains``, ``StartsWith``,
    ``NotEqual``; list claims such as ``cognito:groups`` match when any element does, and
    ``NotEqual`` when none equals) gives its ``RoleArn``;
  - when that yields nothing, ``AmbiguousRoleResolution`` ``AuthenticatedRole`` falls back to the
    pool's ``authenticated`` role and ``Deny`` refuses the credentials.
- Otherwise the pool's ``authenticated`` role.
No role where one is needed: InvalidIdentityPoolConfigurationException.
"""

from __future__ import annotations

from typing import Any

from cognito_emu.errors import InvalidIdentityPoolConfigurationException, NotAuthorizedException
from cognito_emu.identity.logins import Login
from cognito_emu.identity.models import AUTHENTICATED, UNAUTHENTICATED, IdentityPool

NO_ROLE = "Invalid identity pool configuration. Check assigned IAM roles for this pool."
# AWS's answer when AmbiguousRoleResolution is Deny and no role resolves (amplify-js #8644).
DENIED = "The ambiguous role mapping rules denied this request."


def _pool_role(pool: IdentityPool, kind: str) -> str:
    role = pool.roles.get(kind)
    if not role:
        raise InvalidIdentityPoolConfigurationException(NO_ROLE)
    return role


def choose_role(pool: IdentityPool, logins: list[Login], custom_role_arn: str | None) -> str:
    if not logins:
        return _pool_role(pool, UNAUTHENTICATED)
    for login in logins:
        mapping = pool.role_mappings.get(login.mapping_key) or pool.role_mappings.get(login.provider)
        if mapping is None:
            continue
        if mapping["Type"] == "Token":
            role = _token_role(login.claims, custom_role_arn)
        else:
            role = _rules_role(login.claims, (mapping.get("RulesConfiguration") or {}).get("Rules") or [])
        if role:
            return role
        if mapping.get("AmbiguousRoleResolution") == "Deny":
            raise NotAuthorizedException(DENIED)
        return _pool_role(pool, AUTHENTICATED)
    return _pool_role(pool, AUTHENTICATED)


def _token_role(claims: dict[str, Any], custom_role_arn: str | None) -> str | None:
    roles = claims.get("cognito:roles") or []
    if isinstance(roles, str):
        roles = [roles]
    if custom_role_arn:
        if custom_role_arn in roles:
            return custom_role_arn
        raise NotAuthorizedException(f"CustomRoleArn {custom_role_arn} is not one of the token's roles.")
    preferred = claims.get("cognito:preferred_role")
    if preferred:
        return str(preferred)
    return str(roles[0]) if len(roles) == 1 else None


def rule_matches(match_type: str, expected: str, actual: Any) -> bool:
    if actual is None:
        return match_type == "NotEqual"
    values = [str(v) for v in actual] if isinstance(actual, list) else [_text(actual)]
    if match_type == "Equals":
        return expected in values
    if match_type == "Contains":
        return any(expected in v for v in values)
    if match_type == "StartsWith":
        return any(v.startswith(expected) for v in values)
    if match_type == "NotEqual":
        return expected not in values
    return False


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _rules_role(claims: dict[str, Any], rules: list[dict[str, str]]) -> str | None:
    for rule in rules:
        if rule_matches(rule["MatchType"], rule["Value"], claims.get(rule["Claim"])):
            return rule["RoleARN"]
    return None
