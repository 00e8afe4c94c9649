from __future__ import annotations

import base64
import hashlib
import os
from types import SimpleNamespace
from typing import Any

import bcrypt
import pytest
from pycognito.aws_srp import AWSSRP

from cognito_emu.clock import Clock
from cognito_emu.config import Config
from cognito_emu.errors import InvalidPasswordException, PasswordHistoryPolicyViolationException
from cognito_emu.idp.factors import passwords, srp
from cognito_emu.idp.models import User, UserPool
from cognito_emu.ids import Ids
from cognito_emu.state import State

PREFIX = "Password did not conform with policy: "


def make_env(seed: int | None = 7) -> Any:
    clock = Clock()
    clock.set(1_700_000_000)
    clock.freeze()
    return SimpleNamespace(config=Config(), clock=clock, ids=Ids(seed), state=State())


def make_pool(policy: dict[str, Any] | None = None, pool_id: str = "us-east-1_Pool123") -> UserPool:
    settings = {"Policies": {"PasswordPolicy": policy}} if policy is not None else {}
    return UserPool(
        id=pool_id,
        name="p",
        account="1",
        region="us-east-1",
        created=0,
        modified=0,
        settings=settings,
    )


def make_user(name: str = "alice") -> User:
    return User(username=name, sub="sub-1", created=0, modified=0)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Ab1!", "Password not long enough"),
        ("abcdefg1!", "Password must have uppercase characters"),
        ("ABCDEFG1!", "Password must have lowercase characters"),
        ("Abcdefgh!", "Password must have numeric characters"),
        ("Abcdefgh1", "Password must have symbol characters"),
        ("Ábcdefgh1!", "Password must have uppercase characters"),  # Basic Latin only
        ("Abcdefgh1 ", "Password must have symbol characters"),  # trailing space does not count
    ],
)
def test_default_policy_messages(password: str, reason: str) -> None:
    with pytest.raises(InvalidPasswordException) as err:
        passwords.check_password_policy(None, password)
    assert err.value.message == PREFIX + reason
    assert err.value.code == "InvalidPasswordException"


@pytest.mark.parametrize("symbol", list("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-") + [" "])
def test_every_documented_symbol_counts(symbol: str) -> None:
    passwords.check_password_policy(None, f"Abcdef1{symbol}x")


def test_given_policy_missing_requirements_are_off() -> None:
    passwords.check_password_policy({"MinimumLength": 6}, "abcdef")
    with pytest.raises(InvalidPasswordException, match="not long enough"):
        passwords.check_password_policy({"MinimumLength": 6}, "abcde")
    assert passwords.pool_policy(make_pool())["RequireSymbols"] is True
    assert passwords.pool_policy(make_pool({"MinimumLength": 10}))["RequireSymbols"] is False


@pytest.mark.parametrize(
    "policy",
    [
        None,
        {"MinimumLength": 6},
        {"MinimumLength": 99, "RequireUppercase": True, "RequireSymbols": True},
        {"MinimumLength": 8, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True},
    ],
)
def test_generated_temporary_passwords_satisfy_the_policy(policy: dict[str, Any] | None) -> None:
    env = make_env(seed=None)
    for _ in range(50):
        passwords.check_password_policy(policy, passwords.generate_temporary_password(env, policy))


def test_generated_passwords_are_deterministic_with_a_seed() -> None:
    assert passwords.generate_temporary_password(make_env(3), None) == passwords.generate_temporary_password(
        make_env(3), None
    )


def test_bcrypt_hashes_of_older_data_still_verify() -> None:
    long_password = "Aa1!" + "x" * 250  # beyond bcrypt's 72 bytes: the tail still matters
    hashed = bcrypt.hashpw(base64.b64encode(hashlib.sha256(long_password.encode()).digest()), bcrypt.gensalt(4))
    assert passwords.verify_password(hashed.decode(), long_password)
    assert not passwords.verify_password(hashed.decode(), long_password[:-1] + "y")
    assert not passwords.verify_password(None, "x")
    assert not passwords.verify_password("not a hash", "x")


def test_the_verifier_checks_plain_passwords_too() -> None:
    env = make_env()
    pool, user = make_pool(), make_user("Alice")
    long_password = "Aa1!" + "x" * 250
    passwords.set_password(env, pool, user, long_password, temporary=False)
    assert passwords.check_password(pool, user, long_password)
    assert not passwords.check_password(pool, user, long_password[:-1] + "y")
    passwords.set_password(env, pool, user, "pässwörd", temporary=False)
    assert passwords.check_password(pool, user, "pässwörd")
    assert not passwords.check_password(pool, user, long_password)
    # The verifier binds the pool and the username: the same password elsewhere is another secret.
    assert not passwords.check_password(make_pool(pool_id="us-east-1_Other"), user, "pässwörd")


