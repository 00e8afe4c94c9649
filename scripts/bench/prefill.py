"""Users put straight into a pool of the emulator, in its child process before it serves (suite "scale").

Setting 100,000 passwords through the API would take minutes: each user gets an SRP salt and verifier
of real size instead, and is added through ``directory.add_user`` as AdminCreateUser adds
users, so a pool is filled in seconds. (The seed, which runs every user through the API's checks,
takes about twice as long.)
"""

from __future__ import annotations

import gc
import os
import uuid

from cognito_emu.emulator import Emulator
from cognito_emu.idp.factors import srp
from cognito_emu.idp.models import User, UserAttributes, UserStatus
from cognito_emu.idp.users import directory
from scripts.bench.users import SIGN_IN_SETTINGS, user_email, user_name


def create_pool(emulator: Emulator, pool_id: str, sign_in: str) -> None:
    """A pool as CreateUserPool makes it, with a fixed id the load client knows in advance; with
    ``sign_in`` "email", its users sign in by email (UsernameAttributes); with "alias", by their
    username or their email (AliasAttributes)."""
    settings = SIGN_IN_SETTINGS[sign_in]
    emulator.load_seed({"userPools": [{"PoolName": "bench-scale", "Id": pool_id, **settings}]})


def add_users(emulator: Emulator, pool_id: str, start: int, count: int, sign_in: str) -> None:
    """``count`` confirmed users numbered from ``start``, added as AdminCreateUser adds them (in a pool
    whose users sign in by email, named by their sub, as Cognito names them)."""
    rng = os.urandom
    with emulator.state.lock:
        pool = emulator.state.find_pool(pool_id)
        if pool is None:
            raise RuntimeError(f"no user pool {pool_id}")
        now = emulator.clock.now()
        for n in range(start, start + count):
            sub = str(uuid.UUID(bytes=rng(16), version=4))
            user = User(
                username=sub if sign_in == "email" else user_name(n),
                sub=sub,
                created=now,
                modified=now,
                status=UserStatus.CONFIRMED,
                attributes=UserAttributes(
                    {"sub": sub, "email": user_email(n), "email_verified": "true", "name": f"User {n}"}
                ),
                srp_salt=bytes.fromhex(srp.canonical_salt(rng(16))),
                srp_verifier=rng(384),
                password_changed=now,
            )
            directory.add_user(pool, user)
    # The memory read next counts what the users hold, not garbage left from making them.
    gc.collect()
