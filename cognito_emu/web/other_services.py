"""Requests for AWS services other than Cognito: answered by moto in this process, or refused by name.

Tests that use Cognito also create IAM roles, SNS topics, S3 buckets, ... and with moto's server they
send all of it to one endpoint. Here the emulator keeps Cognito and hands everything else to moto's
own WSGI application (what ``moto_server`` serves), so ``cognito-emu serve`` can stand in for
``moto_server`` for a whole suite. moto is imported on the first such request: it takes longer to
import than the emulator takes to start.

A request is another service's when (as moto_server tells them apart) its SigV4 credential scope
(the Authorization header, or X-Amz-Credential of a presigned URL) names a service that is not
cognito-idp / cognito-identity, when it is signed with signature version 2 (S3's old header and
presigned URLs), when it is one of STS's unsigned actions (AssumeRoleWithWebIdentity,
AssumeRoleWithSAML), or when its Host is another service's AWS host name. Everything else is the
emulator's, including an unsigned call with an X-Amz-Target that is not Cognito's (moto_server would
give it to S3; here it is an UnknownOperationException).

A request signed for another service is answered here without moto, with a 400 (never a 500, which
an SDK retries), when moto could not answer it: when it carries a Cognito X-Amz-Target (a client
that signed a Cognito call for the wrong service; Cognito answers that InvalidSignatureException,
and no other service uses Cognito's target prefix), when the scope's service is not a signing name
at all, when moto_server cannot read the scope (it then sends the request to S3), or when moto has
no backend for the service.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import json
import logging
import re
import threading
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs, unquote

log = logging.getLogger("cognito_emu.request")

MOTO = "moto"
NONE = "none"
MODES = (MOTO, NONE)
COGNITO_SERVICES = frozenset({"cognito-idp", "cognito-identity"})
# X-Amz-Target prefix -> the service a Cognito call must be signed for.
_COGNITO_TARGETS = {
    "AWSCognitoIdentityProviderService": "cognito-idp",
    "AWSCognitoIdentityService": "cognito-identity",
}
# Every signing name in botocore's models, lower-cased as routing compares them: letters and digits,
# words joined by single hyphens.
_SIGNING_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# STS's two actions an SDK sends unsigned (moto_server routes them by the Action in the form body).
_UNSIGNED_STS_ACTIONS = frozenset({"AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"})
# Unsigned STS forms are small; a body larger than this is not one of them and is left unread.
_FORM_PEEK_BYTES = 64 * 1024
# moto_server needs these three modules (the moto[server] extra).
_MOTO_MODULES = ("moto", "flask", "flask_cors")
INSTALL_HINT = "pip install 'cognito-emu[moto]'"
Headers = list[tuple[str, str]]


@functools.cache
def moto_installed() -> bool:
    # Once per process: looking the three up on sys.path cost most of making an Emulator (one per mock).
    return all(importlib.util.find_spec(name) is not None for name in _MOTO_MODULES)


def service_of(environ: dict[str, Any]) -> str | None:
    """The AWS service a request is for when that is not Cognito; None when it is the emulator's own."""
    credential = _credential(environ)
    if credential is not None:
        service = _scope_service(credential)
    elif _signed_v2(environ):
        service = "s3"
    else:
        service = _unsigned_service(environ)
    return None if service is None or service in COGNITO_SERVICES else service


def _credential(environ: dict[str, Any]) -> str | None:
    """The SigV4 credential of a signed request (its Authorization header) or a presigned URL; None unsigned."""
    authorization = environ.get("HTTP_AUTHORIZATION") or ""
    if authorization.startswith("AWS4-"):
        return authorization.partition("Credential=")[2].partition(",")[0]
    query = environ.get("QUERY_STRING", "")
    if "X-Amz-Credential=" in query:
        return parse_qs(query).get("X-Amz-Credential", [""])[0]
    return None


def _signed_v2(environ: dict[str, Any]) -> bool:
    """Signature version 2 (a header, or a presigned URL's query): only S3 still takes it."""
    query = environ.get("QUERY_STRING", "")
    return (environ.get("HTTP_AUTHORIZATION") or "").startswith("AWS ") or (
        "AWSAccessKeyId=" in query and "Signature=" in query
    )


