"""``GET/POST /login``: the hosted sign-in form (username and password; a new-password form for a user
in FORCE_CHANGE_PASSWORD; the MFA forms), then back to the app through ``authorize.complete``.

The password check is the API's (``signin.password.password_sign_in``: UserMigration, PreAuthentication,
disabled users, RESET_REQUIRED, the lockout), the new password is set as RespondToAuthChallenge's
NEW_PASSWORD_REQUIRED answer sets it (``signin.new_password.set_new_password``), and PostAuthentication runs
after a sign-in. A failure shows the form again with Cognito's message ("Incorrect username or
password."). A sign-in sets the ``cognito`` cookie (``oauth.models.HostedSession``), so the next authorize
request skips the form.

Threat protection judges the sign-in as it judges the API's (``signin.risk``; the caller's IP address is
X-Forwarded-For's), and MFA follows a right password (or a new password) exactly as in the API
(``signin.finish.judged_challenge`` decides); the SignIn event passes once the user is in. Each
challenge becomes a form: SMS_MFA, EMAIL_OTP (the code goes to the outbox, as for the API) and
SOFTWARE_TOKEN_MFA ask for a code, SELECT_MFA_TYPE for a factor, MFA_SETUP shows a new TOTP
secret (``software_tokens.associate``, with its otpauth:// URI) and asks for a code of it
(``software_tokens.verify``). The pending step is the API's challenge session (``idp.signin.sessions``), named
by the form's hidden ``session`` field: it expires by the emulator's clock (the app client's
AuthSessionValidity) and answers are judged by ``signin.mfa_answers.check_answer``, so a wrong code shows the form
again with Cognito's message and five wrong codes or an expired session send the browser back to the
sign-in form. The hosted login never names a device, so remembered devices (DEVICE_SRP_AUTH) play no
part here. The new-password, MFA setup and SOFTWARE_TOKEN_MFA forms are refused where and when the API
refuses their answers (a secondary replica's Region, a running point-in-time recovery:
``availability.admit_challenge``), both before one is shown and when one is sent.

On a managed login domain an app client with ALLOW_USER_AUTH signs in choice-based: the form asks for the
username alone and ``oauth.choice_sign_in`` (which serves ``POST /login``) takes the steps from there, handing
a password back to ``password_step``.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from cognito_emu.env import Env
from cognito_emu.errors import CognitoError, NotAuthorizedException, UserNotConfirmedException
from cognito_emu.idp import tokens
from cognito_emu.idp.factors import mfa, passwords, software_tokens
from cognito_emu.idp.models import ChallengeSession, User, UserPool, UserStatus
from cognito_emu.idp.pool import availability, clients, pools
from cognito_emu.idp.self_service import messages
from cognito_emu.idp.signin import risk, sessions, step_up, user_auth
from cognito_emu.idp.signin.context import USER_NOT_CONFIRMED, AuthContext, trigger_input
from cognito_emu.idp.signin.finish import judged_challenge, required_attributes_missing
from cognito_emu.idp.signin.mfa_answers import check_answer
from cognito_emu.idp.signin.new_password import ATTRIBUTE_PREFIX, set_new_password
from cognito_emu.idp.signin.password import password_sign_in
from cognito_emu.idp.signin.result import Challenge, ChallengeName
from cognito_emu.idp.users import directory
from cognito_emu.oauth import authorize, form_fields, hosted_sessions, page_style
from cognito_emu.oauth.authorize import AuthorizeRequest
from cognito_emu.oauth.errors import RedirectError
from cognito_emu.oauth.pages import Markup, form_fragment, fragment, page
from cognito_emu.oauth.wire import SESSION_COOKIE, OAuthRequest, Reply, redirect
from cognito_emu.triggers import authentication as authentication_triggers
from cognito_emu.usage import observe
from cognito_emu.usage.log import Activity

PASSWORDS_DIFFER = "Passwords do not match."
MISSING_CREDENTIALS = "Please enter your username and password."
MISSING_CODE = "Please enter the code."
MISSING_USERNAME = "Please enter your username."
MISSING_PASSWORD = "Please enter your password."
_SIGN_IN_LIMITS = {
    "username": ("Username", form_fields.USERNAME_MAX),
    "password": ("Password", form_fields.PASSWORD_MAX),
}
_CODE_LIMIT = {"code": ("Code", form_fields.CODE_MAX)}

_FACTOR_LABELS = {
    mfa.SMS_MFA: "Text message (SMS)",
    mfa.EMAIL_OTP: "Email",
    mfa.SOFTWARE_TOKEN_MFA: "Authenticator app",
}
_DELIVERY = {mfa.SMS_MFA: ("phone_number", "SMS"), mfa.EMAIL_OTP: ("email", "email")}


def action(request: OAuthRequest, authz: AuthorizeRequest) -> str:
    return f"{request.route_base}/login?{authz.query()}"


def choice_based(request: OAuthRequest, authz: AuthorizeRequest) -> bool:
    """Whether the sign-in asks for the username first and then lets the user choose how to sign in: an app
    client with ALLOW_USER_AUTH on a managed login domain (developer guide, "Configure authentication methods
    for managed login"; the classic hosted UI has passwords only)."""
    return page_style.managed_login_version(authz.pool, request.domain) == page_style.MANAGED_LOGIN and (
        clients.auth_flow_allowed(authz.client, "USER_AUTH")
    )


def login_form(request: OAuthRequest, authz: AuthorizeRequest, error: str = "", username: str = "") -> Reply:
    """The sign-in form (the username alone when the sign-in is choice-based), with the links to the
    password reset and (unless only administrators create users) to the sign-up page, carrying the
    authorize parameters as Cognito's links do."""
    query = authz.query()
    sign_up = (
        ""
        if pools.admin_create_user_only(authz.pool)
        else fragment("sign_up_link.html", href=f"{request.route_base}/signup?{query}")
    )
    content = form_fragment(
        request,
        "login_username.html" if choice_based(request, authz) else "login.html",
        action=action(request, authz),
        error=error,
        username=username,
        forgot_password=f"{request.route_base}/forgotPassword?{query}",
        sign_up=Markup(sign_up),
        **form_fields.LIMITS,
    )
    return page(page_style.of(request, authz), "Signin", content)


def new_password_form(
    request: OAuthRequest, authz: AuthorizeRequest, session_id: str, user: User, error: str = ""
) -> Reply:
    missing = required_attributes_missing(authz.pool, user)
    fields = "".join(form_fields.attribute_field(authz.pool, name) for name in missing)
    content = form_fragment(
        request,
        "new_password.html",
        action=action(request, authz),
        error=error,
        session=session_id,
        username=user.username,
        attributes=Markup(fields),
        **form_fields.LIMITS,
    )
    return page(page_style.of(request, authz), "Change password", content)


def mfa_code_form(
    request: OAuthRequest, authz: AuthorizeRequest, session: ChallengeSession, user: User, error: str = ""
) -> Reply:
    """SMS_MFA, EMAIL_OTP and SOFTWARE_TOKEN_MFA: a code."""
    factor = session.challenge
    if factor in _DELIVERY:
        attribute, medium = _DELIVERY[factor]
        destination = messages.mask(attribute, user.attributes.get(attribute, ""))
        description = (
            f"We have delivered the authentication code by {medium} to {destination}. "
            "Please enter the code to complete authentication."
        )
    else:
        description = "Enter the code from your authenticator app to complete authentication."
    content = form_fragment(
        request,
        "mfa_code.html",
        action=action(request, authz),
        heading="Multi-factor authentication",
        description=description,
        error=error,
        session=session.session_id,
        **form_fields.LIMITS,
    )
    return page(page_style.of(request, authz), "MFA", content)


def mfa_select_form(
    request: OAuthRequest, authz: AuthorizeRequest, session: ChallengeSession, user: User, error: str = ""
) -> Reply:
    """SELECT_MFA_TYPE: one of the factors the API would offer (MFAS_CAN_CHOOSE)."""
    factors = mfa.sign_in_factors(authz.pool, user)
    choices = "".join(
        fragment(
            "mfa_choice.html",
            factor=factor,
            label=_FACTOR_LABELS[factor],
            checked=Markup(" checked" if index == 0 else ""),
        )
        for index, factor in enumerate(factors)
    )
    content = form_fragment(
        request,
        "mfa_select.html",
        action=action(request, authz),
        error=error,
        session=session.session_id,
        choices=Markup(choices),
    )
    return page(page_style.of(request, authz), "MFA", content)


def otpauth_uri(issuer: str, account: str, secret: str) -> str:
    """The otpauth:// URI an authenticator app takes (as a QR code or a link) for ``secret``."""
    label = quote(f"{issuer}:{account}", safe=":@")
    return f"otpauth://totp/{label}?{urlencode({'secret': secret, 'issuer': issuer}, quote_via=quote)}"


def mfa_setup_form(
    request: OAuthRequest, authz: AuthorizeRequest, session: ChallengeSession, user: User, error: str = ""
) -> Reply:
    """MFA_SETUP: the new TOTP secret (AssociateSoftwareToken's, kept by the session) and a code of it."""
    secret = session.mfa_secret or ""
    content = form_fragment(
        request,
        "mfa_setup.html",
        action=action(request, authz),
        error=error,
        session=session.session_id,
        secret=secret,
        uri=otpauth_uri(authz.pool.name, session.signed_in_as or user.username, secret),
        **form_fields.LIMITS,
    )
    return page(page_style.of(request, authz), "MFA setup", content)


def _step_form(
    request: OAuthRequest, authz: AuthorizeRequest, session: ChallengeSession, user: User, error: str = ""
) -> Reply:
    if session.challenge == mfa.SELECT_MFA_TYPE:
        return mfa_select_form(request, authz, session, user, error)
    if session.challenge == mfa.MFA_SETUP:
        return mfa_setup_form(request, authz, session, user, error)
    return mfa_code_form(request, authz, session, user, error)


def context(
    env: Env,
    request: OAuthRequest,
    authz: AuthorizeRequest,
    params: dict[str, str],
    session: ChallengeSession | None = None,
) -> AuthContext:
    """A page's sign-in call; one that answers ``session`` goes on with the step-up target and the
    methods proven so far that the session carries (idp.signin.step_up)."""
    ctx = AuthContext(
        env=env,
        pool=authz.pool,
        client=authz.client,
        issuer=tokens.issuer(env, request.base_url, authz.pool),
        admin=False,
        user_agent=request.user_agent,
        params=params,
        ip_address=request.source_ip,
    )
    if session is not None:
        step_up.recall(ctx, session)
    return ctx


def aim(ctx: AuthContext, authz: AuthorizeRequest, user: User | None) -> None:
    """acr_values: the sign-in aims for the first level asked for that the user has the factors for. With
    none, the browser goes back to the app with OpenID Connect's ``unmet_authentication_requirements``
    (the guide documents that Cognito "returns an error", not which)."""
    if authz.acr_levels is None or user is None:
        return
    ctx.target_level = user_auth.reachable_target(ctx, user, authz.acr_levels)
    if ctx.target_level is None:
        raise RedirectError(
            authz.redirect_uri,
            "unmet_authentication_requirements",
            authz.state,
            "the user has no authentication factors for the requested acr_values",
        )


def checked(env: Env, request: OAuthRequest) -> AuthorizeRequest:
    """The authorize parameters a hosted page carries, checked, for a client whose pages have a look."""
    authz = authorize.check(env, request)
    page_style.of(request, authz)
    return authz


def show(env: Env, request: OAuthRequest) -> Reply:
    authz = checked(env, request)
    signed_in = authorize.session_sign_in(env, request, authz)
    if signed_in is not None:
        return redirect(authorize.complete_from_cookie(env, request, authz, *signed_in))
    return login_form(request, authz)


def submit(env: Env, request: OAuthRequest) -> Reply:
    authz = checked(env, request)
    if request.form.get("session"):
        return _answer_step(env, request, authz)
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    too_long = form_fields.too_long(request.form, _SIGN_IN_LIMITS)
    if too_long is not None:
        return login_form(request, authz, too_long)
    if not username or not password:
        return login_form(request, authz, MISSING_CREDENTIALS, username)
    try:
        return password_step(env, request, authz, username, password)
    except CognitoError as error:
        return login_form(request, authz, error.message, username)


def password_step(
    env: Env,
    request: OAuthRequest,
    authz: AuthorizeRequest,
    username: str,
    password: str,
    previous: ChallengeSession | None = None,
) -> Reply:
    """A password checked as the API checks it, then what follows it: the new-password form, an MFA form,
    or signed in. ``previous`` is the choice-based sign-in's PASSWORD challenge, when it asked."""
    ctx = context(env, request, authz, {"USERNAME": username}, previous)
    user = password_sign_in(ctx, username, password)
    step_up.proved(ctx, step_up.PASSWORD)
    if previous is None:
        aim(ctx, authz, user)
    if user.status == UserStatus.UNCONFIRMED:
        raise UserNotConfirmedException(USER_NOT_CONFIRMED)
    if user.status == UserStatus.FORCE_CHANGE_PASSWORD:
        if passwords.temporary_password_expired(env, user):
            raise NotAuthorizedException(passwords.TEMPORARY_PASSWORD_EXPIRED_MESSAGE)
        availability.admit_challenge(env, authz.pool, ChallengeName.NEW_PASSWORD_REQUIRED)
        if previous is not None:
            sessions.finish(previous)
        session = sessions.open_session(
            env, authz.client, user.username, ChallengeName.NEW_PASSWORD_REQUIRED, signed_in_as=username
        )
        step_up.remember(ctx, session)
        return new_password_form(request, authz, session.session_id, user)
    return _after_password(env, request, authz, ctx, user, previous)


def _after_password(
    env: Env,
    request: OAuthRequest,
    authz: AuthorizeRequest,
    ctx: AuthContext,
    user: User,
    previous: ChallengeSession | None = None,
) -> Reply:
    """The API's decision after a right password: threat protection's judgement, then an MFA challenge
    (shown as its form) or signed in."""
    challenge = judged_challenge(ctx, user, previous)
    if challenge is None:
        if previous is not None:
            sessions.finish(previous)
        return signed_in(env, request, authz, ctx, user)
    step_up.carry(ctx, challenge)
    return _challenge_form(env, request, authz, user, challenge)


def _challenge_form(
    env: Env, request: OAuthRequest, authz: AuthorizeRequest, user: User, challenge: Challenge
) -> Reply:
    session = sessions.get_session(env, challenge.session)
    availability.admit_challenge(env, authz.pool, session.challenge)
    if session.challenge == mfa.MFA_SETUP:
        # The hosted UI sets up an authenticator app (AssociateSoftwareToken with the Session); a pool
        # that offers no software tokens has nothing to set up here, and the sign-in fails.
        associated = software_tokens.associate(env, None, session.session_id)
        session = sessions.get_session(env, associated.session or "")
    return _step_form(request, authz, session, user)


def _answer_step(env: Env, request: OAuthRequest, authz: AuthorizeRequest) -> Reply:
    """A form posted with the hidden ``session`` of a pending step: the new password or an MFA answer."""
    try:
        session = sessions.get_session(env, request.form["session"])
    except NotAuthorizedException as error:
        return login_form(request, authz, error.message)
    user = None
    if (
        session.pool_id == authz.pool.id
        and session.client_id == authz.client.client_id
        and session.username is not None
    ):
        user = authz.pool.users.get(directory.user_key(authz.pool, session.username))
    if user is None:
        return login_form(request, authz, sessions.INVALID)
    try:
        # A step opened before a recovery started, or in the other Region, is refused all the same.
        availability.admit_challenge(env, authz.pool, session.challenge)
    except CognitoError as error:
        return login_form(request, authz, error.message, session.signed_in_as or "")
    if session.challenge == ChallengeName.NEW_PASSWORD_REQUIRED:
        return _answer_new_password(env, request, authz, session, user)
    if session.challenge in mfa.CHALLENGE_NAMES:
        return _answer_mfa(env, request, authz, session, user)
    return login_form(request, authz, sessions.INVALID)


def _answer_mfa(
    env: Env, request: OAuthRequest, authz: AuthorizeRequest, session: ChallengeSession, user: User
) -> Reply:
    """Judge an MFA form with the API's code paths; a wrong answer shows the form again, a session used up
    (five wrong codes) or expired goes back to the sign-in form."""
    form = request.form
    ctx = context(env, request, authz, {"USERNAME": session.signed_in_as or user.username}, session)
    # An answer: the SignIn event waiting for it passes once the user is in (``risk.signed_in``).
    ctx.responding = True
    if session.challenge == mfa.SELECT_MFA_TYPE:
        ctx.params["ANSWER"] = form.get("answer", "")
    else:
        code = form.get("code", "").strip()
        problem = form_fields.too_long(form, _CODE_LIMIT) or ("" if code else MISSING_CODE)
        if problem:
            return _step_form(request, authz, session, user, problem)
        if session.challenge != mfa.MFA_SETUP:
            ctx.params[mfa.CODE_MEMBER[session.challenge]] = code
    try:
        if session.challenge == mfa.MFA_SETUP:
            # VerifySoftwareToken with the Session, then the MFA_SETUP answer with the Session it returns.
            continued = software_tokens.verify(env, None, session.session_id, code, None)
            session = sessions.get_session(env, continued or "")
        following = check_answer(ctx, session, user)
        if following is not None:
            step_up.carry(ctx, following)
            return _challenge_form(env, request, authz, user, following)
    except CognitoError as error:
        if session.used:
            return login_form(request, authz, error.message, session.signed_in_as or "")
        return _step_form(request, authz, session, user, error.message)
    return signed_in(env, request, authz, ctx, user)


def _new_password_limits(pool: UserPool, user: User) -> dict[str, tuple[str, int]]:
    limits = {"new_password": ("New password", form_fields.PASSWORD_MAX)}
    for name in required_attributes_missing(pool, user):
        limits[ATTRIBUTE_PREFIX + name] = (
            form_fields.attribute_label(name),
            form_fields.attribute_max_length(pool, name),
        )
    return limits


def _answer_new_password(
    env: Env, request: OAuthRequest, authz: AuthorizeRequest, session: ChallengeSession, user: User
) -> Reply:
    form = request.form
    new_password = form.get("new_password", "")
    confirm = form.get("confirm_password")
    if confirm is not None and confirm != new_password:
        return new_password_form(request, authz, session.session_id, user, PASSWORDS_DIFFER)
    too_long = form_fields.too_long(form, _new_password_limits(authz.pool, user))
    if too_long is not None:
        return new_password_form(request, authz, session.session_id, user, too_long)
    params = {"NEW_PASSWORD": new_password}
    params.update({k: v for k, v in form.items() if k.startswith(ATTRIBUTE_PREFIX) and v})
    ctx = context(env, request, authz, params, session)
    try:
        set_new_password(ctx, user)
    except CognitoError as error:
        return new_password_form(request, authz, session.session_id, user, error.message)
    try:
        return _after_password(env, request, authz, ctx, user, session)  # MFA follows a new password too
    except CognitoError as error:
        return login_form(request, authz, error.message, session.signed_in_as or "")


def signed_in(
    env: Env, request: OAuthRequest, authz: AuthorizeRequest, ctx: AuthContext, user: User
) -> Reply:
    """PostAuthentication, a hosted session (the cookie), then back to the app."""
    authentication_triggers.post_authentication(
        env, authz.pool, user, client_id=authz.client.client_id, trigger_input=trigger_input(ctx)
    )
    risk.signed_in(ctx, user)
    observe.hosted_page(env, authz.pool, user.sub, Activity.SIGN_IN)
    now = env.clock.now()
    session = hosted_sessions.start_session(
        env,
        authz.pool,
        user,
        now,
        client_id=authz.client.client_id,
        user_agent=request.user_agent,
        ip_address=request.source_ip,
        methods=ctx.methods,
    )
    acr, amr = step_up.token_claims(ctx)
    location = authorize.complete(env, request, authz, user, now, session.sso_session_id, acr=acr, amr=amr)
    return redirect(location, cookies={SESSION_COOKIE: session.session_id})
