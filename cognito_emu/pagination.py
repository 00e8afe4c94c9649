"""Opaque pagination tokens (NextToken, PaginationToken): the sort key to resume after, readable only by us.

Neutral ground: the domain pages its listings with it, and it knows nothing of the wire."""

from __future__ import annotations

import base64
import binascii
import bisect
import json
from collections.abc import Callable, Sequence
from typing import TypeVar

from cognito_emu.errors import CognitoError, InvalidParameterException

T = TypeVar("T")


def encode(position: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": position}).encode()).decode()


def decode(token: str, error: type[CognitoError] = InvalidParameterException) -> str:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        return str(data["after"])
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise error("Invalid pagination token.") from None


def paginate(
    items: Sequence[T],
    key: Callable[[T], str],
    limit: int,
    token: str | None,
    error: type[CognitoError] = InvalidParameterException,
) -> tuple[list[T], str | None]:
    """One page of ``items`` (sorted by ``key``) after the token's position, and the next token."""
    start = bisect.bisect_right(items, decode(token, error), key=key) if token else 0
    chunk = list(items[start : start + limit])
    more = start + limit < len(items)
    return chunk, (encode(key(chunk[-1])) if more and chunk else None)
