"""NEW_PASSWORD_REQUIRED answered: NEW_PASSWORD, plus ``userAttributes.<name>`` for the required
attributes the user lacks (and any other attribute the client may write). MFA follows a new password
as it follows a password; the tokens' PreTokenGeneration sees TokenGeneration_NewPasswordChallenge.
"""

from __future__ import annotations

from cognito_emu.errors import InvalidParameterException, NotAuthorizedException
from cognito_emu.idp.factors import passwords
from cognito_emu.idp.models import ChallengeSession, User, UserStatus
from cognito_emu.idp.signin import compromised, sessions
from cognito_emu.idp.signin.context import INCORRECT, AuthContext, answering_user
from cognito_emu.idp.signin.finish import authenticated, required_attributes_missing
from cognito_emu.idp.signin.mfa_challenge import challenge_after_password
from cognito_emu.idp.signin.result import Step
from cognito_emu.idp.users import accounts, attributes
from cognito_emu.triggers import token_generation

ATTRIBUTE_PREFIX = "userAttributes."


def set_new_password(ctx: AuthContext, user: User) -> None:
    """Answer NEW_PASSWORD_REQUIRED for ``user``: the new password and attributes set, the user CONFIRMED.
    Shared with the hosted login's new-password form."""
    password = ctx.required("NEW_PASSWORD")
    given = {
        name.removeprefix(ATTRIBUTE_PREFIX): value
        for name, value in ctx.params.items()
        if name.startswith(ATTRIBUTE_PREFIX)
    }
    missing = [name for name in required_attributes_missing(ctx.pool, user) if not given.get(name)]
    if missing:
        raise InvalidParameterException(f"Invalid attributes given, {', '.join(missing)} is missing")
    if given:
        attributes.check_update(ctx.pool, user, given, None if ctx.admin else ctx.client)
    passwords.check_new_password(ctx.pool, user, password)
    compromised.check_new_password(ctx.pool, ctx.client.client_id, password, compromised.PASSWORD_CHANGE)
    if given:
        accounts.update_attributes(ctx.env, ctx.pool, user, given)
    passwords.set_password(ctx.env, ctx.pool, user, password, temporary=False)
    accounts.set_status(ctx.env, ctx.pool, user, UserStatus.CONFIRMED)


def answer(ctx: AuthContext, session: ChallengeSession) -> Step:
    """RespondToAuthChallenge NEW_PASSWORD_REQUIRED."""
    user = answering_user(ctx, session)
    if user is None:
        raise NotAuthorizedException(INCORRECT)
    set_new_password(ctx, user)
    challenge = challenge_after_password(ctx, user, session)
    if challenge is not None:
        return challenge
    sessions.finish(session)
    return authenticated(ctx, user, trigger_source=token_generation.NEW_PASSWORD_CHALLENGE)
