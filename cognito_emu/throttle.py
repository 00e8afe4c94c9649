"""``--throttle aws``: Cognito's request-rate quotas, answered with TooManyRequestsException ("Rate exceeded").

From "Quotas in Amazon Cognito" (developer guide):
- user pool operations are grouped into categories, each with a quota in requests per second shared by
  every operation of the category across all the account's user pools in a region
  (idp.pool.provisioned_limits.CATEGORIES holds the defaults); UpdateProvisionedLimit raises a category's
  quota, and the raised value is the one enforced;
- RespondToAuthChallenge and AdminRespondToAuthChallenge have a quota of their own, three times
  UserAuthentication's; calls beyond it count towards UserAuthentication;
- each operation of UserPoolResourceRead/Update and UserPoolClientRead/Update may also be called at most
  5 times a second for one user pool.

Seconds are the emulator's clock's (so a test freezes the clock and never waits): a category's quota is
the number of calls it admits within one whole second. Operations of no category (identity pools,
tagging, ...) are never throttled. Off by default.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field

from cognito_emu.clock import Clock
from cognito_emu.errors import TooManyRequestsException
from cognito_emu.idp.pool.provisioned_limits import CATEGORIES
from cognito_emu.state.store import Address, State

_CHALLENGE_ANSWERS = frozenset({"RespondToAuthChallenge", "AdminRespondToAuthChallenge"})
_PER_POOL = frozenset(
    {"UserPoolResourceRead", "UserPoolResourceUpdate", "UserPoolClientRead", "UserPoolClientUpdate"}
)
PER_POOL_RPS = 5

# The operations of each category, as the quotas page lists them.
_LISTED: dict[str, tuple[str, ...]] = {
    "UserAuthentication": (
        "AdminInitiateAuth",
        "InitiateAuth",
        "AdminRespondToAuthChallenge",
        "RespondToAuthChallenge",
    ),
    "UserCreation": ("SignUp", "ConfirmSignUp", "AdminCreateUser", "AdminConfirmSignUp"),
    "UserAccountRecovery": (
        "ChangePassword",
        "ConfirmForgotPassword",
        "ForgotPassword",
        "AdminResetUserPassword",
        "AdminSetUserPassword",
        "ResendConfirmationCode",
    ),
    "UserRead": ("AdminGetUser", "GetUser", "GetUserAuthFactors", "AdminGetUserAuthFactors"),
    "UserUpdate": (
        "AdminDeleteUser",
        "AdminDeleteUserAttributes",
        "AdminDisableProviderForUser",
        "AdminDisableUser",
        "AdminEnableUser",
        "AdminLinkProviderForUser",
        "AdminSetUserMFAPreference",
        "AdminSetUserSettings",
        "AdminUpdateAuthEventFeedback",
        "AdminUpdateUserAttributes",
        "AdminUserGlobalSignOut",
        "AssociateSoftwareToken",
        "DeleteUser",
        "DeleteUserAttributes",
        "GetUserAttributeVerificationCode",
        "GlobalSignOut",
        "SetUserMFAPreference",
        "SetUserSettings",
        "UpdateAuthEventFeedback",
        "UpdateUserAttributes",
        "VerifySoftwareToken",
        "VerifyUserAttribute",
        "StartWebAuthnRegistration",
        "CompleteWebAuthnRegistration",
        "DeleteWebAuthnCredential",
    ),
    "UserResourceRead": (
        "AdminGetDevice",
        "AdminListDevices",
        "AdminListGroupsForUser",
        "AdminListUserAuthEvents",
        "GetDevice",
        "ListDevices",
        "ListWebAuthnCredentials",
    ),
    "UserResourceUpdate": (
        "AdminAddUserToGroup",
        "AdminForgetDevice",
        "AdminRemoveUserFromGroup",
        "AdminUpdateDeviceStatus",
        "ConfirmDevice",
        "ForgetDevice",
        "UpdateDeviceStatus",
    ),
    "UserList": ("ListUsers", "ListUsersInGroup"),
    "UserPoolRead": ("DescribeUserPool", "ListUserPools", "GetUserPoolMfaConfig"),
    "UserPoolUpdate": (
        "AddCustomAttributes",
        "CreateUserPool",
        "DeleteUserPool",
        "UpdateUserPool",
        "SetUserPoolMfaConfig",
    ),
    "UserPoolResourceRead": (
        "DescribeIdentityProvider",
        "DescribeResourceServer",
        "DescribeRiskConfiguration",
        "DescribeUserImportJob",
        "DescribeUserPoolDomain",
        "GetCSVHeader",
        "GetGroup",
        "GetIdentityProviderByIdentifier",
        "GetLogDeliveryConfiguration",
        "GetSigningCertificate",
        "GetUICustomization",
        "ListGroups",
        "ListIdentityProviders",
        "ListResourceServers",
        "ListUserImportJobs",
    ),
    "UserPoolResourceUpdate": (
        "CreateGroup",
        "CreateIdentityProvider",
        "CreateResourceServer",
        "CreateUserImportJob",
        "CreateUserPoolDomain",
        "DeleteGroup",
        "DeleteIdentityProvider",
        "DeleteResourceServer",
        "DeleteUserPoolDomain",
        "SetLogDeliveryConfiguration",
        "SetRiskConfiguration",
        "SetUICustomization",
        "StartUserImportJob",
        "StopUserImportJob",
        "UpdateGroup",
        "UpdateIdentityProvider",
        "UpdateResourceServer",
        "UpdateUserPoolDomain",
    ),
    "UserPoolClientRead": ("DescribeUserPoolClient", "ListUserPoolClients"),
    "UserPoolClientUpdate": ("CreateUserPoolClient", "DeleteUserPoolClient", "UpdateUserPoolClient"),
    "UserToken": ("RevokeToken", "GetTokensFromRefreshToken"),
}
CATEGORY_OF: dict[str, str] = {op: category for category, ops in _LISTED.items() for op in ops}


@dataclass(slots=True)
class Throttle:
    """Calls admitted in the current second, by quota; consulted before an operation takes the state lock."""

    clock: Clock
    state: State
    second: int = -1
    used: dict[tuple[str, ...], int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def admit(self, op_name: str, account: str, region: str, pool_id: str | None) -> None:
        """Count this call; TooManyRequestsException if it is over a quota it falls under."""
        category = CATEGORY_OF.get(op_name)
        if category is None:
            return
        quota = self._quota(category, account, region)
        answers = (account, region, "challenge answers")
        with self.lock:
            second = int(self.clock.now())
            if second != self.second:
                self.second = second
                self.used.clear()
            counted: list[tuple[tuple[str, ...], int]] = []
            if category in _PER_POOL and pool_id is not None:
                counted.append(((pool_id, op_name), PER_POOL_RPS))
            if op_name in _CHALLENGE_ANSWERS and self.used[answers] < 3 * quota:
                counted.append((answers, 3 * quota))
            else:
                counted.append(((account, region, category), quota))
            if any(self.used[key] >= limit for key, limit in counted):
                raise TooManyRequestsException("Rate exceeded")
            for key, _ in counted:
                self.used[key] += 1

    def clear(self) -> None:
        with self.lock:
            self.used.clear()

    def _quota(self, category: str, account: str, region: str) -> int:
        store = self.state.stores.get(Address(account, region))
        default, _ = CATEGORIES[category]
        return store.provisioned_limits.get(category, default) if store is not None else default
