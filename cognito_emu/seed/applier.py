"""One application of a seed: where entries go by default, the names references resolve, the triggers
it maps, and what it created. The entry modules (user_pools, users, identity_pools) write into it."""

from __future__ import annotations

from typing import Any

from cognito_emu.env import Env
from cognito_emu.idp import keys
from cognito_emu.seed.checks import SeedError, expect, join
from cognito_emu.state import Store
from cognito_emu.triggers import invokers


def pinned_key(entry: dict[str, Any], name: str, path: str) -> str | None:
    """A seed's pinned key (``signingKey``: ID tokens, or both at the top level; ``accessSigningKey``:
    access tokens), checked; None when not given."""
    if entry.get(name) is None:
        return None
    key_path = join(path, name)
    pem = expect(entry[name], str, key_path, "a PEM private key")
    if "PRIVATE KEY" not in pem:
        raise SeedError("expected a PEM private key (-----BEGIN PRIVATE KEY-----)", key_path)
    try:
        keys.check_private_key_pem(pem)
    except ValueError as exc:
        raise SeedError(str(exc), key_path) from None
    return pem


class Applier:
    """Made from the top level of a seed document (its region, account and triggers checked)."""

    def __init__(self, env: Env, document: dict[str, Any]) -> None:
        self.env = env
        # PoolName -> pool id, "PoolName/ClientName" -> client id, for ${userPool:..} and ${client:..}
        self.pool_names: dict[str, str] = {}
        self.client_names: dict[str, str] = {}
        self.counts = {"userPools": 0, "appClients": 0, "groups": 0, "users": 0, "identityPools": 0}
        # Lambda trigger targets, {ARN or function name: target} (cognito_emu.triggers.registry), at the
        # top level or in a pool entry; registered once everything else is applied.
        self.trigger_mappings: dict[str, str] = {}
        self.triggers(document, "")
        self.region = expect(document.get("region", env.config.region), str, "region", "a string")
        self.account = str(
            expect(document.get("account", env.config.account), (str, int), "account", "a string")
        )
        # A top-level signingKey signs the ID and access tokens of every pool of this seed.
        self.signing_key = pinned_key(document, "signingKey", "")

    def triggers(self, entry: dict[str, Any], path: str) -> None:
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
