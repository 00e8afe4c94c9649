"""The server side of SRP against pycognito's client side (the code real users run)."""

from __future__ import annotations

import base64
import os
from datetime import UTC, datetime

import pytest
from pycognito.aws_srp import AWSSRP

from cognito_emu.errors import InvalidParameterException
from cognito_emu.idp.factors import srp
from cognito_emu.idp.models import SrpServerState

POOL_ID = "us-east-1_AbCdEf123"
REALM = "AbCdEf123"


def _handshake(
    username: str, password: str, client_password: str, salt_hex: str, *, pool_id: str = POOL_ID
) -> tuple[bool, dict[str, str]]:
    realm = srp.pool_name(pool_id)
    verifier = srp.make_verifier(realm, username, password, salt_hex)
    client = AWSSRP(username, client_password, pool_id, "client-id", client=object())
    auth = client.get_auth_params()
    challenge = srp.server_challenge(verifier, os.urandom(32))
    secret_block = base64.b64encode(os.urandom(64)).decode()
    answer = client.process_challenge(
        {
            "USERNAME": username,
            "USER_ID_FOR_SRP": username,
            "SALT": salt_hex,
            "SRP_B": challenge.big_b,
            "SECRET_BLOCK": secret_block,
        },
        auth,
    )
    ok = srp.verify_password_claim(
        realm,
        username,
        salt_hex,
        verifier,
        auth["SRP_A"],
        challenge,
        answer["PASSWORD_CLAIM_SECRET_BLOCK"],
        answer["TIMESTAMP"],
        answer["PASSWORD_CLAIM_SIGNATURE"],
    )
    return ok, answer


SALTS = [
    srp.canonical_salt(bytes.fromhex("80" + "11" * 15)),  # high bit: "00" prefix
    srp.canonical_salt(bytes.fromhex("0f" + "22" * 15)),  # odd length: "0" prefix
    srp.canonical_salt(bytes.fromhex("00" * 3 + "7a" * 13)),  # leading zero bytes
    srp.canonical_salt(bytes.fromhex("5c3e9a0b7d21f4468e0c2b9d1a7f3e55")),  # an ordinary one
]


@pytest.mark.parametrize(
    "username", ["alice", "Bob.Smith@example.com", "żółć-ünïcödé", "用户名", "a" * 128, "e0c1-uuid-like"]
)
@pytest.mark.parametrize("salt_hex", SALTS)
def test_right_password_is_accepted_wrong_is_refused(username: str, salt_hex: str) -> None:
    ok, _ = _handshake(username, "Passw0rd!ü", "Passw0rd!ü", salt_hex)
    assert ok
    bad, _ = _handshake(username, "Passw0rd!ü", "Passw0rd!u", salt_hex)
    assert not bad


def test_salt_hex_is_a_fixed_point_of_padding() -> None:
    for salt in SALTS:
        assert srp.pad_hex(int(salt, 16)) == salt


def test_other_pool_name_is_refused() -> None:
    salt = SALTS[0]
    verifier = srp.make_verifier("OtherPool", "alice", "Passw0rd!", salt)
    client = AWSSRP("alice", "Passw0rd!", POOL_ID, "client-id", client=object())
    auth = client.get_auth_params()
    challenge = srp.server_challenge(verifier, os.urandom(32))
    block = base64.b64encode(b"block").decode()
    answer = client.process_challenge(
        {"USER_ID_FOR_SRP": "alice", "SALT": salt, "SRP_B": challenge.big_b, "SECRET_BLOCK": block},
        {"USERNAME": "alice"},
    )
    assert not srp.verify_password_claim(
        "OtherPool",
        "alice",
        salt,
        verifier,
        auth["SRP_A"],
        challenge,
        block,
        answer["TIMESTAMP"],
        answer["PASSWORD_CLAIM_SIGNATURE"],
    )


def _fresh(username: str = "alice") -> tuple[str, SrpServerState, dict[str, str], dict[str, str]]:
    salt = SALTS[3]
    verifier = srp.make_verifier(REALM, username, "Passw0rd!", salt)
    client = AWSSRP(username, "Passw0rd!", POOL_ID, "client-id", client=object())
    auth = client.get_auth_params()
    challenge = srp.server_challenge(verifier, os.urandom(32))
    block = base64.b64encode(os.urandom(32)).decode()
    answer = client.process_challenge(
        {"USER_ID_FOR_SRP": username, "SALT": salt, "SRP_B": challenge.big_b, "SECRET_BLOCK": block},
        {"USERNAME": username},
    )
    return verifier, challenge, auth, answer


def _verify(verifier: str, challenge: SrpServerState, auth: dict[str, str], answer: dict[str, str]) -> bool:
    return srp.verify_password_claim(
        REALM,
        "alice",
        SALTS[3],
        verifier,
        auth["SRP_A"],
        challenge,
        answer["PASSWORD_CLAIM_SECRET_BLOCK"],
        answer["TIMESTAMP"],
        answer["PASSWORD_CLAIM_SIGNATURE"],
    )


