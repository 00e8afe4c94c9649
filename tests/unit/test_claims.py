"""Token claims from pool, client and user, without HTTP."""

from __future__ import annotations

import base64
import json
import re

from cognito_emu.idp import claims as token_claims
from cognito_emu.idp import tokens
from cognito_emu.idp.models import AppClient, Group, User, UserPool


def pool_with(*groups: Group) -> UserPool:
    pool = UserPool(id="us-east-1_abc", name="p", account="1", region="us-east-1", created=0, modified=0)
    for group in groups:
        pool.groups[group.name] = group
    return pool


def user(**attributes: str) -> User:
    return User(username="alice", sub="s-1", created=0, modified=0, attributes={"sub": "s-1", **attributes})


def group(name: str, precedence: int | None = None, role: str | None = None) -> Group:
    return Group(
        name=name,
        user_pool_id="p",
        created=0,
        modified=0,
        precedence=precedence,
        role_arn=role,
        members={"alice"},
    )


def test_no_groups_no_group_claims():
    assert token_claims.group_claims(pool_with(), user()) == {}


def test_groups_sorted_by_precedence_and_preferred_role():
    pool = pool_with(group("b", 5, "arn:b"), group("a", 1, "arn:a"), group("c"))
    claims = token_claims.group_claims(pool, user())
    assert claims["cognito:groups"] == ["a", "b", "c"]
    assert claims["cognito:roles"] == ["arn:a", "arn:b"]
    assert claims["cognito:preferred_role"] == "arn:a"


def test_tied_precedence_with_different_roles_has_no_preferred_role():
    pool = pool_with(group("a", 1, "arn:a"), group("b", 1, "arn:b"))
    claims = token_claims.group_claims(pool, user())
    assert "cognito:preferred_role" not in claims
    tied_same = token_claims.group_claims(pool_with(group("a", 1, "arn:x"), group("b", 1, "arn:x")), user())
    assert tied_same["cognito:preferred_role"] == "arn:x"
    assert tied_same["cognito:roles"] == ["arn:x"]


def test_group_membership_is_by_user_key():
    other = Group(name="g", user_pool_id="p", created=0, modified=0, members={"bob"})
    assert token_claims.group_claims(pool_with(other), user()) == {}


def test_attribute_claims_types():
    identities = [{"providerName": "Google", "userId": "1"}]
    claims = token_claims.attribute_claims(
        pool_with(),
        user(
            email="a@example.com",
            email_verified="true",
            phone_number_verified="false",
            **{"custom:age": "42", "updated_at": "1700000000", "identities": json.dumps(identities)},
        ),
        None,
    )
    assert claims["email_verified"] is True
    assert claims["phone_number_verified"] is False
    assert claims["custom:age"] == "42"
    assert claims["updated_at"] == 1700000000
    assert claims["identities"] == identities


def test_read_attributes_limit_claims():
    client = AppClient(
        client_id="c",
        user_pool_id="p",
        name="c",
        created=0,
        modified=0,
        settings={"ReadAttributes": ["email"]},
    )
    claims = token_claims.attribute_claims(pool_with(), user(email="a@example.com", name="A"), client)
    assert claims == {"sub": "s-1", "email": "a@example.com"}


def test_access_token_claims_shape():
    client = AppClient(client_id="c", user_pool_id="p", name="c", created=0, modified=0)
    claims = token_claims.access_token_claims(
        pool_with(group("g")),
        client,
        user(),
        issuer="http://x/us-east-1_abc",
        issued=100,
        expires=3700,
        auth_time=99,
        jti="j",
        origin_jti="o",
        event_id="e",
    )
    assert claims == {
        "sub": "s-1",
        "cognito:groups": ["g"],
        "iss": "http://x/us-east-1_abc",
        "client_id": "c",
        "origin_jti": "o",
        "event_id": "e",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": 99,
        "exp": 3700,
        "iat": 100,
        "jti": "j",
        "username": "alice",
    }


def test_refresh_token_shape():
    from cognito_emu.ids import Ids

    class _Env:
        ids = Ids(1)

    token = tokens.new_refresh_token(_Env())  # type: ignore[arg-type]
    parts = token.split(".")
    assert len(parts) == 5
    header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    assert header == {"cty": "JWT", "enc": "A256GCM", "alg": "RSA-OAEP"}
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", part) for part in parts)
