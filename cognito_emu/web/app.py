"""The WSGI application every mode serves: HTTP server, in-process mock, pytest plugin."""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map
from werkzeug.wrappers import Request, Response

from cognito_emu.env import Env
from cognito_emu.web import (
    aws_endpoint,
    console,
    control,
    identity_routes,
    import_routes,
    oauth_routes,
    other_services,
    trigger_routes,
    usage_routes,
    well_known,
)
from cognito_emu.web.cors import cors_headers, preflight_headers

log = logging.getLogger("cognito_emu.web")
# One line per call, as the AWS endpoint writes for operations: "GET /_emu/health 200 0.4ms".
request_log = logging.getLogger("cognito_emu.request")


@functools.cache
def url_map() -> Map:
    """Every route but the AWS endpoint's. Compiling the rules costs tens of milliseconds, so it happens once
    per process, on the first such request: the rules are static, and the Emulator they serve is handed over
    at dispatch (a callable endpoint gets the Env, a named one is a method of the Emulator's ControlApi)."""
    return Map(
        [
            *control.RULES,
            *well_known.RULES,
            *identity_routes.RULES,
            *trigger_routes.RULES,
            *oauth_routes.RULES,
            *import_routes.RULES,
            *usage_routes.RULES,
            *console.RULES,
        ]
    )


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
        self.persist = persist
        self.others = others
        self.control = control.ControlApi(env, reset, others)

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
        started = time.perf_counter()
        response = self._route(Request(environ))
        # --data-dir: whatever a control / well-known / hosted-UI route changed is committed before it answers.
        self.persist()
        response.headers.extend(cors_headers(environ))
        response.headers["x-amzn-RequestId"] = self.env.ids.request_id()
        if request_log.isEnabledFor(logging.INFO):
            elapsed = (time.perf_counter() - started) * 1000
            request_log.info(
                "%s %s %d %.1fms", method, environ.get("PATH_INFO", "/"), response.status_code, elapsed
            )
        return response(environ, start_response)

    def _is_moto_api(self, path: str) -> bool:
        """moto's own /moto-api/ routes go to moto, but the control API answers the two resets for both."""
        return (
            path.startswith("/moto-api/")
            and path not in ("/moto-api/reset", "/moto-api/reset-auth")
            and self.others.mode == other_services.MOTO
        )

    def _route(self, request: Request) -> Response:
        adapter = url_map().bind_to_environ(request.environ)
        try:
            endpoint, args = adapter.match()
            if callable(endpoint):
                return endpoint(self.env, request, **args)
            return getattr(self.control, endpoint)(request, **args)
        except (NotFound, MethodNotAllowed) as exc:
            if request.method == "POST" and request.path == "/":
                # An AWS-style call without X-Amz-Target: answer as the AWS endpoint would.
                return _aws_error("UnknownOperationException", "Missing X-Amz-Target header.")
            return _http_error(exc)
        except HTTPException as exc:
            return _http_error(exc)
        except Exception:
            log.exception("unexpected error on %s %s", request.method, request.path)
            return _aws_error("InternalErrorException", "An internal error occurred.", 500)


def _http_error(exc: HTTPException) -> Response:
    return Response(
        json.dumps({"error": exc.name, "message": exc.description}),
        status=exc.code or 500,
        mimetype="application/json",
    )


def _aws_error(code: str, message: str, status: int = 400) -> Response:
    response = Response(
        json.dumps({"__type": code, "message": message}), status=status, mimetype=aws_endpoint.CONTENT_TYPE
    )
    response.headers["x-amzn-ErrorType"] = code
    return response
