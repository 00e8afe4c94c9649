"""Request body -> parameters. AWS JSON 1.1 bodies are one JSON object."""

from __future__ import annotations

import json
from typing import Any

from cognito_emu.errors import SerializationException

MAX_BODY_BYTES = 1024 * 1024


def parse_body(body: bytes) -> dict[str, Any]:
    if len(body) > MAX_BODY_BYTES:
        raise SerializationException(f"Request body is larger than the limit of {MAX_BODY_BYTES} bytes.")
    if not body.strip():
        return {}
    try:
        params = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SerializationException(f"Request body is not valid JSON: {exc}") from None
    if not isinstance(params, dict):
        raise SerializationException("Request body must be a JSON object.")
    return params
