"""The scopes an OAuth request gets: what it asks for, within the app client's AllowedOAuthScopes.

Developer guide, "Authorize endpoint" (``scope``): "If the client doesn't request any scopes, the
authentication server uses all scopes associated with the client"; "The phone, email, and profile
scopes can only be requested if openid scope is also requested". Custom scopes
(``<resource server identifier>/<scope name>``) count only while their resource server defines them.
"""

from __future__ import annotations

from cognito_emu.idp.models import AppClient, UserPool
from cognito_emu.idp.pool import clients, resource_servers

OPENID = "openid"
NEEDS_OPENID = frozenset({"email", "phone", "profile"})


class ScopeError(ValueError):
    """The request names a scope it may not have."""


def _exists(pool: UserPool, scope: str) -> bool:
    return scope in clients.STANDARD_SCOPES or resource_servers.find_scope(pool, scope) is not None


def allowed(pool: UserPool, client: AppClient) -> list[str]:
    return [s for s in client.settings.get("AllowedOAuthScopes") or [] if _exists(pool, s)]


def granted(
    pool: UserPool, client: AppClient, requested: str | None, *, custom_only: bool = False
) -> list[str]:
    """The scopes to grant for a ``scope`` parameter (space separated; None or blank: all allowed)."""
    permitted = allowed(pool, client)
    if custom_only:
        permitted = [s for s in permitted if s not in clients.STANDARD_SCOPES]
    names = list(dict.fromkeys((requested or "").split()))
    if not names:
        names = permitted
    for name in names:
        if name not in permitted:
            raise ScopeError(f"scope {name} is not allowed for client {client.client_id}")
    if not custom_only and OPENID not in names and NEEDS_OPENID.intersection(names):
        raise ScopeError("the phone, email and profile scopes need the openid scope")
    return names
