"""``/_emu/faults``: failures and delays a test asks for (cognito_emu.faults).

``POST /_emu/faults``
    ``{"operation": "InitiateAuth", "error": "TooManyRequestsException", "count": 2}``: the next two
    InitiateAuth calls fail. Instead of ``count``, ``rate`` (0 < rate <= 1) fails that fraction of the
    calls; with neither, every call fails until the fault is cleared. ``delay`` (seconds) holds each
    affected call first; ``"error": null`` with a delay only slows calls down. ``message`` overrides the
    error's message; ``"error": "TriggerTimeout"`` answers the UnexpectedLambdaException of a Lambda
    trigger that timed out (``trigger`` names it, PreSignUp by default). Answers the fault.
``GET /_emu/faults``
    ``{"faults": [...]}``: those in force (one whose count is spent is gone), with calls and fired counts.
``DELETE /_emu/faults``, ``DELETE /_emu/faults/<id>``
    Clear them all (``{"cleared": n}``), or one (404 if unknown). ``POST /_emu/reset`` clears them too.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from cognito_emu.env import Env
from cognito_emu.errors import CognitoError

RULES = [
    Rule("/_emu/faults", methods=["GET"], endpoint="faults_list"),
    Rule("/_emu/faults", methods=["POST"], endpoint="faults_add"),
    Rule("/_emu/faults", methods=["DELETE"], endpoint="faults_clear"),
    Rule("/_emu/faults/<fault_id>", methods=["DELETE"], endpoint="faults_remove"),
]
_NUMBERS = {"count": int, "rate": float, "delay": float}


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


def _fault_request(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(request.get_data() or b"{}")
    except ValueError:
        raise BadRequest("The body must be JSON.") from None
    if not isinstance(body, dict) or not isinstance(body.get("operation"), str):
        raise BadRequest('The body must be a JSON object naming an "operation".')
    settings: dict[str, Any] = {"operation": body["operation"]}
    for name in ("error", "message", "trigger"):
        if name in body:
            if body[name] is not None and not isinstance(body[name], str):
                raise BadRequest(f'"{name}" must be a string.')
            settings[name] = body[name]
    for name, kind in _NUMBERS.items():
        value = body.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise BadRequest(f'"{name}" must be a number.')
        settings[name] = kind(value)
    return settings


class FaultRoutes:
    """Mixed into the control API: handlers named as the endpoints of ``RULES``."""

    env: Env

    def faults_list(self, request: Request) -> Response:
        return _json({"faults": [fault.to_dict() for fault in self.env.faults.list()]})

    def faults_add(self, request: Request) -> Response:
        try:
            fault = self.env.faults.add(**_fault_request(request))
        except CognitoError as error:
            raise BadRequest(error.message) from None
        return _json(fault.to_dict())

    def faults_clear(self, request: Request) -> Response:
        return _json({"cleared": self.env.faults.clear()})

    def faults_remove(self, request: Request, fault_id: str) -> Response:
        if not self.env.faults.remove(fault_id):
            raise NotFound(f"No fault {fault_id}.")
        return _json({"cleared": 1})
