"""The console at ``/_emu/ui``: pages for people to look at what the emulator holds.

User pools with their app clients, groups and users (status, attributes, groups, MFA, devices), the
outbox, the trigger mappings and invocation log, identity pools with the credentials they issued, a
token decoder that verifies a pasted JWT against the pools' keys, usage and cost per feature plan, and
two buttons that change something: reset, and moving the clock. Server-rendered from the templates
beside this module (``cognito_emu.templating`` escapes every value); the stylesheet is the only other
file, served from the package.

Every form the console shows carries the browser session's CSRF token and every POST is refused (403)
without it (``cognito_emu.csrf``), so a page on another site cannot reset the emulator or move its clock
through a visitor's browser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from cognito_emu import csrf
from cognito_emu.env import Env
from cognito_emu.web.console import views

View = Callable[..., Response]


def guarded(view: View) -> View:
    """``view`` with the CSRF token: checked on a POST, set as a cookie when the page drew a new one."""

    def guarded_view(env: Env, request: Request, **args: Any) -> Response:
        token = csrf.FormToken(request.cookies.get(csrf.COOKIE), env.ids.form_token)
        request.environ[views.FORM_TOKEN] = token
        if request.method == "POST" and not token.accepts(request.form.get(csrf.FIELD)):
            return views.error(env, csrf.REFUSED, csrf.REFUSED_STATUS)
        response = view(env, request, **args)
        if token.minted is not None:
            secure = request.scheme == "https"
            response.set_cookie(
                csrf.COOKIE, token.minted, path=views.ROOT, secure=secure, httponly=True, samesite="Lax"
            )
        return response

    return guarded_view


RULES = [
    Rule("/_emu/ui", methods=["GET"], endpoint=guarded(views.overview)),
    Rule("/_emu/ui/", methods=["GET"], endpoint=guarded(views.overview)),
    Rule("/_emu/ui/pools/<pool_id>", methods=["GET"], endpoint=guarded(views.pool_page)),
    # The username goes in the query: it may hold any character, "/" included.
    Rule("/_emu/ui/pools/<pool_id>/user", methods=["GET"], endpoint=guarded(views.user_page)),
    Rule("/_emu/ui/outbox", methods=["GET"], endpoint=guarded(views.outbox)),
    Rule("/_emu/ui/triggers", methods=["GET"], endpoint=guarded(views.triggers)),
    Rule("/_emu/ui/identity", methods=["GET"], endpoint=guarded(views.identity)),
    Rule("/_emu/ui/tokens", methods=["GET", "POST"], endpoint=guarded(views.tokens)),
    Rule("/_emu/ui/usage", methods=["GET"], endpoint=guarded(views.usage)),
    Rule("/_emu/ui/static/<name>", methods=["GET"], endpoint=views.static),
    Rule("/_emu/ui/clock", methods=["POST"], endpoint=guarded(views.clock)),
    # The Emulator's full reset (back to its seed) is the control API's to make; it guards it with guarded().
    Rule("/_emu/ui/reset", methods=["POST"], endpoint="console_reset"),
]
