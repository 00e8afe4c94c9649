"""UserMigration (developer guide, "Migrate user Lambda trigger").

Cognito invokes it for a name nobody in the pool has: UserMigration_Authentication at a password
sign-in (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH; request ``password``,
``validationData`` (the sign-in's ClientMetadata), ``clientMetadata`` (an (Admin)RespondToAuthChallenge's,
null at (Admin)InitiateAuth)) and UserMigration_ForgotPassword at ForgotPassword (request
``clientMetadata``: ForgotPassword's). The response names the user: ``userAttributes``, ``finalUserStatus``
(CONFIRMED, the default, or RESET_REQUIRED), ``messageAction`` (SUPPRESS), ``desiredDeliveryMediums``
and ``forceAliasCreation``. The caller creates the user from it (with the password at sign-in).

A secondary replica creates no users (developer guide, multi-Region replication), so a sign-in served in
its Region never runs the trigger: an unknown name is an unknown user there.

Not emulated: the welcome message Cognito sends unless ``messageAction`` is SUPPRESS, and
``enableSMSMFA``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cognito_emu.errors import InvalidLambdaResponseException
from cognito_emu.triggers import events, runner
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

if TYPE_CHECKING:
    from cognito_emu.env import Env
    from cognito_emu.idp.models import UserPool

FINAL_STATUSES = ("CONFIRMED", "RESET_REQUIRED")
# Attributes Cognito assigns itself: a migrated user cannot bring them.
_ASSIGNED = ("sub", "username")


@dataclass(slots=True)
class Migration:
    attributes: dict[str, str] = field(default_factory=dict)
    final_status: str = "CONFIRMED"
    message_action: str | None = None
    delivery_mediums: list[str] = field(default_factory=list)
    force_alias: bool = False


def migrate_user(
    env: Env,
    pool: UserPool,
    source: str,
    *,
    username: str,
    password: str | None,
    client_id: str,
    trigger_input: TriggerInput = NO_INPUT,
) -> Migration | None:
    """The user the handler migrates, or None when the pool has no UserMigration trigger or a secondary
    replica serves the request."""
    if pool.serving_replica() is not None:
        return None
    request: dict[str, Any] = {"clientMetadata": dict(trigger_input.client_metadata) or None}
    if password is not None:
        request["password"] = password
        request["validationData"] = dict(trigger_input.validation_data) or None
    event = events.base_event(
        env,
        pool,
        source,
        username=username,
        client_id=client_id,
        request=request,
        response={
            "userAttributes": None,
            "finalUserStatus": None,
            "messageAction": None,
            "desiredDeliveryMediums": None,
            "forceAliasCreation": None,
        },
        user_agent=trigger_input.user_agent,
    )
    answer = runner.invoke(env, pool, "UserMigration", event)
    if answer is None:
        return None
    response = runner.response_of(answer)
    attributes = response.get("userAttributes") or {}
    if not isinstance(attributes, dict):
        raise InvalidLambdaResponseException("Invalid lambda function output : userAttributes must be a map")
    status = response.get("finalUserStatus") or "CONFIRMED"
    if status not in FINAL_STATUSES:
        raise InvalidLambdaResponseException(
            f"Invalid lambda function output : finalUserStatus must be one of {', '.join(FINAL_STATUSES)}"
        )
    mediums = response.get("desiredDeliveryMediums") or []
    return Migration(
        attributes={
            str(name): str(value).lower() if isinstance(value, bool) else str(value)
            for name, value in attributes.items()
            if name not in _ASSIGNED and not str(name).startswith("cognito:") and value is not None
        },
        final_status=status,
        message_action=response.get("messageAction"),
        delivery_mediums=list(mediums) if isinstance(mediums, list) else [],
        force_alias=response.get("forceAliasCreation") is True,
    )
