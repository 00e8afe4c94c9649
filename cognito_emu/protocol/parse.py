"""Request body -> parameters. AWS JSON 1.1 bodies are one JSON object.

Limits (README "Request limits"): a body of at most ``MAX_BODY_BYTES``; JSON nested deeper than the
parser's recursion allows is refused as unreadable, like any other body that is not JSON.
"""

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
    except RecursionError:
        raise SerializationException("Request body is not valid JSON: nested too deeply.") from None
    if not isinstance(params, dict):
        raise SerializationException("Request body must be a JSON object.")
    return params
