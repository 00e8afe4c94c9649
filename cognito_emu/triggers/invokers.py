"""The kinds of local target a Lambda ARN can be mapped to, and how each is called.

- a Python callable (registered from Python), or ``package.module:function`` (imported): called
  in-process with a copy of the event and a Lambda-like context object
- ``path/to/handler.py:handler`` (``:handler`` is the default): a handler file, loaded the way Lambda
  loads one (its directory first on ``sys.path``; a module of its own per file, loaded again when the
  file changes)
- ``cmd:<command line>``: a process started per invocation, the event as JSON on stdin, the answer as
  JSON on stdout; stderr is logged. An answer ``{"errorMessage": ..., "errorType": ...}`` (Lambda's
  error shape) with a non-zero exit is the handler's error; any other non-zero exit is a crash.
  ``tests/triggers/handlers/handler-runner.js`` is such a runner for Node.js ``handler.js`` files.
- ``http://`` / ``https://`` URL: the event POSTed as JSON, the JSON answer read back; a non-2xx
  answer carrying ``errorMessage`` is the handler's error, any other non-2xx answer a crash.

Every invoker raises the ``Handler*`` exceptions below; the runner turns them into Cognito's errors.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

log = logging.getLogger("cognito_emu.triggers")


class HandlerError(Exception):
    """The handler ran and failed (raised, or answered Lambda's error shape)."""


class HandlerTimeout(Exception):
    """The handler did not answer in time."""


class HandlerCrash(Exception):
    """The handler could not be run, or died without an answer."""


class MalformedAnswer(Exception):
    """The handler answered something that is not a JSON object. ``str()`` is Cognito's wording."""


INVALID_JSON = "Invalid lambda function output : Invalid JSON"
UNRECOGNIZABLE = "Unrecognizable lambda output"


@dataclass(slots=True)
class LambdaContext:
    """What a Python Lambda handler gets as ``context`` (the attributes handlers use)."""

    function_name: str
    invoked_function_arn: str
    aws_request_id: str
    deadline: float
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 128
    log_group_name: str = ""
    log_stream_name: str = ""
    identity: Any = None
    client_context: Any = None

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


def new_context(arn: str, request_id: str, timeout: float) -> LambdaContext:
    parts = arn.split(":")
    is_arn = len(parts) >= 7 and parts[0] == "arn"
    name = parts[6] if is_arn else arn.split(":")[0]
    version = parts[7] if is_arn and len(parts) > 7 else "$LATEST"
    return LambdaContext(
        function_name=name,
        invoked_function_arn=arn,
        aws_request_id=request_id,
        deadline=time.monotonic() + timeout,
        function_version=version,
        log_group_name=f"/aws/lambda/{name}",
        log_stream_name=f"cognito-emu/[{version}]{request_id.replace('-', '')}",
    )


# -- target strings ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Spec:
    kind: str  # "module", "file", "cmd" or "http"
    location: str  # module name, file path, command line or URL
    attribute: str = ""  # the function of a module or file
    argv: tuple[str, ...] = field(default=())


def parse_target(target: str) -> Spec:
    """What a target string names; ValueError (with the accepted forms) when it names nothing."""
    text = target.strip()
    if text.startswith("cmd:"):
        # Imported with the first command trigger, not at every start (with subprocess, about 2 ms).
        import shlex

        try:
            argv = tuple(shlex.split(text[4:]))
        except ValueError as exc:
            raise ValueError(f"cannot parse the command of {target!r}: {exc}") from None
        if not argv:
            raise ValueError(f"{target!r} names no command")
        return Spec("cmd", text[4:].strip(), argv=argv)
    if text.startswith(("http://", "https://")):
        return Spec("http", text)
    path, sep, attribute = text.rpartition(":")
    if not sep:
        path, attribute = text, ""
    if path.endswith(".py") or text.endswith(".py"):
        if text.endswith(".py"):
            path, attribute = text, ""
        return Spec("file", path, attribute or "handler")
    is_module = sep and path and all(part.isidentifier() for part in path.split("."))
    if is_module and attribute and attribute.replace(".", "_").isidentifier():
        return Spec("module", path, attribute)
    raise ValueError(
        f"not a trigger target: {target!r} (use package.module:function, path/to/handler.py:handler, "
        "cmd:<command line> or an http(s):// URL)"
    )


class Loader:
    """Handler files and modules, loaded once (a file again when it changes)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[Path, tuple[float, ModuleType]] = {}

    def function(self, spec: Spec) -> Callable[..., Any]:
        if spec.kind == "module":
            module = importlib.import_module(spec.location)
        else:
            module = self._file(Path(spec.location))
        function: Any = module
        for part in spec.attribute.split("."):
            function = getattr(function, part, None)
            if function is None:
                raise HandlerCrash(f"{spec.location} has no {spec.attribute}")
        if not callable(function):
            raise HandlerCrash(f"{spec.location}:{spec.attribute} is not callable")
        return function

    def _file(self, path: Path) -> ModuleType:
        path = path.expanduser().resolve()
        try:
            mtime = path.stat().st_mtime
        except OSError as exc:
            raise HandlerCrash(f"cannot read the handler file {path}: {exc.strerror}") from None
        with self._lock:
            cached = self._files.get(path)
            if cached is not None and cached[0] == mtime:
                return cached[1]
            directory = str(path.parent)
            # As Lambda does: the handler's directory (its "task root") first, so sibling modules import.
            if directory not in sys.path:
                sys.path.insert(0, directory)
            name = f"cognito_emu_trigger_{abs(hash(str(path))):x}_{path.stem}"
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None or spec.loader is None:
                raise HandlerCrash(f"cannot load the handler file {path}")
            module = importlib.util.module_from_spec(spec)
            try:
                spec.loader.exec_module(module)
            except Exception as exc:
                raise HandlerCrash(f"importing {path} failed: {type(exc).__name__}: {exc}") from None
            self._files[path] = (mtime, module)
            return module


# -- answers ---------------------------------------------------------------------------------------


def answer_from_text(text: str) -> dict[str, Any]:
    try:
        answer = json.loads(text)
    except ValueError:
        raise MalformedAnswer(INVALID_JSON) from None
    if not isinstance(answer, dict):
        raise MalformedAnswer(UNRECOGNIZABLE)
    return answer


def _lambda_error(answer: Any) -> str | None:
    """The message of Lambda's error shape ``{"errorMessage", "errorType"}``, if that is what this is."""
    if isinstance(answer, dict) and isinstance(answer.get("errorMessage"), str):
        return str(answer["errorMessage"])
    return None


# -- invokers --------------------------------------------------------------------------------------


def call_python(
    function: Callable[..., Any], event: dict[str, Any], context: LambdaContext, timeout: float
) -> dict[str, Any]:
    """Run ``function(event, context)`` on a thread of its own, so a slow handler times out.

    The event is a copy; the answer goes through JSON, as Lambda's runtime would send it."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["answer"] = function(json.loads(json.dumps(event)), context)
        except BaseException as exc:  # the handler's own error, whatever it is
            outcome["error"] = exc

    worker = threading.Thread(target=run, name=f"trigger-{context.function_name}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise HandlerTimeout(f"timed out after {timeout:g} s")
    if "error" in outcome:
        error = outcome["error"]
        if isinstance(error, SystemExit):
            raise HandlerCrash(f"the handler exited (SystemExit {error.code})")
        raise HandlerError(str(error) or type(error).__name__)
    answer = outcome.get("answer")
    try:
        text = json.dumps(answer)
    except (TypeError, ValueError):
        raise MalformedAnswer(INVALID_JSON) from None
    return answer_from_text(text)


def call_command(
    argv: tuple[str, ...], event: dict[str, Any], context: LambdaContext, timeout: float
) -> dict[str, Any]:
    environment = {
        **os.environ,
        "AWS_LAMBDA_FUNCTION_NAME": context.function_name,
        "AWS_LAMBDA_FUNCTION_VERSION": context.function_version,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(context.memory_limit_in_mb),
        "AWS_LAMBDA_LOG_GROUP_NAME": context.log_group_name,
        "AWS_LAMBDA_LOG_STREAM_NAME": context.log_stream_name,
        "COGNITO_EMU_INVOKED_FUNCTION_ARN": context.invoked_function_arn,
        "COGNITO_EMU_AWS_REQUEST_ID": context.aws_request_id,
        "COGNITO_EMU_DEADLINE_MS": str(int(time.time() * 1000 + timeout * 1000)),
    }
    import subprocess  # with the first command trigger run, as shlex with the first one parsed

    try:
        process = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
    except OSError as exc:
        raise HandlerCrash(f"cannot start {argv[0]}: {exc.strerror or exc}") from None
    try:
        stdout, stderr = process.communicate(json.dumps(event).encode(), timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise HandlerTimeout(f"timed out after {timeout:g} s") from None
    for line in stderr.decode(errors="replace").splitlines():
        log.info("%s stderr: %s", context.function_name, line)
    text = stdout.decode(errors="replace").strip()
    if process.returncode != 0:
        try:
            message = _lambda_error(json.loads(text.splitlines()[-1])) if text else None
        except ValueError:
            message = None
        if message is not None:
            raise HandlerError(message)
        last = stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise HandlerCrash(f"the command exited with status {process.returncode}: {last[0]}".rstrip(": "))
    return answer_from_text(text)


def call_http(url: str, event: dict[str, Any], context: LambdaContext, timeout: float) -> dict[str, Any]:
    # Imported here: only http:// triggers need it, and it costs start-up time (http.client, email).
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        url,
        data=json.dumps(event).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Lambda-Runtime-Aws-Request-Id": context.aws_request_id,
            "Lambda-Runtime-Invoked-Function-Arn": context.invoked_function_arn,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        body = exc.read().decode(errors="replace")
        try:
            message = _lambda_error(json.loads(body))
        except ValueError:
            message = None
        if message is not None:
            raise HandlerError(message) from None
        raise HandlerCrash(f"{url} answered HTTP {exc.code}") from None
    except TimeoutError:
        raise HandlerTimeout(f"timed out after {timeout:g} s") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise HandlerTimeout(f"timed out after {timeout:g} s") from None
        raise HandlerCrash(f"cannot reach {url}: {exc.reason}") from None
    except OSError as exc:
        raise HandlerCrash(f"cannot reach {url}: {exc}") from None
    return answer_from_text(text)


def call(
    target: Callable[..., Any] | str,
    loader: Loader,
    event: dict[str, Any],
    context: LambdaContext,
    timeout: float,
) -> dict[str, Any]:
    """Run ``target`` with ``event``; its answer, or one of the ``Handler*`` / MalformedAnswer errors."""
    if callable(target):
        return call_python(target, event, context, timeout)
    spec = parse_target(target)
    if spec.kind == "cmd":
        return call_command(spec.argv, event, context, timeout)
    if spec.kind == "http":
        return call_http(spec.location, event, context, timeout)
    try:
        function = loader.function(spec)
    except ImportError as exc:
        raise HandlerCrash(f"cannot import {spec.location}: {exc}") from None
    return call_python(function, event, context, timeout)
