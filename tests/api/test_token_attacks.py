"""Tokens and secrets as an attacker presents them, at every place Cognito accepts one.

Forged access and ID tokens (alg none, HS256 keyed with the public key, an unknown kid, the right kid
with another key, another pool's key, a tampered payload), expired, of the wrong token_use, revoked;
refresh tokens of another client or pool, tampered; SECRET_HASH missing or wrong; cross-account
access; guessing one-time codes. Each must be refused with the error Cognito answers, never accepted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import botocore.session
import jwt
import pytest
from botocore import xform_name
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cognito_emu.emulator import Emulator
from cognito_emu.idp import keys
from cognito_emu.idp.self_service import codes
from tests.api.support import (
    PASSWORD,
    boto_client,
    code_of,
    error_of,
    make_user,
    password_sign_in,
    secret_hash,
    send,
)

FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
ATTACKER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OPENID_TRIGGER = "arn:aws:lambda:us-east-1:123456789012:function:add-openid"


@dataclass
class Victim:
    pool_id: str
    client_id: str
    tokens: dict[str, str]
    other_pool_id: str
    other_client_id: str
    other_tokens: dict[str, str]


def _segments(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    return jwt.get_unverified_header(token), jwt.decode(token, options={"verify_signature": False})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _pool(emulator: Emulator, pool_id: str) -> Any:
    pool = emulator.env.state.find_pool(pool_id)
    assert pool is not None
    return pool


def alg_none(emulator: Emulator, victim: Victim, token: str) -> str:
    header, claims = _segments(token)
    return ".".join(
        [_b64(json.dumps({**header, "alg": "none"}).encode()), _b64(json.dumps(claims).encode()), ""]
    )


def hs256_with_public_key(emulator: Emulator, victim: Victim, token: str) -> str:
    header, claims = _segments(token)
    jwks = json.loads(send(emulator, "GET", f"/{victim.pool_id}/.well-known/jwks.json").body)
    public = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(jwks["keys"][0]))
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)  # type: ignore[union-attr]
    # PyJWT refuses a PEM as an HMAC key; an attacker's own code does not.
    signing_input = (
        f"{_b64(json.dumps({**header, 'alg': 'HS256'}).encode())}.{_b64(json.dumps(claims).encode())}"
    )
    signature = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def unknown_kid(emulator: Emulator, victim: Victim, token: str) -> str:
    _, claims = _segments(token)
    return jwt.encode(claims, ATTACKER_KEY, algorithm="RS256", headers={"kid": "attacker"})


def right_kid_wrong_key(emulator: Emulator, victim: Victim, token: str) -> str:
    header, claims = _segments(token)
    return jwt.encode(claims, ATTACKER_KEY, algorithm="RS256", headers={"kid": header["kid"]})


def another_pools_key(emulator: Emulator, victim: Victim, token: str) -> str:
    # Signed by a pool the attacker controls (its real key and kid), claiming the victim's pool.
    _, claims = _segments(token)
    other = _pool(emulator, victim.other_pool_id)
    key = serialization.load_pem_private_key(keys.ensure_signing_key(other).encode(), password=None)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": keys.kid(other)})  # type: ignore[arg-type]


def tampered_payload(emulator: Emulator, victim: Victim, token: str) -> str:
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["exp"] = claims["exp"] + 10 * 365 * 86400
    return ".".join([head, _b64(json.dumps(claims).encode()), signature])


FORGERIES: dict[str, Callable[[Emulator, Victim, str], str]] = {
    "alg-none": alg_none,
    "hs256-public-key": hs256_with_public_key,
    "unknown-kid": unknown_kid,
    "right-kid-wrong-key": right_kid_wrong_key,
    "another-pools-key": another_pools_key,
    "tampered-payload": tampered_payload,
}


@pytest.fixture
def victim(emulator: Emulator, idp: Any) -> Victim:
    def pool(name: str, username: str) -> tuple[str, str, dict[str, str]]:
        pool_id = idp.create_user_pool(PoolName=name)["UserPool"]["Id"]
        client_id = idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=FLOWS
        )["UserPoolClient"]["ClientId"]
        make_user(idp, pool_id, username, email=f"{username}@example.com", email_verified="true")
        return pool_id, client_id, password_sign_in(idp, client_id, username)["AuthenticationResult"]

    pool_id, client_id, tokens = pool("victim", "alice")
    other_pool_id, other_client_id, other_tokens = pool("attacker", "mallory")
    return Victim(pool_id, client_id, tokens, other_pool_id, other_client_id, other_tokens)


# Every operation taking an access token, with the other members it requires (valid, so only the token decides).
ACCESS_TOKEN_OPERATIONS: dict[str, dict[str, Any]] = {
    "AssociateSoftwareToken": {},
    "ChangePassword": {"PreviousPassword": PASSWORD, "ProposedPassword": "N3w-Passw0rd!"},
    "CompleteWebAuthnRegistration": {"Credential": {}},
    "ConfirmDevice": {"DeviceKey": "us-east-1_00000000-0000-4000-8000-000000000000"},
    "DeleteUser": {},
    "DeleteUserAttributes": {"UserAttributeNames": ["name"]},
    "DeleteWebAuthnCredential": {"CredentialId": "abc"},
    "ForgetDevice": {"DeviceKey": "us-east-1_00000000-0000-4000-8000-000000000000"},
    "GetDevice": {"DeviceKey": "us-east-1_00000000-0000-4000-8000-000000000000"},
    "GetUser": {},
    "GetUserAttributeVerificationCode": {"AttributeName": "email"},
    "GetUserAuthFactors": {},
    "GlobalSignOut": {},
    "ListDevices": {},
    "ListUserSessions": {},
    "ListWebAuthnCredentials": {},
    "RevokeUserSession": {"SessionId": "tkn" + "a" * 25},
    "SetUserMFAPreference": {},
    "SetUserSettings": {"MFAOptions": []},
    "StartWebAuthnRegistration": {},
    "UpdateDeviceStatus": {"DeviceKey": "us-east-1_00000000-0000-4000-8000-000000000000"},
    "UpdateUserAttributes": {"UserAttributes": [{"Name": "name", "Value": "x"}]},
    "VerifySoftwareToken": {"UserCode": "123456"},
    "VerifyUserAttribute": {"AttributeName": "email", "Code": "123456"},
}


def test_every_access_token_operation_is_attacked() -> None:
    # botocore's own model, not the emulator's compact copy, so an operation the emulator lost still counts.
    model = botocore.session.get_session().get_service_model("cognito-idp")
    taking = {
        op
        for op in model.operation_names
        if (shape := model.operation_model(op).input_shape) is not None and "AccessToken" in shape.members
    }
    assert taking == set(ACCESS_TOKEN_OPERATIONS)


def _call(emulator: Emulator, op: str, access_token: str) -> tuple[str, str]:
    raw = boto_client(emulator)
    method = getattr(raw, xform_name(op))
    return error_of(method, AccessToken=access_token, **ACCESS_TOKEN_OPERATIONS[op])


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
@pytest.mark.parametrize("op", sorted(ACCESS_TOKEN_OPERATIONS))
def test_forged_access_tokens_are_refused_everywhere(emulator, victim, op, forgery):
    forged = FORGERIES[forgery](emulator, victim, victim.tokens["AccessToken"])
    code, message = _call(emulator, op, forged)
    assert (code, message) == ("NotAuthorizedException", "Invalid Access Token")


@pytest.mark.parametrize("op", sorted(ACCESS_TOKEN_OPERATIONS))
def test_expired_id_and_revoked_tokens_are_refused_everywhere(emulator, idp, victim, op):
    assert _call(emulator, op, victim.tokens["IdToken"]) == ("NotAuthorizedException", "Invalid Access Token")
    assert _call(emulator, op, victim.tokens["RefreshToken"]) == (
        "NotAuthorizedException",
        "Invalid Access Token",
    )
    idp.global_sign_out(AccessToken=victim.other_tokens["AccessToken"])
    assert _call(emulator, op, victim.other_tokens["AccessToken"]) == (
        "NotAuthorizedException",
        "Access Token has been revoked",
    )
    emulator.clock.advance(3601)
    assert _call(emulator, op, victim.tokens["AccessToken"]) == (
        "NotAuthorizedException",
        "Access Token has expired",
    )


def test_the_genuine_token_works(idp, victim):
    assert idp.get_user(AccessToken=victim.tokens["AccessToken"])["Username"] == "alice"


def _userinfo(emulator: Emulator, token: str) -> int:
    return send(emulator, "GET", "/oauth2/userInfo", headers={"Authorization": f"Bearer {token}"}).status


@pytest.fixture
def openid_tokens(emulator: Emulator, idp: Any, victim: Victim) -> Iterator[dict[str, str]]:
    """The victim's tokens with the openid scope, without which /oauth2/userInfo refuses any token: a
    PreTokenGeneration V2_0 trigger adds it to an API sign-in's access token (developer guide, "The user
    attributes endpoint": the scopes are the request's or those the trigger adds)."""

    def add_openid(event: dict[str, Any], context: Any) -> dict[str, Any]:
        override = {"accessTokenGeneration": {"scopesToAdd": ["openid"]}}
        event["response"] = {"claimsAndScopeOverrideDetails": override}
        return event

    emulator.triggers.register(OPENID_TRIGGER, add_openid)
    config = {"LambdaVersion": "V2_0", "LambdaArn": OPENID_TRIGGER}
    idp.update_user_pool(UserPoolId=victim.pool_id, LambdaConfig={"PreTokenGenerationConfig": config})
    try:
        yield password_sign_in(idp, victim.client_id, "alice")["AuthenticationResult"]
    finally:
        emulator.triggers.unregister(OPENID_TRIGGER)


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_userinfo_refuses_forged_tokens(emulator, victim, openid_tokens, forgery):
    assert _userinfo(emulator, openid_tokens["AccessToken"]) == 200
    assert _userinfo(emulator, FORGERIES[forgery](emulator, victim, openid_tokens["AccessToken"])) == 401


