"""Tokens: claims, verification through the JWKS, refresh, rotation, revocation, global sign-out."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError

from cognito_emu.config import Config
from cognito_emu.emulator import Emulator
from cognito_emu.idp.models import TokenSession, User
from tests.api.support import (
    base_url,
    error_of,
    make_client_id,
    make_user,
    minted_tokens,
    password_sign_in,
    send,
)

DAY = 86400


def verify(emulator: Emulator, pool_id: str, token: str, **kwargs: Any) -> dict[str, Any]:
    issuer = f"{base_url(emulator)}/{pool_id}"
    jwks = jwt.PyJWKSet.from_json(send(emulator, "GET", f"/{pool_id}/.well-known/jwks.json").body.decode())
    key = jwks[jwt.get_unverified_header(token)["kid"]]
    return jwt.decode(token, key.key, algorithms=["RS256"], issuer=issuer, **kwargs)


def test_id_and_access_token_claims(emulator, idp, pool_id, client_id):
    make_user(idp, pool_id, email="alice@example.com", email_verified="true", name="Alice")
    idp.create_group(UserPoolId=pool_id, GroupName="admins", Precedence=1, RoleArn="arn:aws:iam::1:role/a")
    idp.create_group(UserPoolId=pool_id, GroupName="users", Precedence=5, RoleArn="arn:aws:iam::1:role/u")
    for group in ("admins", "users"):
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName=group)
    result = minted_tokens(emulator, pool_id, client_id, "alice")
    assert result["TokenType"] == "Bearer" and result["ExpiresIn"] == 3600
    assert result["RefreshToken"].count(".") == 4

    id_claims = verify(emulator, pool_id, result["IdToken"], audience=client_id)
    assert id_claims["token_use"] == "id"
    assert id_claims["cognito:username"] == "alice"
    assert id_claims["email"] == "alice@example.com"
    assert id_claims["email_verified"] is True
    assert id_claims["name"] == "Alice"
    assert id_claims["cognito:groups"] == ["admins", "users"]
    assert id_claims["cognito:roles"] == ["arn:aws:iam::1:role/a", "arn:aws:iam::1:role/u"]
    assert id_claims["cognito:preferred_role"] == "arn:aws:iam::1:role/a"
    assert id_claims["exp"] - id_claims["iat"] == 3600
    for claim in ("sub", "jti", "origin_jti", "event_id", "auth_time"):
        assert id_claims[claim]

    access = verify(emulator, pool_id, result["AccessToken"])
    assert access["token_use"] == "access"
    assert access["client_id"] == client_id
    assert access["username"] == "alice"
    assert access["scope"] == "aws.cognito.signin.user.admin"
    assert access["cognito:groups"] == ["admins", "users"]
    assert access["origin_jti"] == id_claims["origin_jti"]
    assert access["event_id"] == id_claims["event_id"]
    assert access["jti"] != id_claims["jti"]
    assert "aud" not in access


def test_id_and_access_tokens_have_their_own_keys_and_cognitos_header(emulator, idp, pool_id, client_id):
    # Developer guide, "Understanding the identity (ID) token": the header is {"kid", "alg"} only.
    make_user(idp, pool_id)
    result = minted_tokens(emulator, pool_id, client_id, "alice")
    jwks = json.loads(send(emulator, "GET", f"/{pool_id}/.well-known/jwks.json").body.decode())
    id_kid, access_kid = (key["kid"] for key in jwks["keys"])
    for token, kid in ((result["IdToken"], id_kid), (result["AccessToken"], access_kid)):
        segment = token.split(".")[0]
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
        assert list(header.items()) == [("kid", kid), ("alg", "RS256")]
        verify(emulator, pool_id, token, options={"verify_aud": False})


def test_token_lifetimes_follow_the_client(emulator, idp, pool_id):
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="short",
        AccessTokenValidity=5,
        IdTokenValidity=10,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "minutes"},
    )["UserPoolClient"]["ClientId"]
    make_user(idp, pool_id)
    result = minted_tokens(emulator, pool_id, client_id, "alice")
    assert result["ExpiresIn"] == 300
    id_claims = jwt.decode(result["IdToken"], options={"verify_signature": False})
    assert id_claims["exp"] - id_claims["iat"] == 600


def test_get_user_with_access_token_and_expiry(emulator, idp, pool_id, client_id):
    make_user(idp, pool_id, email="alice@example.com")
    result = minted_tokens(emulator, pool_id, client_id, "alice")
    got = idp.get_user(AccessToken=result["AccessToken"])
    assert got["Username"] == "alice"
    assert {a["Name"]: a["Value"] for a in got["UserAttributes"]}["email"] == "alice@example.com"

    emulator.clock.advance(3601)
    with pytest.raises(ClientError) as err:
        idp.get_user(AccessToken=result["AccessToken"])
    assert error_of(err) == ("NotAuthorizedException", "Access Token has expired")


def test_disabling_a_user_revokes_its_tokens(emulator, idp, pool_id, client_id):
    """AdminDisableUser "revokes all access tokens for the user" (and its refresh tokens, as reported of
    Cognito in cognito-local#381): enabling the user again brings none back; a new sign-in works."""
    make_user(idp, pool_id)
    before = minted_tokens(emulator, pool_id, client_id, "alice")
    idp.admin_disable_user(UserPoolId=pool_id, Username="alice")
    idp.admin_enable_user(UserPoolId=pool_id, Username="alice")
    assert error_of(idp.get_user, AccessToken=before["AccessToken"]) == (
        "NotAuthorizedException",
        "Access Token has been revoked",
    )
    refresh = error_of(
        idp.get_tokens_from_refresh_token, RefreshToken=before["RefreshToken"], ClientId=client_id
    )
    assert refresh == ("NotAuthorizedException", "Refresh Token has been revoked")
    after = minted_tokens(emulator, pool_id, client_id, "alice")
    assert idp.get_user(AccessToken=after["AccessToken"])["Username"] == "alice"


def test_invalid_access_tokens(emulator, idp, pool_id, client_id):
    make_user(idp, pool_id)
    result = minted_tokens(emulator, pool_id, client_id, "alice")
    for bad in ("garbage", result["IdToken"], result["AccessToken"][:-4] + "AAAA"):
        with pytest.raises(ClientError) as err:
            idp.get_user(AccessToken=bad)
        assert error_of(err) == ("NotAuthorizedException", "Invalid Access Token")


def test_disabled_and_deleted_users(emulator, idp, pool_id, client_id):
    make_user(idp, pool_id)
    result = minted_tokens(emulator, pool_id, client_id, "alice")
    idp.admin_disable_user(UserPoolId=pool_id, Username="alice")
    with pytest.raises(ClientError) as err:
        idp.get_user(AccessToken=result["AccessToken"])
    assert error_of(err) == ("NotAuthorizedException", "User is disabled.")
    with pytest.raises(ClientError) as err:
        idp.get_tokens_from_refresh_token(RefreshToken=result["RefreshToken"], ClientId=client_id)
    assert error_of(err) == ("NotAuthorizedException", "User is disabled.")
    idp.admin_delete_user(UserPoolId=pool_id, Username="alice")
    with pytest.raises(ClientError) as err:
        idp.get_user(AccessToken=result["AccessToken"])
    assert error_of(err) == ("UserNotFoundException", "User does not exist.")


def test_refresh_keeps_origin_and_auth_time(emulator, idp, pool_id, client_id):
    make_user(idp, pool_id)
    first = minted_tokens(emulator, pool_id, client_id, "alice")
    emulator.clock.advance(120)
    renewed = idp.get_tokens_from_refresh_token(RefreshToken=first["RefreshToken"], ClientId=client_id)[
        "AuthenticationResult"
    ]
    assert "RefreshToken" not in renewed
    old = jwt.decode(first["AccessToken"], options={"verify_signature": False})
    new = verify(emulator, pool_id, renewed["AccessToken"], options={"verify_iat": False})
    assert new["origin_jti"] == old["origin_jti"]
    assert new["auth_time"] == old["auth_time"]
    assert new["iat"] >= old["iat"] + 120
    assert idp.get_user(AccessToken=renewed["AccessToken"])["Username"] == "alice"


def test_refresh_token_errors(emulator, idp, pool_id, client_id):
    make_user(idp, pool_id)
    other = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="other")["UserPoolClient"]["ClientId"]
    result = minted_tokens(emulator, pool_id, client_id, "alice")
    for token, client in (("nonsense", client_id), (result["RefreshToken"], other)):
        with pytest.raises(ClientError) as err:
            idp.get_tokens_from_refresh_token(RefreshToken=token, ClientId=client)
        assert error_of(err) == ("NotAuthorizedException", "Invalid Refresh Token")
    emulator.clock.advance(30 * 86400 + 1)
    with pytest.raises(ClientError) as err:
        idp.get_tokens_from_refresh_token(RefreshToken=result["RefreshToken"], ClientId=client_id)
    assert error_of(err) == ("NotAuthorizedException", "Refresh Token has expired")