def test_tampered_answers_are_refused() -> None:
    verifier, challenge, auth, answer = _fresh()
    assert _verify(verifier, challenge, auth, answer)
    other_block = base64.b64encode(b"another block").decode()
    assert not _verify(verifier, challenge, auth, {**answer, "PASSWORD_CLAIM_SECRET_BLOCK": other_block})
    assert not _verify(verifier, challenge, auth, {**answer, "PASSWORD_CLAIM_SIGNATURE": "not base64!"})
    assert not _verify(verifier, challenge, auth, {**answer, "TIMESTAMP": answer["TIMESTAMP"] + " "})
    assert not _verify(verifier, challenge, {**auth, "SRP_A": srp.N_HEX}, answer)
    assert not _verify(verifier, challenge, {**auth, "SRP_A": "zz"}, answer)
    other = srp.server_challenge(verifier, os.urandom(32))
    assert not _verify(verifier, other, auth, answer)


def test_public_a_checks() -> None:
    assert srp.parse_public_a("0a") == 10
    for bad in ["", "0", srp.N_HEX, format(srp.N * 3, "x"), "xyz", "f" * 5000]:
        with pytest.raises(InvalidParameterException):
            srp.parse_public_a(bad)


def test_k_matches_the_clients() -> None:
    client = AWSSRP("u", "p", POOL_ID, "c", client=object())
    assert client.val_k == srp.K


def test_timestamp_format() -> None:
    moment = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert srp.format_timestamp(moment) == "Tue Jan 2 03:04:05 UTC 2024"
    assert srp.format_timestamp(moment) == AWSSRP.get_cognito_formatted_timestamp(moment)
    assert srp.parse_timestamp("Tue Jan 2 03:04:05 UTC 2024") == moment
    assert srp.parse_timestamp("Sun Dec 31 23:59:59 UTC 2023") is not None
    # Cognito refuses a zero-padded day and a weekday that does not match the date.
    assert srp.parse_timestamp("Tue Jan 02 03:04:05 UTC 2024") is None
    assert srp.parse_timestamp("Wed Jan 2 03:04:05 UTC 2024") is None
    assert srp.parse_timestamp("Tue Jan 2 03:04:05 GMT 2024") is None
    assert srp.parse_timestamp("Thu Feb 30 03:04:05 UTC 2024") is None
    assert srp.parse_timestamp("Tue Jan 2 3:04:05 UTC 2024") is None


def test_device_flow_uses_the_same_math() -> None:
    # pycognito's device verifier config: realm = device group key, user = device key.
    from pycognito.aws_srp import generate_hash_device

    group, device = "-abcdEFG", "us-east-1_f0e1d2c3-0000-4000-8000-000000000000"
    password, config = generate_hash_device(group, device)
    salt_hex = base64.b64decode(config["Salt"]).hex()
    verifier_hex = base64.b64decode(config["PasswordVerifier"]).hex()
    assert srp.make_verifier(group, device, password, salt_hex) == srp.pad_hex(int(verifier_hex, 16))
    client = AWSSRP(
        "alice",
        "pw",
        POOL_ID,
        "c",
        client=object(),
        device_key=device,
        device_group_key=group,
        device_password=password,
    )
    challenge = srp.server_challenge(verifier_hex, os.urandom(32))
    block = base64.b64encode(b"device block").decode()
    answer = client.process_device_challenge(
        {"USERNAME": "alice", "SALT": salt_hex, "SRP_B": challenge.big_b, "SECRET_BLOCK": block}
    )
    assert srp.verify_password_claim(
        group,
        device,
        salt_hex,
        verifier_hex,
        format(client.large_a_value, "x"),
        challenge,
        block,
        answer["TIMESTAMP"],
        answer["PASSWORD_CLAIM_SIGNATURE"],
    )


def test_fixed_base_powers_match_pow_before_and_after_the_windows_widen(monkeypatch) -> None:
    monkeypatch.setattr(srp, "_WIDE_AFTER", 4)
    srp._gmp.cache_clear()
    try:
        exponents = [
            0,
            1,
            2,
            (1 << 256) - 1,
            1 << 255,
            *(int.from_bytes(bytes([n]) * 32, "big") for n in range(1, 9)),
        ]
        widths = []
        for exponent in exponents:
            assert srp.g_pow(exponent) == pow(srp.G, exponent, srp.N)
            widths.append(srp._gmp().g_table.bits)
        assert widths[:3] == [6, 6, 6]
        assert widths[-1] == 8
        # A wider exponent takes the general powmod.
        assert srp.g_pow(1 << 300) == pow(srp.G, 1 << 300, srp.N)
    finally:
        srp._gmp.cache_clear()
