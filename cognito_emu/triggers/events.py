"""The parts every trigger event shares, and what operations hand to the triggers they fire.

Common parameters (developer guide, "Customizing user pool workflows with Lambda triggers"):
``version`` "1", ``triggerSource``, ``region``, ``userPoolId``, ``userName``, ``callerContext``
``{awsSdkVersion, clientId}``, ``request`` and ``response``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cognito_emu.env import Env
    from cognito_emu.idp.models import User, UserPool

UNKNOWN_SDK = "aws-sdk-unknown-unknown"


@dataclass(slots=True)
class TriggerInput:
    """What an API call brings for its triggers: ClientMetadata, ValidationData and the caller's
    User-Agent (for ``callerContext.awsSdkVersion``). Operations that fire triggers take one."""

    client_metadata: dict[str, str] = field(default_factory=dict)
    validation_data: dict[str, str] = field(default_factory=dict)
    user_agent: str = ""


NO_INPUT = TriggerInput()


def name_value_map(items: list[dict[str, Any]] | None) -> dict[str, str]:
    """``[{"Name": n, "Value": v}]`` (ValidationData) -> ``{n: v}``."""
    return {item["Name"]: item.get("Value") or "" for item in items or [] if item.get("Name")}


def sdk_version(user_agent: str) -> str:
    """``callerContext.awsSdkVersion`` from a User-Agent: its first ``product/version`` token as
    ``aws-sdk-<product>-<version>`` (``aws-sdk-js/3.600.0`` -> ``aws-sdk-js-3.600.0``,
    ``Boto3/1.34.0`` -> ``aws-sdk-boto3-1.34.0``); ``aws-sdk-unknown-unknown`` without one."""
    first = user_agent.strip().split(" ", 1)[0] if user_agent.strip() else ""
    product, sep, version = first.partition("/")
    if not sep or not product or not version:
        return UNKNOWN_SDK
    product = product.lower().removeprefix("aws-sdk-")
    return f"aws-sdk-{product}-{version}"


def base_event(
    env: Env,
    pool: UserPool,
    trigger_source: str,
    *,
    username: str | None,
    client_id: str | None,
    request: dict[str, Any],
    user_agent: str,
    response: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The event of one trigger invocation, as Cognito sends it. ``user_agent`` is the calling request's
    (a ``TriggerInput``'s), "" when no AWS SDK made the call; every builder passes it, so that no trigger
    of an SDK's call says ``aws-sdk-unknown-unknown`` where its siblings name the SDK."""
    return {
        "version": "1",
        "triggerSource": trigger_source,
        "region": pool.serving_region,
        "userPoolId": pool.id,
        "userName": username,
        "callerContext": {
            "awsSdkVersion": sdk_version(user_agent),
            "clientId": client_id or "CLIENT_ID_NOT_APPLICABLE",
        },
        "request": request,
        "response": response if response is not None else {},
    }


def user_attributes(user: User) -> dict[str, str]:
    """``request.userAttributes`` of a stored user: its attributes plus ``cognito:user_status``."""
    return {**user.attributes, "cognito:user_status": user.status.value}
