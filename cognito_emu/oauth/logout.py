"""``GET /logout``: end the hosted-login session (clear the ``cognito`` cookie), then go to the
client's ``logout_uri`` (one of its LogoutURLs), or, given authorize parameters (``redirect_uri``,
``response_type``, ...) instead, to the login page to sign in again (developer guide, "Logout endpoint").
"""

from __future__ import annotations

from cognito_emu.env import Env
from cognito_emu.oauth import authorize, hosted_sessions
from cognito_emu.oauth.errors import PageError
from cognito_emu.oauth.wire import SESSION_COOKIE, OAuthRequest, Reply, redirect


def logout(env: Env, request: OAuthRequest) -> Reply:
    _, client = authorize.client_of(env, request, request.args.get("client_id"))
    logout_uri = request.args.get("logout_uri")
    if logout_uri is not None:
        if logout_uri not in (client.settings.get("LogoutURLs") or []):
            raise PageError("redirect_mismatch", "logout_uri is not one of the app client's LogoutURLs.")
        location = logout_uri
    elif "redirect_uri" in request.args or "response_type" in request.args:
        location = f"{request.route_base}/login?{authorize.check(env, request).query()}"
    else:
        raise PageError("invalid_request", "Required String parameter 'logout_uri' is not present")
    hosted_sessions.end_session(env, request.cookies.get(SESSION_COOKIE))
    return redirect(location, cookies={SESSION_COOKIE: None})
