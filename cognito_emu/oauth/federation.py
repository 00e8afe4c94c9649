"""``GET/POST /federation``: the emulator's stand-in for a third-party IdP (Google, Facebook, Login with
Amazon, Sign in with Apple, OIDC, SAML), which it cannot reach.

``/oauth2/authorize?identity_provider=<ProviderName>`` (or ``idp_identifier=``) comes here instead of
going to the IdP. The page, "Sign in with <ProviderName> (simulated by cognito-emu)", asks for the
external user as the IdP would assert it: the subject and a JSON object of attributes (names as the IdP
sends them: ``sub``, ``email``, ``name``, ...). Tests can skip the page: the query parameter
``emu_assertion=<JSON object>`` (on the authorize request or here) is taken as the assertion at once.

What the assertion signs in as is ``idp.users.federated.sign_in``'s call (attribute mapping, the
``<ProviderName>_<subject>`` user, PreSignUp_ExternalProvider, linked users); from there the hosted flow
is the password sign-in's own ``login.signed_in`` (PostAuthentication, the ``cognito`` cookie, a code or
implicit tokens with TokenGeneration_HostedAuth). Federated users get no MFA step, as in Cognito (their
IdP does that). A failure (a PreSignUp refusal, a disabled user) goes back to the app as Cognito sends
it: ``?error=invalid_request&error_description=<message>``.

With ``acr_values`` (idp.signin.step_up), the assertion's ``acr`` and ``amr`` claims give the sign-in's
level and methods, through the provider's AcrMapping, and its tokens carry acr and amr.

An authorize request without a ``nonce`` gets one here: developer guide, "Understanding the identity
(ID) token": "If you do not provide a nonce value in your request, Amazon Cognito automatically
generates and validates a nonce when you authenticate through a third-party identity provider, then
adds it as a nonce claim to the ID token."
"""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import CognitoError
from cognito_emu.idp.models import IdentityProvider
from cognito_emu.idp.signin import step_up
from cognito_emu.idp.signin.context import trigger_input
from cognito_emu.idp.users import federated
from cognito_emu.oauth import authorize, login
from cognito_emu.oauth.authorize import AuthorizeRequest
from cognito_emu.oauth.errors import PageError, RedirectError
from cognito_emu.oauth.page_style import DEFAULT
from cognito_emu.oauth.pages import form_fragment, page
from cognito_emu.oauth.wire import OAuthRequest, Reply

NOT_JSON = "The attributes must be a JSON object."
# The random bytes of a nonce Cognito makes for a federated sign-in (URL-safe base64 in the claim).
NONCE_BYTES = 32


def _authorized(env: Env, request: OAuthRequest) -> tuple[AuthorizeRequest, IdentityProvider]:
    authz = authorize.check(env, request)
    if authz.identity_provider is None:
        raise PageError("invalid_request", "identity_provider names no identity provider of the pool.")
    return authz, authz.pool.identity_providers[authz.identity_provider]


def form(
    request: OAuthRequest,
    authz: AuthorizeRequest,
    provider: IdentityProvider,
    error: str = "",
    subject: str = "",
    attributes: str = "",
) -> Reply:
    mapping = ", ".join(f"{idp} -> {pool}" for pool, idp in sorted(provider.attribute_mapping.items()))
    content = form_fragment(
        request,
        "federation.html",
        action=f"{request.route_base}/federation?{authz.query()}",
        provider=provider.name,
        provider_type=provider.provider_type,
        subject_attribute=provider.attribute_mapping.get("username") or "sub",
        subject=subject,
        attributes=attributes or '{\n  "sub": "",\n  "email": ""\n}',
        mapping=mapping or "none",
        error=error,
    )
    return page(DEFAULT, f"Sign in with {provider.name} (simulated by cognito-emu)", content)


def _parse(raw: str) -> dict[str, Any] | None:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def show(env: Env, request: OAuthRequest) -> Reply:
    authz, provider = _authorized(env, request)
    raw = request.args.get(federated.ASSERTION_PARAMETER)
    if raw is None:
        return form(request, authz, provider)
    asserted = _parse(raw)
    if asserted is None:
        raise RedirectError(authz.redirect_uri, "invalid_request", authz.state, NOT_JSON)
    return _signed_in(env, request, authz, provider, asserted)


def submit(env: Env, request: OAuthRequest) -> Reply:
    authz, provider = _authorized(env, request)
    subject = request.form.get("subject", "").strip()
    raw = request.form.get("attributes", "")
    asserted = _parse(raw)
    if asserted is None:
        return form(request, authz, provider, NOT_JSON, subject, raw)
    if subject:
        asserted[provider.attribute_mapping.get("username") or "sub"] = subject
    try:
        federated.subject_of(provider, asserted)
    except federated.FederationError as error:
        return form(request, authz, provider, str(error), subject, raw)
    return _signed_in(env, request, authz, provider, asserted)


def _generated_nonce(env: Env) -> str:
    return base64.urlsafe_b64encode(env.ids.token_bytes(NONCE_BYTES)).rstrip(b"=").decode()


def _signed_in(
    env: Env,
    request: OAuthRequest,
    authz: AuthorizeRequest,
    provider: IdentityProvider,
    asserted: dict[str, Any],
) -> Reply:
    if authz.nonce is None:
        authz = dataclasses.replace(authz, nonce=_generated_nonce(env))
    ctx = login.context(env, request, authz, {})
    if authz.acr_levels is not None:
        ctx.target_level = authz.acr_levels[0]
        step_up.federated(ctx, provider.acr_mapping, asserted)
    try:
        user = federated.sign_in(
            env,
            authz.pool,
            provider,
            asserted,
            client_id=authz.client.client_id,
            trigger_input=trigger_input(ctx),
        )
        return login.signed_in(env, request, authz, ctx, user)
    except (CognitoError, federated.FederationError) as error:
        message = error.message if isinstance(error, CognitoError) else str(error)
        raise RedirectError(authz.redirect_uri, "invalid_request", authz.state, message) from None
