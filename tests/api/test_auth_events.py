"""Threat-protection auth events: AdminListUserAuthEvents, AdminUpdateAuthEventFeedback and
UpdateAuthEventFeedback, through boto3 against the server."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from pycognito import aws_srp

from cognito_emu.idp.signin import auth_events
from tests.api.support import NEW_PASSWORD, PASSWORD, error_of, make_user, send

FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def make_pool(idp: Any, mode: str = "ENFORCED") -> str:
    return idp.create_user_pool(
        PoolName="guarded",
        AutoVerifiedAttributes=["email"],
        UserPoolTier="PLUS",
        UserPoolAddOns={"AdvancedSecurityMode": mode},
    )["UserPool"]["Id"]


def make_client(idp: Any, pool: str) -> str:
    return idp.create_user_pool_client(UserPoolId=pool, ClientName="app", ExplicitAuthFlows=FLOWS)[
        "UserPoolClient"
    ]["ClientId"]


def confirmed_user(idp: Any, pool: str, username: str = "alice") -> None:
    make_user(idp, pool, username, email=f"{username}@example.com", email_verified="true")


def sign_in(idp: Any, client_id: str, password: str, username: str = "alice") -> dict[str, Any] | None:
    try:
        return idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
    except idp.exceptions.NotAuthorizedException:
        return None


def events(idp: Any, pool: str, username: str = "alice", **kwargs: Any) -> list[dict[str, Any]]:
    return idp.admin_list_user_auth_events(UserPoolId=pool, Username=username, **kwargs)["AuthEvents"]


def feedback_token(emulator: Any, event_id: str) -> str:
    """The FeedbackToken of an event, from the state export (where the emulator documents it)."""
    exported = json.loads(send(emulator, "GET", "/_emu/state").body)
    for store in exported["stores"]:
        for pool in store["user_pools"].values():
            for user in pool["users"].values():
                for event in user["auth_events"]:
                    if event["event_id"] == event_id:
                        return event["feedback_token"]
    raise AssertionError(f"no event {event_id}")


@pytest.fixture
def pool(idp: Any) -> str:
    return make_pool(idp)


@pytest.fixture
def client_id(idp: Any, pool: str) -> str:
    return make_client(idp, pool)


def test_sign_ins_right_and_wrong_newest_first(idp, pool, client_id):
    confirmed_user(idp, pool)
    assert events(idp, pool) == []
    assert sign_in(idp, client_id, "wrong-Passw0rd!") is None
    assert sign_in(idp, client_id, PASSWORD) is not None
    found = events(idp, pool)
    assert [(e["EventType"], e["EventResponse"]) for e in found] == [("SignIn", "Pass"), ("SignIn", "Fail")]
    passed, failed = found
    assert passed["ChallengeResponses"] == [{"ChallengeName": "Password", "ChallengeResponse": "Success"}]
    assert failed["ChallengeResponses"] == [{"ChallengeName": "Password", "ChallengeResponse": "Failure"}]
    assert passed["EventRisk"] == {
        "RiskDecision": "NoRisk",
        "RiskLevel": "Low",
        "CompromisedCredentialsDetected": False,
    }
    assert "EventFeedback" not in passed
    assert passed["EventId"] != failed["EventId"]
    assert passed["CreationDate"] >= failed["CreationDate"]


def test_refresh_is_not_a_sign_in_event(idp, pool, client_id):
    confirmed_user(idp, pool)
    result = sign_in(idp, client_id, PASSWORD)
    assert result is not None
    idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": result["AuthenticationResult"]["RefreshToken"]},
    )
    assert [e["EventType"] for e in events(idp, pool)] == ["SignIn"]


def test_admin_sign_in_and_audit_mode(idp):
    pool = make_pool(idp, "AUDIT")
    client_id = make_client(idp, pool)
    confirmed_user(idp, pool)
    idp.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )
    assert [(e["EventType"], e["EventResponse"]) for e in events(idp, pool)] == [("SignIn", "Pass")]


def test_sign_up_resend_and_forgot_password(idp, pool, client_id):
    idp.sign_up(
        ClientId=client_id,
        Username="bob",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
    )
    idp.resend_confirmation_code(ClientId=client_id, Username="bob")
    idp.admin_confirm_sign_up(UserPoolId=pool, Username="bob")
    idp.admin_update_user_attributes(
        UserPoolId=pool, Username="bob", UserAttributes=[{"Name": "email_verified", "Value": "true"}]
    )
    idp.forgot_password(ClientId=client_id, Username="bob")
    found = events(idp, pool, "bob")
    assert [(e["EventType"], e["EventResponse"]) for e in found] == [
        ("ForgotPassword", "Pass"),
        ("ResendCode", "Pass"),
        ("SignUp", "Pass"),
    ]
    assert all(e["ChallengeResponses"] == [] for e in found)


def test_change_password_events(idp, pool, client_id):
    confirmed_user(idp, pool)
    result = sign_in(idp, client_id, PASSWORD)
    assert result is not None
    access_token = result["AuthenticationResult"]["AccessToken"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.change_password(
            AccessToken=access_token, PreviousPassword="Wr0ng-pass!", ProposedPassword=NEW_PASSWORD
        )
    idp.change_password(AccessToken=access_token, PreviousPassword=PASSWORD, ProposedPassword=NEW_PASSWORD)
    found = events(idp, pool)
    assert [(e["EventType"], e["EventResponse"]) for e in found] == [
        ("PasswordChange", "Pass"),
        ("PasswordChange", "Fail"),
        ("SignIn", "Pass"),
    ]


def test_events_by_alias_and_pagination(idp, pool, client_id):
    confirmed_user(idp, pool)
    for _ in range(3):
        assert sign_in(idp, client_id, PASSWORD) is not None
    assert sign_in(idp, client_id, "wrong-Passw0rd!") is None
    everything = events(idp, pool)
    assert len(everything) == 4
    first = idp.admin_list_user_auth_events(UserPoolId=pool, Username="alice", MaxResults=3)
    assert first["AuthEvents"] == everything[:3]
    second = idp.admin_list_user_auth_events(
        UserPoolId=pool, Username="alice", MaxResults=3, NextToken=first["NextToken"]
    )
    assert second["AuthEvents"] == everything[3:]
    assert "NextToken" not in second
    # MaxResults 0 means the default page of 60.
    assert events(idp, pool, MaxResults=0) == everything
    code, _ = error_of(
        idp.admin_list_user_auth_events, UserPoolId=pool, Username="alice", NextToken="not-a-token"
    )
    assert code == "InvalidParameterException"
    # The sub names the user too.
    sub = next(
        a["Value"]
        for a in idp.admin_get_user(UserPoolId=pool, Username="alice")["UserAttributes"]
        if a["Name"] == "sub"
    )
    assert events(idp, pool, sub) == everything


def test_events_are_bounded(idp, pool, client_id, monkeypatch):
    monkeypatch.setattr(auth_events, "MAX_EVENTS", 3)
    confirmed_user(idp, pool)
    for _ in range(5):
        assert sign_in(idp, client_id, PASSWORD) is not None
    assert len(events(idp, pool)) == 3


def test_admin_feedback(idp, pool, client_id):
    confirmed_user(idp, pool)
    sign_in(idp, client_id, PASSWORD)
    event_id = events(idp, pool)[0]["EventId"]
    idp.admin_update_auth_event_feedback(
        UserPoolId=pool, Username="alice", EventId=event_id, FeedbackValue="Invalid"
    )
    feedback = events(idp, pool)[0]["EventFeedback"]
    assert feedback["FeedbackValue"] == "Invalid"
    assert feedback["Provider"] == "Admin"
    assert "FeedbackDate" in feedback
    idp.admin_update_auth_event_feedback(
        UserPoolId=pool, Username="alice", EventId=event_id, FeedbackValue="Valid"
    )
    assert events(idp, pool)[0]["EventFeedback"]["FeedbackValue"] == "Valid"
    code, _ = error_of(
        idp.admin_update_auth_event_feedback,
        UserPoolId=pool,
        Username="alice",
        EventId="no-such-event",
        FeedbackValue="Valid",
    )
    assert code == "ResourceNotFoundException"
    code, _ = error_of(
        idp.admin_update_auth_event_feedback,
        UserPoolId=pool,
        Username="nobody",
        EventId=event_id,
        FeedbackValue="Valid",
    )
    assert code == "UserNotFoundException"


def test_user_feedback_with_the_feedback_token(emulator, idp, pool, client_id):
    confirmed_user(idp, pool)
    sign_in(idp, client_id, "wrong-Passw0rd!")
    event_id = events(idp, pool)[0]["EventId"]
    token = feedback_token(emulator, event_id)
    code, _ = error_of(
        idp.update_auth_event_feedback,
        UserPoolId=pool,
        Username="alice",
        EventId=event_id,
        FeedbackToken="bad-token",
        FeedbackValue="Valid",
    )
    assert code == "NotAuthorizedException"
    assert "EventFeedback" not in events(idp, pool)[0]
    idp.update_auth_event_feedback(
        UserPoolId=pool, Username="alice", EventId=event_id, FeedbackToken=token, FeedbackValue="Invalid"
    )
    feedback = events(idp, pool)[0]["EventFeedback"]
    assert (feedback["FeedbackValue"], feedback["Provider"]) == ("Invalid", "User")


def test_pool_without_threat_protection(idp):
    pool = idp.create_user_pool(PoolName="plain")["UserPool"]["Id"]
    client_id = make_client(idp, pool)
    confirmed_user(idp, pool)
    assert sign_in(idp, client_id, PASSWORD) is not None
    code, message = error_of(idp.admin_list_user_auth_events, UserPoolId=pool, Username="alice")
    assert code == "UserPoolAddOnNotEnabledException"
    assert pool in message
    code, _ = error_of(
        idp.admin_update_auth_event_feedback,
        UserPoolId=pool,
        Username="alice",
        EventId="e1",
        FeedbackValue="Valid",
    )
    assert code == "UserPoolAddOnNotEnabledException"
    code, _ = error_of(
        idp.update_auth_event_feedback,
        UserPoolId=pool,
        Username="alice",
        EventId="e1",
        FeedbackToken="t",
        FeedbackValue="Valid",
    )
    assert code == "UserPoolAddOnNotEnabledException"
    # Turning it on later starts an empty history: nothing was recorded while it was off.
    idp.update_user_pool(
        UserPoolId=pool, UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"}
    )
    assert events(idp, pool) == []


def test_unknown_pool_for_user_feedback(idp):
    code, _ = error_of(
        idp.update_auth_event_feedback,
        UserPoolId="us-east-1_nothere",
        Username="alice",
        EventId="e1",
        FeedbackToken="t",
        FeedbackValue="Valid",
    )
    assert code == "ResourceNotFoundException"


def test_srp_sign_ins(idp, pool):
    client_id = idp.create_user_pool_client(
        UserPoolId=pool,
        ClientName="srp",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    confirmed_user(idp, pool)
    for password in ("wrong-Passw0rd!", PASSWORD):
        srp = aws_srp.AWSSRP(
            username="alice", password=password, pool_id=pool, client_id=client_id, client=idp
        )
        with contextlib.suppress(idp.exceptions.NotAuthorizedException):
            srp.authenticate_user()
    found = events(idp, pool)
    assert [(e["EventType"], e["EventResponse"]) for e in found] == [("SignIn", "Pass"), ("SignIn", "Fail")]
    assert found[1]["ChallengeResponses"] == [{"ChallengeName": "Password", "ChallengeResponse": "Failure"}]
