"""User records kept small (issue 12): the vacant fields users share, and records written before still load."""

from __future__ import annotations

import json
import pickle

import pytest

from cognito_emu.idp.models import User, UserAttributes, UserMfa, UserPool, own_mfa
from cognito_emu.idp.users import directory
from cognito_emu.idp.users.index import UserIndex
from cognito_emu.state.codec import decode, encode

VERIFIER = "ab" * 384

# A user row as --data-dir, snapshots and GET /_emu/state wrote it before the vacant fields: every
# field present, empty collections and a default MFA state spelled out.
OLD_ROW = {
    "username": "alice",
    "sub": "9b1f0c9e-6d3a-4f0e-9a57-1d2b3c4d5e6f",
    "created": 1700000000.0,
    "modified": 1700000000.0,
    "status": "CONFIRMED",
    "enabled": True,
    "attributes": {"sub": "9b1f0c9e-6d3a-4f0e-9a57-1d2b3c4d5e6f", "email": "alice@example.com"},
    "password_hash": None,
    "srp_salt": "5f3a",
    "srp_verifier": VERIFIER,
    "password_changed": 1700000000.0,
    "temporary_password_expires": None,
    "password_history": [],
    "codes": {},
    "failed_sign_ins": 0,
    "last_failed_sign_in": None,
    "locked_until": None,
    "sessions": {},
    "sso_sessions": {},
    "pending_attributes": {},
    "mfa": {
        "sms": False,
        "software_token": False,
        "email": False,
        "preferred": None,
        "totp_secret": None,
        "totp_device_name": None,
        "pending_totp_secret": None,
        "totp_last_step": None,
    },
    "devices": {},
    "webauthn_credentials": {},
    "webauthn_registration": None,
    "auth_events": [],
    "next_sign_in_risk": None,
    "known_ips": [],
    "known_devices": [],
    "pending_sign_in_event": None,
}


def test_an_old_row_loads_onto_the_shared_vacant_fields_and_writes_back_the_same() -> None:
    first = decode(User, json.loads(json.dumps(OLD_ROW)))
    second = decode(User, {**OLD_ROW, "username": "bob"})
    assert first.srp_verifier == bytes.fromhex(VERIFIER)
    assert first.mfa is second.mfa and first.codes is second.codes and first.auth_events is second.auth_events
    assert encode(first) == OLD_ROW


def test_a_row_with_mfa_keeps_its_own() -> None:
    user = decode(User, {**OLD_ROW, "mfa": {**OLD_ROW["mfa"], "sms": True, "preferred": "SMS_MFA"}})
    assert user.mfa.sms and user.mfa.preferred == "SMS_MFA"
    assert encode(user)["mfa"]["sms"] is True


def test_the_vacant_mfa_state_is_never_written_for_every_user() -> None:
    alice = User(username="alice", sub="a", created=0, modified=0)
    bob = User(username="bob", sub="b", created=0, modified=0)
    assert alice.mfa is bob.mfa and alice.mfa == UserMfa() and UserMfa() == alice.mfa
    with pytest.raises(TypeError):
        alice.mfa.sms = True
    own_mfa(alice).sms = True
    assert alice.mfa.sms and not bob.mfa.sms and bob.mfa != alice.mfa
    assert own_mfa(alice) is alice.mfa


def test_the_vacant_mfa_state_pickles_as_vacant() -> None:
    # Point-in-time captures pickle users.
    restored = pickle.loads(pickle.dumps(User(username="carol", sub="c", created=0, modified=0)))
    assert restored.mfa == UserMfa()
    with pytest.raises(TypeError):
        restored.mfa.email = True
    own_mfa(restored).email = True
    assert restored.mfa.email


def test_rarely_set_fields_live_off_the_record_until_one_is_written() -> None:
    user = decode(User, OLD_ROW)
    assert user.extras is None and user.failed_sign_ins == 0 and user.sessions == {}
    user.failed_sign_ins = 0  # a sign-in resetting the lockout
    user.locked_until = None
    assert user.extras is None
    user.failed_sign_ins = 3
    assert user.extras is not None and user.failed_sign_ins == 3
    assert encode(user) == {**OLD_ROW, "failed_sign_ins": 3}
    assert decode(User, encode(user)).failed_sign_ins == 3
    with pytest.raises(TypeError):
        User(username="dave", sub="d", created=0, modified=0).codes["signup"] = None  # type: ignore[assignment]


def test_a_row_with_lockout_and_history_loads_its_extras() -> None:
    row = {**OLD_ROW, "locked_until": 1700000100.0, "password_history": ["old$record"]}
    user = decode(User, row)
    assert user.locked_until == 1700000100.0 and user.password_history == ["old$record"]
    assert user.mfa == UserMfa() and encode(user) == row
    assert pickle.loads(pickle.dumps(user)).password_history == ["old$record"]


def _named(number: int, name: str) -> User:
    sub = f"00000000-0000-4000-8000-{number:012d}"
    return User(
        username=f"user-{number}", sub=sub, created=0, modified=0, attributes={"sub": sub, "name": name}
    )