def test_a_user_of_older_data_keeps_signing_in_and_its_bcrypt_history_counts() -> None:
    env = make_env()
    pool, user = make_pool({"MinimumLength": 6, "PasswordHistorySize": 3}), make_user("Alice")
    passwords.set_password(env, pool, user, "first1", temporary=False)
    older = bcrypt.hashpw(base64.b64encode(hashlib.sha256(b"older0").digest()), bcrypt.gensalt(4)).decode()
    current = bcrypt.hashpw(base64.b64encode(hashlib.sha256(b"first1").digest()), bcrypt.gensalt(4)).decode()
    # As a data dir written before: a bcrypt hash beside the verifier, the history ending with it.
    user.password_hash, user.password_history = current, [older, current]
    assert passwords.check_password(pool, user, "first1")
    assert passwords.in_history(pool, user, "older0", 3)
    passwords.set_password(env, pool, user, "second2", temporary=False)
    assert user.password_hash is None
    assert passwords.in_history(pool, user, "first1", 3) and passwords.in_history(pool, user, "older0", 3)
    assert not passwords.in_history(pool, user, "older0", 2)


def test_set_password_stores_no_plain_password_and_srp_works() -> None:
    env = make_env()
    pool, user = make_pool(), make_user("Alice")
    passwords.set_password(env, pool, user, "Passw0rd!", temporary=False)
    assert "Passw0rd!" not in repr(user)
    assert user.password_hash is None and user.srp_verifier is not None
    assert passwords.check_password(pool, user, "Passw0rd!")
    assert user.password_changed == env.clock.now()
    assert user.temporary_password_expires is None
    assert user.password_history == []

    client = AWSSRP("Alice", "Passw0rd!", pool.id, "client", client=object())
    auth = client.get_auth_params()
    challenge = srp.server_challenge(user.srp_verifier.hex(), os.urandom(32))
    block = base64.b64encode(b"block").decode()
    answer = client.process_challenge(
        {"USER_ID_FOR_SRP": "Alice", "SALT": user.srp_salt.hex(), "SRP_B": challenge.big_b, "SECRET_BLOCK": block},
        {"USERNAME": "Alice"},
    )
    assert srp.verify_password_claim(
        srp.pool_name(pool.id),
        "Alice",
        user.srp_salt.hex(),
        user.srp_verifier.hex(),
        auth["SRP_A"],
        challenge,
        block,
        answer["TIMESTAMP"],
        answer["PASSWORD_CLAIM_SIGNATURE"],
    )


def test_temporary_password_expiry_follows_the_policy_and_the_clock() -> None:
    env = make_env()
    user = make_user()
    passwords.set_password(env, make_pool(), user, "Passw0rd!", temporary=True)
    assert user.temporary_password_expires == env.clock.now() + 7 * 86400
    passwords.set_password(
        env, make_pool({"TemporaryPasswordValidityDays": 2}), user, "Passw0rd!", temporary=True
    )
    assert user.temporary_password_expires == env.clock.now() + 2 * 86400
    assert not passwords.temporary_password_expired(env, user)
    env.clock.advance(2 * 86400)
    assert passwords.temporary_password_expired(env, user)
    passwords.set_password(env, make_pool(), user, "Passw0rd!2", temporary=False)
    assert user.temporary_password_expires is None


def test_password_history() -> None:
    env = make_env()
    pool = make_pool({"MinimumLength": 6, "PasswordHistorySize": 2})
    user = make_user()
    for pw in ["first1", "second2", "third3"]:
        passwords.check_new_password(pool, user, pw)
        passwords.set_password(env, pool, user, pw, temporary=False)
    assert passwords.in_history(pool, user, "third3", 2)
    assert passwords.in_history(pool, user, "second2", 2)
    assert not passwords.in_history(pool, user, "first1", 2)
    assert passwords.in_history(pool, user, "first1", 3)
    assert not passwords.in_history(pool, user, "third3", 0)
    with pytest.raises(PasswordHistoryPolicyViolationException):
        passwords.check_new_password(pool, user, "second2")
    passwords.check_new_password(pool, user, "first1")
    # Without a history size, the current password may be set again.
    passwords.check_new_password(make_pool({"MinimumLength": 6}), user, "third3")


def test_history_is_bounded() -> None:
    env = make_env()
    user = make_user()
    for i in range(30):
        passwords.set_password(env, make_pool(), user, f"Passw0rd!{i}", temporary=False)
    # The current password and the 23 before it.
    assert len(user.password_history) == passwords.MAX_HISTORY - 1
