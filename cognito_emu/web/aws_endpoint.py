"""``POST /`` with ``X-Amz-Target``: the AWS JSON 1.1 endpoint of both services.

Kept on raw WSGI (no Request object) because it is the hot path of every client.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from typing import Any

from cognito_emu import errors as aws_errors
from cognito_emu.blocking import before_blocking
from cognito_emu.dispatch import Call, dispatch
from cognito_emu.env import Env
from cognito_emu.errors import (
    CognitoError,
    InternalErrorException,
    SerializationException,
    UnknownOperationException,
)
from cognito_emu.protocol.model import services
from cognito_emu.protocol.parse import MAX_BODY_BYTES, parse_body
from cognito_emu.protocol.serialize import to_json
from cognito_emu.protocol.shapes import input_node, output_node
from cognito_emu.protocol.sigv4 import caller
from cognito_emu.protocol.validate import validation_errors, validation_message
from cognito_emu.usage import observe
from cognito_emu.web.cors import cors_headers

log = logging.getLogger("cognito_emu.request")

CONTENT_TYPE = "application/x-amz-json-1.1"
Headers = list[tuple[str, str]]
_STATUS_LINES = {
    200: "200 OK",
    400: "400 Bad Request",
    413: "413 Request Entity Too Large",
    500: "500 Internal Server Error",
}


def _declared_length(environ: dict[str, Any]) -> int:
    try:
        return int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


# Bodies over the limit but under this are read and dropped; larger ones get a 413 and a closed connection.
DRAIN_LIMIT_BYTES = 16 * 1024 * 1024


def _drain(stream: Any, length: int) -> None:
    while length > 0:
        chunk = stream.read(min(length, 65536))
        if not chunk:
            return
        length -= len(chunk)


def _too_large() -> SerializationException:
    error = SerializationException(f"Request body is larger than the limit of {MAX_BODY_BYTES} bytes.")
    error.status = 413  # servers close the connection after a 413 instead of draining the body
    return error


def _read_body(environ: dict[str, Any]) -> bytes:
    length = _declared_length(environ)
    if length > MAX_BODY_BYTES:
        if length > DRAIN_LIMIT_BYTES:
            raise _too_large()
        # Read and drop it, so the client (still sending) gets the answer and keeps its connection.
        _drain(environ["wsgi.input"], length)
        raise SerializationException(f"Request body is larger than the limit of {MAX_BODY_BYTES} bytes.")
    stream = environ["wsgi.input"]
    if length > 0:
        return stream.read(length)
    if environ.get("wsgi.input_terminated"):
        # Chunked request without Content-Length: the server de-chunks and ends the stream.
        body = stream.read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            raise _too_large()
        return body
    return b""


def base_url(environ: dict[str, Any]) -> str:
    host = (
        environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '127.0.0.1')}:{environ.get('SERVER_PORT')}"
    )
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}"


def forwarded_for(environ: dict[str, Any]) -> str | None:
    """The client's IP address as the first X-Forwarded-For entry names it (threat protection's view of
    the caller). The socket's own address is not used: it is the loopback in server mode and absent
    in-process, so the two modes would see different callers."""
    return environ.get("HTTP_X_FORWARDED_FOR", "").split(",", 1)[0].strip() or None


def error_body(error: CognitoError) -> bytes:
    return json.dumps({"__type": error.code, "message": error.message}).encode()


def handle(env: Env, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    started = time.perf_counter()
    request_id = env.ids.request_id()
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    prefix, _, op_name = target.partition(".")
    status = 200
    try:
        body, op_label = _guarded(env, environ, prefix, op_name, request_id)
        headers: Headers = [("Content-Type", CONTENT_TYPE)]
    except CognitoError as error:
        op_label = op_name or target or "-"
        status = error.status
        body = error_body(error)
        headers = [("Content-Type", CONTENT_TYPE), ("x-amzn-ErrorType", error.code)]
        if status == 413:
            # The body was not read (whole): this connection cannot carry another request.
            headers.append(("Connection", "close"))
    headers.append(("x-amzn-RequestId", request_id))
    headers.append(("Content-Length", str(len(body))))
    headers.extend(cors_headers(environ))
    start_response(_STATUS_LINES.get(status) or f"{status} Error", headers)
    if log.isEnabledFor(logging.INFO):
        log.info("%s %d %.1fms", op_label, status, (time.perf_counter() - started) * 1000)
    return [body]


def _answer(
    env: Env, environ: dict[str, Any], prefix: str, op_name: str, request_id: str
) -> tuple[bytes, str]:
    spec = services().get(prefix)
    if spec is None or not op_name or op_name not in spec.operations:
        target = f"{prefix}.{op_name}" if op_name else prefix
        raise UnknownOperationException(f"Unknown operation {target or '(no X-Amz-Target)'}.")
    fault = env.faults.take(op_name)
    if fault is not None:
        # Outside the state lock, and off the server's leader thread: a delayed call holds up no other.
        if fault.delay:
            before_blocking()
            time.sleep(fault.delay)
        fault.raise_error()
    params = parse_body(_read_body(environ))
    errors = validation_errors(input_node(spec.name, op_name), params)
    if errors:
        raise getattr(aws_errors, spec.validation_error)(validation_message(errors))
    who = caller(environ.get("HTTP_AUTHORIZATION"), env.config.account, env.config.region)
    if env.throttle is not None:
        pool_id = params.get("UserPoolId")
        env.throttle.admit(op_name, who.account, who.region, pool_id if isinstance(pool_id, str) else None)
    call = Call(
        env=env,
        service=spec.name,
        operation=op_name,
        caller=who,
        base_url=base_url(environ),
        request_id=request_id,
        user_agent=environ.get("HTTP_USER_AGENT", ""),
        source_ip=forwarded_for(environ),
    )
    with env.state.lock:
        try:
            result = dispatch(call, params)
            if spec.name == "cognito-idp":
                observe.operation(env, op_name, params, result)
        finally:
            # --data-dir: commit what the operation changed (failed ones too) before answering.
            if env.persistence is not None:
                env.persistence.flush(op_name)
    return to_json(output_node(spec.name, op_name), result, op_name), op_name


def _guarded(
    env: Env, environ: dict[str, Any], prefix: str, op_name: str, request_id: str
) -> tuple[bytes, str]:
    """The error boundary: reading and checking the body too, so nothing unexpected leaves as a bare 500."""
    try:
        return _answer(env, environ, prefix, op_name, request_id)
    except CognitoError:
        raise
    except Exception:
        log.exception("unexpected error in %s", op_name or "-")
        raise InternalErrorException("An internal error occurred.") from None
