"""``/_emu/outbox``: every email and SMS the emulator "sent", for tests and people.

Routes (JSON in and out):

``GET /_emu/outbox``
    ``{"messages": [...]}``, oldest first. Each message has id, time (epoch seconds), account, region,
    user_pool_id, username, channel (EMAIL or SMS), destination, subject, body, reason (SignUp,
    ResendCode, ForgotPassword, AdminCreateUser, ...), code, temporary_password and link.
    Filters, as query parameters, all optional and combined with AND: ``userPoolId``, ``username``
    (the internal username; for pools that sign in with an email it is the sub, so filter by
    ``destination`` there), ``destination``, ``channel`` (EMAIL/SMS, any case), ``reason``, ``since``
    (epoch seconds or an ISO-8601 instant; messages at or after it), ``limit`` (the newest N).

``GET /_emu/outbox/last``
    The newest message as one JSON object, 404 when there is none. ``username`` matches either the
    username or the destination (so ``?username=alice@example.com`` works in any pool); the other
    filters are those of the list. ``?withCode=true`` skips messages that carry no code.

``DELETE /_emu/outbox``
    Forget every message: ``{"cleared": <how many>}``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from cognito_emu.delivery.outbox import Message
from cognito_emu.env import Env

RULES = [
    Rule("/_emu/outbox", methods=["GET"], endpoint="outbox_list"),
    Rule("/_emu/outbox", methods=["DELETE"], endpoint="outbox_clear"),
    Rule("/_emu/outbox/last", methods=["GET"], endpoint="outbox_last"),
]

_TRUE = ("1", "true", "yes")


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


def _since(raw: str | None) -> float | None:
    if raw is None or raw == "":
        return None
    try:
        return float(raw)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(raw).timestamp()
    except ValueError:
        raise BadRequest("'since' must be epoch seconds or an ISO-8601 instant.") from None


def _filters(request: Request) -> dict[str, Any]:
    args = request.args
    return {
        "user_pool_id": args.get("userPoolId") or None,
        "destination": args.get("destination") or None,
        "channel": args.get("channel") or None,
        "reason": args.get("reason") or None,
        "since": _since(args.get("since")),
    }


class OutboxRoutes:
    """Mixed into the control API: handlers named as the endpoints of ``RULES``."""

    env: Env

    def outbox_list(self, request: Request) -> Response:
        found = self.env.outbox.messages(username=request.args.get("username") or None, **_filters(request))
        limit = request.args.get("limit")
        if limit:
            try:
                count = int(limit)
            except ValueError:
                raise BadRequest("'limit' must be a whole number.") from None
            found = found[-count:] if count > 0 else []
        return _json({"messages": [message.to_dict() for message in found]})

    def outbox_last(self, request: Request) -> Response:
        username = request.args.get("username") or None
        filters = _filters(request)
        outbox = self.env.outbox
        message: Message | None
        if request.args.get("withCode", "").lower() in _TRUE:
            message = next(
                (
                    m
                    for m in reversed(outbox.messages(**filters))
                    if m.code and (username is None or username in (m.username, m.destination))
                ),
                None,
            )
        else:
            message = outbox.last(username, **filters)
        if message is None:
            raise NotFound("No message matches.")
        return _json(message.to_dict())

    def outbox_clear(self, request: Request) -> Response:
        outbox = self.env.outbox
        count = len(outbox)
        outbox.clear()
        return _json({"cleared": count})
