"""The AWS JSON 1.1 wire protocol at the edges: malformed input, validation wording, errors, CORS."""

from __future__ import annotations

import http.client
import json
import logging
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest

from cognito_emu.emulator import Emulator

pytestmark = pytest.mark.server_only("raw HTTP bodies, headers, CORS and connection handling of the server")

IDP = "AWSCognitoIdentityProviderService"
IDENTITY = "AWSCognitoIdentityService"
SIGNED = (
    "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/cognito-idp/aws4_request, "
    "SignedHeaders=host;x-amz-date;x-amz-target, Signature=00"
)


class Answer:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.raw = body

    @property
    def json(self) -> Any:
        return json.loads(self.raw)

    @property
    def code(self) -> str:
        return self.json["__type"]

    @property
    def message(self) -> str:
        return self.json["message"]


def call(
    emulator: Emulator,
    target: str | None,
    body: bytes | str | dict[str, Any] = b"{}",
    *,
    method: str = "POST",
    path: str = "/",
    headers: dict[str, str] | None = None,
    content_type: str = "application/x-amz-json-1.1",
) -> Answer:
    if isinstance(body, dict):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode()
    url = urlsplit(emulator.endpoint_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        sent = {"Content-Type": content_type, "Authorization": SIGNED, **(headers or {})}
        if target is not None:
            sent["X-Amz-Target"] = target
        conn.request(method, path, body=body if method != "GET" else None, headers=sent)
        response = conn.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        conn.close()


def idp_call(emulator: Emulator, op: str, body: Any = b"{}", **kwargs: Any) -> Answer:
    return call(emulator, f"{IDP}.{op}", body, **kwargs)


def assert_aws_error(answer: Answer, code: str, status: int = 400) -> None:
    assert answer.status == status, answer.raw
    assert answer.headers["Content-Type"].startswith("application/x-amz-json-1.1")
    assert answer.code == code, answer.raw
    assert answer.headers["x-amzn-ErrorType"] == code
    assert answer.headers["x-amzn-RequestId"]
    assert answer.headers["Access-Control-Allow-Origin"]


# -- body parsing --------------------------------------------------------------------------------


def test_malformed_json_is_a_serialization_exception(emulator):
    answer = idp_call(emulator, "DescribeUserPool", b'{"UserPoolId": ')
    assert_aws_error(answer, "SerializationException")


def test_invalid_utf8_is_a_serialization_exception(emulator):
    answer = idp_call(emulator, "DescribeUserPool", b'{"UserPoolId": "\xff\xfe"}')
    assert_aws_error(answer, "SerializationException")


@pytest.mark.parametrize("body", [b"[]", b'"text"', b"42", b"null", b"true"])
def test_body_that_is_not_an_object_is_a_serialization_exception(emulator, body):
    assert_aws_error(idp_call(emulator, "DescribeUserPool", body), "SerializationException")


@pytest.mark.parametrize("body", [b"", b"{}", b"  \n"])
def test_empty_body_checks_required_members(emulator, body):
    answer = idp_call(emulator, "DescribeUserPool", body)
    assert_aws_error(answer, "InvalidParameterException")
    assert answer.message == (
        "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_empty_body_is_fine_for_an_operation_without_required_members(emulator):
    # ListUserPools requires MaxResults; DescribeIdentityPool requires IdentityPoolId; an empty
    # structure is accepted by an operation whose input has no required member.
    answer = call(emulator, f"{IDENTITY}.ListIdentityPools", b"")
    assert_aws_error(answer, "ValidationException")
    assert "at 'maxResults'" in answer.message


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"MaxResults": "ten"}, "maxResults"),
        ({"MaxResults": 1.5}, "maxResults"),
        ({"MaxResults": True}, "maxResults"),
        ({"MaxResults": 10, "NextToken": {"a": 1}}, "nextToken"),
        ({"MaxResults": 10, "NextToken": ["a"]}, "nextToken"),
        ({"MaxResults": 10, "NextToken": 7}, "nextToken"),
    ],
)
def test_wrong_types_are_serialization_exceptions(emulator, body, where):
    answer = idp_call(emulator, "ListUserPools", body)
    assert_aws_error(answer, "SerializationException")
    assert where in answer.message


