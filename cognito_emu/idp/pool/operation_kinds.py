"""What each cognito-idp operation does to the user pool it addresses, for the two features that limit
operations per pool: a secondary replica (``idp.pool.replicas``) and the pause of writes while a
point-in-time recovery runs (``idp.pool.point_in_time``).

Sources: UserPoolReplicaType in the API reference (a SECONDARY supports "only administrator operations
that set configurations specific to the replica, and only end-user operations that do not create or
change attributes of a user"; an INACTIVE replica "is not accepting requests for end-users"), the
developer guide's multi-Region replication page (no users created, no password resets or profile
changes, no TOTP MFA in a secondary; email, SMS, Lambda triggers, tags and log export are Regional), and
InitiatePointInTimeRecovery (sign-up, user creation and attribute updates are blocked while a recovery
runs; sign-in and reads go on, except the NEW_PASSWORD_REQUIRED, MFA_SETUP and SOFTWARE_TOKEN_MFA
challenges; no import job can be created or started).
"""

from __future__ import annotations

from enum import Enum


class Kind(Enum):
    # Not about one pool.
    ACCOUNT = "account"
    # Reads by an administrator.
    READ = "read"
    # End-user operations that change no user data: sign-in, tokens, sign-out, devices, sessions.
    SIGN_IN = "sign-in"
    # Writes to users, their attributes, passwords, MFA and passkeys, and to groups and memberships.
    USER_DATA = "user data"
    # Writes to the configuration the primary keeps for every Region.
    CONFIGURATION = "configuration"
    # Writes to what each replica keeps for itself.
    REGIONAL = "regional"