def test_client_secret_is_checked_on_refresh(emulator, idp, pool_id):
    created = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="s", GenerateSecret=True)
    client_id = created["UserPoolClient"]["ClientId"]
    secret = created["UserPoolClient"]["ClientSecret"]
    make_user(idp, pool_id)
    result = minted_tokens(emulator, pool_id, client_id, "alice")
    with pytest.raises(ClientError) as err:
        idp.get_tokens_from_refresh_token(RefreshToken=result["RefreshToken"], ClientId=client_id)
    assert error_of(err)[0] == "NotAuthorizedException"
    renewed = idp.get_tokens_from_refresh_token(
        RefreshToken=result["RefreshToken"], ClientId=client_id, ClientSecret=secret
    )
    assert renewed["AuthenticationResult"]["AccessToken"]


def test_refresh_token_rotation_and_reuse(emulator, idp, pool_id):
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="rotating",
        RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 10},
    )["UserPoolClient"]["ClientId"]
    make_user(idp, pool_id)
    first = minted_tokens(emulator, pool_id, client_id, "alice")
    renewed = idp.get_tokens_from_refresh_token(RefreshToken=first["RefreshToken"], ClientId=client_id)[
        "AuthenticationResult"
    ]
    second = renewed["RefreshToken"]
    assert second != first["RefreshToken"]
    # A retry inside the grace period still works.
    emulator.clock.advance(5)
    idp.get_tokens_from_refresh_token(RefreshToken=first["RefreshToken"], ClientId=client_id)
    emulator.clock.advance(10)
    with pytest.raises(ClientError) as err:
        idp.get_tokens_from_refresh_token(RefreshToken=first["RefreshToken"], ClientId=client_id)
    assert error_of(err)[0] == "RefreshTokenReuseException"
    third = idp.get_tokens_from_refresh_token(RefreshToken=second, ClientId=client_id)["AuthenticationResult"]
    assert third["RefreshToken"] not in (first["RefreshToken"], second)
    # Rotation is done with GetTokensFromRefreshToken only; REFRESH_TOKEN_AUTH is refused.
    with pytest.raises(ClientError) as err:
        idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": third["RefreshToken"]},
        )
    assert error_of(err)[0] == "InvalidParameterException"


