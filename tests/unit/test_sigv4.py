"""Account and region from the SigV4 credential scope; signatures are never checked."""

from __future__ import annotations

import pytest

from cognito_emu.protocol.sigv4 import caller


def header(key: str, region: str = "eu-west-1", service: str = "cognito-idp") -> str:
    return (
        f"AWS4-HMAC-SHA256 Credential={key}/20240101/{region}/{service}/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=deadbeef"
    )


def test_unsigned_uses_defaults():
    found = caller(None, "123456789012", "us-east-1")
    assert (found.account, found.region, found.signed, found.access_key) == (
        "123456789012",
        "us-east-1",
        False,
        None,
    )


@pytest.mark.parametrize("value", ["", "Bearer abc", "AWS4-HMAC-SHA256 SignedHeaders=host"])
def test_not_sigv4_is_unsigned(value):
    assert caller(value, "123456789012", "us-east-1").signed is False


def test_region_from_scope_and_any_key_is_the_default_account():
    found = caller(header("AKIAIOSFODNN7EXAMPLE"), "123456789012", "us-east-1")
    assert (found.account, found.region, found.signed) == ("123456789012", "eu-west-1", True)
    assert found.access_key == "AKIAIOSFODNN7EXAMPLE"


def test_twelve_digit_key_is_an_account():
    found = caller(header("111122223333"), "123456789012", "us-east-1")
    assert found.account == "111122223333"


@pytest.mark.parametrize("key", ["11112222333", "1111222233334", "11112222333x"])
def test_other_keys_are_not_accounts(key):
    assert caller(header(key), "123456789012", "us-east-1").account == "123456789012"


def test_short_scope_keeps_the_default_region():
    found = caller("AWS4-HMAC-SHA256 Credential=AKID/20240101, Signature=0", "123456789012", "us-east-1")
    assert found.region == "us-east-1"
    assert found.signed is True


def test_without_spaces_after_commas():
    value = header("AKID", "ap-northeast-1").replace(", ", ",")
    assert caller(value, "123456789012", "us-east-1").region == "ap-northeast-1"