def test_wrong_types_deep_inside_are_serialization_exceptions(emulator):
    body = {"PoolName": "p", "Policies": {"PasswordPolicy": {"MinimumLength": "eight"}}}
    assert_aws_error(idp_call(emulator, "CreateUserPool", body), "SerializationException")
    body = {"PoolName": "p", "Schema": "not-a-list"}
    assert_aws_error(idp_call(emulator, "CreateUserPool", body), "SerializationException")
    body = {"PoolName": "p", "UserPoolTags": {"k": 5}}
    assert_aws_error(idp_call(emulator, "CreateUserPool", body), "SerializationException")


def test_integral_float_is_accepted_for_an_integer(emulator):
    answer = idp_call(emulator, "ListUserPools", {"MaxResults": 10.0})
    assert answer.status == 200, answer.raw
    assert answer.json == {"UserPools": []}


# -- constraint validation, worded as AWS words it ----------------------------------------------


def test_pattern_violation_uses_aws_wording(emulator):
    answer = idp_call(emulator, "DescribeUserPool", {"UserPoolId": "x"})
    assert_aws_error(answer, "InvalidParameterException")
    assert answer.message == (
        "1 validation error detected: Value 'x' at 'userPoolId' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+"
    )


def test_too_long_value(emulator):
    long_id = "us-east-1_" + "a" * 60
    answer = idp_call(emulator, "DescribeUserPool", {"UserPoolId": long_id})
    assert_aws_error(answer, "InvalidParameterException")
    assert answer.message == (
        f"1 validation error detected: Value '{long_id}' at 'userPoolId' failed to satisfy constraint: "
        "Member must have length less than or equal to 55"
    )


def test_number_range(emulator):
    answer = idp_call(emulator, "ListUserPools", {"MaxResults": 0})
    assert_aws_error(answer, "InvalidParameterException")
    assert answer.message == (
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1"
    )


def test_enum_violation(emulator):
    answer = idp_call(emulator, "CreateUserPool", {"PoolName": "p", "MfaConfiguration": "SOMETIMES"})
    assert_aws_error(answer, "InvalidParameterException")
    assert answer.message == (
        "1 validation error detected: Value 'SOMETIMES' at 'mfaConfiguration' failed to satisfy "
        "constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]"
    )


def test_several_errors_at_once(emulator):
    answer = idp_call(emulator, "DescribeUserPool", {"UserPoolId": "x" * 60})
    assert_aws_error(answer, "InvalidParameterException")
    assert answer.message == (
        f"2 validation errors detected: Value '{'x' * 60}' at 'userPoolId' failed to satisfy constraint: "
        "Member must have length less than or equal to 55; "
        f"Value '{'x' * 60}' at 'userPoolId' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+"
    )


