from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError

from tests.api.support import boto_client, error_of

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"


def test_prefix_domain_create_and_describe(idp, pool_id, emulator):
    emulator.clock.set(1_700_000_000)
    created = idp.create_user_pool_domain(UserPoolId=pool_id, Domain="my-app-auth")
    assert created["ManagedLoginVersion"] == 1
    assert "CloudFrontDomain" not in created
    description = idp.describe_user_pool_domain(Domain="my-app-auth")["DomainDescription"]
    assert description["UserPoolId"] == pool_id
    assert description["AWSAccountId"] == "123456789012"
    assert description["Domain"] == "my-app-auth"
    assert description["Status"] == "ACTIVE"
    assert description["ManagedLoginVersion"] == 1
    assert description["Version"] == "20231114221320"
    assert re.fullmatch(r"d[0-9a-f]{13}\.cloudfront\.net", description["CloudFrontDistribution"])
    assert description["S3Bucket"]
    assert "CustomDomainConfig" not in description
    assert emulator.state.find_pool(pool_id).domain == "my-app-auth"
    assert emulator.state.domain_index["my-app-auth"] == pool_id


def test_describe_unknown_domain_is_empty(idp):
    assert idp.describe_user_pool_domain(Domain="nobody-has-this")["DomainDescription"] == {}


def test_custom_domain(idp, pool_id):
    created = idp.create_user_pool_domain(
        UserPoolId=pool_id, Domain="authexamplecom", CustomDomainConfig={"CertificateArn": CERT}
    )
    assert re.fullmatch(r"d[0-9a-f]{13}\.cloudfront\.net", created["CloudFrontDomain"])
    description = idp.describe_user_pool_domain(Domain="authexamplecom")["DomainDescription"]
    assert description["CustomDomainConfig"] == {"CertificateArn": CERT}
    assert description["CloudFrontDistribution"] == created["CloudFrontDomain"]


def test_custom_domain_fully_qualified(idp, pool_id):
    # The model's DomainType pattern is a single label; Cognito takes fully qualified custom domains.
    idp.create_user_pool_domain(
        UserPoolId=pool_id, Domain="auth.example.com", CustomDomainConfig={"CertificateArn": CERT}
    )
    described = idp.describe_user_pool_domain(Domain="auth.example.com")["DomainDescription"]
    assert described["UserPoolId"] == pool_id


def test_prefix_domain_is_one_label(idp, pool_id):
    with pytest.raises(ClientError) as err:
        idp.create_user_pool_domain(UserPoolId=pool_id, Domain="two.labels")
    assert err.value.response["Error"]["Code"] == "InvalidParameterException"


def test_pool_takes_one_prefix_and_one_custom_domain(idp, pool_id):
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain="first-prefix")
    idp.create_user_pool_domain(
        UserPoolId=pool_id, Domain="customdomain", CustomDomainConfig={"CertificateArn": CERT}
    )
    assert error_of(idp.create_user_pool_domain, UserPoolId=pool_id, Domain="second-prefix") == (
        "InvalidParameterException",
        "User pool already has a domain configured.",
    )
    code, _ = error_of(
        idp.create_user_pool_domain,
        UserPoolId=pool_id,
        Domain="secondcustom",
        CustomDomainConfig={"CertificateArn": CERT},
    )
    assert code == "InvalidParameterException"


def test_domain_taken_by_another_pool(idp, pool_id):
    other = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain="taken")
    assert error_of(idp.create_user_pool_domain, UserPoolId=other, Domain="taken") == (
        "InvalidParameterException",
        "Domain already associated with another user pool.",
    )


def test_domain_taken_in_another_account(emulator, idp, pool_id):
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain="shared-name")
    elsewhere = boto_client(emulator, aws_access_key_id="210987654321", region_name="eu-west-1")
    other = elsewhere.create_user_pool(PoolName="other")["UserPool"]["Id"]
    code, _ = error_of(elsewhere.create_user_pool_domain, UserPoolId=other, Domain="shared-name")
    assert code == "InvalidParameterException"
    # Another account sees nothing of it.
    assert elsewhere.describe_user_pool_domain(Domain="shared-name")["DomainDescription"] == {}


@pytest.mark.parametrize("word", ["aws", "amazon", "cognito"])
def test_prefix_reserved_words(idp, pool_id, word):
    assert error_of(idp.create_user_pool_domain, UserPoolId=pool_id, Domain=f"my-{word}-login") == (
        "InvalidParameterException",
        f"Domain cannot contain reserved word: {word}",
    )


def test_domain_pattern_from_model(idp, pool_id):
    code, message = error_of(idp.create_user_pool_domain, UserPoolId=pool_id, Domain="Bad_Domain")
    assert code == "InvalidParameterException"
    assert "domain" in message


def test_create_in_unknown_pool(idp):
    code, _ = error_of(idp.create_user_pool_domain, UserPoolId="us-east-1_missing", Domain="d")
    assert code == "ResourceNotFoundException"


