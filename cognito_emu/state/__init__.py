"""Where everything lives.

Lock discipline: one re-entrant lock per ``State``. The AWS endpoint and the control API hold it for
the whole of one operation, so an operation sees and leaves a consistent state and no write is lost.
Domain code never takes locks of its own.

One exception, through ``cognito_emu.state.locking.released``:
- A Lambda trigger target runs with the lock fully RELEASED, since a handler may call the emulator back
  (over HTTP, from another thread) and would otherwise deadlock. So an operation that fires a trigger is
  not atomic across the call: code after ``runner.invoke`` re-checks what it relies on (the user still
  exists, the username is still free) before writing, and must not keep iterators over state across it.
Checking or setting a password (an SRP verifier, a fraction of a millisecond with GMP) runs under the lock.
"""

from cognito_emu.state.store import Address, State, Store

__all__ = ["Address", "State", "Store"]
