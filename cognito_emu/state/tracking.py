"""Touch tracking: ``TrackedDict`` records the keys domain code looked up or changed.

Every entity collection (``cognito_emu.state.families``) is replaced, once the data dir is open, by a
``TrackedDict``: a ``dict`` whose lookups and writes (``get``, ``[]``, ``pop``, ``setdefault``, ...)
record the key they handed out in its owner's touch list. Domain code reaches a mutable entity only
through such a lookup (rule 5: state has an address), so the touched keys are a superset of what
changed. ``clear`` / ``update`` / ``popitem`` mark the whole collection (``ALL``). Iterating
``values()`` / ``items()`` is not a lookup; where domain code mutates while iterating (groups, in
``remove_user``) the family is declared ``track_iteration`` and an iteration marks it whole.

Touches are kept twice (``Touches``): in one list of everything touched since the last flush, whichever
thread flushes it, and per thread, for the operation running on it. An operation steps out of the state
lock while a trigger handler runs (``cognito_emu.state``); another request's flush meanwhile writes what
this one touched so far, but this one may go on changing an entity it looked up before through the
reference it holds. Its own flush
therefore revisits every key it touched, not only those still pending, or that change stays in memory
only (the stale rows of issue 13's soak under ``--data-dir``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from cognito_emu.state.families import Family

# The key a touch carries when the whole collection may have changed.
ALL = object()


Touch = tuple["TrackedDict", Any]


class Touches:
    """What was touched: since the last flush by any thread, and by the operation of each thread."""

    __slots__ = ("_pending", "_own")

    def __init__(self) -> None:
        # (collection, key, thread ident)
        self._pending: list[tuple[TrackedDict, Any, int]] = []
        self._own = threading.local()

    def _mine(self) -> list[Touch]:
        try:
            mine: list[Touch] = self._own.touches
        except AttributeError:
            mine = self._own.touches = []
        return mine

    def append(self, touch: Touch) -> None:
        self._pending.append((touch[0], touch[1], threading.get_ident()))
        self._mine().append(touch)

    def take(self) -> tuple[list[Touch], list[Touch]]:
        """(this thread's touches since its last take, other threads' touches not yet taken); both are
        forgotten. Call under the state lock, once per operation, when it ends."""
        me = threading.get_ident()
        mine = self._mine()
        self._own.touches = []
        others = [(collection, key) for collection, key, ident in self._pending if ident != me]
        self._pending = []
        return mine, others

    def clear(self) -> None:
        self.take()


class TrackedDict(dict[Any, Any]):
    """A dict that records which keys were handed out or changed (see the module docstring)."""

    __slots__ = ("_sink", "_family", "_prefix", "_owner")

    # ``owner`` is only compared by identity (the Persistence that installed this dict); ``touched`` is its
    # touch list, handed in so this floor needs nothing from persistence.
    def __init__(
        self,
        data: dict[Any, Any],
        owner: object,
        touched: Touches,
        family: Family,
        prefix: tuple[str, ...],
    ):
        dict.__init__(self, data)
        self._owner = owner
        self._sink = touched
        self._family = family
        self._prefix = prefix

    def __reduce__(self) -> Any:  # copies and pickles are plain dicts
        return (dict, (dict(self),))

    def __getitem__(self, key: Any) -> Any:
        self._sink.append((self, key))
        return dict.__getitem__(self, key)

    def get(self, key: Any, default: Any = None) -> Any:
        self._sink.append((self, key))
        return dict.get(self, key, default)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._sink.append((self, key))
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        self._sink.append((self, key))
        dict.__delitem__(self, key)

    def pop(self, key: Any, *default: Any) -> Any:
        self._sink.append((self, key))
        return dict.pop(self, key, *default)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        self._sink.append((self, key))
        return dict.setdefault(self, key, default)

    def popitem(self) -> tuple[Any, Any]:
        self._sink.append((self, ALL))
        return dict.popitem(self)

    def clear(self) -> None:
        self._sink.append((self, ALL))
        dict.clear(self)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._sink.append((self, ALL))
        dict.update(self, *args, **kwargs)

    # mypy pairs any __ior__ override with dict's overloaded __or__ and reports them incompatible; this one
    # returns self, as dict's own does.
    def __ior__(self, other: Any) -> TrackedDict:  # type: ignore[misc]
        self.update(other)
        return self

    def _iterating(self) -> None:
        if self._family.track_iteration:
            self._sink.append((self, ALL))

    def values(self) -> Any:
        self._iterating()
        return dict.values(self)

    def items(self) -> Any:
        self._iterating()
        return dict.items(self)

    def __iter__(self) -> Iterator[Any]:
        self._iterating()
        return dict.__iter__(self)
