"""InitiateAuth and AdminInitiateAuth: one small function per AuthFlow (house rule 6), and the tables.

Wording, as Cognito answers (API reference InitiateAuth/AdminInitiateAuth, and measured by clients):
- a flow the endpoint does not take (ADMIN_USER_PASSWORD_AUTH on InitiateAuth, USER_PASSWORD_AUTH on
  AdminInitiateAuth): InvalidParameterException "Initiate Auth method not supported."
- a flow the app client does not allow: InvalidParameterException, "USER_PASSWORD_AUTH flow not
  enabled for this client", "USER_SRP_AUTH is not enabled for the client.", "Auth flow not enabled
  for this client" (the admin password flows), "<FLOW> flow not enabled for this client" otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from cognito_emu.errors import InvalidParameterException, NotAuthorizedException, UserNotFoundException
from cognito_emu.idp import tokens
from cognito_emu.idp.factors import srp
from cognito_emu.idp.models import User
from cognito_emu.idp.pool import client_auth, clients
from cognito_emu.idp.signin import custom_auth, device_challenge, sessions, step_up, user_auth
from cognito_emu.idp.signin.context import (
    AuthContext,
    flow_user,
    pre_authentication,
    user_for_sign_in,
)
from cognito_emu.idp.signin.finish import after_password, authenticated
from cognito_emu.idp.signin.password import password_sign_in, password_verifier_challenge, srp_session_user
from cognito_emu.idp.signin.result import ChallengeName, Step
from cognito_emu.idp.users import directory

METHOD_NOT_SUPPORTED = "Initiate Auth method not supported."

_NOT_ENABLED = {
    "USER_PASSWORD_AUTH": "USER_PASSWORD_AUTH flow not enabled for this client",
    "USER_SRP_AUTH": "USER_SRP_AUTH is not enabled for the client.",
    "ADMIN_USER_PASSWORD_AUTH": "Auth flow not enabled for this client",
    "ADMIN_NO_SRP_AUTH": "Auth flow not enabled for this client",
}


def password_auth(ctx: AuthContext) -> Step:
    """USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and ADMIN_NO_SRP_AUTH: USERNAME and PASSWORD."""
    name = ctx.required("USERNAME")
    password = ctx.required("PASSWORD")
    client_auth.check_secret_hash(ctx.client, name, ctx.params.get("SECRET_HASH"))
    return after_password(ctx, password_sign_in(ctx, name, password))


def srp_auth(ctx: AuthContext) -> Step:
    """USER_SRP_AUTH: USERNAME and SRP_A; answers a PASSWORD_VERIFIER challenge (a decoy for an unknown
    user when the client prevents user existence errors)."""
    name = ctx.required("USERNAME")
    a_hex = ctx.required("SRP_A")
    client_auth.check_secret_hash(ctx.client, name, ctx.params.get("SECRET_HASH"))
    srp.parse_public_a(a_hex)
    user = flow_user(ctx, name)
    try:
        user = pre_authentication(ctx, name, user)
    except (NotAuthorizedException, UserNotFoundException):
        user = None  # no such user (or gone meanwhile): the decoy answers
    session = sessions.open_session(
        ctx.env, ctx.client, srp_session_user(user), ChallengeName.PASSWORD_VERIFIER, signed_in_as=name
    )
    return password_verifier_challenge(ctx, session, a_hex, user, name)


def refresh_auth(ctx: AuthContext) -> Step:
    """REFRESH_TOKEN_AUTH / REFRESH_TOKEN: new access and ID tokens, the refresh token unchanged.

    With a client secret, SECRET_HASH is computed over the user's internal username (for a pool
    that signs in by email or phone, that is the sub), not over the alias typed at sign-in.
    """
    refresh_token = ctx.required("REFRESH_TOKEN")
    if tokens.rotation(ctx.client):
        # "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh token rotation
        # enabled" (developer guide, "Refresh tokens"); the wording of the error is the emulator's.
        raise InvalidParameterException(
            "Refresh token rotation is enabled for this app client: refresh tokens with GetTokensFromRefreshToken."
        )
    user, auth_time = tokens.user_from_refresh_token(ctx.env, ctx.pool, ctx.client, refresh_token)
    if ctx.client.secrets:
        _check_refresh_secret_hash(ctx, user)
    directory.refuse_disabled(user)
    return authenticated(ctx, user, auth_time=auth_time, refresh_token=refresh_token)


def _check_refresh_secret_hash(ctx: AuthContext, user: User) -> None:
    received = ctx.params.get("SECRET_HASH")
    names = [user.username, user.sub]
    given = ctx.params.get("USERNAME")
    if given and given not in names and user_for_sign_in(ctx.pool, given) is user:
        names.append(given)
    failure: NotAuthorizedException | None = None
    for name in names:
        try:
            client_auth.check_secret_hash(ctx.client, name, received)
            return
        except NotAuthorizedException as error:
            failure = error
    assert failure is not None
    raise failure


Flow = Callable[[AuthContext], Step]

USER_FLOWS: dict[str, Flow] = {
    "USER_PASSWORD_AUTH": password_auth,
    "USER_SRP_AUTH": srp_auth,
    "REFRESH_TOKEN_AUTH": refresh_auth,
    "REFRESH_TOKEN": refresh_auth,
    "CUSTOM_AUTH": custom_auth.start,
    "USER_AUTH": user_auth.start,
}

ADMIN_FLOWS: dict[str, Flow] = {
    "ADMIN_USER_PASSWORD_AUTH": password_auth,
    "ADMIN_NO_SRP_AUTH": password_auth,
    "USER_SRP_AUTH": srp_auth,
    "REFRESH_TOKEN_AUTH": refresh_auth,
    "REFRESH_TOKEN": refresh_auth,
    "CUSTOM_AUTH": custom_auth.start,
    "USER_AUTH": user_auth.start,
}


def initiate_auth(ctx: AuthContext, auth_flow: str) -> Step:
    """Run ``auth_flow`` once the endpoint and the app client allow it."""
    flow = (ADMIN_FLOWS if ctx.admin else USER_FLOWS).get(auth_flow)
    if flow is None:
        raise InvalidParameterException(METHOD_NOT_SUPPORTED)
    if not clients.auth_flow_allowed(ctx.client, auth_flow):
        raise InvalidParameterException(
            _NOT_ENABLED.get(auth_flow, f"{auth_flow} flow not enabled for this client")
        )
    return device_challenge.carry(ctx, step_up.carry(ctx, flow(ctx)))
