"""Resource tags as both Cognito services keep them: a map of at most 50 keys per resource."""

from __future__ import annotations

from cognito_emu.errors import InvalidParameterException

# https://docs.aws.amazon.com/cognito/latest/developerguide/limits.html (tags per resource)
MAX_TAGS = 50


def merged(current: dict[str, str], added: dict[str, str], resource: str) -> dict[str, str]:
    """``current`` with ``added`` written over it; ``resource`` names it in the error ("A user pool")."""
    tags = {**current, **added}
    if len(tags) > MAX_TAGS:
        raise InvalidParameterException(f"{resource} can have at most {MAX_TAGS} tags.")
    return tags


def without(current: dict[str, str], keys: list[str]) -> dict[str, str]:
    return {key: value for key, value in current.items() if key not in keys}
