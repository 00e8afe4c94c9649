"""``GET /_emu/usage``: monthly active users, M2M requests and cost per feature plan (cognito_emu.usage).

``?month=YYYY-MM`` picks a calendar month (UTC); the default is the emulator clock's.
"""

from __future__ import annotations

import json

from werkzeug.exceptions import BadRequest
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from cognito_emu.env import Env
from cognito_emu.usage.report import report, valid_month


def usage(env: Env, request: Request) -> Response:
    month = request.args.get("month") or None
    if month is not None and not valid_month(month):
        raise BadRequest("'month' must be YYYY-MM.")
    with env.state.lock:
        document = report(env, month)
    return Response(json.dumps(document), mimetype="application/json")


RULES = [Rule("/_emu/usage", methods=["GET"], endpoint=usage)]