def test_userinfo_refuses_id_expired_revoked_and_scopeless_tokens(emulator, idp, victim, openid_tokens):
    assert _userinfo(emulator, openid_tokens["IdToken"]) == 401
    assert _userinfo(emulator, victim.tokens["AccessToken"]) == 401  # no openid scope
    emulator.clock.advance(3601)
    assert _userinfo(emulator, openid_tokens["AccessToken"]) == 401
    fresh = password_sign_in(idp, victim.client_id, "alice")["AuthenticationResult"]
    assert _userinfo(emulator, fresh["AccessToken"]) == 200
    idp.global_sign_out(AccessToken=fresh["AccessToken"])
    assert _userinfo(emulator, fresh["AccessToken"]) == 401


@pytest.fixture
def identity_pool(identity: Any, victim: Victim) -> tuple[str, str]:
    provider = f"cognito-idp.us-east-1.amazonaws.com/{victim.pool_id}"
    pool_id = identity.create_identity_pool(
        IdentityPoolName="ids",
        AllowUnauthenticatedIdentities=False,
        CognitoIdentityProviders=[{"ProviderName": provider, "ClientId": victim.client_id}],
    )["IdentityPoolId"]
    return pool_id, provider


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_identity_pool_logins_refuse_forged_id_tokens(emulator, identity, victim, identity_pool, forgery):
    pool_id, provider = identity_pool
    forged = FORGERIES[forgery](emulator, victim, victim.tokens["IdToken"])
    assert (
        code_of(identity.get_id, IdentityPoolId=pool_id, Logins={provider: forged})
        == "NotAuthorizedException"
    )
    identity.get_id(IdentityPoolId=pool_id, Logins={provider: victim.tokens["IdToken"]})


