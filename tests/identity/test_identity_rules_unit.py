"""Pure logic of identity pools: rule matching and opaque login ids."""

from __future__ import annotations

import base64

import pytest

from cognito_emu.identity import logins, role_mapping


@pytest.mark.parametrize(
    "match_type, expected, actual, result",
    [
        ("Equals", "a", "a", True),
        ("Equals", "a", "ab", False),
        ("Equals", "admins", ["users", "admins"], True),
        ("Contains", "dmi", "admins", True),
        ("Contains", "admins", ["users", "admins"], True),
        ("StartsWith", "ad", "admins", True),
        ("StartsWith", "dm", "admins", False),
        ("NotEqual", "free", "gold", True),
        ("NotEqual", "free", "free", False),
        ("NotEqual", "free", None, True),
        ("Equals", "free", None, False),
        ("Equals", "true", True, True),
    ],
)
def test_rule_matches(match_type, expected, actual, result):
    assert role_mapping.rule_matches(match_type, expected, actual) is result


def test_saml_user_is_the_name_id():
    assertion = '<saml:Assertion><saml:Subject><saml:NameID Format="x">jane@corp</saml:NameID></saml:Subject></saml:Assertion>'
    assert logins._saml_user(base64.b64encode(assertion.encode()).decode()) == "jane@corp"
    assert logins._saml_user("opaque") == "opaque"


def test_opaque_social_login():
    assert logins._opaque_login("graph.facebook.com", "EAAB-token").user == "EAAB-token"
