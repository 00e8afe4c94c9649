"""--deterministic SEED: two fresh emulators given the same calls answer the same ids, secrets and codes.

RSA signing keys stay random (generating them from a seeded stream is not worth the cost), so token
signatures differ; with the clocks frozen at the same instant, token claims are identical too.
"""

from __future__ import annotations

import base64
import json
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig

from cognito_emu.config import Config
from cognito_emu.emulator import Emulator

INSTANT = 1_750_000_000
# Issuers name the server's URL by default, and the two servers listen on different ports.
ISSUER = "https://cognito-idp.us-east-1.amazonaws.com"


def client(emu: Emulator, service: str = "cognito-idp") -> Any:
    return boto3.client(
        service,
        endpoint_url=emu.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=BotoConfig(retries={"total_max_attempts": 1}),
    )


def claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def scenario(emu: Emulator, noise: bool = False) -> dict[str, Any]:
    """A run of calls touching every id, secret and code the emulator draws; returns what it saw."""
    idp = client(emu)

    def poke() -> None:
        # Control-API calls (and their request ids) must not shift what the AWS calls draw.
        if noise:
            urllib.request.urlopen(emu.endpoint_url + "/_emu/health").read()

    seen: dict[str, Any] = {}
    pool = idp.create_user_pool(
        PoolName="det",
        AutoVerifiedAttributes=["email"],
        Policies={"PasswordPolicy": {"MinimumLength": 12}},
    )["UserPool"]
    seen["pool_id"] = pool["Id"]
    poke()
    app = idp.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="app",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    public = idp.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="public", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]
    seen["clients"] = [app["ClientId"], app["ClientSecret"], public["ClientId"]]
    poke()
    extra = idp.add_user_pool_client_secret(UserPoolId=pool["Id"], ClientId=app["ClientId"])
    seen["extra_secret"] = extra["ClientSecretDescriptor"]["ClientSecretValue"]
    idp.create_user_pool_domain(UserPoolId=pool["Id"], Domain="det-domain")
    seen["cloudfront"] = idp.describe_user_pool_domain(Domain="det-domain")["DomainDescription"][
        "CloudFrontDistribution"
    ]

    # A generated temporary password, delivered in an invitation.
    created = idp.admin_create_user(
        UserPoolId=pool["Id"],
        Username="invited",
        UserAttributes=[{"Name": "email", "Value": "invited@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]
    seen["invited_sub"] = created["Attributes"]
    seen["temporary_password"] = emu.outbox.last("invited").temporary_password
    poke()

    # A sign-up confirmation code, a forgot-password code.
    signed_up = idp.sign_up(
        ClientId=public["ClientId"],
        Username="self",
        Password="Self-Passw0rd-1",
        UserAttributes=[{"Name": "email", "Value": "self@example.com"}],
    )
    seen["signed_up_sub"] = signed_up["UserSub"]
    seen["signup_code"] = emu.outbox.last_code("self")
    idp.confirm_sign_up(ClientId=public["ClientId"], Username="self", ConfirmationCode=seen["signup_code"])
    poke()
    idp.forgot_password(ClientId=public["ClientId"], Username="self")
    seen["reset_code"] = emu.outbox.last_code("self")

    # Tokens: jti, origin_jti, refresh token, and the whole claim set under a frozen clock.
    idp.admin_set_user_password(
        UserPoolId=pool["Id"], Username="invited", Password="Invited-Passw0rd", Permanent=True
    )
    result = idp.initiate_auth(
        ClientId=public["ClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "invited", "PASSWORD": "Invited-Passw0rd"},
    )["AuthenticationResult"]
    seen["access_claims"] = claims(result["AccessToken"])
    seen["id_claims"] = claims(result["IdToken"])
    seen["refresh_token"] = result.get("RefreshToken")

    identity = client(emu, "cognito-identity")
    ipool = identity.create_identity_pool(IdentityPoolName="det", AllowUnauthenticatedIdentities=True)
    seen["identity_pool"] = ipool["IdentityPoolId"]
    seen["identity"] = identity.get_id(IdentityPoolId=ipool["IdentityPoolId"])["IdentityId"]
    seen["users"] = idp.list_users(UserPoolId=pool["Id"])["Users"]
    return seen


@pytest.fixture
def twins() -> Iterator[tuple[Emulator, Emulator]]:
    with ExitStack() as stack:
        pair = []
        for _ in range(2):
            emu = stack.enter_context(Emulator(Config(port=0, deterministic=7, issuer_base=ISSUER)))
            emu.clock.freeze()
            emu.clock.set(INSTANT)
            pair.append(emu)
        yield pair[0], pair[1]


def test_same_calls_same_answers(twins: tuple[Emulator, Emulator]) -> None:
    first, second = twins
    one = scenario(first)
    two = scenario(second, noise=True)
    assert one == two
    # Sanity: the scenario did see generated values.
    assert one["temporary_password"] and one["signup_code"] and one["reset_code"] and one["refresh_token"]


def test_another_seed_gives_other_values() -> None:
    with Emulator(Config(port=0, deterministic=7)) as a, Emulator(Config(port=0, deterministic=8)) as b:
        ids_a = client(a).create_user_pool(PoolName="x")["UserPool"]["Id"]
        ids_b = client(b).create_user_pool(PoolName="x")["UserPool"]["Id"]
        assert ids_a != ids_b


def test_reset_replays_the_same_sequence() -> None:
    with Emulator(Config(port=0, deterministic=7)) as emu:
        idp = client(emu)
        before = [idp.create_user_pool(PoolName=f"p{i}")["UserPool"]["Id"] for i in range(3)]
        emu.reset()
        after = [idp.create_user_pool(PoolName=f"p{i}")["UserPool"]["Id"] for i in range(3)]
        assert before == after


def test_without_a_seed_values_differ() -> None:
    with Emulator(Config(port=0)) as a, Emulator(Config(port=0)) as b:
        assert (
            client(a).create_user_pool(PoolName="x")["UserPool"]["Id"]
            != (client(b).create_user_pool(PoolName="x")["UserPool"]["Id"])
        )


@pytest.mark.parametrize("how", ["restore", "PUT /_emu/state"])
def test_a_restored_state_is_never_overwritten_by_new_ids(how: str) -> None:
    # Regression (found by fuzzing): a snapshot restored into an emulator with the same seed, and the
    # next CreateUserPool minted the restored pool's id again and replaced it.
    with Emulator(Config(port=0, deterministic=7)) as source, Emulator(Config(port=0, deterministic=7)) as emu:
        kept = client(source).create_user_pool(PoolName="kept")["UserPool"]["Id"]
        snapshot = source.snapshot()
        if how == "restore":
            emu.restore(snapshot)
        else:
            request = urllib.request.Request(
                f"{emu.endpoint_url}/_emu/state", data=json.dumps(snapshot).encode(), method="PUT"
            )
            urllib.request.urlopen(request).close()
        idp = client(emu)
        made = idp.create_user_pool(PoolName="new")["UserPool"]["Id"]
        assert made != kept
        assert idp.describe_user_pool(UserPoolId=kept)["UserPool"]["Name"] == "kept"
