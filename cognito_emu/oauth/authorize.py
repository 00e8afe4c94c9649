"""``GET /oauth2/authorize``: check an authorization request, then send the browser to the login page,
or straight back to the app when the hosted-login cookie already names a signed-in user.

Developer guide, "Authorize endpoint": an unknown ``client_id`` or a ``redirect_uri`` the client did
not register has nowhere safe to redirect to, so the browser goes to the domain's error page
(``/error?error=...&client_id=...``, ``oauth.errors.ErrorPageRedirect``); every other problem goes back
to the redirect_uri as ``?error=...&state=...``: ``invalid_request`` (a missing or unknown
response_type, a code_challenge without code_challenge_method, a method other than S256) and
``unauthorized_client`` (the client may not use that flow). A scope the client may not have is
``error=invalid_request&error_description=invalid_scope``: the guide's example shows
``error=invalid_scope``, but Cognito's live answers, as its users report them, carry invalid_request
with the description invalid_scope, and apps match on that.

The login endpoint takes the same parameters and runs the same checks (``check``).

``identity_provider`` (or ``idp_identifier``) naming an IdP of the pool that the client supports goes to
the emulator's stand-in for that IdP (``cognito_emu.oauth.federation``) instead of the login page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from cognito_emu.env import Env
from cognito_emu.idp import tokens
from cognito_emu.idp.models import AppClient, User, UserPool
from cognito_emu.idp.pool import acr_levels
from cognito_emu.idp.signin import step_up
from cognito_emu.idp.users import federated
from cognito_emu.oauth import authorization_codes, hosted_sessions, pkce, scopes
from cognito_emu.oauth.errors import ErrorPageRedirect, RedirectError
from cognito_emu.oauth.models import HostedSession
from cognito_emu.oauth.wire import SESSION_COOKIE, OAuthRequest, Reply, redirect, with_fragment, with_query
from cognito_emu.triggers import token_generation

# response_type -> the AllowedOAuthFlows value that permits it
FLOWS = {"code": "code", "token": "implicit"}
COGNITO = "COGNITO"
INVALID_SCOPE = "invalid_scope"
# max_age: "A non-negative integer" of seconds (login endpoint, step-up parameters); more digits than
# any real age are refused before int() (Python refuses very long digit strings).
_MAX_AGE = re.compile(r"[0-9]{1,18}")


@dataclass(slots=True)
class AuthorizeRequest:
    pool: UserPool
    client: AppClient
    response_type: str
    redirect_uri: str
    scopes: list[str]
    state: str | None
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    # The third-party IdP the request names (identity_provider / idp_identifier); None for COGNITO.
    identity_provider: str | None = None
    # Seconds since the user last authenticated past which the hosted-login cookie no longer signs in.
    max_age: int | None = None
    # acr_values as given, and the pool's levels it names in order (None: no step-up asked for, or a
    # LITE pool, where managed login "silently ignores acr_values").
    acr_values: str | None = None
    acr_levels: list[int] | None = None

    def query(self) -> str:
        """The request's parameters as a query string, for the login page's URL."""
        return urlencode(
            {
                "response_type": self.response_type,
                "client_id": self.client.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": " ".join(self.scopes),
                **{
                    name: value
                    for name, value in (
                        ("state", self.state),
                        ("nonce", self.nonce),
                        ("code_challenge", self.code_challenge),
                        ("code_challenge_method", self.code_challenge_method),
                        ("identity_provider", self.identity_provider),
                        ("max_age", None if self.max_age is None else str(self.max_age)),
                        ("acr_values", self.acr_values),
                    )
                    if value is not None
                },
            }
        )


def client_of(env: Env, request: OAuthRequest, client_id: str | None) -> tuple[UserPool, AppClient]:
    """The app client a browser request names, within the domain's pool when it came through one."""
    if not client_id:
        raise ErrorPageRedirect("invalid_request", None, "Required String parameter 'client_id' is not present")
    pool = env.state.find_pool_by_client(client_id)
    if pool is None or (request.pool is not None and pool.id != request.pool.id):
        raise ErrorPageRedirect("invalid_request", client_id, f"Invalid client_id {client_id}.")
    return pool, pool.clients[client_id]


