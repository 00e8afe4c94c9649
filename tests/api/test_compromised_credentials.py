"""Compromised-credentials detection at sign-up and password changes (idp.signin.compromised): the
risk configuration's EventFilter (SIGN_UP, PASSWORD_CHANGE) and EventAction (BLOCK, NO_ACTION), AUDIT
against ENFORCED, and what the user's auth events record."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_emu.idp.signin import compromised
from tests.api.support import NEW_PASSWORD, PASSWORD, TEMPORARY_PASSWORD, error_of, make_client_id, make_user
from tests.api.test_threat_protection import BREACHED, FLOWS, make_pool

BLOCKED = ("InvalidPasswordException", compromised.BLOCKED_PASSWORD)


def block(idp: Any, pool: str, *events: str, action: str = "BLOCK", client_id: str | None = None) -> None:
    configuration: dict[str, Any] = {"Actions": {"EventAction": action}}
    if events:
        configuration["EventFilter"] = list(events)
    extra = {"ClientId": client_id} if client_id else {}
    idp.set_risk_configuration(
        UserPoolId=pool, CompromisedCredentialsRiskConfiguration=configuration, **extra
    )


def events(idp: Any, pool: str, username: str = "alice") -> list[dict[str, Any]]:
    return idp.admin_list_user_auth_events(UserPoolId=pool, Username=username)["AuthEvents"]


def sign_up(idp: Any, client_id: str, password: str) -> dict[str, Any]:
    return idp.sign_up(ClientId=client_id, Username="alice", Password=password)


@pytest.fixture
def pool(idp: Any) -> str:
    return make_pool(idp, AutoVerifiedAttributes=["email"])


@pytest.fixture
def client_id(idp: Any, pool: str) -> str:
    return make_client_id(idp, pool, ExplicitAuthFlows=FLOWS)


# -- SignUp (SIGN_UP) ------------------------------------------------------------------------------


def test_sign_up_with_a_breached_password_is_refused_when_blocked(idp, pool, client_id):
    block(idp, pool)
    assert error_of(sign_up, idp, client_id, BREACHED) == BLOCKED
    assert idp.list_users(UserPoolId=pool)["Users"] == []


def test_sign_up_is_recorded_as_compromised_when_its_event_is_filtered_out(idp, pool, client_id):
    block(idp, pool, "SIGN_IN", "PASSWORD_CHANGE")
    sign_up(idp, client_id, BREACHED)
    (event,) = events(idp, pool)
    assert event["EventType"] == "SignUp"
    assert event["EventResponse"] == "Pass"
    assert event["EventRisk"]["CompromisedCredentialsDetected"] is True
    assert event["EventRisk"]["RiskDecision"] == "NoRisk"


def test_audit_and_no_action_let_a_breached_password_through(idp):
    audit = make_pool(idp, "AUDIT")
    audit_client = make_client_id(idp, audit)
    block(idp, audit)
    sign_up(idp, audit_client, BREACHED)
    assert events(idp, audit)[0]["EventRisk"]["CompromisedCredentialsDetected"] is True
    enforced = make_pool(idp)
    enforced_client = make_client_id(idp, enforced)
    block(idp, enforced, action="NO_ACTION")
    assert sign_up(idp, enforced_client, BREACHED)["UserSub"]


def test_a_clean_password_is_not_flagged(idp, pool, client_id):
    block(idp, pool)
    sign_up(idp, client_id, PASSWORD)
    assert events(idp, pool)[0]["EventRisk"]["CompromisedCredentialsDetected"] is False


def test_the_client_configuration_wins_over_the_pool(idp, pool, client_id):
    block(idp, pool)
    block(idp, pool, "SIGN_IN", client_id=client_id)
    assert sign_up(idp, client_id, BREACHED)["UserSub"]


# -- password changes (PASSWORD_CHANGE) -----------------------------------------------------------


def test_change_password_to_a_breached_one_is_refused_and_recorded(idp, pool, client_id):
    make_user(idp, pool, "alice")
    block(idp, pool, "PASSWORD_CHANGE")
    token = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    refused = error_of(
        idp.change_password, AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword=BREACHED
    )
    assert refused == BLOCKED
    event = events(idp, pool)[0]
    assert (event["EventType"], event["EventResponse"]) == ("PasswordChange", "Fail")
    assert event["EventRisk"]["RiskDecision"] == "Block"
    assert event["EventRisk"]["CompromisedCredentialsDetected"] is True
    # The password did not change.
    idp.change_password(AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword=NEW_PASSWORD)
    assert events(idp, pool)[0]["EventRisk"]["CompromisedCredentialsDetected"] is False


def test_confirm_forgot_password_with_a_breached_password_is_refused(emulator, idp, pool, client_id):
    make_user(idp, pool, "alice", email="alice@example.com", email_verified="true")
    block(idp, pool, "PASSWORD_CHANGE")
    idp.forgot_password(ClientId=client_id, Username="alice")
    code = emulator.outbox.last_code("alice")
    refused = error_of(
        idp.confirm_forgot_password,
        ClientId=client_id,
        Username="alice",
        ConfirmationCode=code,
        Password=BREACHED,
    )
    assert refused == BLOCKED
    # The code is still good for another password.
    idp.confirm_forgot_password(
        ClientId=client_id, Username="alice", ConfirmationCode=code, Password=NEW_PASSWORD
    )


def test_new_password_required_answer_with_a_breached_password_is_refused(idp, pool, client_id):
    make_user(idp, pool, "alice", password=None)
    block(idp, pool)
    challenge = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": TEMPORARY_PASSWORD},
    )
    refused = error_of(
        idp.respond_to_auth_challenge,
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "NEW_PASSWORD": BREACHED},
    )
    assert refused == BLOCKED
    assert idp.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "FORCE_CHANGE_PASSWORD"


def test_the_administrator_is_not_screened(idp, pool):
    block(idp, pool)
    make_user(idp, pool, "alice", password=BREACHED)
    assert idp.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "CONFIRMED"
