"""Touch tracking: ``TrackedDict`` records the keys domain code looked up or changed.

Every entity collection (``cognito_emu.state.families``) is replaced, once the data dir is open, by a
``TrackedDict``: a ``dict`` whose lookups and writes (``get``, ``[]``, ``pop``, ``setdefault``, ...)
record the key they handed out in its owner's touch list. Domain code reaches a mutable entity only
through such a lookup (rule 5: state has an address), so the touched keys are a superset of what
changed. ``clear`` / ``update`` / ``popitem`` mark the whole collection (``ALL``). Iterating
``values()`` / ``items()`` is not a lookup; where domain code mutates while iterating (groups, in
``remove_user``) the family is declared ``track_iteration`` and an iteration marks it whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cognito_emu.state.families import Family

# The key a touch carries when the whole collection may have changed.
ALL = object()


class TrackedDict(dict[Any, Any]):
    """A dict that records which keys were handed out or changed (see the module docstring)."""

    __slots__ = ("_sink", "_family", "_prefix", "_owner")

    # ``owner`` is only compared by identity (the Persistence that installed this dict); ``touched`` is its
    # touch list, handed in so this floor needs nothing from persistence.
    def __init__(
        self,
        data: dict[Any, Any],
        owner: object,
        touched: list[tuple[TrackedDict, Any]],
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
