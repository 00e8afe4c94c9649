"""Operation name -> handler. A model operation without a handler answers an honest error."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import UnsupportedOperationException
from cognito_emu.idp.continuity import UserPoolReplica, served_by
from cognito_emu.protocol.model import service
from cognito_emu.protocol.sigv4 import Caller
from cognito_emu.state import Store


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


Handler = Callable[[Call, dict[str, Any]], "dict[str, Any] | None"]
# Runs before every handler of its service; may refuse the call or say who serves it (``ADMIT``).
Admit = Callable[[Call, dict[str, Any]], None]


@cache
def _ops() -> tuple[Mapping[tuple[str, str], Handler], Mapping[str, Admit]]:
    """Every ``HANDLERS`` table and ``ADMIT`` function of the modules in ``cognito_emu.ops``.

    Each ops module declares ``SERVICE`` and ``HANDLERS = {"OperationName": function}`` (or ``ADMIT``);
    a name the model does not know is a bug caught here, at start-up.
    """
    import cognito_emu.ops as package

    table: dict[tuple[str, str], Handler] = {}
    admits: dict[str, Admit] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        admit: Admit | None = getattr(module, "ADMIT", None)
        if admit is not None:
            admits[service(module.SERVICE).name] = admit
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
    return table, admits


def handlers() -> Mapping[tuple[str, str], Handler]:
    """(service, operation) -> handler."""
    return _ops()[0]


def admissions() -> Mapping[str, Admit]:
    """service -> the check that runs before each of its handlers."""
    return _ops()[1]


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
