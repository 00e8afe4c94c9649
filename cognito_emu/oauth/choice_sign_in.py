"""Choice-based sign-in on the managed login pages: ``POST /login`` for an app client with ALLOW_USER_AUTH on
a managed login (version 2) domain (developer guide, "Configure authentication methods for managed login":
"Amazon Cognito prompts users to select a sign-in method from the available options").

The page asks for the username (``login.login_form``), then USER_AUTH decides, exactly as InitiateAuth would
(``idp.signin.user_auth``): the first factors the pool's sign-in policy (AllowedFirstAuthFactors) allows and
the user has the means for. One factor goes ahead at once; several are offered as buttons (SELECT_CHALLENGE):

- Password: a password form; then as the password sign-in (``login.password_step``: a new password, MFA);
- Email message / Text message: the code goes out (EMAIL_OTP, SMS_OTP; the outbox) and a code form asks for
  it; a right code signs the user in, with no MFA (passwordless factors are not offered with MFA);
- Passkey: the page asks the browser for an assertion (``navigator.credentials.get`` with the challenge's
  CREDENTIAL_REQUEST_OPTIONS) and posts it; the emulator checks it as RespondToAuthChallenge WEB_AUTHN does
  (``idp.signin.passkey.check_answer``: relying party, origin, signature).

PASSWORD_SRP is an API factor (the browser would have to run SRP): the pages never offer it. Each step is a
challenge session of the API, named by the form's hidden ``session``; a wrong code shows the form again, and a
session used up or expired goes back to the username form with Cognito's message.
"""

from __future__ import annotations

from cognito_emu.env import Env
from cognito_emu.errors import CognitoError, NotAuthorizedException
from cognito_emu.idp.models import ChallengeSession, User
from cognito_emu.idp.self_service import messages
from cognito_emu.idp.signin import passkey, sessions, step_up, user_auth
from cognito_emu.idp.signin.context import INCORRECT, user_for_sign_in
from cognito_emu.idp.signin.finish import judge_passwordless
from cognito_emu.idp.signin.result import Challenge
from cognito_emu.idp.users import directory
from cognito_emu.oauth import form_fields, login, page_style
from cognito_emu.oauth.authorize import AuthorizeRequest
from cognito_emu.oauth.pages import Markup, form_fragment, fragment, page
from cognito_emu.oauth.wire import OAuthRequest, Reply

# The factors the pages offer, in the order they show them, and what the buttons say.
FACTOR_LABELS: dict[str, str] = {
    user_auth.WEB_AUTHN: "Passkey",
    user_auth.EMAIL_OTP: "Email message",
    user_auth.SMS_OTP: "Text message (SMS)",
    user_auth.PASSWORD: "Password",
}
_OTP_DELIVERY: dict[str, tuple[str, str]] = {
    user_auth.EMAIL_OTP: ("email", "email"),
    user_auth.SMS_OTP: ("phone_number", "SMS"),
}
_CODE_LIMIT = {"code": ("Code", form_fields.CODE_MAX)}
_PASSWORD_LIMIT = {"password": ("Password", form_fields.PASSWORD_MAX)}


def submit(env: Env, request: OAuthRequest) -> Reply:
    """``POST /login``: the choice-based steps here; any other sign-in (and the steps that follow a
    password: new password, MFA) is ``login.submit``'s."""
    authz = login.checked(env, request)
    if not login.choice_based(request, authz):
        return login.submit(env, request)
    session_id = request.form.get("session")
    if not session_id:
        return _start(env, request, authz)
    try:
        session = sessions.get_session(env, session_id)
    except NotAuthorizedException as error:
        return login.login_form(request, authz, error.message)
    if not _answers_here(session):
        return login.submit(env, request)
    if session.pool_id != authz.pool.id or session.client_id != authz.client.client_id:
        return login.login_form(request, authz, sessions.INVALID)
    user = _session_user(authz, session)
    return _answer(env, request, authz, session, user)


def _session_user(authz: AuthorizeRequest, session: ChallengeSession) -> User | None:
    """The user a challenge session is for; None for a decoy session (an unknown user)."""
    if session.username is None:
        return None
    return authz.pool.users.get(directory.user_key(authz.pool, session.username))


def _answers_here(session: ChallengeSession) -> bool:
    if session.challenge in (user_auth.SELECT_CHALLENGE, user_auth.PASSWORD, user_auth.WEB_AUTHN):
        return True
    # An EMAIL_OTP session after a password is MFA, which ``login`` answers.
    return session.challenge in _OTP_DELIVERY and session.first_factor


