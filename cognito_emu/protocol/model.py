"""botocore's service models, the source of truth for operations and shapes, loaded once per process.

Not through ``botocore.session``: importing it and building its ``ServiceModel`` objects took about a
quarter of a second of every start. The emulator reads botocore's own data files
(``botocore/data/<service>/<api-version>/service-2.json[.gz]``) and keeps only what it uses: each
operation's input and output shape names, and the shapes without their documentation. That compact
form is cached on disk (``$XDG_CACHE_HOME/cognito-emu``, else ``~/.cache/cognito-emu``), one file per
botocore version, so a later start parses about a tenth of the bytes; a cache that cannot be written
or read is simply rebuilt from botocore's files.
"""

from __future__ import annotations

import contextlib
import gzip
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import botocore

from cognito_emu.cache_dir import cache_dir, write_whole

IDP = "cognito-idp"
IDENTITY = "cognito-identity"
SERVICES = (IDP, IDENTITY)
# Raise when the compact form changes, so older cache files are not read.
FORMAT = 1
# Shape members the emulator never reads.
_DROPPED = frozenset({"documentation", "documentationUrl", "deprecatedMessage", "examples"})


@dataclass(frozen=True, slots=True)
class Operation:
    name: str
    input: str | None  # shape names
    output: str | None


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    name: str
    target_prefix: str
    # Shape name -> botocore's JSON definition of it, documentation removed.
    shapes: dict[str, dict[str, Any]]
    operation_models: dict[str, Operation]
    # The error code AWS uses when an input breaks a model constraint.
    validation_error: str
    operations: frozenset[str]


_VALIDATION_ERRORS = {IDP: "InvalidParameterException", IDENTITY: "ValidationException"}


def _data_file(service_name: str) -> Path:
    """botocore's service-2 file of the newest API version it ships for ``service_name``."""
    folder = Path(botocore.__file__).parent / "data" / service_name
    versions = sorted(path for path in folder.iterdir() if path.is_dir())
    for name in ("service-2.json.gz", "service-2.json"):
        path = versions[-1] / name
        if path.exists():
            return path
    raise FileNotFoundError(f"botocore has no model of {service_name} in {folder}")


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _strip(item) for key, item in value.items() if key not in _DROPPED}
    if isinstance(value, list):
        return [_strip(item) for item in value]
    return value


def _compact(service_name: str) -> dict[str, Any]:
    """What the emulator keeps of one service's botocore model."""
    raw = _data_file(service_name).read_bytes()
    document = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
    return {
        "targetPrefix": document["metadata"]["targetPrefix"],
        "operations": {
            name: [
                operation.get("input", {}).get("shape"),
                operation.get("output", {}).get("shape"),
            ]
            for name, operation in document["operations"].items()
        },
        "shapes": _strip(document["shapes"]),
    }


def cache_file() -> Path:
    return cache_dir() / f"botocore-{botocore.__version__}-models-{FORMAT}.json"


def _load_compact() -> dict[str, dict[str, Any]]:
    path = cache_file()
    with contextlib.suppress(OSError, ValueError):
        cached: dict[str, dict[str, Any]] = json.loads(path.read_bytes())
        if set(cached) == set(SERVICES):
            return cached
    built = {name: _compact(name) for name in SERVICES}
    write_whole(path, json.dumps(built, separators=(",", ":")), f"botocore-*-models-{FORMAT}.json")
    return built


@cache
def services() -> dict[str, ServiceSpec]:
    """Every emulated service keyed by its X-Amz-Target prefix."""
    found: dict[str, ServiceSpec] = {}
    for name, compact in _load_compact().items():
        operations = {
            op: Operation(op, shapes[0], shapes[1]) for op, shapes in compact["operations"].items()
        }
        found[compact["targetPrefix"]] = ServiceSpec(
            name=name,
            target_prefix=compact["targetPrefix"],
            shapes=compact["shapes"],
            operation_models=operations,
            validation_error=_VALIDATION_ERRORS[name],
            operations=frozenset(operations),
        )
    return found


@cache
def service(name: str) -> ServiceSpec:
    for spec in services().values():
        if spec.name == name:
            return spec
    raise KeyError(name)
