"""Regressions found by fuzzing: a request signed for a service nobody here serves gets a 400, never a 500.

Before, such a request went to moto, which crashed on it, and the emulator answered 500 InternalFailure
(which SDKs retry). A Cognito call signed for the wrong service gets what Cognito answers it
(InvalidSignatureException, 400, as every AWS JSON service words it: aws-sdk-ruby #431, AWS.jl #334).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree

import pytest

from cognito_emu.emulator import Emulator
from tests.api.support import Answer, send

IDP = "AWSCognitoIdentityProviderService"
IDENTITY = "AWSCognitoIdentityService"
JSON = "application/x-amz-json-1.1"
FORM = "application/x-www-form-urlencoded; charset=utf-8"
GARBLED = {
    "punctuation": "AKIDEXAMPLE/20260101/us-east-1/cognito-id)/aws4_request",
    "non-ascii": "AKIDEXAMPLE/20260101/us-east-1/cogn\xeato-idp/aws4_request",
    "no-region": "AKIDEXAMPLE/20260101/usdp/aws4_request",
    "made-up": "AKIDEXAMPLE/20260101/us-east-1/foo/aws4_request",
}


def signed(emulator: Emulator, credential: str, body: bytes, content_type: str, target: str | None) -> Answer:
    headers = {
        "Authorization": f"AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders=host, Signature=0",
        "Content-Type": content_type,
    }
    if target is not None:
        headers["X-Amz-Target"] = target
    return send(emulator, "POST", "/", body, headers)


def json_error(answer: Answer) -> tuple[int, str, str]:
    document = json.loads(answer.body)
    return answer.status, document["__type"], document["message"]


@pytest.mark.parametrize("credential", GARBLED.values(), ids=GARBLED.keys())
@pytest.mark.parametrize(
    ("target", "cognito"),
    [(f"{IDP}.ListUserPools", "cognito-idp"), (f"{IDENTITY}.ListIdentityPools", "cognito-identity")],
)
def test_a_cognito_call_signed_for_no_known_service(emulator, credential, target, cognito):
    answer = signed(emulator, credential, b'{"MaxResults": 5}', JSON, target)
    assert json_error(answer) == (
        400,
        "InvalidSignatureException",
        f"Credential should be scoped to correct service: '{cognito}'. ",
    )
    assert answer.headers["x-amzn-ErrorType"] == "InvalidSignatureException"


def test_a_cognito_call_signed_for_another_real_service(emulator):
    # Cognito's target prefix is Cognito's alone: on AWS this call reaches Cognito, which refuses the
    # scope. moto's SNS used to get it (an empty 404); moto's DynamoDB crashed on it (a 500).
    for service in ("sns", "dynamodb"):
        credential = f"AKIDEXAMPLE/20260101/us-east-1/{service}/aws4_request"
        answer = signed(emulator, credential, b'{"MaxResults": 5}', JSON, f"{IDP}.ListUserPools")
        assert json_error(answer)[:2] == (400, "InvalidSignatureException")


@pytest.mark.parametrize(
    ("credential", "service", "why"),
    [
        (GARBLED["punctuation"], "cognito-id)", "that is not an AWS signing name"),
        (GARBLED["non-ascii"], "cogn\xeato-idp", "that is not an AWS signing name"),
        (GARBLED["no-region"], "usdp", "moto_server cannot read that scope"),
        (GARBLED["made-up"], "foo", "moto has no backend for it"),
    ],
    ids=GARBLED.keys(),
)
def test_another_call_signed_for_no_known_service_names_it(emulator, credential, service, why):
    answer = signed(emulator, credential, b"{}", JSON, None)
    status, code, message = json_error(answer)
    assert (status, code) == (400, "InvalidSignatureException")
    assert f"names the service '{service}', but {why}" in message
    assert "neither Cognito (cognito-idp, cognito-identity) nor moto answers it" in message


def test_a_query_protocol_call_gets_the_error_in_xml(emulator):
    answer = signed(emulator, GARBLED["made-up"], b"Action=ListThings&Version=2010-03-31", FORM, None)
    assert answer.status == 400
    error = ElementTree.fromstring(answer.body).find("Error")
    assert error is not None
    assert error.findtext("Code") == "InvalidSignatureException"
    assert error.findtext("Type") == "Sender"
    assert "names the service 'foo'" in (error.findtext("Message") or "")


@pytest.mark.parametrize(
    ("authorization", "service"),
    [
        # moto_server reads the first field's second word: here there is none (it raised IndexError).
        ("AWS4-HMAC-SHA256,Credential=AKID/20260101/us-east-1/s3/aws4_request, Signature=0", "s3"),
        ("AWS4-HMAC-SHA256 SignedHeaders=host, Credential=AKID/20260101/us-east-1/sns/aws4_request", "sns"),
    ],
    ids=["no-second-word", "credential-not-first"],
)
def test_a_header_moto_server_cannot_read(emulator, authorization, service):
    answer = send(emulator, "GET", "/", b"", {"Authorization": authorization})
    assert answer.status == 400
    error = ElementTree.fromstring(answer.body).find("Error")
    assert error is not None
    assert error.findtext("Code") == "InvalidSignatureException"
    assert f"names the service '{service}', but moto_server cannot read that scope" in (
        error.findtext("Message") or ""
    )


def test_a_scope_without_a_region_still_reaches_moto_for_s3(emulator):
    # SigV4a (S3 multi-region access points) leaves the region out; moto_server sends it to S3.
    headers = {
        "Authorization": "AWS4-ECDSA-P256-SHA256 Credential=testing/20240101/s3/aws4_request, Signature=ab"
    }
    answer = send(emulator, "GET", "/", b"", headers)
    assert answer.status == 200
    assert b"ListAllMyBucketsResult" in answer.body


def test_moto_failing_on_a_request_it_routes_is_still_a_server_error(emulator, monkeypatch):
    # A moto bug is a server error, not the caller's: it must not be passed off as a bad scope.
    from moto.sns.responses import SNSResponse

    def broken(self: SNSResponse) -> str:
        raise RuntimeError("a moto bug")

    monkeypatch.setattr(SNSResponse, "list_topics", broken)
    credential = "AKIDEXAMPLE/20260101/us-east-1/sns/aws4_request"
    answer = signed(emulator, credential, b"Action=ListTopics&Version=2010-03-31", FORM, None)
    assert answer.status == 500
    error = ElementTree.fromstring(answer.body).find("Error")
    assert error is not None
    assert error.findtext("Code") == "InternalFailure"
    assert error.findtext("Type") == "Receiver"
