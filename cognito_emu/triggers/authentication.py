"""PreAuthentication and PostAuthentication (developer guide, "Pre authentication Lambda trigger",
"Post authentication Lambda trigger").

PreAuthentication_Authentication runs before the password is checked: request ``userAttributes``,
``validationData`` (what the sign-in passed as ClientMetadata) and, when the client prevents user
existence errors and nobody has that name, ``userNotFound: true`` (the handler still runs, then the
sign-in fails as it would). A handler error blocks the sign-in.

PostAuthentication_Authentication runs after a successful sign-in, before the tokens are returned:
request ``userAttributes``, ``newDeviceUsed`` (false: cognito-emu does not track devices) and
``clientMetadata``. A handler error fails the sign-in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cognito_emu.triggers import events, runner
from cognito_emu.triggers.events import NO_INPUT, TriggerInput

if TYPE_CHECKING:
    from cognito_emu.env import Env
    from cognito_emu.idp.models import User, UserPool


def pre_authentication(
    env: Env,
    pool: UserPool,
    *,
    username: str,
    user: User | None,
    client_id: str,
    trigger_input: TriggerInput = NO_INPUT,
) -> None:
    request: dict[str, object] = {
        "userAttributes": events.user_attributes(user) if user is not None else {},
        "validationData": dict(trigger_input.client_metadata) or None,
    }
    if user is None:
        request["userNotFound"] = True
    event = events.base_event(
        env,
        pool,
        "PreAuthentication_Authentication",
        username=user.username if user is not None else username,
        client_id=client_id,
        request=request,
        user_agent=trigger_input.user_agent,
    )
    runner.invoke(env, pool, "PreAuthentication", event)


def post_authentication(
    env: Env, pool: UserPool, user: User, *, client_id: str, trigger_input: TriggerInput = NO_INPUT
) -> None:
    event = events.base_event(
        env,
        pool,
        "PostAuthentication_Authentication",
        username=user.username,
        client_id=client_id,
        request={
            "userAttributes": events.user_attributes(user),
            "newDeviceUsed": False,
            "clientMetadata": dict(trigger_input.client_metadata) or None,
        },
        user_agent=trigger_input.user_agent,
    )
    runner.invoke(env, pool, "PostAuthentication", event)
