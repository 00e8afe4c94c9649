"""Which local target answers which Lambda ARN, and the log of every invocation.

A mapping's key is a full ARN (``arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]``)
or a bare function name (optionally ``name:qualifier``); a LambdaConfig ARN finds its target by the
full ARN first, then the ARN without its qualifier, then ``name:qualifier``, then ``name``.

A target is a Python callable ``(event, context) -> dict`` or a string (see ``invokers.parse_target``):
``package.module:function``, ``path/to/handler.py:handler``, ``cmd:<command line>`` or an
``http(s)://`` URL. Strings are checked when they are registered, so a typo fails early.

Mappings set by the configuration (``--trigger``, ``COGNITO_EMU_TRIGGERS``) survive ``clear()``;
those added later (``register``, ``PUT /_emu/triggers``, seeds, the ``cognito_triggers`` fixture)
do not. A state reset leaves the mappings alone (they are wiring, not state) and empties the log.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from cognito_emu.triggers import invokers

Target = Callable[..., Any] | str

DEFAULT_TIMEOUT_SECONDS = 5.0
LOG_LIMIT = 1000
UNMAPPED_MODES = ("error", "skip")


@dataclass(slots=True)
class Invocation:
    """One line of ``GET /_emu/triggers/log``."""

    time: float
    trigger: str
    triggerSource: str
    userPoolId: str
    arn: str
    target: str
    ms: float
    # ok | error (the handler failed) | invalid (malformed answer) | timeout | crash | unmapped | skipped
    outcome: str
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_mappings(text: str) -> dict[str, str]:
    """``ARN=TARGET`` items separated by commas or newlines (``COGNITO_EMU_TRIGGERS``); ValueError if bad.

    A ``cmd:`` mapping takes the rest of its line, commas included."""
    items: list[str] = []
    for line in text.splitlines():
        pieces = line.split(",")
        for index, piece in enumerate(pieces):
            if piece.partition("=")[2].strip().startswith("cmd:"):
                items.append(",".join(pieces[index:]))
                break
            items.append(piece)
    mappings: dict[str, str] = {}
    for item in items:
        item = item.strip()
        if not item:
            continue
        key, sep, target = item.partition("=")
        if not sep or not key.strip() or not target.strip():
            raise ValueError(f"a trigger mapping must be ARN=TARGET, got {item!r}")
        mappings[key.strip()] = target.strip()
    return mappings


def function_name_keys(arn: str) -> list[str]:
    """The keys an ARN is looked up by, most specific first."""
    keys = [arn]
    parts = arn.split(":")
    if len(parts) >= 7 and parts[0] == "arn" and parts[5] == "function":
        name = parts[6]
        qualifier = parts[7] if len(parts) > 7 else None
        if qualifier:
            keys.append(":".join(parts[:7]))
            keys.append(f"{name}:{qualifier}")
        keys.append(name)
    return keys


def describe(target: Target) -> str:
    if isinstance(target, str):
        return target
    module = getattr(target, "__module__", None) or "?"
    name = getattr(target, "__qualname__", None) or getattr(target, "__name__", None) or repr(target)
    return f"{module}:{name}"


class TriggerRegistry:
    """ARN or function name -> target; the invocation log; the trigger settings. Thread-safe."""

    def __init__(
        self,
        configured: Mapping[str, Target] | None = None,
        *,
        unmapped: str = "error",
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        if unmapped not in UNMAPPED_MODES:
            raise ValueError(
                f"unmapped triggers must be one of {', '.join(UNMAPPED_MODES)}, got {unmapped!r}"
            )
        self._lock = threading.Lock()
        self._configured: dict[str, Target] = {}
        self._mappings: dict[str, Target] = {}
        self._log: deque[Invocation] = deque(maxlen=LOG_LIMIT)
        # What a handler file or module target was loaded as (invokers.Loader caches per file).
        self.loader = invokers.Loader()
        self.unmapped = unmapped
        self.timeout = timeout
        for key, target in (configured or {}).items():
            self._configured[key] = self._checked(key, target)
        self._mappings = dict(self._configured)

    # -- mappings ----------------------------------------------------------------------------------

    def _checked(self, key: str, target: Target) -> Target:
        if not isinstance(key, str) or not key.strip():
            raise ValueError("a trigger mapping needs an ARN or function name")
        if isinstance(target, str):
            invokers.parse_target(target)
        elif not callable(target):
            raise ValueError(f"the target of {key} must be a callable or a target string, got {target!r}")
        return target

    def register(self, arn_or_function_name: str, target: Target) -> None:
        """Map an ARN (or a function name) to a callable or a target string; ValueError if malformed."""
        checked = self._checked(arn_or_function_name, target)
        with self._lock:
            self._mappings[arn_or_function_name.strip()] = checked

    def update(self, mappings: Mapping[str, Target]) -> None:
        """Register several mappings, all or none."""
        checked = {key: self._checked(key, target) for key, target in mappings.items()}
        with self._lock:
            self._mappings.update({key.strip(): target for key, target in checked.items()})

    def unregister(self, arn_or_function_name: str) -> bool:
        with self._lock:
            return self._mappings.pop(arn_or_function_name, None) is not None

    def clear(self) -> None:
        """Back to the mappings of the configuration (``--trigger``, ``COGNITO_EMU_TRIGGERS``)."""
        with self._lock:
            self._mappings = dict(self._configured)

    def lookup(self, arn: str) -> Target | None:
        with self._lock:
            for key in function_name_keys(arn):
                target = self._mappings.get(key)
                if target is not None:
                    return target
        return None

    def mappings(self) -> dict[str, str]:
        """Every mapping, targets described as strings (callables as ``module:qualname``)."""
        with self._lock:
            return {key: describe(target) for key, target in self._mappings.items()}

    def __contains__(self, arn: str) -> bool:
        return self.lookup(arn) is not None

    # -- log ---------------------------------------------------------------------------------------

    def record(self, invocation: Invocation) -> None:
        with self._lock:
            self._log.append(invocation)

    def log(self, *, trigger: str | None = None, trigger_source: str | None = None) -> list[Invocation]:
        with self._lock:
            entries: Iterable[Invocation] = list(self._log)
        return [
            entry
            for entry in entries
            if (trigger is None or entry.trigger == trigger)
            and (trigger_source is None or entry.triggerSource == trigger_source)
        ]

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()
