"""AdminLinkProviderForUser and AdminDisableProviderForUser (``idp.users.federated``)."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp.pool.pools import get_user_pool
from cognito_emu.idp.users import federated
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def admin_link_provider_for_user(call: Call, params: dict[str, Any]) -> None:
    pool = get_user_pool(call.store, params["UserPoolId"])
    federated.link(call.env, pool, params["DestinationUser"], params["SourceUser"])


def admin_disable_provider_for_user(call: Call, params: dict[str, Any]) -> None:
    pool = get_user_pool(call.store, params["UserPoolId"])
    federated.disable(call.env, pool, params["User"])


HANDLERS = {
    "AdminLinkProviderForUser": admin_link_provider_for_user,
    "AdminDisableProviderForUser": admin_disable_provider_for_user,
}
