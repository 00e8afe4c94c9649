"""Stepping out of the state lock for a while, at whatever depth the thread holds it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def released(lock: Any) -> Iterator[None]:
    """Release an RLock held by this thread, at whatever depth, and take it back to that depth.

    ``_is_owned``/``_release_save``/``_acquire_restore`` are what ``threading.Condition`` uses to
    wait on an RLock; no public API releases every level of one."""
    is_owned = getattr(lock, "_is_owned", None)
    if is_owned is None or not is_owned():
        yield
        return
    saved = lock._release_save()
    try:
        yield
    finally:
        lock._acquire_restore(saved)
