"""``/_emu/triggers``: which local target answers which Lambda ARN, and the invocation log.

- ``GET /_emu/triggers``: ``{"mappings": {arnOrName: target}, "unmapped": "error"|"skip", "timeoutSeconds"}``
- ``PUT /_emu/triggers`` with ``{arnOrName: target, ...}``: add or replace those mappings (all or none;
  a malformed target is a 400 naming it)
- ``DELETE /_emu/triggers``: back to the mappings of the configuration (``--trigger``,
  ``COGNITO_EMU_TRIGGERS``); ``?arn=<arnOrName>`` removes that one mapping only
- ``GET /_emu/triggers/log``: ``{"invocations": [{time, trigger, triggerSource, userPoolId, arn,
  target, ms, outcome, error}]}``, oldest first; ``?trigger=`` and ``?triggerSource=`` filter
- ``DELETE /_emu/triggers/log``: empty the log
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.exceptions import BadRequest
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from cognito_emu.env import Env


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


def _view(env: Env) -> dict[str, Any]:
    registry = env.triggers
    return {
        "mappings": registry.mappings(),
        "unmapped": registry.unmapped,
        "timeoutSeconds": registry.timeout,
    }


def get_triggers(env: Env, request: Request) -> Response:
    return _json(_view(env))


def put_triggers(env: Env, request: Request) -> Response:
    try:
        body = json.loads(request.get_data() or b"{}")
    except ValueError:
        raise BadRequest('The body must be JSON: {"<ARN or function name>": "<target>"}.') from None
    if not isinstance(body, dict) or not all(isinstance(v, str) for v in body.values()):
        raise BadRequest("The body must be a JSON object of ARN (or function name) -> target string.")
    try:
        env.triggers.update(body)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    return _json(_view(env))


def delete_triggers(env: Env, request: Request) -> Response:
    arn = request.args.get("arn")
    if arn:
        env.triggers.unregister(arn)
    else:
        env.triggers.clear()
    return _json(_view(env))


def get_log(env: Env, request: Request) -> Response:
    entries = env.triggers.log(
        trigger=request.args.get("trigger"), trigger_source=request.args.get("triggerSource")
    )
    return _json({"invocations": [entry.to_dict() for entry in entries]})


def delete_log(env: Env, request: Request) -> Response:
    env.triggers.clear_log()
    return _json({"invocations": []})


RULES = [
    Rule("/_emu/triggers", methods=["GET"], endpoint=get_triggers),
    Rule("/_emu/triggers", methods=["PUT"], endpoint=put_triggers),
    Rule("/_emu/triggers", methods=["DELETE"], endpoint=delete_triggers),
    Rule("/_emu/triggers/log", methods=["GET"], endpoint=get_log),
    Rule("/_emu/triggers/log", methods=["DELETE"], endpoint=delete_log),
]
