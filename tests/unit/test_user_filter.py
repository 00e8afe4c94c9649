"""The ListUsers Filter grammar (ListUsers API reference, "Filter")."""

from __future__ import annotations

import pytest

from cognito_emu.errors import InvalidParameterException
from cognito_emu.idp.users.filters import PARSE_ERROR_MESSAGE, SEARCHABLE_ATTRIBUTES, UserFilter, parse_filter

PARSED = [
    # The docs' own examples.
    ('family_name = "Reddy"', "family_name", "=", "Reddy"),
    ('given_name ^= "Jon"', "given_name", "^=", "Jon"),
    # Whitespace is optional around the operator and allowed around the whole filter.
    ('email="a@example.com"', "email", "=", "a@example.com"),
    ('email^="a@"', "email", "^=", "a@"),
    ('  phone_number   =   "+15555550100"  ', "phone_number", "=", "+15555550100"),
    ('\tname\t=\t"Ann"\n', "name", "=", "Ann"),
    # Whitespace inside the quotes is part of the value.
    ('name = " Ann  Lee "', "name", "=", " Ann  Lee "),
    # Escapes: \" is a quote, \\ a backslash, any other escaped character is itself.
    (r'name = "say \"hi\""', "name", "=", 'say "hi"'),
    (r'name = "back\\slash"', "name", "=", "back\\slash"),
    (r'name = "ends with\\"', "name", "=", "ends with\\"),
    (r'name = "\a"', "name", "=", "a"),
    # Characters that look like grammar are plain text inside the quotes.
    ('name = "a = \\"b\\" ^= c"', "name", "=", 'a = "b" ^= c'),
    ('name = "line\nbreak"', "name", "=", "line\nbreak"),
    # An empty value is accepted.
    ('email = ""', "email", "=", ""),
    ('email ^= ""', "email", "^=", ""),
    # Unicode values.
    ('given_name = "Zoë"', "given_name", "=", "Zoë"),
    ('family_name ^= "日本"', "family_name", "^=", "日本"),
    ('name = "😀"', "name", "=", "😀"),
    # Every documented searchable attribute, with its spelling kept.
    ('username = "bob"', "username", "=", "bob"),
    ('preferred_username = "bobby"', "preferred_username", "=", "bobby"),
    ('cognito:user_status = "CONFIRMED"', "cognito:user_status", "=", "CONFIRMED"),
    ('status = "Enabled"', "status", "=", "Enabled"),
    ('sub = "6a1e0c1c-0000-4000-8000-000000000000"', "sub", "=", "6a1e0c1c-0000-4000-8000-000000000000"),
]


@pytest.mark.parametrize(("text", "attribute", "operator", "value"), PARSED)
def test_parses(text: str, attribute: str, operator: str, value: str) -> None:
    parsed = parse_filter(text)
    assert parsed is not None
    assert (parsed.attribute, parsed.operator, parsed.value) == (attribute, operator, value)
    assert parsed.is_prefix == (operator == "^=")


@pytest.mark.parametrize("text", ["", " ", "\t\n"])
def test_empty_filter_means_no_filter(text: str) -> None:
    assert parse_filter(text) is None


PARSE_ERRORS = [
    "foo",  # aws/aws-sdk-php#1088: a bare word
    "email",
    'email "a"',  # no operator
    "email = a@example.com",  # value not quoted
    "username = foo",
    "username=",
    "email = 'a@example.com'",  # single quotes are not quotes here
    'email = "a@example.com',  # unterminated
    'email = a@example.com"',
    r'email = "a@example.com\"',  # the closing quote is escaped
    'email == "a"',
    'email != "a"',
    'email ~= "a"',
    'email ^ "a"',
    'email =^ "a"',
    'email $= "a"',
    '= "a"',  # no attribute
    '"email" = "a"',  # quoted attribute
    'email = "a" extra',  # trailing text
    'email = "a""b"',  # the value closes at the first unescaped quote
    'email = "a" and name = "b"',  # one condition only
    'email = "a", name = "b"',
    'given name = "a"',  # the attribute is one token
]


@pytest.mark.parametrize("text", PARSE_ERRORS)
def test_parse_errors(text: str) -> None:
    with pytest.raises(InvalidParameterException) as caught:
        parse_filter(text)
    assert caught.value.message == PARSE_ERROR_MESSAGE == "Error while parsing filter."
    assert caught.value.code == "InvalidParameterException"


