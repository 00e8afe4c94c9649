"""Which operations a user pool takes, where and when: what a secondary replica refuses, and the pause
of user-data writes while a point-in-time recovery runs (``idp.pool.operation_kinds`` says what each
operation does). Runs before every cognito-idp operation: a read with no replica anywhere returns
before looking anything up, and a write also keeps the history point-in-time recovery restores from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import OperationNotEnabledException
from cognito_emu.idp import keys
from cognito_emu.idp.continuity import ReplicaStatus, UserPoolReplica
from cognito_emu.idp.models import UserPool
from cognito_emu.idp.pool import point_in_time
from cognito_emu.idp.pool.operation_kinds import KINDS, WRITING_CHALLENGES, Kind
from cognito_emu.state import State

# Sign-in operations that can still change user data: a new password or MFA factor set in a challenge
# answer, a user migrated at sign-in. They count as writes for point-in-time recovery's history.
_SIGN_INS_THAT_WRITE = frozenset(
    {"InitiateAuth", "AdminInitiateAuth", "RespondToAuthChallenge", "AdminRespondToAuthChallenge"}
)


@dataclass(frozen=True, slots=True)
class Admission:
    pool: UserPool
    # The secondary replica serving the call, None when the primary does.
    replica: UserPoolReplica | None


def admit(
    env: Env, account: str, region: str | None, operation: str, params: dict[str, Any]
) -> Admission | None:
    """Raise OperationNotEnabledException for a call the addressed pool does not take from here and
    now; otherwise record a write in the pool's history and say which secondary replica serves the call
    (None: the primary does). A call whose Region is not known (``region`` None) is served by the
    primary."""
    kind = KINDS.get(operation, Kind.ACCOUNT)
    if kind is Kind.ACCOUNT:
        return None
    writes = kind is Kind.USER_DATA or operation in _SIGN_INS_THAT_WRITE
    if not writes and (region is None or not env.state.replicated_pools):
        return None
    pool = _addressed_pool(env.state, params)
    if pool is None:
        return None
    replica = None
    if region is not None and (region != pool.region or account != pool.account):
        replica = pool.replicas.get(region) if account == pool.account else None
        if replica is None and ("UserPoolId" in params or "ResourceArn" in params):
            # Neither the pool's Region nor a replica's: the operation answers that it does not exist.
            return None
    if replica is not None:
        _check_secondary(pool, replica, kind, operation, params)
    if writes:
        point_in_time.before_write(env, pool, kind is Kind.USER_DATA, params.get("ChallengeName"))
    return Admission(pool, replica)


def admit_hosted(
    env: Env, pool: UserPool | None, region: str | None, kind: Kind | None
) -> UserPoolReplica | None:
    """Admit a hosted-page or OAuth request that came through the pool's domain in ``region`` (None:
    not known) and say which secondary replica serves it (None: the primary). ``kind``: USER_DATA for a
    page that creates or changes users (sign-up, confirmation, password reset), which a secondary
    refuses and a running point-in-time recovery pauses; SIGN_IN for a sign-in form that may still
    change a user (kept in the recovery history, as the API's sign-ins are). An INACTIVE replica takes
    none of them (OperationNotEnabledException)."""
    if pool is None:
        return None
    replica = None
    if region is not None and region != pool.region:
        replica = pool.replicas.get(region)
    if replica is not None:
        if replica.status != ReplicaStatus.ACTIVE:
            raise OperationNotEnabledException(_inactive(pool, replica))
        if kind is Kind.USER_DATA:
            raise OperationNotEnabledException(
                f"This page is not available in a secondary replica of user pool {pool.id}; "
                f"use the domain in {pool.region}, the primary Region."
            )
    if kind is not None:
        point_in_time.before_write(env, pool, kind is Kind.USER_DATA, None)
    return replica


def admit_challenge(env: Env, pool: UserPool, challenge: str) -> None:
    """A hosted form about to show ``challenge`` or take its answer: refused where and when ``admit``
    refuses RespondToAuthChallenge's answer to it (NEW_PASSWORD_REQUIRED, MFA_SETUP and
    SOFTWARE_TOKEN_MFA, in a secondary replica's Region and while a point-in-time recovery runs)."""
    if pool.serving_replica() is not None:
        _refuse_writing_challenge(pool, challenge)
    point_in_time.before_write(env, pool, False, challenge)


def _inactive(pool: UserPool, replica: UserPoolReplica) -> str:
    return f"The replica of user pool {pool.id} in {replica.region} is {replica.status} and takes no end-user requests."


def _check_secondary(
    pool: UserPool, replica: UserPoolReplica, kind: Kind, operation: str, params: dict[str, Any]
) -> None:
    if kind in (Kind.USER_DATA, Kind.CONFIGURATION):
        raise OperationNotEnabledException(
            f"{operation} is not available in a secondary replica of user pool {pool.id}; "
            f"call it in {pool.region}, the primary Region."
        )
    if kind is Kind.SIGN_IN and replica.status != ReplicaStatus.ACTIVE:
        raise OperationNotEnabledException(_inactive(pool, replica))
    _refuse_writing_challenge(pool, params.get("ChallengeName"))


def _refuse_writing_challenge(pool: UserPool, challenge: Any) -> None:
    """A secondary sets no password or MFA factor and has no TOTP MFA (developer guide, multi-Region
    replication)."""
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
