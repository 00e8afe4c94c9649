"""cognito-identity: identities, credentials, OpenID tokens and developer identities."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.identity import identities
from cognito_emu.identity.credentials import TemporaryCredentials
from cognito_emu.identity.models import Identity
from cognito_emu.protocol.model import IDENTITY

SERVICE = IDENTITY


def present_identity(identity: Identity) -> dict[str, Any]:
    """IdentityDescription."""
    return {
        "IdentityId": identity.id,
        "Logins": list(identity.logins),
        "CreationDate": identity.created,
        "LastModifiedDate": identity.modified,
    }


def present_credentials(credentials: TemporaryCredentials) -> dict[str, Any]:
    """CredentialsType."""
    return {
        "AccessKeyId": credentials.access_key_id,
        "SecretKey": credentials.secret_key,
        "SessionToken": credentials.session_token,
        "Expiration": credentials.expiration,
    }


def get_id(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    identity = identities.get_id(call.env, params["IdentityPoolId"], params.get("Logins"))
    return {"IdentityId": identity.id}


def get_credentials_for_identity(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    identity, credentials = identities.get_credentials(
        call.env, params["IdentityId"], params.get("Logins"), params.get("CustomRoleArn")
    )
    return {"IdentityId": identity.id, "Credentials": present_credentials(credentials)}


def get_open_id_token(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    identity, token = identities.get_open_id_token(call.env, params["IdentityId"], params.get("Logins"))
    return {"IdentityId": identity.id, "Token": token}


def get_open_id_token_for_developer_identity(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    identity, token = identities.get_open_id_token_for_developer_identity(call.env, call.store, params)
    return {"IdentityId": identity.id, "Token": token}


def lookup_developer_identity(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    identity, users, token = identities.lookup_developer_identity(call.env, call.store, params)
    return {"IdentityId": identity.id, "DeveloperUserIdentifierList": users, "NextToken": token}


def merge_developer_identities(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {"IdentityId": identities.merge_developer_identities(call.env, call.store, params).id}


def unlink_developer_identity(call: Call, params: dict[str, Any]) -> None:
    identities.unlink_developer_identity(call.env, call.store, params)


def unlink_identity(call: Call, params: dict[str, Any]) -> None:
    identities.unlink_identity(call.env, params["IdentityId"], params["Logins"], params["LoginsToRemove"])


def describe_identity(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    _, identity = identities.owned_identity(call.env, call.store, params["IdentityId"])
    return present_identity(identity)


def list_identities(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    page, token = identities.list_identities(
        call.env,
        call.store,
        params["IdentityPoolId"],
        params["MaxResults"],
        params.get("NextToken"),
        bool(params.get("HideDisabled")),
    )
    return {
        "IdentityPoolId": params["IdentityPoolId"],
        "Identities": [present_identity(i) for i in page],
        "NextToken": token,
    }


def delete_identities(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    not_found = identities.delete_identities(call.env, call.store, params["IdentityIdsToDelete"])
    return {
        "UnprocessedIdentityIds": [
            {"IdentityId": identity_id, "ErrorCode": "IdentityNotFound"} for identity_id in not_found
        ]
    }


HANDLERS = {
    "GetId": get_id,
    "GetCredentialsForIdentity": get_credentials_for_identity,
    "GetOpenIdToken": get_open_id_token,
    "GetOpenIdTokenForDeveloperIdentity": get_open_id_token_for_developer_identity,
    "LookupDeveloperIdentity": lookup_developer_identity,
    "MergeDeveloperIdentities": merge_developer_identities,
    "UnlinkDeveloperIdentity": unlink_developer_identity,
    "UnlinkIdentity": unlink_identity,
    "DescribeIdentity": describe_identity,
    "ListIdentities": list_identities,
    "DeleteIdentities": delete_identities,
}