ATTRIBUTE_ERRORS = [
    ('custom:foo = "bar"', "custom:foo"),  # custom attributes are not searchable
    ('custom:tier ^= "gold"', "custom:tier"),
    ('dev:custom:foo = "bar"', "dev:custom:foo"),
    ('address = "x"', "address"),  # standard but not searchable
    ('email_verified = "true"', "email_verified"),
    ('phone_number_verified = "true"', "phone_number_verified"),
    ('updated_at = "0"', "updated_at"),
    ('enabled = "true"', "enabled"),  # the console's name, not the filter's
    ('user_status = "CONFIRMED"', "user_status"),
    ('Email = "a"', "Email"),  # names are spelled exactly
    ('USERNAME = "a"', "USERNAME"),
    ('émail = "a"', "émail"),
]


@pytest.mark.parametrize(("text", "attribute"), ATTRIBUTE_ERRORS)
def test_unsearchable_attributes(text: str, attribute: str) -> None:
    with pytest.raises(InvalidParameterException) as caught:
        parse_filter(text)
    assert caught.value.message == f"Invalid search attribute: {attribute}"


def test_syntax_is_checked_before_the_attribute() -> None:
    with pytest.raises(InvalidParameterException) as caught:
        parse_filter("custom:foo = bar")
    assert caught.value.message == PARSE_ERROR_MESSAGE


def test_searchable_attribute_list_is_the_documented_one() -> None:
    assert set(SEARCHABLE_ATTRIBUTES) == {
        "username",
        "email",
        "phone_number",
        "name",
        "given_name",
        "family_name",
        "preferred_username",
        "cognito:user_status",
        "status",
        "sub",
    }


def _filter(text: str, *, case_sensitive_usernames: bool = True) -> UserFilter:
    parsed = parse_filter(text, case_sensitive_usernames=case_sensitive_usernames)
    assert parsed is not None
    return parsed


MATCHES = [
    ('email = "a@example.com"', "a@example.com", True),
    ('email = "a@example.com"', "a@example.com.au", False),
    ('email = "a@example.com"', "A@example.com", False),
    ('email ^= "a@"', "a@example.com", True),
    ('email ^= "a@"', "ba@example.com", False),
    ('email ^= ""', "anything", True),
    ('email = ""', "", True),
    ('email = ""', "x", False),
    ('username = "Bob"', "Bob", True),
    ('username = "Bob"', "bob", False),  # documented as case-sensitive
    ('username ^= "Bo"', "bob", False),
    ('cognito:user_status = "confirmed"', "CONFIRMED", True),  # documented as case-insensitive
    ('cognito:user_status ^= "force_"', "FORCE_CHANGE_PASSWORD", True),
    ('cognito:user_status = "CONFIRMED"', "UNCONFIRMED", False),
    ('status = "Enabled"', "Enabled", True),
    ('status = "enabled"', "Enabled", False),  # documented as case-sensitive
    ('status = "Disabled"', "Enabled", False),
    ('given_name ^= "Zo"', "Zoë", True),
    ('family_name = "日本"', "日本", True),
]


@pytest.mark.parametrize(("text", "stored", "expected"), MATCHES)
def test_matches(text: str, stored: str, expected: bool) -> None:
    assert _filter(text).matches(stored) is expected


@pytest.mark.parametrize("text", ['email = ""', 'email ^= ""', 'cognito:user_status ^= ""'])
def test_a_missing_attribute_never_matches(text: str) -> None:
    assert _filter(text).matches(None) is False


def test_case_insensitive_pool_folds_usernames_only() -> None:
    username = _filter('username = "Bob"', case_sensitive_usernames=False)
    preferred = _filter('preferred_username ^= "BO"', case_sensitive_usernames=False)
    email = _filter('email = "A@example.com"', case_sensitive_usernames=False)
    assert username.matches("bob") and username.matches("BOB")
    assert preferred.matches("bobby")
    assert not email.matches("a@example.com")


def test_index_keys() -> None:
    status = _filter('cognito:user_status ^= "Force"')
    assert status.case_sensitive is False
    assert status.needle == "force"
    assert status.normalize("FORCE_CHANGE_PASSWORD") == "force_change_password"
    email = _filter('email = "A@x"')
    assert email.case_sensitive is True
    assert email.needle == "A@x"
    assert email.normalize("A@x") == "A@x"
    assert email.is_prefix is False


def test_user_filter_is_frozen() -> None:
    parsed = _filter('sub = "x"')
    with pytest.raises(AttributeError):
        parsed.value = "y"  # type: ignore[misc]
    assert parsed == UserFilter(attribute="sub", operator="=", value="x", case_sensitive=True)
