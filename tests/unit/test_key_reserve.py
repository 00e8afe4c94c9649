"""The store of signing keys on disk and the reserve behind it (cognito_emu.idp.key_reserve)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from cognito_emu.idp import key_reserve
from cognito_emu.idp.key_reserve import KeyReserve


@pytest.fixture(scope="module")
def made() -> list[str]:
    return [key_reserve.generate_pem() for _ in range(3)]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache" / "signing-keys.pem"
    monkeypatch.setenv(key_reserve.STORE_SETTING, str(path))
    return path


def write_store(path: Path, text: str, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)


def test_the_store_is_under_the_user_cache_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(key_reserve.STORE_SETTING, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert key_reserve.store_path() == tmp_path / "cognito-emu" / "signing-keys.pem"


def test_each_key_of_the_store_goes_to_one_pool_in_order(store: Path, made: list[str]) -> None:
    write_store(store, "".join(made[:2]))
    reserve = KeyReserve(1)
    first, second, third = reserve.take(), reserve.take(), reserve.take()
    assert [first, second] == made[:2]
    # The store is used up: the next key is a fresh one the background thread made (it also goes to the
    # store for later runs), or one made of the two keys' primes.
    assert third not in made and third.startswith("-----BEGIN PRIVATE KEY-----")
    assert key_reserve.load_private_key(third).key_size == key_reserve.KEY_SIZE


def test_keys_added_to_the_store_are_readable_by_this_user_only(store: Path, made: list[str]) -> None:
    assert key_reserve.add_to_store(store, made[0])
    assert key_reserve.add_to_store(store, made[1])
    assert key_reserve.read_store(store) == made[:2]
    if os.name == "posix":
        assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert [path.name for path in store.parent.iterdir()] == [store.name]  # no temporary file left


def test_a_full_store_takes_no_more_keys(
    store: Path, made: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(key_reserve, "STORE_SIZE", 2)
    assert key_reserve.add_to_store(store, made[0]) and key_reserve.add_to_store(store, made[1])
    assert not key_reserve.add_to_store(store, made[2])
    assert key_reserve.read_store(store) == made[:2]


@pytest.mark.skipif(os.name != "posix", reason="owner-only file modes are POSIX's")
def test_a_store_others_can_read_is_not_used(store: Path, made: list[str]) -> None:
    write_store(store, "".join(made), mode=0o644)
    assert key_reserve.read_store(store) == []
    assert KeyReserve(1).take() not in made


def test_damaged_truncated_or_empty_stores_cost_only_generation(store: Path, made: list[str]) -> None:
    body = made[0].splitlines()
    middle = len(body) // 2
    # A changed digit inside the key: still a well-formed PEM, but its numbers no longer agree.
    damaged_line = body[middle][:10] + ("A" if body[middle][10] != "A" else "B") + body[middle][11:]
    damaged = "\n".join([*body[:middle], damaged_line, *body[middle + 1 :]]) + "\n"
    truncated = made[2][: len(made[2]) // 2]
    write_store(store, damaged + "not a key\n" + made[1] + truncated)
    reserve = KeyReserve(1)
    assert reserve.take() == made[1]
    assert reserve.take() not in made
    for text in ("", "\x00garbage\xff", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"):
        write_store(store, text)
        assert KeyReserve(1).take() not in made


def test_the_setting_off_neither_reads_nor_writes_a_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, made: list[str]
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    default = tmp_path / "cognito-emu" / "signing-keys.pem"
    write_store(default, "".join(made))
    monkeypatch.setenv(key_reserve.STORE_SETTING, "off")
    assert key_reserve.store_path() is None
    reserve = KeyReserve(1)
    taken = {reserve.take() for _ in range(3)}
    assert not taken & set(made) and len(taken) == 3
    assert key_reserve.read_store(default) == made


def _modulus(pem: str) -> int:
    return int(key_reserve.load_private_key(pem).public_key().public_numbers().n)


@pytest.fixture
def store_only(store: Path, made: list[str], monkeypatch: pytest.MonkeyPatch) -> KeyReserve:
    """A reserve of the three made keys' store, with no thread making keys beside it."""
    write_store(store, "".join(made))
    reserve = KeyReserve(0)
    monkeypatch.setattr(reserve, "_start_filler", lambda: None)
    return reserve


def test_past_the_store_keys_are_made_of_known_primes_not_generated(
    store_only: KeyReserve, made: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A suite making more pools than the store has keys for: no key is generated while pairs of the
    # primes handed out remain, and no two keys (nor any store key) share a modulus.
    reserve = store_only
    generate = key_reserve.generate_pem
    this_thread = threading.current_thread()

    def generated() -> str:
        # Other tests' reserves may still be filling their stores on threads of their own.
        if threading.current_thread() is this_thread:
            raise AssertionError("a key was generated")
        return generate()

    monkeypatch.setattr(key_reserve, "generate_pem", generated)
    # Three keys, six primes: fifteen pairs, three of them the keys' own.
    taken = [reserve.take() for _ in range(15)]
    assert taken[:3] == made
    moduli = [_modulus(pem) for pem in taken]
    assert len(set(moduli)) == 15
    known = {prime for pem in made for prime in key_reserve._primes(pem) or ()}
    for pem in taken[3:]:
        key = key_reserve.load_private_key(pem)
        numbers = key.private_numbers()
        assert {numbers.p, numbers.q} <= known
        assert key.key_size == key_reserve.KEY_SIZE
        assert key_reserve._primes(pem) is not None  # its parts agree
        signature = key.sign(b"payload", padding.PKCS1v15(), hashes.SHA256())
        key.public_key().verify(signature, b"payload", padding.PKCS1v15(), hashes.SHA256())
    # All pairs used: the next key has to be generated.
    with pytest.raises(AssertionError, match="a key was generated"):
        reserve.take()


def test_a_forked_child_pairs_primes_from_the_start_again(store_only: KeyReserve) -> None:
    # As it takes the store's keys again: separate processes share keys, one process never.
    reserve = store_only
    first = [reserve.take() for _ in range(4)]
    reserve.forget()
    assert [reserve.take() for _ in range(4)] == first
