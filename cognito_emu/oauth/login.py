"""``GET/POST /login``: the hosted sign-in form (username and password; a new-password form for a user
in FORCE_CHANGE_PASSWORD), then back to the app through ``authorize.complete``.

The password check is the API's (``auth_flows.password_sign_in``: UserMigration, PreAuthentication,
disabled users, RESET_REQUIRED, the lockout), the new password is set as RespondToAuthChallenge's
NEW_PASSWORD_REQUIRED answer sets it (``challenges.set_new_password``), and PostAuthentication runs
after a sign-in. A failure shows the form again with Cognito's message ("Incorrect username or
password."). A sign-in sets the ``cognito`` cookie (``grants.HostedSession``), so the next authorize
request skips the form.
"""

from __future__ import annotations

from cognito_emu.env import Env
from cognito_emu.errors import CognitoError, NotAuthorizedException, UserNotConfirmedException
from cognito_emu.idp import auth_flows, challenges, directory, passwords, sessions, tokens
from cognito_emu.idp.auth_flows import AuthContext
from cognito_emu.idp.models import User, UserStatus
from cognito_emu.oauth import authorize, grants
from cognito_emu.oauth.authorize import AuthorizeRequest
from cognito_emu.oauth.pages import Markup, fragment, page
from cognito_emu.oauth.wire import SESSION_COOKIE, OAuthRequest, Reply, redirect
from cognito_emu.triggers import authentication as authentication_triggers

ATTRIBUTE_PREFIX = "userAttributes."
PASSWORDS_DIFFER = "Passwords do not match."
MISSING_CREDENTIALS = "Please enter your username and password."


def _action(request: OAuthRequest, authz: AuthorizeRequest) -> str:
    return f"{request.route_base}/login?{authz.query()}"


def login_form(request: OAuthRequest, authz: AuthorizeRequest, error: str = "", username: str = "") -> Reply:
    content = fragment("login.html", action=_action(request, authz), error=error, username=username)
    return page("Signin", content)


def new_password_form(
    request: OAuthRequest, authz: AuthorizeRequest, session_id: str, user: User, error: str = ""
) -> Reply:
    missing = auth_flows.required_attributes_missing(authz.pool, user)
    fields = "".join(fragment("attribute.html", name=name) for name in missing)
    content = fragment(
        "new_password.html",
        action=_action(request, authz),
        error=error,
        session=session_id,
        username=user.username,
        attributes=Markup(fields),
    )
    return page("Change password", content)


def _context(env: Env, request: OAuthRequest, authz: AuthorizeRequest, params: dict[str, str]) -> AuthContext:
    return AuthContext(
        env=env,
        pool=authz.pool,
        client=authz.client,
        issuer=tokens.issuer(env, request.base_url, authz.pool),
        admin=False,
        user_agent=request.user_agent,
        params=params,
    )


def show(env: Env, request: OAuthRequest) -> Reply:
    authz = authorize.check(env, request)
    signed_in = grants.signed_in_user(env, authz.pool, request.cookies.get(SESSION_COOKIE))
    if signed_in is not None:
        user, session = signed_in
        return redirect(authorize.complete(env, request, authz, user, session.auth_time))
    return login_form(request, authz)


def submit(env: Env, request: OAuthRequest) -> Reply:
    authz = authorize.check(env, request)
    if request.form.get("session"):
        return _answer_new_password(env, request, authz)
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    if not username or not password:
        return login_form(request, authz, MISSING_CREDENTIALS, username)
    ctx = _context(env, request, authz, {})
    try:
        user = auth_flows.password_sign_in(ctx, username, password)
        if user.status == UserStatus.UNCONFIRMED:
            raise UserNotConfirmedException(auth_flows.USER_NOT_CONFIRMED)
        if user.status == UserStatus.FORCE_CHANGE_PASSWORD:
            if passwords.temporary_password_expired(env, user):
                raise NotAuthorizedException(passwords.TEMPORARY_PASSWORD_EXPIRED_MESSAGE)
            session = sessions.open_session(
                env, authz.client, user.username, auth_flows.NEW_PASSWORD_REQUIRED, signed_in_as=username
            )
            return new_password_form(request, authz, session.session_id, user)
        return signed_in(env, request, authz, ctx, user)
    except CognitoError as error:
        return login_form(request, authz, error.message, username)


def _answer_new_password(env: Env, request: OAuthRequest, authz: AuthorizeRequest) -> Reply:
    form = request.form
    try:
        session = sessions.get_session(env, form["session"])
    except NotAuthorizedException as error:
        return login_form(request, authz, error.message)
    user = None
    if (
        session.pool_id == authz.pool.id
        and session.client_id == authz.client.client_id
        and session.challenge == auth_flows.NEW_PASSWORD_REQUIRED
        and session.username is not None
    ):
        user = authz.pool.users.get(directory.user_key(authz.pool, session.username))
    if user is None:
        return login_form(request, authz, sessions.INVALID)
    new_password = form.get("new_password", "")
    confirm = form.get("confirm_password")
    if confirm is not None and confirm != new_password:
        return new_password_form(request, authz, session.session_id, user, PASSWORDS_DIFFER)
    params = {"NEW_PASSWORD": new_password}
    params.update({k: v for k, v in form.items() if k.startswith(ATTRIBUTE_PREFIX) and v})
    ctx = _context(env, request, authz, params)
    try:
        challenges.set_new_password(ctx, user)
        sessions.finish(session)
        return signed_in(env, request, authz, ctx, user)
    except CognitoError as error:
        return new_password_form(request, authz, session.session_id, user, error.message)


def signed_in(
    env: Env, request: OAuthRequest, authz: AuthorizeRequest, ctx: AuthContext, user: User
) -> Reply:
    """PostAuthentication, a hosted session (the cookie), then back to the app."""
    authentication_triggers.post_authentication(
        env, authz.pool, user, client_id=authz.client.client_id, trigger_input=auth_flows.trigger_input(ctx)
    )
    now = env.clock.now()
    session = grants.start_session(env, authz.pool, user, now)
    location = authorize.complete(env, request, authz, user, now)
    return redirect(location, cookies={SESSION_COOKIE: session.session_id})
