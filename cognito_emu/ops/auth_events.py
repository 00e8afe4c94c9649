"""AdminListUserAuthEvents, AdminUpdateAuthEventFeedback and UpdateAuthEventFeedback (idp.signin.auth_events)."""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.errors import ResourceNotFoundException
from cognito_emu.idp.models import AuthEvent, User, UserPool
from cognito_emu.idp.pool.pools import get_user_pool
from cognito_emu.idp.signin import auth_events
from cognito_emu.idp.users import directory
from cognito_emu.protocol.model import IDP

SERVICE = IDP

def _auth_event(event: AuthEvent) -> dict[str, Any]:
    """AuthEventType."""
    return {
        "EventId": event.event_id,
        "EventType": event.event_type,
        "CreationDate": event.created,
        "EventResponse": event.response,
        "EventRisk": {
            "RiskDecision": event.risk_decision,
            "RiskLevel": event.risk_level,
            "CompromisedCredentialsDetected": event.compromised_credentials,
        },
        "ChallengeResponses": [dict(challenge) for challenge in event.challenges],
        "EventContextData": dict(event.context) if event.context else None,
        "EventFeedback": dict(event.feedback) if event.feedback else None,
    }


def _pool_and_user(pool: UserPool, params: dict[str, Any]) -> tuple[UserPool, User]:
    auth_events.require_enabled(pool)
    return pool, directory.get_user(pool, params["Username"])


def admin_list_user_auth_events(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, user = _pool_and_user(get_user_pool(call.store, params["UserPoolId"]), params)
    events, token = auth_events.list_events(pool, user, params.get("MaxResults"), params.get("NextToken"))
    return {"AuthEvents": [_auth_event(event) for event in events], "NextToken": token}


def admin_update_auth_event_feedback(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool, user = _pool_and_user(get_user_pool(call.store, params["UserPoolId"]), params)
    auth_events.admin_feedback(call.env, pool, user, params["EventId"], params["FeedbackValue"])
    return {}


def update_auth_event_feedback(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Unsigned: the pool is found by its id in the global index."""
    pool = call.env.state.find_pool(params["UserPoolId"])
    if pool is None:
        raise ResourceNotFoundException(f"User pool {params['UserPoolId']} does not exist.")
    pool, user = _pool_and_user(pool, params)
    auth_events.user_feedback(
        call.env, pool, user, params["EventId"], params["FeedbackToken"], params["FeedbackValue"]
    )
    return {}


HANDLERS = {
    "AdminListUserAuthEvents": admin_list_user_auth_events,
    "AdminUpdateAuthEventFeedback": admin_update_auth_event_feedback,
    "UpdateAuthEventFeedback": update_auth_event_feedback,
}
