"""``GET /logout``: end the hosted-login session (clear the ``cognito`` cookie), then go to the
client's ``logout_uri`` (one of its LogoutURLs), or, given authorize parameters (``redirect_uri``,
``response_type``, ...) instead, to the login page to sign in again (developer guide, "Logout endpoint").

The guide documents no error here. As the authorize endpoint does with a redirect_uri it cannot trust, a
``logout_uri`` the client did not register sends the browser to the domain's
``/error?error=redirect_mismatch&client_id=...``; a request with neither ``logout_uri`` nor authorize
parameters goes to ``/error?error=Required parameters missing&client_id=...``, as Cognito's live answer
to such a logout reads (reported in agentic-community/mcp-gateway-registry pull request 1545).
"""

from __future__ import annotations

from cognito_emu.env import Env
from cognito_emu.oauth import authorize, hosted_sessions
from cognito_emu.oauth.errors import ErrorPageRedirect
from cognito_emu.oauth.wire import SESSION_COOKIE, OAuthRequest, Reply, redirect


def logout(env: Env, request: OAuthRequest) -> Reply:
    _, client = authorize.client_of(env, request, request.args.get("client_id"))
    logout_uri = request.args.get("logout_uri")
    if logout_uri is not None:
        if logout_uri not in (client.settings.get("LogoutURLs") or []):
            raise ErrorPageRedirect(
                "redirect_mismatch", client.client_id, "logout_uri is not one of the app client's LogoutURLs."
            )
        location = logout_uri
    elif "redirect_uri" in request.args or "response_type" in request.args:
        location = f"{request.route_base}/login?{authorize.check(env, request).query()}"
    else:
        raise ErrorPageRedirect("Required parameters missing", client.client_id, "neither logout_uri nor redirect_uri")
    hosted_sessions.end_session(env, request.cookies.get(SESSION_COOKIE))
    return redirect(location, cookies={SESSION_COOKIE: None})
