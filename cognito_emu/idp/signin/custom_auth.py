"""CUSTOM_AUTH: sign-in driven by the DefineAuthChallenge, CreateAuthChallenge and
VerifyAuthChallengeResponse triggers.

Developer guide, "Custom authentication challenge Lambda triggers" and its three pages
(user-pool-lambda-define-auth-challenge, -create-auth-challenge, -verify-auth-challenge-response):

- InitiateAuth CUSTOM_AUTH with USERNAME calls DefineAuthChallenge with ``request.session`` = []; with
  CHALLENGE_NAME (or ChallengeName) = SRP_A and SRP_A, the session starts as
  ``[{challengeName: SRP_A, challengeResult: true}]`` and Define is expected to ask for
  PASSWORD_VERIFIER, which the client answers with the usual SRP claim; the outcome is added as a
  ``PASSWORD_VERIFIER`` entry (challengeResult false for a wrong password, which also counts for the
  lockout) and Define runs again.
- Define answers ``{challengeName, issueTokens, failAuthentication}``: failAuthentication ->
  NotAuthorizedException "Incorrect username or password."; issueTokens -> tokens (or
  NEW_PASSWORD_REQUIRED / UserNotConfirmedException, as after a password); challengeName
  CUSTOM_CHALLENGE -> CreateAuthChallenge, whose ``publicChallengeParameters`` (plus USERNAME) become
  the ChallengeParameters; ``privateChallengeParameters`` and ``challengeMetadata`` stay on the server.
- RespondToAuthChallenge CUSTOM_CHALLENGE with {USERNAME, ANSWER} calls VerifyAuthChallengeResponse;
  ``answerCorrect`` becomes the entry's challengeResult and Define runs again with the longer session.
- No DefineAuthChallenge trigger: InvalidParameterException "Custom auth lambda trigger is not
  configured for the user pool." (as clients report it).
- An unknown user, when the client prevents user existence errors, still gets the triggers, with
  ``userNotFound: true`` and no attributes; tokens are never issued for it.
- ClientMetadata reaches the triggers from RespondToAuthChallenge only (API reference, InitiateAuth).
- The emulator stops a session after ``MAX_CHALLENGES`` challenges (NotAuthorizedException): the
  developer guide gives no number that the emulator could find, so this is the emulator's guard
  against a Define function that never ends the flow.
"""

from __future__ import annotations

from typing import Any

from cognito_emu.errors import (
    InvalidLambdaResponseException,
    InvalidParameterException,
    NotAuthorizedException,
    UnsupportedOperationException,
)
from cognito_emu.idp.factors import srp
from cognito_emu.idp.models import ChallengeSession, User
from cognito_emu.idp.pool import client_auth
from cognito_emu.idp.signin import lockout, sessions
from cognito_emu.idp.signin.context import (
    INCORRECT,
    AuthContext,
    flow_user,
    prevents_existence_errors,
)
from cognito_emu.idp.signin.finish import after_password
from cognito_emu.idp.signin.password import password_verifier_challenge
from cognito_emu.idp.signin.result import Challenge, ChallengeName, Step
from cognito_emu.triggers import events, runner

DEFINE = "DefineAuthChallenge"
CREATE = "CreateAuthChallenge"
VERIFY = "VerifyAuthChallengeResponse"

CUSTOM_CHALLENGE = ChallengeName.CUSTOM_CHALLENGE
SRP_A = "SRP_A"
NOT_CONFIGURED = "Custom auth lambda trigger is not configured for the user pool."
MAX_CHALLENGES = 10


def start(ctx: AuthContext) -> Step:
    """InitiateAuth / AdminInitiateAuth with AuthFlow CUSTOM_AUTH."""
    name = ctx.required("USERNAME")
    client_auth.check_secret_hash(ctx.client, name, ctx.params.get("SECRET_HASH"))
    if runner.trigger_arn(ctx.pool, DEFINE) is None:
        raise InvalidParameterException(NOT_CONFIGURED)
    user = flow_user(ctx, name)
    history: list[dict[str, Any]] = []
    a_hex: str | None = None
    if (ctx.params.get("CHALLENGE_NAME") or ctx.params.get("ChallengeName")) == SRP_A:
        a_hex = ctx.required("SRP_A")
        srp.parse_public_a(a_hex)
        history.append(_entry(SRP_A, True))
    return next_step(ctx, user, name, history, previous=None, srp_a=a_hex)


def next_step(
    ctx: AuthContext,
    user: User | None,
    signed_in_as: str,
    history: list[dict[str, Any]],
    *,
    previous: ChallengeSession | None,
    srp_a: str | None,
) -> Step:
    """Ask DefineAuthChallenge what follows ``history``, and do it."""
    decision = _run(ctx, user, DEFINE, history)
    if decision.get("failAuthentication") is True or len(history) >= MAX_CHALLENGES:
        _fail(previous)
    if decision.get("issueTokens") is True:
        if user is None:
            _fail(previous)
        assert user is not None
        ctx.custom_auth = True
        return after_password(ctx, user, previous)
    challenge = decision.get("challengeName")
    if challenge == CUSTOM_CHALLENGE:
        return _custom_challenge(ctx, user, signed_in_as, history, previous, srp_a)
    if challenge == ChallengeName.PASSWORD_VERIFIER:
        return _password_verifier(ctx, user, signed_in_as, history, previous, srp_a)
    if not isinstance(challenge, str) or not challenge:
        raise InvalidLambdaResponseException(
            "Invalid lambda response: DefineAuthChallenge returned neither issueTokens, "
            "failAuthentication nor a challengeName"
        )
    raise UnsupportedOperationException(
        f"cognito-emu does not implement the {challenge} challenge in the CUSTOM_AUTH flow yet."
    )


