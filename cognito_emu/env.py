"""What domain code may use: settings, time, randomness and state. Built once by the Emulator."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cognito_emu.clock import Clock
from cognito_emu.config import Config
from cognito_emu.delivery.outbox import Outbox
from cognito_emu.faults import Faults
from cognito_emu.ids import Ids
from cognito_emu.state import State
from cognito_emu.throttle import Throttle
from cognito_emu.triggers.registry import TriggerRegistry

if TYPE_CHECKING:
    from cognito_emu.state.persistence import Persistence


@dataclass(slots=True)
class Env:
    config: Config
    clock: Clock
    ids: Ids
    state: State
    outbox: Outbox
    # The data dir's store when --data-dir is set (cognito_emu.state.persistence); None keeps state in memory.
    persistence: Persistence | None = None
    # ARN -> local target of the pools' Lambda triggers, and their invocation log (cognito_emu.triggers).
    triggers: TriggerRegistry = field(default_factory=TriggerRegistry)
    # Failures and delays a test asked for (cognito_emu.faults; /_emu/faults, Emulator.faults).
    faults: Faults = field(default_factory=Faults)
    # --signing-key: the PEM that signs every new pool's tokens (idp.keys.read_signing_key); None: keys per pool.
    signing_key: str | None = None
    # --throttle aws: Cognito's request-rate quotas (cognito_emu.throttle); None never throttles.
    throttle: Throttle | None = None
