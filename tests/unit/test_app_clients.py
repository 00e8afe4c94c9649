"""Pure logic of app clients: SECRET_HASH, token lifetimes, auth-flow permissions."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import pytest

from cognito_emu.errors import NotAuthorizedException
from cognito_emu.idp.models import AppClient, ClientSecret
from cognito_emu.idp.pool.client_auth import check_secret_hash, secret_hash, secret_matches
from cognito_emu.idp.pool.clients import allowed_auth_flows, auth_flow_allowed, token_validity_seconds

CLIENT_ID = "abcdefghijklmnopqrstuvwxyz"


def make_client(secrets: list[str] = (), **settings: Any) -> AppClient:  # type: ignore[assignment]
    client = AppClient(client_id=CLIENT_ID, user_pool_id="us-east-1_x", name="app", created=0, modified=0)
    client.secrets = [
        ClientSecret(secret_id=f"{CLIENT_ID}--{i}", value=v, created=0) for i, v in enumerate(secrets)
    ]
    client.settings = settings
    return client


def test_secret_hash_matches_the_documented_formula():
    expected = base64.b64encode(
        hmac.new(b"s3cret", f"alice{CLIENT_ID}".encode(), hashlib.sha256).digest()
    ).decode()
    assert secret_hash("s3cret", "alice", CLIENT_ID) == expected


def test_secret_hash_known_vector():
    # Computed independently: printf 'user1client1' | openssl dgst -sha256 -hmac key1 -binary | base64
    assert secret_hash("key1", "user1", "client1") == "2MoWLLQVA7zglYdI8w7odWxIcyhZmyNfq0plNOr7HMs="


def test_public_client_needs_no_hash():
    check_secret_hash(make_client(), "alice", None)


def test_missing_hash():
    with pytest.raises(NotAuthorizedException) as err:
        check_secret_hash(make_client(["s3cret"]), "alice", None)
    assert (
        err.value.message == f"Client {CLIENT_ID} is configured with secret but SECRET_HASH was not received"
    )


def test_wrong_hash():
    with pytest.raises(NotAuthorizedException) as err:
        check_secret_hash(make_client(["s3cret"]), "alice", secret_hash("other", "alice", CLIENT_ID))
    assert err.value.message == f"Unable to verify secret hash for client {CLIENT_ID}"


def test_hash_for_another_username_fails():
    with pytest.raises(NotAuthorizedException):
        check_secret_hash(make_client(["s3cret"]), "alice", secret_hash("s3cret", "bob", CLIENT_ID))


def test_either_secret_verifies_during_rotation():
    client = make_client(["old-secret", "new-secret"])
    check_secret_hash(client, "alice", secret_hash("old-secret", "alice", CLIENT_ID))
    check_secret_hash(client, "alice", secret_hash("new-secret", "alice", CLIENT_ID))


def test_token_validity_defaults():
    assert token_validity_seconds(make_client()) == {"access": 3600, "id": 3600, "refresh": 30 * 86400}


def test_token_validity_default_units_are_hours_and_days():
    client = make_client(AccessTokenValidity=2, IdTokenValidity=3, RefreshTokenValidity=7)
    assert token_validity_seconds(client) == {"access": 7200, "id": 10800, "refresh": 7 * 86400}


def test_token_validity_with_units():
    client = make_client(
        AccessTokenValidity=5,
        IdTokenValidity=600,
        RefreshTokenValidity=90,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "seconds", "RefreshToken": "minutes"},
    )
    assert token_validity_seconds(client) == {"access": 300, "id": 600, "refresh": 5400}


def test_default_auth_flows():
    client = make_client()
    assert auth_flow_allowed(client, "USER_SRP_AUTH")
    assert auth_flow_allowed(client, "REFRESH_TOKEN_AUTH")
    assert auth_flow_allowed(client, "REFRESH_TOKEN")
    assert auth_flow_allowed(client, "CUSTOM_AUTH")
    assert not auth_flow_allowed(client, "USER_PASSWORD_AUTH")
    assert not auth_flow_allowed(client, "ADMIN_USER_PASSWORD_AUTH")
    assert not auth_flow_allowed(client, "NO_SUCH_FLOW")


def test_explicit_allow_flows():
    client = make_client(ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"])
    assert auth_flow_allowed(client, "ADMIN_USER_PASSWORD_AUTH")
    assert auth_flow_allowed(client, "ADMIN_NO_SRP_AUTH")
    assert not auth_flow_allowed(client, "USER_SRP_AUTH")
    assert not auth_flow_allowed(client, "REFRESH_TOKEN_AUTH")


def test_legacy_flows_keep_srp_refresh_and_custom():
    client = make_client(ExplicitAuthFlows=["USER_PASSWORD_AUTH"])
    assert allowed_auth_flows(client) == {
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_CUSTOM_AUTH",
    }


def test_custom_auth_flow_only_takes_srp_away():
    client = make_client(ExplicitAuthFlows=["CUSTOM_AUTH_FLOW_ONLY"])
    assert not auth_flow_allowed(client, "USER_SRP_AUTH")
    assert auth_flow_allowed(client, "CUSTOM_AUTH")


def test_secret_matches_any_current_secret_and_nothing_else() -> None:
    client = make_client(["old-secret", "new-secret"])
    assert secret_matches(client, "old-secret") and secret_matches(client, "new-secret")
    assert not secret_matches(client, "other") and not secret_matches(client, None)
    # Regression: comparing str values raised TypeError for a non-ASCII secret (ClientSecret's
    # pattern \w+ allows letters such as é), which answered InternalErrorException.
    assert not secret_matches(client, "é" * 20)
