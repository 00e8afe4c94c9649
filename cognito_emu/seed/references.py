"""``${userPool:<PoolName>}`` and ``${client:<PoolName>/<ClientName>}``: the ids a seed gave or got,
by the names it declared them with (used in identity-pool entries)."""

from __future__ import annotations

import re
from typing import Any

from cognito_emu.seed.checks import SeedError, join

_REFERENCE = re.compile(r"\$\{(userPool|client):([^}]*)\}")


def resolve(value: Any, path: str, pool_names: dict[str, str], client_names: dict[str, str]) -> Any:
    """``value`` with every reference in its strings replaced by the id it names.

    ``pool_names`` maps PoolName to pool id, ``client_names`` "PoolName/ClientName" to client id.
    """
    if isinstance(value, dict):
        return {k: resolve(v, join(path, str(k)), pool_names, client_names) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, f"{path}[{i}]", pool_names, client_names) for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match[str]) -> str:
        kind, name = match.groups()
        table = pool_names if kind == "userPool" else client_names
        if name not in table:
            known = ", ".join(sorted(table)) or "none"
            raise SeedError(f"{match.group(0)} names no {kind} of this seed (known: {known})", path)
        return table[name]

    return _REFERENCE.sub(replace, value)
