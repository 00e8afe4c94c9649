"""Sign-in: InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge.

The unsigned operations find their pool through the client id index; the Admin* ones through the
signed caller's store. A sign-in step's typed result is rendered here into AWS's shape.
"""

from __future__ import annotations

from typing import Any

from cognito_emu.dispatch import Call
from cognito_emu.idp import tokens
from cognito_emu.idp.models import AppClient, UserPool
from cognito_emu.idp.pool import clients
from cognito_emu.idp.pool.pools import get_user_pool
from cognito_emu.idp.signin import challenges, flows
from cognito_emu.idp.signin.context import AuthContext, clean
from cognito_emu.idp.signin.result import Challenge, Step
from cognito_emu.ops.presenters import authentication_result
from cognito_emu.protocol.model import IDP

SERVICE = IDP


def _step(step: Step) -> dict[str, Any]:
    if isinstance(step, Challenge):
        return {
            "ChallengeName": step.name,
            "Session": step.session,
            "ChallengeParameters": step.parameters,
            "AvailableChallenges": list(step.available) if step.available is not None else None,
        }
    return {"ChallengeParameters": {}, "AuthenticationResult": authentication_result(step.tokens, step.new_device)}


def _context(
    call: Call, pool: UserPool, client: AppClient, params: dict[str, Any], member: str, admin: bool
) -> AuthContext:
    # InitiateAuth and RespondToAuthChallenge carry UserContextData, the Admin* operations ContextData.
    context_data = params.get("UserContextData") or params.get("ContextData") or {}
    return AuthContext(
        env=call.env,
        pool=pool,
        client=client,
        issuer=tokens.issuer(call.env, call.base_url, pool),
        admin=admin,
        user_agent=call.user_agent,
        params=clean(params.get(member)),
        client_metadata=clean(params.get("ClientMetadata")),
        ip_address=context_data.get("IpAddress") or call.source_ip,
        device=context_data.get("EncodedData"),
    )


def _unsigned(call: Call, params: dict[str, Any], member: str) -> AuthContext:
    pool, client = clients.find_client(call.env.state, params["ClientId"])
    return _context(call, pool, client, params, member, admin=False)


def _admin(call: Call, params: dict[str, Any], member: str) -> AuthContext:
    pool = get_user_pool(call.store, params["UserPoolId"])
    client = clients.get_client(pool, params["ClientId"])
    return _context(call, pool, client, params, member, admin=True)


def initiate_auth(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return _step(flows.initiate_auth(_unsigned(call, params, "AuthParameters"), params["AuthFlow"]))


def admin_initiate_auth(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return _step(flows.initiate_auth(_admin(call, params, "AuthParameters"), params["AuthFlow"]))


def respond_to_auth_challenge(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    ctx = _unsigned(call, params, "ChallengeResponses")
    return _step(challenges.respond(ctx, params["ChallengeName"], params.get("Session")))


def admin_respond_to_auth_challenge(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    ctx = _admin(call, params, "ChallengeResponses")
    return _step(challenges.respond(ctx, params["ChallengeName"], params.get("Session")))


HANDLERS = {
    "InitiateAuth": initiate_auth,
    "AdminInitiateAuth": admin_initiate_auth,
    "RespondToAuthChallenge": respond_to_auth_challenge,
    "AdminRespondToAuthChallenge": admin_respond_to_auth_challenge,
}