def _scope_service(credential: str) -> str | None:
    """``AKID/20240101/us-east-1/sns/aws4_request`` (SigV4a leaves the region out): the service."""
    parts = unquote(credential).strip().split("/")
    if len(parts) < 4 or parts[-1] != "aws4_request":
        return None
    return parts[-2].lower() or None


def _unsigned_service(environ: dict[str, Any]) -> str | None:
    host = (environ.get("HTTP_HOST") or "").rsplit(":", 1)[0].lower()
    if host.endswith(".amazonaws.com"):
        labels = host.split(".")
        if labels[0] not in COGNITO_SERVICES:
            # <bucket>.s3.<region>.amazonaws.com names its bucket first.
            return "s3" if "s3" in labels[1:] else labels[0]
    if (
        environ.get("REQUEST_METHOD") == "POST"
        and environ.get("PATH_INFO") == "/"
        and environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded")
        and _form_action(environ) in _UNSIGNED_STS_ACTIONS
    ):
        return "sts"
    return None


def _form_action(environ: dict[str, Any]) -> str | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= _FORM_PEEK_BYTES:
        return None
    body = environ["wsgi.input"].read(length)
    # Whoever answers reads the body again.
    environ["wsgi.input"] = io.BytesIO(body)
    return parse_qs(body.decode("latin-1")).get("Action", [None])[0]


class OtherServices:
    """What answers the requests for other AWS services: moto (``"moto"``) or a clear error (``"none"``)."""

    def __init__(self, mode: str | None = None) -> None:
        if mode is None:
            mode = MOTO if moto_installed() else NONE
        if mode not in MODES:
            raise ValueError(f"other services must be one of {', '.join(MODES)}, got {mode!r}")
        if mode == MOTO and not moto_installed():
            raise ValueError(f"--other-services moto needs moto's server: {INSTALL_HINT}")
        self.mode = mode
        self._moto_app: Any = None
        self._lock = threading.Lock()

    @property
    def moto_loaded(self) -> bool:
        return self._moto_app is not None

    def _moto(self) -> Any:
        if self._moto_app is None:
            with self._lock:
                if self._moto_app is None:
                    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

                    def create_app(backend: Any) -> Any:
                        # moto_server hands on None when no backend matches the service it read, and
                        # then fails building an app for it (AttributeError in get_backend).
                        if backend is None:
                            raise _NoMotoBackend
                        return create_backend_app(backend)

                    self._moto_app = DomainDispatcherApplication(create_app)
        return self._moto_app

    def answer(
        self, environ: dict[str, Any], start_response: Any, service: str, headers: Headers
    ) -> Iterable[bytes]:
        """Answer one request for ``service``; ``headers`` go on an error the emulator answers itself."""
        signed_for_service = _credential(environ) is not None
        if signed_for_service:
            cognito = _COGNITO_TARGETS.get(environ.get("HTTP_X_AMZ_TARGET", "").partition(".")[0])
            if cognito is not None:
                return _wrong_service(environ, start_response, cognito, headers)
            if not _SIGNING_NAME.fullmatch(service):
                return _unserved(environ, start_response, service, "that is not an AWS signing name", headers)
        if self.mode == NONE:
            return _refuse(environ, start_response, service, headers)
        if signed_for_service and not _moto_routes(environ, service):
            why = (
                "moto_server cannot read that scope (it reads the Authorization header's second word as "
                "Credential=<key>/<date>/<region>/<service>/aws4_request and sends any other signed "
                "request to S3)"
            )
            return _unserved(environ, start_response, service, why, headers)
        started = time.perf_counter()
        status: list[str] = []

        def recording_start_response(line: str, headers: Any, exc_info: Any = None) -> Any:
            status.append(line)
            return start_response(line, headers, exc_info)

        try:
            body = self._moto()(environ, recording_start_response)
        except _NoMotoBackend:
            return _unserved(environ, start_response, service, "moto has no backend for it", headers)
        except Exception:
            log.exception("moto failed on a %s request to %s", service, environ.get("PATH_INFO"))
            message = f"moto failed to answer this {service} request; the emulator's log has the traceback."
            return _error(
                environ, start_response, "500 Internal Server Error", "InternalFailure", message, headers
            )
        if log.isEnabledFor(logging.INFO):
            code = status[0].split(" ", 1)[0] if status else "-"
            elapsed = (time.perf_counter() - started) * 1000
            log.info(
                "%s %s %s %s %.1fms (moto)",
                service,
                environ.get("REQUEST_METHOD"),
                environ.get("PATH_INFO"),
                code,
                elapsed,
            )
        return body

    def reset_auth(self, initial_no_auth_action_count: float) -> None:
        """moto's ``/moto-api/reset-auth``: its IAM checks start after that many unauthenticated actions."""
        if self.mode != MOTO:
            return
        from werkzeug.test import EnvironBuilder, run_wsgi_app

        environ = EnvironBuilder(
            path="/moto-api/reset-auth", method="POST", data=str(initial_no_auth_action_count)
        ).get_environ()
        run_wsgi_app(self._moto(), environ)

    def reset(self) -> None:
        """Forget every other service's state (nothing to do while moto has not been asked anything)."""
        if self._moto_app is None:
            return
        from moto.moto_api._internal.models import moto_api_backend

        moto_api_backend.reset()


