"""Operation name -> handler. A model operation without a handler answers an honest error.

The handlers live in the modules of ``cognito_emu.ops``, which together import most of the emulator
(about 25 ms of every start). A start needs none of them but the first call's, so the table is read
through an index on disk (operation -> module, service -> the module with its ADMIT check), kept in
the cache directory beside botocore's models: a lookup imports only the module that answers. The
index is checked against the ops modules' names, sizes and modification times at each start; when
it is missing or stale, the first lookup imports every ops module (checking each HANDLERS name
against the model) and writes it again. Anything that walks the whole table imports them all.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cognito_emu.cache_dir import cache_dir, write_whole
from cognito_emu.env import Env
from cognito_emu.errors import UnsupportedOperationException
from cognito_emu.idp.continuity import UserPoolReplica, served_by
from cognito_emu.protocol.model import service
from cognito_emu.protocol.sigv4 import Caller
from cognito_emu.state import Store
from cognito_emu.triggers.events import TriggerInput, name_value_map


@dataclass(slots=True)
class Call:
    """One AWS API call as handlers see it."""

    env: Env
    service: str
    operation: str
    caller: Caller
    # scheme://host the client called; the default token issuer is built from it.
    base_url: str
    request_id: str
    user_agent: str = ""
    # The first address of X-Forwarded-For: where a proxy says the caller is (threat protection's IP).
    source_ip: str | None = None
    # When a secondary replica serves the call (a signed call from its Region): the replica, and the
    # primary's Region, where the pool's state lives (idp.pool.replicas).
    replica: UserPoolReplica | None = None
    home_region: str | None = None

    @property
    def account(self) -> str:
        return self.caller.account

    @property
    def region(self) -> str:
        return self.caller.region

    @property
    def store(self) -> Store:
        return self.env.state.store(self.caller.account, self.home_region or self.caller.region)

    def trigger_input(self, params: dict[str, Any]) -> TriggerInput:
        """ClientMetadata, ValidationData and the User-Agent, for the Lambda triggers the call fires."""
        return TriggerInput(
            client_metadata=dict(params.get("ClientMetadata") or {}),
            validation_data=name_value_map(params.get("ValidationData")),
            user_agent=self.user_agent,
        )


Handler = Callable[[Call, dict[str, Any]], "dict[str, Any] | None"]
# Runs before every handler of its service; may refuse the call or say who serves it (``ADMIT``).
Admit = Callable[[Call, dict[str, Any]], None]


@cache
def _ops() -> tuple[Mapping[tuple[str, str], Handler], Mapping[str, Admit]]:
    """Every ``HANDLERS`` table and ``ADMIT`` function of the modules in ``cognito_emu.ops``.

    Each ops module declares ``SERVICE`` and ``HANDLERS = {"OperationName": function}`` (or ``ADMIT``);
    a name the model does not know is a bug caught here, when the index is made.
    """
    import cognito_emu.ops as package

    table: dict[tuple[str, str], Handler] = {}
    admits: dict[str, Admit] = {}
    modules: dict[str, dict[str, str]] = {}
    admit_modules: dict[str, str] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        admit: Admit | None = getattr(module, "ADMIT", None)
        if admit is not None:
            admits[service(module.SERVICE).name] = admit
            admit_modules[service(module.SERVICE).name] = module.__name__
        module_handlers: dict[str, Handler] | None = getattr(module, "HANDLERS", None)
        if module_handlers is None:
            continue
        spec = service(module.SERVICE)
        for name, function in module_handlers.items():
            if name not in spec.operations:
                raise RuntimeError(f"{module.__name__} handles {name!r}, which {spec.name} does not have")
            if (spec.name, name) in table:
                raise RuntimeError(f"{spec.name} {name} is handled twice")
            table[(spec.name, name)] = function
            modules.setdefault(spec.name, {})[name] = module.__name__
    if _index() is None:
        index = {"fingerprint": _fingerprint(), "handlers": modules, "admits": admit_modules}
        write_whole(
            _index_file(), json.dumps(index, separators=(",", ":")), f"ops-index-{_INDEX_FORMAT}-*.json"
        )
    return table, admits


# The ops package, found beside this module without importing it.
_OPS_FOLDER = Path(__file__).with_name("ops")
_INDEX_FORMAT = 1


def _index_file() -> Path:
    # One per checkout: worktrees and installs side by side keep their own.
    folder = hashlib.sha256(str(_OPS_FOLDER.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / f"ops-index-{_INDEX_FORMAT}-{folder}.json"


def _fingerprint() -> list[list[Any]]:
    """The ops modules' names, sizes and modification times: a module changed, added or removed
    since the index was written makes it stale."""
    found = []
    for entry in os.scandir(_OPS_FOLDER):
        if entry.name.endswith(".py"):
            status = entry.stat()
            found.append([entry.name, status.st_size, status.st_mtime_ns])
    return sorted(found)


@cache
def _index() -> dict[str, Any] | None:
    """The index on disk when it describes the ops modules as they are now, else None."""
    try:
        stored = json.loads(_index_file().read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("fingerprint") != _fingerprint():
        return None
    return stored


class _Indexed(Mapping[Any, Any]):
    """``handlers()`` or ``admissions()``: ``get`` imports only the module the index names (and keeps
    what it found); walking the mapping, or a missing or stale index, loads every ops module."""

    def __init__(self, which: int) -> None:
        self._which = which  # 0: handlers by (service, operation); 1: ADMIT by service
        self._found: dict[Any, Any] = {}

    def _all(self) -> Mapping[Any, Any]:
        return _ops()[self._which]

    def _from_index(self, key: Any) -> Any:
        index = _index()
        if index is None:
            return self._all().get(key)
        if self._which == 0:
            service_name, operation = key
            module_name = index["handlers"].get(service_name, {}).get(operation)
        else:
            module_name = index["admits"].get(key)
        if module_name is None:
            return None
        module = importlib.import_module(module_name)
        value = module.HANDLERS.get(key[1]) if self._which == 0 else getattr(module, "ADMIT", None)
        # A module that no longer has it (changed within the modification time's resolution): the full table.
        return value if value is not None else self._all().get(key)

    def get(self, key: Any, default: Any = None) -> Any:
        if key not in self._found:
            self._found[key] = self._from_index(key)
        value = self._found[key]
        return default if value is None else value

    def __getitem__(self, key: Any) -> Any:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[Any]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


_HANDLERS = _Indexed(0)
_ADMISSIONS = _Indexed(1)


def handlers() -> Mapping[tuple[str, str], Handler]:
    """(service, operation) -> handler."""
    return _HANDLERS


def admissions() -> Mapping[str, Admit]:
    """service -> the check that runs before each of its handlers."""
    return _ADMISSIONS


def prepare() -> None:
    """At a server's start: make the index if it is missing or stale (importing every ops module,
    what the first call would otherwise pay for); with a fresh one, import nothing."""
    if _index() is None:
        _ops()


def dispatch(call: Call, params: dict[str, Any]) -> dict[str, Any] | None:
    function = handlers().get((call.service, call.operation))
    if function is None:
        raise UnsupportedOperationException(
            f"cognito-emu does not implement {call.operation} of {call.service} yet."
        )
    admit = admissions().get(call.service)
    if admit is not None:
        admit(call, params)
    with served_by(call.replica):
        return function(call, params)
