"""Threat protection in the hosted login: the sign-in form's sign-ins are scored, recorded and acted on
as the API's are (idp.signin.risk), with the caller's IP address from X-Forwarded-For."""

from __future__ import annotations

from typing import Any

from oauth_support import PASSWORD, Browser, Form, callback_params, make_pool, make_user, make_web_client

from cognito_emu.emulator import Emulator
from cognito_emu.idp.signin import risk


def _guarded(idp: Any, mode: str = "ENFORCED") -> tuple[str, str]:
    pool_id = make_pool(idp, UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": mode})
    make_user(idp, pool_id)
    return pool_id, make_web_client(idp, pool_id)["ClientId"]


def _events(idp: Any, pool_id: str) -> list[dict[str, Any]]:
    return idp.admin_list_user_auth_events(UserPoolId=pool_id, Username="alice")["AuthEvents"]


def _browser(emulator: Emulator, ip: str) -> Browser:
    browser = Browser(emulator.endpoint_url)
    browser.session.headers["X-Forwarded-For"] = f"{ip}, 10.0.0.1"
    return browser


def test_a_hosted_sign_in_is_recorded_with_its_risk_and_ip(emulator: Emulator, idp: Any) -> None:
    pool_id, client_id = _guarded(idp, "AUDIT")
    emulator.set_next_sign_in_risk(pool_id, "alice", "HIGH")
    assert callback_params(_browser(emulator, "203.0.113.9").sign_in(client_id))["code"]
    event = _events(idp, pool_id)[0]
    assert (event["EventType"], event["EventResponse"]) == ("SignIn", "Pass")
    assert event["EventRisk"]["RiskLevel"] == "High"
    assert event["EventContextData"] == {"IpAddress": "203.0.113.9"}


def test_enforced_blocks_a_risky_hosted_sign_in(emulator: Emulator, idp: Any) -> None:
    pool_id, client_id = _guarded(idp)
    idp.set_risk_configuration(
        UserPoolId=pool_id,
        AccountTakeoverRiskConfiguration={
            "Actions": {"HighAction": {"EventAction": "BLOCK", "Notify": False}}
        },
        RiskExceptionConfiguration={"BlockedIPRangeList": ["192.0.2.0/24"]},
    )
    emulator.set_next_sign_in_risk(pool_id, "alice", "HIGH")
    page = _browser(emulator, "198.51.100.1").sign_in(client_id)
    assert page.status_code == 200
    assert Form(page.text).error == risk.BLOCKED
    assert _events(idp, pool_id)[0]["EventRisk"]["RiskDecision"] == "Block"
    blocked = _browser(emulator, "192.0.2.44").sign_in(client_id, password=PASSWORD)
    assert Form(blocked.text).error == risk.IP_BLOCKED