def test_revoke_token_revokes_refresh_and_derived_access_tokens(emulator, idp, pool_id, client_id):
    make_user(idp, pool_id)
    first = minted_tokens(emulator, pool_id, client_id, "alice")
    other_session = minted_tokens(emulator, pool_id, client_id, "alice")
    renewed = idp.get_tokens_from_refresh_token(RefreshToken=first["RefreshToken"], ClientId=client_id)[
        "AuthenticationResult"
    ]
    idp.revoke_token(Token=first["RefreshToken"], ClientId=client_id)
    for access in (first["AccessToken"], renewed["AccessToken"]):
        with pytest.raises(ClientError) as err:
            idp.get_user(AccessToken=access)
        assert error_of(err) == ("NotAuthorizedException", "Access Token has been revoked")
    with pytest.raises(ClientError) as err:
        idp.get_tokens_from_refresh_token(RefreshToken=first["RefreshToken"], ClientId=client_id)
    assert error_of(err) == ("NotAuthorizedException", "Refresh Token has been revoked")
    # Another sign-in of the same user is not affected.
    assert idp.get_user(AccessToken=other_session["AccessToken"])["Username"] == "alice"


def test_revoke_token_errors(emulator, idp, pool_id):
    created = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="s", GenerateSecret=True)
    client_id = created["UserPoolClient"]["ClientId"]
    secret = created["UserPoolClient"]["ClientSecret"]
    make_user(idp, pool_id)
    result = minted_tokens(emulator, pool_id, client_id, "alice")
    with pytest.raises(ClientError) as err:
        idp.revoke_token(Token=result["RefreshToken"], ClientId=client_id, ClientSecret="x" * 30)
    assert error_of(err)[0] == "UnauthorizedException"
    with pytest.raises(ClientError) as err:
        idp.revoke_token(Token=result["AccessToken"], ClientId=client_id, ClientSecret=secret)
    assert error_of(err)[0] == "UnsupportedTokenTypeException"
    with pytest.raises(ClientError) as err:
        idp.revoke_token(Token=result["RefreshToken"], ClientId="nosuchclient", ClientSecret=secret)
    assert error_of(err)[0] == "ResourceNotFoundException"

    disabled = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="d", EnableTokenRevocation=False)
    disabled_id = disabled["UserPoolClient"]["ClientId"]
    other = minted_tokens(emulator, pool_id, disabled_id, "alice")
    with pytest.raises(ClientError) as err:
        idp.revoke_token(Token=other["RefreshToken"], ClientId=disabled_id)
    assert error_of(err)[0] == "UnsupportedOperationException"