def test_errors_on_several_members(emulator):
    answer = idp_call(emulator, "ListUserPools", {"MaxResults": 100, "NextToken": ""})
    assert_aws_error(answer, "InvalidParameterException")
    assert answer.message.startswith("3 validation errors detected: ")
    parts = answer.message.removeprefix("3 validation errors detected: ").split("; ")
    assert sorted(parts) == [
        "Value '' at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to 1",
        r"Value '' at 'nextToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [\S]+",
        "Value '100' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    ]


def test_nested_paths_in_messages(emulator):
    body = {"PoolName": "p", "Policies": {"PasswordPolicy": {"MinimumLength": 1000}}}
    answer = idp_call(emulator, "CreateUserPool", body)
    assert_aws_error(answer, "InvalidParameterException")
    assert "at 'policies.passwordPolicy.minimumLength'" in answer.message


def test_sensitive_members_do_not_echo_the_value(emulator):
    body = {"ClientId": "c" * 200, "Username": "someone", "Password": "p" * 300}
    answer = idp_call(emulator, "SignUp", body)
    assert_aws_error(answer, "InvalidParameterException")
    assert "p" * 300 not in answer.message
    assert "Value at 'password' failed to satisfy constraint" in answer.message
    # Usernames and client ids are sensitive in the model too: never echoed.
    assert "c" * 200 not in answer.message


def test_cognito_identity_validation_is_a_validation_exception(emulator):
    answer = call(emulator, f"{IDENTITY}.DescribeIdentityPool", {"IdentityPoolId": "nope"})
    assert_aws_error(answer, "ValidationException")
    assert answer.message.startswith("1 validation error detected: Value 'nope' at 'identityPoolId'")


def test_null_values_inside_maps_are_accepted(emulator):
    # amazon-cognito-identity-js sends AuthParameters.DEVICE_KEY: null on refresh.
    body = {
        "AuthFlow": "REFRESH_TOKEN_AUTH",
        "ClientId": "abc",
        "AuthParameters": {"REFRESH_TOKEN": "r", "DEVICE_KEY": None},
    }
    answer = idp_call(emulator, "InitiateAuth", body)
    assert answer.code not in (
        "SerializationException",
        "InvalidParameterException",
        "InternalErrorException",
    )


def test_null_members_mean_absent(emulator):
    answer = idp_call(emulator, "ListUserPools", {"MaxResults": 5, "NextToken": None})
    assert answer.status == 200, answer.raw


def test_unknown_members_are_ignored(emulator):
    answer = idp_call(emulator, "CreateUserPool", {"PoolName": "p", "NoSuchMember": {"x": [1, 2]}})
    assert answer.status == 200, answer.raw
    assert answer.json["UserPool"]["Name"] == "p"
    # Regression: the unknown member was stored with the pool's settings and echoed by every Describe.
    assert "NoSuchMember" not in answer.json["UserPool"]
    described = idp_call(emulator, "DescribeUserPool", {"UserPoolId": answer.json["UserPool"]["Id"]})
    assert "NoSuchMember" not in described.json["UserPool"]
    assert "NoSuchMember" not in json.dumps(emulator.snapshot())


@pytest.mark.parametrize("content_type", ["application/json", "application/x-amz-json-1.0", "text/plain", ""])
def test_content_types_are_accepted(emulator, content_type):
    answer = idp_call(emulator, "ListUserPools", {"MaxResults": 5}, content_type=content_type)
    assert answer.status == 200, answer.raw


# -- operations ----------------------------------------------------------------------------------


def test_unknown_target_is_an_unknown_operation_exception(emulator):
    for target in (f"{IDP}.NoSuchThing", "NoSuchService.DescribeUserPool", "garbage", ""):
        answer = call(emulator, target)
        assert_aws_error(answer, "UnknownOperationException")


def test_post_without_target_is_an_unknown_operation_exception(emulator):
    assert_aws_error(call(emulator, None), "UnknownOperationException")


def test_model_operation_without_handler_says_so(emulator, monkeypatch):
    from cognito_emu import dispatch

    table = {
        key: value for key, value in dispatch.handlers().items() if key != ("cognito-idp", "ListUserPools")
    }
    monkeypatch.setattr(dispatch, "handlers", lambda: table)
    answer = idp_call(emulator, "ListUserPools", {"MaxResults": 5})
    assert_aws_error(answer, "UnsupportedOperationException")
    assert "ListUserPools" in answer.message
    assert "not implement" in answer.message


def test_every_model_operation_answers_json(emulator):
    # Implemented or not, no operation of either model may answer 500 or HTML to an empty body.
    from cognito_emu.protocol.model import services

    for prefix, spec in services().items():
        for op in sorted(spec.operations):
            answer = call(emulator, f"{prefix}.{op}", b"{}")
            assert answer.status in (200, 400), (op, answer.raw)
            assert answer.headers["Content-Type"].startswith("application/x-amz-json-1.1")
            json.loads(answer.raw)


def test_huge_body_is_a_json_error_not_a_hang(emulator):
    body = b'{"PoolName": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    answer = idp_call(emulator, "CreateUserPool", body)
    assert_aws_error(answer, "SerializationException")
    assert "larger than the limit" in answer.message


def test_huge_declared_length_without_body_does_not_hang(emulator):
    url = urlsplit(emulator.endpoint_url)
    with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: "
            + f"{IDP}.ListUserPools".encode()
            + b"\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 999999999\r\n\r\n{}"
        )
        data = sock.recv(65536)
    assert data.startswith(b"HTTP/1.1 413")
    assert b"SerializationException" in data


