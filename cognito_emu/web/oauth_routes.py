"""The OAuth 2.0 / hosted-login routes of a user pool domain (``cognito_emu.oauth``), in Werkzeug terms.

Each endpoint is served three ways (``cognito_emu.oauth.routing``): at ``/oauth2/...`` for a Host that is
a pool domain (``<prefix>.auth.<region>.amazoncognito.com`` or a custom domain), at
``/_oauth/<domain>/oauth2/...`` on plain localhost, and at ``/oauth2/...`` on plain localhost, where the
pool comes from the client id or the access token. The state lock is held for the whole request
(triggers release it, as for the AWS operations).

Every form post of the hosted pages (a POST route that answers pages, not JSON) is refused with a 403 page
unless it carries the browser session's CSRF token (``cognito_emu.csrf``), checked here before the page's
own code runs, so a new hosted page is guarded by being routed here; its form carries the token through
``pages.form_fragment``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from cognito_emu import csrf
from cognito_emu.env import Env
from cognito_emu.errors import CognitoError
from cognito_emu.idp import tokens
from cognito_emu.idp.continuity import served_by
from cognito_emu.idp.pool import availability, domains
from cognito_emu.idp.pool.operation_kinds import Kind
from cognito_emu.oauth import (
    authorize,
    choice_sign_in,
    federation,
    login,
    logout,
    revoke,
    routing,
    self_service_pages,
    token,
    userinfo,
)
from cognito_emu.oauth.errors import ErrorPageRedirect, OAuthError, PageError, RedirectError
from cognito_emu.oauth.pages import csrf_refused, error_page, shown_error
from cognito_emu.oauth.wire import OAuthRequest, Reply, json_reply, redirect, with_query
from cognito_emu.usage import observe
from cognito_emu.web.aws_endpoint import base_url, forwarded_for

log = logging.getLogger("cognito_emu.oauth")

Endpoint = Callable[[Env, OAuthRequest], Reply]

# The longest query string the pages take (the request line limit of common web servers). Every value
# comes back in a redirect's Location (state, the authorize parameters the login page carries on), and
# browsers and HTTP clients refuse a header line much longer than this.
MAX_QUERY_BYTES = 8192
QUERY_TOO_LONG = "The request URL is too long."


def _route_base(request: Request, domain: str | None) -> str:
    base = base_url(request.environ).rstrip("/")
    return f"{base}{routing.PATH_PREFIX}/{domain}" if domain is not None else base


def _request(env: Env, request: Request, domain: str | None) -> OAuthRequest:
    state = env.state
    base = base_url(request.environ).rstrip("/")
    host = request.host or ""
    # The domain the request came through: the path's, else the Host's.
    through = domain
    if domain is not None:
        pool = routing.pool_of_domain(state, domain)
        if pool is None:
            raise PageError("invalid_request", f"No user pool has the domain {domain}.", 404)
    else:
        through = routing.domain_of_host(state, host)
        pool = routing.pool_of_domain(state, through) if through else None
        if pool is not None:
            # A client at the domain's own Host talks to Cognito's hosts: its tokens name Cognito's issuer,
            # https://cognito-idp.<region>.amazonaws.com/<poolId>, as Cognito's do whatever the domain.
            base = tokens.AWS_ISSUER
    return OAuthRequest(
        method=request.method,
        args=request.args.to_dict(),
        form=request.form.to_dict(),
        authorization=request.headers.get("Authorization"),
        cookies=request.cookies.to_dict(),
        content_type=request.headers.get("Content-Type", ""),
        base_url=base,
        route_base=_route_base(request, domain),
        pool=pool,
        csrf=csrf.FormToken(request.cookies.get(csrf.COOKIE), env.ids.form_token),
        user_agent=request.headers.get("User-Agent", ""),
        source_ip=forwarded_for(request.environ),
        domain=through,
    )


def _cookie_path(request: Request, domain: str | None) -> str:
    return f"{routing.PATH_PREFIX}/{domain}/" if domain is not None else "/"


def _response(reply: Reply, request: Request, domain: str | None) -> Response:
    response = Response(reply.body, status=reply.status, content_type=reply.content_type)
    for name, value in reply.headers.items():
        response.headers[name] = value
    secure = request.scheme == "https"
    for name, cookie in reply.cookies.items():
        if cookie is None:
            response.delete_cookie(name, path=_cookie_path(request, domain), secure=secure, httponly=True)
        else:
            response.set_cookie(
                name, cookie, path=_cookie_path(request, domain), secure=secure, httponly=True, samesite="Lax"
            )
    return response


def _serving_region(
    env: Env, request: Request, domain: str | None, oauth_request: OAuthRequest
) -> str | None:
    """The Region the request is served in (None: not known, the primary's): the one a prefix domain's
    Host names, or for a custom domain the failover Region while its primary's health check is unhealthy."""
    if domain is None and (region := routing.region_of_host(request.host or "")) is not None:
        return region
    if oauth_request.pool is None or oauth_request.domain is None:
        return None
    return domains.failover_region(env.state, oauth_request.pool, oauth_request.domain)


def _serve(
    endpoint: Endpoint, *, json_errors: bool, forms: bool = False, kind: Kind | None = None
) -> Callable[..., Response]:
    """The view of an endpoint; ``forms``: it takes the hosted pages' form posts (CSRF-checked);
    ``kind``: what it may do to users (``availability.admit_hosted``). A request through the domain's
    Host in a secondary replica's Region, or through a custom domain failed over to one, is served by
    that replica (its triggers, its email settings, its lockout counts)."""

    def view(env: Env, request: Request, domain: str | None = None) -> Response:
        if len(request.query_string) > MAX_QUERY_BYTES:
            log.info(
                "%s %s: a query string of %d bytes", request.method, request.path, len(request.query_string)
            )
            return _response(error_page(QUERY_TOO_LONG, 414), request, domain)
        is_form_post = forms and request.method == "POST"
        oauth_request: OAuthRequest | None = None
        with env.state.lock:
            try:
                oauth_request = _request(env, request, domain)
                if is_form_post and not oauth_request.csrf.accepts(oauth_request.form.get(csrf.FIELD)):
                    log.info("%s %s: refused, no matching CSRF token", request.method, request.path)
                    reply = csrf_refused()
                else:
                    region = _serving_region(env, request, domain, oauth_request)
                    replica = availability.admit_hosted(env, oauth_request.pool, region, kind)
                    with served_by(replica):
                        reply = endpoint(env, oauth_request)
            except OAuthError as error:
                log.info("%s %s: %s", request.method, request.path, error)
                reply = json_reply({"error": error.error}, error.status)
            except ErrorPageRedirect as error:
                log.info("%s %s: %s", request.method, request.path, error)
                params = {"error": error.error, "client_id": error.client_id}
                reply = redirect(with_query(f"{_route_base(request, domain)}/error", params))
            except RedirectError as error:
                log.info("%s %s: %s", request.method, request.path, error)
                params = {"error": error.error, "error_description": error.description, "state": error.state}
                reply = redirect(with_query(error.redirect_uri, params))
            except PageError as error:
                log.info("%s %s: %s", request.method, request.path, error)
                reply = error_page(error.message, error.status)
            except CognitoError as error:
                # A Lambda trigger failed (or refused) while tokens were being made.
                log.info("%s %s: %s %s", request.method, request.path, error.code, error.message)
                if json_errors:
                    reply = json_reply({"error": "invalid_request", "error_description": error.message}, 400)
                else:
                    reply = error_page(error.message, 400)
        if oauth_request is not None and oauth_request.csrf.minted is not None:
            reply.cookies.setdefault(csrf.COOKIE, oauth_request.csrf.minted)
        return _response(reply, request, domain)

    return view


def _counted_token(env: Env, request: OAuthRequest) -> Reply:
    """``/oauth2/token``, with what it issued counted as usage (cognito_emu.usage)."""
    reply = token.token(env, request)
    observe.token_endpoint(env, request.form.get("grant_type"), reply.status, reply.body)
    return reply


_ROUTES: list[tuple[str, list[str], Callable[..., Response]]] = [
    # A federated sign-in can create a user from the authorize request itself (emu_assertion).
    ("/oauth2/authorize", ["GET"], _serve(authorize.authorize, json_errors=False, kind=Kind.SIGN_IN)),
    ("/error", ["GET"], _serve(shown_error, json_errors=False)),
    ("/login", ["GET"], _serve(login.show, json_errors=False)),
    ("/login", ["POST"], _serve(choice_sign_in.submit, json_errors=False, forms=True, kind=Kind.SIGN_IN)),
    ("/federation", ["GET"], _serve(federation.show, json_errors=False, kind=Kind.SIGN_IN)),
    ("/federation", ["POST"], _serve(federation.submit, json_errors=False, forms=True, kind=Kind.SIGN_IN)),
    ("/logout", ["GET"], _serve(logout.logout, json_errors=False)),
    ("/signup", ["GET"], _serve(self_service_pages.signup_show, json_errors=False, kind=Kind.USER_DATA)),
    (
        "/signup",
        ["POST"],
        _serve(self_service_pages.signup_submit, json_errors=False, forms=True, kind=Kind.USER_DATA),
    ),
    ("/confirm", ["GET"], _serve(self_service_pages.confirm_show, json_errors=False, kind=Kind.USER_DATA)),
    (
        "/confirm",
        ["POST"],
        _serve(self_service_pages.confirm_submit, json_errors=False, forms=True, kind=Kind.USER_DATA),
    ),
    ("/resendcode", ["GET"], _serve(self_service_pages.resend_code, json_errors=False, kind=Kind.USER_DATA)),
    (
        "/confirmUser",
        ["GET"],
        _serve(self_service_pages.confirm_user, json_errors=False, kind=Kind.USER_DATA),
    ),
    (
        "/forgotPassword",
        ["GET"],
        _serve(self_service_pages.forgot_show, json_errors=False, kind=Kind.USER_DATA),
    ),
    (
        "/forgotPassword",
        ["POST"],
        _serve(self_service_pages.forgot_submit, json_errors=False, forms=True, kind=Kind.USER_DATA),
    ),
    (
        "/confirmForgotPassword",
        ["GET"],
        _serve(self_service_pages.reset_show, json_errors=False, kind=Kind.USER_DATA),
    ),
    (
        "/confirmForgotPassword",
        ["POST"],
        _serve(self_service_pages.reset_submit, json_errors=False, forms=True, kind=Kind.USER_DATA),
    ),
    ("/oauth2/token", ["POST"], _serve(_counted_token, json_errors=True)),
    ("/oauth2/userInfo", ["GET", "POST"], _serve(userinfo.userinfo, json_errors=True)),
    ("/oauth2/userinfo", ["GET", "POST"], _serve(userinfo.userinfo, json_errors=True)),
    ("/oauth2/revoke", ["POST"], _serve(revoke.revoke, json_errors=True)),
]

# Endpoints are the view functions themselves: the app calls them with (env, request, **args).
RULES = [Rule(path, methods=methods, endpoint=view) for path, methods, view in _ROUTES] + [
    Rule(f"{routing.PATH_PREFIX}/<domain>{path}", methods=methods, endpoint=view)
    for path, methods, view in _ROUTES
]
