"""Every route of the WSGI app but the AWS endpoint: the control API (``/_emu``), the well-known
documents, identity's JWKS, hosted login and OAuth2, trigger and import routes, usage and the console.

Werkzeug and the modules behind these routes cost tens of milliseconds to import, and an in-process
mock or a server answering only AWS calls never needs them: ``cognito_emu.web.app`` imports this
module by name on the first request that does.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map
from werkzeug.wrappers import Request, Response

from cognito_emu.web import (
    aws_endpoint,
    console,
    control,
    identity_routes,
    import_routes,
    oauth_routes,
    trigger_routes,
    usage_routes,
    well_known,
)
from cognito_emu.web.cors import cors_headers

if TYPE_CHECKING:
    from cognito_emu.web.app import Application

log = logging.getLogger("cognito_emu.web")
# One line per call, as the AWS endpoint writes for operations: "GET /_emu/health 200 0.4ms".
request_log = logging.getLogger("cognito_emu.request")


@functools.cache
def url_map() -> Map:
    """Compiling the rules costs tens of milliseconds, so it happens once per process, on the first request
    here: the rules are static, and the Emulator they serve is handed over at dispatch (a callable endpoint
    gets the Env, a named one is a method of the Emulator's ControlApi)."""
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


def control_api(app: Application) -> control.ControlApi:
    return control.ControlApi(app.env, app.reset, app.others, app.started)


def answer(app: Application, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    started = time.perf_counter()
    response = _route(app, Request(environ))
    # --data-dir: whatever a control / well-known / hosted-UI route changed is committed before it answers.
    app.persist()
    response.headers.extend(cors_headers(environ))
    response.headers["x-amzn-RequestId"] = app.env.ids.request_id()
    if request_log.isEnabledFor(logging.INFO):
        elapsed = (time.perf_counter() - started) * 1000
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        request_log.info("%s %s %d %.1fms", method, path, response.status_code, elapsed)
    return response(environ, start_response)


def _route(app: Application, request: Request) -> Response:
    adapter = url_map().bind_to_environ(request.environ)
    try:
        endpoint, args = adapter.match()
        if callable(endpoint):
            return endpoint(app.env, request, **args)
        return getattr(app.control, endpoint)(request, **args)
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
    response = Response(
        json.dumps({"error": exc.name, "message": exc.description}),
        status=exc.code or 500,
        mimetype="application/json",
    )
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        # RFC 9110 section 15.5.6: a 405 names the methods the resource takes (Cognito's domain
        # endpoints send "allow: GET" for a POST to a GET-only path, amplify-js issue 5284).
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return response


def _aws_error(code: str, message: str, status: int = 400) -> Response:
    response = Response(
        json.dumps({"__type": code, "message": message}), status=status, mimetype=aws_endpoint.CONTENT_TYPE
    )
    response.headers["x-amzn-ErrorType"] = code
    return response
