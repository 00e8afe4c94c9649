"""The compact service model: built from botocore's data files, cached on disk per botocore version."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import botocore.session
import pytest

from cognito_emu import cache_dir
from cognito_emu.protocol import model


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


def test_the_cache_is_written_once_and_read_back(cache_home: Path) -> None:
    path = model.cache_file()
    assert path.parent.parent == cache_home and botocore.__version__ in path.name
    built = model._load_compact()
    assert json.loads(path.read_text()) == built
    assert model._load_compact() == built
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_a_damaged_cache_is_rebuilt(cache_home: Path) -> None:
    path = model.cache_file()
    path.parent.mkdir(parents=True)
    path.write_text('{"cognito-idp": ')
    assert set(model._load_compact()) == {model.IDP, model.IDENTITY}
    assert set(json.loads(path.read_text())) == {model.IDP, model.IDENTITY}


def test_an_unwritable_cache_is_no_error(cache_home: Path) -> None:
    (cache_home / "cognito-emu").write_text("a file where the folder should be")
    assert set(model._load_compact()) == {model.IDP, model.IDENTITY}


def test_the_compact_model_says_what_botocore_says() -> None:
    session = botocore.session.get_session()
    for name in (model.IDP, model.IDENTITY):
        botocore_model = session.get_service_model(name)
        spec = model.service(name)
        assert spec.target_prefix == botocore_model.metadata["targetPrefix"]
        assert spec.operations == frozenset(botocore_model.operation_names)
        for op_name in botocore_model.operation_names:
            operation = botocore_model.operation_model(op_name)
            compact = spec.operation_models[op_name]
            assert compact.input == (operation.input_shape.name if operation.input_shape else None)
            assert compact.output == (operation.output_shape.name if operation.output_shape else None)
        for shape_name in botocore_model.shape_names:
            shape = botocore_model.shape_for(shape_name)
            kept = spec.shapes[shape_name]
            assert kept["type"] == shape.type_name
            for key in ("min", "max", "pattern", "sensitive", "required", "enum"):
                assert kept.get(key) == shape.metadata.get(key), (shape_name, key)
            assert "documentation" not in json.dumps(kept)


def test_writing_the_cache_removes_the_stale_files_of_other_botocore_versions(cache_home: Path) -> None:
    # One file per botocore version: those no process has written for a month go when another is written.
    path = model.cache_file()
    path.parent.mkdir(parents=True)
    stale = path.with_name(f"botocore-0.0.1-models-{model.FORMAT}.json")
    recent = path.with_name(f"botocore-0.0.2-models-{model.FORMAT}.json")
    other_kind = path.with_name("signing-keys.pem")
    for file in (stale, recent, other_kind):
        file.write_text("{}")
    month_ago = time.time() - cache_dir.STALE_AFTER_SECONDS - 60
    os.utime(stale, (month_ago, month_ago))
    os.utime(other_kind, (month_ago, month_ago))
    model._load_compact()
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, recent.name, other_kind.name])
