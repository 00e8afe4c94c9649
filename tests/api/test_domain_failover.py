"""A custom domain's ``Routing.Failover``: while the primary's Route 53 health check is unhealthy (set by
the test: ``POST /_emu/route53-health-checks``, ``Emulator.set_route53_health_check``), the domain's
hosted pages and OAuth endpoints are served by the replica in its SecondaryRegion."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.support import (
    CALLBACK,
    HostedPages,
    authorize_query,
    code_of,
    hosted_client,
    make_user,
    password_sign_in,
    send,
)
from tests.api.test_replicas import MULTI_REGION_KEY, SECONDARY, password_client, regional_client, replicate

CUSTOM_DOMAIN = "auth.example.com"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
HEALTH_CHECK = "abcdef11-2222-3333-4444-555555555555"


@pytest.fixture
def secondary(emulator: Any) -> Any:
    return regional_client(emulator, SECONDARY)


def failover_pool(
    idp: Any, secondary: Any, region: str = SECONDARY, activate: bool = True
) -> tuple[str, str]:
    """A replicated pool whose custom domain fails over to ``region``: (pool id, hosted client id)."""
    pool_id = idp.create_user_pool(PoolName="global", KeyConfiguration=MULTI_REGION_KEY)["UserPool"]["Id"]
    client_id = hosted_client(idp, pool_id)
    idp.create_user_pool_domain(
        UserPoolId=pool_id,
        Domain=CUSTOM_DOMAIN,
        CustomDomainConfig={"CertificateArn": CERT},
        Routing={"Failover": {"SecondaryRegion": region, "PrimaryRoute53HealthCheckId": HEALTH_CHECK}},
    )
    replicate(idp, pool_id)
    if activate:
        secondary.update_user_pool_replica(UserPoolId=pool_id, RegionName=SECONDARY, Status="ACTIVE")
    make_user(idp, pool_id)
    return pool_id, client_id


def custom_domain(emulator: Any) -> HostedPages:
    return HostedPages(emulator, "us-east-1", host=CUSTOM_DOMAIN)


def health_check(emulator: Any, healthy: bool, health_check_id: str = HEALTH_CHECK) -> Any:
    body = json.dumps({"id": health_check_id, "healthy": healthy}).encode()
    return send(emulator, "POST", "/_emu/route53-health-checks", body, {"Content-Type": "application/json"})


def test_an_unhealthy_primary_sends_the_custom_domain_to_the_secondary_and_back(emulator, idp, secondary):
    _, client_id = failover_pool(idp, secondary)
    pages = custom_domain(emulator)
    query = authorize_query(client_id)
    assert pages.request("GET", f"/signup?{query}").status == 200
    emulator.set_route53_health_check(HEALTH_CHECK, False)
    # The secondary serves it now: it creates no users, so the sign-up page is refused there.
    refused = pages.request("GET", f"/signup?{query}")
    assert refused.status == 400
    assert b"not available in a secondary replica" in refused.body
    signed_in = pages.sign_in(client_id)
    assert signed_in.status == 302
    assert signed_in.headers["Location"].startswith(f"{CALLBACK}?code=")
    # The localhost path form of the custom domain fails over with it.
    assert send(emulator, "GET", f"/_oauth/{CUSTOM_DOMAIN}/signup?{query}").status == 400
    # Another health check says nothing about this domain.
    emulator.set_route53_health_check(HEALTH_CHECK, True)
    emulator.set_route53_health_check("another-check", False)
    assert pages.request("GET", f"/signup?{query}").status == 200
    # The prefix domain has no routing: the primary serves it whatever the health check says.
    emulator.set_route53_health_check(HEALTH_CHECK, False)
    assert HostedPages(emulator, "us-east-1").request("GET", f"/signup?{query}").status == 200


def test_a_failed_over_domain_counts_failed_sign_ins_in_the_secondary(emulator, idp, secondary):
    pool_id, client_id = failover_pool(idp, secondary)
    api_client = password_client(idp, pool_id)
    for _ in range(6):
        assert (
            code_of(password_sign_in, idp, api_client, password="Wrong-Passw0rd!") == "NotAuthorizedException"
        )
    # Locked out in the primary's Region, the custom domain's sign-in fails there...
    assert custom_domain(emulator).sign_in(client_id).status == 200
    # ...and succeeds once the domain has failed over: each Region counts its own failures.
    health_check(emulator, False)
    signed_in = custom_domain(emulator).sign_in(client_id)
    assert signed_in.status == 302
    assert signed_in.headers["Location"].startswith(f"{CALLBACK}?code=")


def test_failing_over_to_an_inactive_replica_or_a_region_without_one_serves_nothing(emulator, idp, secondary):
    _, client_id = failover_pool(idp, secondary, activate=False)
    emulator.set_route53_health_check(HEALTH_CHECK, False)
    query = authorize_query(client_id)
    inactive = custom_domain(emulator).request("GET", f"/login?{query}")
    assert inactive.status == 400
    assert b"INACTIVE" in inactive.body
    emulator.reset()
    failover_pool(idp, secondary, region="ap-south-1")
    emulator.set_route53_health_check(HEALTH_CHECK, False)
    nowhere = custom_domain(emulator).request("GET", f"/login?{query}")
    assert nowhere.status == 400
    assert b"has no replica" in nowhere.body


def test_the_control_api_sets_a_health_check_and_reset_makes_it_healthy(emulator, idp, secondary):
    _, client_id = failover_pool(idp, secondary)
    answer = health_check(emulator, False)
    assert answer.status == 200
    assert json.loads(answer.body) == {"id": HEALTH_CHECK, "healthy": False}
    query = authorize_query(client_id)
    assert custom_domain(emulator).request("GET", f"/signup?{query}").status == 400
    assert send(emulator, "POST", "/_emu/reset").status == 200
    _, client_id = failover_pool(idp, secondary)
    assert custom_domain(emulator).request("GET", f"/signup?{authorize_query(client_id)}").status == 200


@pytest.mark.parametrize(
    "body", [b'{"healthy": false}', b'{"id": "hc", "healthy": "no"}', b'{"id": "", "healthy": true}', b"[]"]
)
def test_the_control_api_refuses_a_malformed_health_check(emulator, body):
    answer = send(emulator, "POST", "/_emu/route53-health-checks", body, {"Content-Type": "application/json"})
    assert answer.status == 400


def test_the_failover_is_the_domains_own_routing(emulator, idp, secondary):
    pool_id, client_id = failover_pool(idp, secondary)
    emulator.set_route53_health_check(HEALTH_CHECK, False)
    # Routing changed to a health check that is healthy: the primary serves the domain again.
    idp.update_user_pool_domain(
        UserPoolId=pool_id,
        Domain=CUSTOM_DOMAIN,
        Routing={"Failover": {"SecondaryRegion": SECONDARY, "PrimaryRoute53HealthCheckId": "healthy-check"}},
    )
    assert custom_domain(emulator).request("GET", f"/signup?{authorize_query(client_id)}").status == 200
    assert idp.describe_user_pool_domain(Domain=CUSTOM_DOMAIN)["DomainDescription"]["Routing"] == {
        "Failover": {"SecondaryRegion": SECONDARY, "PrimaryRoute53HealthCheckId": "healthy-check"}
    }
