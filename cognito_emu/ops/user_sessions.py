"""User session operations: ListUserSessions and RevokeUserSession with an access token, and their
Admin* forms (the domain is ``idp.user_sessions``)."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp import tokens, user_sessions
from cognito_emu.idp.pool.pools import get_user_pool
from cognito_emu.idp.users import directory
from cognito_emu.protocol.model import IDP

SERVICE = IDP


# LastLocation when an address is known: the emulator has no geo-IP database, and Cognito answers a
# failed resolution with no City and the Country "unknown" (SessionLocationType).
UNKNOWN_LOCATION = {"Country": "unknown"}


def present_session(description: user_sessions.SessionDescription) -> dict[str, Any]:
    """SessionDescriptionType; OriginSessionId for token sessions only; LastIPAddress and LastLocation
    when the requests named the caller's address (UserContextData / ContextData IpAddress for a sign-in,
    else X-Forwarded-For)."""
    record = description.record
    out: dict[str, Any] = {
        "SessionId": record.session_id,
        "SessionType": description.session_type,
        "ClientId": record.client_id,
        "CreateDate": record.created,
        "LastActiveDate": record.last_active,
        "DeviceType": record.device_type,
        "IsCurrentSession": description.is_current,
    }
    if record.ip_address:
        out["LastIPAddress"] = record.ip_address
        out["LastLocation"] = dict(UNKNOWN_LOCATION)
    if description.session_type == user_sessions.TOKEN and record.origin_session_id:
        out["OriginSessionId"] = record.origin_session_id
    return out


def _page(page: list[user_sessions.SessionDescription], next_token: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"Sessions": [present_session(description) for description in page]}
    if next_token:
        out["NextToken"] = next_token
    return out


def _linked(params: dict[str, Any]) -> bool:
    return params.get("RevokeAssociatedSessions") == "LINKED"


def list_user_sessions(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    principal = tokens.authenticate(call.env, params["AccessToken"])
    page, next_token = user_sessions.list_sessions(
        call.env, principal.pool, principal.user, params.get("NextToken"), current=principal.session
    )
    return _page(page, next_token)


def admin_list_user_sessions(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    user = directory.get_user(pool, params["Username"])
    return _page(*user_sessions.list_sessions(call.env, pool, user, params.get("NextToken")))


def revoke_user_session(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    principal = tokens.authenticate(call.env, params["AccessToken"])
    user_sessions.revoke_session(
        call.env,
        principal.pool,
        principal.user,
        params["SessionId"],
        linked=_linked(params),
        current=principal.session,
    )
    return {}


def admin_revoke_user_session(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool = get_user_pool(call.store, params["UserPoolId"])
    user = directory.get_user(pool, params["Username"])
    user_sessions.revoke_session(call.env, pool, user, params["SessionId"], linked=_linked(params))
    return {}


HANDLERS = {
    "ListUserSessions": list_user_sessions,
    "AdminListUserSessions": admin_list_user_sessions,
    "RevokeUserSession": revoke_user_session,
    "AdminRevokeUserSession": admin_revoke_user_session,
}
