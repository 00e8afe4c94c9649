"""Applying a seed document: all or nothing, through the domain functions the API calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cognito_emu.env import Env
from cognito_emu.seed.applier import Applier
from cognito_emu.seed.checks import SeedError, entries, only
from cognito_emu.seed.files import read_seed
from cognito_emu.seed.identity_pools import apply_identity_pool
from cognito_emu.seed.user_pools import apply_user_pool
from cognito_emu.state import Store
from cognito_emu.state.codec import decode, encode
from cognito_emu.state.store import Address

TOP_KEYS = ("region", "account", "signingKey", "userPools", "identityPools", "triggers")


def apply_seed(env: Env, document: dict[str, Any], source: str = "<seed>") -> dict[str, int]:
    """Create everything ``document`` declares, all or nothing; returns what was created."""
    state = env.state
    with state.lock:
        before = [encode(store) for store in state.stores.values()]
        try:
            return _run(env, document)
        except SeedError as exc:
            restored = [decode(Store, item) for item in before]
            state.stores = {Address(s.account, s.region): s for s in restored}
            state.rebuild_indexes()
            raise exc.located(source) from None


def load_seed(env: Env, seed: str | Path | dict[str, Any]) -> dict[str, int]:
    """Apply a seed given as a file path or as an already parsed document."""
    if isinstance(seed, dict):
        return apply_seed(env, seed)
    return apply_seed(env, read_seed(seed), str(seed))


def _run(env: Env, document: dict[str, Any]) -> dict[str, int]:
    only(document, TOP_KEYS, "")
    run = Applier(env, document)
    for path, entry in entries(document, "userPools", ""):
        apply_user_pool(run, entry, path)
    for path, entry in entries(document, "identityPools", ""):
        apply_identity_pool(run, entry, path)
    env.triggers.update(run.trigger_mappings)
    return run.counts
