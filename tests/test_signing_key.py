"""A default signing key for every user pool (--signing-key, Emulator(signing_key=...), a seed's top-level
signingKey), for suites that pin a key, beside the seed's per-pool signingKey / accessSigningKey."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cognito_emu.emulator import Emulator
from cognito_emu.seed import SeedError
from cognito_emu.testing import mock_cognito

REGION = "us-east-1"
PASSWORD = "Passw0rd!x"


def new_pem(kind: str = "rsa") -> str:
    key: Any = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if kind == "rsa"
        else ec.generate_private_key(ec.SECP256R1())
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


PINNED = new_pem()
OTHER = new_pem()


def public_key(pem: str) -> Any:
    return serialization.load_pem_private_key(pem.encode(), password=None).public_key()


def tokens_of_a_new_pool(name: str = "p") -> tuple[str, dict[str, str]]:
    """A pool made through the API, a user in it, and that user's tokens."""
    idp = boto3.client("cognito-idp", region_name=REGION)
    pool_id = idp.create_user_pool(PoolName=name)["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True)
    result = idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD}
    )["AuthenticationResult"]
    return pool_id, result


def verifies_with(pem: str, token: str) -> bool:
    try:
        jwt.decode(token, public_key(pem), algorithms=["RS256"], options={"verify_aud": False})
    except jwt.InvalidSignatureError:
        return False
    return True


def test_every_pool_signs_both_tokens_with_the_pinned_key_and_lists_it_once():
    with mock_cognito(signing_key=PINNED) as emu:
        for name in ("one", "two"):
            pool_id, tokens = tokens_of_a_new_pool(name)
            assert verifies_with(PINNED, tokens["IdToken"]) and verifies_with(PINNED, tokens["AccessToken"])
            (key,) = emu.jwks(pool_id)["keys"]
            assert jwt.get_unverified_header(tokens["IdToken"])["kid"] == key["kid"]
            assert jwt.get_unverified_header(tokens["AccessToken"])["kid"] == key["kid"]
        # A full reset keeps the setting: pools made after it are signed with the same key.
        emu.reset()
        _, tokens = tokens_of_a_new_pool("after-reset")
        assert verifies_with(PINNED, tokens["IdToken"])


def test_without_the_setting_each_pool_has_two_keys_of_its_own():
    with mock_cognito() as emu:
        pool_id, tokens = tokens_of_a_new_pool()
        assert len(emu.jwks(pool_id)["keys"]) == 2
        assert not verifies_with(PINNED, tokens["IdToken"])


def test_the_setting_may_name_a_file(tmp_path: Path):
    key_file = tmp_path / "signing.pem"
    key_file.write_text(PINNED)
    with mock_cognito(signing_key=str(key_file)):
        _, tokens = tokens_of_a_new_pool()
        assert verifies_with(PINNED, tokens["AccessToken"])


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("/no/such/signing.pem", "signing key: cannot read /no/such/signing.pem"),
        (new_pem("ec"), "signing key: a user pool signing key must be RSA"),
        ("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n", "signing key: not a usable PEM"),
    ],
    ids=["missing file", "not RSA", "not a key"],
)
def test_a_bad_setting_is_refused_at_start(setting: str, message: str):
    with pytest.raises(ValueError, match=message):
        Emulator(signing_key=setting)


def seed(**top: Any) -> dict[str, Any]:
    return {
        **top,
        "userPools": [
            {"PoolName": "shared", "Id": f"{REGION}_Shared01"},
            {"PoolName": "own", "Id": f"{REGION}_OwnKey01", "signingKey": OTHER},
        ],
    }


def test_a_seeds_top_level_key_signs_its_pools_and_a_pools_own_key_wins():
    emu = Emulator()
    emu.load_seed(seed(signingKey=PINNED))
    shared, own = emu.jwks(f"{REGION}_Shared01")["keys"], emu.jwks(f"{REGION}_OwnKey01")["keys"]
    pinned_kid = shared[0]["kid"]
    assert len(shared) == 1
    # The pool's own signingKey signs its ID tokens; its access tokens keep the seed's key.
    assert [key["kid"] for key in own] == [own[0]["kid"], pinned_kid] and own[0]["kid"] != pinned_kid
    # The seed's key is the seed's: a pool made through the API afterwards gets keys of its own.
    with mock_cognito(emulator=emu):
        pool_id, _ = tokens_of_a_new_pool("api")
    assert pinned_kid not in [key["kid"] for key in emu.jwks(pool_id)["keys"]]


def test_a_seeds_pool_key_wins_over_the_emulators():
    emu = Emulator(signing_key=PINNED)
    emu.load_seed(seed())
    assert len(emu.jwks(f"{REGION}_Shared01")["keys"]) == 1
    own = emu.jwks(f"{REGION}_OwnKey01")["keys"]
    assert own[1]["kid"] == emu.jwks(f"{REGION}_Shared01")["keys"][0]["kid"] != own[0]["kid"]


def test_a_bad_top_level_seed_key_names_its_place():
    with pytest.raises(SeedError, match="signingKey: expected a PEM private key"):
        Emulator().load_seed(seed(signingKey="not a key"))


def test_cli_refuses_a_bad_signing_key_with_exit_code_2(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "cognito_emu", "serve", "--port", "0", "--signing-key", str(tmp_path / "none.pem")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "signing key: cannot read" in result.stderr