def test_global_sign_out(emulator, idp, pool_id, client_id):
    make_user(idp, pool_id)
    one = minted_tokens(emulator, pool_id, client_id, "alice")
    two = minted_tokens(emulator, pool_id, client_id, "alice")
    idp.global_sign_out(AccessToken=one["AccessToken"])
    for result in (one, two):
        with pytest.raises(ClientError) as err:
            idp.get_user(AccessToken=result["AccessToken"])
        assert error_of(err) == ("NotAuthorizedException", "Access Token has been revoked")
        with pytest.raises(ClientError) as err:
            idp.get_tokens_from_refresh_token(RefreshToken=result["RefreshToken"], ClientId=client_id)
        assert error_of(err) == ("NotAuthorizedException", "Refresh Token has been revoked")
    # Tokens issued afterwards work, even within the same second.
    three = minted_tokens(emulator, pool_id, client_id, "alice")
    assert idp.get_user(AccessToken=three["AccessToken"])["Username"] == "alice"


def test_admin_user_global_sign_out(emulator, idp, pool_id, client_id):
    make_user(idp, pool_id)
    result = minted_tokens(emulator, pool_id, client_id, "alice")
    idp.admin_user_global_sign_out(UserPoolId=pool_id, Username="alice")
    with pytest.raises(ClientError) as err:
        idp.get_user(AccessToken=result["AccessToken"])
    assert error_of(err) == ("NotAuthorizedException", "Access Token has been revoked")
    with pytest.raises(ClientError) as err:
        idp.admin_user_global_sign_out(UserPoolId=pool_id, Username="nobody")
    assert error_of(err)[0] == "UserNotFoundException"


def test_reset_forgets_refresh_tokens(emulator, idp, pool_id, client_id):
    make_user(idp, pool_id)
    minted_tokens(emulator, pool_id, client_id, "alice")
    assert emulator.state.refresh_tokens
    emulator.reset()
    assert not emulator.state.refresh_tokens


def test_issuer_base_setting():
    with Emulator(Config(port=0, issuer_base="https://cognito-idp.us-east-1.amazonaws.com")) as emu:
        idp = emu.client("cognito-idp")
        pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
        client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")["UserPoolClient"][
            "ClientId"
        ]
        make_user(idp, pool_id)
        result = minted_tokens(emu, pool_id, client_id, "alice")
        claims = jwt.decode(result["IdToken"], options={"verify_signature": False})
        assert claims["iss"] == f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
        # The token is still accepted by the emulator it came from.
        assert idp.get_user(AccessToken=result["AccessToken"])["Username"] == "alice"
        assert claims["exp"] > time.time()


def test_tokens_survive_state_export_and_import(emulator, idp, pool_id, client_id):
    make_user(idp, pool_id)
    result = minted_tokens(emulator, pool_id, client_id, "alice")
    exported = send(emulator, "GET", "/_emu/state").body
    emulator.reset()
    response = send(emulator, "PUT", "/_emu/state", exported, {"Content-Type": "application/json"})
    assert json.loads(response.body)["imported"] is True
    assert idp.get_user(AccessToken=result["AccessToken"])["Username"] == "alice"
    renewed = idp.get_tokens_from_refresh_token(RefreshToken=result["RefreshToken"], ClientId=client_id)
    assert renewed["AuthenticationResult"]["AccessToken"]


# -- forgetting expired sessions ----------------------------------------------------------------


def stored_user(emulator: Emulator, pool_id: str) -> User:
    pool = emulator.state.find_pool(pool_id)
    assert pool is not None
    return pool.users["alice"]


def refresh_error(idp: Any, client_id: str, refresh_token: str) -> tuple[str, str]:
    with pytest.raises(ClientError) as err:
        idp.get_tokens_from_refresh_token(RefreshToken=refresh_token, ClientId=client_id)
    return error_of(err)


def origin_of(result: dict[str, Any]) -> str:
    return str(jwt.decode(result["IdToken"], options={"verify_signature": False})["origin_jti"])


