"""The console at ``/_emu/ui``: pages for people to look at what the emulator holds.

User pools with their app clients, groups and users (status, attributes, groups, MFA, devices), the
outbox, the trigger mappings and invocation log, identity pools with the credentials they issued, a
token decoder that verifies a pasted JWT against the pools' keys, usage and cost per feature plan, and
two buttons that change something: reset, and moving the clock. Server-rendered from the templates
beside this module (``cognito_emu.templating`` escapes every value); the stylesheet is the only other
file, served from the package.
"""

from __future__ import annotations

from werkzeug.routing import Rule

from cognito_emu.web.console import views

RULES = [
    Rule("/_emu/ui", methods=["GET"], endpoint=views.overview),
    Rule("/_emu/ui/", methods=["GET"], endpoint=views.overview),
    Rule("/_emu/ui/pools/<pool_id>", methods=["GET"], endpoint=views.pool_page),
    # The username goes in the query: it may hold any character, "/" included.
    Rule("/_emu/ui/pools/<pool_id>/user", methods=["GET"], endpoint=views.user_page),
    Rule("/_emu/ui/outbox", methods=["GET"], endpoint=views.outbox),
    Rule("/_emu/ui/triggers", methods=["GET"], endpoint=views.triggers),
    Rule("/_emu/ui/identity", methods=["GET"], endpoint=views.identity),
    Rule("/_emu/ui/tokens", methods=["GET", "POST"], endpoint=views.tokens),
    Rule("/_emu/ui/usage", methods=["GET"], endpoint=views.usage),
    Rule("/_emu/ui/static/<name>", methods=["GET"], endpoint=views.static),
    Rule("/_emu/ui/clock", methods=["POST"], endpoint=views.clock),
    # The Emulator's full reset (back to its seed) is the control API's to make.
    Rule("/_emu/ui/reset", methods=["POST"], endpoint="console_reset"),
]