def test_the_index_keeps_each_users_own_values_not_folded_copies() -> None:
    index = UserIndex()
    # Out of order, so the index sorts them on the first read as after a bulk load.
    users = [_named(number, name) for number, name in enumerate(["Zoe Ray", "ann Lee", "ANN Kim", "Bob"])]
    for user in users:
        index.add(user.username, user, [])
    assert index.find_exact("name", "ann lee", {}) == {"user-1"}
    assert index.find_prefix("name", "aNn", {}) == {"user-1", "user-2"}
    names = index.values["name"].values
    assert names == ["ANN Kim", "ann Lee", "Bob", "Zoe Ray"]
    assert all(any(value is user.attributes["name"] for user in users) for value in names)
    # A removal after that sort finds the user among the sorted values.
    index.remove("user-2", users[2], [])
    assert index.find_prefix("name", "ann", {}) == {"user-1"}
    assert index.sub_holders(users[3].sub.upper()) == {"user-3"}


def _aliased(number: int, email: str) -> User:
    sub = f"00000000-0000-4000-8000-{number:012d}"
    attributes = {"sub": sub, "email": email, "email_verified": "true"}
    return User(username=f"user-{number}", sub=sub, created=0, modified=0, attributes=attributes)


def test_the_alias_index_keeps_only_each_users_own_value_and_finds_it_again_on_removal() -> None:
    index = UserIndex()
    ann, bob = _aliased(1, "ann@example.com"), _aliased(2, "Bob@Example.com")
    index.add("user-1", ann, [("email", ann.attributes["email"])])
    index.add("user-2", bob, [("email", bob.attributes["email"])])
    assert index.alias_owner("email", "ANN@example.COM") == "user-1"
    assert index.alias_owner("email", "bob@example.com") == "user-2"
    assert index.alias_owner("phone_number", "ann@example.com") is None
    # A lower-case value is the user's own string, not a copy; nothing else is kept per user.
    assert next(iter(index.by_alias["email"])) is ann.attributes["email"]
    # The value moved to another user (ForceAliasCreation): removing the earlier owner leaves it theirs.
    carol = _aliased(3, "ann@example.com")
    index.add("user-3", carol, [("email", "ann@example.com")])
    index.remove("user-1", ann, [("email", ann.attributes["email"])])
    assert index.alias_owner("email", "Ann@Example.com") == "user-3"
    index.remove("user-2", bob, [("email", bob.attributes["email"])])
    assert index.alias_owner("email", "bob@example.com") is None
    assert index.by_alias == {"email": {"ann@example.com": "user-3"}}


def test_attributes_keep_a_dicts_order_and_share_their_names() -> None:
    first = UserAttributes({"sub": "a", "email": "a@example.com"}).with_values({"name": "Ann"})
    second = UserAttributes({"sub": "b", "email": "b@example.com"}).with_values({"name": "Bob"})
    first = first.with_values({"email": "ann@example.com"})
    assert list(first.items()) == [("sub", "a"), ("email", "ann@example.com"), ("name", "Ann")]
    assert first == {"sub": "a", "email": "ann@example.com", "name": "Ann"}
    assert {"sub": "a", "email": "ann@example.com", "name": "Ann"} == first != second
    assert first._names() is second._names()
    first = first.without("email").with_values({"email": "a@example.com"})
    assert list(first) == ["sub", "name", "email"]
    first = first.without("name", "nickname")
    assert "name" not in first and first.get("name") is None and len(first) == 2
    assert dict(first) == {**first} == {"sub": "a", "email": "a@example.com"}
    assert repr(first) == repr({"sub": "a", "email": "a@example.com"})
    with pytest.raises(KeyError):
        first["name"]
    with pytest.raises(TypeError):
        first["name"] = "Ann"  # type: ignore[index]


def test_attributes_load_from_the_plain_mapping_written_before_and_write_it_back() -> None:
    user = decode(User, json.loads(json.dumps(OLD_ROW)))
    assert isinstance(user.attributes, UserAttributes)
    assert encode(user)["attributes"] == OLD_ROW["attributes"]
    restored = pickle.loads(pickle.dumps(user))
    assert isinstance(restored.attributes, UserAttributes) and restored.attributes == user.attributes
    assert restored.attributes._names() is user.attributes._names()


@pytest.mark.parametrize(
    ("written", "salt"),
    [("5f3a", b"\x5f\x3a"), ("00c4", b"\x00\xc4"), ("abc", b"\x0a\xbc"), ("0x5F3A", b"\x5f\x3a")],
)
def test_a_salt_written_as_text_loads_as_the_bytes_it_spells(written: str, salt: bytes) -> None:
    user = decode(User, {**OLD_ROW, "srp_salt": written})
    assert user.srp_salt == salt
    assert encode(user)["srp_salt"] == salt.hex()


def test_every_user_shares_one_string_for_a_boolean_attributes_value() -> None:
    made = UserAttributes({"email_verified": "".join(["tr", "ue"])})
    made = made.with_values({"phone_number_verified": "".join(["fal", "se"])})
    assert made["email_verified"] is UserAttributes({"email_verified": "true"})["email_verified"]
    assert made["phone_number_verified"] is UserAttributes({"x": "false"})["x"]


def test_a_case_insensitive_pool_keys_a_lower_case_username_by_the_username_itself() -> None:
    pool = UserPool(
        id="us-east-1_x",
        name="p",
        account="000000000000",
        region="us-east-1",
        created=0,
        modified=0,
        settings={"UsernameConfiguration": {"CaseSensitive": False}},
    )
    lower = "".join(["ali", "ce"])
    assert directory.user_key(pool, lower) is lower
    assert directory.user_key(pool, "Alice") == "alice"