_KINDS: dict[Kind, tuple[str, ...]] = {
    Kind.ACCOUNT: ("CreateUserPool", "ListUserPools", "GetProvisionedLimit", "UpdateProvisionedLimit"),
    Kind.READ: (
        "AdminGetDevice",
        "AdminGetUser",
        "AdminGetUserAuthFactors",
        "AdminListDevices",
        "AdminListGroupsForUser",
        "AdminListUserAuthEvents",
        "AdminListUserSessions",
        "DescribeCIMDPolicy",
        "DescribeIdentityProvider",
        "DescribeManagedLoginBranding",
        "DescribeManagedLoginBrandingByClient",
        "DescribePointInTimeRecovery",
        "DescribeResourceServer",
        "DescribeRiskConfiguration",
        "DescribeTerms",
        "DescribeTermsByClient",
        "DescribeUserImportJob",
        "DescribeUserPool",
        "DescribeUserPoolClient",
        "DescribeUserPoolDomain",
        "GetCSVHeader",
        "GetGroup",
        "GetIdentityProviderByIdentifier",
        "GetLogDeliveryConfiguration",
        "GetSigningCertificate",
        "GetUICustomization",
        "GetUserPoolClientSessionConfiguration",
        "GetUserPoolMfaConfig",
        "GetUserPoolSessionConfiguration",
        "ListCIMDPolicies",
        "ListClientMetadataURLs",
        "ListGroups",
        "ListIdentityProviders",
        "ListPointInTimeRecoveries",
        "ListResourceServers",
        "ListTagsForResource",
        "ListTerms",
        "ListUserImportJobs",
        "ListUserPoolClientSecrets",
        "ListUserPoolClients",
        "ListUserPoolReplicas",
        "ListUsers",
        "ListUsersInGroup",
    ),
    Kind.SIGN_IN: (
        "AdminForgetDevice",
        "AdminInitiateAuth",
        "AdminRespondToAuthChallenge",
        "AdminRevokeUserSession",
        "AdminUpdateAuthEventFeedback",
        "AdminUpdateDeviceStatus",
        "AdminUserGlobalSignOut",
        "ConfirmDevice",
        "ForgetDevice",
        "GetClientToken",
        "GetDerivedToken",
        "GetDevice",
        "GetTokensFromRefreshToken",
        "GetUser",
        "GetUserAuthFactors",
        "GlobalSignOut",
        "InitiateAuth",
        "ListDevices",
        "ListUserSessions",
        "ListWebAuthnCredentials",
        "RespondToAuthChallenge",
        "RevokeToken",
        "RevokeUserSession",
        "UpdateAuthEventFeedback",
        "UpdateDeviceStatus",
    ),
    Kind.USER_DATA: (
        "AdminAddUserToGroup",
        "AdminConfirmSignUp",
        "AdminCreateUser",
        "AdminDeleteSoftwareToken",
        "AdminDeleteUser",
        "AdminDeleteUserAttributes",
        "AdminDisableProviderForUser",
        "AdminDisableUser",
        "AdminEnableUser",
        "AdminLinkProviderForUser",
        "AdminRemoveUserFromGroup",
        "AdminResetUserPassword",
        "AdminSetUserMFAPreference",
        "AdminSetUserPassword",
        "AdminSetUserSettings",
        "AdminUpdateUserAttributes",
        "AssociateSoftwareToken",
        "ChangePassword",
        "CompleteWebAuthnRegistration",
        "ConfirmForgotPassword",
        "ConfirmSignUp",
        "CreateGroup",
        "CreateUserImportJob",
        "DeleteGroup",
        "DeleteUser",
        "DeleteUserAttributes",
        "DeleteWebAuthnCredential",
        "ForgotPassword",
        "GetUserAttributeVerificationCode",
        "ResendConfirmationCode",
        "SetUserMFAPreference",
        "SetUserSettings",
        "SignUp",
        "StartUserImportJob",
        "StartWebAuthnRegistration",
        "UpdateGroup",
        "UpdateUserAttributes",
        "VerifySoftwareToken",
        "VerifyUserAttribute",
    ),
    Kind.CONFIGURATION: (
        "AddCustomAttributes",
        "AddUserPoolClientSecret",
        "CancelPointInTimeRecovery",
        "CreateCIMDPolicy",
        "CreateIdentityProvider",
        "CreateManagedLoginBranding",
        "CreateResourceServer",
        "CreateTerms",
        "CreateUserPoolClient",
        "CreateUserPoolDomain",
        "CreateUserPoolReplica",
        "DeleteCIMDPolicy",
        "DeleteIdentityProvider",
        "DeleteManagedLoginBranding",
        "DeleteResourceServer",
        "DeleteTerms",
        "DeleteUserPool",
        "DeleteUserPoolClient",
        "DeleteUserPoolClientSecret",
        "DeleteUserPoolDomain",
        "DeleteUserPoolReplica",
        "InitiatePointInTimeRecovery",
        "SetRiskConfiguration",
        "SetUICustomization",
        "SetUserPoolClientSessionConfiguration",
        "SetUserPoolMfaConfig",
        "SetUserPoolSessionConfiguration",
        "StartPointInTimeRecovery",
        "StopUserImportJob",
        "UpdateCIMDPolicy",
        "UpdateClientMetadataURLState",
        "UpdateIdentityProvider",
        "UpdateManagedLoginBranding",
        "UpdateResourceServer",
        "UpdateTerms",
        "UpdateUserPoolClient",
        "UpdateUserPoolDomain",
    ),
    Kind.REGIONAL: (
        "SetLogDeliveryConfiguration",
        "TagResource",
        "UntagResource",
        "UpdateUserPool",
        "UpdateUserPoolReplica",
    ),
}

KINDS: dict[str, Kind] = {operation: kind for kind, operations in _KINDS.items() for operation in operations}

# Challenge answers that set a password or an MFA factor, or need TOTP: refused in a secondary replica
# and while a point-in-time recovery runs.
WRITING_CHALLENGES = frozenset({"NEW_PASSWORD_REQUIRED", "MFA_SETUP", "SOFTWARE_TOKEN_MFA"})
