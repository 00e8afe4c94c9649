"""The trigger runtime: targets of every kind, failure mapping, unmapped ARNs, the control routes."""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from trigger_support import arn, handler, http_target, make_pool

from cognito_emu.emulator import Emulator
from cognito_emu.errors import (
    InvalidLambdaResponseException,
    UnexpectedLambdaException,
    UserLambdaValidationException,
)
from cognito_emu.triggers import events, invokers, runner
from cognito_emu.triggers.registry import TriggerRegistry, function_name_keys, parse_mappings


def _invoke(emulator: Emulator, pool_id: str, trigger: str = "PreSignUp") -> dict[str, Any] | None:
    with emulator.state.lock:
        pool = emulator.state.find_pool(pool_id)
        assert pool is not None
        event = events.base_event(
            emulator.env,
            pool,
            "PreSignUp_SignUp",
            username="alice",
            client_id="client",
            request={"userAttributes": {"email": "a@example.com"}},
            response={"autoConfirmUser": False},
            user_agent="Boto3/1.34.0 md/Botocore#1.34.0",
        )
        return runner.invoke(emulator.env, pool, trigger, event)


def _get(emulator: Emulator, path: str, method: str = "GET", body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(emulator.endpoint_url + path, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_no_trigger_configured_answers_none(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, _ = make_pool(idp, {})
    assert _invoke(emulator, pool_id) is None
    assert triggers.log() == []


def test_handler_file_gets_the_event_and_a_lambda_context(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry
) -> None:
    pool_id, _ = make_pool(idp, {"PreSignUp": arn("echo")})
    triggers.register(arn("echo"), handler("echo.py"))
    answer = _invoke(emulator, pool_id)
    assert answer is not None
    assert answer["triggerSource"] == "PreSignUp_SignUp"
    assert answer["version"] == "1"
    assert answer["region"] == "us-east-1"
    assert answer["userPoolId"] == pool_id
    assert answer["callerContext"] == {"awsSdkVersion": "aws-sdk-boto3-1.34.0", "clientId": "client"}
    echo = triggers.loader.function(invokers.parse_target(handler("echo.py")))
    seen = echo.__globals__["SEEN"][-1]
    assert seen["function_name"] == "echo"
    assert 0 < seen["remaining"] <= 5000
    [entry] = triggers.log()
    assert (entry.trigger, entry.triggerSource, entry.outcome, entry.userPoolId) == (
        "PreSignUp",
        "PreSignUp_SignUp",
        "ok",
        pool_id,
    )
    assert entry.target.endswith("echo.py:handler")


def test_lookup_by_function_name_and_qualifier(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry
) -> None:
    pool_id, _ = make_pool(idp, {"PreSignUp": arn("echo") + ":live"})
    triggers.register("echo", lambda event, context: {**event, "response": {"by": "name"}})
    assert _invoke(emulator, pool_id)["response"] == {"by": "name"}  # type: ignore[index]
    triggers.register("echo:live", lambda event, context: {**event, "response": {"by": "alias"}})
    assert _invoke(emulator, pool_id)["response"] == {"by": "alias"}  # type: ignore[index]
    assert function_name_keys(arn("f") + ":1") == [arn("f") + ":1", arn("f"), "f:1", "f"]


def test_module_target(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, _ = make_pool(idp, {"PreSignUp": arn("mod")})
    triggers.register(arn("mod"), "json:loads")  # json.loads(event, context) fails: the handler's error
    with pytest.raises(UserLambdaValidationException) as caught:
        _invoke(emulator, pool_id)
    assert caught.value.message.startswith("PreSignUp failed with error ")


@pytest.mark.parametrize(
    ("function", "error", "message", "outcome"),
    [
        (
            "raises",
            UserLambdaValidationException,
            "PreSignUp failed with error no sign-ups from example.org.",
            "error",
        ),
        ("returns_list", InvalidLambdaResponseException, "Unrecognizable lambda output", "invalid"),
        ("returns_none", InvalidLambdaResponseException, "Unrecognizable lambda output", "invalid"),
        (
            "returns_unserializable",
            InvalidLambdaResponseException,
            "Invalid lambda function output : Invalid JSON",
            "invalid",
        ),
        (
            "slow",
            UnexpectedLambdaException,
            "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.",
            "timeout",
        ),
        (
            "exits",
            UnexpectedLambdaException,
            "PreSignUp invocation failed due to error the handler exited",
            "crash",
        ),
        ("missing", UnexpectedLambdaException, "has no missing", "crash"),
    ],
)
def test_failures_map_to_cognito_errors(
    emulator: Emulator,
    idp: Any,
    triggers: TriggerRegistry,
    function: str,
    error: type,
    message: str,
    outcome: str,
) -> None:
    pool_id, _ = make_pool(idp, {"PreSignUp": arn("f")})
    triggers.register(arn("f"), handler("failures.py", function))
    triggers.timeout = 0.5
    with pytest.raises(error) as caught:
        _invoke(emulator, pool_id)
    assert message in caught.value.message
    # Regression: a timeout answered __type "TriggerTimeout", the name of the runner's own subclass.
    assert caught.value.code == error.__name__
    assert triggers.log()[-1].outcome == outcome


def test_unmapped_arn_errors_with_how_to_map_it(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry
) -> None:
    pool_id, _ = make_pool(idp, {"PreSignUp": arn("nobody")})
    with pytest.raises(UnexpectedLambdaException) as caught:
        _invoke(emulator, pool_id)
    for hint in (arn("nobody"), "--trigger", "PUT /_emu/triggers", "emu.triggers.register"):
        assert hint in caught.value.message
    assert triggers.log()[-1].outcome == "unmapped"


def test_unmapped_skip_mode(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, _ = make_pool(idp, {"PreSignUp": arn("nobody")})
    triggers.unmapped = "skip"
    assert _invoke(emulator, pool_id) is None
    assert triggers.log()[-1].outcome == "skipped"


def test_http_target(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, _ = make_pool(idp, {"PreSignUp": arn("web")})
    with http_target(lambda event: (200, {**event, "response": {"autoConfirmUser": True}})) as (url, seen):
        triggers.register(arn("web"), url)
        assert _invoke(emulator, pool_id)["response"] == {"autoConfirmUser": True}  # type: ignore[index]
        assert seen[0]["triggerSource"] == "PreSignUp_SignUp"
    with http_target(lambda event: (500, {"errorMessage": "boom", "errorType": "Error"})) as (url, _):
        triggers.register(arn("web"), url)
        with pytest.raises(UserLambdaValidationException, match="PreSignUp failed with error boom."):
            _invoke(emulator, pool_id)
    with http_target(lambda event: (502, "bad gateway")) as (url, _):
        triggers.register(arn("web"), url)
        with pytest.raises(UnexpectedLambdaException, match="HTTP 502"):
            _invoke(emulator, pool_id)
    with http_target(lambda event: (200, "not json")) as (url, _):
        triggers.register(arn("web"), url)
        with pytest.raises(InvalidLambdaResponseException, match="Invalid JSON"):
            _invoke(emulator, pool_id)


def test_command_target_python(
    emulator: Emulator, idp: Any, triggers: TriggerRegistry, tmp_path: Path
) -> None:
    script = tmp_path / "answer.py"
    script.write_text(
        "import json, sys\n"
        "event = json.load(sys.stdin)\n"
        "print('a log line', file=sys.stderr)\n"
        "event['response']['autoConfirmUser'] = True\n"
        "print(json.dumps(event))\n"
    )
    pool_id, _ = make_pool(idp, {"PreSignUp": arn("cmd")})
    triggers.register(arn("cmd"), f"cmd:{sys.executable} {script}")
    assert _invoke(emulator, pool_id)["response"]["autoConfirmUser"] is True  # type: ignore[index]
    crash = tmp_path / "crash.py"
    crash.write_text("import sys\nprint('dying', file=sys.stderr)\nsys.exit(2)\n")
    triggers.register(arn("cmd"), f"cmd:{sys.executable} {crash}")
    with pytest.raises(UnexpectedLambdaException, match="exited with status 2: dying"):
        _invoke(emulator, pool_id)
    triggers.register(arn("cmd"), f"cmd:{sys.executable} -c 'import time; time.sleep(5)'")
    triggers.timeout = 0.5
    with pytest.raises(UnexpectedLambdaException, match="Socket timeout"):
        _invoke(emulator, pool_id)


def test_control_routes(emulator: Emulator, idp: Any, triggers: TriggerRegistry) -> None:
    pool_id, _ = make_pool(idp, {"PreSignUp": arn("echo")})
    status, body = _get(emulator, "/_emu/triggers", "PUT", {arn("echo"): handler("echo.py")})
    assert status == 200
    assert body["mappings"] == {arn("echo"): handler("echo.py")}
    assert body["unmapped"] == "error"
    assert _get(emulator, "/_emu/triggers")[1]["mappings"] == {arn("echo"): handler("echo.py")}
    assert _invoke(emulator, pool_id) is not None
    status, body = _get(emulator, "/_emu/triggers/log?trigger=PreSignUp")
    [entry] = body["invocations"]
    assert entry["triggerSource"] == "PreSignUp_SignUp"
    assert entry["outcome"] == "ok"
    assert entry["ms"] >= 0
    status, body = _get(emulator, "/_emu/triggers", "PUT", {arn("x"): "nonsense"})
    assert status == 400
    assert "not a trigger target" in body["message"]
    assert _get(emulator, "/_emu/triggers", "DELETE")[1]["mappings"] == {}
    assert _get(emulator, "/_emu/triggers/log", "DELETE")[1] == {"invocations": []}


def test_configured_mappings_survive_clear() -> None:
    registry = TriggerRegistry({"pre": "cmd:true"})
    registry.register("post", "cmd:true")
    registry.clear()
    assert registry.mappings() == {"pre": "cmd:true"}


def test_parse_mappings() -> None:
    text = f"{arn('a')}=mod.x:h, b=cmd:node run.js a,b\nc=http://127.0.0.1:1/x"
    assert parse_mappings(text) == {
        arn("a"): "mod.x:h",
        "b": "cmd:node run.js a,b",
        "c": "http://127.0.0.1:1/x",
    }
    with pytest.raises(ValueError, match="ARN=TARGET"):
        parse_mappings("nothing")


def test_emulator_config_and_unmapped_setting() -> None:
    from cognito_emu.config import Config

    emu = Emulator(
        Config.from_env({"COGNITO_EMU_TRIGGERS": "f=cmd:true", "COGNITO_EMU_UNMAPPED_TRIGGERS": "skip"})
    )
    assert emu.triggers.mappings() == {"f": "cmd:true"}
    assert emu.triggers.unmapped == "skip"
    with pytest.raises(ValueError):
        Emulator(Config(unmapped_triggers="maybe"))
