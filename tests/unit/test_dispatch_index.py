"""The index of the handler modules (``cognito_emu.dispatch``): written when missing or stale, read back
by a later start, and answering what the full table answers while importing only the module asked for."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cognito_emu import cache_dir, dispatch
from cognito_emu.protocol.model import IDENTITY, IDP


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    dispatch._index.cache_clear()
    dispatch._ops.cache_clear()
    yield tmp_path
    dispatch._index.cache_clear()
    dispatch._ops.cache_clear()


def _stored() -> dict[str, object]:
    stored: dict[str, object] = json.loads(dispatch._index_file().read_text())
    return stored


def test_a_missing_index_is_made_at_start_and_read_back(cache_home: Path) -> None:
    assert dispatch._index() is None
    dispatch.prepare()
    assert dispatch._index_file().parent == cache_home / "cognito-emu"
    dispatch._index.cache_clear()
    index = dispatch._index()
    assert index is not None
    assert index["handlers"][IDP]["CreateUserPool"] == "cognito_emu.ops.user_pools"
    assert index["handlers"][IDENTITY]["GetId"] == "cognito_emu.ops.identities"
    assert index["admits"] == {IDP: "cognito_emu.ops.availability"}
    assert not [path for path in dispatch._index_file().parent.iterdir() if path.suffix == ".tmp"]


def test_writing_the_index_removes_the_stale_indexes_of_other_checkouts(cache_home: Path) -> None:
    # One index per checkout or install: those no process has written for a month go when another is written.
    folder = dispatch._index_file().parent
    folder.mkdir(parents=True)
    stale, recent = folder / "ops-index-1-0000000000000000.json", folder / "ops-index-1-1111111111111111.json"
    stale.write_text("{}")
    recent.write_text("{}")
    month_ago = time.time() - cache_dir.STALE_AFTER_SECONDS - 60
    os.utime(stale, (month_ago, month_ago))
    dispatch.prepare()
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [dispatch._index_file().name, recent.name]
    )


def test_the_index_answers_what_the_full_table_does(cache_home: Path) -> None:
    dispatch.prepare()
    dispatch._index.cache_clear()
    assert dispatch._index() is not None
    table, admits = dispatch._ops()
    handlers, admissions = dispatch._Indexed(0), dispatch._Indexed(1)
    for key, function in table.items():
        assert handlers.get(key) is function, key
    for service_name, admit in admits.items():
        assert admissions.get(service_name) is admit
    assert handlers.get((IDP, "NoSuchOperation")) is None
    assert admissions.get(IDENTITY) is None
    with pytest.raises(KeyError):
        handlers[(IDENTITY, "CreateUserPool")]


@pytest.mark.parametrize(
    "damage",
    [
        lambda stored: {**stored, "fingerprint": [["users.py", 1, 1]]},
        lambda stored: [stored],
    ],
    ids=["stale", "not an object"],
)
def test_a_stale_or_damaged_index_is_not_read(cache_home: Path, damage: object) -> None:
    dispatch.prepare()
    dispatch._index_file().write_text(json.dumps(damage(_stored())))  # type: ignore[operator]
    dispatch._index.cache_clear()
    assert dispatch._index() is None
    dispatch._index_file().write_text('{"fingerprint": ')
    assert dispatch._index() is None
    # The next full load writes it again.
    dispatch._index.cache_clear()
    dispatch._ops.cache_clear()
    dispatch.prepare()
    dispatch._index.cache_clear()
    assert dispatch._index() is not None


def test_an_index_naming_a_module_without_the_handler_falls_back_to_the_full_table(cache_home: Path) -> None:
    dispatch.prepare()
    stored = _stored()
    stored["handlers"][IDP]["CreateUserPool"] = "cognito_emu.ops.tags"  # type: ignore[index]
    dispatch._index_file().write_text(json.dumps(stored))
    dispatch._index.cache_clear()
    assert dispatch._Indexed(0).get((IDP, "CreateUserPool")) is dispatch._ops()[0][(IDP, "CreateUserPool")]