def test_managed_login_version(idp, pool_id):
    created = idp.create_user_pool_domain(UserPoolId=pool_id, Domain="branded", ManagedLoginVersion=2)
    assert created["ManagedLoginVersion"] == 2
    code, _ = error_of(
        idp.update_user_pool_domain, UserPoolId=pool_id, Domain="branded", ManagedLoginVersion=3
    )
    assert code == "InvalidParameterException"


def test_managed_login_needs_more_than_lite(idp):
    lite = idp.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    code, _ = error_of(
        idp.create_user_pool_domain, UserPoolId=lite, Domain="lite-login", ManagedLoginVersion=2
    )
    assert code == "FeatureUnavailableInTierException"


def test_routing_only_for_custom_domains(idp, pool_id):
    routing = {"Failover": {"SecondaryRegion": "us-west-2", "PrimaryRoute53HealthCheckId": "hc-1"}}
    code, _ = error_of(idp.create_user_pool_domain, UserPoolId=pool_id, Domain="prefixed", Routing=routing)
    assert code == "InvalidParameterException"
    created = idp.create_user_pool_domain(
        UserPoolId=pool_id,
        Domain="customrouted",
        CustomDomainConfig={"CertificateArn": CERT},
        Routing=routing,
    )
    assert created["Routing"] == routing
    assert idp.describe_user_pool_domain(Domain="customrouted")["DomainDescription"]["Routing"] == routing


def test_update_domain(idp, pool_id, emulator):
    emulator.clock.set(1_700_000_000)
    idp.create_user_pool_domain(
        UserPoolId=pool_id, Domain="customdomain", CustomDomainConfig={"CertificateArn": CERT}
    )
    emulator.clock.advance(3600)
    new_cert = CERT.replace("11111111", "99999999")
    updated = idp.update_user_pool_domain(
        UserPoolId=pool_id,
        Domain="customdomain",
        ManagedLoginVersion=2,
        CustomDomainConfig={"CertificateArn": new_cert},
    )
    assert updated["ManagedLoginVersion"] == 2
    assert "CloudFrontDomain" in updated
    description = idp.describe_user_pool_domain(Domain="customdomain")["DomainDescription"]
    assert description["ManagedLoginVersion"] == 2
    assert description["CustomDomainConfig"] == {"CertificateArn": new_cert}
    assert description["Version"] == "20231114231320"


def test_update_prefix_domain_with_certificate_rejected(idp, pool_id):
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain="prefix-only")
    code, _ = error_of(
        idp.update_user_pool_domain,
        UserPoolId=pool_id,
        Domain="prefix-only",
        CustomDomainConfig={"CertificateArn": CERT},
    )
    assert code == "InvalidParameterException"


def test_update_or_delete_unknown_domain(idp, pool_id):
    other = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    idp.create_user_pool_domain(UserPoolId=other, Domain="not-yours")
    for call in (idp.update_user_pool_domain, idp.delete_user_pool_domain):
        for domain in ("missing", "not-yours"):
            assert error_of(call, UserPoolId=pool_id, Domain=domain) == (
                "InvalidParameterException",
                "No such domain or user pool exists.",
            )


def test_delete_domain_frees_the_name(idp, pool_id, emulator):
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain="reuse-me")
    idp.delete_user_pool_domain(UserPoolId=pool_id, Domain="reuse-me")
    assert idp.describe_user_pool_domain(Domain="reuse-me")["DomainDescription"] == {}
    assert "reuse-me" not in emulator.state.domain_index
    assert emulator.state.find_pool(pool_id).domain is None
    other = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    idp.create_user_pool_domain(UserPoolId=other, Domain="reuse-me")
    assert idp.describe_user_pool_domain(Domain="reuse-me")["DomainDescription"]["UserPoolId"] == other


def test_delete_custom_domain_keeps_prefix(idp, pool_id, emulator):
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain="keep-prefix")
    idp.create_user_pool_domain(
        UserPoolId=pool_id, Domain="dropcustom", CustomDomainConfig={"CertificateArn": CERT}
    )
    idp.delete_user_pool_domain(UserPoolId=pool_id, Domain="dropcustom")
    pool = emulator.state.find_pool(pool_id)
    assert (pool.domain, pool.custom_domain) == ("keep-prefix", None)
    assert idp.describe_user_pool_domain(Domain="keep-prefix")["DomainDescription"]["Domain"] == "keep-prefix"


def test_pool_with_a_domain_cannot_be_deleted(idp, pool_id):
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain="keeps-pool")
    with pytest.raises(ClientError) as err:
        idp.delete_user_pool(UserPoolId=pool_id)
    assert err.value.response["Error"]["Message"] == (
        "User pool cannot be deleted. It has a domain configured that should be deleted first."
    )
    idp.delete_user_pool_domain(UserPoolId=pool_id, Domain="keeps-pool")
    idp.delete_user_pool(UserPoolId=pool_id)
