"""Threat protection a test can drive: risk scored per sign-in, recorded in AUDIT, acted on in ENFORCED.

Risk comes from what the emulator can know (a breached password, a burst of failures, a new IP address
or device) or from the test itself (``POST /_emu/risk``, ``Emulator.set_next_sign_in_risk``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_emu.idp.signin import risk
from tests.api.support import PASSWORD, code_of, error_of, make_client_id, make_user, message_of, send

FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
BREACHED = "P@ssw0rd1"


def make_pool(idp: Any, mode: str = "ENFORCED", **settings: Any) -> str:
    return idp.create_user_pool(
        PoolName="guarded", UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": mode}, **settings
    )["UserPool"]["Id"]


def takeover(level: str, action: str, notify: bool = False, **notify_configuration: Any) -> dict[str, Any]:
    configuration: dict[str, Any] = {"Actions": {f"{level}Action": {"EventAction": action, "Notify": notify}}}
    if notify_configuration:
        configuration["NotifyConfiguration"] = {
            "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/x",
            **notify_configuration,
        }
    return configuration


def sign_in(
    idp: Any, client_id: str, password: str = PASSWORD, ip: str | None = None, device: str | None = None
) -> dict[str, Any]:
    context = {key: value for key, value in (("IpAddress", ip), ("EncodedData", device)) if value}
    extra = {"UserContextData": context} if context else {}
    return idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": password},
        **extra,
    )


def last_event(idp: Any, pool: str) -> dict[str, Any]:
    return idp.admin_list_user_auth_events(UserPoolId=pool, Username="alice")["AuthEvents"][0]


def set_risk(emulator: Any, pool: str, level: str | None, username: str = "alice") -> Any:
    body = json.dumps({"userPoolId": pool, "username": username, "riskLevel": level}).encode()
    return send(emulator, "POST", "/_emu/risk", body, {"Content-Type": "application/json"})


@pytest.fixture
def pool(idp: Any) -> str:
    return make_pool(idp)


@pytest.fixture
def client_id(idp: Any, pool: str) -> str:
    return make_client_id(idp, pool, ExplicitAuthFlows=FLOWS)


@pytest.fixture
def alice(idp: Any, pool: str) -> None:
    make_user(idp, pool, "alice", email="alice@example.com", email_verified="true")


# -- the risk a test sets --------------------------------------------------------------------------


def test_audit_records_the_risk_a_test_set_and_lets_the_user_in(emulator, idp):
    pool = make_pool(idp, "AUDIT")
    client_id = make_client_id(idp, pool, ExplicitAuthFlows=FLOWS)
    make_user(idp, pool, "alice")
    answer = set_risk(emulator, pool, "HIGH")
    assert answer.status == 200
    assert json.loads(answer.body)["nextSignInRisk"] == "High"
    assert "AuthenticationResult" in sign_in(idp, client_id)
    assert last_event(idp, pool)["EventRisk"] == {
        "RiskDecision": "NoRisk",
        "RiskLevel": "High",
        "CompromisedCredentialsDetected": False,
    }
    # Once: the sign-in after it has no risk.
    sign_in(idp, client_id)
    assert last_event(idp, pool)["EventRisk"]["RiskLevel"] == "Low"


def test_enforced_block_answers_as_cognito_and_records_the_block(emulator, idp, pool, client_id, alice):
    idp.set_risk_configuration(UserPoolId=pool, AccountTakeoverRiskConfiguration=takeover("High", "BLOCK"))
    emulator.set_next_sign_in_risk(pool, "alice", "high")
    with pytest.raises(ClientError) as caught:
        sign_in(idp, client_id)
    assert code_of(caught) == "NotAuthorizedException"
    assert message_of(caught) == risk.BLOCKED
    event = last_event(idp, pool)
    assert event["EventResponse"] == "Fail"
    assert event["EventRisk"]["RiskDecision"] == "Block"
    assert event["EventRisk"]["RiskLevel"] == "High"
    assert "AuthenticationResult" in sign_in(idp, client_id)


def test_a_level_without_an_action_lets_the_user_in(emulator, idp, pool, client_id, alice):
    idp.set_risk_configuration(UserPoolId=pool, AccountTakeoverRiskConfiguration=takeover("High", "BLOCK"))
    emulator.set_next_sign_in_risk(pool, "alice", "MEDIUM")
    assert "AuthenticationResult" in sign_in(idp, client_id)


def test_the_clients_configuration_overrides_the_pools(emulator, idp, pool, client_id, alice):
    idp.set_risk_configuration(UserPoolId=pool, AccountTakeoverRiskConfiguration=takeover("High", "BLOCK"))
    idp.set_risk_configuration(
        UserPoolId=pool, ClientId=client_id, AccountTakeoverRiskConfiguration=takeover("High", "NO_ACTION")
    )
    emulator.set_next_sign_in_risk(pool, "alice", "HIGH")
    assert "AuthenticationResult" in sign_in(idp, client_id)


def test_mfa_required_asks_for_an_email_code_then_passes(emulator, idp):
    outbox = emulator.outbox
    pool = make_pool(idp)
    idp.set_user_pool_mfa_config(
        UserPoolId=pool,
        MfaConfiguration="OPTIONAL",
        EmailMfaConfiguration={"Message": "Your code: {####}", "Subject": "Sign-in code"},
    )
    client_id = make_client_id(idp, pool, ExplicitAuthFlows=FLOWS)
    make_user(idp, pool, "alice", email="alice@example.com", email_verified="true")
    idp.set_risk_configuration(
        UserPoolId=pool,
        AccountTakeoverRiskConfiguration=takeover(
            "Medium",
            "MFA_REQUIRED",
            notify=True,
            MfaEmail={"Subject": "Was it you?", "TextBody": "Hi {username}, from {ip-address}"},
        ),
    )
    emulator.set_next_sign_in_risk(pool, "alice", "MEDIUM")
    challenge = sign_in(idp, client_id, ip="203.0.113.7")
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    notice = [m for m in outbox.messages(username="alice") if m.reason == risk.NOTIFICATION][-1]
    assert notice.subject == "Was it you?"
    assert notice.body == "Hi alice, from 203.0.113.7"
    assert last_event(idp, pool)["EventResponse"] == "InProgress"
    code = outbox.last_code("alice")
    tokens = idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "EMAIL_OTP_CODE": code},
    )
    assert "AuthenticationResult" in tokens
    event = last_event(idp, pool)
    assert event["EventResponse"] == "Pass"
    assert event["EventRisk"]["RiskDecision"] == "AccountTakeover"
    assert event["EventContextData"] == {"IpAddress": "203.0.113.7"}
    assert {"ChallengeName": "Mfa", "ChallengeResponse": "Success"} in event["ChallengeResponses"]


def test_mfa_required_without_a_factor_blocks_and_if_configured_allows(emulator, idp, pool, client_id):
    make_user(idp, pool, "alice")  # no email, no phone, no TOTP: no factor is possible
    idp.set_risk_configuration(
        UserPoolId=pool,
        AccountTakeoverRiskConfiguration={
            "Actions": {
                "HighAction": {"EventAction": "MFA_REQUIRED", "Notify": False},
                "MediumAction": {"EventAction": "MFA_IF_CONFIGURED", "Notify": False},
            }
        },
    )
    emulator.set_next_sign_in_risk(pool, "alice", "HIGH")
    with pytest.raises(ClientError) as caught:
        sign_in(idp, client_id)
    assert message_of(caught) == risk.BLOCKED
    emulator.set_next_sign_in_risk(pool, "alice", "MEDIUM")
    assert "AuthenticationResult" in sign_in(idp, client_id)


def test_block_with_notify_sends_the_block_email(emulator, idp, pool, client_id, alice):
    outbox = emulator.outbox
    idp.set_risk_configuration(
        UserPoolId=pool, AccountTakeoverRiskConfiguration=takeover("Low", "BLOCK", notify=True)
    )
    emulator.set_next_sign_in_risk(pool, "alice", "LOW")
    with pytest.raises(ClientError):
        sign_in(idp, client_id)
    notice = outbox.messages(username="alice")[-1]
    assert (notice.reason, notice.channel, notice.destination) == (
        risk.NOTIFICATION,
        "EMAIL",
        "alice@example.com",
    )
    assert "alice" in notice.body


# -- what the emulator scores itself -------------------------------------------------------------


def test_a_breached_password_is_detected_and_blocked_when_configured(idp, pool, client_id):
    make_user(idp, pool, "alice", password=BREACHED)
    assert "AuthenticationResult" in sign_in(idp, client_id, BREACHED)
    assert last_event(idp, pool)["EventRisk"]["CompromisedCredentialsDetected"] is True
    idp.set_risk_configuration(
        UserPoolId=pool,
        CompromisedCredentialsRiskConfiguration={
            "EventFilter": ["SIGN_IN"],
            "Actions": {"EventAction": "BLOCK"},
        },
    )
    with pytest.raises(ClientError) as caught:
        sign_in(idp, client_id, BREACHED)
    assert code_of(caught) == "PasswordResetRequiredException"
    assert idp.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "RESET_REQUIRED"
    # ListUsers' status filter reads the user's status as it is now, though risk set it without re-indexing.
    found = idp.list_users(UserPoolId=pool, Filter='cognito:user_status = "RESET_REQUIRED"')["Users"]
    assert [user["Username"] for user in found] == ["alice"]


def test_a_new_ip_and_device_and_a_burst_of_failures_raise_the_level(idp, pool, client_id, alice):
    sign_in(idp, client_id, ip="198.51.100.1", device="laptop")
    assert last_event(idp, pool)["EventRisk"]["RiskLevel"] == "Low"
    sign_in(idp, client_id, ip="198.51.100.1", device="laptop")
    assert last_event(idp, pool)["EventRisk"] == {
        "RiskDecision": "NoRisk",
        "RiskLevel": "Low",
        "CompromisedCredentialsDetected": False,
    }
    for _ in range(3):
        with pytest.raises(ClientError):
            sign_in(idp, client_id, "Wr0ng-password!")
    idp.set_risk_configuration(UserPoolId=pool, AccountTakeoverRiskConfiguration=takeover("High", "BLOCK"))
    # New IP + new device + three failures: High.
    with pytest.raises(ClientError) as caught:
        sign_in(idp, client_id, ip="192.0.2.9", device="phone")
    assert message_of(caught) == risk.BLOCKED


def test_x_forwarded_for_is_the_ip_when_no_context_data(emulator, idp, pool, client_id, alice):
    body = json.dumps(
        {
            "ClientId": client_id,
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD},
        }
    ).encode()
    headers = {
        "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
        "Content-Type": "application/x-amz-json-1.1",
        "X-Forwarded-For": "203.0.113.50, 10.0.0.1",
    }
    assert send(emulator, "POST", "/", body, headers).status == 200
    assert last_event(idp, pool)["EventContextData"] == {"IpAddress": "203.0.113.50"}


def test_ip_exceptions(emulator, idp, pool, client_id, alice):
    idp.set_risk_configuration(
        UserPoolId=pool,
        AccountTakeoverRiskConfiguration=takeover("High", "BLOCK"),
        RiskExceptionConfiguration={
            "BlockedIPRangeList": ["192.0.2.0/24"],
            "SkippedIPRangeList": ["10.0.0.0/8"],
        },
    )
    with pytest.raises(ClientError) as caught:
        sign_in(idp, client_id, ip="192.0.2.10")
    assert (code_of(caught), message_of(caught)) == ("NotAuthorizedException", risk.IP_BLOCKED)
    emulator.set_next_sign_in_risk(pool, "alice", "HIGH")
    assert "AuthenticationResult" in sign_in(idp, client_id, ip="10.1.2.3")


# -- the control API and Python API ----------------------------------------------------------------


def test_control_api_errors(emulator, idp, pool, alice):
    assert set_risk(emulator, pool, "EXTREME").status == 400
    assert set_risk(emulator, "us-east-1_nothere", "HIGH").status == 404
    assert set_risk(emulator, pool, "HIGH", username="bob").status == 404
    assert json.loads(set_risk(emulator, pool, None).body)["nextSignInRisk"] is None
    bad = send(emulator, "POST", "/_emu/risk", b'{"userPoolId": 5}', {"Content-Type": "application/json"})
    assert bad.status == 400


@pytest.mark.parametrize("tier", ["ESSENTIALS", "LITE"])
def test_threat_protection_needs_the_plus_plan(idp, tier):
    """Threat protection "is available in the Plus feature plan": AUDIT or ENFORCED on another plan is
    refused with Cognito's FeatureUnavailableInTierException, at creation and at an update (one that
    leaves the add-ons out turns them off, so a pool can move down a plan)."""
    refused = (
        "FeatureUnavailableInTierException",
        f"The following features need to be disabled for the {tier} pricing tier configured: Threat Protection",
    )
    add_ons = {"AdvancedSecurityMode": "AUDIT"}
    assert error_of(idp.create_user_pool, PoolName="p", UserPoolTier=tier, UserPoolAddOns=add_ons) == refused
    pool_id = make_pool(idp)
    assert (
        error_of(idp.update_user_pool, UserPoolId=pool_id, UserPoolTier=tier, UserPoolAddOns=add_ons)
        == refused
    )
    off = {"AdvancedSecurityMode": "OFF"}
    idp.create_user_pool(PoolName="off", UserPoolTier=tier, UserPoolAddOns=off)
    idp.update_user_pool(UserPoolId=pool_id, UserPoolTier=tier)
    described = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["UserPoolTier"] == tier
    assert described.get("UserPoolAddOns", off) == off
