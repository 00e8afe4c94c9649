"""Threat protection scores every kind of sign-in, not only a password's: USER_AUTH's one-time codes and
passkeys, and CUSTOM_AUTH (under AdvancedSecurityAdditionalFlows CustomAuthMode); a risk a test set for
the next sign-in applies to them all (idp.signin.risk)."""

from __future__ import annotations

import json
from typing import Any

from cognito_emu.idp.signin import risk
from tests.api.support import PASSWORD, error_of, make_user
from tests.api.test_threat_protection import last_event, takeover
from tests.api.test_webauthn import RP_ID, Authenticator, register

EMAIL = {"email": "alice@example.com", "email_verified": "true"}


def guarded_pool(
    idp: Any, mode: str = "ENFORCED", factors: tuple[str, ...] = ("PASSWORD", "EMAIL_OTP"), **add_ons: Any
) -> str:
    return idp.create_user_pool(
        PoolName="guarded",
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": list(factors)}},
        UserPoolTier="PLUS",
        UserPoolAddOns={"AdvancedSecurityMode": mode, **add_ons},
    )["UserPool"]["Id"]


def user_auth_client(idp: Any, pool: str) -> str:
    return idp.create_user_pool_client(
        UserPoolId=pool,
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]


def respond(
    idp: Any, client_id: str, challenge: dict[str, Any], context: dict[str, str] | None = None, **answers: str
) -> dict[str, Any]:
    return idp.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName=challenge["ChallengeName"],
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", **answers},
        **({"UserContextData": context} if context else {}),
    )


def email_otp_sign_in(emulator: Any, idp: Any, client_id: str) -> dict[str, Any]:
    challenge = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"},
        UserContextData={"IpAddress": "198.51.100.7"},
    )
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    # The answer proves the first factor: the sign-in is judged with the answer's context data.
    code = emulator.outbox.last_code("alice")
    return respond(idp, client_id, challenge, {"IpAddress": "198.51.100.7"}, EMAIL_OTP_CODE=code)


# -- one-time codes --------------------------------------------------------------------------------


def test_an_email_otp_sign_in_is_scored_and_recorded(emulator, idp):
    pool = guarded_pool(idp, "AUDIT")
    client_id = user_auth_client(idp, pool)
    make_user(idp, pool, **EMAIL)
    emulator.set_next_sign_in_risk(pool, "alice", "MEDIUM")
    assert email_otp_sign_in(emulator, idp, client_id)["AuthenticationResult"]["AccessToken"]
    event = last_event(idp, pool)
    assert (event["EventType"], event["EventResponse"]) == ("SignIn", "Pass")
    assert event["EventRisk"] == {
        "RiskDecision": "NoRisk",
        "RiskLevel": "Medium",
        "CompromisedCredentialsDetected": False,
    }
    assert event["EventContextData"] == {"IpAddress": "198.51.100.7"}


def test_an_email_otp_sign_in_is_blocked_in_enforced_mode(emulator, idp):
    pool = guarded_pool(idp)
    client_id = user_auth_client(idp, pool)
    make_user(idp, pool, **EMAIL)
    idp.set_risk_configuration(UserPoolId=pool, AccountTakeoverRiskConfiguration=takeover("High", "BLOCK"))
    emulator.set_next_sign_in_risk(pool, "alice", "HIGH")
    assert error_of(email_otp_sign_in, emulator, idp, client_id) == ("NotAuthorizedException", risk.BLOCKED)
    assert last_event(idp, pool)["EventRisk"]["RiskDecision"] == "Block"