def answer(ctx: AuthContext, session: ChallengeSession, user: User | None) -> Step:
    """RespondToAuthChallenge CUSTOM_CHALLENGE: ANSWER, judged by VerifyAuthChallengeResponse."""
    given = ctx.required("ANSWER")
    history = list(session.custom_history or [])
    request = {"privateChallengeParameters": dict(session.private_parameters), "challengeAnswer": given}
    verdict = _run(ctx, user, VERIFY, history, request)
    if session.used:  # answered by another request while the trigger ran
        raise NotAuthorizedException(sessions.USED)
    history.append(_entry(CUSTOM_CHALLENGE, verdict.get("answerCorrect") is True, session.challenge_metadata))
    signed_in_as = session.signed_in_as or (user.username if user else "")
    return next_step(ctx, user, signed_in_as, history, previous=session, srp_a=session.srp_a)


def password_answered(ctx: AuthContext, user: User, session: ChallengeSession, correct: bool) -> Step:
    """PASSWORD_VERIFIER answered inside CUSTOM_AUTH: the result joins the session, Define decides."""
    if correct:
        lockout.reset(user)
    else:
        lockout.record_failure(ctx.env, user)
    history = [*(session.custom_history or []), _entry(ChallengeName.PASSWORD_VERIFIER, correct)]
    signed_in_as = session.signed_in_as or user.username
    return next_step(ctx, user, signed_in_as, history, previous=session, srp_a=None)


# -- the steps ---------------------------------------------------------------------------------------


def _custom_challenge(
    ctx: AuthContext,
    user: User | None,
    signed_in_as: str,
    history: list[dict[str, Any]],
    previous: ChallengeSession | None,
    srp_a: str | None,
) -> Step:
    request = {"challengeName": CUSTOM_CHALLENGE}
    created = _run(ctx, user, CREATE, history, request)
    public = _string_map(created.get("publicChallengeParameters"), "publicChallengeParameters")
    private = created.get("privateChallengeParameters")
    metadata = created.get("challengeMetadata")
    session = _open(ctx, user, signed_in_as, CUSTOM_CHALLENGE, history, previous)
    session.private_parameters = dict(private) if isinstance(private, dict) else {}
    session.challenge_metadata = metadata if isinstance(metadata, str) else None
    session.srp_a = srp_a
    return Challenge(
        CUSTOM_CHALLENGE,
        session.session_id,
        {**public, "USERNAME": user.username if user else signed_in_as},
    )


def _password_verifier(
    ctx: AuthContext,
    user: User | None,
    signed_in_as: str,
    history: list[dict[str, Any]],
    previous: ChallengeSession | None,
    srp_a: str | None,
) -> Step:
    if srp_a is None:
        raise InvalidParameterException("Missing required parameter SRP_A")
    session = _open(ctx, user, signed_in_as, ChallengeName.PASSWORD_VERIFIER, history, previous)
    return password_verifier_challenge(ctx, session, srp_a, user, signed_in_as)


def _open(
    ctx: AuthContext,
    user: User | None,
    signed_in_as: str,
    challenge: str,
    history: list[dict[str, Any]],
    previous: ChallengeSession | None,
) -> ChallengeSession:
    username = user.username if user else None
    session = sessions.following(
        ctx.env, ctx.client, previous, username, challenge, signed_in_as=signed_in_as
    )
    session.custom_history = list(history)
    return session


def _fail(previous: ChallengeSession | None) -> None:
    if previous is not None:
        sessions.finish(previous)
    raise NotAuthorizedException(INCORRECT)


# -- events ------------------------------------------------------------------------------------------


def _entry(challenge: str, result: bool, metadata: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"challengeName": challenge, "challengeResult": result}
    if metadata is not None:
        entry["challengeMetadata"] = metadata
    return entry


def _run(
    ctx: AuthContext,
    user: User | None,
    trigger: str,
    history: list[dict[str, Any]],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run one of the three triggers on the challenges so far; its ``response`` ({} when it has none)."""
    request: dict[str, Any] = {"userAttributes": events.user_attributes(user) if user else {}}
    if trigger != VERIFY:
        request["session"] = [dict(entry) for entry in history]
    request.update(extra or {})
    metadata = ctx.trigger_metadata()
    if metadata:
        request["clientMetadata"] = dict(metadata)
    if prevents_existence_errors(ctx.client):
        request["userNotFound"] = user is None
    event = events.base_event(
        ctx.env,
        ctx.pool,
        f"{trigger}_Authentication",
        username=user.username if user else ctx.params.get("USERNAME"),
        client_id=ctx.client.client_id,
        request=request,
        user_agent=ctx.user_agent,
    )
    return runner.response_of(runner.invoke(ctx.env, ctx.pool, trigger, event))


def _string_map(value: Any, name: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidLambdaResponseException(f"Invalid lambda response: {name} is not a map")
    return {str(key): item if isinstance(item, str) else str(item) for key, item in value.items()}