def test_identity_pool_logins_refuse_other_pools_access_and_expired_tokens(
    emulator, identity, victim, identity_pool
):
    pool_id, provider = identity_pool
    for token in (victim.other_tokens["IdToken"], victim.tokens["AccessToken"]):
        assert (
            code_of(identity.get_id, IdentityPoolId=pool_id, Logins={provider: token})
            == "NotAuthorizedException"
        )
    emulator.clock.advance(3601)
    assert (
        code_of(identity.get_id, IdentityPoolId=pool_id, Logins={provider: victim.tokens["IdToken"]})
        == "NotAuthorizedException"
    )


def _refresh(idp: Any, client_id: str, token: str) -> Any:
    return idp.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": token}
    )


def test_refresh_tokens_of_another_client_or_tampered_are_refused(idp, victim):
    token = victim.tokens["RefreshToken"]
    assert code_of(_refresh, idp, victim.other_client_id, token) == "NotAuthorizedException"
    assert code_of(
        idp.get_tokens_from_refresh_token, ClientId=victim.other_client_id, RefreshToken=token
    ) == ("NotAuthorizedException")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert code_of(_refresh, idp, victim.client_id, tampered) == "NotAuthorizedException"
    # Revoking with another client's id answers as for an unknown token (RFC 7009) and revokes nothing.
    idp.revoke_token(Token=token, ClientId=victim.other_client_id)
    assert _refresh(idp, victim.client_id, token)["AuthenticationResult"]["AccessToken"]


