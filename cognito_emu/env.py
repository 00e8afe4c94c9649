"""What domain code may use: settings, time, randomness and state. Built once by the Emulator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cognito_emu.clock import Clock
from cognito_emu.config import Config
from cognito_emu.idp.outbox import Outbox
from cognito_emu.ids import Ids
from cognito_emu.state import State

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