def _raw_exchange(emulator: Emulator, request: bytes) -> bytes:
    url = urlsplit(emulator.endpoint_url)
    with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)  # a truncated body ends here rather than waiting for more
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


_CHUNKED_HEAD = (
    b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: "
    + f"{IDP}.ListUserPools".encode()
    + b"\r\nContent-Type: application/x-amz-json-1.1\r\nConnection: close\r\n"
    + b"Transfer-Encoding: chunked\r\n\r\n"
)


@pytest.mark.parametrize(
    "chunks",
    [b"zz\r\n{}\r\n0\r\n\r\n", b"-2\r\n{}\r\n0\r\n\r\n", b"2\r\n{}xx\r\n0\r\n\r\n", b"9\r\n{}"],
)
def test_malformed_chunked_body_is_a_400_not_an_internal_error(emulator, chunks):
    answer = _raw_exchange(emulator, _CHUNKED_HEAD + chunks)
    assert answer.startswith(b"HTTP/1.1 400 Bad Request"), answer
    assert idp_call(emulator, "ListUserPools", {"MaxResults": 5}).status == 200


def test_unexpected_exception_is_internal_error_logged_and_state_consistent(
    emulator, idp, monkeypatch, caplog
):
    from cognito_emu import dispatch

    real = dispatch.handlers()
    broken = dict(real)

    def explode(call: Any, params: dict[str, Any]) -> None:
        raise RuntimeError("boom in handler")

    broken[("cognito-idp", "ListUserPools")] = explode
    monkeypatch.setattr(dispatch, "handlers", lambda: broken)
    with caplog.at_level(logging.ERROR, logger="cognito_emu"):
        answer = idp_call(emulator, "ListUserPools", {"MaxResults": 5})
    assert_aws_error(answer, "InternalErrorException", status=500)
    assert "boom" not in answer.message
    assert any("boom in handler" in (r.exc_text or "") or r.exc_info for r in caplog.records)
    monkeypatch.setattr(dispatch, "handlers", lambda: real)
    # The lock was released and the emulator keeps answering.
    pool = idp.create_user_pool(PoolName="after")["UserPool"]
    assert idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]["Name"] == "after"


def test_unexpected_exception_in_a_control_route_is_json(emulator, monkeypatch):
    app = emulator.app

    def explode(request: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(app.control, "health", explode)
    answer = call(emulator, None, method="GET", path="/_emu/health")
    assert_aws_error(answer, "InternalErrorException", status=500)


# -- headers, CORS -------------------------------------------------------------------------------


def test_success_carries_request_id_and_cors(emulator):
    answer = idp_call(emulator, "ListUserPools", {"MaxResults": 5}, headers={"Origin": "http://app.test"})
    assert answer.status == 200
    assert answer.headers["x-amzn-RequestId"]
    assert answer.headers["Access-Control-Allow-Origin"] == "http://app.test"
    assert "x-amzn-ErrorType" not in answer.headers


def test_request_ids_are_unique(emulator):
    ids = {
        idp_call(emulator, "ListUserPools", {"MaxResults": 5}).headers["x-amzn-RequestId"] for _ in range(5)
    }
    assert len(ids) == 5


def test_errors_carry_cors(emulator):
    answer = idp_call(emulator, "DescribeUserPool", {"UserPoolId": "x"}, headers={"Origin": "http://a.test"})
    assert answer.headers["Access-Control-Allow-Origin"] == "http://a.test"
    assert "x-amzn-ErrorType" in answer.headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("path", ["/", "/_emu/health", "/us-east-1_abc/.well-known/jwks.json", "/nowhere"])
def test_preflight_on_any_path(emulator, path):
    requested = "content-type,x-amz-target,x-amz-user-agent,cache-control,x-custom"
    answer = call(
        emulator,
        None,
        b"",
        method="OPTIONS",
        path=path,
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": requested,
        },
    )
    assert 200 <= answer.status < 300
    assert answer.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert answer.headers["Access-Control-Allow-Headers"] == requested
    assert "POST" in answer.headers["Access-Control-Allow-Methods"]
    assert answer.headers["x-amzn-RequestId"]


