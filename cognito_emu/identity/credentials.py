"""Temporary AWS credentials shaped as STS issues them, and the record of what each was issued for.

Nothing checks these credentials (the emulator has no IAM); tests read the record back at
``GET /_emu/credentials/<AccessKeyId>`` to assert which identity, role and principal tags a user got.
Records are kept on the identity pool (exported with it); expired ones are dropped when the pool
issues new credentials.
"""

from __future__ import annotations

import base64
import string
from dataclasses import dataclass

from cognito_emu.env import Env
from cognito_emu.identity import index
from cognito_emu.identity.models import IdentityPool, IssuedCredentials

# "Credentials for the provided identity ID" last one hour (GetCredentialsForIdentity).
DURATION = 3600
_UPPER_ALNUM = string.ascii_uppercase + string.digits


@dataclass(frozen=True, slots=True)
class TemporaryCredentials:
    """What GetCredentialsForIdentity hands out (CredentialsType); only the record of it is kept."""

    access_key_id: str
    secret_key: str
    session_token: str
    expiration: float


def issue(
    env: Env,
    pool: IdentityPool,
    identity_id: str,
    role_arn: str,
    providers: list[str],
    principal_tags: dict[str, str],
) -> TemporaryCredentials:
    """An AccessKeyId ``ASIA…``, SecretKey, SessionToken and Expiration (clock + 1 hour), recorded."""
    now = env.clock.now()
    ids = env.ids
    access_key = "ASIA" + ids.choice(_UPPER_ALNUM, 16)
    secret = base64.b64encode(ids.token_bytes(30)).decode()
    session_token = "IQoJb3JpZ2luX2Vj" + base64.b64encode(ids.token_bytes(600)).decode()
    expiration = float(int(now) + DURATION)
    for key in [k for k, record in pool.credentials.items() if record.expiration < now]:
        del pool.credentials[key]
        env.state.identity_index.credentials.pop(key, None)
    pool.credentials[access_key] = IssuedCredentials(
        access_key_id=access_key,
        identity_id=identity_id,
        identity_pool_id=pool.id,
        role_arn=role_arn,
        expiration=expiration,
        providers=list(providers),
        principal_tags=dict(principal_tags),
    )
    env.state.identity_index.credentials[access_key] = pool.id
    return TemporaryCredentials(access_key, secret, session_token, expiration)


def find(env: Env, access_key: str) -> IssuedCredentials | None:
    pool_id = env.state.identity_index.credentials.get(access_key)
    pool = index.find_pool(env.state, pool_id) if pool_id else None
    return pool.credentials.get(access_key) if pool else None
