"""Model-driven fuzzing: every operation of both services, hostile values and hostile bodies.

Every answer must be a success or an error the services model (never a 5xx, never a traceback), and
afterwards the state's invariants hold, the data dir included. CI runs the bounded ``ci`` profile;
``make fuzz`` runs the ``long`` one (FUZZ_PROFILE=long).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cognito_emu.config import Config
from cognito_emu.emulator import Emulator
from cognito_emu.protocol.model import services
from cognito_emu.protocol.parse import MAX_BODY_BYTES
from cognito_emu.protocol.shapes import input_node
from tests.fuzz.invariants import check_invariants
from tests.fuzz.pool import TARGETS, Reply, prepare, send
from tests.fuzz.strategies import structure_of

settings.register_profile(
    "ci",
    max_examples=12,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "400")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
PROFILE = os.environ.get("FUZZ_PROFILE", "ci")

# Errors every operation may answer though no operation lists them (the protocol's own).
_PROTOCOL_ERRORS = frozenset(
    {
        "SerializationException",
        "ValidationException",
        "UnknownOperationException",
        "UnsupportedOperationException",
        "AccessDeniedException",
    }
)
OPERATIONS = sorted((spec.name, op) for spec in services().values() for op in spec.operations)


def modeled_errors(service_name: str) -> frozenset[str]:
    spec = next(spec for spec in services().values() if spec.name == service_name)
    return frozenset(name for name, shape in spec.shapes.items() if shape.get("exception")) | _PROTOCOL_ERRORS


def assert_modeled(service_name: str, op: str, reply: Reply) -> None:
    assert reply.status < 500, (op, reply.status, reply.body[:500])
    if reply.status == 200:
        assert isinstance(reply.json, dict), (op, reply.body[:500])
        return
    code = reply.json["__type"]
    assert code in modeled_errors(service_name), (op, reply.body[:500])
    assert isinstance(reply.json["message"], str)


@cache
def prepared() -> tuple[dict[str, Any], dict[str, tuple[str, ...]]]:
    """The prepared pool, made once per process: (a snapshot of its state, its real values)."""
    template = Emulator(Config(region="us-east-1", deterministic=7))
    real = prepare(template)
    return template.snapshot(), real


@pytest.fixture
def fuzzed(tmp_path: Path) -> Iterator[Emulator]:
    """A fresh emulator holding the prepared pool and keeping its state in a data dir, so persistence
    is fuzzed too."""
    emulator = Emulator(Config(region="us-east-1", data_dir=str(tmp_path / "data"), deterministic=7))
    emulator.restore(prepared()[0])
    try:
        yield emulator
    finally:
        emulator.close()


@pytest.mark.parametrize(("service_name", "op"), OPERATIONS, ids=[op for _, op in OPERATIONS])
def test_generated_requests_get_modeled_answers(fuzzed: Emulator, service_name: str, op: str) -> None:
    real = prepared()[1]
    target = f"{TARGETS[service_name]}.{op}"

    @settings(settings.get_profile(PROFILE))
    @given(body=structure_of(input_node(service_name, op), real))
    def one(body: dict[str, object]) -> None:
        assert_modeled(service_name, op, send(fuzzed, target, body))

    one()
    check_invariants(fuzzed)


_DEEP = b"[" * 5000 + b"]" * 5000
RAW_FAULTS = {
    "truncated": b'{"UserPoolId": "us-east-1_abc", "Username": "al',
    "invalid-utf8": b'{"UserPoolId": "\xff\xfe\xfa"}',
    "top-level-array": b'[{"UserPoolId": "us-east-1_abc"}]',
    "top-level-string": b'"hello"',
    "deep-nesting": _DEEP,
    "deep-member": b'{"UserPoolId": ' + _DEEP + b"}",
    "two-mb-member": b'{"UserPoolId": "' + b"a" * (2 * 1024 * 1024) + b'"}',
    "nul-bytes": b'{"UserPoolId": "\x00\x00"}',
    "duplicate-keys": b'{"UserPoolId": "a", "UserPoolId": 5}',
    "huge-number": b'{"MaxResults": 1' + b"0" * 5000 + b"}",
    "nan": b'{"MaxResults": NaN}',
    "lone-surrogate": b'{"Username": "\\ud800"}',
}


@pytest.mark.parametrize("fault", sorted(RAW_FAULTS))
def test_raw_body_faults_get_modeled_answers(fuzzed: Emulator, fault: str) -> None:
    body = RAW_FAULTS[fault]
    for service_name, op in OPERATIONS:
        assert_modeled(service_name, op, send(fuzzed, f"{TARGETS[service_name]}.{op}", body))
    check_invariants(fuzzed)


def test_big_bodies_and_wrong_content_types(fuzzed: Emulator) -> None:
    at_the_limit = b'{"UserPoolId": "' + b"a" * (MAX_BODY_BYTES - 20) + b'"}'
    for service_name, op in OPERATIONS[:: len(OPERATIONS) // 6]:
        assert_modeled(service_name, op, send(fuzzed, f"{TARGETS[service_name]}.{op}", at_the_limit))
    huge = b'{"PoolName": "' + b"a" * (20 * 1024 * 1024) + b'"}'
    reply = send(fuzzed, f"{TARGETS['cognito-idp']}.CreateUserPool", huge)
    assert reply.status == 413
    assert reply.json["__type"] == "SerializationException"
    for content_type in ("text/html", "multipart/form-data; boundary=x", "application/xml", "\u00ff"):
        for service_name, op in OPERATIONS:
            target = f"{TARGETS[service_name]}.{op}"
            assert_modeled(service_name, op, send(fuzzed, target, b"{}", content_type=content_type))
    check_invariants(fuzzed)


@settings(settings.get_profile(PROFILE))
@given(body=st.binary(max_size=200))
def test_arbitrary_bytes_get_modeled_answers(body: bytes) -> None:
    emulator = _shared()
    for service_name, op in (("cognito-idp", "InitiateAuth"), ("cognito-identity", "GetId")):
        assert_modeled(service_name, op, send(emulator, f"{TARGETS[service_name]}.{op}", body))


_EMULATORS: list[Emulator] = []


def _shared() -> Emulator:
    if not _EMULATORS:
        _EMULATORS.append(Emulator(Config(region="us-east-1")))
    return _EMULATORS[0]
