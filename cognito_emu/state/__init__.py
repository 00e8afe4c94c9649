"""Where everything lives.

Lock discipline: one re-entrant lock per ``State``. The AWS endpoint and the control API hold it for
the whole of one operation, so an operation sees and leaves a consistent state and no write is lost.
Domain code never takes locks of its own.
"""

from cognito_emu.state.store import Address, State, Store

__all__ = ["Address", "State", "Store"]
