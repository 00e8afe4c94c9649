"""USER_AUTH's WEB_AUTHN first factor: the CREDENTIAL_REQUEST_OPTIONS challenge and its CREDENTIAL
answer (the WebAuthn checks themselves are ``idp.factors.webauthn``'s). A passkey sign-in gets tokens with no
MFA step, as Cognito's does.
"""

from __future__ import annotations

import json

from cognito_emu.errors import NotAuthorizedException
from cognito_emu.idp.factors import webauthn
from cognito_emu.idp.models import ChallengeSession, User
from cognito_emu.idp.signin import sessions, step_up
from cognito_emu.idp.signin.context import AuthContext, check_can_sign_in, pre_authentication
from cognito_emu.idp.signin.finish import passwordless
from cognito_emu.idp.signin.result import Challenge, ChallengeName, Step

# Where the challenge's WebAuthn challenge waits for the answer (never sent to the client).
_SESSION_CHALLENGE = "webauthn_challenge"


def sign_in_challenge(ctx: AuthContext, user: User, previous: ChallengeSession | None) -> Challenge:
    """The WEB_AUTHN challenge: CREDENTIAL_REQUEST_OPTIONS (JSON), its challenge kept with the session
    (PreAuthentication runs first, as for the other first factors)."""
    name = ctx.params.get("USERNAME") or user.username
    user = pre_authentication(ctx, name, user)
    check_can_sign_in(user)
    options = webauthn.request_options(ctx.env, ctx.pool, user)
    session = sessions.following(
        ctx.env, ctx.client, previous, user.username, ChallengeName.WEB_AUTHN, signed_in_as=name
    )
    session.private_parameters[_SESSION_CHALLENGE] = options["challenge"]
    return Challenge(
        ChallengeName.WEB_AUTHN,
        session.session_id,
        {"CREDENTIAL_REQUEST_OPTIONS": json.dumps(options, separators=(",", ":"))},
    )


def answer(ctx: AuthContext, session: ChallengeSession, user: User) -> Step:
    """RespondToAuthChallenge WEB_AUTHN: CREDENTIAL (AuthenticationResponseJSON) -> tokens."""
    check_answer(ctx, session, user)
    return passwordless(ctx, user)


def check_answer(ctx: AuthContext, session: ChallengeSession, user: User) -> None:
    """Judge the CREDENTIAL answering the session's WEB_AUTHN challenge (shared with the managed login
    pages). A wrong credential ends the session (its challenge was signed or not; there is nothing to retry)."""
    credential = ctx.required("CREDENTIAL")
    challenge = session.private_parameters.get(_SESSION_CHALLENGE)
    check_can_sign_in(user)
    sessions.finish(session)
    if not isinstance(challenge, str):
        raise NotAuthorizedException(sessions.INVALID)
    used = webauthn.verify_assertion(ctx.env, ctx.pool, user, credential, challenge)
    step_up.proved(ctx, step_up.passkey_method(used))
