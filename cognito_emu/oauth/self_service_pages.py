"""The hosted sign-up and password-reset pages, at the paths Cognito's managed login and classic hosted UI
use (developer guide, "User-interactive managed login and classic hosted UI endpoints"):

- ``/signup`` (linked from ``/login``; the authorize parameters): a username (the email or phone number when
  the pool signs in with one), the pool's required attributes and a password with the policy's hints; the
  API's ``SignUp`` decides (policy, existing users, PreSignUp), and its error messages are shown.
- ``/confirm`` (after ``/signup``): the code sent to the user (the outbox), ``ConfirmSignUp``; the user is then
  signed in and sent back to the app as after ``/login``. ``/resendcode`` sends a new code
  (``ResendConfirmationCode``) and shows ``/confirm`` again.
- ``/confirmUser`` (the link of a CONFIRM_WITH_LINK message): ``client_id``, ``user_name`` and
  ``confirmation_code`` confirm the account and a page says so.
- ``/forgotPassword`` (linked from ``/login``): a username, ``ForgotPassword``; then
  ``/confirmForgotPassword``: the code and a new password twice, ``ConfirmForgotPassword``; then the
  sign-in form.

Each page is a form of labelled fields posting to itself; every value is escaped (``pages.fragment``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from cognito_emu.env import Env
from cognito_emu.errors import CognitoError
from cognito_emu.idp.factors import passwords
from cognito_emu.idp.models import User, UserPool
from cognito_emu.idp.pool import pools
from cognito_emu.idp.self_service import messages, recovery, sign_up
from cognito_emu.idp.users import index
from cognito_emu.oauth import authorize, form_fields, login, page_style
from cognito_emu.oauth.authorize import AuthorizeRequest
from cognito_emu.oauth.errors import PageError
from cognito_emu.oauth.pages import Markup, form_fragment, fragment, page
from cognito_emu.oauth.wire import OAuthRequest, Reply, redirect
from cognito_emu.usage import observe
from cognito_emu.usage.log import Activity

ATTRIBUTE_PREFIX = "userAttributes."
_USERNAME_LABELS = {"email": "Email", "phone_number": "Phone number"}
_HINTS = (
    ("RequireLowercase", "Password must contain a lower case letter"),
    ("RequireUppercase", "Password must contain an upper case letter"),
    ("RequireNumbers", "Password must contain a number"),
    ("RequireSymbols", "Password must contain a special character"),
)
MISSING_CODE = "Please enter the code."
SIGN_UP_DISABLED = "SignUp is not permitted for this user pool"
_USERNAME_LIMIT = {"username": ("Username", form_fields.USERNAME_MAX)}
_CONFIRM_LIMITS = {**_USERNAME_LIMIT, "code": ("Verification code", form_fields.CODE_MAX)}
_RESET_LIMITS = {
    **_USERNAME_LIMIT,
    "code": ("Code", form_fields.CODE_MAX),
    "new_password": ("New password", form_fields.PASSWORD_MAX),
    "confirm_password": ("New password", form_fields.PASSWORD_MAX),
}


def _url(request: OAuthRequest, authz: AuthorizeRequest, path: str, username: str | None = None) -> str:
    query = authz.query()
    if username is not None:
        query += "&" + urlencode({"username": username})
    return f"{request.route_base}{path}?{query}"


def _hints(pool: UserPool) -> Markup:
    policy = passwords.pool_policy(pool)
    lines = [hint for member, hint in _HINTS if policy[member]]
    lines.append(f"Password must contain at least {policy['MinimumLength']} characters")
    return Markup("".join(fragment("hint.html", hint=line) for line in lines))


def _signup_attributes(pool: UserPool) -> list[str]:
    """The required attributes the form asks for besides the username (sub is the emulator's to give)."""
    taken = {"sub", *index.username_attributes(pool)[:1]}
    return [name for name, attribute in pool.schema.items() if attribute.required and name not in taken]


def _username_label(pool: UserPool) -> str:
    signs_in_with = index.username_attributes(pool)
    return _USERNAME_LABELS.get(signs_in_with[0], "Username") if signs_in_with else "Username"


def _signup_form(
    request: OAuthRequest, authz: AuthorizeRequest, error: str = "", form: dict[str, str] | None = None
) -> Reply:
    pool = authz.pool
    typed = form or {}
    fields = "".join(
        form_fields.attribute_field(pool, name, typed.get(ATTRIBUTE_PREFIX + name, ""))
        for name in _signup_attributes(pool)
    )
    content = form_fragment(
        request,
        "signup.html",
        action=_url(request, authz, "/signup"),
        error=error,
        username_label=_username_label(pool),
        username=typed.get("username", ""),
        attributes=Markup(fields),
        hints=_hints(pool),
        sign_in=_url(request, authz, "/login"),
        **form_fields.LIMITS,
    )
    return page(page_style.of(request, authz), "Signup", content)


def _checked(env: Env, request: OAuthRequest) -> AuthorizeRequest:
    authz = login.checked(env, request)
    if pools.admin_create_user_only(authz.pool):
        raise PageError("invalid_request", SIGN_UP_DISABLED)
    return authz


def signup_show(env: Env, request: OAuthRequest) -> Reply:
    return _signup_form(request, _checked(env, request))


def _signup_limits(pool: UserPool) -> dict[str, tuple[str, int]]:
    limits = {
        "username": (_username_label(pool), form_fields.USERNAME_MAX),
        "password": ("Password", form_fields.PASSWORD_MAX),
    }
    for name in _signup_attributes(pool):
        limits[ATTRIBUTE_PREFIX + name] = (
            form_fields.attribute_label(name),
            form_fields.attribute_max_length(pool, name),
        )
    return limits


def signup_submit(env: Env, request: OAuthRequest) -> Reply:
    authz = _checked(env, request)
    form = request.form
    too_long = form_fields.too_long(form, _signup_limits(authz.pool))
    if too_long is not None:
        return _signup_form(request, authz, too_long, form)
    username = form.get("username", "").strip()
    given = {k.removeprefix(ATTRIBUTE_PREFIX): v for k, v in form.items() if k.startswith(ATTRIBUTE_PREFIX) and v}
    signs_in_with = index.username_attributes(authz.pool)
    if signs_in_with and username:
        given.setdefault(signs_in_with[0], username)
    try:
        result = sign_up.sign_up(env, authz.pool, authz.client, username, form.get("password", ""), given)
    except CognitoError as error:
        return _signup_form(request, authz, error.message, form)
    observe.hosted_page(env, authz.pool, result.user.sub, Activity.SIGN_UP)
    if result.delivery is None:
        # Confirmed by a PreSignUp trigger, or no channel to confirm through: signed in at once.
        return _sign_in(env, request, authz, result.user)
    return redirect(_url(request, authz, "/confirm", username))


def _sign_in(env: Env, request: OAuthRequest, authz: AuthorizeRequest, user: User) -> Reply:
    ctx = login.context(env, request, authz, {"USERNAME": user.username})
    return login.signed_in(env, request, authz, ctx, user)


def _confirm_form(request: OAuthRequest, authz: AuthorizeRequest, username: str, error: str = "") -> Reply:
    user = recovery.find_user(authz.pool, username)
    attribute = sign_up.confirmation_channel(authz.pool, user) if user is not None else None
    if user is not None and attribute is not None:
        medium = "email" if attribute == "email" else "SMS"
        where = messages.mask(attribute, user.attributes.get(attribute, ""))
        description = f"We have sent a code by {medium} to {where}. Enter it below to confirm your account."
    else:
        description = "Enter the code we sent you to confirm your account."
    content = form_fragment(
        request,
        "confirm.html",
        action=_url(request, authz, "/confirm"),
        description=description,
        error=error,
        username=username,
        resend=_url(request, authz, "/resendcode", username),
        **form_fields.LIMITS,
    )
    return page(page_style.of(request, authz), "Confirm", content)


def confirm_show(env: Env, request: OAuthRequest) -> Reply:
    return _confirm_form(request, _checked(env, request), request.args.get("username", ""))


def confirm_submit(env: Env, request: OAuthRequest) -> Reply:
    authz = _checked(env, request)
    username = request.form.get("username", "")
    code = request.form.get("code", "").strip()
    too_long = form_fields.too_long(request.form, _CONFIRM_LIMITS)
    if too_long is not None:
        return _confirm_form(request, authz, username[: form_fields.USERNAME_MAX], too_long)
    if not code:
        return _confirm_form(request, authz, username, MISSING_CODE)
    try:
        user = sign_up.confirm_sign_up(env, authz.pool, authz.client, username, code, force_alias=False)
    except CognitoError as error:
        return _confirm_form(request, authz, username, error.message)
    observe.hosted_page(env, authz.pool, user.sub, Activity.SIGN_UP)
    return _sign_in(env, request, authz, user)


def resend_code(env: Env, request: OAuthRequest) -> Reply:
    authz = _checked(env, request)
    username = request.args.get("username", "")[: form_fields.USERNAME_MAX]
    try:
        sign_up.resend_confirmation_code(env, authz.pool, authz.client, username)
    except CognitoError as error:
        return _confirm_form(request, authz, username, error.message)
    return redirect(_url(request, authz, "/confirm", username))


def confirm_user(env: Env, request: OAuthRequest) -> Reply:
    """The link of a CONFIRM_WITH_LINK message."""
    args = request.args
    pool, client = authorize.client_of(env, request, args.get("client_id"))
    page_style.style_of(pool, client, request.domain)
    try:
        user = sign_up.confirm_sign_up(
            env, pool, client, args.get("user_name", ""), args.get("confirmation_code", ""), force_alias=False
        )
    except CognitoError as error:
        raise PageError("invalid_request", error.message) from None
    observe.hosted_page(env, pool, user.sub, Activity.SIGN_UP)
    confirmed = fragment(
        "message.html", heading="Account confirmed", message="Your registration has been confirmed!"
    )
    return page(page_style.style_of(pool, client, request.domain), "Confirmed", confirmed)


def _forgot_form(request: OAuthRequest, authz: AuthorizeRequest, error: str = "", username: str = "") -> Reply:
    content = form_fragment(
        request,
        "forgot_password.html",
        action=_url(request, authz, "/forgotPassword"),
        error=error,
        username=username,
        **form_fields.LIMITS,
    )
    return page(page_style.of(request, authz), "Forgot password", content)


def forgot_show(env: Env, request: OAuthRequest) -> Reply:
    return _forgot_form(request, login.checked(env, request))


def forgot_submit(env: Env, request: OAuthRequest) -> Reply:
    authz = login.checked(env, request)
    username = request.form.get("username", "").strip()
    too_long = form_fields.too_long(request.form, _USERNAME_LIMIT)
    if too_long is not None:
        return _forgot_form(request, authz, too_long)
    try:
        recovery.forgot_password(env, authz.pool, authz.client, username)
    except CognitoError as error:
        return _forgot_form(request, authz, error.message, username)
    return redirect(_url(request, authz, "/confirmForgotPassword", username))


def _reset_form(request: OAuthRequest, authz: AuthorizeRequest, username: str, error: str = "") -> Reply:
    content = form_fragment(
        request,
        "confirm_forgot_password.html",
        action=_url(request, authz, "/confirmForgotPassword"),
        description="We have sent a password reset code to you. Enter it below to reset your password.",
        error=error,
        username=username,
        hints=_hints(authz.pool),
        **form_fields.LIMITS,
    )
    return page(page_style.of(request, authz), "Reset password", content)


def reset_show(env: Env, request: OAuthRequest) -> Reply:
    return _reset_form(request, login.checked(env, request), request.args.get("username", ""))


def reset_submit(env: Env, request: OAuthRequest) -> Reply:
    authz = login.checked(env, request)
    form = request.form
    username = form.get("username", "")
    new_password = form.get("new_password", "")
    code = form.get("code", "").strip()
    too_long = form_fields.too_long(form, _RESET_LIMITS)
    if too_long is not None:
        return _reset_form(request, authz, username[: form_fields.USERNAME_MAX], too_long)
    if not code:
        return _reset_form(request, authz, username, MISSING_CODE)
    if form.get("confirm_password") != new_password:
        return _reset_form(request, authz, username, login.PASSWORDS_DIFFER)
    try:
        user = recovery.confirm_forgot_password(env, authz.pool, authz.client, username, code, new_password)
    except CognitoError as error:
        return _reset_form(request, authz, username, error.message)
    observe.hosted_page(env, authz.pool, user.sub, Activity.OTHER)
    return redirect(_url(request, authz, "/login"))
