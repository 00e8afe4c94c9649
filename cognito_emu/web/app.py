"""The WSGI application every mode serves: HTTP server, in-process mock, pytest plugin.

AWS calls (``POST /`` with ``X-Amz-Target``), CORS preflights and other services' requests are
answered here in plain WSGI. Every other route (the control API, well-known documents, hosted login,
the console, ...) lives in ``cognito_emu.web.site`` with Werkzeug and the modules behind those
routes, imported by name (``SITE``) on the first request that needs it: an in-process mock, or a
server that answers only AWS calls, does not pay tens of milliseconds at every start for routes it
never serves.
"""

from __future__ import annotations

import functools
import importlib
import time
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from cognito_emu.env import Env
from cognito_emu.web import aws_endpoint, other_services
from cognito_emu.web.cors import cors_headers, preflight_headers

if TYPE_CHECKING:
    from cognito_emu.web.control import ControlApi

SITE = "cognito_emu.web.site"


@functools.cache
def _site() -> ModuleType:
    return importlib.import_module(SITE)


class Application:
    """Built by the Emulator, which hands in what Env does not do: a full reset, a commit, other services."""

    def __init__(
        self,
        env: Env,
        *,
        reset: Callable[[str | None], None],
        persist: Callable[[], None],
        others: other_services.OtherServices,
    ) -> None:
        self.env = env
        self.reset = reset
        self.persist = persist
        self.others = others
        # The control API's uptime counts from here, though it is made on its first request.
        self.started = time.time()
        self._control: ControlApi | None = None

    @property
    def control(self) -> ControlApi:
        """The ``/_emu`` routes of this Emulator, made on first use."""
        if self._control is None:
            self._control = _site().control_api(self)
        return self._control

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        service = other_services.service_of(environ)
        if service is None and self._is_moto_api(environ.get("PATH_INFO", "/")):
            service = "moto-api"
        if service is not None:
            headers = [*cors_headers(environ), ("x-amzn-RequestId", self.env.ids.request_id())]
            return self.others.answer(environ, start_response, service, headers)
        if method == "POST" and environ.get("PATH_INFO", "/") == "/" and "HTTP_X_AMZ_TARGET" in environ:
            return aws_endpoint.handle(self.env, environ, start_response)
        if method == "OPTIONS":
            headers = preflight_headers(environ)
            headers.append(("x-amzn-RequestId", self.env.ids.request_id()))
            start_response("204 No Content", headers)
            return [b""]
        answer: Iterable[bytes] = _site().answer(self, environ, start_response)
        return answer

    def _is_moto_api(self, path: str) -> bool:
        """moto's own /moto-api/ routes go to moto, but the control API answers the two resets for both."""
        return (
            path.startswith("/moto-api/")
            and path not in ("/moto-api/reset", "/moto-api/reset-auth")
            and self.others.mode == other_services.MOTO
        )
