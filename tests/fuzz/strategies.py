"""Hypothesis strategies generated from botocore's input shapes (the compiled ``Node`` trees).

Each value is mostly valid for its shape (enums, lengths, patterns where Python can read them), and
otherwise one of the faults a hostile client sends: a boundary length, a wrong JSON type, a null,
odd unicode, and unknown members. About half the values that name something (a pool, a client, a
user, a token, ...) are real ones from a prepared pool, so calls get past "not found" into the logic.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from typing import Any

from hypothesis import strategies as st

from cognito_emu.protocol.shapes import Node

# Members whose value is taken from the prepared pool (tests/fuzz/pool.py) half the time.
REAL_MEMBERS = frozenset(
    {
        "UserPoolId",
        "ClientId",
        "ClientSecret",
        "Username",
        "AccessToken",
        "RefreshToken",
        "Token",
        "IdToken",
        "Session",
        "GroupName",
        "Password",
        "PreviousPassword",
        "ProposedPassword",
        "IdentityPoolId",
        "IdentityId",
        "Domain",
        "Identifier",
        "ProviderName",
        "DeviceKey",
        "JobId",
        "ManagedLoginBrandingId",
        "ConfirmationCode",
        "SecretHash",
        "ResourceArn",
    }
)
# Keys of the string maps whose keys mean something (AuthParameters, ChallengeResponses, ...).
MAP_KEYS = (
    "USERNAME",
    "PASSWORD",
    "REFRESH_TOKEN",
    "SECRET_HASH",
    "SRP_A",
    "DEVICE_KEY",
    "NEW_PASSWORD",
    "SOFTWARE_TOKEN_MFA_CODE",
    "SMS_MFA_CODE",
    "ANSWER",
    "PREFERRED_CHALLENGE",
    "email",
    "phone_number",
)
_MAX_DEPTH = 5
MAP_VALUE = "*map value*"
_ODD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\u0000",
        "\ud7ff\ue000",
        "é" * 3,
        "😀",
        "\u202e",
        "<script>alert(1)</script>",
        "%s%n",
        "a" * 300,
    ]
)
_WRONG_TYPES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.just([]),
    st.just({}),
    st.just([None]),
    st.just({"k": None}),
)


@cache
def _pattern(pattern: str) -> st.SearchStrategy[str] | None:
    """Strings matching the model's pattern, where Python's re reads it (Java's \\p{...} it does not)."""
    try:
        re.compile(pattern)
    except re.error:
        return None
    if r"\p" in pattern:
        return None
    return st.from_regex(pattern, fullmatch=True)


def _length_bound(node: Node, default: int) -> int:
    return int(node.max) if node.max is not None and node.max < default else default


def _string(node: Node, real: tuple[str, ...]) -> st.SearchStrategy[Any]:
    if node.enum:
        valid: st.SearchStrategy[Any] = st.sampled_from(sorted(node.enum))
    else:
        low = int(node.min or 0)
        pattern = _pattern(node.pattern) if node.pattern else None
        text = st.text(min_size=low, max_size=max(low, _length_bound(node, 40)))
        valid = st.one_of(pattern, text) if pattern is not None else text
    options = [valid]
    if real:
        options.append(st.sampled_from(real))
    boundaries = []
    if node.max is not None and node.max <= 200_000:
        boundaries += [st.just("a" * int(node.max)), st.just("a" * (int(node.max) + 1))]
    if node.min:
        boundaries += [st.just("a" * max(int(node.min) - 1, 0))]
    options.append(st.one_of(_ODD_TEXT, *boundaries) if boundaries else _ODD_TEXT)
    return st.one_of(*options)


def _number(node: Node) -> st.SearchStrategy[Any]:
    low = int(node.min) if node.min is not None else -5
    high = int(node.max) if node.max is not None else low + 1000
    edges = [st.just(low), st.just(high), st.just(low - 1), st.just(high + 1), st.just(0), st.just(-1)]
    edges.append(st.just(2**63))
    if node.type in ("float", "double", "timestamp"):
        edges.append(st.floats(allow_nan=False, allow_infinity=False))
    return st.one_of(st.integers(min_value=low, max_value=high), *edges)


def value_of(
    node: Node, name: str, pool: dict[str, tuple[str, ...]], depth: int = 0
) -> st.SearchStrategy[Any]:
    """A value for member ``name`` of shape ``node``: mostly shaped right, sometimes a fault."""
    right = _shaped(node, name, pool, depth)
    return st.one_of(right, right, right, _WRONG_TYPES)


def _shaped(node: Node, name: str, pool: dict[str, tuple[str, ...]], depth: int) -> st.SearchStrategy[Any]:
    kind = node.type
    if kind == "string":
        return _string(node, pool.get(name, ()))
    if kind == "boolean":
        return st.booleans()
    if kind in ("integer", "long", "float", "double", "timestamp"):
        return _number(node)
    if kind == "blob":
        return st.binary(max_size=64).map(lambda data: base64.b64encode(data).decode())
    if depth >= _MAX_DEPTH:
        return st.none()
    if kind == "structure":
        return structure_of(node, pool, depth + 1)
    if kind == "list":
        assert node.member is not None
        item = value_of(node.member, name, pool, depth + 1)
        return st.lists(item, min_size=int(node.min or 0), max_size=min(int(node.max or 4), 4))
    if kind == "map":
        assert node.key is not None and node.value is not None
        keys = st.one_of(st.sampled_from(MAP_KEYS), _string(node.key, ()))
        # Map values draw on every real value: AuthParameters' USERNAME, REFRESH_TOKEN, ...
        values = value_of(node.value, MAP_VALUE, pool, depth + 1)
        return st.dictionaries(keys, values, max_size=5)
    # A document: any JSON.
    return st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
        lambda children: st.one_of(
            st.lists(children, max_size=3), st.dictionaries(st.text(max_size=5), children, max_size=3)
        ),
        max_leaves=10,
    )


def structure_of(
    node: Node, pool: dict[str, tuple[str, ...]], depth: int = 0
) -> st.SearchStrategy[dict[str, Any]]:
    required = {
        name: value_of(member, name, pool, depth)
        for name, member in node.members.items()
        if name in node.required
    }
    optional = {
        name: value_of(member, name, pool, depth)
        for name, member in node.members.items()
        if name not in node.required
    }
    # Required members are sometimes missing too: the validator's path.
    shaped = (
        st.fixed_dictionaries(required, optional=optional)
        if required
        else st.fixed_dictionaries({}, optional=optional)
    )
    missing = st.fixed_dictionaries({}, optional={**required, **optional})
    unknown = st.dictionaries(
        st.sampled_from(["Unknown", "__type", "constructor", "ÜNKNOWN"]), _WRONG_TYPES, max_size=2
    )
    return st.builds(
        lambda body, extra: {**extra, **body}, st.one_of(shaped, shaped, shaped, missing), unknown
    )
