"""ListUserSessions, RevokeUserSession and their Admin* forms over token sessions (API sign-ins), with
session tracking turned on by SetUserPoolSessionConfiguration: records, IsCurrentSession, refresh and
rotation, revocation, MaxPerUser eviction, expiry on the emulator's clock. SSO sessions are in
tests/oauth/test_oauth_sso_sessions.py."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cognito_emu.emulator import Emulator
from tests.api.support import PASSWORD, code_of, error_of, make_client_id, make_user, password_sign_in

SESSION_ID = re.compile(r"^tkn[a-z0-9]{25}$")
FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@pytest.fixture
def client_id(idp: Any, pool_id: str) -> str:
    return make_client_id(idp, pool_id, ExplicitAuthFlows=FLOWS)


def enable_tracking(idp: Any, pool_id: str, max_per_user: int = 20) -> None:
    idp.set_user_pool_session_configuration(
        UserPoolId=pool_id, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": max_per_user}
    )


@pytest.fixture
def tracked(idp: Any, pool_id: str, client_id: str) -> str:
    enable_tracking(idp, pool_id)
    make_user(idp, pool_id)
    return pool_id


def sign_in(idp: Any, client_id: str) -> dict[str, Any]:
    return password_sign_in(idp, client_id)["AuthenticationResult"]


def admin_sessions(idp: Any, pool_id: str, username: str = "alice") -> list[dict[str, Any]]:
    return idp.admin_list_user_sessions(UserPoolId=pool_id, Username=username)["Sessions"]


def test_sessions_are_listed_with_the_current_one_marked(idp, tracked, client_id):
    first = sign_in(idp, client_id)
    second = sign_in(idp, client_id)
    sessions = idp.list_user_sessions(AccessToken=second["AccessToken"])["Sessions"]
    assert len(sessions) == 2
    assert all(SESSION_ID.match(s["SessionId"]) for s in sessions)
    assert {s["SessionType"] for s in sessions} == {"TOKEN"}
    assert {s["ClientId"] for s in sessions} == {client_id}
    assert [s["IsCurrentSession"] for s in sessions] == [False, True]
    assert all("OriginSessionId" not in s for s in sessions)
    assert all(s["DeviceType"] for s in sessions)
    assert all(s["CreateDate"] == s["LastActiveDate"] for s in sessions)
    mine = idp.list_user_sessions(AccessToken=first["AccessToken"])["Sessions"]
    assert [s["IsCurrentSession"] for s in mine] == [True, False]
    listed = admin_sessions(idp, tracked)
    assert [s["SessionId"] for s in listed] == [s["SessionId"] for s in sessions]
    assert not any(s["IsCurrentSession"] for s in listed)


def test_sign_ins_before_tracking_are_not_recorded(idp, pool_id, client_id):
    make_user(idp, pool_id)
    untracked = sign_in(idp, client_id)
    enable_tracking(idp, pool_id)
    tracked = sign_in(idp, client_id)
    assert len(idp.list_user_sessions(AccessToken=untracked["AccessToken"])["Sessions"]) == 1
    assert [s["IsCurrentSession"] for s in admin_sessions(idp, pool_id)] == [False]
    assert idp.list_user_sessions(AccessToken=tracked["AccessToken"])["Sessions"][0]["IsCurrentSession"]


def test_without_tracking_the_operations_are_not_enabled(idp, pool_id, client_id):
    make_user(idp, pool_id)
    access = sign_in(idp, client_id)["AccessToken"]
    session_id = "tkn" + "a" * 25
    calls = [
        (idp.list_user_sessions, {"AccessToken": access}),
        (idp.admin_list_user_sessions, {"UserPoolId": pool_id, "Username": "alice"}),
        (idp.revoke_user_session, {"AccessToken": access, "SessionId": session_id}),
        (idp.admin_revoke_user_session, {"UserPoolId": pool_id, "Username": "alice", "SessionId": session_id}),
    ]
    for operation, params in calls:
        assert error_of(operation, **params) == (
            "OperationNotEnabledException",
            "User session tracking is not enabled for this user pool.",
        )
    # Turning tracking off again hides what was recorded.
    enable_tracking(idp, pool_id)
    sign_in(idp, client_id)
    idp.set_user_pool_session_configuration(
        UserPoolId=pool_id, UserSessionTracking="DISABLED", TokenSession={"MaxPerUser": 20}
    )
    assert code_of(idp.admin_list_user_sessions, UserPoolId=pool_id, Username="alice") == (
        "OperationNotEnabledException"
    )


def test_refresh_moves_last_active_and_rotation_keeps_the_session(emulator: Emulator, idp, tracked):
    rotating = make_client_id(
        idp, tracked, ExplicitAuthFlows=FLOWS, RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}
    )
    emulator.clock.freeze()
    result = sign_in(idp, rotating)
    [before] = admin_sessions(idp, tracked)
    emulator.clock.advance(600)
    refreshed = idp.get_tokens_from_refresh_token(ClientId=rotating, RefreshToken=result["RefreshToken"])
    [after] = admin_sessions(idp, tracked)
    assert after["SessionId"] == before["SessionId"]
    assert after["CreateDate"] == before["CreateDate"]
    assert (after["LastActiveDate"] - before["LastActiveDate"]).total_seconds() == 600
    emulator.clock.advance(60)
    idp.get_tokens_from_refresh_token(
        ClientId=rotating, RefreshToken=refreshed["AuthenticationResult"]["RefreshToken"]
    )
    [latest] = admin_sessions(idp, tracked)
    assert latest["SessionId"] == before["SessionId"]
    assert (latest["LastActiveDate"] - after["LastActiveDate"]).total_seconds() == 60


def test_refresh_token_auth_moves_last_active(emulator: Emulator, idp, tracked, client_id):
    emulator.clock.freeze()
    result = sign_in(idp, client_id)
    emulator.clock.advance(30)
    idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": result["RefreshToken"]},
    )
    [session] = admin_sessions(idp, tracked)
    assert (session["LastActiveDate"] - session["CreateDate"]).total_seconds() == 30


def test_revoking_a_session_ends_its_tokens(idp, tracked, client_id):
    other = sign_in(idp, client_id)
    mine = sign_in(idp, client_id)
    target = next(
        s for s in idp.list_user_sessions(AccessToken=mine["AccessToken"])["Sessions"] if not s["IsCurrentSession"]
    )
    idp.revoke_user_session(AccessToken=mine["AccessToken"], SessionId=target["SessionId"])
    assert error_of(idp.get_user, AccessToken=other["AccessToken"]) == (
        "NotAuthorizedException",
        "Access Token has been revoked",
    )
    assert error_of(
        idp.get_tokens_from_refresh_token, ClientId=client_id, RefreshToken=other["RefreshToken"]
    ) == ("NotAuthorizedException", "Refresh Token has been revoked")
    assert [s["IsCurrentSession"] for s in admin_sessions(idp, tracked)] == [False]
    idp.get_user(AccessToken=mine["AccessToken"])
    # A revoked session is no longer there to revoke.
    assert code_of(
        idp.revoke_user_session, AccessToken=mine["AccessToken"], SessionId=target["SessionId"]
    ) == ("ResourceNotFoundException")


def test_revoke_refuses_the_callers_own_session_and_unknown_ones(idp, tracked, client_id):
    mine = sign_in(idp, client_id)
    [own] = idp.list_user_sessions(AccessToken=mine["AccessToken"])["Sessions"]
    assert error_of(idp.revoke_user_session, AccessToken=mine["AccessToken"], SessionId=own["SessionId"]) == (
        "InvalidParameterException",
        "You can't revoke the session that the access token belongs to.",
    )
    assert error_of(
        idp.revoke_user_session, AccessToken=mine["AccessToken"], SessionId="tkn" + "0" * 25
    ) == ("ResourceNotFoundException", "Session not found.")
    # The admin may revoke any of them, the caller's own included.
    idp.admin_revoke_user_session(UserPoolId=tracked, Username="alice", SessionId=own["SessionId"])
    assert code_of(idp.get_user, AccessToken=mine["AccessToken"]) == "NotAuthorizedException"


def test_admin_revoke_checks_the_session_belongs_to_the_user(idp, tracked, client_id):
    make_user(idp, tracked, "bob")
    sign_in(idp, client_id)
    [alices] = admin_sessions(idp, tracked)
    assert code_of(
        idp.admin_revoke_user_session, UserPoolId=tracked, Username="bob", SessionId=alices["SessionId"]
    ) == ("ResourceNotFoundException")
    assert code_of(
        idp.admin_revoke_user_session, UserPoolId=tracked, Username="carol", SessionId=alices["SessionId"]
    ) == ("UserNotFoundException")
    assert code_of(idp.admin_list_user_sessions, UserPoolId=tracked, Username="carol") == "UserNotFoundException"
    assert len(admin_sessions(idp, tracked)) == 1


def test_bad_input_gets_validation_errors(raw, tracked, client_id):
    code, message = error_of(
        raw.admin_revoke_user_session, UserPoolId=tracked, Username="alice", SessionId="session-1"
    )
    assert code == "InvalidParameterException"
    assert "sessionId" in message
    code, message = error_of(
        raw.admin_revoke_user_session,
        UserPoolId=tracked,
        Username="alice",
        SessionId="tkn" + "a" * 25,
        RevokeAssociatedSessions="ALL",
    )
    assert code == "InvalidParameterException"
    assert "revokeAssociatedSessions" in message
    assert code_of(raw.list_user_sessions, AccessToken="not-a-token") == "NotAuthorizedException"


def test_max_per_user_evicts_the_least_recently_used(emulator: Emulator, idp, pool_id, client_id):
    enable_tracking(idp, pool_id, max_per_user=2)
    make_user(idp, pool_id)
    oldest = sign_in(idp, client_id)
    emulator.clock.advance(10)
    middle = sign_in(idp, client_id)
    emulator.clock.advance(10)
    # The oldest sign-in refreshed last: the middle one is the least recently used.
    idp.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=oldest["RefreshToken"])
    emulator.clock.advance(10)
    newest = sign_in(idp, client_id)
    assert len(admin_sessions(idp, pool_id)) == 2
    assert code_of(idp.get_user, AccessToken=middle["AccessToken"]) == "NotAuthorizedException"
    idp.get_user(AccessToken=oldest["AccessToken"])
    idp.get_user(AccessToken=newest["AccessToken"])


def test_lowering_max_per_user_evicts_at_the_next_sign_in(idp, pool_id, client_id):
    enable_tracking(idp, pool_id, max_per_user=5)
    make_user(idp, pool_id)
    for _ in range(4):
        sign_in(idp, client_id)
    enable_tracking(idp, pool_id, max_per_user=2)
    assert len(admin_sessions(idp, pool_id)) == 4
    sign_in(idp, client_id)
    assert len(admin_sessions(idp, pool_id)) == 2


def test_sign_out_and_revoke_token_and_expiry_end_sessions(emulator: Emulator, idp, tracked, client_id):
    kept = sign_in(idp, client_id)
    revoked = sign_in(idp, client_id)
    idp.revoke_token(ClientId=client_id, Token=revoked["RefreshToken"])
    assert len(admin_sessions(idp, tracked)) == 1
    idp.global_sign_out(AccessToken=kept["AccessToken"])
    assert admin_sessions(idp, tracked) == []
    sign_in(idp, client_id)
    # The default refresh token validity is 30 days: the session ends with it.
    emulator.clock.advance(30 * 86400 + 1)
    assert admin_sessions(idp, tracked) == []


def test_sessions_across_app_clients(idp, tracked, client_id):
    other_client = make_client_id(idp, tracked, ExplicitAuthFlows=FLOWS)
    sign_in(idp, client_id)
    sign_in(idp, other_client)
    assert sorted(s["ClientId"] for s in admin_sessions(idp, tracked)) == sorted([client_id, other_client])


def test_device_type_comes_from_the_user_agent(idp, tracked, client_id):
    sign_in(idp, client_id)
    [session] = admin_sessions(idp, tracked)
    # boto3's User-Agent starts with its product name.
    assert session["DeviceType"].lower().startswith("boto3")


def test_last_ip_address_follows_the_callers_address(idp, tracked, client_id):
    """LastIPAddress: the sign-in's UserContextData IpAddress, then each refresh's X-Forwarded-For;
    LastLocation is what Cognito answers when geo-IP resolution fails (the emulator has no database)."""
    result = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
        UserContextData={"IpAddress": "198.51.100.20"},
    )["AuthenticationResult"]
    [session] = admin_sessions(idp, tracked)
    assert session["LastIPAddress"] == "198.51.100.20"
    assert session["LastLocation"] == {"Country": "unknown"}

    def forwarded(request: Any, **_: Any) -> None:
        request.headers["X-Forwarded-For"] = "203.0.113.77, 10.0.0.1"

    idp.meta.events.register("before-sign.cognito-idp.GetTokensFromRefreshToken", forwarded)
    try:
        idp.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=result["RefreshToken"])
    finally:
        idp.meta.events.unregister("before-sign.cognito-idp.GetTokensFromRefreshToken", forwarded)
    [session] = admin_sessions(idp, tracked)
    assert session["LastIPAddress"] == "203.0.113.77"
    # A refresh that names no address keeps the last one.
    idp.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=result["RefreshToken"])
    assert admin_sessions(idp, tracked)[0]["LastIPAddress"] == "203.0.113.77"


def test_no_address_no_last_ip_address(idp, tracked, client_id):
    sign_in(idp, client_id)
    [session] = admin_sessions(idp, tracked)
    assert "LastIPAddress" not in session and "LastLocation" not in session