class _NoMotoBackend(Exception):
    """moto has no backend for the service a request is signed for."""


def _moto_routes(environ: dict[str, Any], service: str) -> bool:
    """Whether moto_server takes a request signed for ``service`` to that service. It reads the service
    only from an Authorization header whose first field's second word is
    ``Credential=<key>/<date>/<region>/<service>/aws4_request``, sends a request whose scope it cannot
    read so (a presigned URL, a SigV4a scope) to S3, and fails on a header with no second word."""
    authorization = environ.get("HTTP_AUTHORIZATION") or ""
    words = authorization.split(",")[0].split()
    if len(words) > 1 and words[1].count("/") == 4:
        return True
    return service == "s3" and (not authorization or len(words) > 1)


def _wrong_service(
    environ: dict[str, Any], start_response: Any, cognito: str, headers: Headers
) -> Iterable[bytes]:
    """What Cognito answers a call signed for another service (as every AWS JSON service does, e.g.
    aws-sdk-ruby #431, AWS.jl #334; the message ends in a space there too)."""
    message = f"Credential should be scoped to correct service: '{cognito}'. "
    return _error(environ, start_response, "400 Bad Request", "InvalidSignatureException", message, headers)


def _unserved(
    environ: dict[str, Any], start_response: Any, service: str, why: str, headers: Headers
) -> Iterable[bytes]:
    message = (
        f"The credential scope names the service '{service}', but {why}; neither Cognito "
        "(cognito-idp, cognito-identity) nor moto answers it. Sign the request for the service you call."
    )
    return _error(environ, start_response, "400 Bad Request", "InvalidSignatureException", message, headers)


def _refuse(environ: dict[str, Any], start_response: Any, service: str, headers: Headers) -> Iterable[bytes]:
    message = (
        f"cognito-emu answers only Cognito (cognito-idp, cognito-identity); this request is for {service} "
        f"and other services are off (--other-services none). Serve with --other-services moto "
        f"({INSTALL_HINT}) to have moto answer it."
    )
    # 501: an SDK does not retry it (it retries 500, 502, 503 and 504).
    return _error(environ, start_response, "501 Not Implemented", "NotImplemented", message, headers)


def _error(
    environ: dict[str, Any], start_response: Any, status: str, code: str, message: str, headers: Headers
) -> Iterable[bytes]:
    """An error the caller's SDK parses: JSON for JSON protocols (X-Amz-Target or a JSON body), else XML."""
    if "HTTP_X_AMZ_TARGET" in environ or "json" in environ.get("CONTENT_TYPE", ""):
        body = json.dumps({"__type": code, "message": message}).encode()
        content_type = "application/x-amz-json-1.1"
    else:
        # Imported with the first XML refusal, not at every start (html.entities' table, about 1 ms).
        import html

        # The query protocol says whose fault it is: the caller's (4xx) or the service's (5xx).
        fault = "Receiver" if status.startswith("5") else "Sender"
        body = (
            f"<ErrorResponse><Error><Type>{fault}</Type><Code>{code}</Code>"
            f"<Message>{html.escape(message, quote=False)}</Message></Error></ErrorResponse>"
        ).encode()
        content_type = "text/xml"
    start_response(
        status,
        [
            ("Content-Type", content_type),
            ("x-amzn-ErrorType", code),
            ("Content-Length", str(len(body))),
            *headers,
        ],
    )
    return [body]
