"""The names of a pool's four authentication levels (AcrConfiguration), as the ``acr`` claim reports them.

Developer guide, "Authentication levels with ACR and AMR claims": the factor combinations of Level1-Level4
are fixed; a pool may rename any of them (CreateUserPool / UpdateUserPool AcrConfiguration, Essentials or
Plus only) and the response always carries the effective configuration, the default names
``urn:cognito:loa:<n>`` merged in for the levels it did not rename. Every name must differ from the
other three, defaults included. Length and characters are the model's (protocol/validate.py).
"""

from __future__ import annotations

from typing import Any

from cognito_emu.errors import FeatureUnavailableInTierException, InvalidParameterException
from cognito_emu.idp.models import UserPool

LEVELS = (1, 2, 3, 4)


def default_name(level: int) -> str:
    return f"urn:cognito:loa:{level}"


def _name(configuration: dict[str, Any], level: int) -> str:
    """The name ``configuration`` (an AcrConfiguration) gives ``level``, else its default."""
    return (configuration.get(f"Level{level}") or {}).get("AcrValue") or default_name(level)


def effective(given: dict[str, Any], tier: str) -> dict[str, dict[str, str]]:
    """The AcrConfiguration a pool keeps for the ``given`` one (defaults merged in); Cognito's errors for
    a LITE pool and for a name used by two levels."""
    if tier == "LITE":
        raise FeatureUnavailableInTierException(
            "Custom ACR level names (AcrConfiguration) need the Essentials or Plus feature plan."
        )
    merged = {f"Level{level}": {"AcrValue": _name(given, level)} for level in LEVELS}
    names = [entry["AcrValue"] for entry in merged.values()]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise InvalidParameterException(
            f"AcrConfiguration names must be unique across all four levels: {', '.join(repeated)} is used twice."
        )
    return merged


def names(pool: UserPool) -> dict[int, str]:
    """Level -> the name the pool reports it by."""
    configured = pool.settings.get("AcrConfiguration") or {}
    return {level: _name(configured, level) for level in LEVELS}


def level_named(pool: UserPool, name: str) -> int | None:
    return next((level for level, known in names(pool).items() if known == name), None)