def test_preflight_without_requested_headers_covers_the_sdk_headers(emulator):
    answer = call(emulator, None, b"", method="OPTIONS", headers={"Origin": "http://x.test"})
    allowed = answer.headers["Access-Control-Allow-Headers"].lower()
    for header in ("content-type", "x-amz-target", "x-amz-user-agent", "cache-control"):
        assert header in allowed


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/_emu/health"),
        ("GET", "/nowhere"),
        ("GET", "/"),
        ("POST", "/_emu/clock"),
        ("DELETE", "/_emu/health"),
    ],
)
def test_every_other_route_carries_request_id_and_cors(emulator, method, path):
    answer = call(emulator, None, b"{}", method=method, path=path, headers={"Origin": "http://o.test"})
    assert answer.headers["x-amzn-RequestId"]
    assert answer.headers["Access-Control-Allow-Origin"] == "http://o.test"
    assert answer.headers["Content-Type"].startswith("application/")
    json.loads(answer.raw)  # never HTML


def test_keep_alive_connection_serves_many_calls(emulator):
    url = urlsplit(emulator.endpoint_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    try:
        for _ in range(5):
            conn.request(
                "POST",
                "/",
                body=b'{"MaxResults": 5}',
                headers={
                    "X-Amz-Target": f"{IDP}.ListUserPools",
                    "Content-Type": "application/x-amz-json-1.1",
                },
            )
            response = conn.getresponse()
            assert response.status == 200
            response.read()
        # An error answer keeps the connection usable too.
        conn.request("POST", "/", body=b"{", headers={"X-Amz-Target": f"{IDP}.ListUserPools"})
        response = conn.getresponse()
        assert response.status == 400
        response.read()
        conn.request("POST", "/", body=b'{"MaxResults": 5}', headers={"X-Amz-Target": f"{IDP}.ListUserPools"})
        assert conn.getresponse().status == 200
    finally:
        conn.close()


def test_huge_body_keeps_the_connection(emulator):
    url = urlsplit(emulator.endpoint_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        big = b"{" + b" " * (2 * 1024 * 1024) + b"}"
        conn.request("POST", "/", body=big, headers={"X-Amz-Target": f"{IDP}.ListUserPools"})
        response = conn.getresponse()
        assert response.status == 400
        assert json.loads(response.read())["__type"] == "SerializationException"
        conn.request("POST", "/", body=b'{"MaxResults": 5}', headers={"X-Amz-Target": f"{IDP}.ListUserPools"})
        assert conn.getresponse().status == 200
    finally:
        conn.close()


def test_enormous_body_is_a_413_and_a_closed_connection(emulator):
    url = urlsplit(emulator.endpoint_url)
    with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: "
            + f"{IDP}.ListUserPools".encode()
            + b"\r\nContent-Length: 99999999\r\n\r\n"
            + b" " * 65536
        )
        data = b""
        while b"SerializationException" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    assert data.startswith(b"HTTP/1.1 413")
    assert b"connection: close" in data.lower()
    assert b"SerializationException" in data


def test_chunked_request_body_is_read(emulator):
    url = urlsplit(emulator.endpoint_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request(
            "POST",
            "/",
            body=iter([b'{"PoolName"', b': "chunky"}']),
            headers={"X-Amz-Target": f"{IDP}.CreateUserPool", "Content-Type": "application/x-amz-json-1.1"},
            encode_chunked=True,
        )
        response = conn.getresponse()
        body = json.loads(response.read())
        assert response.status == 200, body
        assert body["UserPool"]["Name"] == "chunky"
    finally:
        conn.close()
