"""Faults a test asks for: calls of a named operation that fail with a chosen AWS error, or answer late.

A fault applies to the next ``count`` calls of its operation, or to a ``rate`` (a fraction) of them,
or to every call while it is set; it fails them with ``error`` and/or holds each for ``delay``
seconds first. Fractions are exact and repeatable, not random: with rate 0.25 calls 4, 8, 12, ...
fail. ``error`` is any error code of the emulator (TooManyRequestsException, InternalErrorException,
LimitExceededException, ...) or ``TriggerTimeout``, the UnexpectedLambdaException Cognito answers
when a Lambda trigger does not answer in time. ``reset`` clears them all (README "Faults").
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from cognito_emu import errors as aws_errors
from cognito_emu.errors import (
    CognitoError,
    InvalidParameterException,
    UnexpectedLambdaException,
    lambda_timeout_message,
)
from cognito_emu.protocol.model import services

TRIGGER_TIMEOUT = "TriggerTimeout"
# What Cognito says with these codes when it says something general.
_MESSAGES = {
    "TooManyRequestsException": "Rate exceeded",
    "InternalErrorException": "An internal error occurred.",
    "LimitExceededException": "Attempt limit exceeded, please try after some time.",
}


def error_class(code: str) -> type[CognitoError]:
    if code == TRIGGER_TIMEOUT:
        return UnexpectedLambdaException
    found = getattr(aws_errors, code, None)
    if not (isinstance(found, type) and issubclass(found, CognitoError)) or found is CognitoError:
        raise InvalidParameterException(f"Unknown error code {code!r} for a fault.")
    return found


@dataclass(slots=True)
class Fault:
    id: str
    operation: str
    error: str | None
    message: str
    count: int | None
    rate: float | None
    delay: float
    calls: int = 0
    fired: int = 0

    def applies(self) -> bool:
        """Count this call of the operation; True if the fault fires on it."""
        self.calls += 1
        if self.count is not None:
            return self.fired < self.count
        if self.rate is not None:
            return int(self.calls * self.rate) > int((self.calls - 1) * self.rate)
        return True

    @property
    def spent(self) -> bool:
        return self.count is not None and self.fired >= self.count

    def raise_error(self) -> None:
        if self.error is not None:
            raise error_class(self.error)(self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "operation": self.operation,
            "error": self.error,
            "message": self.message,
            "count": self.count,
            "rate": self.rate,
            "delay": self.delay,
            "calls": self.calls,
            "fired": self.fired,
        }


@dataclass(slots=True)
class Faults:
    """The faults in force, with a lock of their own: the AWS endpoint consults them before the state lock."""

    faults: list[Fault] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    added: int = 0

    def add(
        self,
        operation: str,
        error: str | None = "TooManyRequestsException",
        *,
        count: int | None = None,
        rate: float | None = None,
        delay: float = 0.0,
        message: str | None = None,
        trigger: str = "PreSignUp",
    ) -> Fault:
        """Make calls of ``operation`` fail with ``error`` (None: only ``delay``); see the module doc."""
        if not any(operation in spec.operations for spec in services().values()):
            raise InvalidParameterException(
                f"A fault needs an operation of either service, not {operation!r}."
            )
        if error is not None:
            error_class(error)
        if count is not None and count < 1:
            raise InvalidParameterException("A fault's count must be at least 1.")
        if rate is not None and not 0 < rate <= 1:
            raise InvalidParameterException("A fault's rate must be more than 0 and at most 1.")
        if count is not None and rate is not None:
            raise InvalidParameterException("A fault takes a count or a rate, not both.")
        if delay < 0 or (error is None and delay == 0):
            raise InvalidParameterException("A fault needs an error or a positive delay.")
        if message is None:
            if error == TRIGGER_TIMEOUT:
                message = lambda_timeout_message(trigger)
            else:
                message = _MESSAGES.get(error or "", f"Fault injected by the emulator: {error}.")
        with self.lock:
            self.added += 1
            fault = Fault(f"fault-{self.added}", operation, error, message, count, rate, delay)
            self.faults.append(fault)
        return fault

    def take(self, operation: str) -> Fault | None:
        """The fault that fires on this call of ``operation`` (counted), if any; spent ones go."""
        with self.lock:
            fired = None
            for fault in self.faults:
                if fault.operation == operation and fault.applies() and fired is None:
                    fault.fired += 1
                    fired = fault
            self.faults = [fault for fault in self.faults if not fault.spent]
            return fired

    def list(self) -> list[Fault]:
        with self.lock:
            return list(self.faults)

    def remove(self, fault_id: str) -> bool:
        with self.lock:
            kept = [fault for fault in self.faults if fault.id != fault_id]
            removed = len(kept) != len(self.faults)
            self.faults = kept
            return removed

    def clear(self) -> int:
        with self.lock:
            count = len(self.faults)
            self.faults = []
            return count