def test_a_sign_in_reads_the_expiry_of_no_session_but_its_own_while_none_can_be_forgotten(
    emulator, idp, pool_id, client_id, monkeypatch
):
    # A user signed in thousands of times holds thousands of sessions; every sign-in used to read
    # them all, looking for the expired ones.
    make_user(idp, pool_id)
    for _ in range(20):
        minted_tokens(emulator, pool_id, client_id, "alice")
    slot = TokenSession.expires
    read: list[str] = []

    def expires(session: TokenSession) -> float:
        read.append(session.origin_jti)
        return float(slot.__get__(session, TokenSession))

    monkeypatch.setattr(TokenSession, "expires", property(expires, slot.__set__))
    new = {origin_of(minted_tokens(emulator, pool_id, client_id, "alice")) for _ in range(20)}
    assert read and set(read) <= new
    assert len(stored_user(emulator, pool_id).sessions) == 40


def test_a_sign_in_forgets_the_sessions_expired_a_day_ago_with_their_refresh_tokens(emulator, idp, pool_id):
    client_id = make_client_id(
        idp, pool_id, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )
    make_user(idp, pool_id)
    emulator.clock.freeze()
    first = password_sign_in(idp, client_id)["AuthenticationResult"]["RefreshToken"]
    # Its refresh token lasts 30 days; the session is kept a day longer, while access tokens it issued
    # may still be presented, so that they answer "revoked" or "expired" as they should.
    emulator.clock.advance(31 * DAY)
    password_sign_in(idp, client_id)
    assert refresh_error(idp, client_id, first) == ("NotAuthorizedException", "Refresh Token has expired")
    emulator.clock.advance(1)
    # Nothing forgets it but the user's next sign-in.
    assert refresh_error(idp, client_id, first) == ("NotAuthorizedException", "Refresh Token has expired")
    latest = password_sign_in(idp, client_id)["AuthenticationResult"]["RefreshToken"]
    assert refresh_error(idp, client_id, first) == ("NotAuthorizedException", "Invalid Refresh Token")
    assert first not in emulator.state.refresh_tokens
    assert len(stored_user(emulator, pool_id).sessions) == 2
    assert idp.get_tokens_from_refresh_token(RefreshToken=latest, ClientId=client_id)["AuthenticationResult"]


def test_a_rotated_session_is_forgotten_by_its_new_expiry_later_or_earlier(emulator, idp, pool_id):
    client_id = make_client_id(idp, pool_id, RefreshTokenRotation={"Feature": "ENABLED"})
    make_user(idp, pool_id)
    start = emulator.clock.freeze()
    minted = minted_tokens(emulator, pool_id, client_id, "alice")["RefreshToken"]

    def rotate(token: str) -> str:
        result = idp.get_tokens_from_refresh_token(RefreshToken=token, ClientId=client_id)
        return str(result["AuthenticationResult"]["RefreshToken"])

    emulator.clock.advance(20 * DAY)
    later = rotate(minted)
    # Past the first expiry and its day: the rotation's new 30 days keep the session.
    emulator.clock.set(start + 32 * DAY)
    minted_tokens(emulator, pool_id, client_id, "alice")
    # With the clock set back, the next rotation's 30 days end before the ones the session had.
    emulator.clock.set(start)
    earlier = rotate(later)
    emulator.clock.set(start + 31 * DAY + 1)
    minted_tokens(emulator, pool_id, client_id, "alice")
    assert refresh_error(idp, client_id, earlier) == ("NotAuthorizedException", "Invalid Refresh Token")
    assert not {minted, later, earlier} & emulator.state.refresh_tokens.keys()


def test_imported_sessions_are_forgotten_once_expired(emulator, idp, pool_id, client_id):
    make_user(idp, pool_id)
    emulator.clock.freeze()
    first = minted_tokens(emulator, pool_id, client_id, "alice")["RefreshToken"]
    minted_tokens(emulator, pool_id, client_id, "alice")
    exported = send(emulator, "GET", "/_emu/state").body
    emulator.reset()
    send(emulator, "PUT", "/_emu/state", exported, {"Content-Type": "application/json"})
    emulator.clock.freeze()
    emulator.clock.advance(31 * DAY + 1)
    minted_tokens(emulator, pool_id, client_id, "alice")
    assert refresh_error(idp, client_id, first) == ("NotAuthorizedException", "Invalid Refresh Token")
    assert len(stored_user(emulator, pool_id).sessions) == 1
