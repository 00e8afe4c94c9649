"""A request about to wait says so, so that the serving layer keeps answering other requests.

The built-in server answers requests on one thread while none of them waits; a request that is about
to wait (a Lambda trigger's handler, which may itself call this emulator, or an injected delay) calls
``before_blocking()`` first, and the server hands its other connections to a new thread if the wait
lasts beyond a short grace (2 ms: a handler that answers sooner costs no hand-over). Outside
that server (in-process, other serving layers) nothing is registered and the call costs a lookup.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

_local = threading.local()


def before_blocking() -> None:
    hook: Callable[[], None] | None = getattr(_local, "hook", None)
    if hook is not None:
        hook()


def set_hook(hook: Callable[[], None] | None) -> None:
    """What ``before_blocking()`` calls on this thread (None: nothing)."""
    _local.hook = hook