def test_secret_hash_missing_or_wrong_is_refused(idp, victim):
    client = idp.create_user_pool_client(
        UserPoolId=victim.pool_id, ClientName="secret", GenerateSecret=True, ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]
    assert error_of(password_sign_in, idp, client["ClientId"]) == (
        "NotAuthorizedException",
        f"Client {client['ClientId']} is configured with secret but SECRET_HASH was not received",
    )
    wrong = base64.b64encode(b"x" * 32).decode()
    assert code_of(password_sign_in, idp, client["ClientId"], SECRET_HASH=wrong) == "NotAuthorizedException"
    # A SECRET_HASH of another username is wrong too.
    other = secret_hash(client, "mallory")
    assert code_of(password_sign_in, idp, client["ClientId"], SECRET_HASH=other) == "NotAuthorizedException"
    assert password_sign_in(idp, client["ClientId"], SECRET_HASH=secret_hash(client, "alice"))[
        "AuthenticationResult"
    ]


def test_another_account_never_sees_or_changes_a_pool(emulator, idp, victim):
    stranger = boto_client(emulator, aws_access_key_id="111122223333")
    assert code_of(stranger.describe_user_pool, UserPoolId=victim.pool_id) == "ResourceNotFoundException"
    assert (
        code_of(stranger.admin_get_user, UserPoolId=victim.pool_id, Username="alice")
        == "ResourceNotFoundException"
    )
    assert code_of(stranger.delete_user_pool, UserPoolId=victim.pool_id) == "ResourceNotFoundException"
    assert code_of(stranger.list_users, UserPoolId=victim.pool_id) == "ResourceNotFoundException"
    assert stranger.list_user_pools(MaxResults=60)["UserPools"] == []
    assert idp.describe_user_pool(UserPoolId=victim.pool_id)["UserPool"]["Name"] == "victim"


def test_password_guessing_is_limited(idp, victim):
    for _ in range(5):
        assert (
            code_of(password_sign_in, idp, victim.client_id, password="Wr0ng-guess!")
            == "NotAuthorizedException"
        )
    code, message = error_of(password_sign_in, idp, victim.client_id, password="Wr0ng-guess!")
    assert (code, message) == ("NotAuthorizedException", "Password attempts exceeded")
    # Even the right password is refused while the lockout lasts.
    assert error_of(password_sign_in, idp, victim.client_id)[1] == "Password attempts exceeded"


def test_code_guessing_is_limited(idp, victim):
    idp.forgot_password(ClientId=victim.client_id, Username="alice")

    def guess() -> str:
        return code_of(
            idp.confirm_forgot_password,
            ClientId=victim.client_id,
            Username="alice",
            ConfirmationCode="000000",
            Password="N3w-Passw0rd!",
        )

    assert [guess() for _ in range(5)] == ["CodeMismatchException"] * 5
    assert guess() == "LimitExceededException"


def test_one_time_codes_are_compared_in_constant_time(monkeypatch, idp, victim):
    # Regression: a recovery or confirmation code was compared with !=, which returns sooner the earlier
    # the first wrong digit is.
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(given: bytes, expected: bytes) -> bool:
        compared.append((given, expected))
        return real(given, expected)

    monkeypatch.setattr(codes.hmac, "compare_digest", spy)
    idp.forgot_password(ClientId=victim.client_id, Username="alice")
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.confirm_forgot_password(
            ClientId=victim.client_id, Username="alice", ConfirmationCode="000000", Password="N3w-Passw0rd!"
        )
    assert compared and compared[0][0] == b"000000"
