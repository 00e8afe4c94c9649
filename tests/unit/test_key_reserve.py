"""The store of signing keys on disk and the reserve behind it (cognito_emu.idp.key_reserve)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

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


def test_the_store_is_under_the_user_cache_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(key_reserve.STORE_SETTING, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert key_reserve.store_path() == tmp_path / "cognito-emu" / "signing-keys.pem"


def test_each_key_of_the_store_goes_to_one_pool_in_order(store: Path, made: list[str]) -> None:
    write_store(store, "".join(made[:2]))
    reserve = KeyReserve(1)
    first, second, third = reserve.take(), reserve.take(), reserve.take()
    assert [first, second] == made[:2]
    # The store is used up: the next key is a fresh one, which also goes to the store for later runs.
    assert third not in made and third.startswith("-----BEGIN PRIVATE KEY-----")
    assert key_reserve.load_private_key(third).key_size == key_reserve.KEY_SIZE


def test_keys_added_to_the_store_are_readable_by_this_user_only(store: Path, made: list[str]) -> None:
    assert key_reserve.add_to_store(store, made[0])
    assert key_reserve.add_to_store(store, made[1])
    assert key_reserve.read_store(store) == made[:2]
    if os.name == "posix":
        assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert [path.name for path in store.parent.iterdir()] == [store.name]  # no temporary file left


def test_a_full_store_takes_no_more_keys(store: Path, made: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
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
