"""The mock suite's floor: botocore answered from recorded responses, with no emulator behind them.

The bench first runs the test file once under mock_cognito with this module recording every Cognito
response as botocore received it; the floor's run of the same file replays them in order
from a ``before-send`` handler. botocore then serialises, signs and parses exactly what it did with
the emulator, and pytest and boto3 start as they did, so that run's time is what the file costs
with an emulator that costs nothing, and moto's time over it the most any mock could reach here.
"""

from __future__ import annotations

import atexit
import io
import json
import os
from collections.abc import Iterator
from typing import Any, TypeVar

from botocore import handlers
from botocore.awsrequest import AWSPreparedRequest, AWSResponse

T = TypeVar("T")

# A JSON file of [status, headers, body] lists, one per Cognito call of the file, in order: written
# by the recording run, read by the floor's.
RECORD = "COGNITO_EMU_BENCH_RECORD"
ANSWERS = "COGNITO_EMU_BENCH_ANSWERS"
_SERVICE = "cognito-identity-provider"


class _Body(io.BytesIO):
    def stream(self, **_: Any) -> Iterator[bytes]:
        data = self.read()
        if data:
            yield data


class _Replay:
    def __init__(self, path: str) -> None:
        with open(path) as file:
            self.answers: list[list[Any]] = json.load(file)
        self.next = 0

    def __call__(self, request: AWSPreparedRequest, event_name: str = "", **_: Any) -> AWSResponse | None:
        if event_name.split(".")[1:2] != [_SERVICE]:
            return None
        status, headers, body = self.answers[self.next]
        self.next += 1
        return AWSResponse(request.url, status, headers, _Body(body.encode()))


class _Recorder:
    """A ``before-parse`` handler keeping each Cognito response; written to ``path`` when the process ends."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.answers: list[list[Any]] = []
        atexit.register(self.write)

    def __call__(self, response_dict: dict[str, Any], event_name: str = "", **_: Any) -> None:
        if event_name.split(".")[1:2] == [_SERVICE]:
            body = response_dict["body"].decode()
            self.answers.append([response_dict["status_code"], dict(response_dict["headers"]), body])

    def write(self) -> None:
        with open(self.path, "w") as file:
            json.dump(self.answers, file)


def canned(func: T) -> T:
    """The floor's decorator: nothing to enter, the answers are already there."""
    return func


if os.environ.get(RECORD):
    handlers.BUILTIN_HANDLERS.append(("before-parse", _Recorder(os.environ[RECORD])))
if os.environ.get(ANSWERS):
    handlers.BUILTIN_HANDLERS.append(("before-send", _Replay(os.environ[ANSWERS]), handlers.REGISTER_FIRST))
