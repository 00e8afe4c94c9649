"""Applying a seed document: all or nothing, through the domain functions the API calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cognito_emu.env import Env
from cognito_emu.seed.checks import SeedError, entries, expect, join, only
from cognito_emu.seed.files import read_seed
from cognito_emu.seed.identity_pools import apply_identity_pool
from cognito_emu.seed.user_pools import apply_user_pool
from cognito_emu.state import Store

TOP_KEYS = ("region", "account", "userPools", "identityPools", "triggers")


def apply_seed(env: Env, document: dict[str, Any], source: str = "<seed>") -> dict[str, int]:
    """Create everything ``document`` declares, all or nothing; returns what was created."""
    from cognito_emu.state.codec import decode, encode
    from cognito_emu.state.store import Address

    state = env.state
    with state.lock:
        before = [encode(store) for store in state.stores.values()]
        try:
            return Applier(env, document).run()
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


class Applier:
    """One application of a seed: where entries go by default, the names references resolve, counts."""

    def __init__(self, env: Env, document: dict[str, Any]) -> None:
        self.env = env
        self.document = document
        # PoolName -> pool id, "PoolName/ClientName" -> client id, for ${userPool:..} and ${client:..}
        self.pool_names: dict[str, str] = {}
        self.client_names: dict[str, str] = {}
        self.counts = {"userPools": 0, "appClients": 0, "groups": 0, "users": 0, "identityPools": 0}

    def run(self) -> dict[str, int]:
        doc = self.document
        only(doc, TOP_KEYS, "")
        # Lambda trigger targets, {ARN or function name: target} (cognito_emu.triggers.registry), at the
        # top level or in a pool entry; registered once everything else is applied.
        self.trigger_mappings: dict[str, str] = {}
        self.triggers(doc, "")
        self.region = expect(doc.get("region", self.env.config.region), str, "region", "a string")
        self.account = str(
            expect(doc.get("account", self.env.config.account), (str, int), "account", "a string")
        )
        for path, entry in entries(doc, "userPools", ""):
            apply_user_pool(self, entry, path)
        for path, entry in entries(doc, "identityPools", ""):
            apply_identity_pool(self, entry, path)
        self.env.triggers.update(self.trigger_mappings)
        return self.counts

    def triggers(self, entry: dict[str, Any], path: str) -> None:
        from cognito_emu.triggers import invokers

        mappings = entry.get("triggers")
        if mappings is None:
            return
        trigger_path = join(path, "triggers")
        expect(mappings, dict, trigger_path, "a mapping of Lambda ARN (or function name) to target")
        for key, target in mappings.items():
            item_path = join(trigger_path, str(key))
            expect(target, str, item_path, "a target string")
            try:
                invokers.parse_target(target)
            except ValueError as exc:
                raise SeedError(str(exc), item_path) from None
            self.trigger_mappings[str(key)] = target

    def store(self, entry: dict[str, Any], path: str) -> Store:
        region = expect(entry.get("region", self.region), str, join(path, "region"), "a string")
        account = str(entry.get("account", self.account))
        return self.env.state.store(account, region)
