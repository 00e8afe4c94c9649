"""Which operations a user pool takes from where: what a secondary replica refuses
(``idp.pool.operation_kinds`` says what each operation does). Runs before every cognito-idp
operation, so the common case (no replica anywhere) returns before looking anything up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import OperationNotEnabledException
from cognito_emu.idp import keys
from cognito_emu.idp.continuity import ReplicaStatus, UserPoolReplica
from cognito_emu.idp.models import UserPool
from cognito_emu.idp.pool.operation_kinds import KINDS, WRITING_CHALLENGES, Kind
from cognito_emu.state import State


@dataclass(frozen=True, slots=True)
class Admission:
    pool: UserPool
    # The secondary replica serving the call.
    replica: UserPoolReplica


def admit(env: Env, account: str, region: str | None, operation: str, params: dict[str, Any]) -> Admission | None:
    """Raise OperationNotEnabledException for a call the addressed pool does not take from here;
    otherwise say which secondary replica serves the call (None: the primary does). A call whose
    Region is not known (``region`` None) is served by the primary."""
    kind = KINDS.get(operation, Kind.ACCOUNT)
    if kind is Kind.ACCOUNT:
        return None
    if region is None or not env.state.replicated_pools:
        return None
    pool = _addressed_pool(env.state, params)
    if pool is None:
        return None
    if region == pool.region or account != pool.account:
        return None
    replica = pool.replicas.get(region)
    if replica is None:
        return None
    _check_secondary(pool, replica, kind, operation, params)
    return Admission(pool, replica)


def _check_secondary(
    pool: UserPool, replica: UserPoolReplica, kind: Kind, operation: str, params: dict[str, Any]
) -> None:
    if kind in (Kind.USER_DATA, Kind.CONFIGURATION):
        raise OperationNotEnabledException(
            f"{operation} is not available in a secondary replica of user pool {pool.id}; "
            f"call it in {pool.region}, the primary Region."
        )
    if kind is Kind.SIGN_IN and replica.status != ReplicaStatus.ACTIVE:
        raise OperationNotEnabledException(
            f"The replica of user pool {pool.id} in {replica.region} is {replica.status} "
            "and takes no end-user requests."
        )
    challenge = params.get("ChallengeName")
    if challenge in WRITING_CHALLENGES:
        raise OperationNotEnabledException(
            f"The {challenge} challenge can be answered only in {pool.region}, the primary Region of "
            f"user pool {pool.id}."
        )


def _addressed_pool(state: State, params: dict[str, Any]) -> UserPool | None:
    """The pool a call is about, found the way its operation finds it (id, client, ARN, token, session)."""
    pool_id = params.get("UserPoolId")
    if isinstance(pool_id, str):
        return state.find_pool(pool_id)
    client_id = params.get("ClientId")
    if isinstance(client_id, str):
        return state.find_pool_by_client(client_id)
    arn = params.get("ResourceArn")
    if isinstance(arn, str):
        return state.find_pool(arn.rpartition(":userpool/")[2])
    token = params.get("AccessToken")
    if isinstance(token, str):
        try:
            token_client = keys.unverified_claims(token).get("client_id")
        except keys.InvalidToken:
            return None
        return state.find_pool_by_client(token_client) if isinstance(token_client, str) else None
    session_id = params.get("Session")
    session = state.sessions.get(session_id) if isinstance(session_id, str) else None
    if session is not None:
        return state.find_pool(session.pool_id)
    domain = params.get("Domain")
    domain_pool = state.domain_index.get(domain) if isinstance(domain, str) else None
    return state.find_pool(domain_pool) if domain_pool else None