def test_a_passwordless_sign_in_has_no_mfa_step_to_add(emulator, idp):
    pool = guarded_pool(idp)
    client_id = user_auth_client(idp, pool)
    make_user(idp, pool, **EMAIL)
    idp.set_risk_configuration(
        UserPoolId=pool, AccountTakeoverRiskConfiguration=takeover("Medium", "MFA_IF_CONFIGURED")
    )
    emulator.set_next_sign_in_risk(pool, "alice", "MEDIUM")
    assert "AuthenticationResult" in email_otp_sign_in(emulator, idp, client_id)
    idp.set_risk_configuration(
        UserPoolId=pool, AccountTakeoverRiskConfiguration=takeover("Medium", "MFA_REQUIRED")
    )
    emulator.set_next_sign_in_risk(pool, "alice", "MEDIUM")
    assert error_of(email_otp_sign_in, emulator, idp, client_id) == ("NotAuthorizedException", risk.BLOCKED)


# -- passkeys --------------------------------------------------------------------------------------


def test_a_passkey_sign_in_is_scored_and_blocked(emulator, idp):
    pool = guarded_pool(idp, factors=("PASSWORD", "WEB_AUTHN"))
    idp.set_user_pool_mfa_config(
        UserPoolId=pool, MfaConfiguration="OFF", WebAuthnConfiguration={"RelyingPartyId": RP_ID}
    )
    client_id = user_auth_client(idp, pool)
    make_user(idp, pool)
    token = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    authenticator = Authenticator()
    register(idp, token, authenticator)
    idp.set_risk_configuration(UserPoolId=pool, AccountTakeoverRiskConfiguration=takeover("High", "BLOCK"))

    def passkey_sign_in() -> dict[str, Any]:
        challenge = idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": "alice", "PREFERRED_CHALLENGE": "WEB_AUTHN"},
        )
        options = json.loads(challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
        return respond(idp, client_id, challenge, CREDENTIAL=json.dumps(authenticator.get(options)))

    assert "AuthenticationResult" in passkey_sign_in()
    assert last_event(idp, pool)["EventResponse"] == "Pass"
    emulator.set_next_sign_in_risk(pool, "alice", "HIGH")
    assert error_of(passkey_sign_in) == ("NotAuthorizedException", risk.BLOCKED)


# -- CUSTOM_AUTH -----------------------------------------------------------------------------------

DEFINE = "arn:aws:lambda:us-east-1:123456789012:function:define-risky"


def issue_tokens(event: dict[str, Any], context: Any) -> dict[str, Any]:
    event["response"] = {"issueTokens": True, "failAuthentication": False}
    return event


def custom_auth_pool(emulator: Any, idp: Any, **flows: str) -> tuple[str, str]:
    extra = {"AdvancedSecurityAdditionalFlows": flows} if flows else {}
    pool = idp.create_user_pool(
        PoolName="custom",
        LambdaConfig={"DefineAuthChallenge": DEFINE},
        UserPoolTier="PLUS",
        UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED", **extra},
    )["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="app", ExplicitAuthFlows=["ALLOW_CUSTOM_AUTH"]
    )["UserPoolClient"]["ClientId"]
    make_user(idp, pool)
    idp.set_risk_configuration(UserPoolId=pool, AccountTakeoverRiskConfiguration=takeover("High", "BLOCK"))
    return pool, client_id


def custom_sign_in(idp: Any, client_id: str) -> dict[str, Any]:
    return idp.initiate_auth(ClientId=client_id, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "alice"})


def test_custom_auth_is_audited_unless_its_mode_is_enforced(emulator, idp):
    emulator.triggers.register(DEFINE, issue_tokens)
    try:
        pool, client_id = custom_auth_pool(emulator, idp)
        emulator.set_next_sign_in_risk(pool, "alice", "HIGH")
        assert "AuthenticationResult" in custom_sign_in(idp, client_id)
        assert last_event(idp, pool)["EventRisk"]["RiskLevel"] == "High"
        assert last_event(idp, pool)["EventRisk"]["RiskDecision"] == "NoRisk"
        pool, client_id = custom_auth_pool(emulator, idp, CustomAuthMode="ENFORCED")
        emulator.set_next_sign_in_risk(pool, "alice", "HIGH")
        assert error_of(custom_sign_in, idp, client_id) == ("NotAuthorizedException", risk.BLOCKED)
    finally:
        emulator.triggers.unregister(DEFINE)
