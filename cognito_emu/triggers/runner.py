"""``invoke``: run the target mapped to a pool's LambdaConfig trigger, as Cognito invokes Lambda.

Failures, as Cognito reports them:
- the handler raised (or answered Lambda's error shape): UserLambdaValidationException
  "<Trigger> failed with error <message>."
- the answer is not JSON: InvalidLambdaResponseException "Invalid lambda function output : Invalid JSON";
  JSON but not an object: InvalidLambdaResponseException "Unrecognizable lambda output"
- no answer within the timeout (5 s, as Cognito waits): UnexpectedLambdaException
  "<Trigger> invocation failed due to error Socket timeout while invoking Lambda function."
- the target could not be run or died: UnexpectedLambdaException "<Trigger> invocation failed due to
  error <what happened>."
- no target mapped to the ARN: UnexpectedLambdaException naming the ARN and the ways to map it, or,
  with ``--unmapped-triggers skip``, a warning and no invocation (as if the pool had no such trigger).

Locking: the caller holds ``env.state.lock`` (every API operation does). It is released completely
while the target runs, so a handler may call the emulator back (AdminUpdateUserAttributes from a
PostConfirmation handler, over HTTP or boto3) without deadlocking, and taken again before the
answer is used. Callers re-check what another request may have changed meanwhile.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from cognito_emu.blocking import before_blocking
from cognito_emu.errors import (
    InvalidLambdaResponseException,
    UnexpectedLambdaException,
    UserLambdaValidationException,
    lambda_timeout_message,
)
from cognito_emu.state.locking import released
from cognito_emu.triggers import invokers
from cognito_emu.triggers.registry import Invocation, describe

if TYPE_CHECKING:
    from cognito_emu.env import Env
    from cognito_emu.idp.models import UserPool

log = logging.getLogger("cognito_emu.triggers")

# LambdaConfig members whose ARN is the LambdaArn of a nested structure.
_NESTED = ("PreTokenGenerationConfig", "CustomEmailSender", "CustomSMSSender")


class TriggerTimeout(UnexpectedLambdaException):
    """The target did not answer in time (a CustomMessage caller falls back to the default message)."""


def trigger_arn(pool: UserPool, trigger: str) -> str | None:
    """The ARN configured for ``trigger`` (a LambdaConfig member name), or None."""
    config = pool.lambda_config()
    value = config.get(trigger)
    if trigger == "PreTokenGeneration" and isinstance(config.get("PreTokenGenerationConfig"), dict):
        value = config["PreTokenGenerationConfig"].get("LambdaArn") or value
    if isinstance(value, dict):
        value = value.get("LambdaArn")
    return value if isinstance(value, str) and value else None


def unmapped_message(trigger: str, arn: str) -> str:
    return (
        f"{trigger} invocation failed due to error: cognito-emu has no target for {arn}. Map it with "
        f'--trigger \'{arn}=TARGET\' (or COGNITO_EMU_TRIGGERS), PUT /_emu/triggers {{"{arn}": "TARGET"}}, '
        "or emu.triggers.register(arn, handler); TARGET is package.module:function, "
        "path/to/handler.py:handler, cmd:<command> or an http:// URL. "
        "--unmapped-triggers skip skips unmapped triggers instead."
    )


def invoke(env: Env, pool: UserPool, trigger: str, event: dict[str, Any]) -> dict[str, Any] | None:
    """The handler's answer (the whole event, as Lambda returns it), or None when the pool has no
    such trigger (or it is unmapped and unmapped triggers are skipped). Raises Cognito's errors."""
    arn = trigger_arn(pool, trigger)
    if arn is None:
        return None
    registry = env.triggers
    source = str(event.get("triggerSource", ""))
    target = registry.lookup(arn)
    started = time.perf_counter()

    def record(outcome: str, error: str | None = None, target_name: str = "") -> None:
        registry.record(
            Invocation(
                time=env.clock.now(),
                trigger=trigger,
                triggerSource=source,
                userPoolId=pool.id,
                arn=arn,
                target=target_name,
                ms=round((time.perf_counter() - started) * 1000, 3),
                outcome=outcome,
                error=error,
            )
        )
        log.info(
            "trigger %s (%s) -> %s: %s %.1fms",
            trigger,
            source,
            target_name or arn,
            outcome,
            (time.perf_counter() - started) * 1000,
        )

    if target is None:
        if registry.unmapped == "skip":
            log.warning("trigger %s (%s): no target mapped for %s; skipped", trigger, source, arn)
            record("skipped", f"no target mapped for {arn}")
            return None
        message = unmapped_message(trigger, arn)
        record("unmapped", message)
        raise UnexpectedLambdaException(message)
    name = describe(target)
    context = invokers.new_context(arn, env.ids.request_id(), registry.timeout)
    # The handler may take its time, or call this emulator back: the server answers others meanwhile.
    before_blocking()
    try:
        with released(env.state.lock):
            answer = invokers.call(target, registry.loader, event, context, registry.timeout)
    except invokers.HandlerError as exc:
        record("error", str(exc), name)
        raise UserLambdaValidationException(f"{trigger} failed with error {exc}.") from None
    except invokers.MalformedAnswer as exc:
        record("invalid", str(exc), name)
        raise InvalidLambdaResponseException(str(exc)) from None
    except invokers.HandlerTimeout as exc:
        record("timeout", str(exc), name)
        raise TriggerTimeout(lambda_timeout_message(trigger)) from None
    except invokers.HandlerCrash as exc:
        record("crash", str(exc), name)
        raise UnexpectedLambdaException(f"{trigger} invocation failed due to error {exc}.") from None
    record("ok", None, name)
    return answer


def response_of(answer: dict[str, Any] | None) -> dict[str, Any]:
    """``answer["response"]`` as a dict ({} when absent or null); InvalidLambdaResponseException if
    it is something else."""
    if answer is None:
        return {}
    response = answer.get("response")
    if response is None:
        return {}
    if not isinstance(response, dict):
        raise InvalidLambdaResponseException(invokers.UNRECOGNIZABLE)
    return response