def _start(env: Env, request: OAuthRequest, authz: AuthorizeRequest) -> Reply:
    username = request.form.get("username", "").strip()
    too_long = form_fields.too_long(request.form, {"username": ("Username", form_fields.USERNAME_MAX)})
    if too_long is not None or not username:
        return login.login_form(request, authz, too_long or login.MISSING_USERNAME)
    ctx = login.context(env, request, authz, {"USERNAME": username})
    login.aim(ctx, authz, user_for_sign_in(authz.pool, username))
    try:
        step = step_up.carry(ctx, user_auth.start(ctx))
        assert isinstance(step, Challenge)
        session = sessions.get_session(env, step.session)
        offered = [factor for factor in FACTOR_LABELS if factor in (step.available or ())]
        if not offered:
            raise NotAuthorizedException(INCORRECT)
        if len(offered) == 1:
            return _choose(env, request, authz, session, offered[0])
        return _choice_form(request, authz, session, offered)
    except CognitoError as error:
        return login.login_form(request, authz, error.message, username)


def _choice_form(
    request: OAuthRequest,
    authz: AuthorizeRequest,
    session: ChallengeSession,
    offered: list[str],
) -> Reply:
    buttons = "".join(fragment("factor_button.html", factor=f, label=FACTOR_LABELS[f]) for f in offered)
    content = form_fragment(
        request,
        "choose_factor.html",
        action=login.action(request, authz),
        session=session.session_id,
        username=session.signed_in_as or "",
        choices=Markup(buttons),
    )
    return page(page_style.of(request, authz), "Sign in", content)


def _choose(
    env: Env, request: OAuthRequest, authz: AuthorizeRequest, session: ChallengeSession, factor: str
) -> Reply:
    """The SELECT_CHALLENGE answer ``factor``: the API opens its challenge, the page shows its form."""
    name = session.signed_in_as or ""
    user = _session_user(authz, session)
    ctx = login.context(env, request, authz, {"USERNAME": name, "ANSWER": factor}, session)
    step = step_up.carry(ctx, user_auth.answer(ctx, session, user))
    assert isinstance(step, Challenge)
    following = sessions.get_session(env, step.session)
    return _step_form(request, authz, following, user, step)


def _step_form(
    request: OAuthRequest,
    authz: AuthorizeRequest,
    session: ChallengeSession,
    user: User | None,
    step: Challenge | None = None,
    error: str = "",
) -> Reply:
    style = page_style.of(request, authz)
    name = session.signed_in_as or ""
    if session.challenge == user_auth.PASSWORD:
        content = form_fragment(
            request,
            "choice_password.html",
            action=login.action(request, authz),
            error=error,
            session=session.session_id,
            username=name,
            **form_fields.LIMITS,
        )
        return page(style, "Sign in", content)
    if session.challenge == user_auth.WEB_AUTHN:
        options = step.parameters["CREDENTIAL_REQUEST_OPTIONS"] if step is not None else "{}"
        content = form_fragment(
            request,
            "passkey.html",
            action=login.action(request, authz),
            error=error,
            session=session.session_id,
            options=options,
        )
        return page(style, "Sign in with a passkey", content)
    attribute, medium = _OTP_DELIVERY[session.challenge]
    destination = messages.mask(attribute, user.attributes.get(attribute, "")) if user is not None else ""
    content = form_fragment(
        request,
        "mfa_code.html",
        action=login.action(request, authz),
        heading="Sign in with a code",
        description=f"We have sent a code by {medium} to {destination or 'you'}. Enter it to sign in.",
        error=error,
        session=session.session_id,
        **form_fields.LIMITS,
    )
    return page(style, "Sign in", content)


def _answer(
    env: Env, request: OAuthRequest, authz: AuthorizeRequest, session: ChallengeSession, user: User | None
) -> Reply:
    form = request.form
    name = session.signed_in_as or ""
    try:
        if session.challenge == user_auth.SELECT_CHALLENGE:
            factor = form.get("answer", "")
            if factor not in FACTOR_LABELS:
                raise NotAuthorizedException(sessions.INVALID)
            return _choose(env, request, authz, session, factor)
        if session.challenge == user_auth.PASSWORD:
            problem = form_fields.too_long(form, _PASSWORD_LIMIT) or (
                "" if form.get("password") else login.MISSING_PASSWORD
            )
            if problem:
                return _step_form(request, authz, session, user, error=problem)
            return login.password_step(env, request, authz, name, form.get("password", ""), session)
        if user is None:
            # A decoy session (an unknown user): nothing it asks for can be right.
            raise sessions.wrong_code(session)
        ctx = login.context(
            env, request, authz, {"USERNAME": name, "CREDENTIAL": form.get("credential", "")}, session
        )
        if session.challenge == user_auth.WEB_AUTHN:
            passkey.check_answer(ctx, session, user)
        else:
            code = form.get("code", "").strip()
            problem = form_fields.too_long(form, _CODE_LIMIT) or ("" if code else login.MISSING_CODE)
            if problem:
                return _step_form(request, authz, session, user, error=problem)
            sessions.check_code(session, code)
            sessions.finish(session)
            step_up.proved(ctx, step_up.FIRST_FACTOR_METHODS[session.challenge])
        judge_passwordless(ctx, user)
    except CognitoError as error:
        if session.used or session.challenge in (user_auth.SELECT_CHALLENGE, user_auth.WEB_AUTHN):
            return login.login_form(request, authz, error.message, name)
        return _step_form(request, authz, session, user, error=error.message)
    return login.signed_in(env, request, authz, ctx, user)