def check(env: Env, request: OAuthRequest) -> AuthorizeRequest:
    args = request.args
    pool, client = client_of(env, request, args.get("client_id"))
    redirect_uri = args.get("redirect_uri")
    if not redirect_uri or redirect_uri not in (client.settings.get("CallbackURLs") or []):
        raise ErrorPageRedirect(
            "redirect_mismatch", client.client_id, "redirect_uri is not one of the app client's CallbackURLs."
        )
    state = args.get("state")

    def fail(error: str, description: str) -> RedirectError:
        return RedirectError(redirect_uri, error, state, description)

    def documented(error: str, reason: str) -> RedirectError:
        # The guide's negative responses: "?error=invalid_request", "?error=unauthorized_client", no description.
        return RedirectError(redirect_uri, error, state, reason=reason)

    response_type = args.get("response_type")
    if response_type not in FLOWS:
        raise documented("invalid_request", "response_type must be code or token")
    if not client.settings.get("AllowedOAuthFlowsUserPoolClient") or FLOWS[response_type] not in (
        client.settings.get("AllowedOAuthFlows") or []
    ):
        raise documented("unauthorized_client", f"the client may not use response_type {response_type}")
    supported = client.settings.get("SupportedIdentityProviders") or []
    try:
        provider = federated.requested_provider(
            pool, supported, args.get("identity_provider"), args.get("idp_identifier")
        )
    except federated.FederationError as error:
        raise fail("invalid_request", str(error)) from None
    if provider is None and COGNITO not in supported:
        raise fail("invalid_request", "Login option is not available. Please try another one")
    challenge, method = args.get("code_challenge"), args.get("code_challenge_method")
    if (challenge is None) != (method is None):
        raise documented("invalid_request", "code_challenge and code_challenge_method go together")
    if method is not None and method not in pkce.METHODS:
        raise documented("invalid_request", "code_challenge_method must be S256")
    max_age = args.get("max_age")
    if max_age is not None and not _MAX_AGE.fullmatch(max_age):
        raise fail("invalid_request", "max_age must be a non-negative integer")
    try:
        granted = scopes.granted(pool, client, args.get("scope"))
    except scopes.ScopeError:
        raise fail("invalid_request", INVALID_SCOPE) from None
    acr_values = args.get("acr_values") or None
    acr_requested = None
    if acr_values is not None and pool.settings.get("UserPoolTier") != "LITE":
        named = [acr_levels.level_named(pool, name) for name in acr_values.split()]
        acr_requested = [found for found in named if found is not None]
        if not acr_requested:
            # TARGET_ACR_VALUES' "returns an error" when none is valid; OIDC's error for a bad parameter.
            raise fail("invalid_request", "acr_values names no authentication level of this user pool")
    return AuthorizeRequest(
        pool=pool,
        client=client,
        response_type=response_type,
        redirect_uri=redirect_uri,
        scopes=granted,
        state=state,
        nonce=args.get("nonce"),
        code_challenge=challenge,
        code_challenge_method=method,
        identity_provider=provider.name if provider is not None else None,
        max_age=None if max_age is None else int(max_age),
        acr_values=acr_values,
        acr_levels=acr_requested,
    )


def authorize(env: Env, request: OAuthRequest) -> Reply:
    authz = check(env, request)
    if authz.identity_provider is not None:
        # The emulator's stand-in for the third-party IdP (cognito_emu.oauth.federation).
        shortcut = {federated.ASSERTION_PARAMETER: request.args.get(federated.ASSERTION_PARAMETER)}
        return redirect(with_query(f"{request.route_base}/federation?{authz.query()}", shortcut))
    signed_in = session_sign_in(env, request, authz)
    if signed_in is not None:
        return redirect(complete_from_cookie(env, request, authz, *signed_in))
    return redirect(f"{request.route_base}/login?{authz.query()}")


def session_sign_in(
    env: Env, request: OAuthRequest, authz: AuthorizeRequest
) -> tuple[User, HostedSession] | None:
    """The sign-in the hosted-login cookie stands for, unless more than the request's ``max_age`` seconds
    have passed since it: then "the user must authenticate again from scratch" (developer guide, login
    endpoint, step-up authentication request: "If the current time minus auth_time is greater than
    max_age")."""
    signed_in = hosted_sessions.signed_in_user(
        env,
        authz.pool,
        request.cookies.get(SESSION_COOKIE),
        authz.client.client_id,
        user_agent=request.user_agent,
        ip_address=request.source_ip,
    )
    if signed_in is None:
        return None
    if authz.max_age is not None and env.clock.now() - signed_in[1].auth_time > authz.max_age:
        return None
    # acr_values: the cookie's sign-in stands only when its methods reach the first level asked for.
    if authz.acr_levels is not None and step_up.level(signed_in[1].methods) < authz.acr_levels[0]:
        return None
    return signed_in


def complete_from_cookie(
    env: Env, request: OAuthRequest, authz: AuthorizeRequest, user: User, session: HostedSession
) -> str:
    """``complete`` for the sign-in the cookie stands for (its methods as amr; an acr when asked for)."""
    reached = step_up.level(session.methods)
    acr = acr_levels.names(authz.pool)[reached] if authz.acr_levels is not None and reached else None
    return complete(
        env,
        request,
        authz,
        user,
        session.auth_time,
        session.sso_session_id,
        acr=acr,
        amr=step_up.amr(session.methods),
    )


def complete(
    env: Env,
    request: OAuthRequest,
    authz: AuthorizeRequest,
    user: User,
    auth_time: float,
    sso_session_id: str | None,
    *,
    acr: str | None = None,
    amr: list[str] | None = None,
) -> str:
    """Where the browser goes once ``user`` is signed in: the redirect_uri with a code, or with tokens
    in the fragment for the implicit grant (an ID token only with the openid scope, never a refresh token).
    The tokens' session comes through the cookie's SSO session ``sso_session_id`` (idp.user_sessions).
    """
    if authz.response_type == "code":
        code = authorization_codes.issue_code(
            env,
            authz.pool,
            authz.client,
            user,
            redirect_uri=authz.redirect_uri,
            scopes=authz.scopes,
            auth_time=auth_time,
            nonce=authz.nonce,
            code_challenge=authz.code_challenge,
            code_challenge_method=authz.code_challenge_method,
            sso_session_id=sso_session_id,
            acr=acr,
            amr=amr,
        )
        return with_query(authz.redirect_uri, {"code": code, "state": authz.state})
    issued = tokens.authentication_result(
        env,
        authz.pool,
        authz.client,
        user,
        issuer=tokens.issuer(env, request.base_url, authz.pool),
        auth_time=auth_time,
        scope=" ".join(authz.scopes),
        trigger_source=token_generation.HOSTED_AUTH,
        nonce=authz.nonce,
        user_agent=request.user_agent,
        ip_address=request.source_ip,
        sso_session_id=sso_session_id,
        oauth_endpoint=True,
        acr=acr,
        amr=amr,
    )
    return with_fragment(
        authz.redirect_uri,
        {
            "id_token": issued.id_token if scopes.OPENID in authz.scopes else None,
            "access_token": issued.access_token,
            "token_type": "Bearer",
            "expires_in": str(issued.expires_in),
            "state": authz.state,
        },
    )
